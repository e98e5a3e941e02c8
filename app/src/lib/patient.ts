/**
 * The patient view's pure logic: whether a delegation is still in force, the audit API's rows
 * (the accounting of disclosures, the consent history, the emergency grants) checked and put
 * in words, and which rows need the patient's eye (refused attempts, emergency accesses).
 */
import { disclosureKind, type DisclosureRow, type EmergencyRow, type HistoryRow } from './audit';
import { isSameAccount } from './roles';

// ----- delegation -------------------------------------------------------------------------

export interface DelegationLike {
  /** The delegate's address (SS58). */
  delegate: string;
  /** Chain time (ms) the appointment ends. */
  expiresAt: bigint;
}

/**
 * `account`'s delegation among a patient's, if it is still in force at `now` (the contract's
 * rule: `now < expires_at`); null when the account is not a delegate or its appointment ended.
 */
export function activeDelegation<D extends DelegationLike>(delegations: readonly D[], account: string, now: bigint): D | null {
  return delegations.find((d) => isSameAccount(d.delegate, account) && now < d.expiresAt) ?? null;
}

/** A period's state at `now`: the contracts' half-open `[from, until)`. */
export function periodState(from: bigint, until: bigint, now: bigint): 'not yet in force' | 'in force' | 'ended' {
  if (now < from) return 'not yet in force';
  if (now >= until) return 'ended';
  return 'in force';
}

// ----- the audit API's rows ---------------------------------------------------------------

type Parsed<T> = { ok: true; rows: T[] } | { ok: false; error: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isExtrinsic = (v: unknown): v is number | null => v === null || isNumber(v);

/** Checks an answer is an array of rows whose fields have the types `shape` names. */
function parseRows<T>(json: unknown, what: string, shape: Record<string, (v: unknown) => boolean>): Parsed<T> {
  if (!Array.isArray(json)) return { ok: false, error: `The audit API's ${what} is not a list of rows` };
  for (const [i, row] of json.entries()) {
    if (!isObject(row)) return { ok: false, error: `Row ${i + 1} of the ${what} is not an object` };
    for (const [field, check] of Object.entries(shape)) {
      if (!check(row[field])) return { ok: false, error: `Row ${i + 1} of the ${what} has no valid ${field}` };
    }
  }
  return { ok: true, rows: json as T[] };
}

export function parseDisclosures(json: unknown): Parsed<DisclosureRow> {
  return parseRows(json, 'accounting of disclosures', {
    time: isString,
    block: isNumber,
    extrinsic: isExtrinsic,
    accessor: isString,
    custodian: isString,
    categories: isString,
    purpose: isString,
    decision: (v) => v === 'permitted' || v === 'denied',
    basis: isString,
    emergency: isBoolean,
  });
}

export function parseConsentHistory(json: unknown): Parsed<HistoryRow> {
  return parseRows(json, 'consent history', {
    time: isString,
    block: isNumber,
    extrinsic: isExtrinsic,
    event: isString,
    by: isString,
    detail: isString,
  });
}

export function parseEmergencies(json: unknown): Parsed<EmergencyRow> {
  return parseRows(json, 'emergency grants', {
    grant: isNumber,
    opened: isString,
    block: isNumber,
    patient: isString,
    responder: isString,
    categories: isString,
    expires: isString,
    review_due: isString,
    review: (v) => v === 'pending' || v === 'disputed' || v === 'justified' || v === 'unjustified',
    overdue: isBoolean,
    ended: (v) => v === null || isString(v),
  });
}

/** How many rows need the patient's eye. */
export function disclosureSummary(rows: readonly Pick<DisclosureRow, 'decision' | 'emergency' | 'basis'>[]): {
  total: number;
  refused: number;
  emergency: number;
} {
  let refused = 0;
  let emergency = 0;
  for (const r of rows) {
    const k = disclosureKind(r);
    if (k === 'refused') refused++;
    if (k === 'emergency') emergency++;
  }
  return { total: rows.length, refused, emergency };
}

/** The basis of a decision in words: "consent #3", "deny rule #2", "no consent". */
export function basisText(basis: string): string {
  if (basis === 'break_glass not wired') return 'emergency access is not set up on this deployment';
  if (basis === 'break_glass unavailable') return 'the emergency access contract could not be asked';
  return basis;
}

/** "ConsentGranted" → "Consent granted". */
export function eventText(event: string): string {
  const words = event.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The emergency grants on `patient` whose review said "justified": the ones the patient may
 * dispute (the chain has the last word: a grant is disputed once).
 */
export function disputable(rows: readonly EmergencyRow[], patient: string): EmergencyRow[] {
  return rows.filter((r) => r.review === 'justified' && isSameAccount(r.patient, patient));
}

/** The emergency grants on `patient`, newest first. */
export function emergenciesOf(rows: readonly EmergencyRow[], patient: string): EmergencyRow[] {
  return rows.filter((r) => isSameAccount(r.patient, patient)).sort((a, b) => b.grant - a.grant);
}

/** The audit API's URL for one of its queries, the patient's account as an argument. */
export function auditQuery(auditUrl: string, path: 'disclosures' | 'consents', patient: string): string {
  return `${auditUrl}/v1/${path}?patient=${encodeURIComponent(patient)}`;
}

/** A study number as typed: a whole number from 1, or null. */
export function parseStudyId(text: string): bigint | null {
  const t = text.trim();
  if (!/^[0-9]{1,20}$/.test(t)) return null;
  const n = BigInt(t);
  return n >= 1n && n < 2n ** 64n ? n : null;
}

/** "1 consent", "2 consents", "0 consents"; `many` for irregular plurals ("1 access", "3 accesses"). */
export function count(n: number | bigint, one: string, many = `${one}s`): string {
  return `${n.toString()} ${n.toString() === '1' ? one : many}`;
}
