/**
 * The audit API (docs/audit-api.md) as the auditor's view reads it: URLs, pages (`Link:
 * <…>; rel="next"`, `X-Total-Count`), errors in words (the API's own `{"error"}` text), and the
 * rows in words. The fetch is passed in, so all of it runs under test without a server.
 */
import { CATEGORIES, PURPOSES, formatTime, shortHex } from './format';
import type { CsvColumn } from './csv';

/** `/v1/disclosures` rows. */
export interface DisclosureRow {
  time: string;
  block: number;
  extrinsic: number | null;
  accessor: string;
  custodian: string;
  categories: string;
  /** An HL7 PurposeOfUse code: `TREAT`. */
  purpose: string;
  decision: 'permitted' | 'denied';
  basis: string;
  emergency: boolean;
}

/** `/v1/emergency` rows. */
export interface EmergencyRow {
  grant: number;
  opened: string;
  block: number;
  patient: string;
  responder: string;
  categories: string;
  expires: string;
  review_due: string;
  review: 'pending' | 'disputed' | 'justified' | 'unjustified';
  overdue: boolean;
  ended: string | null;
}

/** `/v1/consents`, `/v1/packs/…` and `/v1/records/…` rows. */
export interface HistoryRow {
  time: string;
  block: number;
  extrinsic: number | null;
  event: string;
  by: string;
  detail: string;
}

/** A URL of the API: `base` + `path`, with the arguments that are set. */
export function auditUrl(base: string, path: string, params: Readonly<Record<string, string | undefined>> = {}): string {
  const url = new URL(`${base.replace(/\/+$/, '')}${path}`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  return url.href;
}

/**
 * A day picked in a date input (`2026-03-01`, a UTC day) as the audit API's inclusive bounds in
 * ms since the epoch: its first millisecond (`since`) or its last (`until`); undefined when empty
 * or not a date.
 */
export function dayBound(date: string, end: 'since' | 'until'): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (!Number.isFinite(start)) return undefined;
  return String(end === 'since' ? start : start + 86_400_000 - 1);
}

