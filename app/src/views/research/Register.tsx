/** A researcher registers a study: its protocol hashed here, the data it asks for, when it ends. */
import { useId, useState } from 'react';
import { Action, type DecodedEvent } from '../../chain/Action';
import { nowMs } from '../../chain/useRead';
import { CategoryPicker, DateInput, DocumentInput, chainTime, YEAR_MS, type HashedDocument } from '../../components/inputs';

export function RegisterStudy() {
  const headingId = useId();
  const [protocol, setProtocol] = useState<HashedDocument | null>(null);
  const [categories, setCategories] = useState(0);
  const [ends, setEnds] = useState('');
  const [registered, setRegistered] = useState<string | null>(null);
  const args = () => {
    if (!protocol) return 'Attach the study protocol (it stays on this device; its hash is recorded)';
    if (categories === 0) return 'Choose the kinds of data the study needs';
    const until = chainTime(ends, nowMs() + YEAR_MS);
    if (until === null) return 'The end is not a valid date';
    return [protocol.hash, categories, until];
  };
  const done = (events: DecodedEvent[]) => {
    const e = events.find((x) => x.contract === 'research_registry' && x.name === 'StudyRegistered');
    const id = (e?.data as { studyId?: bigint } | undefined)?.studyId;
    setRegistered(id !== undefined ? id.toString() : null);
  };
  return (
    <form className="task" aria-labelledby={headingId} onSubmit={(e) => e.preventDefault()}>
      <h3 id={headingId}>Register a study</h3>
      <p className="hint">
        Anyone can propose a study. It can ask patients only once an ethics approver has approved it, and every consent it gets
        covers only the data chosen here, until the study ends (at most ten years).
      </p>
      <DocumentInput label="Study protocol" onChange={setProtocol} />
      <CategoryPicker legend="Which data the study needs" value={categories} onChange={setCategories} />
      <DateInput label="Study ends" value={ends} onChange={setEnds} emptyHint="empty: one year from now" />
      <Action contract="research_registry" message="register_study" label="Register the study" args={args} inputs={[protocol?.hash, categories, ends]} onDone={done} />
      <div role="status" aria-live="polite">
        {registered && (
          <p className="ok" data-registered={registered}>
            Study #{registered} is registered. An ethics approver must approve it before you can ask patients.
          </p>
        )}
      </div>
    </form>
  );
}
