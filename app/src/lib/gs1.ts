/**
 * GS1 pharmaceutical pack codes: GTIN (01), expiry date (17), batch/lot (10) and serial
 * number (21), the identifier EU FMD / DSCSA packs carry in a GS1 DataMatrix.
 *
 * `parsePackCode` reads any of
 *  - the human-readable element string: `(01)09506000134352(17)261231(10)LOT42(21)SN00000001`
 *    (AIs in any order, spaces around the parentheses tolerated);
 *  - the scanned DataMatrix payload: an optional symbology identifier (`]d2`; `]Q3` and `]C1`,
 *    the GS1 QR and GS1-128 ones, too), then the element strings back to back, where a
 *    variable-length field (10, 21) ends at a GS (0x1D) or at the end of the data; a pasted
 *    placeholder `<GS>`, `{GS}` or `␝` stands for GS;
 *  - a GS1 Digital Link URI: `https://id.gs1.org/01/09506000134352/10/LOT42/21/SN00000001?17=261231`
 *    (any host, any path prefix before `/01/`, percent-encoded values, an 8/12/13-digit GTIN
 *    padded to 14; only numeric AIs count in the query, other parameters are ignored);
 * and checks everything the pharma_ledger contract will check (GS1 General Specifications:
 * §7.9 check digit, §7.11 character set 82, AI 17 dates), so a person hears what is wrong
 * before anything is sent. It never throws: the answer says `ok` or names the problem.
 */

/** A pack's identifier, as the contracts take it (see `toContractArgs`). */
export interface Pack {
  /** GTIN-14: 14 digits, check digit verified. */
  gtin: string;
  /** AI 17 expiry date, YYMMDD (DD may be 00: the last day of the month). */
  expiry: string;
  /** AI 10 batch/lot: 1–20 characters of GS1 character set 82. */
  lot: string;
  /** AI 21 serial number: 1–20 characters of GS1 character set 82. */
  serial: string;
}

/** Which of the three written forms a code was read from. */
export type PackCodeFormat = 'element-string' | 'datamatrix' | 'digital-link';

export type ParseResult = { ok: true; pack: Pack; format: PackCodeFormat } | { ok: false; error: string };

export interface ParseOptions {
  /**
   * The year the two-digit expiry year is read against (GS1 §7.12 century rule); it only
   * matters for 29 February. Default: the current UTC year.
   */
  currentYear?: number;
}

/** The ASCII group separator that ends a variable-length field (FNC1 in the symbol). */
export const GS = '\u001d';

/** EU FMD: serials and batch numbers are at most 20 characters. */
export const MAX_CODE_LENGTH = 20;

const REQUIRED_AIS = ['01', '17', '10', '21'] as const;
type PackAi = (typeof REQUIRED_AIS)[number];

/** Fixed lengths of the fixed-length AIs this parser reads. */
const FIXED_LENGTH: Partial<Record<PackAi, number>> = { '01': 14, '17': 6 };

const AI_NAMES: Record<string, string> = {
  '00': 'SSCC',
  '01': 'GTIN',
  '02': 'GTIN of contained trade items',
  '10': 'batch/lot number',
  '11': 'production date',
  '12': 'due date',
  '13': 'packaging date',
  '15': 'best before date',
  '16': 'sell by date',
  '17': 'expiry date',
  '20': 'internal product variant',
  '21': 'serial number',
  '22': 'consumer product variant',
  '240': 'additional product identification',
  '241': 'customer part number',
  '30': 'variable count',
  '37': 'count of trade items',
  '710': 'national healthcare reimbursement number (Germany, PZN)',
  '711': 'national healthcare reimbursement number (France, CIP)',
  '712': 'national healthcare reimbursement number (Spain)',
  '713': 'national healthcare reimbursement number (Brazil, ANVISA)',
  '714': 'national healthcare reimbursement number (Portugal, AIM)',
  '715': 'national healthcare reimbursement number (United States, FDA NDC)',
  '7003': 'expiration date and time',
  '8006': 'ITIP',
  '90': 'information mutually agreed between trading partners',
};

