import { describe, expect, it } from 'vitest';
import { anchorStatusText, anchorWhenText } from './anchors';

const T0 = BigInt(Date.UTC(2026, 11, 5, 12, 0));

describe('anchors in words', () => {
  it('says whether the anchor stands', () => {
    expect(anchorStatusText({ id: 1n, status: 'Current', timestamp: T0 })).toBe('current: the latest version of this record');
    expect(anchorStatusText({ id: 1n, status: 'Superseded', supersededBy: 4n, timestamp: T0 })).toBe('superseded by anchor #4');
    expect(anchorStatusText({ id: 1n, status: 'Superseded', timestamp: T0 })).toBe('superseded by a newer version');
    expect(anchorStatusText({ id: 1n, status: 'EnteredInError', timestamp: T0 })).toBe('entered in error: retracted by its issuer');
    expect(anchorStatusText({ id: 1n, status: 'EnteredInError', supersededBy: 2n, timestamp: T0 })).toBe(
      'entered in error: retracted by its issuer; superseded by anchor #2',
    );
  });
  it('says when, and which version it replaced', () => {
    expect(anchorWhenText({ id: 2n, status: 'Current', timestamp: T0 })).toBe('anchored 2026-12-05 12:00 UTC');
    expect(anchorWhenText({ id: 2n, status: 'Current', supersedes: 1n, timestamp: T0 })).toBe(
      'anchored 2026-12-05 12:00 UTC, as the next version of anchor #1',
    );
  });
});
