/** What every history shows: its status, its rows so far against the total, the next page. */
import type { ReactNode } from 'react';
import type { AuditState } from './useAudit';

export function HistoryStatus<Row>({ s, onMore, noun }: { s: AuditState<Row>; onMore: () => void; noun: string }) {
  return (
    <div role="status" aria-live="polite">
      {s.state === 'loading' && <p className="progress">Asking the audit API…</p>}
      {s.state === 'error' && (
        <p className="refusal" data-audit-error>
          {s.words}
        </p>
      )}
      {s.state === 'ok' && (
        <p data-total={s.total ?? ''} data-shown={s.rows.length}>
          {s.rows.length === 0
            ? `No ${noun}s.`
            : `Showing ${s.rows.length} of ${s.total ?? s.rows.length} ${noun}${(s.total ?? s.rows.length) === 1 ? '' : 's'}.`}{' '}
          {s.next && (
            <button type="button" onClick={onMore} disabled={s.loadingMore}>
              {s.loadingMore ? 'Loading…' : 'Load the next page'}
            </button>
          )}
        </p>
      )}
    </div>
  );
}

export function Table({ label, headers, children }: { label: string; headers: string[]; children: ReactNode }) {
  return (
    <table className="rows" aria-label={label}>
      <thead>
        <tr>
          {headers.map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