/** How the AI is called in a message: `AI (17) expiry date`. */
function aiLabel(ai: string): string {
  const name = AI_NAMES[ai] ?? (/^9[1-9]$/.test(ai) ? 'company internal information' : undefined);
  return name ? `AI (${ai}) ${name}` : `AI (${ai})`;
}

/**
 * The length of an AI from its first two digits (GS1 General Specifications, the table of
 * AI prefixes); `undefined` for a prefix no AI starts with.
 */
function aiLengthForPrefix(prefix: string): number | undefined {
  const p = Number(prefix);
  if (!/^\d{2}$/.test(prefix)) return undefined;
  if ([0, 1, 2, 10, 11, 12, 13, 15, 16, 17, 20, 21, 22, 30, 37].includes(p) || (p >= 90 && p <= 99)) return 2;
  if ([23, 24, 25, 40, 41, 42, 71].includes(p)) return 3;
  if ([31, 32, 33, 34, 35, 36, 39, 43, 70, 72, 80, 81, 82].includes(p)) return 4;
  return undefined;
}

function isSupported(ai: string): ai is PackAi {
  return (REQUIRED_AIS as readonly string[]).includes(ai);
}

function unsupported(ai: string): string {
  return `${aiLabel(ai)} is not supported here: a pack code carries (01) GTIN, (17) expiry date, (10) batch/lot and (21) serial number`;
}

// ---------------------------------------------------------------------------------------------
// Check digit, character set, dates

/**
 * The GS1 mod-10 check digit of `body` (the digits before the check digit): weights 3, 1, 3, …
 * from the rightmost digit of the body. Throws on a non-digit (a programming error: callers
 * check digits first).
 */
export function gs1CheckDigit(body: string): number {
  if (!/^\d+$/.test(body)) throw new Error(`gs1CheckDigit: ${JSON.stringify(body)} is not all digits`);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether a GTIN-8/12/13/14 (digits only) carries the right check digit. */
export function hasValidCheckDigit(gtin: string): boolean {
  return /^\d{2,}$/.test(gtin) && gs1CheckDigit(gtin.slice(0, -1)) === Number(gtin.slice(-1));
}

/** A GTIN-8, -12 or -13 left-padded with zeros to GTIN-14 (a GTIN-14 unchanged). */
export function padGtin(gtin: string): string {
  return gtin.padStart(14, '0');
}

/** `null` when `gtin` is a usable GTIN-14, else what is wrong with it. */
export function gtinProblem(gtin: string): string | null {
  if (!/^\d{14}$/.test(gtin)) {
    const bad = [...gtin].find((c) => c < '0' || c > '9');
    if (bad !== undefined) return `GTIN ${JSON.stringify(gtin)} contains ${describeChar(bad)}: a GTIN is 14 digits`;
    return `GTIN ${gtin} has ${gtin.length} digits: a GTIN-14 has 14`;
  }
  if (/^0{13}/.test(gtin)) return `GTIN ${gtin} is reserved (GS1 company prefix 0000000 is never allocated)`;
  const expected = gs1CheckDigit(gtin.slice(0, 13));
  const actual = Number(gtin.slice(13));
  if (expected !== actual) return `GTIN ${gtin}: check digit is ${actual}, expected ${expected}`;
  return null;
}

/** Whether `c` is in GS1 AI encodable character set 82: `!"%&'()*+,-./0-9:;<=>?A-Z_a-z`. */
export function isCset82(c: string): boolean {
  return /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]$/.test(c);
}

/** A character as a person can read it in a message. */
export function describeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (c === ' ') return 'a space';
  if (code === 0x1d) return 'a GS separator (U+001D)';
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return `the control character ${hex}`;
  return `"${c}" (${hex})`;
}

/** `null` when `value` is a valid batch/lot or serial, else what is wrong with it. */
export function codeProblem(ai: '10' | '21', value: string): string | null {
  const what = ai === '10' ? 'batch/lot (10)' : 'serial number (21)';
  const chars = [...value];
  if (chars.length === 0) return `The ${what} is empty`;
  if (chars.length > MAX_CODE_LENGTH) {
    return `The ${what} ${JSON.stringify(value)} is ${chars.length} characters long: at most ${MAX_CODE_LENGTH}`;
  }
  const bad = chars.find((c) => !isCset82(c));
  if (bad !== undefined) {
    return `The ${what} ${JSON.stringify(value)} contains ${describeChar(bad)}, which is not in GS1 character set 82`;
  }
  return null;
}

