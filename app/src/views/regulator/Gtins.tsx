/**
 * The regulator's product codes: deciding GTIN claims (there is no list of claims on chain:
 * the claimant names the GTIN, e.g. in its licence application), and a GTIN's record with
 * transferring it (a sale or a squat) and revoking a holding.
 */
import { useCallback, useId, useState } from 'react';
import { Action } from '../../chain/Action';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { useRead } from '../../chain/useRead';
import { AccountInput } from '../../components/inputs';
import { gtinHex, holdingWords, revokedHoldings, TRANSFER_KINDS } from '../../lib/pharma';
import type { PharmaLedgerDataTransferKind } from '../../contracts/types/pharma-ledger';
import { GtinInput } from '../pharmacy/common';
import { GtinStanding } from '../pharmacy/Manufacturer';

export function GtinClaims() {
  const [gtin, setGtin] = useState<string | null>(null);
  const [claimant, setClaimant] = useState('');
  const onGtin = useCallback((g: string | null) => setGtin(g), []);
  const onClaimant = useCallback((v: string) => setClaimant(v), []);
  const names = useNames();
  const args = () => (!gtin ? 'Enter the claimed GTIN' : !claimant ? 'Name the claimant' : [gtinHex(gtin), claimant]);
  return (
    <form className="task" aria-labelledby="claims-heading" onSubmit={(e) => e.preventDefault()}>
      <h3 id="claims-heading">Decide a GTIN claim</h3>
      <p className="hint">
        The ledger keeps no list of claims: enter the GTIN and the manufacturer or repackager that claims it. Check its GS1 licence against the
        evidence hash it recorded before approving.
      </p>
      <GtinInput label="Claimed GTIN" onChange={onGtin} />
      <AccountInput label="Claimant" value={claimant} onChange={onClaimant} />
      {gtin && claimant && <GtinStanding gtin={gtin} claimant={claimant} />}
      <Action contract="pharma_ledger" message="approve_gtin_claim" label={`Approve the claim${claimant ? ` of ${names(claimant)}` : ''}`} args={args} />
      <Action contract="pharma_ledger" message="reject_gtin_claim" label={`Reject the claim${claimant ? ` of ${names(claimant)}` : ''}`} args={args} />
    </form>
  );
}

export function GtinRecordPanel() {
  const { contracts, account } = useSuite();
  const names = useNames();
  const caller = account?.address ?? '';
  const [gtin, setGtin] = useState<string | null>(null);
  const [owner, setOwner] = useState('');
  const [kind, setKind] = useState<PharmaLedgerDataTransferKind>('Sale');
  const [holding, setHolding] = useState('');
  const onGtin = useCallback((g: string | null) => setGtin(g), []);
  const onOwner = useCallback((v: string) => setOwner(v), []);
  const kindName = useId();
  const holdingId = useId();
  const r = useRead(async () => (gtin ? ((await contracts.pharma_ledger.query.gtin(gtinHex(gtin), { caller })).data ?? null) : null), [gtin, contracts, caller]);
  const record = r.state === 'ok' ? r.value : null;
  const revoked = record ? revokedHoldings(record.revokedHoldings, record.holding) : [];
  const revocable = record ? Array.from({ length: record.holding }, (_, i) => i + 1).filter((h) => !revoked.includes(h)) : [];
  const chosenHolding = holding !== '' ? Number(holding) : (revocable[revocable.length - 1] ?? 0);

  return (
    <form className="task" aria-labelledby="gtin-heading" onSubmit={(e) => e.preventDefault()}>
      <h3 id="gtin-heading">A GTIN's holder: transfer or revoke</h3>
      <GtinInput label="GTIN" onChange={onGtin} />
      {r.state === 'error' && <p role="alert">The GTIN could not be read: {r.words}</p>}
      {gtin && r.state === 'ok' && !record && <p>No one holds GTIN {gtin}: approve a claim to assign it.</p>}
      {record && (
        <dl className="facts" aria-label={`GTIN ${gtin}`}>
          <dt>Holder</dt>
          <dd data-gtin-owner={record.owner.address()}>{names(record.owner.address())}</dd>
          <dt>Holding</dt>
          <dd>{holdingWords(record.holding, record.revokedHoldings)}</dd>
        </dl>
      )}
      {record && (
        <>
          <h4>Transfer it</h4>
          <AccountInput label="New holder (a manufacturer or repackager)" value={owner} onChange={onOwner} />
          <fieldset className="choices">
            <legend>What becomes of the current holder's packs</legend>
            <div>
              {TRANSFER_KINDS.map((k) => (
                <label key={k.kind} className="check">
                  <input type="radio" name={kindName} value={k.kind} checked={kind === k.kind} onChange={() => setKind(k.kind)} />
                  {k.label} <span className="code">— {k.hint}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <Action
            contract="pharma_ledger"
            message="transfer_gtin"
            label={`Transfer GTIN ${gtin ?? ''} (${kind === 'Sale' ? 'sale' : 'squat'})`}
            args={() => (!gtin ? 'Enter the GTIN' : !owner ? 'Name the new holder' : [gtinHex(gtin), owner, kind])}
          />
          <h4>Revoke a holding</h4>
          <p className="hint">
            Every pack commissioned under a revoked holding verifies as withdrawn and cannot be supplied, whatever happens to the GTIN later; their
            history stays. Revoke the current holding to stop commissioning, or an earlier one found out later.
          </p>
          {revocable.length === 0 ? (
            <p>Every holding of this GTIN is revoked already.</p>
          ) : (
            <>
              <div className="field">
                <label htmlFor={holdingId}>Holding to revoke</label>
                <select id={holdingId} value={String(chosenHolding)} onChange={(e) => setHolding(e.target.value)}>
                  {revocable.map((h) => (
                    <option key={h} value={h}>
                      holding {h}
                      {h === record.holding ? ` (the current one, ${names(record.owner.address())}'s)` : ' (an earlier one)'}
                    </option>
                  ))}
                </select>
              </div>
              <Action
                contract="pharma_ledger"
                message="revoke_gtin"
                label={`Revoke holding ${chosenHolding}`}
                args={() => (!gtin || !chosenHolding ? 'Choose the holding' : [gtinHex(gtin), chosenHolding])}
              />
            </>
          )}
        </>
      )}
    </form>
  );
}
