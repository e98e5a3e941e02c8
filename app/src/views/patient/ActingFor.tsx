/**
 * Whose data the view works on: the account's own, or — for a delegate — the data of a patient
 * who appointed it (consent_registry.delegates_of: the account must be among the delegates and
 * its appointment not yet ended). The contracts check it again on every call.
 */
import { useCallback, useState, type FormEvent } from 'react';
import { useSuite, type Contracts } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { nowMs, useRead, type Read } from '../../chain/useRead';
import { AccountInput } from '../../components/inputs';
import { formatTime } from '../../lib/format';
import { activeDelegation } from '../../lib/patient';
import { isSameAccount } from '../../lib/roles';

/** The account's delegation for `patient` in force now, re-read after every transaction. */
export function useDelegation(patient: string | null): Read<{ expiresAt: bigint } | null> {
  const { contracts, account } = useSuite();
  const me = account?.address ?? '';
  return useRead(async () => {
    if (!patient || !me) return null;
    return delegationOf(contracts, patient, me);
  }, [patient, me, contracts]);
}

async function delegationOf(contracts: Contracts, patient: string, me: string): Promise<{ expiresAt: bigint } | null> {
  const r = await contracts.consent_registry.query.delegatesOf(patient, 0, 32, { caller: me });
  const list = r.data.map((d) => ({ delegate: d.delegate.address(), expiresAt: d.expiresAt }));
  return activeDelegation(list, me, nowMs());
}

export function ActingFor({
  actingFor,
  delegation,
  onChange,
}: {
  actingFor: string | null;
  delegation: Read<{ expiresAt: bigint } | null>;
  onChange: (patient: string | null) => void;
}) {
  const { contracts, account } = useSuite();
  const names = useNames();
  const [patient, setPatient] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const onPatient = useCallback((v: string) => setPatient(v), []);
  if (!account) return null;

  const choose = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (!patient) {
      setProblem('Name the patient you act for (an account)');
      return;
    }
    if (isSameAccount(patient, account.address)) {
      setProblem('That is your own account: your own data is what this page shows when you act for nobody.');
      return;
    }
    setChecking(true);
    try {
      const found = await delegationOf(contracts, patient, account.address);
      if (!found) {
        setProblem(
          `You are not a delegate of ${names(patient)} in force: only an account the patient appointed acts for them, until the appointment ends.`,
        );
        return;
      }
      onChange(patient);
    } catch (err) {
      setProblem(`The delegation could not be checked: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setChecking(false);
    }
  };

  if (actingFor) {
    const who = names(actingFor);
    return (
      <section className="panel acting-for" aria-labelledby="acting-heading">
        <h3 id="acting-heading">Acting for {who}</h3>
        <div role="status" aria-live="polite">
          {delegation.state === 'loading' && <p className="progress">Checking your appointment as {who}'s delegate…</p>}
          {delegation.state === 'ok' && delegation.value && (
            <p className="ok">
              You are acting for {who} as their delegate until {formatTime(delegation.value.expiresAt)}. What you do below is done
              for {who}; appointing delegates and emergency preferences stay {who}'s own.
            </p>
          )}
        </div>
        {delegation.state === 'ok' && !delegation.value && (
          <p role="alert" className="refusal">
            You are no longer {who}'s delegate (the appointment ended or {who} removed it): nothing can be done for them.
          </p>
        )}
        {delegation.state === 'error' && (
          <p role="alert" className="refusal">
            Your appointment could not be checked: {delegation.words}
          </p>
        )}
        <button type="button" onClick={() => onChange(null)}>
          Stop acting for {who}: back to your own data
        </button>
      </section>
    );
  }

  return (
    <form className="task" aria-labelledby="act-for-heading" onSubmit={(e) => void choose(e)}>
      <h3 id="act-for-heading">Acting as a delegate</h3>
      <p className="hint">
        Below is your own data. If a patient appointed you as their delegate, name them here to manage their consents, deny rules and
        research requests for them.
      </p>
      <AccountInput label="Act for a patient" value={patient} onChange={onPatient} />
      <button type="submit" disabled={checking}>
        Act for this patient
      </button>
      <div role="status" aria-live="polite">
        {checking && <p className="progress">Checking the patient's delegates…</p>}
        {problem && <p className="refusal">{problem}</p>}
      </div>
    </form>
  );
}
