/** Studies as the ethics and research views list them: there is no list query, so ids are scanned. */
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { useRead, nowMs, type Read } from '../../chain/useRead';
import { categoriesText, formatTime } from '../../lib/format';
import { lastId, newestIds, studyState, studyStatusText } from '../../lib/studies';
import type { ResearchRegistryDataStudy } from '../../contracts/types/research-registry';

/** How many of the newest studies the views read. */
export const RECENT = 50;

/** The newest studies, newest first (at most `RECENT`), and how many exist. */
export function useRecentStudies(): Read<{ total: bigint; studies: ResearchRegistryDataStudy[] }> {
  const { contracts, account } = useSuite();
  const caller = account?.address ?? '';
  return useRead(async () => {
    const study = async (id: bigint) => (await contracts.research_registry.query.study(id, { caller })).data;
    const total = await lastId(async (id) => (await study(id)) !== undefined);
    const all = await Promise.all(newestIds(total, RECENT).map(study));
    return { total, studies: all.filter((s): s is ResearchRegistryDataStudy => s !== undefined) };
  }, [contracts, caller]);
}

export function StudyFacts({ study }: { study: ResearchRegistryDataStudy }) {
  const names = useNames();
  const now = nowMs();
  return (
    <dl className="facts" data-study={study.id.toString()} data-state={studyState(study, now)}>
      <dt>Study</dt>
      <dd>#{study.id.toString()}</dd>
      <dt>Researcher</dt>
      <dd>{names(study.researcher.address())}</dd>
      <dt>Data it asks for</dt>
      <dd>{categoriesText(study.categories)}</dd>
      <dt>Registered</dt>
      <dd>{formatTime(study.registeredAt)}</dd>
      <dt>Ends</dt>
      <dd>{formatTime(study.endsAt)}</dd>
      <dt>Status</dt>
      <dd>{studyStatusText(study, now, names)}</dd>
    </dl>
  );
}

export function StudiesTable({
  label,
  studies,
  open,
}: {
  label: string;
  studies: ResearchRegistryDataStudy[];
  open?: (id: bigint) => void;
}) {
  const names = useNames();
  const now = nowMs();
  return (
    <table className="rows" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Study</th>
          <th scope="col">Researcher</th>
          <th scope="col">Data</th>
          <th scope="col">Registered</th>
          <th scope="col">Ends</th>
          <th scope="col">Status</th>
          {open && <th scope="col">Action</th>}
        </tr>
      </thead>
      <tbody>
        {studies.map((s) => (
          <tr key={s.id.toString()} data-study={s.id.toString()} data-state={studyState(s, now)}>
            <td>#{s.id.toString()}</td>
            <td>{names(s.researcher.address())}</td>
            <td>{categoriesText(s.categories)}</td>
            <td>{formatTime(s.registeredAt)}</td>
            <td>{formatTime(s.endsAt)}</td>
            <td>{studyStatusText(s, now, names)}</td>
            {open && (
              <td>
                <button type="button" onClick={() => open(s.id)}>
                  Open study #{s.id.toString()}
                </button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
