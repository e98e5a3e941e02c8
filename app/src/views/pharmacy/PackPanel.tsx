/**
 * One scanned pack: is it genuine (pharma_ledger.verify, in words), who holds it
 * (pharma_ledger.pack), and what the person may do with it now — only the actions its state,
 * its custody and the person's role allow; the contract still has the last word (a recalled,
 * expired or quarantined pack is refused there, in its words, before anything is signed).
 */
import { useState } from 'react';
import { Action, type DecodedEvent } from '../../chain/Action';
import { useSuite } from '../../chain/suite';
import { nowMs } from '../../chain/useRead';
import { DocumentInput, type HashedDocument } from '../../components/inputs';
import { toContractArgs, type Pack } from '../../lib/gs1';
import { isSameAccount } from '../../lib/roles';
import {
  DECOMMISSION_REASONS,
  isDecommissioned,
  packActions,
  statusWords,
  transitionFromEvents,
  transitionWords,
  type DecommissionReason,
  type PartnerRole,
} from '../../lib/pharma';
import { Custody, packFacts, packId, packWords, usePackReading, Verdict } from './common';
import type { PharmaLedgerPack, PharmaLedgerPackTransition } from '../../contracts/types/pharma-ledger';

export function PackPanel({
  pack,
  role,
  onShip,
  inShipment,
}: {
  pack: Pack;
  role: PartnerRole;
  /** Puts the pack on the shipment list. */
  onShip: (pack: Pack) => void;
  inShipment: boolean;
}) {
  const { account } = useSuite();
  const reading = usePackReading(pack);
  const [result, setResult] = useState<PharmaLedgerPackTransition | null>(null);
  // What a finalized receive, reject, cancel, recall or flag did: its action then leaves the page.
  const [said, setSaid] = useState('');
  const me = account?.address ?? '';
  const a = toContractArgs(pack);
  const done = (events: DecodedEvent[]) => {
    setSaid('');
    setResult(transitionFromEvents(events));
  };
  const onSaid = (words: string) => {
    setResult(null);
    setSaid(words);
  };

  return (
    <section className="panel" aria-labelledby="pack-heading" data-pack-panel={pack.serial}>
      <h3 id="pack-heading">Pack {pack.serial}</h3>
      <p className="hint">{packWords(pack)}</p>
      {reading.state === 'loading' && <p role="status">Asking the ledger…</p>}
      {reading.state === 'error' && <p role="alert">The ledger could not be asked: {reading.words}</p>}
      {reading.state === 'ok' && reading.value && (
        <>
          <h4>Verification</h4>
          <Verdict verification={reading.value.verification} />
          {reading.value.record && (
            <>
              <h4>Custody</h4>
              <Custody record={reading.value.record} custodianRole={reading.value.verification.custodianRole} />
            </>
          )}
          {result && (
            <p className={result.type === 'Alert' ? 'refusal' : 'ok'} role="status" data-transition={result.type === 'Alert' ? 'Alert' : result.value}>
              {transitionWords(result)}
            </p>
          )}
          {reading.value.record && (
            <PackActions
              verified={reading.value.verification.verified}
              pack={pack}
              role={role}
              me={me}
              facts={reading.value.record}
              commissioner={reading.value.lot?.commissioner.address() ?? null}
              lotRecalled={reading.value.lot?.recalled ?? false}
              onDone={done}
              onSaid={onSaid}
              onShip={onShip}
              inShipment={inShipment}
              args={a}
            />
          )}
          {said && (
            <p className="ok" role="status">
              {said}
            </p>
          )}
          {!reading.value.verification.verified && (
            <p className="hint">
              Do not supply it: set it aside and report it to the regulator.
              {reading.value.record ? ' A pack with this serial number exists: you can flag it suspect below.' : ''}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function PackActions({
  verified,
  pack,
  role,
  me,
  facts,
  commissioner,
  lotRecalled,
  onDone,
  onSaid,
  onShip,
  inShipment,
  args: a,
}: {
  /** The scanned code matched the pack in full; otherwise only flagging it makes sense. */
  verified: boolean;
  pack: Pack;
  role: PartnerRole;
  me: string;
  facts: PharmaLedgerPack;
  commissioner: string | null;
  lotRecalled: boolean;
  onDone: (events: DecodedEvent[]) => void;
  /** Says what a finalized action without a pack transition did. */
  onSaid: (words: string) => void;
  onShip: (pack: Pack) => void;
  inShipment: boolean;
  args: ReturnType<typeof toContractArgs>;
}) {
  const [reason, setReason] = useState<DecommissionReason>('Destroyed');
  const [evidence, setEvidence] = useState<HashedDocument | null>(null);
  const f = packFacts(facts);
  const all = packActions(f, me, role, nowMs(), isSameAccount);
  const can = verified ? all : { ...Object.fromEntries(Object.keys(all).map((k) => [k, false])), flagSuspect: all.flagSuspect } as typeof all;
  const [gtin, serial] = packId(pack);
  const shipment = facts.transit?.shipment;
  const mayRecall = verified && commissioner !== null && isSameAccount(commissioner, me) && !lotRecalled;
  const any = Object.values(can).some(Boolean) || mayRecall;

  return (
    <div className="pack-actions">
      <h4>What you can do with it</h4>
      {!any && <p className="hint">Nothing, as things stand: the pack is {statusWords(f.status)} and not in your hands.</p>}
      {can.dispense && (
        <div className="task-part">
          <h5>Dispense</h5>
          <p className="hint">
            {isDecommissioned(f.status)
              ? `This pack is already ${statusWords(f.status)}: dispensing it again records a falsification alert instead (it may be a clone), and the pack does not change.`
              : 'Supplies the pack to the patient, after the whole code (GTIN, serial, batch/lot, expiry) matched.'}
          </p>
          <Action contract="pharma_ledger" message="dispense" label="Dispense this pack" args={() => [gtin, serial, a.lot, a.expiry]} onDone={onDone} />
        </div>
      )}
      {can.undo && (
        <div className="task-part">
          <h5>Undo</h5>
          <p className="hint">Puts the pack back into the supply chain: only within 10 days of your change, never for an expired, recalled or quarantined pack.</p>
          <Action contract="pharma_ledger" message="undo" label="Undo the last change" args={() => [gtin, serial]} onDone={onDone} />
        </div>
      )}
      {can.decommission && (
        <div className="task-part">
          <h5>Decommission</h5>
          <fieldset className="choices">
            <legend>Why the pack leaves the supply chain</legend>
            <div>
              {DECOMMISSION_REASONS.map((r) => (
                <label key={r.reason} className="check">
                  <input type="radio" name={`reason-${pack.serial}`} value={r.reason} checked={reason === r.reason} onChange={() => setReason(r.reason)} />
                  {r.label} <span className="code">— {r.hint}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <Action contract="pharma_ledger" message="decommission" label="Decommission this pack" args={() => [gtin, serial, reason]} onDone={onDone} />
        </div>
      )}
      {can.receive && shipment !== undefined && (
        <div className="task-part">
          <h5>Delivery</h5>
          <p className="hint">This pack is on its way to you in shipment #{shipment.toString()}.</p>
          <Action
            contract="pharma_ledger"
            message="receive"
            label="Receive this pack"
            args={() => [shipment, [[gtin, serial]]]}
            onDone={() => onSaid(`Pack ${pack.serial} received: it is in your custody now. Final on chain.`)}
          />
          <Action
            contract="pharma_ledger"
            message="reject"
            label="Reject this pack (back to the sender)"
            args={() => [shipment, [[gtin, serial]]]}
            onDone={() => onSaid(`Pack ${pack.serial} rejected: it goes back to the sender. Final on chain.`)}
          />
        </div>
      )}
      {can.cancel && shipment !== undefined && (
        <div className="task-part">
          <h5>Cancel its shipment</h5>
          <p className="hint">You sent it in shipment #{shipment.toString()}; the recipient has not received it. A sender may cancel 14 days after shipping.</p>
          <Action
            contract="pharma_ledger"
            message="cancel_shipment"
            label="Cancel the shipment of this pack"
            args={() => [shipment, [[gtin, serial]]]}
            onDone={() => onSaid(`The shipment of pack ${pack.serial} is cancelled: it is back in your custody. Final on chain.`)}
          />
        </div>
      )}
      {can.ship && (
        <div className="task-part">
          <h5>Ship</h5>
          {inShipment ? (
            <p className="hint">On the shipment list below.</p>
          ) : (
            <button type="button" onClick={() => onShip(pack)}>
              Add pack {pack.serial} to the shipment list
            </button>
          )}
        </div>
      )}
      {mayRecall && (
        <div className="task-part">
          <h5>Recall its lot</h5>
          <p className="hint">You commissioned batch/lot {pack.lot}: a recall takes every pack of it off the market at once, and is final.</p>
          <Action
            contract="pharma_ledger"
            message="recall_lot"
            label={`Recall lot ${pack.lot}`}
            args={() => [gtin, a.lot]}
            onDone={() => onSaid(`Lot ${pack.lot} is recalled: every pack of it verifies as recalled. Final on chain.`)}
          />
        </div>
      )}
      {can.flagSuspect && (
        <div className="task-part">
          <h5>Flag as suspect</h5>
          <p className="hint">Quarantines the pack until the regulator decides. Attach your evidence (a photo, a report): it is hashed here and stays on this device.</p>
          <DocumentInput label="Evidence" onChange={setEvidence} />
          <Action
            contract="pharma_ledger"
            message="flag_suspect"
            label="Flag this pack as suspect"
            args={() => (evidence ? [gtin, serial, evidence.hash] : 'Attach the evidence document: its hash goes on record, the document stays here')}
            onDone={() => onSaid(`Pack ${pack.serial} is flagged suspect: it is quarantined until the regulator decides. Final on chain.`)}
          />
        </div>
      )}
    </div>
  );
}
