import { describe, expect, it } from 'vitest';
import {
  bytesText,
  DECOMMISSION_REASONS,
  expiryFromDate,
  expiryWords,
  gtinHex,
  gtinText,
  holdingWords,
  packActions,
  randomSerials,
  readGtin,
  readLot,
  readSerials,
  revokedHoldings,
  transitionFromEvents,
  transitionWords,
  verificationWords,
  type PackFacts,
} from './pharma';
import { gs1CheckDigit } from './gs1';
import type { PharmaLedgerDataVerification } from '../contracts/types/pharma-ledger';

const clean: PharmaLedgerDataVerification = {
  verified: true,
  status: 'Active',
  custodianRole: 'Dispenser',
  expired: false,
  recalled: false,
  withdrawn: false,
  suspect: false,
  illegitimate: false,
  decommissioned: false,
};

describe('verification in words', () => {
  it('calls a clean match genuine and says every flag is clear', () => {
    const w = verificationWords(clean);
    expect(w.verdict).toBe('genuine');
    expect(w.headline).toMatch(/^Genuine: .*in the supply chain \(active\)/);
    expect(w.flags.map((f) => f.key)).toEqual(['expired', 'recalled', 'withdrawn', 'suspect', 'illegitimate', 'decommissioned']);
    expect(w.flags.every((f) => !f.set)).toBe(true);
    expect(w.flags.map((f) => f.words)).toContain('Not recalled.');
  });

  it('says why a code matches nothing', () => {
    const none = { ...clean, verified: false, status: undefined, custodianRole: undefined };
    expect(verificationWords({ ...none, noMatch: 'UnknownSerial' }).headline).toMatch(/^No match — do not supply: .*no pack with this serial number/);
    expect(verificationWords({ ...none, noMatch: 'UnknownProduct' }).headline).toMatch(/product is unknown/);
    expect(verificationWords({ ...none, noMatch: 'LotMismatch' }).headline).toMatch(/another batch\/lot/);
    expect(verificationWords({ ...none, noMatch: 'ExpiryMismatch' }).headline).toMatch(/another expiry date/);
    expect(verificationWords({ ...none, noMatch: 'InvalidIdentifier' }).headline).toMatch(/not well-formed/);
    expect(verificationWords({ ...none, noMatch: 'UnknownSerial' }).verdict).toBe('no-match');
  });

  it('names the flags that forbid supplying a matching pack', () => {
    const w = verificationWords({ ...clean, recalled: true });
    expect(w.verdict).toBe('do-not-supply');
    expect(w.headline).toBe('The code matches a commissioned pack, but do not supply it: it is recalled.');
    expect(w.flags.find((f) => f.key === 'recalled')?.words).toMatch(/^Recalled: /);
    const many = verificationWords({ ...clean, status: 'Dispensed', expired: true, suspect: true, decommissioned: true });
    expect(many.headline).toBe('The code matches a commissioned pack, but do not supply it: it is expired, suspect and already decommissioned.');
    expect(many.flags.find((f) => f.key === 'decommissioned')?.words).toMatch(/dispensed to a patient/);
    expect(verificationWords({ ...clean, withdrawn: true }).flags.find((f) => f.key === 'withdrawn')?.words).toMatch(/revoked/);
    expect(verificationWords({ ...clean, illegitimate: true }).headline).toMatch(/illegitimate/);
  });
});

describe('transitions in words', () => {
  it('says the new state or the alert', () => {
    expect(transitionWords({ type: 'To', value: 'Dispensed' })).toBe('The pack is now dispensed to a patient.');
    expect(transitionWords({ type: 'To', value: 'Active' })).toBe('The pack is now in the supply chain (active).');
    expect(transitionWords({ type: 'Alert' })).toMatch(/^Falsification alert recorded: .*nothing changed/);
  });

  it('reads the transition from the events', () => {
    expect(transitionFromEvents([{ name: 'PackStatusChanged', data: { from: 'Active', to: 'Dispensed' } }])).toEqual({ type: 'To', value: 'Dispensed' });
    expect(transitionFromEvents([{ name: 'FalsificationAlert', data: {} }])).toEqual({ type: 'Alert' });
    expect(transitionFromEvents([{ name: 'Transfer', data: {} }])).toBeNull();
    expect(transitionFromEvents([])).toBeNull();
  });

  it('has words for every decommission reason', () => {
    expect(DECOMMISSION_REASONS.map((r) => r.reason)).toEqual(['Destroyed', 'Stolen', 'Exported', 'Sample', 'FreeSample', 'Locked']);
    for (const r of DECOMMISSION_REASONS) expect(r.hint.length).toBeGreaterThan(10);
  });
});

describe('GTIN holdings', () => {
  it('lists the revoked holdings from the bits', () => {
    expect(revokedHoldings(0n, 3)).toEqual([]);
    expect(revokedHoldings(0b101n, 3)).toEqual([1, 3]);
    expect(revokedHoldings(1n << 63n, 64)).toEqual([64]);
    expect(holdingWords(1, 0n)).toBe('holding 1 (in force)');
    expect(holdingWords(3, 0b101n)).toBe('holding 3 (revoked); earlier holding 1 revoked');
    expect(holdingWords(3, 0b011n)).toBe('holding 3 (in force); earlier holdings 1, 2 revoked');
  });
});

