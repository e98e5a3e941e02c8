/**
 * A lot (GTIN + batch/lot): its record in words, and a recall (by its commissioner or the
 * regulator) or, for the regulator, restoring a lot whose holding was revoked by mistake.
 */
import { useCallback, useState } from 'react';
import { Action } from '../../chain/Action';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { useRead } from '../../chain/useRead';
import { isSameAccount } from '../../lib/roles';
import { expiryWords, gtinHex, revokedHoldings, textBytes } from '../../lib/pharma';
import { formatTime } from '../../lib/format';
import { GtinInput, LotInput } from './common';

export function LotPanel({ regulator }: { regulator: boolean }) {
  const { contracts, account } = useSuite();
  const names = useNames();
  const me = account?.address ?? '';
  const [gtin, setGtin] = useState<string | null>(null);
  const [lot, setLot] = useState<string | null>(null);
  const onGtin = useCallback((g: string | null) => setGtin(g), []);
  const onLot = useCallback((l: string | null) => setLot(l), []);
  // Said once a recall or restoration is final: its action then leaves the page.
  const [notice, setNotice] = useState('');
  const r = useRead(async () => {
    if (!gtin || !lot) return null;
    const [record, product] = await Promise.all([
      contracts.pharma_ledger.query.lot(gtinHex(gtin), textBytes(lot), { caller: me }),
      contracts.pharma_ledger.query.gtin(gtinHex(gtin), { caller: me }),
    ]);
    return { lot: record.data ?? null, product: product.data ?? null };
  }, [gtin, lot, contracts, me]);

  const value = r.state === 'ok' ? r.value : null;
  const record = value?.lot ?? null;
  const withdrawn =
    record && value?.product ? revokedHoldings(value.product.revokedHoldings, value.product.holding).includes(record.holding) && !record.restored : false;
  const mayRecall = record !== null && !record.recalled && (regulator || isSameAccount(record.commissioner.address(), me));
  const args = () => (gtin && lot ? [gtinHex(gtin), textBytes(lot)] : 'Enter the GTIN and the batch/lot');

  return (
    <form className="task" aria-labelledby="lot-heading" onSubmit={(e) => e.preventDefault()}>
      <h3 id="lot-heading">{regulator ? 'Recall or restore a lot' : 'Recall a lot you commissioned'}</h3>
      <p className="hint">A recall takes every pack of the lot off the market at once: they verify as recalled and can no longer be shipped, dispensed or put back. It is final.</p>
      <GtinInput label="GTIN of the lot" onChange={onGtin} />
      <LotInput label="Batch/lot" onChange={onLot} />
      {r.state === 'error' && <p role="alert">The lot could not be read: {r.words}</p>}
      {gtin && lot && r.state === 'ok' && !record && <p className="refusal">No lot {lot} of GTIN {gtin} was ever commissioned.</p>}
      {record && (
        <dl className="facts" aria-label={`Lot ${lot}`} data-lot-recalled={record.recalled ? 'yes' : 'no'}>
          <dt>Commissioned by</dt>
          <dd>
            {names(record.commissioner.address())}, under holding {record.holding} of the GTIN
          </dd>
          <dt>Expires</dt>
          <dd>
            {expiryWords(record.expiry)} (from {formatTime(record.expiresAt)} it verifies as expired)
          </dd>
          <dt>Recalled</dt>
          <dd className={record.recalled ? 'refusal' : undefined}>{record.recalled ? 'yes: every pack of it verifies as recalled' : 'no'}</dd>
          <dt>Withdrawn</dt>
          <dd className={withdrawn ? 'refusal' : undefined}>
            {withdrawn
              ? 'yes: the holding it was made under was revoked; its packs cannot be supplied'
              : record.restored
                ? 'no: declared genuine again by the regulator after its holding was revoked'
                : 'no'}
          </dd>
        </dl>
      )}
      {mayRecall && (
        <Action
          contract="pharma_ledger"
          message="recall_lot"
          label={`Recall lot ${lot ?? ''}`}
          args={args}
          onDone={() => setNotice(`Lot ${lot ?? ''} of GTIN ${gtin ?? ''} is recalled: final on chain.`)}
        />
      )}
      {record && !record.recalled && !mayRecall && (
        <p className="hint">Only {names(record.commissioner.address())}, who commissioned it, or the regulator may recall this lot.</p>
      )}
      {regulator && record && withdrawn && (
        <>
          <p className="hint">Restoring declares this one lot genuine again, on record, where revoking its holding was the mistake; the holding's other lots stay withdrawn.</p>
          <Action
            contract="pharma_ledger"
            message="restore_lot"
            label={`Restore lot ${lot ?? ''}`}
            args={args}
            onDone={() => setNotice(`Lot ${lot ?? ''} of GTIN ${gtin ?? ''} is restored: declared genuine again, on record.`)}
          />
        </>
      )}
      <p role="status" aria-live="polite" className="ok">
        {notice}
      </p>
    </form>
  );
}
