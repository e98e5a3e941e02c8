/**
 * The record hash of docs/record-hash.md (version 1): what `anchor_record` takes as
 * `content_hash`.
 *
 *   hash = HMAC-SHA-256(key = salt, message = form(record))
 *
 * form(record) is the record's RFC 8785 canonical JSON when its bytes are a canonicalizable
 * JSON text (UTF-8 without BOM, one RFC 8259 text, an object or array at the top, no duplicate
 * member names, no escaped lone surrogate, nested at most 1000 deep, no number that changes
 * value when canonicalized), and otherwise the record's bytes as they are. WebCrypto only: the
 * record and its salt never leave the device.
 */

export type RecordForm = 'canonical-json' | 'bytes';

/** How the app names each form to a person (the CLI uses the same words). */
export const FORM_LABEL: Readonly<Record<RecordForm, string>> = {
  'canonical-json': 'canonical JSON (RFC 8785)',
  bytes: "the file's bytes as they are",
};

/** Objects and arrays nest at most this deep (the top-level object or array is depth 1). */
export const MAX_DEPTH = 1000;

/** Bytes of a record's salt. */
export const SALT_LENGTH = 32;

export type RecordFormResult =
  | { form: 'canonical-json'; canonical: string; message: Uint8Array }
  | { form: 'bytes'; message: Uint8Array; reason: string };

export interface RecordHash {
  form: RecordForm;
  /** 0x + 64 lowercase hex digits. */
  hash: `0x${string}`;
  /** The canonical text hashed, when the form is canonical JSON. */
  canonical?: string;
  /** Why the record is hashed as bytes, when it is. */
  reason?: string;
}

// ---------------------------------------------------------------------------------------------
// A strict RFC 8259 reader that keeps what RFC 8785 needs and refuses what this scheme does not
// canonicalize. It reports a refusal as a NotCanonical with the reason in words.

class NotCanonical extends Error {}

type JsonValue =
  | { kind: 'object'; members: [string, JsonValue][] }
  | { kind: 'array'; items: JsonValue[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'literal'; text: 'true' | 'false' | 'null' };

/** Significant digits (no leading or trailing zeros) and the decimal exponent of their last digit. */
function decimalOf(text: string): { digits: string; exponent: bigint } {
  const m = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new Error(`not a decimal number: ${text}`);
  const int = m[1] ?? '';
  const frac = m[2] ?? '';
  const digits = (int + frac).replace(/^0+/, '');
  const trimmed = digits.replace(/0+$/, '');
  if (trimmed === '') return { digits: '', exponent: 0n };
  // Exact however long the number or its exponent ("1e999999999999999999999"), as in the Rust
  // implementation: a rounded exponent could make the two disagree on a pathological record.
  const written = BigInt((m[3] ?? '0').replace(/^\+/, ''));
  return { digits: trimmed, exponent: written - BigInt(frac.length) + BigInt(digits.length - trimmed.length) };
}

class Reader {
  private pos = 0;

  constructor(private readonly text: string) {}

  parse(): JsonValue {
    this.skipWhitespace();
    const value = this.value(0);
    this.skipWhitespace();
    if (this.pos < this.text.length) throw new NotCanonical(`text after the JSON value at offset ${this.pos}`);
    if (value.kind !== 'object' && value.kind !== 'array') {
      throw new NotCanonical('the top level is not an object or an array');
    }
    return value;
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') break;
      this.pos++;
    }
  }

  private fail(what: string): never {
    throw new NotCanonical(
      this.pos >= this.text.length ? `not JSON: the text ends where ${what} should be` : `not JSON: ${what} expected at offset ${this.pos}`,
    );
  }

  private value(depth: number): JsonValue {
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth + 1);
    if (c === '[') return this.array(depth + 1);
    if (c === '"') return { kind: 'string', value: this.string() };
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const text of ['true', 'false', 'null'] as const) {
      if (this.text.startsWith(text, this.pos)) {
        this.pos += text.length;
        return { kind: 'literal', text };
      }
    }
    return this.fail('a value');
  }

  private enter(depth: number): void {
    if (depth > MAX_DEPTH) throw new NotCanonical(`objects and arrays are nested more than ${MAX_DEPTH} deep`);
    this.pos++;
    this.skipWhitespace();
  }

  private object(depth: number): JsonValue {
    this.enter(depth);
    const members: [string, JsonValue][] = [];
    const names = new Set<string>();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'object', members };
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail('a member name');
      const name = this.string();
      if (names.has(name)) throw new NotCanonical(`an object has two members named ${JSON.stringify(name)}`);
      names.add(name);
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail('":"');
      this.pos++;
      this.skipWhitespace();
      members.push([name, this.value(depth)]);
      this.skipWhitespace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === '}') return { kind: 'object', members };
      if (c !== ',') {
        this.pos--;
        this.fail('"," or "}"');
      }
      this.skipWhitespace();
    }
  }

  private array(depth: number): JsonValue {
    this.enter(depth);
    const items: JsonValue[] = [];
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'array', items };
    }
    for (;;) {
      items.push(this.value(depth));
      this.skipWhitespace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === ']') return { kind: 'array', items };
      if (c !== ',') {
        this.pos--;
        this.fail('"," or "]"');
      }
      this.skipWhitespace();
    }
  }

  private hex4(): number {
    const h = this.text.slice(this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail('four hex digits after \\u');
    this.pos += 4;
    return parseInt(h, 16);
  }

  private string(): string {
    this.pos++; // the opening quote
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) this.fail('the closing quote of a string');
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x22) {
        this.pos++;
        return out;
      }
      if (c < 0x20) throw new NotCanonical(`a string contains an unescaped control character (U+${c.toString(16).padStart(4, '0').toUpperCase()})`);
      if (c !== 0x5c) {
        out += this.text[this.pos];
        this.pos++;
        continue;
      }
      const e = this.text[this.pos + 1];
      this.pos += 2;
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && e in simple) {
        out += simple[e];
        continue;
      }
      if (e !== 'u') {
        this.pos -= 1;
        this.fail('an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
      }
      const unit = this.hex4();
      if (unit >= 0xd800 && unit <= 0xdbff) {
        // A high surrogate must be followed by an escaped low one.
        if (this.text.startsWith('\\u', this.pos)) {
          const save = this.pos;
          this.pos += 2;
          const low = this.hex4();
          if (low >= 0xdc00 && low <= 0xdfff) {
            out += String.fromCharCode(unit, low);
            continue;
          }
          this.pos = save;
        }
        throw new NotCanonical('a string contains an escaped lone surrogate');
      }
      if (unit >= 0xdc00 && unit <= 0xdfff) throw new NotCanonical('a string contains an escaped lone surrogate');
      out += String.fromCharCode(unit);
    }
  }

  private number(): JsonValue {
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.pos;
    const match = m.exec(this.text);
    if (!match) this.fail('a number');
    const text = match[0];
    this.pos += text.length;
    const written = decimalOf(text);
    // The shortest form of a double has at most 17 significant digits, and beyond these powers of
    // ten a double is infinite or zero: decided here, not by a parser reading a huge literal
    // (as deploy/src/record.rs does, so both sides agree on every record).
    if (written.digits.length > 17) throw new NotCanonical(`the number ${text} would change value when canonicalized`);
    if (written.digits !== '' && written.exponent > 400n) throw new NotCanonical(`the number ${text} is out of a double's range`);
    if (written.digits !== '' && written.exponent < -400n) throw new NotCanonical(`the number ${text} rounds to zero as a double`);
    const value = written.digits === '' ? 0 : Number(`${text.startsWith('-') ? '-' : ''}${written.digits}e${written.exponent}`);
    if (!Number.isFinite(value)) throw new NotCanonical(`the number ${text} is out of a double's range`);
    if (value === 0 && written.digits !== '') throw new NotCanonical(`the number ${text} rounds to zero as a double`);
    const shortest = decimalOf(String(Math.abs(value)));
    if (shortest.digits !== written.digits || shortest.exponent !== written.exponent) {
      throw new NotCanonical(`the number ${text} would change value when canonicalized (to ${String(value)})`);
    }
    return { kind: 'number', value };
  }
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** RFC 8785 §3.2: the canonical text of a value. */
function serialize(v: JsonValue): string {
  switch (v.kind) {
    case 'object':
      return `{${[...v.members]
        .sort(([a], [b]) => byCodeUnits(a, b))
        .map(([name, value]) => `${JSON.stringify(name)}:${serialize(value)}`)
        .join(',')}}`;
    case 'array':
      return `[${v.items.map(serialize).join(',')}]`;
    // ECMAScript's JSON.stringify of a well-formed string is RFC 8785's string form (lone
    // surrogates, the one case it would escape, were refused above).
    case 'string':
      return JSON.stringify(v.value);
    // Number.prototype.toString of the double; -0 writes as 0.
    case 'number':
      return String(v.value);
    case 'literal':
      return v.text;
  }
}

