/**
 * A manufacturer's (or repackager's) tasks: claiming a GTIN with its GS1 licence evidence
 * (hashed on this device; the regulator approves), and commissioning a lot's serials.
 */
import { useCallback, useEffect, useId, useState } from 'react';
import { Action, type DecodedEvent } from '../../chain/Action';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { useRead } from '../../chain/useRead';
import { DocumentInput, type HashedDocument } from '../../components/inputs';
import { toElementString } from '../../lib/gs1';
import { shortHex } from '../../lib/format';
import { bytesText, expiryFromDate, expiryWords, gtinHex, holdingWords, randomSerials, readSerials, textBytes } from '../../lib/pharma';
import { GtinInput, LotInput } from './common';

/** Who holds a GTIN and whether `me` has an open claim on it, in words. */
export function GtinStanding({ gtin, claimant, onClaim }: { gtin: string; claimant: string; onClaim?: (open: boolean) => void }) {
  const { contracts, account } = useSuite();
  const names = useNames();
  const caller = account?.address ?? claimant;
  const r = useRead(async () => {
    const g = gtinHex(gtin);
    const [record, claim] = await Promise.all([
      contracts.pharma_ledger.query.gtin(g, { caller }),
      claimant ? contracts.pharma_ledger.query.gtinClaim(g, claimant, { caller }) : Promise.resolve({ data: undefined }),
    ]);
    return { record: record.data ?? null, claim: claim.data ?? null };
  }, [gtin, claimant, contracts, caller]);
  const open = r.state === 'ok' ? r.value.claim !== null : false;
  useEffect(() => onClaim?.(open), [open, onClaim]);
  if (r.state === 'loading') return <p role="status">Reading the GTIN…</p>;
  if (r.state === 'error') return <p role="alert">The GTIN could not be read: {r.words}</p>;
  const { record, claim } = r.value;
  return (
    <ul className="facts-list" aria-label={`GTIN ${gtin} on the ledger`}>
      <li data-gtin-holder={record ? record.owner.address() : ''}>
        {record
          ? `Held by ${names(record.owner.address())}, ${holdingWords(record.holding, record.revokedHoldings)}.`
          : 'No one holds this GTIN on the ledger yet.'}
      </li>
      {claimant && (
        <li data-claim={claim ? 'open' : 'none'}>
          {claim
            ? `${names(claimant) === 'you' ? 'Your' : `${names(claimant)}'s`} claim is open, awaiting the regulator (evidence document hash ${shortHex(claim)}).`
            : `${names(claimant) === 'you' ? 'You have' : `${names(claimant)} has`} no open claim on it.`}
        </li>
      )}
    </ul>
  );
}

export function ClaimGtin() {
  const { account } = useSuite();
  const me = account?.address ?? '';
  const [gtin, setGtin] = useState<string | null>(null);
  const [evidence, setEvidence] = useState<HashedDocument | null>(null);
  const [claimOpen, setClaimOpen] = useState(false);
  const onGtin = useCallback((g: string | null) => setGtin(g), []);
  const onClaim = useCallback((open: boolean) => setClaimOpen(open), []);
  return (
    <form className="task" aria-labelledby="claim-heading" onSubmit={(e) => e.preventDefault()}>
      <h3 id="claim-heading">Claim a GTIN</h3>
      <p className="hint">
        A product code becomes yours only when the regulator approves your claim, after checking your GS1 licence. Attach the licence evidence:
        its hash goes on record, the document stays here.
      </p>
      <GtinInput label="GTIN to claim" onChange={onGtin} />
      {gtin && <GtinStanding gtin={gtin} claimant={me} onClaim={onClaim} />}
      <DocumentInput label="GS1 licence evidence" onChange={setEvidence} />
      <Action
        contract="pharma_ledger"
        message="claim_gtin"
        label="Claim this GTIN"
        args={() => (!gtin ? 'Enter a valid GTIN' : !evidence ? 'Attach the GS1 licence evidence' : [gtinHex(gtin), evidence.hash])}
      />
      {gtin && claimOpen && (
        <Action contract="pharma_ledger" message="reject_gtin_claim" label="Withdraw my claim" args={() => [gtinHex(gtin), me]} />
      )}
    </form>
  );
}

