/**
 * Research requests awaiting the patient's answer (research_registry.pending_requests_of), each
 * with its study: approve with a signed consent form hashed here, deny, or block the researcher;
 * and joining a study unasked, and lifting a researcher block.
 */
import { useCallback, useId, useState } from 'react';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { useRead } from '../../chain/useRead';
import { Action } from '../../chain/Action';
import { AccountInput, DocumentInput, type HashedDocument } from '../../components/inputs';
import { categoriesText, formatTime } from '../../lib/format';
import { parseStudyId } from '../../lib/patient';
import type { ResearchRegistryDataPendingRequest, ResearchRegistryDataStudy } from '../../contracts/types/research-registry';

/** A study's status in words. */
function statusText(study: ResearchRegistryDataStudy, names: (a: string) => string): string {
  switch (study.status.type) {
    case 'Proposed':
      return 'proposed, not yet approved by an ethics approver';
    case 'Approved':
      return `approved by ${names(study.status.value[0].address())}`;
    case 'Suspended':
      return `suspended by ${names(study.status.value[0].address())}`;
  }
}

export function ResearchRequests({ patient }: { patient: string }) {
  const { contracts } = useSuite();
  const requests = useRead(async () => {
    const pending = (await contracts.research_registry.query.pendingRequestsOf(patient, 0, 32, { caller: patient })).data;
    return Promise.all(
      pending.map(async (request) => ({
        request,
        study: (await contracts.research_registry.query.study(request.studyId, { caller: patient })).data,
      })),
    );
  }, [patient, contracts]);
  const [notice, setNotice] = useState('');
  return (
    <section className="panel" aria-labelledby="research-heading">
      <h3 id="research-heading">Research requests</h3>
      <p>
        Researchers of studies an ethics approver approved may ask for your consent. Approving creates a research consent for the
        study's data until it ends; denying stops the study asking you again for a while; blocking a researcher stops all their
        requests until you lift the block.
      </p>
      {requests.state === 'loading' && <p role="status">Reading the research requests…</p>}
      {requests.state === 'error' && <p role="alert">The research requests could not be read: {requests.words}</p>}
      {requests.state === 'ok' && requests.value.length === 0 && <p>No research requests await your answer.</p>}
      {requests.state === 'ok' &&
        requests.value.map(({ request, study }) => (
          <ResearchRequest key={request.studyId.toString()} patient={patient} request={request} study={study} onAnswered={setNotice} />
        ))}
      <p role="status" aria-live="polite" className="ok">
        {notice}
      </p>
      <JoinStudy patient={patient} />
      <UnblockResearcher patient={patient} />
    </section>
  );
}

function ResearchRequest({
  patient,
  request,
  study,
  onAnswered,
}: {
  patient: string;
  request: ResearchRegistryDataPendingRequest;
  study: ResearchRegistryDataStudy | undefined;
  /** Said once the answer is final (the request then leaves the list). */
  onAnswered: (words: string) => void;
}) {
  const names = useNames();
  const [doc, setDoc] = useState<HashedDocument | null>(null);
  const id = useId();
  const researcher = names(request.researcher.address());
  const n = request.studyId.toString();
  return (
    <section className="panel" aria-labelledby={id} data-study={n}>
      <h4 id={id}>
        Study {n} by {researcher} asks for your consent
      </h4>
      <dl className="facts">
        <dt>Researcher</dt>
        <dd>{researcher}</dd>
        {study && (
          <>
            <dt>Data it would read</dt>
            <dd>{categoriesText(study.categories)}, for research only</dd>
            <dt>Study ends</dt>
            <dd>{formatTime(study.endsAt)}</dd>
            <dt>Study status</dt>
            <dd>{statusText(study, names)}</dd>
          </>
        )}
        <dt>Asked</dt>
        <dd>{formatTime(request.requestedAt)}</dd>
        <dt>Answer by</dt>
        <dd>{formatTime(request.expiresAt)} (afterwards the request lapses)</dd>
      </dl>
      <DocumentInput label={`Signed research consent form for study ${n}`} onChange={setDoc} />
      <Action
        contract="research_registry"
        message="approve_request"
        label={`Approve study ${n}`}
        args={() =>
          doc
            ? [patient, request.studyId, doc.hash]
            : 'Attach the signed research consent form: its hash records what was agreed (the form stays on this device)'
        }
        inputs={[doc?.hash]}
        onDone={() => onAnswered(`You approved study ${n}: a research consent for it is on chain.`)}
      />
      <Action
        contract="research_registry"
        message="deny_request"
        label={`Deny study ${n}`}
        args={() => [patient, request.studyId]}
        onDone={() => onAnswered(`You denied study ${n}'s request: final on chain.`)}
      />
      <Action
        contract="research_registry"
        message="block_researcher"
        label={`Block researcher ${researcher}`}
        args={() => [patient, request.researcher.address()]}
        onDone={() => onAnswered(`You blocked ${researcher}: their requests are withdrawn and they cannot ask again until you unblock them.`)}
      />
    </section>
  );
}

