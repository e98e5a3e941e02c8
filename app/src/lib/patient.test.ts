import { describe, expect, it } from 'vitest';
import {
  activeDelegation,
  count,
  auditQuery,
  basisText,
  disclosureSummary,
  disputable,
  emergenciesOf,
  eventText,
  parseConsentHistory,
  parseDisclosures,
  parseEmergencies,
  parseStudyId,
  periodState,
} from './patient';
import {
  categoryNames,
  purposeNames,
  disclosureKind,
  DISCLOSURE_LOOK,
  readableDetail,
  type DisclosureRow,
  type EmergencyRow,
} from './audit';

const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const CHARLIE = '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y';
const EVE = '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw';
/** Eve's account under the Polkadot prefix (0): the same account. */
const EVE_POLKADOT = '16D2eVuK5SWfwvtFD3gVdBC2nc2BafK31BY6PrbZHBAGew7L';
const BOB_HEX = '0x8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48';

describe('a delegation in force', () => {
  const delegations = [
    { delegate: CHARLIE, expiresAt: 1_000n },
    { delegate: EVE, expiresAt: 2_000n },
  ];
  it('finds the account among the delegates while its appointment runs', () => {
    expect(activeDelegation(delegations, EVE, 1_500n)).toEqual({ delegate: EVE, expiresAt: 2_000n });
    expect(activeDelegation(delegations, CHARLIE, 999n)?.expiresAt).toBe(1_000n);
  });
  it('ends at the expiry itself, as the contract does (now < expires_at)', () => {
    expect(activeDelegation(delegations, EVE, 2_000n)).toBeNull();
    expect(activeDelegation(delegations, CHARLIE, 1_000n)).toBeNull();
  });
  it('is nobody else’s, and knows an account under another prefix', () => {
    expect(activeDelegation(delegations, BOB, 10n)).toBeNull();
    expect(activeDelegation([], EVE, 10n)).toBeNull();
    expect(activeDelegation(delegations, EVE_POLKADOT, 10n)?.delegate).toBe(EVE);
    expect(activeDelegation(delegations, 'not an address', 10n)).toBeNull();
  });
});

describe('period states', () => {
  it('is half open: [from, until)', () => {
    expect(periodState(10n, 20n, 9n)).toBe('not yet in force');
    expect(periodState(10n, 20n, 10n)).toBe('in force');
    expect(periodState(10n, 20n, 19n)).toBe('in force');
    expect(periodState(10n, 20n, 20n)).toBe('ended');
  });
});

const row = (over: Partial<DisclosureRow>): DisclosureRow => ({
  time: '2026-12-05T20:00:22.168Z',
  block: 19,
  extrinsic: 1,
  accessor: CHARLIE,
  custodian: EVE,
  categories: 'LAB_RESULTS',
  purpose: 'TREAT',
  decision: 'permitted',
  basis: 'consent #1',
  emergency: false,
  ...over,
});

describe('the accounting of disclosures', () => {
  it('marks refused attempts first, then emergency accesses', () => {
    expect(disclosureKind(row({}))).toBe('permitted');
    expect(disclosureKind(row({ decision: 'denied', basis: 'no consent' }))).toBe('refused');
    expect(disclosureKind(row({ decision: 'denied', basis: 'deny rule #2' }))).toBe('refused');
    expect(disclosureKind(row({ emergency: true, basis: 'emergency grant #4', purpose: 'ETREAT' }))).toBe('emergency');
    // An emergency attempt that was refused is a refusal.
    expect(disclosureKind(row({ emergency: true, decision: 'denied', basis: 'no emergency grant' }))).toBe('refused');
    // The basis alone says emergency too.
    expect(disclosureKind(row({ basis: 'emergency grant #1' }))).toBe('emergency');
  });
  it('gives each kind a class and a word (never colour alone)', () => {
    expect(DISCLOSURE_LOOK.refused).toEqual({ className: 'alert', words: 'Refused: the access was denied' });
    expect(DISCLOSURE_LOOK.emergency).toEqual({ className: 'emergency', words: 'Emergency access (break-glass)' });
    expect(DISCLOSURE_LOOK.permitted.words).toBe('Permitted');
  });
  it('counts what needs the patient’s eye', () => {
    const rows = [row({}), row({ decision: 'denied', basis: 'no consent' }), row({ emergency: true, basis: 'emergency grant #1' })];
    expect(disclosureSummary(rows)).toEqual({ total: 3, refused: 1, emergency: 1 });
    expect(disclosureSummary([])).toEqual({ total: 0, refused: 0, emergency: 0 });
  });
  it('accepts the API’s rows and refuses anything else, in words', () => {
    const ok = parseDisclosures([row({}), row({ extrinsic: null })]);
    expect(ok.ok && ok.rows.length).toBe(2);
    expect(parseDisclosures([])).toEqual({ ok: true, rows: [] });
    expect(parseDisclosures({ error: 'busy; try again' })).toEqual({ ok: false, error: "The audit API's accounting of disclosures is not a list of rows" });
    expect(parseDisclosures([row({ decision: 'maybe' as never })])).toEqual({
      ok: false,
      error: 'Row 1 of the accounting of disclosures has no valid decision',
    });
    expect(parseDisclosures([row({}), 3])).toEqual({ ok: false, error: 'Row 2 of the accounting of disclosures is not an object' });
  });
  it('writes categories, purposes and bases in words', () => {
    expect(categoryNames('LAB_RESULTS|IMAGING')).toBe('Lab results, Imaging');
    expect(categoryNames('MENTAL_HEALTH|0x4000')).toBe('Mental health, 0x4000');
    expect(categoryNames('')).toBe('none');
    expect(purposeNames('TREAT')).toBe('Treatment');
    expect(purposeNames('ETREAT|HRESCH')).toBe('Emergency treatment, Research');
    expect(purposeNames('XYZ')).toBe('XYZ');
    expect(basisText('consent #3')).toBe('consent #3');
    expect(basisText('break_glass not wired')).toBe('emergency access is not set up on this deployment');
  });
});

