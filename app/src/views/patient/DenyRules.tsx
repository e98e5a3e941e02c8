/** The patient's deny rules (FHIR Consent, decision deny): see, add, lift. Deny always wins over consent. */
import { useCallback, useId, useState } from 'react';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { nowMs, useRead } from '../../chain/useRead';
import { Action } from '../../chain/Action';
import { AccountInput, CategoryPicker, DateInput, PurposePicker, chainTime, YEAR_MS } from '../../components/inputs';
import { PURPOSES, categoriesText, formatTime, purposesText } from '../../lib/format';
import { periodState } from '../../lib/patient';

const ALL_PURPOSES = PURPOSES.reduce((m, p) => m | p.bit, 0);

export function DenyRules({ patient }: { patient: string }) {
  const { contracts } = useSuite();
  const names = useNames();
  const rules = useRead(
    async () => (await contracts.consent_registry.query.denyRulesOf(patient, 0, 32, { caller: patient })).data,
    [patient, contracts],
  );
  const now = nowMs();
  const [notice, setNotice] = useState('');
  return (
    <section className="panel" aria-labelledby="deny-heading">
      <h3 id="deny-heading">Deny rules</h3>
      <p>
        A deny rule always wins over a consent: while it is in force, nobody it names can read the data it covers for the purposes it
        covers, whatever consent they hold.
      </p>
      {rules.state === 'loading' && <p role="status">Reading the deny rules…</p>}
      {rules.state === 'error' && <p role="alert">The deny rules could not be read: {rules.words}</p>}
      {rules.state === 'ok' && rules.value.length === 0 && <p>No deny rules.</p>}
      {rules.state === 'ok' && rules.value.length > 0 && (
        <table className="rows" aria-label="Deny rules">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Who is denied</th>
              <th scope="col">What</th>
              <th scope="col">For</th>
              <th scope="col">When</th>
              <th scope="col">Set by</th>
              <th scope="col">State</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {rules.value.map((r) => (
              <tr key={r.id.toString()} data-deny-rule={r.id.toString()}>
                <td>{r.id.toString()}</td>
                <td>{r.accessor ? names(r.accessor.address()) : 'everyone'}</td>
                <td>{categoriesText(r.categories)}</td>
                <td>{purposesText(r.purposes)}</td>
                <td>
                  {formatTime(r.period.from)} – {formatTime(r.period.until)}
                </td>
                <td>{names(r.createdBy.address())}</td>
                <td>{periodState(r.period.from, r.period.until, now)}</td>
                <td>
                  <Action
                    contract="consent_registry"
                    message="remove_deny_rule"
                    label={`Lift deny rule ${r.id}`}
                    args={() => [patient, r.id]}
                    onDone={() => setNotice(`Deny rule ${r.id} lifted: final on chain.`)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p role="status" aria-live="polite" className="ok">
        {notice}
      </p>
      <AddDenyRule patient={patient} />
    </section>
  );
}

function AddDenyRule({ patient }: { patient: string }) {
  const [whom, setWhom] = useState<'everyone' | 'one'>('one');
  const [accessor, setAccessor] = useState('');
  const [categories, setCategories] = useState(0);
  const [purposes, setPurposes] = useState(ALL_PURPOSES);
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const onAccessor = useCallback((v: string) => setAccessor(v), []);
  const name = useId();
  const args = () => {
    if (whom === 'one' && !accessor) return 'Name the account to deny, or choose everyone';
    if (categories === 0) return 'Choose at least one kind of data';
    if (purposes === 0) return 'Choose at least one purpose';
    const f = chainTime(from, nowMs());
    const u = f === null ? null : chainTime(until, f + 10n * YEAR_MS);
    if (f === null || u === null) return 'The dates are not valid dates';
    return [patient, whom === 'everyone' ? undefined : accessor, categories, purposes, f, u];
  };
  return (
    <form className="task" aria-labelledby="add-deny-heading" onSubmit={(e) => e.preventDefault()}>
      <h4 id="add-deny-heading">Add a deny rule</h4>
      <fieldset className="choices">
        <legend>Whom to deny</legend>
        <div>
          <label className="check">
            <input type="radio" name={name} checked={whom === 'one'} onChange={() => setWhom('one')} /> One account
          </label>
          <label className="check">
            <input type="radio" name={name} checked={whom === 'everyone'} onChange={() => setWhom('everyone')} /> Everyone
          </label>
        </div>
      </fieldset>
      {whom === 'one' && <AccountInput label="Account to deny" value={accessor} onChange={onAccessor} />}
      <CategoryPicker legend="Which data" value={categories} onChange={setCategories} />
      <PurposePicker legend="For which purposes" value={purposes} onChange={setPurposes} />
      <DateInput label="Deny from" value={from} onChange={setFrom} emptyHint="empty: from now" />
      <DateInput
        label="Deny until"
        value={until}
        onChange={setUntil}
        emptyHint="empty: ten years from the start, the longest a rule may last (you can lift it sooner)"
      />
      <Action contract="consent_registry" message="add_deny_rule" label="Add deny rule" args={args} inputs={[whom, accessor, categories, purposes, from, until]} />
    </form>
  );
}
