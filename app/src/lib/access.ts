/**
 * consent_registry's access decision (carechain_shared::AccessDecision / DenyReason) in words
 * a custodian can act on: permitted on which basis, or refused and why.
 */

export type DenyReasonValue =
  | { type: 'InvalidRequest' }
  | { type: 'NoConsent' }
  | { type: 'DeniedByRule'; value: bigint | number }
  | { type: 'NoEmergencyGrant' }
  | { type: 'BreakGlassNotWired' }
  | { type: 'BreakGlassUnavailable' };

export type AccessDecisionValue =
  | { type: 'PermittedByConsent'; value: bigint | number }
  | { type: 'PermittedByEmergencyGrant'; value: bigint | number }
  | { type: 'Denied'; value: DenyReasonValue };

export interface DecisionWords {
  permitted: boolean;
  /** One line: "Permitted: consent #3 covers it." / "Refused: no consent covers …" */
  headline: string;
  /** What the custodian should know or do next. */
  detail: string;
}

/** Why access was refused, in words. */
export function denyReasonText(reason: DenyReasonValue): string {
  switch (reason.type) {
    case 'InvalidRequest':
      return 'the request names no data category, or a category that does not exist';
    case 'NoConsent':
      return 'no consent in force covers every requested kind of data for this purpose';
    case 'DeniedByRule':
      return `the patient's deny rule #${String(reason.value)} forbids it (a deny rule always wins over a consent)`;
    case 'NoEmergencyGrant':
      return 'no consent covers it and no emergency (break-the-glass) grant of this accessor covers these kinds of data now';
    case 'BreakGlassNotWired':
      return 'emergency treatment was asked, but no break-the-glass contract is connected to the consent registry';
    case 'BreakGlassUnavailable':
      return 'emergency treatment was asked, but the break-the-glass contract gave no answer that can be trusted';
  }
}

/** The decision in words. Unknown shapes say so rather than guess. */
export function decisionWords(decision: AccessDecisionValue | null | undefined): DecisionWords {
  if (!decision || typeof decision !== 'object' || !('type' in decision)) {
    return { permitted: false, headline: 'No decision could be read', detail: 'Treat the access as refused.' };
  }
  switch (decision.type) {
    case 'PermittedByConsent':
      return {
        permitted: true,
        headline: `Permitted: consent #${String(decision.value)} covers it`,
        detail: 'The patient (or their delegate) consented to this accessor reading these kinds of data for this purpose, and the consent is in force now.',
      };
    case 'PermittedByEmergencyGrant':
      return {
        permitted: true,
        headline: `Permitted for emergency treatment: break-the-glass grant #${String(decision.value)} covers it`,
        detail: 'There is no consent; an emergency responder opened a time-limited grant that an authority will review.',
      };
    case 'Denied':
      return {
        permitted: false,
        headline: `Refused: ${denyReasonText(decision.value)}`,
        detail: 'Do not serve the data.',
      };
    default:
      return { permitted: false, headline: 'No decision could be read', detail: 'Treat the access as refused.' };
  }
}