describe('the consent history', () => {
  const names = (a: string) => (a === CHARLIE ? 'Charlie' : a === BOB ? 'you' : a.slice(0, 6));
  it('reads the rows', () => {
    const r = { time: '2026-12-05T20:00:22.168Z', block: 19, extrinsic: 1, event: 'ConsentGranted', by: BOB, detail: 'x' };
    expect(parseConsentHistory([r])).toEqual({ ok: true, rows: [r] });
    expect(parseConsentHistory([{ ...r, by: 3 }])).toEqual({ ok: false, error: 'Row 1 of the consent history has no valid by' });
  });
  it('puts details in words: names, short hashes, categories, purposes, times', () => {
    const detail = `consent #1 to ${CHARLIE}: LAB_RESULTS|IMAGING for TREAT|HRESCH, 2026-12-05T20:00:22.108Z .. 2027-12-05T20:00:22.108Z, form 0x23a871fbab5ecb104335b517444cdd20556f9f054af523652c033d943588b9e0`;
    expect(readableDetail(detail, names)).toBe(
      'consent #1 to Charlie: Lab results, Imaging for Treatment, Research, 2026-12-05 20:00 UTC .. 2027-12-05 20:00 UTC, form 0x23a871…b9e0',
    );
    expect(readableDetail(`delegate ${CHARLIE} removed`, names)).toBe('delegate Charlie removed');
    expect(readableDetail('deny rule #2 lifted', names)).toBe('deny rule #2 lifted');
    // Capitalised words that are neither categories nor purposes stay.
    expect(readableDetail('FALSIFICATION ALERT: X', names)).toBe('FALSIFICATION ALERT: X');
    expect(eventText('ConsentGranted')).toBe('Consent granted');
    expect(eventText('DenyRuleAdded')).toBe('Deny rule added');
  });
});

describe('emergency grants the patient may dispute', () => {
  const grant = (over: Partial<EmergencyRow>): EmergencyRow => ({
    grant: 1,
    opened: '2026-12-05T20:00:22.168Z',
    block: 30,
    patient: BOB,
    responder: CHARLIE,
    categories: 'EMERGENCY_SUMMARY',
    expires: '2026-12-06T00:00:22.168Z',
    review_due: '2026-12-12T20:00:22.168Z',
    review: 'justified',
    overdue: false,
    ended: null,
    ...over,
  });
  const rows = [
    grant({ grant: 1 }),
    grant({ grant: 2, review: 'pending' }),
    grant({ grant: 3, review: 'unjustified' }),
    grant({ grant: 4, patient: EVE }),
    grant({ grant: 5, review: 'disputed' }),
    grant({ grant: 6, patient: BOB_HEX }),
  ];
  it('are the patient’s grants reviewed as justified', () => {
    expect(disputable(rows, BOB).map((r) => r.grant)).toEqual([1, 6]);
    expect(disputable(rows, EVE).map((r) => r.grant)).toEqual([4]);
    expect(disputable(rows, CHARLIE)).toEqual([]);
  });
  it('lists the patient’s grants newest first', () => {
    expect(emergenciesOf(rows, BOB).map((r) => r.grant)).toEqual([6, 5, 3, 2, 1]);
  });
  it('checks the rows', () => {
    expect(parseEmergencies(rows).ok).toBe(true);
    expect(parseEmergencies([{ ...grant({}), review: 'maybe' }])).toEqual({ ok: false, error: 'Row 1 of the emergency grants has no valid review' });
    expect(parseEmergencies([{ ...grant({}), ended: 5 }]).ok).toBe(false);
  });
});

describe('small inputs', () => {
  it('builds the audit queries with the account encoded', () => {
    expect(auditQuery('http://127.0.0.1:8477', 'disclosures', BOB)).toBe(`http://127.0.0.1:8477/v1/disclosures?patient=${BOB}`);
    expect(auditQuery('https://audit.example/api', 'consents', 'a b')).toBe('https://audit.example/api/v1/consents?patient=a%20b');
  });
  it('reads study numbers', () => {
    expect(parseStudyId('12')).toBe(12n);
    expect(parseStudyId(' 7 ')).toBe(7n);
    expect(parseStudyId('0')).toBeNull();
    expect(parseStudyId('-1')).toBeNull();
    expect(parseStudyId('1.5')).toBeNull();
    expect(parseStudyId('')).toBeNull();
    expect(parseStudyId('18446744073709551616')).toBeNull();
    expect(parseStudyId('18446744073709551615')).toBe(18446744073709551615n);
  });
});

describe('counts in words', () => {
  it('says one or many', () => {
    expect(count(1, 'consent')).toBe('1 consent');
    expect(count(0, 'consent')).toBe('0 consents');
    expect(count(2n, 'deny rule')).toBe('2 deny rules');
    expect(count(1n, 'access', 'accesses')).toBe('1 access');
    expect(count(3, 'access', 'accesses')).toBe('3 accesses');
  });
});
