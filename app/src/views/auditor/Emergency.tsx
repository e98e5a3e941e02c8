/** Break-glass grants: pending review, overdue, or all of them. */
import { useId, useState } from 'react';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { auditTime, auditUrl, categoryNames, emergencyState, type EmergencyRow } from '../../lib/audit';
import { HistoryStatus, Table } from './History';
import { useAuditHistory } from './useAudit';

const STATES = [
  { value: 'pending', label: 'Awaiting review' },
  { value: 'overdue', label: 'Overdue for review' },
  { value: 'all', label: 'All grants' },
] as const;

export function EmergencyGrants() {
  const { deployment } = useSuite();
  const names = useNames();
  const id = useId();
  const [state, setState] = useState<(typeof STATES)[number]['value']>('pending');
  const { s, load, more } = useAuditHistory<EmergencyRow>();
  return (
    <section className="panel" aria-labelledby="emergency-heading">
      <h3 id="emergency-heading">Emergency access grants</h3>
      <p className="hint">Every time a responder broke the glass, and where its review stands; an overdue review is marked.</p>
      <div className="field">
        <label htmlFor={id}>Which grants</label>
        <select id={id} value={state} onChange={(e) => setState(e.target.value as typeof state)}>
          {STATES.map((x) => (
            <option key={x.value} value={x.value}>
              {x.label}
            </option>
          ))}
        </select>
      </div>
      <button type="button" onClick={() => void load(auditUrl(deployment.auditUrl, '/v1/emergency', { state }))}>
        Show the grants
      </button>
      <HistoryStatus s={s} onMore={() => void more()} noun="grant" />
      {s.state === 'ok' && s.rows.length > 0 && (
        <Table label="Emergency access grants" headers={['Grant', 'Opened', 'Patient', 'Responder', 'Data', 'Access until', 'Review due', 'State']}>
          {s.rows.map((g) => (
            <tr key={g.grant} className={g.overdue ? 'alert' : undefined} data-grant={g.grant} data-overdue={g.overdue ? 'yes' : 'no'}>
              <td>#{g.grant}</td>
              <td>{auditTime(g.opened)}</td>
              <td>{names(g.patient)}</td>
              <td>{names(g.responder)}</td>
              <td>{categoryNames(g.categories)}</td>
              <td>{auditTime(g.expires)}</td>
              <td>{auditTime(g.review_due)}</td>
              <td>{g.overdue ? <strong>{emergencyState(g)}</strong> : emergencyState(g)}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
