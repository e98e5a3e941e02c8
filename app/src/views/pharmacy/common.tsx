/**
 * What the pharmacy, regulator and auditor views share: reading a pack code (typed, pasted,
 * or from a photo of its DataMatrix), GTIN and lot inputs, a pack's verification and custody in
 * words, and a list of packs scanned one by one.
 */
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { useRead } from '../../chain/useRead';
import { GS, parsePackCode, toContractArgs, toElementString, type Pack } from '../../lib/gs1';
import { decodeImage } from '../../lib/gs1-image';
import { formatTime, shortHex } from '../../lib/format';
import {
  bytesText,
  expiryWords,
  gtinHex,
  readGtin,
  readLot,
  ROLE_WORDS,
  statusWords,
  verificationWords,
  type PackFacts,
} from '../../lib/pharma';
import type { PharmaLedgerDataVerification, PharmaLedgerPack } from '../../contracts/types/pharma-ledger';

const FORMAT_WORDS = {
  'element-string': 'the human-readable element string',
  datamatrix: 'the DataMatrix data',
  'digital-link': 'a GS1 Digital Link',
} as const;

/** "GTIN 09506000134352, batch/lot LOT42, serial SN1, expires 31 December 2028". */
export function packWords(pack: Pack): string {
  return `GTIN ${pack.gtin}, batch/lot ${pack.lot}, serial ${pack.serial}, expires ${expiryWords(pack.expiry)}`;
}

export function packKey(pack: Pack): string {
  return toElementString(pack);
}

/**
 * A pack code: typed or pasted in any of its three written forms, or read from a photo of its
 * DataMatrix in this browser (the image never leaves the device). `onPack` gets the code once
 * it reads; a code that does not read says why, and `onPack` is not called.
 */
export function PackCodeInput({
  label,
  action,
  onPack,
  image = true,
  clearOnRead = false,
}: {
  label: string;
  /** The button's words: "Verify this pack", "Add to the shipment". */
  action: string;
  onPack: (pack: Pack) => void;
  image?: boolean;
  clearOnRead?: boolean;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [readAs, setReadAs] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const read = (value: string) => {
    const r = parsePackCode(value);
    if (!r.ok) {
      setProblem(r.error);
      setReadAs(null);
      return;
    }
    setProblem(null);
    setReadAs(`Read from ${FORMAT_WORDS[r.format]}: ${packWords(r.pack)}.`);
    onPack(r.pack);
    if (clearOnRead) setText('');
  };

  const fromImage = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setProblem(null);
    setReadAs(null);
    try {
      const decoded = await decodeImage(file);
      // The invisible GS separators shown as <GS>, which the parser reads back as GS.
      const shown = decoded.split(GS).join('<GS>').replace(/^<GS>/, '');
      setText(shown);
      read(decoded);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      read(text);
    }
  };

  return (
    <div className="pack-code">
      <div className="field">
        <label htmlFor={`${id}-code`}>{label}</label>
        <input
          id={`${id}-code`}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          placeholder="(01)…(17)…(10)…(21)…, the scanned data, or https://…/01/…"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={problem !== null}
          aria-describedby={`${id}-said`}
        />
      </div>
      {image && (
        <div className="field">
          <label htmlFor={`${id}-image`}>Or a photo or scan of its DataMatrix (read on this device)</label>
          <input id={`${id}-image`} type="file" accept="image/*" onChange={(e) => void fromImage(e.target.files?.[0])} />
        </div>
      )}
      <button type="button" onClick={() => read(text)} disabled={busy}>
        {action}
      </button>
      <div id={`${id}-said`} role="status" aria-live="polite">
        {busy && <p className="progress">Reading the image…</p>}
        {problem && <p className="field-error">This code cannot be read: {problem}</p>}
        {readAs && !problem && <p className="hint">{readAs}</p>}
      </div>
    </div>
  );
}

