/**
 * More inputs for the role views (beside inputs.tsx): a record number, one data category, a
 * file kept on this device, and a record's salt (pasted, or loaded from its .salt.txt file).
 * None of them sends anything anywhere.
 */
import { useId, useState } from 'react';
import { CATEGORIES } from '../lib/format';
import { parseSalt } from '../lib/recordHash';
import { parseId } from '../lib/studies';

/** A number such as a study, grant or anchor number; `onChange` gets it, or null. */
export function NumberField({
  label,
  value,
  onChange,
  hint,
}: {
  label: string;
  value: string;
  onChange: (text: string, id: bigint | null) => void;
  hint?: string;
}) {
  const id = useId();
  const bad = value.trim() !== '' && parseId(value) === null;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        inputMode="numeric"
        value={value}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value, parseId(e.target.value))}
        aria-invalid={bad}
      />
      {bad && <span className="field-error">Not a number (1, 2, 3 …)</span>}
      {hint && <span className="hint">{hint}</span>}
    </div>
  );
}

/** One data category (a record has one); `allowNone` offers "no category" (records about no patient). */
export function CategorySelect({
  label,
  value,
  onChange,
  allowNone,
}: {
  label: string;
  value: number;
  onChange: (bit: number) => void;
  allowNone?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {allowNone !== undefined && <option value={0}>{allowNone}</option>}
        {allowNone === undefined && value === 0 && <option value={0}>Choose a category…</option>}
        {CATEGORIES.map((c) => (
          <option key={c.key} value={c.bit}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export interface LocalFile {
  name: string;
  bytes: Uint8Array;
}

/** A file read into this page only (for hashing here); it is never uploaded. */
export function LocalFileField({ label, onChange, hint }: { label: string; onChange: (f: LocalFile | null) => void; hint?: string }) {
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const choose = async (file: File | undefined) => {
    setProblem(null);
    if (!file) {
      onChange(null);
      return;
    }
    try {
      onChange({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    } catch (e) {
      setProblem(`The file could not be read: ${String(e)}`);
      onChange(null);
    }
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="file" onChange={(e) => void choose(e.target.files?.[0])} />
      {problem && <span className="field-error">{problem}</span>}
      {hint && <span className="hint">{hint}</span>}
    </div>
  );
}

/**
 * A record's salt: pasted as 0x + 64 hex digits, or loaded from the .salt.txt file the app
 * offered when the record was hashed. `onChange` gets the 32 bytes, or null.
 */
export function SaltField({ onChange }: { onChange: (salt: Uint8Array | null) => void }) {
  const textId = useId();
  const fileId = useId();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const set = (t: string) => {
    setText(t);
    onChange(parseSalt(t));
  };
  const load = async (file: File | undefined) => {
    setProblem(null);
    if (!file) return;
    try {
      const t = (await file.text()).trim();
      if (!parseSalt(t)) {
        setProblem('That file holds no salt (0x followed by 64 hex digits)');
        return;
      }
      set(t);
    } catch (e) {
      setProblem(`The file could not be read: ${String(e)}`);
    }
  };
  const bad = text.trim() !== '' && parseSalt(text) === null;
  return (
    <div className="field">
      <label htmlFor={textId}>Its salt (0x followed by 64 hex digits)</label>
      <input
        id={textId}
        value={text}
        onChange={(e) => set(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={bad}
      />
      {bad && <span className="field-error">A salt is 0x followed by 64 hex digits</span>}
      <label htmlFor={fileId}>or load the salt file (.salt.txt)</label>
      <input id={fileId} type="file" accept=".txt,text/plain" onChange={(e) => void load(e.target.files?.[0])} />
      {problem && <span className="field-error">{problem}</span>}
    </div>
  );
}
