/**
 * A researcher asks patients to consent to an approved study, one or many at once, and follows
 * the answers. The list of patients asked is kept in this browser tab only (sessionStorage),
 * never on chain.
 */
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useSuite, type Contracts } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { useRead, nowMs } from '../../chain/useRead';
import { Action } from '../../chain/Action';
import { resolveAccount } from '../../components/inputs';
import { parseAccountList } from '../../lib/accountList';
import { addAsked, MAX_BATCH_REQUEST, parseAsked, requestState, type AskedEntry, type RequestFacts } from '../../lib/research';
import { studyState } from '../../lib/studies';
import type { ResearchRegistryDataStudy } from '../../contracts/types/research-registry';

/** The session's list of patients asked, per researcher. */
export function useAsked(researcher: string): [AskedEntry[], (study: bigint, patients: string[]) => void, () => void] {
  const key = `carechain.asked.${researcher}`;
  const [list, setList] = useState<AskedEntry[]>(() => parseAsked(sessionStorage.getItem(key)));
  useEffect(() => setList(parseAsked(sessionStorage.getItem(key))), [key]);
  const add = useCallback(
    (study: bigint, patients: string[]) =>
      setList((old) => {
        const next = addAsked(old, study, patients);
        sessionStorage.setItem(key, JSON.stringify(next));
        return next;
      }),
    [key],
  );
  const clear = useCallback(() => {
    sessionStorage.removeItem(key);
    setList([]);
  }, [key]);
  return [list, add, clear];
}