const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

/** GS1 §7.12: the full year of a two-digit year, relative to `currentYear`. */
export function fullYear(yy: number, currentYear: number): number {
  const century = Math.floor(currentYear / 100) * 100;
  const current = currentYear % 100;
  if (yy >= current + 51) return century - 100 + yy;
  if (current >= yy + 50) return century + 100 + yy;
  return century + yy;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `null` when `yymmdd` is a valid AI 17 date (day 00: the month's last day), else why not. */
export function expiryProblem(yymmdd: string, currentYear: number): string | null {
  if (!/^\d{6}$/.test(yymmdd)) {
    return `The expiry date (17) ${JSON.stringify(yymmdd)} is not 6 digits YYMMDD`;
  }
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  if (mm < 1 || mm > 12) return `The expiry date (17) ${yymmdd} has month ${String(mm).padStart(2, '0')}: months are 01 to 12`;
  const year = fullYear(yy, currentYear);
  const last = daysInMonth(year, mm);
  if (dd > last) {
    return `The expiry date (17) ${yymmdd} has day ${dd}: ${MONTHS[mm - 1]} ${year} has ${last} days (day 00 means the last day)`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The three written forms

type Fields = Map<string, string>;
type Scan = { ok: true; fields: Fields } | { ok: false; error: string };

function put(fields: Fields, ai: string, value: string): string | null {
  if (!isSupported(ai)) return unsupported(ai);
  if (fields.has(ai)) return `${aiLabel(ai)} appears twice`;
  fields.set(ai, value);
  return null;
}

/** `(01)09506000134352(17)261231(10)LOT42(21)SN00000001`, spaces around parentheses allowed. */
function scanElementString(text: string): Scan {
  const fields: Fields = new Map();
  const element = /\s*\((\d{2,4})\)\s*/y;
  let pos = 0;
  while (pos < text.length) {
    element.lastIndex = pos;
    const m = element.exec(text);
    if (!m) {
      const rest = text.slice(pos).trim();
      return { ok: false, error: `Unexpected text ${JSON.stringify(rest)} where an element like (21) should start` };
    }
    const ai = m[1] ?? '';
    pos = element.lastIndex;
    // A value runs to the next "(NN)" (spaces before it are not part of the value) or the end.
    const next = /\s*\(\d{2,4}\)/g;
    next.lastIndex = pos;
    const n = next.exec(text);
    const end = n ? n.index : text.length;
    const value = text.slice(pos, end).replace(/\s+$/, '');
    const fixed = isSupported(ai) ? FIXED_LENGTH[ai] : undefined;
    // Text after a complete fixed-length value, e.g. "(17)261231 best before": not part of it.
    const digits = fixed === undefined ? '' : value.slice(0, fixed);
    const tail = fixed === undefined ? '' : value.slice(fixed);
    if (fixed !== undefined && /^\d+$/.test(digits) && digits.length === fixed && tail !== '' && !/^\d/.test(tail)) {
      return { ok: false, error: `Unexpected text ${JSON.stringify(tail.trim())} after ${aiLabel(ai)} ${digits}` };
    }
    const problem = put(fields, ai, value);
    if (problem) return { ok: false, error: problem };
    pos = end;
  }
  return { ok: true, fields };
}

/** The DataMatrix payload: AIs back to back, variable-length ones ended by GS or the end. */
function scanDataMatrix(data: string): Scan {
  const fields: Fields = new Map();
  let pos = 0;
  while (pos < data.length) {
    if (data[pos] === GS) {
      pos++;
      continue;
    }
    const prefix = data.slice(pos, pos + 2);
    if (!/^\d{2}$/.test(prefix)) {
      const rest = data.slice(pos);
      return {
        ok: false,
        error:
          fields.size === 0
            ? `${JSON.stringify(rest)} is not a GS1 code: it should start with an AI such as 01`
            : `Unexpected data ${JSON.stringify(rest)} after the last element`,
      };
    }
    const aiLength = aiLengthForPrefix(prefix);
    if (aiLength === undefined) {
      return { ok: false, error: `Unknown AI starting with ${prefix} at position ${pos + 1}` };
    }
    const ai = data.slice(pos, pos + aiLength);
    if (ai.length < aiLength || !/^\d+$/.test(ai)) {
      return { ok: false, error: `Unexpected data ${JSON.stringify(data.slice(pos))} after the last element` };
    }
    if (!isSupported(ai)) return { ok: false, error: unsupported(ai) };
    pos += aiLength;
    const fixed = FIXED_LENGTH[ai];
    let value: string;
    if (fixed !== undefined) {
      value = data.slice(pos, pos + fixed);
      const gs = value.indexOf(GS);
      if (gs >= 0) value = value.slice(0, gs);
      pos += value.length;
    } else {
      const gs = data.indexOf(GS, pos);
      const end = gs < 0 ? data.length : gs;
      value = data.slice(pos, end);
      pos = end;
    }
    const problem = put(fields, ai, value);
    if (problem) return { ok: false, error: problem };
  }
  return { ok: true, fields };
}

/** Percent-decoding that reports malformed escapes instead of throwing. */
function percentDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** A GS1 Digital Link URI: `/01/<gtin>[/10/<lot>][/21/<serial>]` and `?17=<expiry>`. */
function scanDigitalLink(uri: string): Scan {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { ok: false, error: `${JSON.stringify(uri)} is not a valid URL` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, error: `A GS1 Digital Link starts with https:// or http://, not ${url.protocol}//` };
  }
  const segments = url.pathname.split('/').slice(1);
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
  const start = segments.findIndex((s, i) => s === '01' && /^\d+$/.test(segments[i + 1] ?? ''));
  if (start < 0) {
    return { ok: false, error: 'The link has no /01/ followed by a GTIN in its path: it is not a GS1 Digital Link to a pack' };
  }
  const fields: Fields = new Map();
  for (let i = start; i < segments.length; i += 2) {
    const ai = segments[i] ?? '';
    const raw = segments[i + 1];
    if (!/^\d{2,4}$/.test(ai)) {
      return { ok: false, error: `Unexpected path ${JSON.stringify('/' + segments.slice(i).join('/'))} after the last element` };
    }
    if (raw === undefined) return { ok: false, error: `${aiLabel(ai)} in the path has no value` };
    const value = percentDecode(raw);
    if (value === null) return { ok: false, error: `The value of ${aiLabel(ai)} ${JSON.stringify(raw)} is not valid percent-encoding` };
    const problem = put(fields, ai, ai === '01' && /^(\d{8}|\d{12}|\d{13})$/.test(value) ? padGtin(value) : value);
    if (problem) return { ok: false, error: problem };
  }
  const gtin = fields.get('01') ?? '';
  if (!/^\d{14}$/.test(gtin)) {
    return { ok: false, error: `The GTIN ${gtin} in the link has ${gtin.length} digits: a GTIN has 8, 12, 13 or 14` };
  }
  const query = url.search.replace(/^\?/, '');
  for (const pair of query ? query.split('&') : []) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = percentDecode(eq < 0 ? pair : pair.slice(0, eq));
    const raw = eq < 0 ? '' : pair.slice(eq + 1);
    // Other query parameters (linkType, context, …) are not part of the identifier.
    if (key === null || !/^\d+$/.test(key)) continue;
    const value = percentDecode(raw);
    if (value === null) return { ok: false, error: `The value of ${aiLabel(key)} ${JSON.stringify(raw)} is not valid percent-encoding` };
    const problem = put(fields, key, value);
    if (problem) return { ok: false, error: problem };
  }
  if (!fields.has('17') && /(^|&)exp=/.test(query)) {
    return { ok: false, error: `${aiLabel('17')} is missing: write it as 17=YYMMDD in the link (the name "exp" is not read)` };
  }
  return { ok: true, fields };
}

const SYMBOLOGY_IDS = [']d2', ']Q3', ']C1'];

/** Pasted stand-ins for the invisible GS separator. */
const GS_PLACEHOLDERS = /<GS>|\{GS\}|\u241d/gi;

/** Parses a pack code in any of the three written forms; never throws. */
export function parsePackCode(input: string, options: ParseOptions = {}): ParseResult {
  const currentYear = options.currentYear ?? new Date().getUTCFullYear();
  const text = input.replace(GS_PLACEHOLDERS, GS).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  if (text === '') return { ok: false, error: 'The code is empty' };

  let format: PackCodeFormat;
  let scan: Scan;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    format = 'digital-link';
    scan = scanDigitalLink(text);
  } else if (text.startsWith('(')) {
    format = 'element-string';
    scan = scanElementString(text);
  } else {
    format = 'datamatrix';
    let data = text;
    const id = /^\][A-Za-z]\d/.exec(data)?.[0];
    if (id !== undefined) {
      if (!SYMBOLOGY_IDS.includes(id)) {
        return { ok: false, error: `The symbology identifier ${id} is not a GS1 one (a GS1 DataMatrix reads as ]d2)` };
      }
      data = data.slice(id.length);
    }
    scan = scanDataMatrix(data);
  }
  if (!scan.ok) return scan;
  const { fields } = scan;

  const missing = REQUIRED_AIS.filter((ai) => !fields.has(ai));
  if (missing.length > 0) {
    const names = missing.map(aiLabel);
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    let error = `${list} ${missing.length === 1 ? 'is' : 'are'} missing`;
    if (format === 'datamatrix') {
      for (const variable of ['10', '21'] as const) {
        const value = fields.get(variable);
        const swallowed = missing.find((ai) => value?.includes(ai));
        if (value !== undefined && swallowed !== undefined) {
          error += `: the ${aiLabel(variable)} value ${JSON.stringify(value)} contains "${swallowed}" — is the GS separator after it missing?`;
          break;
        }
      }
    }
    return { ok: false, error };
  }

  const pack: Pack = {
    gtin: fields.get('01') ?? '',
    expiry: fields.get('17') ?? '',
    lot: fields.get('10') ?? '',
    serial: fields.get('21') ?? '',
  };
  const problem =
    gtinProblem(pack.gtin) ??
    expiryProblem(pack.expiry, currentYear) ??
    codeProblem('10', pack.lot) ??
    codeProblem('21', pack.serial);
  if (problem !== null) return { ok: false, error: problem };
  return { ok: true, pack, format };
}

