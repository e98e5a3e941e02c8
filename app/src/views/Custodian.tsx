/** A registered custodian: checks and records accesses it serves, and anchors and verifies records. */
import { useSuite } from '../chain/suite';
import { CheckAccess, RecordAccess } from './custodian/Access';
import { AnchorRecord, MarkEnteredInError, VerifyFile } from './custodian/Anchors';

export default function CustodianView() {
  const { account } = useSuite();
  return (
    <div className="custodian" key={account?.address}>
      <CheckAccess />
      <RecordAccess />
      <AnchorRecord />
      <VerifyFile />
      <MarkEnteredInError />
    </div>
  );
}
