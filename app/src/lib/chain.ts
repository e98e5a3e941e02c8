/** What the app concludes from what the chain says of itself. */

/**
 * Whether to offer the well-known development accounts (//Alice …): only on a chain whose
 * `system_chainType` is Development or Local. Their keys are public; on any other chain an
 * account of theirs is anyone's.
 */
export function offersDevAccounts(chainType: unknown): boolean {
  return chainType === 'Development' || chainType === 'Local';
}