/** The `rel="next"` target of a `Link` header, resolved against `base`; null without one. */
export function nextLink(link: string | null, base: string): string | null {
  if (!link) return null;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*((?:;[^;]*)*)$/.exec(part);
    if (!m) continue;
    const rels = [...(m[2] ?? '').matchAll(/;\s*rel\s*=\s*"?([^";]+)"?/gi)].flatMap((r) => (r[1] ?? '').toLowerCase().split(/\s+/));
    if (rels.includes('next')) {
      try {
        return new URL(m[1] ?? '', base).href;
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** What a refused request said, in words: the API's `{"error"}`, else the status. */
export function auditRefusal(status: number, body: string): string {
  let said: string | null = null;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed && typeof parsed === 'object' && typeof (parsed as { error?: unknown }).error === 'string') {
      said = (parsed as { error: string }).error;
    }
  } catch {
    said = null;
  }
  const what =
    status === 400
      ? 'The audit API refused the question'
      : status === 404
        ? 'The audit API has no such endpoint'
        : status === 503
          ? 'The audit API is busy'
          : status >= 500
            ? 'The audit API could not answer'
            : 'The audit API refused the request';
  return `${what} (HTTP ${status})${said ? `: ${said}` : ''}`;
}

export type AuditFetch = (url: string, init: RequestInit) => Promise<Response>;

export type AuditPage<Row> =
  | { ok: true; rows: Row[]; total: number | null; next: string | null }
  | { ok: false; words: string };

/** Fetches one page: no credentials, no cookies, no referrer; errors in words, never thrown. */
export async function fetchAuditPage<Row>(url: string, fetchFn: AuditFetch = fetch): Promise<AuditPage<Row>> {
  let response: Response;
  try {
    response = await fetchFn(url, { credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer', headers: { Accept: 'application/json' } });
  } catch (e) {
    return { ok: false, words: `The audit API at ${new URL(url).origin} could not be reached (${e instanceof Error ? e.message : String(e)}): is it running?` };
  }
  const body = await response.text().catch(() => '');
  if (!response.ok) return { ok: false, words: auditRefusal(response.status, body) };
  let rows: unknown;
  try {
    rows = JSON.parse(body);
  } catch {
    return { ok: false, words: 'The audit API answered something that is not JSON' };
  }
  if (!Array.isArray(rows)) return { ok: false, words: 'The audit API answered something that is not a list of rows' };
  const totalHeader = response.headers.get('X-Total-Count');
  const total = totalHeader !== null && /^\d+$/.test(totalHeader) ? Number(totalHeader) : null;
  return { ok: true, rows: rows as Row[], total, next: nextLink(response.headers.get('Link'), url) };
}

/** Fetches a FHIR Bundle (or any JSON document): its text as the API sent it, or the words. */
export async function fetchAuditDocument(url: string, fetchFn: AuditFetch = fetch): Promise<{ ok: true; text: string; json: unknown } | { ok: false; words: string }> {
  let response: Response;
  try {
    response = await fetchFn(url, { credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer', headers: { Accept: 'application/fhir+json' } });
  } catch (e) {
    return { ok: false, words: `The audit API at ${new URL(url).origin} could not be reached (${e instanceof Error ? e.message : String(e)}): is it running?` };
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) return { ok: false, words: auditRefusal(response.status, text) };
  try {
    return { ok: true, text, json: JSON.parse(text) };
  } catch {
    return { ok: false, words: 'The audit API answered something that is not JSON' };
  }
}

// ---------------------------------------------------------------------------------------------
// Rows in words

/** `LAB_RESULTS|IMAGING` → `Lab results, Imaging` (unknown names as they are). */
export function categoryNames(names: string): string {
  const parts = names.split('|').filter((n) => n !== '');
  if (parts.length === 0) return 'none';
  return parts.map((n) => CATEGORIES.find((c) => c.key === n)?.label ?? n).join(', ');
}

/** `TREAT` → `Treatment (TREAT)`. */
export function purposeCode(code: string): string {
  const p = PURPOSES.find((x) => x.code === code);
  return p ? `${p.label} (${code})` : code;
}

/** `TREAT` → "Treatment"; `TREAT|HRESCH` → "Treatment, Research" (unknown codes kept). */
export function purposeNames(code: string): string {
  return code
    .split('|')
    .filter((c) => c !== '')
    .map((c) => PURPOSES.find((p) => p.code === c)?.label ?? c)
    .join(', ');
}

/** `2026-01-01T00:00:00.000Z` → `2026-01-01 00:00 UTC`. */
export function auditTime(t: string | null): string {
  if (!t) return '—';
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? formatTime(ms) : t;
}

const SS58 = /\b[1-9A-HJ-NP-Za-km-z]{46,48}\b/g;
const HASH = /\b0x[0-9a-fA-F]{64}\b/g;
const CATEGORY_LIST = /\b[A-Z_]+(?:\|[A-Z_]+)*\b/g;
const RFC3339 = /\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\b/g;

/**
 * An indexer's detail text as people read it: accounts by name (`nameOf`: "Dave", "you", a short
 * form), hashes short, category constants and purpose codes by their names, times as the app
 * writes them. "consent #1 to 5FLS…: LAB_RESULTS for TREAT, 2026-…Z .. 2027-…Z, form 0x23a8…"
 * → "consent #1 to Charlie: Lab results for Treatment, 2026-12-05 20:00 UTC .. …, form 0x23a871…b9e0".
 */
export function readableDetail(detail: string, nameOf: (address: string) => string): string {
  return detail
    .replace(HASH, (h) => shortHex(h))
    .replace(SS58, (a) => nameOf(a))
    .replace(RFC3339, (t) => auditTime(t))
    .replace(CATEGORY_LIST, (token) => {
      const parts = token.split('|');
      if (parts.every((p) => CATEGORIES.some((c) => c.key === p))) return categoryNames(token);
      if (parts.every((p) => PURPOSES.some((x) => x.code === p))) return purposeNames(token);
      return token;
    });
}

/** What a disclosure row was: a refused attempt, an access on an emergency grant, or on a consent. */
export type DisclosureKind = 'refused' | 'emergency' | 'permitted';

/**
 * A refused attempt (decision denied) first — an emergency attempt that was refused is a
 * refusal — then an access on an emergency grant, else an access on a consent.
 */
export function disclosureKind(row: Pick<DisclosureRow, 'decision' | 'emergency' | 'basis'>): DisclosureKind {
  if (row.decision !== 'permitted') return 'refused';
  if (row.emergency || /^emergency grant/.test(row.basis)) return 'emergency';
  return 'permitted';
}

/** The row's class (styles.css) and the words said in the row, so colour is never alone. */
export const DISCLOSURE_LOOK: Readonly<Record<DisclosureKind, { className: 'alert' | 'emergency' | ''; words: string }>> = {
  refused: { className: 'alert', words: 'Refused: the access was denied' },
  emergency: { className: 'emergency', words: 'Emergency access (break-glass)' },
  permitted: { className: '', words: 'Permitted' },
};

/** An emergency grant's state in words. */
export function emergencyState(row: EmergencyRow): string {
  const review =
    row.review === 'pending'
      ? 'review pending'
      : row.review === 'disputed'
        ? 'disputed by the patient'
        : row.review === 'justified'
          ? 'reviewed: justified'
          : row.review === 'unjustified'
            ? 'reviewed: unjustified'
            : row.review;
  const ended = row.ended ? `ended ${auditTime(row.ended)}` : 'still open';
  return `${row.overdue ? 'OVERDUE: review is late; ' : ''}${review}; ${ended}`;
}

/** The columns of a disclosures CSV: every field of the API's rows, the decision in words too. */
export const DISCLOSURE_CSV: readonly CsvColumn<DisclosureRow>[] = [
  { header: 'time', value: (r) => r.time },
  { header: 'block', value: (r) => r.block },
  { header: 'extrinsic', value: (r) => r.extrinsic },
  { header: 'accessor', value: (r) => r.accessor },
  { header: 'custodian', value: (r) => r.custodian },
  { header: 'categories', value: (r) => r.categories },
  { header: 'purpose', value: (r) => r.purpose },
  { header: 'decision', value: (r) => r.decision },
  { header: 'basis', value: (r) => r.basis },
  { header: 'emergency', value: (r) => r.emergency },
];