function JoinStudy({ patient }: { patient: string }) {
  const { contracts } = useSuite();
  const names = useNames();
  const [text, setText] = useState('');
  const [doc, setDoc] = useState<HashedDocument | null>(null);
  const inputId = useId();
  const studyId = parseStudyId(text);
  const study = useRead(
    async () => (studyId === null ? undefined : (await contracts.research_registry.query.study(studyId, { caller: patient })).data),
    [studyId, patient, contracts],
  );
  const args = () => {
    if (studyId === null) return 'Give the study number (a whole number, as the researcher gave it)';
    if (!doc) return 'Attach the signed research consent form: its hash records what was agreed (the form stays on this device)';
    return [patient, studyId, doc.hash];
  };
  return (
    <form className="task" aria-labelledby="join-heading" onSubmit={(e) => e.preventDefault()}>
      <h4 id="join-heading">Join a study</h4>
      <p className="hint">Join an approved study without being asked: a research consent for the study's data until it ends.</p>
      <div className="field">
        <label htmlFor={inputId}>Study number</label>
        <input
          id={inputId}
          inputMode="numeric"
          autoComplete="off"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={text !== '' && studyId === null}
        />
        {text !== '' && studyId === null && <span className="field-error">Not a study number</span>}
      </div>
      {studyId !== null && (
        <p role="status" aria-live="polite">
          {study.state === 'ok' && study.value
            ? `Study ${studyId} by ${names(study.value.researcher.address())}: ${categoriesText(study.value.categories)}, ends ${formatTime(study.value.endsAt)}; ${statusText(study.value, names)}.`
            : study.state === 'ok'
              ? `There is no study ${studyId}.`
              : ''}
        </p>
      )}
      <DocumentInput label="Signed research consent form" onChange={setDoc} />
      <Action contract="research_registry" message="join_study" label="Join study" args={args} inputs={[text, doc?.hash]} />
    </form>
  );
}

function UnblockResearcher({ patient }: { patient: string }) {
  const { contracts } = useSuite();
  const names = useNames();
  const [researcher, setResearcher] = useState('');
  const onResearcher = useCallback((v: string) => setResearcher(v), []);
  const blocked = useRead(
    async () => (researcher ? (await contracts.research_registry.query.isBlocked(patient, researcher, { caller: patient })).data : null),
    [researcher, patient, contracts],
  );
  return (
    <form className="task" aria-labelledby="unblock-heading" onSubmit={(e) => e.preventDefault()}>
      <h4 id="unblock-heading">Unblock a researcher</h4>
      <AccountInput label="Researcher to unblock" value={researcher} onChange={onResearcher} />
      {researcher && blocked.state === 'ok' && blocked.value !== null && (
        <p role="status">{blocked.value ? `${names(researcher)} is blocked.` : `${names(researcher)} is not blocked.`}</p>
      )}
      <Action
        contract="research_registry"
        message="unblock_researcher"
        label="Unblock researcher"
        inputs={[researcher]}
        args={() => (researcher ? [patient, researcher] : 'Name the researcher to unblock (an account)')}
      />
    </form>
  );
}
