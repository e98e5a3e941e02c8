/** A researcher (anyone): registers studies, asks patients for consent, follows their answers. */
import { useId } from 'react';
import { useSuite } from '../chain/suite';
import { isSameAccount } from '../lib/roles';
import { RegisterStudy } from './research/Register';
import { FollowAnswers, RequestAccess, useAsked } from './research/Requests';
import { RECENT, StudiesTable, useRecentStudies } from './research/studies';

export default function ResearchView() {
  const { account } = useSuite();
  const me = account?.address ?? '';
  const headingId = useId();
  const recent = useRecentStudies();
  const mine = recent.state === 'ok' ? recent.value.studies.filter((s) => isSameAccount(s.researcher.address(), me)) : [];
  const [asked, add, clear] = useAsked(me);
  return (
    <div className="research" key={account?.address}>
      <RegisterStudy />
      <section className="panel" aria-labelledby={headingId}>
        <h3 id={headingId}>Your studies</h3>
        {recent.state === 'loading' && <p role="status">Reading the studies…</p>}
        {recent.state === 'error' && <p role="alert">The studies could not be read: {recent.words}</p>}
        {recent.state === 'ok' && mine.length === 0 && <p>You have registered no study among the newest {RECENT}.</p>}
        {mine.length > 0 && <StudiesTable label="Your studies" studies={mine} />}
        <p className="hint">Read from the newest {RECENT} studies on chain.</p>
      </section>
      <RequestAccess studies={mine} onAsked={add} />
      <FollowAnswers asked={asked} clear={clear} />
    </div>
  );
}