describe('codes as the contract takes and gives them', () => {
  it('writes a GTIN as the hex of its ASCII digits and reads it back', () => {
    expect(gtinHex('09506000134352')).toBe('0x3039353036303030313334333532');
    expect(gtinText('0x3039353036303030313334333532')).toBe('09506000134352');
    expect(bytesText(new TextEncoder().encode('LOT42'))).toBe('LOT42');
    expect(bytesText('0x4c4f543432')).toBe('LOT42');
  });

  it('reads typed GTINs, padding short ones and naming a bad check digit', () => {
    expect(readGtin('09506000134352')).toEqual({ ok: true, gtin: '09506000134352' });
    expect(readGtin('9506000134352')).toEqual({ ok: true, gtin: '09506000134352' });
    expect(readGtin('09506000134353')).toEqual({ ok: false, error: 'GTIN 09506000134353: check digit is 3, expected 2' });
    expect(readGtin('')).toEqual({ ok: false, error: 'Enter a GTIN (14 digits)' });
    expect(readLot('LOT 1')).toMatchObject({ ok: false });
    expect(readLot(' LOT1 ')).toEqual({ ok: true, lot: 'LOT1' });
  });

  it('writes expiry dates as AI 17 and in words', () => {
    expect(expiryFromDate('2028-12-31')).toBe('281231');
    expect(expiryFromDate('')).toBeNull();
    expect(expiryWords('281231')).toBe('31 December 2028');
    expect(expiryWords(281200)).toBe('end of December 2028');
    expect(expiryWords(50101)).toBe('1 January 2005');
  });

  it('reads serials one per line and names bad and repeated ones', () => {
    expect(readSerials('A1\nA2, A3\n\n')).toEqual({ serials: ['A1', 'A2', 'A3'], problems: [] });
    const r = readSerials('A1\nA#2\nA1');
    expect(r.problems).toHaveLength(2);
    expect(r.problems[0]).toMatch(/^Serial 2: .*"#"/);
    expect(r.problems[1]).toBe('Serial 3: A1 appears twice');
  });

  it('makes distinct random serials from the random source', () => {
    let n = 0;
    const counter = (len: number) => Uint8Array.from({ length: len }, () => n++ % 256);
    const s = randomSerials(5, 12, counter);
    expect(s).toHaveLength(5);
    expect(new Set(s).size).toBe(5);
    for (const x of s) expect(x).toMatch(/^[2-9A-HJ-NP-Z]{12}$/);
    expect(randomSerials(1, 40, counter)[0]).toHaveLength(20);
  });

  it('agrees with gs1 on check digits', () => {
    expect(gs1CheckDigit('0950600013435')).toBe(2);
  });
});

describe('which actions make sense', () => {
  const same = (a: string, b: string) => a === b;
  const base: PackFacts = { status: 'Active', custodian: 'eve', lastActor: 'dave', lastChangeAt: 0n, suspect: false, illegitimate: false };
  const now = 1_000n;

  it('lets the custodian pharmacist dispense, decommission, ship and flag an active pack', () => {
    expect(packActions(base, 'eve', 'Dispenser', now, same)).toEqual({
      dispense: true,
      decommission: true,
      undo: false,
      flagSuspect: true,
      receive: false,
      ship: true,
      cancel: false,
    });
  });

  it('lets only dispensers dispense, and only what they hold', () => {
    expect(packActions(base, 'eve', 'Wholesaler', now, same).dispense).toBe(false);
    expect(packActions(base, 'frank', 'Dispenser', now, same)).toMatchObject({ dispense: false, decommission: false, ship: false, flagSuspect: true });
  });

  it('offers dispensing a dispensed pack again (it records an alert) and its undo within 10 days', () => {
    const dispensed = { ...base, status: 'Dispensed' as const, lastActor: 'eve', lastChangeAt: 0n };
    expect(packActions(dispensed, 'eve', 'Dispenser', now, same)).toMatchObject({ dispense: true, decommission: false, undo: true, ship: false });
    expect(packActions(dispensed, 'eve', 'Dispenser', 10n * 86_400_000n, same).undo).toBe(false);
    expect(packActions({ ...dispensed, lastActor: 'dave' }, 'eve', 'Dispenser', now, same).undo).toBe(false);
    expect(packActions({ ...dispensed, status: 'Destroyed' }, 'eve', 'Dispenser', now, same).undo).toBe(false);
  });

  it('offers receiving to the recipient and cancelling to the sender of a pack in transit', () => {
    const transit = { ...base, status: 'InTransit' as const, custodian: 'dave', transitTo: 'eve' };
    expect(packActions(transit, 'eve', 'Dispenser', now, same)).toMatchObject({ receive: true, cancel: false, dispense: false });
    expect(packActions(transit, 'dave', 'Wholesaler', now, same)).toMatchObject({ receive: false, cancel: true, ship: false });
  });

  it('offers nothing on an illegitimate pack, and no second flag on a suspect one', () => {
    const all = packActions({ ...base, illegitimate: true }, 'eve', 'Dispenser', now, same);
    expect(Object.values(all).some(Boolean)).toBe(false);
    expect(packActions({ ...base, suspect: true }, 'eve', 'Dispenser', now, same).flagSuspect).toBe(false);
  });
});
