/** A responder breaks the glass: a short grant on a patient's data, reviewed afterwards. */
import { useCallback, useId, useState } from 'react';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { useRead } from '../../chain/useRead';
import { Action, type DecodedEvent } from '../../chain/Action';
import { AccountInput, CategoryPicker, DocumentInput, type HashedDocument } from '../../components/inputs';
import { categoriesText, formatTime } from '../../lib/format';
import { policyText, usePolicy } from '../emergency/shared';

export function BreakTheGlass({ suspended }: { suspended: boolean }) {
  const { contracts, account } = useSuite();
  const names = useNames();
  const headingId = useId();
  const policy = usePolicy();
  const [patient, setPatientRaw] = useState('');
  const setPatient = useCallback((v: string) => setPatientRaw(v), []);
  const [categories, setCategories] = useState(0);
  const [doc, setDoc] = useState<HashedDocument | null>(null);
  const [opened, setOpened] = useState<{ id: string; until: bigint; due: bigint } | null>(null);
  const prefs = useRead(
    async () => (patient && account ? (await contracts.break_glass.query.emergencyPreferences(patient, { caller: account.address })).data : null),
    [patient, account, contracts],
  );
  const args = () => {
    if (!patient) return 'Name the patient (an account)';
    if (categories === 0) return 'Choose the kinds of data the emergency needs';
    if (!doc) return 'Attach the justification document (it holds the medical reason and stays on this device; only its hash is recorded)';
    return [patient, categories, doc.hash];
  };
  const done = (events: DecodedEvent[]) => {
    const e = events.find((x) => x.contract === 'break_glass' && x.name === 'GlassBroken');
    const d = e?.data as { grantId: bigint; expiresAt: bigint; reviewDue: bigint } | undefined;
    setOpened(d ? { id: d.grantId.toString(), until: d.expiresAt, due: d.reviewDue } : null);
  };
  const p = prefs.state === 'ok' ? prefs.value : null;
  return (
    <form className="task" aria-labelledby={headingId} onSubmit={(e) => e.preventDefault()}>
      <h3 id={headingId}>Break the glass</h3>
      <p className="hint">
        For a patient who cannot consent and needs emergency treatment now. {policy.state === 'ok' ? policyText(policy.value) : ''}{' '}
        The reason goes in the justification document, which stays with your organisation: only its hash is recorded. The
        patient and the auditors see the grant.
      </p>
      {suspended && <p className="refusal">You are suspended: the chain will refuse to open a grant.</p>}
      <AccountInput label="Patient" value={patient} onChange={setPatient} />
      {p && (
        <p className={p.optedOut ? 'refusal' : 'hint'} data-preferences={p.allowed}>
          {p.optedOut
            ? `${names(patient)} opted out of break-the-glass access: no grant can be opened.`
            : `${names(patient)} lets break-the-glass open: ${categoriesText(p.allowed)}.`}
        </p>
      )}
      <CategoryPicker legend="Which data the emergency needs" value={categories} onChange={setCategories} />
      <DocumentInput label="Justification document" onChange={setDoc} />
      <Action contract="break_glass" message="break_glass" label="Break the glass" args={args} onDone={done} />
      <div role="status" aria-live="polite">
        {opened && (
          <p className="ok" data-opened={opened.id}>
            Grant #{opened.id} is open until {formatTime(opened.until)}; an authority will review it by {formatTime(opened.due)}.
          </p>
        )}
      </div>
    </form>
  );
}
