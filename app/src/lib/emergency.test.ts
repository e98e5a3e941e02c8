import { describe, expect, it } from 'vitest';
import { durationText, grantAccessText, grantIsOpen, grantReviewText, responderStatusText, reviewDueText, type GrantLike } from './emergency';

const H = 3_600_000n;
const D = 24n * H;
const T0 = BigInt(Date.UTC(2026, 11, 5, 12, 0));

describe('durations', () => {
  it('writes the largest two units', () => {
    expect(durationText(4n * H)).toBe('4 hours');
    expect(durationText(7n * D)).toBe('7 days');
    expect(durationText(D + 2n * H + 5n * 60_000n)).toBe('1 day 2 hours');
    expect(durationText(90n * 60_000n)).toBe('1 hour 30 minutes');
    expect(durationText(5 * 60_000)).toBe('5 minutes');
    expect(durationText(10_000)).toBe('less than a minute');
    expect(durationText(-5)).toBe('less than a minute');
  });
});

describe('review deadlines', () => {
  it('says when a review is due', () => {
    expect(reviewDueText(T0 + 7n * D, T0)).toEqual({ overdue: false, text: 'review due 2026-12-12 12:00 UTC (in 7 days)' });
  });
  it('says OVERDUE in words once the deadline passed', () => {
    expect(reviewDueText(T0, T0 + 3n * D)).toEqual({ overdue: true, text: 'OVERDUE: the review was due 2026-12-05 12:00 UTC (3 days ago)' });
  });
  it("follows the contract's mark", () => {
    expect(reviewDueText(T0 + H, T0, true).overdue).toBe(true);
    expect(reviewDueText(T0, T0 + H, false).overdue).toBe(false);
  });
});

const grant = (over: Partial<GrantLike> = {}): GrantLike => ({
  startedAt: T0,
  expiresAt: T0 + 4n * H,
  review: 'Pending',
  reviewDue: T0 + 7n * D,
  disputed: false,
  overdueFlagged: false,
  ...over,
});

describe('grants', () => {
  it('is open until it expires or ends', () => {
    expect(grantIsOpen(grant(), T0 + H)).toBe(true);
    expect(grantIsOpen(grant(), T0 + 4n * H)).toBe(false);
    expect(grantIsOpen(grant({ endedAt: T0 + H }), T0 + 2n * H)).toBe(false);
    expect(grantAccessText(grant(), T0 + H)).toBe('open until 2026-12-05 16:00 UTC (3 hours left)');
    expect(grantAccessText(grant({ endedAt: T0 + H }), T0 + 2n * H)).toBe('ended 2026-12-05 13:00 UTC');
    expect(grantAccessText(grant(), T0 + D)).toBe('expired 2026-12-05 16:00 UTC');
  });
  it('says where its review stands', () => {
    expect(grantReviewText(grant(), T0)).toBe('awaiting review, review due 2026-12-12 12:00 UTC (in 7 days)');
    expect(grantReviewText(grant({ review: 'Justified' }), T0)).toBe('reviewed: justified');
    expect(grantReviewText(grant({ review: 'Unjustified' }), T0)).toContain('strike');
    expect(grantReviewText(grant({ overdueFlagged: true }), T0 + 8n * D)).toBe(
      'OVERDUE: the review was due 2026-12-12 12:00 UTC (1 day ago); the lapse is on record',
    );
    expect(grantReviewText(grant({ disputed: true }), T0)).toMatch(/^disputed by the patient, awaiting review/);
  });
});

describe('responders', () => {
  it('says where a responder stands', () => {
    expect(responderStatusText({ status: 'Active', strikes: 1, totalStrikes: 1 }, 3)).toBe('active, 1 of 3 strikes');
    expect(responderStatusText({ status: 'Active', strikes: 0, totalStrikes: 3 }, 3)).toBe('active, 0 of 3 strikes (3 in all)');
    expect(responderStatusText({ status: 'Suspended', strikes: 3, totalStrikes: 3 }, 3)).toBe(
      'suspended automatically after 3 unjustified reviews (the limit is 3)',
    );
    expect(responderStatusText({ status: 'Suspended', strikes: 0, totalStrikes: 0 }, 3)).toBe('suspended by an authority, with 0 of 3 strikes');
  });
});