export function RequestAccess({
  studies,
  onAsked,
}: {
  studies: ResearchRegistryDataStudy[];
  onAsked: (study: bigint, patients: string[]) => void;
}) {
  const { development, account } = useSuite();
  const names = useNames();
  const headingId = useId();
  const studyId = useId();
  const listId = useId();
  const problemsId = useId();
  const [study, setStudy] = useState('');
  const [text, setText] = useState('');
  const me = account?.address ?? '';
  const parsed = useMemo(
    () =>
      parseAccountList(text, {
        resolve: (t) => resolveAccount(t, development),
        max: MAX_BATCH_REQUEST,
        self: { address: me, why: 'that is you: a study cannot ask its own researcher' },
        nameOf: names,
      }),
    [text, development, me, names],
  );
  const chosen = studies.find((s) => s.id.toString() === study);
  const now = nowMs();
  const batch = parsed.accounts.length > 1;
  const args = () => {
    if (!chosen) return 'Choose one of your studies';
    if (parsed.accounts.length === 0) return 'List at least one patient, one account a line';
    if (parsed.problems.length > 0) return `Fix the list first: ${parsed.problems.join('; ')}`;
    return batch ? [chosen.id, parsed.accounts] : [chosen.id, parsed.accounts[0]];
  };
  return (
    <form className="task" aria-labelledby={headingId} onSubmit={(e) => e.preventDefault()}>
      <h3 id={headingId}>Request access</h3>
      <p className="hint">
        Asks each patient to consent to the study; they answer in their own view. At most {MAX_BATCH_REQUEST} patients at once,
        all or nothing: if one of them cannot be asked (asked already, cooling down after an earlier answer, blocked you, or
        inbox share reached), nobody is asked and the check says why.
      </p>
      <div className="field">
        <label htmlFor={studyId}>Study</label>
        <select id={studyId} value={study} onChange={(e) => setStudy(e.target.value)}>
          <option value="">Choose one of your studies…</option>
          {studies.map((s) => (
            <option key={s.id.toString()} value={s.id.toString()}>
              Study #{s.id.toString()} ({studyState(s, now)})
            </option>
          ))}
        </select>
      </div>
      {chosen && studyState(chosen, now) !== 'approved' && (
        <p className="refusal">Study #{chosen.id.toString()} is not approved: the chain will refuse to ask patients for it.</p>
      )}
      <div className="field">
        <label htmlFor={listId}>Patients, one account a line</label>
        <textarea
          id={listId}
          rows={4}
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={problemsId}
          aria-invalid={parsed.problems.length > 0}
        />
        <div id={problemsId}>
          {parsed.problems.length > 0 ? (
            <ul className="field-error" aria-label="Problems with the list">
              {parsed.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : (
            parsed.accounts.length > 0 && (
              <span className="hint">
                {parsed.accounts.length} {parsed.accounts.length === 1 ? 'patient' : 'patients'}: {parsed.accounts.map(names).join(', ')}
              </span>
            )
          )}
        </div>
      </div>
      <Action
        key={batch ? 'batch' : 'one'}
        contract="research_registry"
        message={batch ? 'request_access_batch' : 'request_access'}
        label={batch ? `Ask these ${parsed.accounts.length} patients` : 'Ask this patient'}
        args={args}
        onDone={() => chosen && onAsked(chosen.id, parsed.accounts)}
      />
    </form>
  );
}

/** Everything the chain says about one request. */
async function factsOf(contracts: Contracts, caller: string, e: AskedEntry): Promise<RequestFacts> {
  const study = BigInt(e.study);
  const q = contracts.research_registry.query;
  const [pending, cooldown] = await Promise.all([q.request(e.patient, study, { caller }), q.cooldownUntil(e.patient, study, { caller })]);
  let consent: RequestFacts['consent'];
  // The patient's consents, a page of 32 at a time (at most 8 pages read).
  for (let offset = 0; offset < 256 && !consent; offset += 32) {
    const page = (await contracts.consent_registry.query.consentsOf(e.patient, offset, 32, { caller })).data;
    const c = page.filter((x) => x.studyId === study).pop();
    if (c) consent = { id: c.id, until: c.period.until, ...(c.revokedAt !== undefined ? { revokedAt: c.revokedAt } : {}) };
    if (page.length < 32) break;
  }
  return {
    ...(pending.data ? { pending: pending.data } : {}),
    ...(cooldown.data !== undefined ? { cooldownUntil: cooldown.data } : {}),
    ...(consent ? { consent } : {}),
  };
}

export function FollowAnswers({ asked, clear }: { asked: AskedEntry[]; clear: () => void }) {
  const { contracts, account } = useSuite();
  const names = useNames();
  const headingId = useId();
  const me = account?.address ?? '';
  const [withdrawn, setWithdrawn] = useState<string | null>(null);
  const facts = useRead(() => Promise.all(asked.map((e) => factsOf(contracts, me, e))), [asked, me, contracts]);
  const now = nowMs();
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h3 id={headingId}>Follow the answers</h3>
      <p className="hint">
        The patients you asked from this browser tab. The list is kept here only, never on chain, and is gone when the tab is
        closed; what each patient answered is read from the chain.
      </p>
      {asked.length === 0 && <p>You have not asked anyone from this tab yet.</p>}
      {facts.state === 'error' && <p role="alert">The answers could not be read: {facts.words}</p>}
      {asked.length > 0 && (
        <>
          <table className="rows" aria-label="Patients asked">
            <thead>
              <tr>
                <th scope="col">Study</th>
                <th scope="col">Patient</th>
                <th scope="col">Where it stands</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {asked.map((e, i) => {
                const f = facts.state === 'ok' ? facts.value[i] : undefined;
                const st = f ? requestState(f, now) : null;
                return (
                  <tr key={`${e.study}/${e.patient}`} data-study={e.study} data-patient={e.patient} data-state={st?.state ?? 'loading'}>
                    <td>#{e.study}</td>
                    <td>{names(e.patient)}</td>
                    <td>{st ? st.text : 'reading…'}</td>
                    <td>
                      {st?.state === 'pending' && (
                        <Action
                          contract="research_registry"
                          message="withdraw_request"
                          label={`Withdraw the request to ${names(e.patient)}`}
                          args={() => [BigInt(e.study), e.patient]}
                          onDone={() =>
                            setWithdrawn(
                              `The request of study #${e.study} to ${names(e.patient)} is withdrawn; the study must wait the cool-down before asking again.`,
                            )
                          }
                        />
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div role="status" aria-live="polite">
            {withdrawn && <p className="ok">{withdrawn}</p>}
          </div>
          <p className="hint">Withdrawing a request makes the study wait the cool-down before it may ask that patient again.</p>
          <button type="button" onClick={clear}>
            Forget this list
          </button>
        </>
      )}
    </section>
  );
}
