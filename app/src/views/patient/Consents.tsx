/** The patient's consents (FHIR Consent, decision permit): see, grant, revoke. */
import { useCallback, useState } from 'react';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { useRead, nowMs } from '../../chain/useRead';
import { Action } from '../../chain/Action';
import { AccountInput, CategoryPicker, DateInput, DocumentInput, PurposePicker, chainTime, YEAR_MS, type HashedDocument } from '../../components/inputs';
import { periodState } from '../../lib/patient';
import { categoriesText, formatTime, purposesText } from '../../lib/format';
import type { ConsentRegistryDataConsent } from '../../contracts/types/consent-registry';

export function consentState(c: ConsentRegistryDataConsent, now: bigint): string {
  if (c.revokedAt !== undefined) return `revoked ${formatTime(c.revokedAt)}`;
  return periodState(c.period.from, c.period.until, now);
}

export function Consents({ patient }: { patient: string }) {
  const { contracts } = useSuite();
  const names = useNames();
  const consents = useRead(async () => {
    // A patient may store up to 64 consents and a page holds at most 32: read every page.
    const all: ConsentRegistryDataConsent[] = [];
    for (let offset = 0; ; offset += 32) {
      const page = (await contracts.consent_registry.query.consentsOf(patient, offset, 32, { caller: patient })).data;
      all.push(...page);
      if (page.length < 32) return all;
    }
  }, [patient, contracts]);
  const now = nowMs();
  // Said once a revocation is final: its row's action then leaves the page.
  const [notice, setNotice] = useState('');
  return (
    <section aria-labelledby="consents-heading">
      <h3 id="consents-heading">Consents</h3>
      {consents.state === 'loading' && <p role="status">Reading the consents…</p>}
      {consents.state === 'error' && <p role="alert">The consents could not be read: {consents.words}</p>}
      {consents.state === 'ok' && consents.value.length === 0 && <p>No consents: nobody may read this patient's data on a consent.</p>}
      {consents.state === 'ok' && consents.value.length > 0 && (
        <table className="rows" aria-label="Consents">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Who may read</th>
              <th scope="col">What</th>
              <th scope="col">For</th>
              <th scope="col">When</th>
              <th scope="col">State</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {consents.value.map((c) => {
              const state = consentState(c, now);
              return (
                <tr key={c.id.toString()} data-consent={c.id.toString()}>
                  <td>{c.id.toString()}</td>
                  <td>{names(c.accessor.address())}</td>
                  <td>{categoriesText(c.categories)}</td>
                  <td>{purposesText(c.purposes)}{c.studyId !== undefined ? ` (study ${c.studyId})` : ''}</td>
                  <td>
                    {formatTime(c.period.from)} – {formatTime(c.period.until)}
                  </td>
                  <td>{state}</td>
                  <td>
                    {c.revokedAt === undefined && state !== 'ended' && (
                      <Action
                        contract="consent_registry"
                        message="revoke_consent"
                        label={`Revoke consent ${c.id}`}
                        args={() => [c.id]}
                        onDone={() => setNotice(`Consent ${c.id} revoked: final on chain. ${names(c.accessor.address())} can no longer read this data on it.`)}
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p role="status" aria-live="polite" className="ok">
        {notice}
      </p>
      <GrantConsent patient={patient} />
    </section>
  );
}

function GrantConsent({ patient }: { patient: string }) {
  const [accessor, setAccessor] = useState('');
  const [categories, setCategories] = useState(0);
  const [purposes, setPurposes] = useState(1);
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [doc, setDoc] = useState<HashedDocument | null>(null);
  const onAccessor = useCallback((v: string) => setAccessor(v), []);
  const args = () => {
    if (!accessor) return 'Name who may read the data (an account)';
    if (categories === 0) return 'Choose at least one kind of data';
    if (purposes === 0) return 'Choose at least one purpose';
    const f = chainTime(from, nowMs());
    const u = f === null ? null : chainTime(until, f + YEAR_MS);
    if (f === null || u === null) return 'The dates are not valid dates';
    if (!doc) return 'Attach the signed consent form: its hash records what was agreed (the form stays on this device)';
    return [patient, accessor, categories, purposes, f, u, doc.hash];
  };
  return (
    <form className="task" aria-labelledby="grant-heading" onSubmit={(e) => e.preventDefault()}>
      <h4 id="grant-heading">Grant a consent</h4>
      <AccountInput label="Who may read" value={accessor} onChange={onAccessor} />
      <CategoryPicker legend="Which data" value={categories} onChange={setCategories} />
      <PurposePicker legend="For which purposes" value={purposes} onChange={setPurposes} />
      <DateInput label="From" value={from} onChange={setFrom} emptyHint="empty: from now" />
      <DateInput label="Until" value={until} onChange={setUntil} emptyHint="empty: one year from the start (a consent lasts at most ten years)" />
      <DocumentInput label="Signed consent form" onChange={setDoc} />
      <Action contract="consent_registry" message="grant_consent" label="Grant consent" args={args} inputs={[accessor, categories, purposes, from, until, doc?.hash]} />
    </form>
  );
}
