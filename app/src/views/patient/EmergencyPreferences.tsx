/** What break-glass may open on the patient's own data, or opting out of it (own data only). */
import { useId, useState } from 'react';
import { useSuite } from '../../chain/suite';
import { useRead } from '../../chain/useRead';
import { Action } from '../../chain/Action';
import { CategoryPicker } from '../../components/inputs';
import { categoriesText } from '../../lib/format';

export function EmergencyPreferences({ patient }: { patient: string }) {
  const { contracts } = useSuite();
  const prefs = useRead(
    async () => (await contracts.break_glass.query.emergencyPreferences(patient, { caller: patient })).data,
    [patient, contracts],
  );
  return (
    <section className="panel" aria-labelledby="emergency-prefs-heading">
      <h3 id="emergency-prefs-heading">Emergency access (break-glass)</h3>
      <p>
        Break-glass lets a registered emergency responder open the data you allow here without your consent, for a few hours, when you
        cannot give consent — and an authority reviews every such access afterwards.
      </p>
      {prefs.state === 'loading' && <p role="status">Reading your emergency preferences…</p>}
      {prefs.state === 'error' && <p role="alert">Your emergency preferences could not be read: {prefs.words}</p>}
      {prefs.state === 'ok' && (
        <>
          <p data-emergency-preferences>
            {prefs.value.optedOut
              ? 'Now: you opted out — break-glass cannot open any of your data.'
              : `Now: break-glass may open ${categoriesText(prefs.value.allowed)}.`}
          </p>
          {/* Filled from the chain once; it stays as the person left it after saving (the chain then agrees). */}
          <PreferencesForm allowed={prefs.value.allowed} optedOut={prefs.value.optedOut} />
        </>
      )}
    </section>
  );
}

function PreferencesForm(props: { allowed: number; optedOut: boolean }) {
  const [allowed, setAllowed] = useState(props.allowed);
  const [optedOut, setOptedOut] = useState(props.optedOut);
  const id = useId();
  const args = () => {
    if (!optedOut && allowed === 0) return 'Choose at least one kind of data break-glass may open, or opt out';
    return [allowed, optedOut];
  };
  return (
    <form className="task" aria-labelledby={`${id}-heading`} onSubmit={(e) => e.preventDefault()}>
      <h4 id={`${id}-heading`}>Set your emergency preferences</h4>
      <CategoryPicker legend="Data break-glass may open" value={allowed} onChange={setAllowed} />
      <div className="field">
        <label className="check">
          <input type="checkbox" checked={optedOut} onChange={(e) => setOptedOut(e.target.checked)} /> Opt out: break-glass may open none of
          my data
        </label>
      </div>
      <Action contract="break_glass" message="set_emergency_preferences" label="Save emergency preferences" args={args} inputs={[allowed, optedOut]} />
    </form>
  );
}
