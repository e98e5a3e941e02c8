/**
 * The break-glass grants opened on the patient's data (audit API, /v1/emergency), and the
 * dispute of a review that found one justified (break_glass.dispute_grant: the patient only,
 * once per grant; the chain has the last word on whether a grant can still be disputed).
 */
import { useState } from 'react';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { useRead } from '../../chain/useRead';
import { Action } from '../../chain/Action';
import { disputable, emergenciesOf, parseEmergencies } from '../../lib/patient';
import { auditTime, categoryNames, type EmergencyRow } from '../../lib/audit';
import { useAudit } from './useAudit';

const REVIEW_WORDS: Readonly<Record<EmergencyRow['review'], string>> = {
  pending: 'awaiting review',
  disputed: 'disputed by you, awaiting a new review',
  justified: 'reviewed: justified',
  unjustified: 'reviewed: not justified (the responder got a strike)',
};

export function EmergencyReviews({ patient }: { patient: string }) {
  const { deployment, contracts } = useSuite();
  const names = useNames();
  // Grants disputed from this page: their action stays shown with its outcome.
  const [disputedHere, setDisputedHere] = useState<ReadonlySet<number>>(new Set());
  const { audit, reload, reading } = useAudit(`${deployment.auditUrl}/v1/emergency?state=all&limit=10000`, parseEmergencies);
  const mine = audit.state === 'ok' ? emergenciesOf(audit.rows, patient) : [];
  const candidates = audit.state === 'ok' ? disputable(audit.rows, patient).map((r) => r.grant) : [];
  // Which of the justified grants the chain still lets the patient dispute (once per grant).
  const open = useRead(async () => {
    const out = new Map<number, 'open' | 'disputed'>();
    for (const id of candidates) {
      const g = (await contracts.break_glass.query.grant(BigInt(id), { caller: patient })).data;
      if (g) out.set(id, g.review === 'Justified' && !g.disputed ? 'open' : 'disputed');
    }
    return out;
  }, [candidates.join(','), patient, contracts]);

  return (
    <section className="panel" aria-labelledby="emergency-reviews-heading">
      <h3 id="emergency-reviews-heading">Emergency accesses to your data</h3>
      <p>
        Each time a responder broke the glass on your data, an authority reviews whether it was justified. If you think a review that
        found it justified is wrong, dispute it: another authority reviews it again. A grant can be disputed once.
      </p>
      <button type="button" onClick={reload} disabled={reading}>
        Read the emergency accesses again
      </button>
      <div role="status" aria-live="polite">
        {audit.state === 'loading' && <p className="progress">Reading the emergency accesses from the audit API…</p>}
        {audit.state === 'error' && <p className="refusal">{audit.words}</p>}
        {audit.state === 'ok' && mine.length === 0 && <p>No responder has broken the glass on your data.</p>}
      </div>
      {mine.length > 0 && (
        <table className="rows" aria-label="Emergency accesses to your data">
          <thead>
            <tr>
              <th scope="col">Grant</th>
              <th scope="col">Opened</th>
              <th scope="col">Responder</th>
              <th scope="col">What</th>
              <th scope="col">Until</th>
              <th scope="col">Review</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {mine.map((r) => (
              <tr key={r.grant} className="emergency" data-grant={r.grant}>
                <td>#{r.grant}</td>
                <td>{auditTime(r.opened)}</td>
                <td>{names(r.responder)}</td>
                <td>{categoryNames(r.categories)}</td>
                <td>{r.ended ? `ended ${auditTime(r.ended)}` : auditTime(r.expires)}</td>
                <td>
                  {REVIEW_WORDS[r.review]}
                  {r.overdue ? ' — the review is overdue' : ''}
                </td>
                <td>
                  {disputedHere.has(r.grant) || (r.review === 'justified' && open.state === 'ok' && open.value.get(r.grant) === 'open') ? (
                    <Action
                      contract="break_glass"
                      message="dispute_grant"
                      label={`Dispute this review (grant ${r.grant})`}
                      args={() => [BigInt(r.grant)]}
                      onDone={() => setDisputedHere((s) => new Set([...s, r.grant]))}
                    />
                  ) : (
                    r.review === 'justified' && open.state === 'ok' && open.value.get(r.grant) === 'disputed' && 'disputed once already: a grant can be disputed once'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
