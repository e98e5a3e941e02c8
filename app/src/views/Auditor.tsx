/**
 * The auditor: anyone may read the audit API (docs/audit-api.md) — a patient's accounting of
 * disclosures (table, CSV, FHIR R5), emergency grants and their reviews, a pack's custody
 * history, every anchor of a record. Read without credentials; nothing here is signed.
 */
import { useSuite } from '../chain/suite';
import { Disclosures } from './auditor/Disclosures';
import { EmergencyGrants } from './auditor/Emergency';
import { PackHistory, RecordAnchors } from './auditor/Histories';

export default function AuditorView() {
  const { deployment } = useSuite();
  return (
    <div className="auditor">
      <p className="hint">From the audit index at {deployment.auditUrl}: what the chain recorded, as it indexed it.</p>
      <Disclosures />
      <EmergencyGrants />
      <PackHistory />
      <RecordAnchors />
    </div>
  );
}
