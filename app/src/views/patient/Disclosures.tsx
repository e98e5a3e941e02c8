/**
 * Who saw my data: the accounting of disclosures (every access a custodian recorded, permitted or
 * refused) and the consent history, from the audit API, which indexes the chain's finalized
 * events.
 */
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { auditQuery, basisText, count, disclosureSummary, eventText, parseConsentHistory, parseDisclosures } from '../../lib/patient';
import { DISCLOSURE_LOOK, auditTime, categoryNames, disclosureKind, purposeNames, readableDetail } from '../../lib/audit';
import { useAudit, type Audit } from './useAudit';

function Shown<T>({ audit, what }: { audit: Audit<T>; what: string }) {
  if (audit.state === 'loading') return <p className="progress">Reading {what} from the audit API…</p>;
  if (audit.state === 'error') return <p className="refusal">{audit.words}</p>;
  if (audit.total !== null && audit.total > audit.rows.length) {
    return (
      <p className="hint">
        Showing the first {audit.rows.length} of {audit.total} rows.
      </p>
    );
  }
  return null;
}

export function Disclosures({ patient }: { patient: string }) {
  const { deployment } = useSuite();
  const names = useNames();
  const disclosures = useAudit(auditQuery(deployment.auditUrl, 'disclosures', patient), parseDisclosures);
  const history = useAudit(auditQuery(deployment.auditUrl, 'consents', patient), parseConsentHistory);
  const reload = () => {
    disclosures.reload();
    history.reload();
  };
  const d = disclosures.audit;
  const h = history.audit;
  const summary = d.state === 'ok' ? disclosureSummary(d.rows) : null;
  return (
    <section className="panel" aria-labelledby="disclosures-heading">
      <h3 id="disclosures-heading">Who saw my data</h3>
      <p>
        Every time a custodian (a hospital, a lab) serves your data it records the access on the chain, with the decision — including
        attempts that were refused. This is that record, read from the audit index; an access shows here a few seconds after its block is
        final.
      </p>
      <button type="button" onClick={reload} disabled={disclosures.reading || history.reading}>
        Read the history again
      </button>
      <div role="status" aria-live="polite">
        <Shown audit={d} what="the accounting of disclosures" />
        {summary && (
          <p data-disclosure-summary>
            {summary.total === 0
              ? 'No access to your data has been recorded.'
              : `${count(summary.total, 'recorded access', 'recorded accesses')}: ${count(summary.refused, 'refused attempt')}, ${count(summary.emergency, 'emergency access', 'emergency accesses')}.`}
          </p>
        )}
      </div>
      {d.state === 'ok' && d.rows.length > 0 && (
        <table className="rows" aria-label="Accounting of disclosures">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Outcome</th>
              <th scope="col">Who read</th>
              <th scope="col">Served by</th>
              <th scope="col">What</th>
              <th scope="col">For</th>
              <th scope="col">On what grounds</th>
            </tr>
          </thead>
          <tbody>
            {d.rows.map((r, i) => {
              const kind = disclosureKind(r);
              const look = DISCLOSURE_LOOK[kind];
              return (
                <tr key={`${r.block}-${r.extrinsic ?? ''}-${i}`} className={look.className || undefined} data-kind={kind}>
                  <td>{auditTime(r.time)}</td>
                  <td>
                    <strong>{look.words}</strong>
                  </td>
                  <td>{names(r.accessor)}</td>
                  <td>{names(r.custodian)}</td>
                  <td>{categoryNames(r.categories)}</td>
                  <td>{purposeNames(r.purpose)}</td>
                  <td>{basisText(r.basis)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h4 id="consent-history-heading">Consent history</h4>
      <div role="status" aria-live="polite">
        <Shown audit={h} what="the consent history" />
        {h.state === 'ok' && h.rows.length === 0 && <p>No consent events yet.</p>}
      </div>
      {h.state === 'ok' && h.rows.length > 0 && (
        <table className="rows" aria-label="Consent history">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What happened</th>
              <th scope="col">By</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {h.rows.map((r, i) => (
              <tr key={`${r.block}-${r.extrinsic ?? ''}-${i}`}>
                <td>{auditTime(r.time)}</td>
                <td>{eventText(r.event)}</td>
                <td>{names(r.by)}</td>
                <td>{readableDetail(r.detail, names)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