/** A GTIN typed as 14 digits (8, 12 or 13 are padded); `onChange` gets it when valid, else null. */
export function GtinInput({ label, onChange }: { label: string; onChange: (gtin: string | null) => void }) {
  const id = useId();
  const [text, setText] = useState('');
  const r = readGtin(text);
  const valid = r.ok ? r.gtin : null;
  useEffect(() => onChange(valid), [valid, onChange]);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={text}
        inputMode="numeric"
        onChange={(e) => setText(e.target.value)}
        placeholder="14 digits, e.g. 09506000134352"
        autoComplete="off"
        aria-invalid={text !== '' && !r.ok}
      />
      {text !== '' && !r.ok && <span className="field-error">{r.error}</span>}
    </div>
  );
}

/** A batch/lot code (AI 10); `onChange` gets it when valid, else null. */
export function LotInput({ label, onChange }: { label: string; onChange: (lot: string | null) => void }) {
  const id = useId();
  const [text, setText] = useState('');
  const r = readLot(text);
  const valid = r.ok ? r.lot : null;
  useEffect(() => onChange(valid), [valid, onChange]);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" spellCheck={false} aria-invalid={text !== '' && !r.ok} />
      {text !== '' && !r.ok && <span className="field-error">{r.error}</span>}
    </div>
  );
}

/** A pack as the contract's custody messages name it: (GTIN, serial). */
export function packId(pack: Pack): [`0x${string}`, Uint8Array] {
  const a = toContractArgs(pack);
  return [a.gtin, a.serial];
}

/** The chain's pack record as the action rules read it. */
export function packFacts(p: PharmaLedgerPack): PackFacts {
  return {
    status: p.status,
    custodian: p.custodian.address(),
    ...(p.transit ? { transitTo: p.transit.to.address() } : {}),
    lastActor: p.lastActor.address(),
    lastChangeAt: p.lastChangeAt,
    suspect: p.suspectEvidence !== undefined,
    illegitimate: p.illegitimate,
  };
}

