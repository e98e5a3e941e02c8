/** An ethics approver looks studies up, approves them with an approval record, or suspends them. */
import { useId, useState } from 'react';
import { useSuite } from '../../chain/suite';
import { useRead, nowMs } from '../../chain/useRead';
import { Action } from '../../chain/Action';
import { DocumentInput, type HashedDocument } from '../../components/inputs';
import { NumberField } from '../../components/fields';
import { isSameAccount } from '../../lib/roles';
import { parseId, studyState } from '../../lib/studies';
import { RECENT, StudiesTable, StudyFacts, useRecentStudies } from '../research/studies';

export function StudyDecision({ text, setText }: { text: string; setText: (t: string) => void }) {
  const { contracts, account } = useSuite();
  const headingId = useId();
  const id = parseId(text);
  const me = account?.address ?? '';
  const [approval, setApproval] = useState<HashedDocument | null>(null);
  const study = useRead(async () => (id === null ? null : (await contracts.research_registry.query.study(id, { caller: me })).data), [id, me, contracts]);
  const s = study.state === 'ok' ? study.value : null;
  const state = s ? studyState(s, nowMs()) : null;
  const approveArgs = () => {
    if (id === null) return 'Give the study number';
    if (!approval) return 'Attach the approval record (it stays on this device; its hash is recorded)';
    return [id, approval.hash];
  };
  return (
    <form className="task" id="study-decision" aria-labelledby={headingId} onSubmit={(e) => e.preventDefault()}>
      <h3 id={headingId}>Approve or suspend a study</h3>
      <NumberField label="Study number" value={text} onChange={(t) => setText(t)} />
      {id !== null && study.state === 'ok' && s === undefined && <p className="refusal">There is no study #{id.toString()}.</p>}
      {study.state === 'error' && <p role="alert">The study could not be read: {study.words}</p>}
      {s && (
        <>
          <StudyFacts study={s} />
          {isSameAccount(s.researcher.address(), me) && (
            <p className="refusal">This is your own study: another ethics approver must approve it.</p>
          )}
          <h4>Approve</h4>
          <p className="hint">
            Approving lets the researcher ask patients for consent to this study{state === 'suspended' ? ' again' : ''}. The
            approval record stays with your committee; only its hash is recorded.
          </p>
          <DocumentInput label="Approval record" onChange={setApproval} />
          <Action contract="research_registry" message="approve_study" label={`Approve study #${s.id}`} args={approveArgs} />
          <h4>Suspend</h4>
          <p className="hint">
            Suspending stops new requests, answers and joins at once; consents already given stay until the patients revoke them.
          </p>
          <Action contract="research_registry" message="suspend_study" label={`Suspend study #${s.id}`} args={() => [s.id]} />
        </>
      )}
    </form>
  );
}

export function RecentStudies({ open }: { open: (id: bigint) => void }) {
  const headingId = useId();
  const recent = useRecentStudies();
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h3 id={headingId}>Recent studies</h3>
      {recent.state === 'loading' && <p role="status">Reading the studies…</p>}
      {recent.state === 'error' && <p role="alert">The studies could not be read: {recent.words}</p>}
      {recent.state === 'ok' && recent.value.studies.length === 0 && <p>No study has been registered.</p>}
      {recent.state === 'ok' && recent.value.studies.length > 0 && (
        <>
          <p className="hint">
            {recent.value.total > BigInt(RECENT)
              ? `The newest ${RECENT} of ${recent.value.total} studies, newest first; look older ones up by number.`
              : `All ${recent.value.total} studies, newest first.`}
          </p>
          <StudiesTable label="Recent studies" studies={recent.value.studies} open={open} />
        </>
      )}
    </section>
  );
}
