/**
 * Research studies in words, and how to list them without a list query: study ids are handed
 * out 1, 2, 3 … and never removed, so the newest id is found by probing (doubling, then
 * halving) and the newest studies are read from it downwards.
 */
import { formatTime } from './format';

export type StudyStatusValue =
  | { type: 'Proposed' }
  | { type: 'Approved'; value: [unknown, unknown, bigint] }
  | { type: 'Suspended'; value: [unknown, bigint] };

export interface StudyLike {
  endsAt: bigint;
  status: StudyStatusValue;
}

/** The account in a status value (dedot AccountId32 or SS58 text). */
function accountOf(v: unknown): string {
  if (v && typeof v === 'object' && 'address' in v && typeof (v as { address: unknown }).address === 'function') {
    return (v as { address: () => string }).address();
  }
  return String(v);
}

export type StudyState = 'proposed' | 'approved' | 'suspended' | 'ended';

export function studyState(s: StudyLike, now: bigint): StudyState {
  if (now >= s.endsAt) return 'ended';
  return s.status.type === 'Approved' ? 'approved' : s.status.type === 'Suspended' ? 'suspended' : 'proposed';
}

/** "approved by Ferdie on 2026-12-05 12:00 UTC", "proposed: awaiting an ethics approver", … */
export function studyStatusText(s: StudyLike, now: bigint, nameOf: (address: string) => string = (a) => a): string {
  const ended = now >= s.endsAt ? `ended ${formatTime(s.endsAt)}; ` : '';
  switch (s.status.type) {
    case 'Proposed':
      return `${ended}proposed: awaiting an ethics approver`;
    case 'Approved':
      return `${ended}approved by ${nameOf(accountOf(s.status.value[0]))} on ${formatTime(s.status.value[2])}`;
    case 'Suspended':
      return `${ended}suspended by ${nameOf(accountOf(s.status.value[0]))} on ${formatTime(s.status.value[1])}`;
  }
}

/**
 * The highest id n ≥ 0 such that ids 1..n all exist (0: none), given that ids exist from 1 up
 * without gaps. Asks `exists` about O(log n) ids; at most `cap` is reported.
 */
export async function lastId(exists: (id: bigint) => Promise<boolean>, cap = 2n ** 32n): Promise<bigint> {
  if (!(await exists(1n))) return 0n;
  let lo = 1n; // exists
  let hi = 2n; // to probe
  while (hi <= cap && (await exists(hi))) {
    lo = hi;
    hi *= 2n;
  }
  if (hi > cap) return lo;
  // lo exists, hi does not.
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (await exists(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Ids last, last-1, … down to 1, at most `count` of them: newest first. */
export function newestIds(last: bigint, count: number): bigint[] {
  const out: bigint[] = [];
  for (let id = last; id >= 1n && out.length < count; id--) out.push(id);
  return out;
}

/** A study number typed by a person: a whole number from 1; null otherwise. */
export function parseId(text: string): bigint | null {
  const t = text.trim().replace(/^#/, '');
  if (!/^[0-9]{1,19}$/.test(t)) return null;
  const n = BigInt(t);
  return n >= 1n && n < 2n ** 64n ? n : null;
}
