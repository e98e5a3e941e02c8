/**
 * The inputs every view shares. None of them takes free text that goes on chain: accounts,
 * category and purpose choices, dates, and documents that are hashed here, in the browser.
 */
import { useEffect, useId, useState } from 'react';
import { CATEGORIES, PURPOSES } from '../lib/format';
import { isSs58Address } from '../lib/manifest';
import { DEV_ADDRESSES } from '../chain/names';
import { useSuite } from '../chain/suite';
import { FORM_LABEL, newSalt, recordHash, saltToHex, type RecordForm } from '../lib/recordHash';

/** An account, typed or pasted as SS58; on a development chain the development names work too. */
export function AccountInput({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const id = useId();
  const { development } = useSuite();
  const [text, setText] = useState(value);
  const resolved = resolveAccount(text, development);
  useEffect(() => {
    onChange(resolved ?? '');
  }, [resolved, onChange]);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={development ? 'an account address, or Alice, Bob, …' : 'an account address (SS58)'}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={text !== '' && !resolved}
      />
      {text !== '' && !resolved && <span className="field-error">Not an account address</span>}
    </div>
  );
}

export function resolveAccount(text: string, development: boolean): string | null {
  const t = text.trim();
  if (isSs58Address(t)) return t;
  if (development) {
    const hit = Object.entries(DEV_ADDRESSES).find(([, n]) => n.toLowerCase() === t.toLowerCase());
    if (hit) return hit[0];
  }
  return null;
}

/** Data categories as checkboxes; the legally protected ones are asked for apart, never behind "all". */
export function CategoryPicker({ legend, value, onChange }: { legend: string; value: number; onChange: (v: number) => void }) {
  const toggle = (bit: number) => onChange(value ^ bit);
  const box = (c: (typeof CATEGORIES)[number]) => (
    <label key={c.key} className="check">
      <input type="checkbox" checked={(value & c.bit) !== 0} onChange={() => toggle(c.bit)} />
      {c.label}
    </label>
  );
  return (
    <fieldset className="choices">
      <legend>{legend}</legend>
      <div>{CATEGORIES.filter((c) => !('sensitive' in c)).map(box)}</div>
      <p className="hint">Specially protected (each must be chosen on its own):</p>
      <div>{CATEGORIES.filter((c) => 'sensitive' in c).map(box)}</div>
    </fieldset>
  );
}

export function PurposePicker({ legend, value, onChange }: { legend: string; value: number; onChange: (v: number) => void }) {
  return (
    <fieldset className="choices">
      <legend>{legend}</legend>
      <div>
        {PURPOSES.map((p) => (
          <label key={p.name} className="check">
            <input type="checkbox" checked={(value & p.bit) !== 0} onChange={() => onChange(value ^ p.bit)} />
            {p.label} <span className="code">{p.code}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** One purpose (an access is for one purpose). */
export function PurposeSelect({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {PURPOSES.map((p) => (
          <option key={p.name} value={p.name}>
            {p.label} ({p.code})
          </option>
        ))}
      </select>
    </div>
  );
}

/** A date and time in the person's zone, as chain time (ms since the epoch); empty = `emptyMeans`. */
export function DateInput({ label, value, onChange, emptyHint }: { label: string; value: string; onChange: (v: string) => void; emptyHint?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="datetime-local" value={value} onChange={(e) => onChange(e.target.value)} />
      {emptyHint && value === '' && <span className="hint">{emptyHint}</span>}
    </div>
  );
}

/** `datetime-local` text as chain time; `fallback` when empty; null when not a date. */
export function chainTime(text: string, fallback: bigint): bigint | null {
  if (text === '') return fallback;
  const ms = new Date(text).getTime();
  return Number.isFinite(ms) ? BigInt(ms) : null;
}

export const DAY_MS = 86_400_000n;
export const YEAR_MS = 365n * DAY_MS;

export interface HashedDocument {
  hash: string;
  form: RecordForm;
  fileName: string;
}

/**
 * A document, hashed here with the record hash (docs/record-hash.md) under a fresh salt. The
 * file and its salt never leave this device; the salt is offered for download, to keep beside
 * the document (without it nobody can show the document matches the hash).
 */
export function DocumentInput({
  label,
  optional,
  onChange,
}: {
  label: string;
  optional?: boolean;
  onChange: (d: HashedDocument | null) => void;
}) {
  const id = useId();
  const [doc, setDoc] = useState<(HashedDocument & { saltUrl: string }) | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => () => {
    if (doc) URL.revokeObjectURL(doc.saltUrl);
  }, [doc]);
  const choose = async (file: File | undefined) => {
    setProblem(null);
    if (!file) {
      setDoc(null);
      onChange(null);
      return;
    }
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const salt = newSalt();
      const hashed = await recordHash(bytes, salt);
      const saltFile = new Blob([`${saltToHex(salt)}\n`], { type: 'text/plain' });
      const d = { hash: hashed.hash, form: hashed.form, fileName: file.name, saltUrl: URL.createObjectURL(saltFile) };
      setDoc(d);
      onChange({ hash: d.hash, form: d.form, fileName: d.fileName });
    } catch (e) {
      setProblem(`The file could not be read: ${String(e)}`);
      onChange(null);
    }
  };
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {optional ? ' (optional)' : ''}
      </label>
      <input id={id} type="file" onChange={(e) => void choose(e.target.files?.[0])} />
      {problem && <span className="field-error">{problem}</span>}
      {doc && (
        <p className="hint" data-hash={doc.hash}>
          Hashed on this device ({FORM_LABEL[doc.form]}): {doc.hash.slice(0, 10)}…{doc.hash.slice(-4)}. The file stays here.{' '}
          <a href={doc.saltUrl} download={`${doc.fileName}.salt.txt`}>
            Download its salt
          </a>{' '}
          and keep it with the document.
        </p>
      )}
    </div>
  );
}
