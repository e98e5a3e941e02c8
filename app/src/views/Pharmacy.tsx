/**
 * The pharmacist (a dispenser) and the other trading partners (manufacturers, wholesalers,
 * repackagers): scan or paste a pack to verify it and act on it; ship, receive, reject and
 * cancel shipments; manufacturers also claim GTINs and commission lots.
 */
import { useState } from 'react';
import { useSuite } from '../chain/suite';
import { useRead } from '../chain/useRead';
import type { Pack } from '../lib/gs1';
import { ROLE_WORDS } from '../lib/pharma';
import { PackCodeInput, packKey } from './pharmacy/common';
import { PackPanel } from './pharmacy/PackPanel';
import { ShipmentPacks, ShipPacks } from './pharmacy/Shipments';
import { ClaimGtin, Commission } from './pharmacy/Manufacturer';
import { LotPanel } from './pharmacy/LotPanel';

export default function PharmacyView() {
  const { account, contracts } = useSuite();
  const me = account?.address ?? '';
  const partner = useRead(async () => (await contracts.pharma_ledger.query.partner(me, { caller: me })).data ?? null, [me, contracts]);
  const [pack, setPack] = useState<Pack | null>(null);
  const [shipment, setShipment] = useState<Pack[]>([]);

  if (!account) return null;
  if (partner.state === 'loading') return <p role="status">Reading your trading partner record…</p>;
  if (partner.state === 'error') return <p role="alert">Your trading partner record could not be read: {partner.words}</p>;
  const record = partner.value;
  if (!record) return <p>This account is not a registered trading partner: the regulator registers partners.</p>;
  const makesProducts = record.role === 'Manufacturer' || record.role === 'Repackager';
  const addToShipment = (p: Pack) => setShipment((list) => (list.some((x) => packKey(x) === packKey(p)) ? list : [...list, p]));

  return (
    <div className="pharmacy">
      <p className="hint">
        You are a registered {ROLE_WORDS[record.role]}.
        {record.suspended && <strong className="refusal"> The regulator suspended you: no pack can be moved until it lifts the suspension.</strong>}
      </p>
      <form className="task" aria-labelledby="scan-heading" onSubmit={(e) => e.preventDefault()}>
        <h3 id="scan-heading">Scan or paste a pack</h3>
        <p className="hint">
          The code from the pack's DataMatrix: scanned, pasted as printed — (01) GTIN (17) expiry (10) batch/lot (21) serial — as a GS1 Digital
          Link, or from a photo of the DataMatrix.
        </p>
        <PackCodeInput label="Pack code" action="Verify this pack" onPack={setPack} />
      </form>
      {pack && (
        <PackPanel
          key={packKey(pack)}
          pack={pack}
          role={record.role}
          onShip={addToShipment}
          inShipment={shipment.some((p) => packKey(p) === packKey(pack))}
        />
      )}
      <ShipmentPacks task="settle" />
      <ShipPacks packs={shipment} onChange={setShipment} />
      <ShipmentPacks task="cancel" />
      {makesProducts && (
        <>
          <ClaimGtin />
          <Commission />
          <LotPanel regulator={false} />
        </>
      )}
    </div>
  );
}
