/**
 * A patient's accounting of disclosures (who accessed which data, permitted or refused, on
 * what basis), as a table, a CSV built here from the rows, or the API's FHIR R5 Bundle.
 */
import { useCallback, useId, useState } from 'react';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { AccountInput } from '../../components/inputs';
import { auditTime, auditUrl, categoryNames, dayBound, disclosureKind, DISCLOSURE_CSV, DISCLOSURE_LOOK, fetchAuditDocument, fetchAuditPage, purposeCode, type DisclosureRow } from '../../lib/audit';
import { toCsv } from '../../lib/csv';
import { HistoryStatus, Table } from './History';
import { saveFile, useAuditHistory } from './useAudit';

export function Disclosures() {
  const { deployment } = useSuite();
  const names = useNames();
  const sinceId = useId();
  const untilId = useId();
  const [patient, setPatient] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [saved, setSaved] = useState<{ ok: boolean; words: string } | null>(null);
  const onPatient = useCallback((v: string) => setPatient(v), []);
  const { s, load, more } = useAuditHistory<DisclosureRow>();
  // The question the table answers: the downloads are of it, not of what the fields say since.
  const [shown, setShown] = useState<{ patient: string; since: string | undefined; until: string | undefined } | null>(null);

  const params = () => ({ patient, since: dayBound(since, 'since'), until: dayBound(until, 'until') });
  const show = () => {
    setSaved(null);
    if (!patient) {
      setSaved({ ok: false, words: "Name the patient (an account) whose disclosures you want" });
      return;
    }
    const asked = params();
    setShown(asked);
    void load(auditUrl(deployment.auditUrl, '/v1/disclosures', asked));
  };
  const stamp = new Date().toISOString().slice(0, 10);
  const fileBase = `disclosures-${(shown?.patient ?? patient).slice(0, 8)}-${stamp}`;

  const downloadCsv = async () => {
    if (s.state !== 'ok') return;
    const rows = [...s.rows];
    let next = s.next;
    while (next) {
      const page = await fetchAuditPage<DisclosureRow>(next);
      if (!page.ok) {
        setSaved({ ok: false, words: `The CSV was not saved: ${page.words}` });
        return;
      }
      rows.push(...page.rows);
      next = page.next;
    }
    saveFile(`${fileBase}.csv`, 'text/csv;charset=utf-8', toCsv(DISCLOSURE_CSV, rows));
    setSaved({ ok: true, words: `Saved ${fileBase}.csv: ${rows.length} disclosure${rows.length === 1 ? '' : 's'} and a header row.` });
  };

  const downloadFhir = async () => {
    if (!shown) return;
    const doc = await fetchAuditDocument(auditUrl(deployment.auditUrl, '/v1/disclosures', { ...shown, format: 'fhir', limit: '10000' }));
    if (!doc.ok) {
      setSaved({ ok: false, words: `The FHIR Bundle was not saved: ${doc.words}` });
      return;
    }
    const bundle = doc.json as { resourceType?: string; total?: number; entry?: unknown[]; link?: unknown[] };
    if (bundle.resourceType !== 'Bundle') {
      setSaved({ ok: false, words: 'The audit API did not answer a FHIR Bundle' });
      return;
    }
    saveFile(`${fileBase}.fhir.json`, 'application/fhir+json', doc.text);
    const entries = bundle.entry?.length ?? 0;
    const partial = bundle.total !== undefined && bundle.total > entries ? ` (the first ${entries} of ${bundle.total}: the API answers at most 10,000 a time)` : '';
    setSaved({ ok: true, words: `Saved ${fileBase}.fhir.json: a FHIR R5 Bundle with ${entries} entr${entries === 1 ? 'y' : 'ies'}${partial}.` });
  };

  return (
    <section className="panel" aria-labelledby="disclosures-heading">
      <h3 id="disclosures-heading">Accounting of disclosures</h3>
      <p className="hint">Every access a custodian recorded to a patient's data — permitted or refused, on a consent or in an emergency — from the audit index.</p>
      <AccountInput label="Patient" value={patient} onChange={onPatient} />
      <div className="field">
        <label htmlFor={sinceId}>From (UTC day, optional)</label>
        <input id={sinceId} type="date" value={since} onChange={(e) => setSince(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={untilId}>Until (UTC day, included, optional)</label>
        <input id={untilId} type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
      </div>
      <button type="button" onClick={show}>
        Show the disclosures
      </button>
      <HistoryStatus s={s} onMore={() => void more()} noun="disclosure" />
      {s.state === 'ok' && s.rows.length > 0 && (
        <Table label="Disclosures" headers={['Time', 'Who accessed', 'Custodian', 'Data', 'Purpose', 'Decision', 'Basis']}>
          {s.rows.map((r, i) => {
            const kind = DISCLOSURE_LOOK[disclosureKind(r)];
            return (
              <tr key={`${r.block}-${r.extrinsic ?? ''}-${i}`} className={kind.className || undefined} data-decision={r.decision}>
                <td>{auditTime(r.time)}</td>
                <td>{names(r.accessor)}</td>
                <td>{names(r.custodian)}</td>
                <td>{categoryNames(r.categories)}</td>
                <td>{purposeCode(r.purpose)}</td>
                <td>
                  <strong>{kind.words}</strong>
                </td>
                <td>{r.basis}</td>
              </tr>
            );
          })}
        </Table>
      )}
      {s.state === 'ok' && (
        <p>
          <button type="button" onClick={() => void downloadCsv()}>
            Download CSV
          </button>
          <button type="button" onClick={() => void downloadFhir()}>
            Download FHIR R5 Bundle
          </button>
        </p>
      )}
      <div role="status" aria-live="polite">
        {saved && <p className={saved.ok ? 'ok' : 'refusal'}>{saved.words}</p>}
      </div>
    </section>
  );
}
