import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  FORM_LABEL,
  MAX_DEPTH,
  canonicalize,
  formOf,
  newSalt,
  parseSalt,
  recordHash,
  saltToHex,
} from './recordHash';

interface Vector {
  name: string;
  input?: string;
  input_hex?: string;
  salt: string;
  form: 'canonical-json' | 'bytes';
  canonical?: string;
  hash: string;
}

// The shared vectors of docs/record-hash.md, checked by the Rust tests too.
const file = JSON.parse(readFileSync(new URL('../../../vectors/record-hash.json', import.meta.url), 'utf8')) as {
  scheme: string;
  vectors: Vector[];
};

function bytesOf(v: Vector): Uint8Array {
  if (v.input_hex !== undefined) return Uint8Array.from(v.input_hex.match(/../g) ?? [], (h) => parseInt(h, 16));
  return new TextEncoder().encode(v.input ?? '');
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const canonical = (s: string) => {
  const c = canonicalize(s);
  return c.ok ? c.canonical : `refused: ${c.reason}`;
};

describe('the shared vectors (vectors/record-hash.json)', () => {
  it('are version 1 and cover both forms', () => {
    expect(file.scheme).toMatch(/^carechain record hash v1/);
    expect(file.vectors.some((v) => v.form === 'bytes')).toBe(true);
    expect(file.vectors.some((v) => v.form === 'canonical-json')).toBe(true);
  });

  it.each(file.vectors.map((v) => [v.name, v] as const))('%s', async (_name, v) => {
    const salt = parseSalt(v.salt);
    expect(salt).not.toBeNull();
    const result = await recordHash(bytesOf(v), salt ?? new Uint8Array());
    expect(result.form).toBe(v.form);
    if (v.form === 'canonical-json') expect(result.canonical).toBe(v.canonical);
    expect(result.hash).toBe(v.hash);
  });
});

describe('canonicalize', () => {
  it('sorts members by UTF-16 code units and drops whitespace', () => {
    expect(canonical('{ "b": 1, "a": [ 1 , 2 ], "A": {"z": null, "y": true} }')).toBe(
      '{"A":{"y":true,"z":null},"a":[1,2],"b":1}',
    );
    expect(canonical('{"\uFB01": 1, "\u{1F600}": 2}')).toBe('{"\u{1F600}":2,"\uFB01":1}');
  });

  it('writes numbers as ECMAScript does', () => {
    expect(canonical('[1.0, 1.00, 1E0, -0, 1e20, 1e21, 0.000001, 1e-7, 2e-3, -1.5E+2]')).toBe(
      '[1,1,1,0,100000000000000000000,1e+21,0.000001,1e-7,0.002,-150]',
    );
    expect(canonical('[5e-324, 1.7976931348623157e308, 0e999999]')).toBe('[5e-324,1.7976931348623157e+308,0]');
    // Exponent arithmetic is exact however long the number (as in deploy/src/record.rs).
    expect(canonical(`[1${'0'.repeat(2_000_001)}e-2000000]`)).toBe('[10]');
    expect(canonical(`[0.${'0'.repeat(500)}1e501]`)).toBe('[1]');
    expect(canonical('[1e99999999999999999999999]')).toMatch(/out of a double's range/);
  });

  it('refuses a number that would change value, or is out of range', () => {
    expect(canonical('[12345678901234567891]')).toMatch(/would change value/);
    expect(canonical('[0.10000000000000000001]')).toMatch(/would change value/);
    expect(canonical('[9007199254740993]')).toMatch(/would change value/);
    expect(canonical('[1e400]')).toMatch(/out of a double's range/);
    expect(canonical('[1e-400]')).toMatch(/rounds to zero/);
  });

  it('writes strings as JSON.stringify does', () => {
    expect(canonical('["\\u00e9\\/\\u001F\\u007f\\b"]')).toBe('["é/\\u001f\u007f\\b"]');
  });

  it('refuses duplicate names, also when escaped differently', () => {
    expect(canonical('{"a": 1, "a": 2}')).toMatch(/two members named "a"/);
    expect(canonical('{"a": 1, "\\u0061": 2}')).toMatch(/two members named "a"/);
    expect(canonical('[{"a": 1}, {"a": 2}]')).toBe('[{"a":1},{"a":2}]');
  });

  it('refuses lone surrogates and unescaped control characters', () => {
    expect(canonical('["\\ud800"]')).toMatch(/lone surrogate/);
    expect(canonical('["\\udc00"]')).toMatch(/lone surrogate/);
    expect(canonical('["\\ud800\\u0041"]')).toMatch(/lone surrogate/);
    expect(canonical('["a\tb"]')).toMatch(/unescaped control character \(U\+0009\)/);
  });

  it('refuses what RFC 8259 does not allow', () => {
    for (const bad of ['{"a": 1,}', '[01]', '[1.]', '[.5]', '[+1]', "['a']", '[1] [2]', '{a: 1}', '[NaN]', '["\\x41"]', '[', '', '[1]\f']) {
      expect(canonical(bad), bad).toMatch(/^refused: /);
    }
  });

  it('refuses a top level that is not an object or array', () => {
    for (const scalar of ['"s"', '1', 'true', 'null']) expect(canonical(scalar)).toBe('refused: the top level is not an object or an array');
  });

  it(`accepts nesting ${MAX_DEPTH} deep and refuses ${MAX_DEPTH + 1}`, () => {
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(canonical(nest(MAX_DEPTH))).toBe(nest(MAX_DEPTH));
    expect(canonical(nest(MAX_DEPTH + 1))).toMatch(/nested more than 1000 deep/);
    expect(canonical(`${'{"a":'.repeat(MAX_DEPTH + 1)}1${'}'.repeat(MAX_DEPTH + 1)}`)).toMatch(/nested more than/);
  });
});

describe('formOf', () => {
  it('hashes JSON as its canonical text and anything else as its bytes, with a reason', () => {
    const json = formOf(utf8('{"b":2, "a":1}'));
    expect(json.form).toBe('canonical-json');
    expect(new TextDecoder().decode(json.message)).toBe('{"a":1,"b":2}');
    const pdf = formOf(utf8('%PDF-1.7\n'));
    expect(pdf).toMatchObject({ form: 'bytes', reason: expect.stringMatching(/^not JSON/) });
    expect(formOf(Uint8Array.of(0xef, 0xbb, 0xbf, 0x7b, 0x7d))).toMatchObject({ form: 'bytes', reason: 'the file starts with a byte-order mark' });
    expect(formOf(Uint8Array.of(0x5b, 0xff, 0x5d))).toMatchObject({ form: 'bytes', reason: 'the file is not UTF-8 text' });
  });

  it('keeps the bytes themselves for the bytes form', () => {
    const record = Uint8Array.of(1, 2, 3);
    const form = formOf(record);
    expect(form.form).toBe('bytes');
    expect([...form.message]).toEqual([1, 2, 3]);
  });

  it('has the labels the CLI shows', () => {
    expect(FORM_LABEL['canonical-json']).toBe('canonical JSON (RFC 8785)');
    expect(FORM_LABEL.bytes).toBe("the file's bytes as they are");
  });
});

describe('recordHash', () => {
  const salt = parseSalt(`0x${'01'.repeat(32)}`) ?? new Uint8Array(32);

  it('gives re-formattings of one JSON record one hash, and another record another', async () => {
    const a = await recordHash(utf8('{"value": 7.20, "unit": "mmol/L"}'), salt);
    const b = await recordHash(utf8('{"unit":"mmol/L","value":7.2}\n'), salt);
    const c = await recordHash(utf8('{"unit":"mmol/L","value":7.3}'), salt);
    expect(a.hash).toBe(b.hash);
    expect(c.hash).not.toBe(a.hash);
    expect(a.hash).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('depends on the salt', async () => {
    const other = parseSalt(`0x${'02'.repeat(32)}`) ?? new Uint8Array(32);
    const record = utf8('[1]');
    expect((await recordHash(record, salt)).hash).not.toBe((await recordHash(record, other)).hash);
  });

  it('refuses a salt that is not 32 bytes', async () => {
    await expect(recordHash(utf8('[1]'), new Uint8Array(16))).rejects.toThrow("A record's salt is 32 bytes, not 16");
  });
});

describe('salts', () => {
  it('newSalt gives 32 random bytes', () => {
    const a = newSalt();
    const b = newSalt();
    expect(a.length).toBe(32);
    expect(saltToHex(a)).not.toBe(saltToHex(b));
  });

  it('parseSalt reads 0x + 64 hex and refuses anything else', () => {
    const hex = `0x${'ab'.repeat(31)}cd`;
    expect(saltToHex(parseSalt(hex) ?? new Uint8Array())).toBe(hex);
    expect(parseSalt(`0x${'ab'.repeat(31)}`)).toBeNull();
    expect(parseSalt('ab'.repeat(32))).toBeNull();
    expect(parseSalt(`0x${'zz'.repeat(32)}`)).toBeNull();
  });
});
