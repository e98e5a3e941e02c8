/** The authority's review work: the queue of grants awaiting review, reviewing one, flagging an overdue one. */
import { useId, useState } from 'react';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { useRead, nowMs } from '../../chain/useRead';
import { Action } from '../../chain/Action';
import { DocumentInput, type HashedDocument } from '../../components/inputs';
import { NumberField } from '../../components/fields';
import { categoriesText, formatTime } from '../../lib/format';
import { reviewDueText } from '../../lib/emergency';
import { isSameAccount } from '../../lib/roles';
import { parseId } from '../../lib/studies';
import { GrantSummary } from '../emergency/shared';

/** The contract's page size (carechain_shared::collections::MAX_PAGE). */
export const PAGE = 32;

export function ReviewQueue({ onReview }: { onReview: (grantId: bigint) => void }) {
  const { contracts, account } = useSuite();
  const names = useNames();
  const headingId = useId();
  const [offset, setOffset] = useState(0);
  // Said once a flag is final: the row's action then leaves the page.
  const [notice, setNotice] = useState('');
  const me = account?.address ?? '';
  const queue = useRead(async () => {
    const [count, page] = await Promise.all([
      contracts.break_glass.query.pendingReviewCount({ caller: me }),
      contracts.break_glass.query.pendingReviews(offset, PAGE, { caller: me }),
    ]);
    const rows = await Promise.all(
      page.data.map(async (row) => ({ row, grant: (await contracts.break_glass.query.grant(row.grantId, { caller: me })).data })),
    );
    return { count: count.data, rows };
  }, [offset, me, contracts]);
  const now = nowMs();
  const count = queue.state === 'ok' ? queue.value.count : 0;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h3 id={headingId}>Grants awaiting review</h3>
      {queue.state === 'loading' && <p role="status">Reading the review queue…</p>}
      {queue.state === 'error' && <p role="alert">The review queue could not be read: {queue.words}</p>}
      {queue.state === 'ok' && (
        <p data-pending-count={count}>
          {count === 0
            ? 'No grant awaits review.'
            : `${count} ${count === 1 ? 'grant awaits' : 'grants await'} review${count > PAGE ? ` (showing ${offset + 1}–${Math.min(offset + PAGE, count)})` : ''}. The queue is not in date order: check each deadline.`}
        </p>
      )}
      {queue.state === 'ok' && queue.value.rows.length > 0 && (
        <table className="rows" aria-label="Grants awaiting review">
          <thead>
            <tr>
              <th scope="col">Grant</th>
              <th scope="col">Patient</th>
              <th scope="col">Responder</th>
              <th scope="col">Data</th>
              <th scope="col">Opened</th>
              <th scope="col">Review due</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {queue.value.rows.map(({ row, grant }) => {
              const due = reviewDueText(row.reviewDue, now, row.overdue);
              const id = row.grantId;
              return (
                <tr key={id.toString()} data-grant={id.toString()} className={due.overdue ? 'alert' : undefined}>
                  <td>#{id.toString()}</td>
                  <td>{names(row.patient.address())}</td>
                  <td>{names(row.responder.address())}</td>
                  <td>{grant ? categoriesText(grant.categories) : '—'}</td>
                  <td>{grant ? formatTime(grant.startedAt) : '—'}</td>
                  <td>
                    {due.overdue ? <strong className="overdue">{due.text}</strong> : due.text}
                    {grant?.disputed ? ' (disputed by the patient)' : ''}
                    {grant?.overdueFlagged ? ' (the lapse is on record)' : ''}
                  </td>
                  <td>
                    <button type="button" onClick={() => onReview(id)}>
                      Review grant #{id.toString()}
                    </button>
                    {due.overdue && !grant?.overdueFlagged && (
                      <Action
                        contract="break_glass"
                        message="flag_overdue"
                        label={`Flag grant #${id} overdue`}
                        args={() => [id]}
                        onDone={() => setNotice(`Grant #${id} is flagged overdue: the lapse is on record. Its review is still due.`)}
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
      {count > PAGE && (
        <p>
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            Previous {PAGE}
          </button>
          <button type="button" disabled={offset + PAGE >= count} onClick={() => setOffset(offset + PAGE)}>
            Next {PAGE}
          </button>
        </p>
      )}
    </section>
  );
}

export function ReviewGrant({ grantText, setGrantText }: { grantText: string; setGrantText: (t: string) => void }) {
  const { contracts, account } = useSuite();
  const names = useNames();
  const headingId = useId();
  const justifiedName = useId();
  const grantId = parseId(grantText);
  const [justified, setJustified] = useState<boolean | null>(null);
  const [doc, setDoc] = useState<HashedDocument | null>(null);
  const me = account?.address ?? '';
  const grant = useRead(async () => {
    if (grantId === null) return null;
    const g = (await contracts.break_glass.query.grant(grantId, { caller: me })).data;
    if (!g) return { grant: undefined, registrar: undefined };
    const r = (await contracts.break_glass.query.responder(g.responder.address(), { caller: me })).data;
    return { grant: g, registrar: r?.registeredBy.address() };
  }, [grantId, me, contracts]);
  const args = () => {
    if (grantId === null) return 'Give the number of the grant to review';
    if (justified === null) return 'Say whether breaking the glass was justified';
    if (!doc) return 'Attach your review record: its hash is recorded (the record stays on this device)';
    return [grantId, justified, doc.hash];
  };
  const g = grant.state === 'ok' ? grant.value : null;
  return (
    <form className="task" aria-labelledby={headingId} id="review-grant" onSubmit={(e) => e.preventDefault()}>
      <h3 id={headingId}>Review a grant</h3>
      <p className="hint">
        Judge whether breaking the glass was justified, from the responder's justification document and the care record. Not
        justified: the grant ends if still open and the responder gets a strike; at the strike limit it is suspended.
      </p>
      <NumberField label="Grant number" value={grantText} onChange={(t) => setGrantText(t)} />
      {grantId !== null && g && !g.grant && <p className="refusal">There is no grant #{grantId.toString()}.</p>}
      {g?.grant && (
        <>
          <GrantSummary grant={g.grant} now={nowMs()} />
          {g.registrar && isSameAccount(g.registrar, me) && (
            <p className="refusal">You registered {names(g.grant.responder.address())}: another authority must review this grant.</p>
          )}
        </>
      )}
      <fieldset className="choices">
        <legend>Was breaking the glass justified?</legend>
        <div>
          <label className="check">
            <input type="radio" name={justifiedName} checked={justified === true} onChange={() => setJustified(true)} />
            Yes, justified
          </label>
          <label className="check">
            <input type="radio" name={justifiedName} checked={justified === false} onChange={() => setJustified(false)} />
            No, not justified (a strike for the responder)
          </label>
        </div>
      </fieldset>
      <DocumentInput label="Review record" onChange={setDoc} />
      <Action contract="break_glass" message="review_grant" label="Record the review" args={args} />
    </form>
  );
}