/** The element string of a pack, in the canonical order: `(01)…(17)…(10)…(21)…`. */
export function toElementString(pack: Pack): string {
  return `(01)${pack.gtin}(17)${pack.expiry}(10)${pack.lot}(21)${pack.serial}`;
}

// ---------------------------------------------------------------------------------------------
// Contract arguments

/**
 * A pack's identifier as pharma_ledger's messages take it (`commission`, `dispense`,
 * `verify`, `pack`, …), ready for the generated dedot API:
 *  - `gtin`: `Gtin = [u8; 14]`, the 14 ASCII digits, as the `0x…` hex string dedot takes for
 *    `FixedBytes<14>` (`"09506000134352"` → `0x3039353036303030313334333532`);
 *  - `lot`, `serial`: `Vec<u8>`, the ASCII bytes as a `Uint8Array`. Never a string: dedot reads
 *    a `BytesLike` string that starts with `0x` as hex, and `0x12` is a valid lot;
 *  - `expiry`: `u32`, the YYMMDD digits as a number (`"261231"` → `261231`, `"050100"` → `50100`).
 */
export interface PackContractArgs {
  gtin: `0x${string}`;
  lot: Uint8Array;
  serial: Uint8Array;
  expiry: number;
}

function asciiBytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

export function toContractArgs(pack: Pack): PackContractArgs {
  const hex = [...asciiBytes(pack.gtin)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return {
    gtin: `0x${hex}`,
    lot: asciiBytes(pack.lot),
    serial: asciiBytes(pack.serial),
    expiry: Number(pack.expiry),
  };
}
