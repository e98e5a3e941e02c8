/** The responder's own record and open grants, each of which it can end early. */
import { useId, useState } from 'react';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { useRead, nowMs } from '../../chain/useRead';
import { Action } from '../../chain/Action';
import { categoriesText, formatTime } from '../../lib/format';
import { grantAccessText, grantIsOpen, grantReviewText } from '../../lib/emergency';
import { ResponderFacts, usePolicy } from '../emergency/shared';
import type { BreakGlassDataGrant } from '../../contracts/types/break-glass';

export function MyRecord({ suspended }: { suspended: boolean }) {
  const { contracts, account } = useSuite();
  const headingId = useId();
  const policy = usePolicy();
  const me = account?.address ?? '';
  const record = useRead(async () => (await contracts.break_glass.query.responder(me, { caller: me })).data, [me, contracts]);
  const r = record.state === 'ok' ? record.value : undefined;
  const pol = policy.state === 'ok' ? policy.value : null;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h3 id={headingId}>Your registration</h3>
      {record.state === 'loading' && <p role="status">Reading your record…</p>}
      {record.state === 'error' && <p role="alert">Your record could not be read: {record.words}</p>}
      {record.state === 'ok' && !r && <p>You are not a registered responder.</p>}
      {(suspended || r?.status === 'Suspended') && (
        <div className="refused" role="note" aria-label="Suspended">
          <p>
            <strong>You are suspended.</strong>{' '}
            {r && pol && r.strikes >= pol.strikeLimit
              ? `Your grants were reviewed as not justified ${r.strikes} times, the limit (${pol.strikeLimit}), so the contract suspended you automatically.`
              : 'An authority suspended you; every grant you held ended at once.'}
          </p>
          <p>
            While suspended you cannot break the glass: the chain refuses it. An authority other than the one that registered you
            can reinstate you; your strike record stays visible.
          </p>
        </div>
      )}
      {r && <ResponderFacts who={me} record={r} policy={pol} />}
      {r && pol && (
        <p className="hint">
          Limits: at most {pol.maxActiveGrants} open grants at once and {pol.maxGrantsPerDay} in 24 hours.
        </p>
      )}
    </section>
  );
}

export function MyGrants() {
  const { contracts, account } = useSuite();
  const names = useNames();
  const headingId = useId();
  const me = account?.address ?? '';
  const [ended, setEnded] = useState<string | null>(null);
  const grants = useRead(async () => {
    const r = (await contracts.break_glass.query.responder(me, { caller: me })).data;
    if (!r) return [];
    const all = await Promise.all(r.openGrants.map(async ([id]) => (await contracts.break_glass.query.grant(id, { caller: me })).data));
    return all.filter((g): g is BreakGlassDataGrant => g !== undefined);
  }, [me, contracts]);
  const now = nowMs();
  const open = grants.state === 'ok' ? grants.value.filter((g) => grantIsOpen(g, now)) : [];
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h3 id={headingId}>Your open grants</h3>
      {grants.state === 'loading' && <p role="status">Reading your grants…</p>}
      {grants.state === 'error' && <p role="alert">Your grants could not be read: {grants.words}</p>}
      {grants.state === 'ok' && open.length === 0 && <p>You hold no open grant.</p>}
      {open.length > 0 && (
        <table className="rows" aria-label="Your open grants">
          <thead>
            <tr>
              <th scope="col">Grant</th>
              <th scope="col">Patient</th>
              <th scope="col">Data</th>
              <th scope="col">Opened</th>
              <th scope="col">Access</th>
              <th scope="col">Review</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {open.map((g) => (
              <tr key={g.id.toString()} data-grant={g.id.toString()} className="emergency">
                <td>#{g.id.toString()}</td>
                <td>{names(g.patient.address())}</td>
                <td>{categoriesText(g.categories)}</td>
                <td>{formatTime(g.startedAt)}</td>
                <td>{grantAccessText(g, now)}</td>
                <td>{grantReviewText(g, now)}</td>
                <td>
                  <Action
                    contract="break_glass"
                    message="end_grant"
                    label={`End grant #${g.id}`}
                    args={() => [g.id]}
                    onDone={() => setEnded(g.id.toString())}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div role="status" aria-live="polite">
        {ended && (
          <p className="ok" data-ended={ended}>
            Grant #{ended} is ended: the patient's data is closed to you again. Its review stays due.
          </p>
        )}
      </div>
      <p className="hint">End a grant as soon as the emergency no longer needs the data; its review stays due.</p>
    </section>
  );
}
