/** What the responder and authority views both show: the policy, a responder's record, a grant. */
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { useRead, type Read } from '../../chain/useRead';
import { durationText, grantAccessText, grantReviewText, responderStatusText } from '../../lib/emergency';
import { categoriesText, formatTime } from '../../lib/format';
import type { BreakGlassDataGrant, BreakGlassDataPolicy, BreakGlassDataResponder } from '../../contracts/types/break-glass';

export function usePolicy(): Read<BreakGlassDataPolicy> {
  const { contracts, account } = useSuite();
  return useRead(async () => (await contracts.break_glass.query.policy({ caller: account?.address ?? '' })).data, [contracts, account]);
}

/** "A grant lasts 4 hours; an authority reviews it within 7 days." */
export function policyText(p: BreakGlassDataPolicy): string {
  return `A grant lasts ${durationText(p.grantDuration)} unless ended earlier, and an authority must review it within ${durationText(p.reviewWindow)}.`;
}

export function ResponderFacts({ who, record, policy }: { who: string; record: BreakGlassDataResponder; policy: BreakGlassDataPolicy | null }) {
  const names = useNames();
  const limit = policy?.strikeLimit ?? 0;
  return (
    <dl className="facts" data-responder-status={record.status}>
      <dt>Responder</dt>
      <dd>{names(who)}</dd>
      <dt>Status</dt>
      <dd className={record.status === 'Active' ? 'ok' : 'refusal'}>
        {policy ? responderStatusText(record, limit) : record.status === 'Active' ? 'active' : 'suspended'}
      </dd>
      <dt>Strikes</dt>
      <dd>
        {record.strikes} since registration or the last reinstatement{policy ? ` (suspended automatically at ${limit})` : ''}; {record.totalStrikes} in all
      </dd>
      <dt>Registered by</dt>
      <dd>{names(record.registeredBy.address())}</dd>
      <dt>Last reinstated</dt>
      <dd>
        {record.lastReinstatement
          ? `${formatTime(record.lastReinstatement.at)} by ${names(record.lastReinstatement.by.address())} (${record.lastReinstatement.strikesCleared} strikes cleared)`
          : 'never'}
      </dd>
    </dl>
  );
}

export function GrantSummary({ grant, now }: { grant: BreakGlassDataGrant; now: bigint }) {
  const names = useNames();
  return (
    <dl className="facts" data-grant={grant.id.toString()}>
      <dt>Grant</dt>
      <dd>#{grant.id.toString()}</dd>
      <dt>Patient</dt>
      <dd>{names(grant.patient.address())}</dd>
      <dt>Responder</dt>
      <dd>{names(grant.responder.address())}</dd>
      <dt>Data</dt>
      <dd>{categoriesText(grant.categories)}</dd>
      <dt>Opened</dt>
      <dd>{formatTime(grant.startedAt)}</dd>
      <dt>Access</dt>
      <dd>{grantAccessText(grant, now)}</dd>
      <dt>Review</dt>
      <dd>{grantReviewText(grant, now)}</dd>
    </dl>
  );
}
