/**
 * A pasted list of accounts, one a line, checked line by line before anything is sent: each
 * line must name an account, none twice, not the caller itself, and no more than the
 * contract's batch limit.
 */
import { isSameAccount } from './roles';

export interface AccountList {
  /** The accounts, in the order given (SS58 as resolved). */
  accounts: string[];
  /** What is wrong, line by line, in words; empty when the list can be sent. */
  problems: string[];
}

export interface AccountListRules {
  /** Text → an SS58 address, or null if the text names no account. */
  resolve: (text: string) => string | null;
  /** At most this many accounts (research_registry's MAX_BATCH_REQUEST). */
  max: number;
  /** The caller, who may not be on the list, with why in words. */
  self?: { address: string; why: string };
  /** A name for an account in the problems (e.g. "Bob"). */
  nameOf?: (address: string) => string;
}

export function parseAccountList(text: string, rules: AccountListRules): AccountList {
  const accounts: string[] = [];
  const problems: string[] = [];
  const lineOf: number[] = [];
  const name = rules.nameOf ?? ((a: string) => a);
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim().replace(/[,;]$/, '').trim();
    if (t === '') return;
    const address = rules.resolve(t);
    if (!address) {
      problems.push(`Line ${line}: “${t.length > 60 ? `${t.slice(0, 60)}…` : t}” is not an account address`);
      return;
    }
    if (rules.self && isSameAccount(address, rules.self.address)) {
      problems.push(`Line ${line}: ${rules.self.why}`);
      return;
    }
    const earlier = accounts.findIndex((a) => isSameAccount(a, address));
    if (earlier >= 0) {
      problems.push(`Line ${line}: ${name(address)} is already on line ${lineOf[earlier] ?? '?'}`);
      return;
    }
    accounts.push(address);
    lineOf.push(line);
  });
  if (accounts.length > rules.max) {
    problems.push(`${accounts.length} accounts: at most ${rules.max} can be asked at once`);
  }
  return { accounts, problems };
}
