/** A registered emergency responder: breaks the glass, sees and ends its own grants. */
import { useSuite } from '../chain/suite';
import { BreakTheGlass } from './responder/BreakGlass';
import { MyGrants, MyRecord } from './responder/MyGrants';

export default function ResponderView({ suspended }: { suspended: boolean }) {
  const { account } = useSuite();
  return (
    <div className="responder" key={account?.address}>
      <MyRecord suspended={suspended} />
      <BreakTheGlass suspended={suspended} />
      <MyGrants />
    </div>
  );
}
