/** The patient's delegates (own data only): see, appoint (or move the end of an appointment), remove. */
import { useCallback, useState } from 'react';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { nowMs, useRead } from '../../chain/useRead';
import { Action } from '../../chain/Action';
import { AccountInput, DateInput, chainTime, YEAR_MS } from '../../components/inputs';
import { formatTime } from '../../lib/format';

export function Delegates({ patient }: { patient: string }) {
  const { contracts } = useSuite();
  const names = useNames();
  const delegates = useRead(
    async () => (await contracts.consent_registry.query.delegatesOf(patient, 0, 32, { caller: patient })).data,
    [patient, contracts],
  );
  const now = nowMs();
  const [notice, setNotice] = useState('');
  return (
    <section className="panel" aria-labelledby="delegates-heading">
      <h3 id="delegates-heading">Delegates</h3>
      <p>
        A delegate acts for you until the appointment ends: they can grant and revoke consents, add deny rules and answer research
        requests for you, but never appoint delegates or change your emergency preferences. A consent a delegate grants ends when
        their appointment does.
      </p>
      {delegates.state === 'loading' && <p role="status">Reading your delegates…</p>}
      {delegates.state === 'error' && <p role="alert">Your delegates could not be read: {delegates.words}</p>}
      {delegates.state === 'ok' && delegates.value.length === 0 && <p>No delegates: only you act for yourself.</p>}
      {delegates.state === 'ok' && delegates.value.length > 0 && (
        <>
          <table className="rows" aria-label="Delegates">
            <thead>
              <tr>
                <th scope="col">Delegate</th>
                <th scope="col">Until</th>
                <th scope="col">State</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {delegates.value.map((d) => {
                const who = names(d.delegate.address());
                return (
                  <tr key={d.delegate.address()} data-delegate={d.delegate.address()}>
                    <td>{who}</td>
                    <td>{formatTime(d.expiresAt)}</td>
                    <td>{now < d.expiresAt ? 'in force' : 'ended (freed when you purge spent storage)'}</td>
                    <td>
                      <Action
                        contract="consent_registry"
                        message="remove_delegate"
                        label={`Remove delegate ${who}`}
                        args={() => [d.delegate.address()]}
                        onDone={() => setNotice(`${who} is no longer your delegate, and the consents they granted for you are revoked: final on chain.`)}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="hint">
            Removing a delegate also revokes every consent they granted for you that is still in force or yet to start.
          </p>
        </>
      )}
      <p role="status" aria-live="polite" className="ok">
        {notice}
      </p>
      <AppointDelegate />
    </section>
  );
}

function AppointDelegate() {
  const [delegate, setDelegate] = useState('');
  const [until, setUntil] = useState('');
  const onDelegate = useCallback((v: string) => setDelegate(v), []);
  const args = () => {
    if (!delegate) return 'Name the delegate (an account)';
    const u = chainTime(until, nowMs() + YEAR_MS);
    if (u === null) return 'The end of the appointment is not a valid date';
    return [delegate, u];
  };
  return (
    <form className="task" aria-labelledby="appoint-heading" onSubmit={(e) => e.preventDefault()}>
      <h4 id="appoint-heading">Appoint a delegate</h4>
      <p className="hint">Appointing a delegate you already have moves the end of their appointment; an earlier end revokes their consents that would outlive it.</p>
      <AccountInput label="Delegate" value={delegate} onChange={onDelegate} />
      <DateInput label="Appointed until" value={until} onChange={setUntil} emptyHint="empty: one year from now (at most ten years)" />
      <Action contract="consent_registry" message="appoint_delegate" label="Appoint delegate" args={args} inputs={[delegate, until]} />
    </form>
  );
}
