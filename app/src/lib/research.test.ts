import { describe, expect, it } from 'vitest';
import { addAsked, parseAsked, requestState } from './research';

const T0 = BigInt(Date.UTC(2026, 11, 5, 12, 0));
const D = 86_400_000n;

describe('where a research request stands', () => {
  it('is pending until it lapses', () => {
    expect(requestState({ pending: { requestedAt: T0, expiresAt: T0 + 30n * D } }, T0)).toEqual({
      state: 'pending',
      text: "pending: awaiting the patient's answer until 2027-01-04 12:00 UTC",
    });
  });
  it('is consented once the patient approved', () => {
    expect(requestState({ consent: { id: 9n, until: T0 + D } }, T0)).toEqual({
      state: 'consented',
      text: 'consented: research consent #9, in force until 2026-12-06 12:00 UTC',
    });
    expect(requestState({ consent: { id: 9n, until: T0 + D, revokedAt: T0 } }, T0).state).toBe('consent-ended');
    expect(requestState({ consent: { id: 9n, until: T0 } }, T0 + D).text).toBe('consented (consent #9), ended 2026-12-05 12:00 UTC');
  });
  it('cools down after a denial or a withdrawal', () => {
    expect(requestState({ cooldownUntil: T0 + 180n * D }, T0)).toEqual({
      state: 'cooling-down',
      text: 'no answer yes (denied, withdrawn or lapsed): this study may not ask again before 2027-06-03 12:00 UTC',
    });
    expect(requestState({ cooldownUntil: T0 }, T0 + D).state).toBe('none');
    expect(requestState({}, T0).state).toBe('none');
  });
});

describe("the session's list of patients asked", () => {
  it('adds newest first without duplicates', () => {
    const one = addAsked([], 1n, ['A', 'B']);
    expect(one).toEqual([
      { study: '1', patient: 'A' },
      { study: '1', patient: 'B' },
    ]);
    expect(addAsked(one, 1n, ['B'])).toEqual([
      { study: '1', patient: 'B' },
      { study: '1', patient: 'A' },
    ]);
    expect(addAsked(one, 2n, ['A'])).toHaveLength(3);
  });
  it('reads back only well-formed entries', () => {
    expect(parseAsked(null)).toEqual([]);
    expect(parseAsked('not json')).toEqual([]);
    expect(parseAsked('{}')).toEqual([]);
    expect(parseAsked('[{"study":"1","patient":"A"},{"study":"x","patient":"B"},3]')).toEqual([{ study: '1', patient: 'A' }]);
  });
});
