/**
 * The regulator (pharma_ledger's owner): trading partners, GTIN claims and holdings, lot
 * recalls and restorations, and suspect packs.
 */
import { useSuite } from '../chain/suite';
import { LotPanel } from './pharmacy/LotPanel';
import { PartnerStanding, RegisterPartner } from './regulator/Partners';
import { GtinClaims, GtinRecordPanel } from './regulator/Gtins';
import { Quarantine } from './regulator/Quarantine';

export default function RegulatorView() {
  const { account } = useSuite();
  if (!account) return null;
  return (
    <div className="regulator">
      <RegisterPartner />
      <PartnerStanding />
      <GtinClaims />
      <GtinRecordPanel />
      <LotPanel regulator />
      <Quarantine />
    </div>
  );
}