/** verify's answer: the verdict, then every flag in words. */
export function Verdict({ verification }: { verification: PharmaLedgerDataVerification }) {
  const w = verificationWords(verification);
  return (
    <div className={`verdict-${w.verdict}`} data-verdict={w.verdict}>
      <p className={w.verdict === 'genuine' ? 'ok' : 'refusal'}>{w.headline}</p>
      <ul className="flags" aria-label="What the ledger says about this pack">
        {w.flags.map((f) => (
          <li key={f.key} data-flag={f.key} data-set={f.set ? 'yes' : 'no'} className={f.set ? 'refusal' : undefined}>
            {f.words}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Who holds a pack, its state, where it is going, and who changed it last. */
export function Custody({ record, custodianRole }: { record: PharmaLedgerPack; custodianRole?: string | undefined }) {
  const names = useNames();
  const holder = names(record.custodian.address());
  const role = custodianRole ? `, a registered ${ROLE_WORDS[custodianRole as keyof typeof ROLE_WORDS] ?? custodianRole}` : '';
  return (
    <dl className="facts" aria-label="Custody">
      <dt>Held by</dt>
      <dd data-custodian={record.custodian.address()}>
        {holder}
        {role}
      </dd>
      <dt>State</dt>
      <dd data-status={record.status}>{statusWords(record.status)}</dd>
      {record.transit && (
        <>
          <dt>On its way</dt>
          <dd>
            to {names(record.transit.to.address())} in shipment #{record.transit.shipment.toString()} (still {holder}'s until received)
          </dd>
        </>
      )}
      <dt>As commissioned</dt>
      <dd>
        batch/lot {bytesText(record.lot)}, expires {expiryWords(record.expiry)}
      </dd>
      <dt>Last change</dt>
      <dd>
        by {names(record.lastActor.address())}, {formatTime(record.lastChangeAt)}
      </dd>
      {record.suspectEvidence && (
        <>
          <dt>Quarantine</dt>
          <dd className="refusal">flagged suspect; evidence document hash {shortHex(record.suspectEvidence)}</dd>
        </>
      )}
      {record.illegitimate && (
        <>
          <dt>Verdict</dt>
          <dd className="refusal">confirmed illegitimate by the regulator</dd>
        </>
      )}
    </dl>
  );
}

/** verify and pack for one scanned code, re-read after every transaction. */
export function usePackReading(pack: Pack | null) {
  const { contracts, account } = useSuite();
  const caller = account?.address ?? '';
  return useRead(async () => {
    if (!pack) return null;
    const a = toContractArgs(pack);
    const opts = { caller };
    const [v, p, lot, gtin] = await Promise.all([
      contracts.pharma_ledger.query.verify(a.gtin, a.serial, a.lot, a.expiry, opts),
      contracts.pharma_ledger.query.pack(a.gtin, a.serial, opts),
      contracts.pharma_ledger.query.lot(a.gtin, a.lot, opts),
      contracts.pharma_ledger.query.gtin(gtinHex(pack.gtin), opts),
    ]);
    return { verification: v.data, record: p.data ?? null, lot: lot.data ?? null, gtin: gtin.data ?? null };
  }, [pack ? packKey(pack) : '', contracts, caller]);
}

/** One row of a pack list: the code, and what the chain says about it now. */
function PackListRow({ pack, onRemove }: { pack: Pack; onRemove: () => void }) {
  const { contracts, account } = useSuite();
  const names = useNames();
  const caller = account?.address ?? '';
  const record = useRead(async () => {
    const [g, s] = packId(pack);
    return (await contracts.pharma_ledger.query.pack(g, s, { caller })).data ?? null;
  }, [packKey(pack), contracts, caller]);
  let state = 'reading…';
  if (record.state === 'error') state = `could not be read: ${record.words}`;
  if (record.state === 'ok') {
    const r = record.value;
    state = !r
      ? 'no such pack on the ledger'
      : r.transit
        ? `in transit to ${names(r.transit.to.address())} in shipment #${r.transit.shipment.toString()}`
        : `${statusWords(r.status)}, held by ${names(r.custodian.address())}`;
  }
  return (
    <tr data-pack={packKey(pack)}>
      <td>{pack.gtin}</td>
      <td>{pack.serial}</td>
      <td>{pack.lot}</td>
      <td>{state}</td>
      <td>
        <button type="button" onClick={onRemove}>
          Remove {pack.serial}
        </button>
      </td>
    </tr>
  );
}

/** Packs scanned one by one into a list (a shipment, a receipt). */
export function PackList({
  packs,
  onChange,
  label,
  what,
}: {
  packs: readonly Pack[];
  onChange: (packs: Pack[]) => void;
  label: string;
  /** What the list is, for its table's name: "Packs to ship". */
  what: string;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const add = (pack: Pack) => {
    if (packs.some((p) => p.gtin === pack.gtin && p.serial === pack.serial)) {
      setProblem(`Serial ${pack.serial} of GTIN ${pack.gtin} is on the list already`);
      return;
    }
    if (packs.length >= 50) {
      setProblem('At most 50 packs move together: send the rest in another shipment');
      return;
    }
    setProblem(null);
    onChange([...packs, pack]);
  };
  return (
    <div className="pack-list">
      <PackCodeInput label={label} action="Add the pack to the list" onPack={add} clearOnRead />
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {packs.length === 0 ? (
        <p className="hint">No packs on the list yet: scan them one by one.</p>
      ) : (
        <table className="rows" aria-label={what}>
          <thead>
            <tr>
              <th scope="col">GTIN</th>
              <th scope="col">Serial</th>
              <th scope="col">Batch/lot</th>
              <th scope="col">On the ledger now</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {packs.map((p, i) => (
              <PackListRow key={packKey(p)} pack={p} onRemove={() => onChange(packs.filter((_, j) => j !== i))} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