/**
 * The RFC 8785 canonical text of a JSON text this scheme canonicalizes, or a reason in words
 * why it does not.
 */
export function canonicalize(text: string): { ok: true; canonical: string } | { ok: false; reason: string } {
  try {
    return { ok: true, canonical: serialize(new Reader(text).parse()) };
  } catch (e) {
    if (e instanceof NotCanonical) return { ok: false, reason: e.message };
    throw e;
  }
}

/** The form a record is hashed in, decided by its bytes alone. */
export function formOf(record: Uint8Array): RecordFormResult {
  const bytes = (reason: string): RecordFormResult => ({ form: 'bytes', message: record, reason });
  if (record.length >= 3 && record[0] === 0xef && record[1] === 0xbb && record[2] === 0xbf) {
    return bytes('the file starts with a byte-order mark');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(record);
  } catch {
    return bytes('the file is not UTF-8 text');
  }
  const c = canonicalize(text);
  if (!c.ok) return bytes(c.reason);
  return { form: 'canonical-json', canonical: c.canonical, message: new TextEncoder().encode(c.canonical) };
}

function toHex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A salt from the platform's cryptographic random source. */
export function newSalt(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(SALT_LENGTH));
}

/** `0x` + 64 hex digits → 32 bytes; `null` for anything else. */
export function parseSalt(hex: string): Uint8Array | null {
  const m = /^0x([0-9a-fA-F]{64})$/.exec(hex.trim());
  if (!m?.[1]) return null;
  const out = new Uint8Array(SALT_LENGTH);
  for (let i = 0; i < SALT_LENGTH; i++) out[i] = parseInt(m[1].slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function saltToHex(salt: Uint8Array): string {
  return `0x${toHex(salt)}`;
}

/**
 * HMAC-SHA-256(salt, form(record)) with WebCrypto. Rejects a salt that is not 32 bytes.
 */
export async function recordHash(record: Uint8Array, salt: Uint8Array): Promise<RecordHash> {
  if (salt.length !== SALT_LENGTH) {
    throw new Error(`A record's salt is ${SALT_LENGTH} bytes, not ${salt.length}`);
  }
  const form = formOf(record);
  const key = await crypto.subtle.importKey('raw', new Uint8Array(salt), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new Uint8Array(form.message)));
  const hash = `0x${toHex(mac)}` as const;
  return form.form === 'canonical-json'
    ? { form: form.form, hash, canonical: form.canonical }
    : { form: form.form, hash, reason: form.reason };
}