/** The element strings of the packs a finalized `commission` created, from its event. */
function commissioned(events: readonly DecodedEvent[]): string[] {
  for (const e of events) {
    if (!e.name.endsWith('PacksCommissioned')) continue;
    const d = e.data as { gtin: string; lot: string; expiry: number; serials: string[] } | undefined;
    if (!d) continue;
    const gtin = bytesText(d.gtin);
    const lot = bytesText(d.lot);
    const expiry = String(d.expiry).padStart(6, '0');
    return d.serials.map((s) => toElementString({ gtin, lot, expiry, serial: bytesText(s) }));
  }
  return [];
}

export function Commission() {
  const serialsId = useId();
  const expiryId = useId();
  const [gtin, setGtin] = useState<string | null>(null);
  const [lot, setLot] = useState<string | null>(null);
  const [expiryDate, setExpiryDate] = useState('');
  const [serialText, setSerialText] = useState('');
  const [codes, setCodes] = useState<string[]>([]);
  const onGtin = useCallback((g: string | null) => setGtin(g), []);
  const onLot = useCallback((l: string | null) => setLot(l), []);
  const expiry = expiryFromDate(expiryDate);
  const { serials, problems } = readSerials(serialText);

  const args = () => {
    if (!gtin) return 'Enter a valid GTIN you hold';
    if (!lot) return 'Enter the batch/lot code (1 to 20 GS1 characters)';
    if (!expiry) return 'Choose the expiry date';
    if (serials.length === 0) return 'List the serial numbers, one per line';
    if (serials.length > 250) return 'At most 250 serials go in one commissioning: split the lot';
    if (problems.length > 0) return problems[0] ?? 'A serial is not valid';
    return [gtinHex(gtin), textBytes(lot), Number(expiry), serials.map(textBytes)];
  };
  const generate = () => {
    const more = randomSerials(10, 12, (n) => crypto.getRandomValues(new Uint8Array(n)));
    setSerialText((t) => `${t.trim() ? `${t.trim()}\n` : ''}${more.join('\n')}`);
  };

  return (
    <form className="task" aria-labelledby="commission-heading" onSubmit={(e) => e.preventDefault()}>
      <h3 id="commission-heading">Commission a lot</h3>
      <p className="hint">Puts new packs on the ledger under a GTIN you hold: all the serials or none. Serials should be unpredictable.</p>
      <GtinInput label="GTIN" onChange={onGtin} />
      <LotInput label="Batch/lot" onChange={onLot} />
      <div className="field">
        <label htmlFor={expiryId}>Expiry date</label>
        <input id={expiryId} type="date" value={expiryDate} onChange={(e) => setExpiryDate(e.target.value)} />
        {expiry && <span className="hint">AI (17) {expiry}: {expiryWords(expiry)}</span>}
      </div>
      <div className="field">
        <label htmlFor={serialsId}>Serial numbers, one per line ({serials.length})</label>
        <textarea id={serialsId} rows={6} value={serialText} onChange={(e) => setSerialText(e.target.value)} spellCheck={false} />
        {problems.length > 0 && <span className="field-error">{problems.join('; ')}</span>}
      </div>
      <button type="button" onClick={generate}>
        Add 10 random serial numbers
      </button>
      <Action contract="pharma_ledger" message="commission" label="Commission these packs" args={args} onDone={(ev) => setCodes(commissioned(ev))} />
      {codes.length > 0 && (
        <div role="status">
          <p className="ok">Commissioned {codes.length} packs. Their codes, to print in each pack's DataMatrix:</p>
          <ul className="codes" aria-label="Commissioned pack codes">
            {codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  );
}
