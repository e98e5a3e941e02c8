/**
 * Everything a patient (or their delegate) does with their own data's facts. A delegate names
 * the patient they act for; every panel then works on that patient, except appointing delegates,
 * emergency preferences and disputing emergency reviews, which stay the patient's own.
 */
import { useState } from 'react';
import { useSuite } from '../chain/suite';
import { Consents } from './patient/Consents';
import { ActingFor, useDelegation } from './patient/ActingFor';
import { DenyRules } from './patient/DenyRules';
import { Delegates } from './patient/Delegates';
import { EmergencyPreferences } from './patient/EmergencyPreferences';
import { ResearchRequests } from './patient/ResearchRequests';
import { Purge } from './patient/Purge';
import { Disclosures } from './patient/Disclosures';
import { EmergencyReviews } from './patient/EmergencyReviews';

export default function PatientView() {
  const { account } = useSuite();
  if (!account) return null;
  // A new account starts on its own data, with empty forms.
  return <PatientWork key={account.address} me={account.address} />;
}

function PatientWork({ me }: { me: string }) {
  const [actingFor, setActingFor] = useState<string | null>(null);
  const delegation = useDelegation(actingFor);
  const patient = actingFor ?? me;
  const own = actingFor === null;
  const mayAct = own || (delegation.state === 'ok' && delegation.value !== null);
  return (
    <div className="patient">
      <ActingFor actingFor={actingFor} delegation={delegation} onChange={setActingFor} />
      {mayAct && (
        // Remounted per patient, so no form carries input from one patient to another.
        <div key={patient}>
          <Consents patient={patient} />
          <DenyRules patient={patient} />
          {own && <Delegates patient={patient} />}
          {own && <EmergencyPreferences patient={patient} />}
          <ResearchRequests patient={patient} />
          <Purge patient={patient} acting={!own} />
          <Disclosures patient={patient} />
          {own && <EmergencyReviews patient={patient} />}
        </div>
      )}
    </div>
  );
}
