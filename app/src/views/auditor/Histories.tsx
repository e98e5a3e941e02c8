/** A pack's custody history, and every anchor of a record hash (pasted, or computed here from the file and its salt). */
import { useId, useState } from 'react';
import { useSuite } from '../../chain/suite';
import { useNames } from '../../chain/names';
import { auditTime, auditUrl, readableDetail, type HistoryRow } from '../../lib/audit';
import { humanize } from '../../lib/errors';
import { parseSalt, recordHash } from '../../lib/recordHash';
import type { Pack } from '../../lib/gs1';
import { PackCodeInput, packWords } from '../pharmacy/common';
import { HistoryStatus, Table } from './History';
import { useAuditHistory, type AuditState } from './useAudit';

function HistoryTable({ s, label }: { s: AuditState<HistoryRow>; label: string }) {
  const names = useNames();
  if (s.state !== 'ok' || s.rows.length === 0) return null;
  return (
    <Table label={label} headers={['Time', 'Block', 'What happened', 'By', 'Detail']}>
      {s.rows.map((r, i) => (
        <tr key={`${r.block}-${r.extrinsic ?? ''}-${i}`} data-event={r.event} className={/ALERT|Suspect|Recalled/i.test(`${r.event} ${r.detail}`) ? 'alert' : undefined}>
          <td>{auditTime(r.time)}</td>
          <td>{r.block}</td>
          <td>{humanize(r.event)}</td>
          <td>{r.by ? names(r.by) : '—'}</td>
          <td>{readableDetail(r.detail, names)}</td>
        </tr>
      ))}
    </Table>
  );
}

export function PackHistory() {
  const { deployment } = useSuite();
  const [pack, setPack] = useState<Pack | null>(null);
  const { s, load, more, reset } = useAuditHistory<HistoryRow>();
  const show = (p: Pack) => {
    setPack(p);
    void load(auditUrl(deployment.auditUrl, `/v1/packs/${encodeURIComponent(p.gtin)}/${encodeURIComponent(p.serial)}`));
  };
  return (
    <section className="panel" aria-labelledby="pack-history-heading">
      <h3 id="pack-history-heading">A pack's custody history</h3>
      <p className="hint">Commissioning, every shipment and receipt, dispensing, decommissioning, alerts, suspicion and recalls of one pack.</p>
      <PackCodeInput
        label="Pack code"
        action="Show the pack's history"
        onPack={(p) => {
          reset();
          show(p);
        }}
      />
      {pack && <p className="hint">{packWords(pack)}</p>}
      <HistoryStatus s={s} onMore={() => void more()} noun="event" />
      <HistoryTable s={s} label="Custody history" />
    </section>
  );
}

export function RecordAnchors() {
  const { deployment } = useSuite();
  const hashId = useId();
  const fileId = useId();
  const saltId = useId();
  const [pasted, setPasted] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [salt, setSalt] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [hash, setHash] = useState<string | null>(null);
  const { s, load, more } = useAuditHistory<HistoryRow>();

  const ask = (h: string) => {
    setHash(h);
    void load(auditUrl(deployment.auditUrl, `/v1/records/${h}`));
  };
  const fromPasted = () => {
    const h = pasted.trim();
    if (!/^0x[0-9a-fA-F]{64}$/.test(h)) {
      setProblem('A record hash is 0x followed by 64 hexadecimal digits');
      return;
    }
    setProblem(null);
    ask(h.toLowerCase());
  };
  const fromFile = async () => {
    if (!file) {
      setProblem('Choose the record file');
      return;
    }
    const key = parseSalt(salt);
    if (!key) {
      setProblem("The salt is 0x followed by 64 hexadecimal digits, as in the salt file kept with the record");
      return;
    }
    setProblem(null);
    try {
      const r = await recordHash(new Uint8Array(await file.arrayBuffer()), key);
      ask(r.hash);
    } catch (e) {
      setProblem(`The record could not be hashed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <section className="panel" aria-labelledby="anchors-heading">
      <h3 id="anchors-heading">Every anchor of a record</h3>
      <p className="hint">
        Who anchored a record's hash, when, and whether it was later marked in error. Paste the hash, or compute it here from the file and its salt
        (neither leaves this device).
      </p>
      <div className="field">
        <label htmlFor={hashId}>Record hash</label>
        <input id={hashId} value={pasted} onChange={(e) => setPasted(e.target.value)} placeholder="0x…" autoComplete="off" spellCheck={false} />
      </div>
      <button type="button" onClick={fromPasted}>
        Show the anchors of this hash
      </button>
      <div className="field">
        <label htmlFor={fileId}>Or the record file</label>
        <input id={fileId} type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </div>
      <div className="field">
        <label htmlFor={saltId}>and its salt</label>
        <input id={saltId} value={salt} onChange={(e) => setSalt(e.target.value)} placeholder="0x… (64 hex digits)" autoComplete="off" spellCheck={false} />
      </div>
      <button type="button" onClick={() => void fromFile()}>
        Hash the file here and show its anchors
      </button>
      <div role="status" aria-live="polite">
        {problem && <p className="field-error">{problem}</p>}
        {hash && !problem && (
          <p className="hint" data-record-hash={hash}>
            Record hash {hash.slice(0, 10)}…{hash.slice(-4)}
          </p>
        )}
      </div>
      <HistoryStatus s={s} onMore={() => void more()} noun="anchor event" />
      <HistoryTable s={s} label="Anchors of the record" />
    </section>
  );
}
