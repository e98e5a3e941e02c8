import { encodeAddress } from 'dedot/utils';
import { describe, expect, it } from 'vitest';
import { availableViews, isSameAccount, responderStatusOf, type RoleAnswers, type ViewKind } from './roles';

const account = (byte: number, prefix = 42) => encodeAddress(new Uint8Array(32).fill(byte), prefix);

const NOBODY: RoleAnswers = {
  isCustodian: false,
  delegatesFor: [],
  isEthicsApprover: false,
  responderStatus: 'none',
  isAuthority: false,
  partner: null,
  isRegulator: false,
};

const kinds = (answers: Partial<RoleAnswers>): ViewKind[] => availableViews({ ...NOBODY, ...answers }).map((v) => v.kind);

describe('availableViews', () => {
  it('gives everyone Patient, Researcher and Auditor', () => {
    const views = availableViews(NOBODY);
    expect(views.map((v) => v.label)).toEqual(['Patient', 'Researcher', 'Auditor']);
    for (const v of views) expect(v.reason.length).toBeGreaterThan(20);
  });

  it('adds Custodian with its reason', () => {
    const views = availableViews({ ...NOBODY, isCustodian: true });
    expect(views.map((v) => v.kind)).toEqual(['patient', 'custodian', 'researcher', 'auditor']);
    expect(views[1]?.reason).toBe('registered custodian in consent_registry');
  });

  it('adds one Delegate view per patient, in order, without duplicates', () => {
    const [p1, p2] = [account(1), account(2)];
    const views = availableViews({ ...NOBODY, delegatesFor: [p1, p2, p1] });
    const delegates = views.filter((v) => v.kind === 'delegate');
    expect(delegates.map((v) => v.patient)).toEqual([p1, p2]);
    expect(delegates[0]?.label).toBe(`Delegate for ${p1.slice(0, 6)}…${p1.slice(-6)}`);
    expect(delegates[0]?.reason).toBe(`appointed delegate of patient ${p1} in consent_registry`);
    expect(views.map((v) => v.kind)).toEqual(['patient', 'delegate', 'delegate', 'researcher', 'auditor']);
  });

  it('adds Ethics approver and Authority', () => {
    expect(kinds({ isEthicsApprover: true })).toEqual(['patient', 'researcher', 'ethics-approver', 'auditor']);
    expect(kinds({ isAuthority: true })).toEqual(['patient', 'researcher', 'authority', 'auditor']);
  });

  it('adds Responder when active, marked suspended when suspended, nothing when none', () => {
    const active = availableViews({ ...NOBODY, responderStatus: 'active' }).find((v) => v.kind === 'responder');
    expect(active).toEqual({ kind: 'responder', label: 'Responder', reason: 'registered responder in break_glass' });
    const suspended = availableViews({ ...NOBODY, responderStatus: 'suspended' }).find((v) => v.kind === 'responder');
    expect(suspended?.suspended).toBe(true);
    expect(suspended?.label).toBe('Responder (suspended)');
    expect(suspended?.reason).toMatch(/suspended/);
    expect(kinds({ responderStatus: 'none' })).not.toContain('responder');
  });

  it('gives a dispenser the Pharmacist view', () => {
    const views = availableViews({ ...NOBODY, partner: { role: 'Dispenser', suspended: false } });
    const view = views.find((v) => v.kind === 'pharmacist');
    expect(view).toEqual({ kind: 'pharmacist', label: 'Pharmacist', reason: 'registered dispenser in pharma_ledger' });
    expect(views.some((v) => v.kind === 'trading-partner')).toBe(false);
  });

  it.each(['Manufacturer', 'Wholesaler', 'Repackager'] as const)('gives a %s the Trading partner view', (role) => {
    const view = availableViews({ ...NOBODY, partner: { role, suspended: false } }).find((v) => v.kind === 'trading-partner');
    expect(view?.label).toBe(`Trading partner (${role.toLowerCase()})`);
    expect(view?.reason).toBe(`registered ${role.toLowerCase()} in pharma_ledger`);
  });

  it('marks a suspended partner', () => {
    const view = availableViews({ ...NOBODY, partner: { role: 'Wholesaler', suspended: true } }).find(
      (v) => v.kind === 'trading-partner',
    );
    expect(view?.suspended).toBe(true);
    expect(view?.label).toBe('Trading partner (wholesaler) (suspended)');
    expect(view?.reason).toMatch(/suspended by the regulator/);
  });

  it('adds Regulator for the owner of pharma_ledger', () => {
    const views = availableViews({ ...NOBODY, isRegulator: true });
    expect(views.map((v) => v.kind)).toEqual(['patient', 'researcher', 'regulator', 'auditor']);
    expect(views[2]?.reason).toMatch(/owner of pharma_ledger/);
  });

  it('orders every view of an account holding every role', () => {
    const all: RoleAnswers = {
      isCustodian: true,
      delegatesFor: [account(5)],
      isEthicsApprover: true,
      responderStatus: 'active',
      isAuthority: true,
      partner: { role: 'Dispenser', suspended: false },
      isRegulator: true,
    };
    expect(availableViews(all).map((v) => v.kind)).toEqual([
      'patient',
      'delegate',
      'custodian',
      'researcher',
      'ethics-approver',
      'responder',
      'authority',
      'pharmacist',
      'regulator',
      'auditor',
    ]);
  });
});

describe('responderStatusOf', () => {
  it("reads break_glass.responder's answer", () => {
    expect(responderStatusOf(undefined)).toBe('none');
    expect(responderStatusOf(null)).toBe('none');
    expect(responderStatusOf({ status: 'Active' })).toBe('active');
    expect(responderStatusOf({ status: 'Suspended' })).toBe('suspended');
  });
});

describe('isSameAccount', () => {
  it('matches the same key under different SS58 prefixes and as hex', () => {
    expect(isSameAccount(account(7, 42), account(7, 0))).toBe(true);
    expect(isSameAccount(account(7), `0x${'07'.repeat(32)}`)).toBe(true);
    expect(isSameAccount(`0x${'AB'.repeat(32)}`, `0x${'ab'.repeat(32)}`)).toBe(true);
  });
  it('tells different accounts and non-addresses apart', () => {
    expect(isSameAccount(account(7), account(8))).toBe(false);
    expect(isSameAccount('alice', 'alice')).toBe(false);
    expect(isSameAccount(account(7).slice(0, -1) + 'x', account(7))).toBe(false);
  });
});
