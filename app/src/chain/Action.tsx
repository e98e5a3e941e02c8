/**
 * Every transaction the app sends goes through here, in the same steps: a dry run first (a
 * refusal shown as the contract's typed error in the words of its doc comment, before anything
 * is signed, with the weight, fee and storage deposit it will cost), then signing, submission,
 * inclusion and finalization, then the events it emitted, decoded.
 */
import { useEffect, useRef, useState } from 'react';
import type { ISubmittableResult } from 'dedot/types';
import { useSuite, type Contracts, type Suite } from './suite';
import { describeMessageError, humanize, type DecodedError } from '../lib/errors';
import { formatBalance, formatValue, formatWeight } from '../lib/format';
import type { ContractName } from '../lib/manifest';
import { useNames } from './names';

/** `grant_consent` → `grantConsent`, `Administration::set_paused` → `administrationSetPaused`. */
export function methodOf(label: string): string {
  const words = label.split(/::|_/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}

export interface DecodedEvent {
  contract: ContractName;
  name: string;
  data: unknown;
}

type Step =
  | { step: 'idle' }
  | { step: 'checking' }
  | { step: 'refused'; words: string }
  | { step: 'ready'; cost: string; gas: { refTime: bigint; proofSize: bigint }; deposit?: bigint; args: unknown[]; key: string }
  | { step: 'changed' }
  | { step: 'signing' }
  | { step: 'submitted'; status: string }
  | { step: 'included'; status: string; events: DecodedEvent[] }
  | { step: 'finalized'; events: DecodedEvent[] }
  | { step: 'failed'; words: string };

export interface ActionProps {
  contract: ContractName;
  /** The message's label in the metadata (`grant_consent`, `Administration::set_paused`). */
  message: string;
  /** The message's arguments, or the reason in words they are not ready (bad input). */
  args: () => unknown[] | string;
  /** What the button says: the person's task ("Grant consent"). */
  label: string;
  /** Called once the transaction is finalized, with its decoded events. */
  onDone?: (events: DecodedEvent[]) => void;
  /**
   * The form's raw inputs: when they change after a dry run, the verdict is dropped and a new
   * check is needed. (What is signed is always exactly what was checked.) Without them the
   * arguments themselves are compared, so `args` must then not depend on the clock: a form
   * whose arguments do (an empty date meaning "from now") passes its inputs.
   */
  inputs?: readonly unknown[];
}

type Query = (...a: unknown[]) => Promise<{ data: unknown; raw: { gasRequired: { refTime: bigint; proofSize: bigint }; storageDeposit: { type: 'Charge' | 'Refund'; value: bigint } }; flags: { revert: boolean } }>;
type Tx = (...a: unknown[]) => {
  signAndSend: (...a: unknown[]) => Promise<unknown>;
  paymentInfo: (address: string) => Promise<{ partialFee: bigint }>;
};

/** A stable text of the arguments, to tell whether they changed since the dry run. */
export function argsKey(a: unknown[] | string): string {
  return JSON.stringify(a, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Array.from(v) : v,
  );
}

function asResult(data: unknown): { isErr: boolean; err?: unknown } | null {
  if (data && typeof data === 'object' && 'isErr' in data) return data as { isErr: boolean; err?: unknown };
  return null;
}

/** Every carechain event in a block's records, decoded by the contract that emitted it. */
export function decodeSuiteEvents(contracts: Contracts, records: unknown[]): DecodedEvent[] {
  const out: DecodedEvent[] = [];
  for (const [name, c] of Object.entries(contracts) as [ContractName, Contracts[ContractName]][]) {
    try {
      for (const e of c.decodeEvents(records as never)) out.push({ contract: name, name: e.name, data: 'data' in e ? e.data : undefined });
    } catch {
      // Records of other contracts are not this one's to decode.
    }
  }
  return out;
}

/** The dispatch error of a failed extrinsic in words. */
function dispatchWords(suite: Suite, result: ISubmittableResult): string {
  const err = result.dispatchError as unknown as { type?: string; value?: unknown } | undefined;
  if (!err) return 'The chain refused the transaction';
  if (err.type === 'Module') {
    try {
      const meta = suite.client.registry.findErrorMeta(err as never);
      if (meta) return `${humanize(meta.name)}: ${meta.docs.join(' ')}`.trim();
    } catch {
      // Fall through to the error's name.
    }
  }
  return humanize(String(err.type ?? 'Refused'));
}

export function Action({ contract, message, args, label, onDone, inputs }: ActionProps) {
  const suite = useSuite();
  const names = useNames();
  const [state, setState] = useState<Step>({ step: 'idle' });
  // Keyboard users stay where the task goes on: on "Sign and submit" once the check passed.
  const signButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (state.step === 'ready') signButton.current?.focus();
  }, [state.step]);
  const account = suite.account;
  const c = suite.contracts[contract] as unknown as { query: Record<string, Query>; tx: Record<string, Tx> };
  const metadata = suite.deployment.metadata[contract];
  const method = methodOf(message);
  const busy = state.step === 'checking' || state.step === 'signing' || state.step === 'submitted' || state.step === 'included';
  // What was checked is what is signed, and what the form shows: a change of the inputs (or of
  // the arguments, for a form that names no inputs) or of the account after the dry run drops the
  // verdict and asks for a new check, so "Sign and submit" never signs values the form no longer shows.
  let currentKey: string;
  try {
    currentKey = argsKey([account?.address ?? null, inputs ? [...inputs] : args()]);
  } catch {
    currentKey = 'unreadable';
  }
  const stale = state.step === 'ready' && state.key !== currentKey;
  useEffect(() => {
    if (stale) setState((s) => (s.step === 'ready' ? { step: 'changed' } : s));
  }, [stale]);

  const check = async () => {
    if (!account || busy) return;
    const a = args();
    // The form as it is now: if it changes while the chain is asked, the verdict is dropped.
    const checkedKey = currentKey;
    if (typeof a === 'string') {
      setState({ step: 'refused', words: a });
      return;
    }
    setState({ step: 'checking' });
    try {
      const query = c.query[method];
      if (!query) throw new Error(`${contract} has no message ${message}`);
      const r = await query(...a, { caller: account.address });
      const result = asResult(r.data);
      if (result?.isErr) {
        setState({ step: 'refused', words: describeMessageError(metadata, message, result.err as DecodedError) });
        return;
      }
      if (r.flags.revert) {
        setState({ step: 'refused', words: 'The contract refused the call' });
        return;
      }
      const gas = r.raw.gasRequired;
      const deposit = r.raw.storageDeposit.type === 'Charge' ? r.raw.storageDeposit.value : undefined;
      const tx = c.tx[method];
      let fee = '';
      if (tx) {
        try {
          const info = await tx(...a, { gasLimit: gas, storageDepositLimit: deposit }).paymentInfo(account.address);
          fee = `fee about ${formatBalance(info.partialFee, suite.token.decimals, suite.token.symbol)}; `;
        } catch {
          fee = '';
        }
      }
      const refund = r.raw.storageDeposit.type === 'Refund' && r.raw.storageDeposit.value > 0n;
      const depositText = deposit
        ? `storage deposit ${formatBalance(deposit, suite.token.decimals, suite.token.symbol)} (returned when the entry is removed)`
        : refund
          ? `storage deposit returned: ${formatBalance(r.raw.storageDeposit.value, suite.token.decimals, suite.token.symbol)}`
          : 'no storage deposit';
      setState({
        step: 'ready',
        args: a,
        key: checkedKey,
        gas,
        cost: `${fee}${depositText}; ${formatWeight(gas.refTime, gas.proofSize)}`,
        ...(deposit !== undefined ? { deposit } : {}),
      });
    } catch (e) {
      setState({ step: 'refused', words: `The check could not be made: ${e instanceof Error ? e.message : String(e)}` });
    }
  };

  const submit = async () => {
    if (!account || state.step !== 'ready') return;
    if (stale) {
      setState({ step: 'changed' });
      return;
    }
    const a = state.args;
    const tx = c.tx[method];
    if (!tx) return;
    setState({ step: 'signing' });
    let events: DecodedEvent[] = [];
    const follow = (result: ISubmittableResult) => {
      const status = result.status as { type: string };
      switch (status.type) {
        case 'Broadcasting':
        case 'Validated':
          setState({ step: 'submitted', status: 'Sent; waiting for a block…' });
          break;
        case 'BestChainBlockIncluded':
          if (result.dispatchError) {
            setState({ step: 'failed', words: dispatchWords(suite, result) });
            return;
          }
          events = decodeSuiteEvents(suite.contracts, result.events as unknown[]);
          setState({ step: 'included', status: 'In a block; waiting for finality…', events });
          break;
        case 'Finalized':
          if (result.dispatchError) {
            setState({ step: 'failed', words: dispatchWords(suite, result) });
            return;
          }
          events = decodeSuiteEvents(suite.contracts, result.events as unknown[]);
          setState({ step: 'finalized', events });
          suite.changed();
          onDone?.(events);
          break;
        case 'Invalid':
        case 'Drop':
          setState({ step: 'failed', words: 'The chain dropped the transaction (invalid or replaced); nothing changed' });
          break;
        default:
          break;
      }
    };
    try {
      // A charge is capped at what the check showed. A call that returned deposit goes uncapped: a
      // cross-contract call may charge one contract while refunding more in another, and a cap of
      // nothing would refuse it (the deposit is returned when the entry goes, in any case).
      const ext = tx(...a, { gasLimit: state.gas, storageDepositLimit: state.deposit });
      if (account.signing.kind === 'dev') {
        await ext.signAndSend(account.signing.pair, follow);
      } else {
        await ext.signAndSend(account.address, { signer: account.signing.signer }, follow);
      }
    } catch (e) {
      setState({ step: 'failed', words: `Not sent: ${e instanceof Error ? e.message : String(e)}` });
    }
  };

  return (
    <div className="action" data-message={message}>
      {/* Not disabled while busy (that would drop keyboard focus): aria-disabled, and ignored. */}
      <button type="button" onClick={() => void check()} disabled={!account} aria-disabled={busy}>
        Check: {label}
      </button>
      {state.step === 'ready' && !stale && (
        <button type="button" className="primary" ref={signButton} onClick={() => void submit()}>
          Sign and submit: {label}
        </button>
      )}
      <div className="verdict" role="status" aria-live="polite">
        {state.step === 'checking' && <p className="progress">Asking the chain whether this would go through…</p>}
        {state.step === 'refused' && (
          <p className="refusal" data-refused={message}>
            Refused: {state.words}
          </p>
        )}
        {state.step === 'ready' && <p className="ok">This would go through. Cost: {state.cost}.</p>}
        {state.step === 'changed' && <p className="hint">The form changed after the check: check again before signing.</p>}
        {state.step === 'signing' && <p className="progress">Waiting for the signature…</p>}
        {(state.step === 'submitted' || state.step === 'included') && <p className="progress">{state.status}</p>}
        {state.step === 'failed' && <p className="refusal">Failed: {state.words}</p>}
        {state.step === 'finalized' && <p className="ok">Done: final on chain.</p>}
        {(state.step === 'included' || state.step === 'finalized') && state.events.length > 0 && (
          <ul className="events" aria-label="What the chain recorded">
            {state.events.map((e, i) => (
              <li key={i}>
                <strong>{humanize(e.name)}</strong> ({e.contract.replace('_', ' ')}): {formatValue(e.data, names)}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
