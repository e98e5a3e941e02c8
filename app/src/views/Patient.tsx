/** Everything a patient (or their delegate) does with their own data's facts. */
import { useSuite } from '../chain/suite';
import { Consents } from './patient/Consents';

export default function PatientView() {
  const { account } = useSuite();
  if (!account) return null;
  const patient = account.address;
  return (
    <div className="patient">
      <Consents patient={patient} />
    </div>
  );
}
