/**
 * Break-the-glass grants and their reviews in words: how long things last, whether a review is
 * due or overdue, what state a grant is in, and where a responder stands.
 */
import { formatTime } from './format';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/** A duration in ms in words, to the largest two units: "4 hours", "7 days", "1 day 2 hours", "less than a minute". */
export function durationText(ms: bigint | number): string {
  let rest = Math.max(0, Math.floor(Number(ms)));
  if (rest < MINUTE) return 'less than a minute';
  const days = Math.floor(rest / DAY);
  rest -= days * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / MINUTE);
  const parts: string[] = [];
  if (days) parts.push(plural(days, 'day'));
  if (hours) parts.push(plural(hours, 'hour'));
  if (minutes && !days) parts.push(plural(minutes, 'minute'));
  return parts.slice(0, 2).join(' ');
}

export interface ReviewDue {
  overdue: boolean;
  /** "OVERDUE: review was due 2026-12-05 19:30 UTC (3 days ago)" / "due 2026-12-12 19:30 UTC (in 7 days)" */
  text: string;
}

/**
 * Where a pending review stands: `overdue` as the contract marked it (at its block time), else
 * from `now` — the contract's mark wins, since it is what `flag_overdue` checks.
 */
export function reviewDueText(reviewDue: bigint, now: bigint, overdue?: boolean): ReviewDue {
  const late = overdue ?? now >= reviewDue;
  if (late) {
    const ago = now > reviewDue ? ` (${durationText(now - reviewDue)} ago)` : '';
    return { overdue: true, text: `OVERDUE: the review was due ${formatTime(reviewDue)}${ago}` };
  }
  const left = reviewDue > now ? ` (in ${durationText(reviewDue - now)})` : '';
  return { overdue: false, text: `review due ${formatTime(reviewDue)}${left}` };
}

export interface GrantLike {
  startedAt: bigint;
  expiresAt: bigint;
  endedAt?: bigint | undefined;
  review: 'Pending' | 'Justified' | 'Unjustified';
  reviewDue: bigint;
  disputed: boolean;
  overdueFlagged: boolean;
}

/** Whether the grant still opens data now. */
export function grantIsOpen(g: Pick<GrantLike, 'expiresAt' | 'endedAt'>, now: bigint): boolean {
  return g.endedAt === undefined && now < g.expiresAt;
}

/** "open until …" / "ended …" / "expired …". */
export function grantAccessText(g: Pick<GrantLike, 'expiresAt' | 'endedAt'>, now: bigint): string {
  if (g.endedAt !== undefined) return `ended ${formatTime(g.endedAt)}`;
  if (now >= g.expiresAt) return `expired ${formatTime(g.expiresAt)}`;
  return `open until ${formatTime(g.expiresAt)} (${durationText(g.expiresAt - now)} left)`;
}

/** The review's state: "reviewed: justified", "awaiting review (due …)", "OVERDUE …, flagged". */
export function grantReviewText(g: GrantLike, now: bigint): string {
  if (g.review === 'Justified') return 'reviewed: justified';
  if (g.review === 'Unjustified') return 'reviewed: not justified (the responder got a strike)';
  const due = reviewDueText(g.reviewDue, now);
  const disputed = g.disputed ? 'disputed by the patient, ' : '';
  if (due.overdue) return `${disputed}${due.text}${g.overdueFlagged ? '; the lapse is on record' : ''}`;
  return `${disputed}awaiting review, ${due.text}`;
}

export interface ResponderLike {
  status: 'Active' | 'Suspended';
  strikes: number;
  totalStrikes: number;
  lastReinstatement?: { at: bigint; strikesCleared: number } | undefined;
}

/** "active, 1 of 3 strikes (2 in all)" / "suspended after reaching 3 strikes" / "suspended by an authority". */
export function responderStatusText(r: ResponderLike, strikeLimit: number): string {
  const all = r.totalStrikes !== r.strikes ? ` (${r.totalStrikes} in all)` : '';
  if (r.status === 'Active') return `active, ${r.strikes} of ${strikeLimit} strikes${all}`;
  if (r.strikes >= strikeLimit) return `suspended automatically after ${plural(r.strikes, 'unjustified review')} (the limit is ${strikeLimit})${all}`;
  return `suspended by an authority, with ${r.strikes} of ${strikeLimit} strikes${all}`;
}
