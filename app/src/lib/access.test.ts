import { describe, expect, it } from 'vitest';
import { decisionWords, denyReasonText } from './access';

describe('access decisions in words', () => {
  it('names the basis of a permitted access', () => {
    expect(decisionWords({ type: 'PermittedByConsent', value: 3n })).toMatchObject({
      permitted: true,
      headline: 'Permitted: consent #3 covers it',
    });
    expect(decisionWords({ type: 'PermittedByEmergencyGrant', value: 7n }).headline).toBe(
      'Permitted for emergency treatment: break-the-glass grant #7 covers it',
    );
  });
  it('says why an access is refused', () => {
    const none = decisionWords({ type: 'Denied', value: { type: 'NoConsent' } });
    expect(none.permitted).toBe(false);
    expect(none.headline).toBe('Refused: no consent in force covers every requested kind of data for this purpose');
    expect(decisionWords({ type: 'Denied', value: { type: 'DeniedByRule', value: 2n } }).headline).toContain("deny rule #2");
    expect(denyReasonText({ type: 'NoEmergencyGrant' })).toContain('no emergency (break-the-glass) grant');
    expect(denyReasonText({ type: 'BreakGlassNotWired' })).toContain('no break-the-glass contract is connected');
    expect(denyReasonText({ type: 'BreakGlassUnavailable' })).toContain('no answer that can be trusted');
    expect(denyReasonText({ type: 'InvalidRequest' })).toContain('names no data category');
  });
  it('treats what it cannot read as refused', () => {
    expect(decisionWords(undefined)).toMatchObject({ permitted: false, headline: 'No decision could be read' });
    expect(decisionWords({ type: 'Other' } as never).permitted).toBe(false);
  });
});
