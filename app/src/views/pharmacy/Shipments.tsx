/**
 * Custody between trading partners: shipping packs (scanned one by one) to a partner with the
 * transaction statement hashed on this device; receiving or rejecting a shipment's packs;
 * cancelling one's own unreceived shipment.
 */
import { useCallback, useId, useState } from 'react';
import { Action, type DecodedEvent } from '../../chain/Action';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { useRead } from '../../chain/useRead';
import { AccountInput, DocumentInput, type HashedDocument } from '../../components/inputs';
import type { Pack } from '../../lib/gs1';
import { ROLE_WORDS } from '../../lib/pharma';
import { packId, PackList } from './common';

/** The shipment id a finalized `ship` returned, from its PacksShipped event. */
function shipmentOf(events: readonly DecodedEvent[]): bigint | null {
  for (const e of events) {
    if (e.name.endsWith('PacksShipped')) {
      const id = (e.data as { shipmentId?: bigint } | undefined)?.shipmentId;
      if (id !== undefined) return BigInt(id);
    }
  }
  return null;
}

export function ShipPacks({ packs, onChange }: { packs: Pack[]; onChange: (packs: Pack[]) => void }) {
  const { contracts, account } = useSuite();
  const names = useNames();
  const [to, setTo] = useState('');
  const [statement, setStatement] = useState<HashedDocument | null>(null);
  const [sent, setSent] = useState<{ id: bigint; to: string; count: number } | null>(null);
  const onTo = useCallback((v: string) => setTo(v), []);
  const caller = account?.address ?? '';
  const recipient = useRead(async () => (to ? ((await contracts.pharma_ledger.query.partner(to, { caller })).data ?? null) : null), [to, contracts, caller]);

  const args = () => {
    if (packs.length === 0) return 'Scan the packs to ship onto the list first';
    if (!to) return 'Name the trading partner the packs go to';
    if (!statement) return 'Attach the transaction statement: its hash is anchored with the shipment, the document stays here';
    return [packs.map(packId), to, statement.hash];
  };
  const done = (events: DecodedEvent[]) => {
    const id = shipmentOf(events);
    if (id !== null) setSent({ id, to, count: packs.length });
    onChange([]);
  };

  return (
    <form className="task" aria-labelledby="ship-heading" onSubmit={(e) => e.preventDefault()}>
      <h3 id="ship-heading">Ship packs</h3>
      <p className="hint">Scan each pack into the list, name the partner, attach the transaction statement. Up to 50 packs go as one shipment.</p>
      <PackList packs={packs} onChange={onChange} label="Scan or paste a pack to ship" what="Packs to ship" />
      <AccountInput label="To (a trading partner)" value={to} onChange={onTo} />
      {to && recipient.state === 'ok' && (
        <p className={recipient.value && !recipient.value.suspended ? 'hint' : 'refusal'}>
          {recipient.value
            ? `${names(to)} is a registered ${ROLE_WORDS[recipient.value.role]}${recipient.value.suspended ? ', suspended: it cannot receive packs' : ''}.`
            : `${names(to)} is not a registered trading partner: packs cannot be shipped to it.`}
        </p>
      )}
      <DocumentInput label="Transaction statement" onChange={setStatement} />
      <Action contract="pharma_ledger" message="ship" label="Ship these packs" args={args} onDone={done} />
      {sent && (
        <p className="ok" role="status" data-shipment={sent.id.toString()}>
          Shipment #{sent.id.toString()} is on its way to {names(sent.to)} with {sent.count} pack{sent.count === 1 ? '' : 's'}: give the recipient
          this number.
        </p>
      )}
    </form>
  );
}

/** A shipment number typed by a person. */
function ShipmentInput({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const id = useId();
  const bad = value !== '' && !/^\d+$/.test(value.trim());
  return (
    <div className="field">
      <label htmlFor={id}>Shipment number</label>
      <input id={id} inputMode="numeric" value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" aria-invalid={bad} />
      {bad && <span className="field-error">A shipment number is a whole number, as the sender was told (e.g. 12)</span>}
    </div>
  );
}

/** Receiving or rejecting a shipment's packs (the recipient), or cancelling it (the sender). */
export function ShipmentPacks({ task }: { task: 'settle' | 'cancel' }) {
  const [shipment, setShipment] = useState('');
  const [packs, setPacks] = useState<Pack[]>([]);
  const heading = task === 'settle' ? 'Receive or reject a shipment' : 'Cancel a shipment you sent';
  const hid = useId();
  const args = () => {
    if (!/^\d+$/.test(shipment.trim())) return 'Enter the shipment number';
    if (packs.length === 0) return 'Scan the packs of the shipment onto the list';
    return [BigInt(shipment.trim()), packs.map(packId)];
  };
  return (
    <form className="task" aria-labelledby={hid} onSubmit={(e) => e.preventDefault()}>
      <h3 id={hid}>{heading}</h3>
      <p className="hint">
        {task === 'settle'
          ? 'Scan the packs that arrived; receiving takes custody of them, rejecting sends them back to the sender. All of a shipment or some of its packs.'
          : 'Unreceived packs go back to you: a sender may cancel 14 days after shipping (the regulator at any time).'}
      </p>
      <ShipmentInput value={shipment} onChange={setShipment} />
      <PackList
        packs={packs}
        onChange={setPacks}
        label={task === 'settle' ? 'Scan or paste a pack that arrived' : 'Scan or paste a pack of the shipment'}
        what={task === 'settle' ? 'Packs that arrived' : 'Packs to take back'}
      />
      {task === 'settle' ? (
        <>
          <Action contract="pharma_ledger" message="receive" label="Receive these packs" args={args} onDone={() => setPacks([])} />
          <Action contract="pharma_ledger" message="reject" label="Reject these packs (back to the sender)" args={args} onDone={() => setPacks([])} />
        </>
      ) : (
        <Action contract="pharma_ledger" message="cancel_shipment" label="Cancel the shipment of these packs" args={args} onDone={() => setPacks([])} />
      )}
    </form>
  );
}
