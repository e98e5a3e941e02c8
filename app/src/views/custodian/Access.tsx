/**
 * A custodian's questions about one access: may it be served (a read, nothing recorded), and
 * recording it before serving (audited whatever the decision).
 */
import { useCallback, useId, useState } from 'react';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { Action, type DecodedEvent } from '../../chain/Action';
import { AccountInput, CategoryPicker, PurposeSelect } from '../../components/inputs';
import { decisionWords, type AccessDecisionValue, type DecisionWords } from '../../lib/access';
import { categoriesText, purposeLabel } from '../../lib/format';
import type { CarechainSharedPurpose } from '../../contracts/types/consent-registry';

interface AccessInputs {
  patient: string;
  accessor: string;
  categories: number;
  purpose: string;
}

/** What is missing, in words, or null when the inputs can be asked about. */
function missing(a: AccessInputs): string | null {
  if (!a.patient) return 'Name the patient (an account)';
  if (!a.accessor) return 'Name who wants to read the data (an account)';
  if (a.categories === 0) return 'Choose at least one kind of data';
  return null;
}

function useAccessInputs() {
  const [patient, setPatientRaw] = useState('');
  const [accessor, setAccessorRaw] = useState('');
  const [categories, setCategories] = useState(0);
  const [purpose, setPurpose] = useState<string>('Treatment');
  const setPatient = useCallback((v: string) => setPatientRaw(v), []);
  const setAccessor = useCallback((v: string) => setAccessorRaw(v), []);
  const inputs: AccessInputs = { patient, accessor, categories, purpose };
  const fields = (
    <>
      <AccountInput label="Patient" value={patient} onChange={setPatient} />
      <AccountInput label="Who wants to read (the accessor)" value={accessor} onChange={setAccessor} />
      <CategoryPicker legend="Which data" value={categories} onChange={setCategories} />
      <PurposeSelect label="For which purpose" value={purpose} onChange={setPurpose} />
    </>
  );
  return { inputs, fields };
}

function askedText(a: AccessInputs, names: (address: string) => string): string {
  return `${names(a.accessor)} reading ${names(a.patient)}'s ${categoriesText(a.categories)} for ${purposeLabel(a.purpose).toLowerCase()}`;
}

export function DecisionView({ words, about }: { words: DecisionWords; about: string }) {
  return (
    <div className={words.permitted ? 'decision permitted' : 'decision denied'} data-permitted={words.permitted}>
      <p className={words.permitted ? 'ok' : 'refusal'}>{words.headline}.</p>
      <p className="hint">
        {about}. {words.detail}
      </p>
    </div>
  );
}

export function CheckAccess() {
  const { contracts, account } = useSuite();
  const names = useNames();
  const headingId = useId();
  const { inputs, fields } = useAccessInputs();
  const [answer, setAnswer] = useState<
    { key: string; words: DecisionWords; about: string } | { key: string; problem: string } | { key: string; busy: true } | null
  >(null);
  const key = JSON.stringify(inputs);
  const check = async () => {
    if (!account) return;
    const m = missing(inputs);
    if (m) {
      setAnswer({ key, problem: m });
      return;
    }
    setAnswer({ key, busy: true });
    try {
      const r = await contracts.consent_registry.query.consentCheckCheckAccess(
        inputs.patient,
        inputs.accessor,
        inputs.categories,
        inputs.purpose as CarechainSharedPurpose,
        { caller: account.address },
      );
      setAnswer({ key, words: decisionWords(r.data as AccessDecisionValue), about: `Asked: ${askedText(inputs, names)}` });
    } catch (e) {
      setAnswer({ key, problem: `The registry could not be asked: ${e instanceof Error ? e.message : String(e)}` });
    }
  };
  const current = answer?.key === key ? answer : null;
  return (
    <form className="task" aria-labelledby={headingId} onSubmit={(e) => { e.preventDefault(); void check(); }}>
      <h3 id={headingId}>Check access</h3>
      <p className="hint">
        Asks the consent registry whether it would permit this access now, from the patient's consents, deny rules and any
        emergency grant. Nothing is signed or recorded.
      </p>
      {fields}
      <button type="submit" className="primary">
        Check access
      </button>
      <div role="status" aria-live="polite" className="answer">
        {current && 'busy' in current && <p className="progress">Asking the consent registry…</p>}
        {current && 'problem' in current && <p className="refusal">{current.problem}</p>}
        {current && 'words' in current && <DecisionView words={current.words} about={current.about} />}
      </div>
    </form>
  );
}

export function RecordAccess() {
  const names = useNames();
  const headingId = useId();
  const { inputs, fields } = useAccessInputs();
  const [recorded, setRecorded] = useState<{ words: DecisionWords; about: string } | null>(null);
  const args = () => {
    const m = missing(inputs);
    if (m) return m;
    return [inputs.patient, inputs.accessor, inputs.categories, inputs.purpose];
  };
  const done = (events: DecodedEvent[]) => {
    const e = events.find((x) => x.contract === 'consent_registry' && x.name === 'AccessRecorded');
    const data = e?.data as { decision?: AccessDecisionValue; patient?: { address(): string }; accessor?: { address(): string } } | undefined;
    setRecorded(
      data?.decision
        ? { words: decisionWords(data.decision), about: `Recorded on chain: ${askedText(inputs, names)}` }
        : { words: decisionWords(undefined), about: 'The chain recorded no access event' },
    );
  };
  return (
    <form className="task" aria-labelledby={headingId} onSubmit={(e) => e.preventDefault()}>
      <h3 id={headingId}>Record an access</h3>
      <p className="hint">
        Record every access before you serve it. The registry decides again as it records, and the call goes through whether
        the access is permitted or refused: either way the decision is written to the audit trail (the patient's accounting of
        disclosures). Serve the data only if the recorded decision permits it.
      </p>
      {fields}
      <Action contract="consent_registry" message="record_access" label="Record this access" args={args} onDone={done} />
      <div role="status" aria-live="polite" className="answer">
        {recorded && (
          <>
            <p>The decision the chain recorded:</p>
            <DecisionView words={recorded.words} about={recorded.about} />
          </>
        )}
      </div>
    </form>
  );
}
