import { describe, expect, it } from 'vitest';
import type { PharmaLedgerContractApi } from '../contracts';
import {
  GS,
  codeProblem,
  describeChar,
  expiryProblem,
  fullYear,
  gs1CheckDigit,
  gtinProblem,
  hasValidCheckDigit,
  isCset82,
  padGtin,
  parsePackCode,
  toContractArgs,
  toElementString,
  type Pack,
  type ParseResult,
} from './gs1';

const PACK: Pack = { gtin: '09506000134352', expiry: '261231', lot: 'LOT42', serial: 'SN00000001' };
const YEAR = { currentYear: 2026 };

function parse(code: string): ParseResult {
  return parsePackCode(code, YEAR);
}

function errorOf(code: string): string {
  const r = parse(code);
  if (r.ok) throw new Error(`expected ${JSON.stringify(code)} to be refused, got ${JSON.stringify(r.pack)}`);
  return r.error;
}

describe('gs1CheckDigit', () => {
  it.each([
    ['09506000134352', 'GS1 example GTIN-14'],
    ['4006381333931', 'EAN-13'],
    ['036000291452', 'UPC-A (GTIN-12)'],
    ['96385074', 'EAN-8'],
    ['00012345600012', 'GTIN-14'],
    ['10614141000415', 'GTIN-14 with packaging indicator 1'],
  ])('%s (%s) is valid', (gtin) => {
    expect(gs1CheckDigit(gtin.slice(0, -1))).toBe(Number(gtin.slice(-1)));
    expect(hasValidCheckDigit(gtin)).toBe(true);
  });

  it('computes the digit from the body', () => {
    expect(gs1CheckDigit('0950600013435')).toBe(2);
    expect(gs1CheckDigit('400638133393')).toBe(1);
    expect(gs1CheckDigit('0')).toBe(0);
  });

  it('a changed digit or a swapped pair breaks the check', () => {
    expect(hasValidCheckDigit('09506000134353')).toBe(false);
    expect(hasValidCheckDigit('09506000143352')).toBe(false); // "34" -> "43"
    expect(hasValidCheckDigit('4006381333932')).toBe(false);
  });

  it('refuses a body that is not digits', () => {
    expect(() => gs1CheckDigit('12a')).toThrow(/not all digits/);
    expect(hasValidCheckDigit('12a4')).toBe(false);
  });

  it('padGtin zero-pads to 14 digits', () => {
    expect(padGtin('4006381333931')).toBe('04006381333931');
    expect(padGtin('96385074')).toBe('00000096385074');
    expect(padGtin('09506000134352')).toBe('09506000134352');
    expect(hasValidCheckDigit(padGtin('036000291452'))).toBe(true);
  });
});

describe('gtinProblem', () => {
  it('accepts a valid GTIN-14', () => {
    expect(gtinProblem('09506000134352')).toBeNull();
  });
  it('names the check digit found and the one expected', () => {
    expect(gtinProblem('09506000134357')).toBe('GTIN 09506000134357: check digit is 7, expected 2');
  });
  it('counts the digits of a GTIN that is not 14 long', () => {
    expect(gtinProblem('0950600013435')).toBe('GTIN 0950600013435 has 13 digits: a GTIN-14 has 14');
  });
  it('names a character that is not a digit', () => {
    expect(gtinProblem('0950600013435X')).toBe('GTIN "0950600013435X" contains "X" (U+0058): a GTIN is 14 digits');
  });
  it('refuses the reserved all-zero GTIN (as the contract does)', () => {
    expect(gtinProblem('00000000000000')).toMatch(/reserved/);
  });
});

describe('GS1 character set 82', () => {
  it('contains the 82 characters and nothing else of ASCII', () => {
    const inSet = [];
    for (let c = 0; c < 128; c++) if (isCset82(String.fromCharCode(c))) inSet.push(String.fromCharCode(c));
    expect(inSet.length).toBe(82);
    expect(inSet.join('')).toBe(
      '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz',
    );
  });
  it('excludes #, $, @, space, [ and non-ASCII letters', () => {
    for (const c of ['#', '$', '@', ' ', '[', '`', '~', 'é', 'ß']) expect(isCset82(c)).toBe(false);
  });
  it('describes characters readably', () => {
    expect(describeChar(' ')).toBe('a space');
    expect(describeChar('#')).toBe('"#" (U+0023)');
    expect(describeChar('\t')).toBe('the control character U+0009');
    expect(describeChar(GS)).toBe('a GS separator (U+001D)');
    expect(describeChar('😀')).toBe('"😀" (U+1F600)');
  });
});

describe('codeProblem', () => {
  it('accepts 1 to 20 characters of set 82', () => {
    expect(codeProblem('10', 'A')).toBeNull();
    expect(codeProblem('21', 'x'.repeat(20))).toBeNull();
    expect(codeProblem('21', '!"%&\'()*+,-./:;<=>?_')).toBeNull();
  });
  it('refuses empty, too long and foreign characters, naming the field', () => {
    expect(codeProblem('10', '')).toBe('The batch/lot (10) is empty');
    expect(codeProblem('21', 'x'.repeat(21))).toBe(`The serial number (21) "${'x'.repeat(21)}" is 21 characters long: at most 20`);
    expect(codeProblem('10', 'LOT#1')).toBe(
      'The batch/lot (10) "LOT#1" contains "#" (U+0023), which is not in GS1 character set 82',
    );
  });
});

describe('expiry dates', () => {
  it('fullYear follows the GS1 century rule', () => {
    expect(fullYear(26, 2026)).toBe(2026);
    expect(fullYear(76, 2026)).toBe(2076); // 50 ahead: this century
    expect(fullYear(77, 2026)).toBe(1977); // 51 ahead: the previous century
    expect(fullYear(49, 2099)).toBe(2149); // 50 behind: the next century
    expect(fullYear(50, 2099)).toBe(2050);
  });
  it('accepts valid dates and day 00', () => {
    for (const d of ['261231', '260100', '260200', '280229', '000101']) expect(expiryProblem(d, 2026)).toBeNull();
  });
  it('refuses month 13 and month 00', () => {
    expect(expiryProblem('261301', 2026)).toBe('The expiry date (17) 261301 has month 13: months are 01 to 12');
    expect(expiryProblem('260015', 2026)).toMatch(/month 00/);
  });
  it('refuses day 32, 31 April and 29 February of a common year', () => {
    expect(expiryProblem('260132', 2026)).toBe(
      'The expiry date (17) 260132 has day 32: January 2026 has 31 days (day 00 means the last day)',
    );
    expect(expiryProblem('260431', 2026)).toMatch(/April 2026 has 30 days/);
    expect(expiryProblem('270229', 2026)).toMatch(/February 2027 has 28 days/);
  });
  it('refuses anything but six digits', () => {
    expect(expiryProblem('26123', 2026)).toBe('The expiry date (17) "26123" is not 6 digits YYMMDD');
    expect(expiryProblem('2612AB', 2026)).toMatch(/not 6 digits YYMMDD/);
  });
});

describe('parsePackCode: element string', () => {
  it('reads the canonical form', () => {
    expect(parse('(01)09506000134352(17)261231(10)LOT42(21)SN00000001')).toEqual({
      ok: true,
      pack: PACK,
      format: 'element-string',
    });
  });
  it('reads the AIs in any order', () => {
    const r = parse('(21)SN00000001(10)LOT42(01)09506000134352(17)261231');
    expect(r).toEqual({ ok: true, pack: PACK, format: 'element-string' });
  });
  it('tolerates spaces around the parentheses and around the whole', () => {
    const r = parse('  (01) 09506000134352 (17) 261231 (10)LOT42 (21) SN00000001\n');
    expect(r).toEqual({ ok: true, pack: PACK, format: 'element-string' });
  });
  it('keeps parentheses inside a value that are not an AI', () => {
    const r = parse('(01)09506000134352(17)261231(10)L(A)42(21)S(1');
    expect(r.ok && r.pack.lot).toBe('L(A)42');
    expect(r.ok && r.pack.serial).toBe('S(1');
  });
  it('names a missing AI', () => {
    expect(errorOf('(01)09506000134352(17)261231(10)LOT42')).toBe('AI (21) serial number is missing');
  });
  it('names every missing AI', () => {
    expect(errorOf('(01)09506000134352')).toBe(
      'AI (17) expiry date, AI (10) batch/lot number and AI (21) serial number are missing',
    );
  });
  it('names a duplicate AI', () => {
    expect(errorOf('(01)09506000134352(17)261231(10)LOT42(21)SN1(10)LOT43')).toBe(
      'AI (10) batch/lot number appears twice',
    );
  });
  it('names an unsupported AI', () => {
    expect(errorOf('(01)09506000134352(17)261231(10)LOT42(21)SN1(714)1234567')).toBe(
      'AI (714) national healthcare reimbursement number (Portugal, AIM) is not supported here: a pack code carries (01) GTIN, (17) expiry date, (10) batch/lot and (21) serial number',
    );
    expect(errorOf('(01)09506000134352(99)X')).toMatch(/^AI \(99\) company internal information is not supported/);
    expect(errorOf('(01)09506000134352(4321)X')).toMatch(/^AI \(4321\) is not supported/);
  });
  it('reports text after a fixed-length value', () => {
    expect(errorOf('(01)09506000134352(17)261231 best before(10)LOT42(21)SN1')).toBe(
      'Unexpected text "best before" after AI (17) expiry date 261231',
    );
  });
  it('reports text that is not an element', () => {
    expect(errorOf('(01)09506000134352 ) junk')).toMatch(/Unexpected text/);
    expect(errorOf('(1)09506000134352')).toBe('Unexpected text "(1)09506000134352" where an element like (21) should start');
  });
  it('checks the GTIN', () => {
    expect(errorOf('(01)09506000134357(17)261231(10)LOT42(21)SN1')).toBe(
      'GTIN 09506000134357: check digit is 7, expected 2',
    );
    expect(errorOf('(01)4006381333931(17)261231(10)LOT42(21)SN1')).toBe(
      'GTIN 4006381333931 has 13 digits: a GTIN-14 has 14',
    );
  });
  it('checks the expiry', () => {
    expect(errorOf('(01)09506000134352(17)261331(10)LOT42(21)SN1')).toMatch(/month 13/);
    expect(errorOf('(01)09506000134352(17)261232(10)LOT42(21)SN1')).toMatch(/day 32/);
  });
  it('checks lot and serial', () => {
    expect(errorOf('(01)09506000134352(17)261231(10)(21)SN1')).toBe('The batch/lot (10) is empty');
    expect(errorOf('(01)09506000134352(17)261231(10)LOT42(21)SN 1')).toMatch(/contains a space/);
    expect(errorOf(`(01)09506000134352(17)261231(10)LOT42(21)${'9'.repeat(21)}`)).toMatch(/21 characters long/);
  });
  it('round-trips through toElementString', () => {
    expect(parse(toElementString(PACK))).toEqual({ ok: true, pack: PACK, format: 'element-string' });
  });
});

describe('parsePackCode: DataMatrix payload', () => {
  const payload = `]d201095060001343521726123110LOT42${GS}21SN00000001`;

  it('reads the payload with symbology identifier and GS', () => {
    expect(parse(payload)).toEqual({ ok: true, pack: PACK, format: 'datamatrix' });
  });
  it('reads it without symbology identifier, with a leading FNC1 and a trailing GS', () => {
    expect(parse(`${GS}01095060001343521726123110LOT42${GS}21SN00000001${GS}`)).toEqual({
      ok: true,
      pack: PACK,
      format: 'datamatrix',
    });
  });
  it('reads the AIs in any order: a fixed-length AI after a variable one needs the GS', () => {
    const r = parse(`21SN00000001${GS}10LOT42${GS}010950600013435217261231`);
    expect(r).toEqual({ ok: true, pack: PACK, format: 'datamatrix' });
  });
  it('accepts a fixed-length AI followed by an unneeded GS', () => {
    expect(parse(`0109506000134352${GS}17261231${GS}10LOT42${GS}21SN00000001`).ok).toBe(true);
  });
  it.each(['<GS>', '{GS}', '<gs>', '\u241d'])('accepts the pasted placeholder %s', (placeholder) => {
    const r = parse(`]d201095060001343521726123110LOT42${placeholder}21SN00000001`);
    expect(r).toEqual({ ok: true, pack: PACK, format: 'datamatrix' });
  });
  it('accepts the GS1 QR and GS1-128 symbology identifiers', () => {
    expect(parse(payload.replace(']d2', ']Q3')).ok).toBe(true);
    expect(parse(payload.replace(']d2', ']C1')).ok).toBe(true);
  });
  it('refuses a symbology identifier that is not GS1', () => {
    expect(errorOf(payload.replace(']d2', ']d1'))).toBe(
      'The symbology identifier ]d1 is not a GS1 one (a GS1 DataMatrix reads as ]d2)',
    );
  });
  it('points at a missing GS when a variable field swallowed the next AI', () => {
    expect(errorOf(']d201095060001343521726123110LOT4221SN00000001')).toBe(
      'AI (21) serial number is missing: the AI (10) batch/lot number value "LOT4221SN00000001" contains "21" — is the GS separator after it missing?',
    );
  });
  it('refuses a variable field longer than 20', () => {
    expect(errorOf(`0109506000134352172612311012345678901234567890X${GS}21SN1`)).toBe(
      'The batch/lot (10) "12345678901234567890X" is 21 characters long: at most 20',
    );
  });
  it('names an unsupported AI and an unknown one', () => {
    expect(errorOf(`0109506000134352${GS}11260101`)).toMatch(/^AI \(11\) production date is not supported/);
    expect(errorOf(`0109506000134352${GS}7141234567`)).toMatch(/^AI \(714\) national healthcare/);
    expect(errorOf(`0109506000134352${GS}7003260101`)).toMatch(/^AI \(7003\) expiration date and time/);
    expect(errorOf('01095060001343521726123105X')).toBe('Unknown AI starting with 05 at position 25');
  });
  it('names a duplicate AI', () => {
    expect(errorOf(`010950600013435217261231172612311`)).toBe('AI (17) expiry date appears twice');
  });
  it('reports trailing data that is not an AI', () => {
    expect(errorOf(`${payload}${GS}xyz`)).toBe('Unexpected data "xyz" after the last element');
    expect(errorOf(`21SN1${GS}10LOT42${GS}010950600013435217261231xyz`)).toBe(
      'Unexpected data "xyz" after the last element',
    );
  });
  it('reports a cut-off fixed-length value', () => {
    expect(errorOf(`0109506000134${GS}1726123110LOT42${GS}21SN1`)).toBe('GTIN 09506000134 has 11 digits: a GTIN-14 has 14');
    expect(errorOf(`21SN1${GS}10LOT42${GS}0109506000134352172612`)).toBe(
      'The expiry date (17) "2612" is not 6 digits YYMMDD',
    );
  });
  it('refuses text that is not a GS1 code at all', () => {
    expect(errorOf('hello')).toBe('"hello" is not a GS1 code: it should start with an AI such as 01');
    expect(errorOf('   ')).toBe('The code is empty');
  });
  it('names a control character inside a serial', () => {
    expect(errorOf(`01095060001343521726123110LOT42${GS}21SN\t1`)).toMatch(/control character U\+0009/);
  });
});

describe('parsePackCode: GS1 Digital Link', () => {
  it('reads the canonical link', () => {
    expect(parse('https://id.gs1.org/01/09506000134352/10/LOT42/21/SN00000001?17=261231')).toEqual({
      ok: true,
      pack: PACK,
      format: 'digital-link',
    });
  });
  it('reads any host, a path prefix, http, a trailing slash and other query parameters', () => {
    const r = parse('http://example.com/products/dl/01/09506000134352/10/LOT42/21/SN00000001/?linkType=gs1:pip&17=261231');
    expect(r).toEqual({ ok: true, pack: PACK, format: 'digital-link' });
  });
  it('percent-decodes lot and serial', () => {
    const r = parse('https://id.example/01/09506000134352/10/L%2FT42/21/S%25N%3D1?17=261231');
    expect(r.ok && r.pack).toEqual({ ...PACK, lot: 'L/T42', serial: 'S%N=1' });
  });
  it('does not turn + into a space in the query', () => {
    const r = parse('https://id.example/01/09506000134352/10/LOT42?17=261231&21=A+B');
    expect(r.ok && r.pack.serial).toBe('A+B');
  });
  it('zero-pads a 13-, 12- and 8-digit GTIN', () => {
    const at = (gtin: string) => parse(`https://id.gs1.org/01/${gtin}/10/L/21/S?17=261231`);
    const gtinOf = (r: ParseResult) => (r.ok ? r.pack.gtin : r.error);
    expect(gtinOf(at('4006381333931'))).toBe('04006381333931');
    expect(gtinOf(at('036000291452'))).toBe('00036000291452');
    expect(gtinOf(at('96385074'))).toBe('00000096385074');
  });
  it('refuses a GTIN of another length and a wrong check digit', () => {
    expect(errorOf('https://id.gs1.org/01/0950600013/10/L/21/S?17=261231')).toBe(
      'The GTIN 0950600013 in the link has 10 digits: a GTIN has 8, 12, 13 or 14',
    );
    expect(errorOf('https://id.gs1.org/01/4006381333932/10/L/21/S?17=261231')).toBe(
      'GTIN 04006381333932: check digit is 2, expected 1',
    );
  });
  it('names the missing expiry, and explains the "exp" name', () => {
    expect(errorOf('https://id.gs1.org/01/09506000134352/10/LOT42/21/SN1')).toBe('AI (17) expiry date is missing');
    expect(errorOf('https://id.gs1.org/01/09506000134352/10/LOT42/21/SN1?exp=261231')).toBe(
      'AI (17) expiry date is missing: write it as 17=YYMMDD in the link (the name "exp" is not read)',
    );
  });
  it('names an unsupported AI in the path or the query', () => {
    expect(errorOf('https://id.gs1.org/01/09506000134352/22/V1/10/L/21/S?17=261231')).toMatch(
      /^AI \(22\) consumer product variant is not supported/,
    );
    expect(errorOf('https://id.gs1.org/01/09506000134352/10/L/21/S?17=261231&15=260101')).toMatch(
      /^AI \(15\) best before date is not supported/,
    );
  });
  it('names a duplicate between path and query', () => {
    expect(errorOf('https://id.gs1.org/01/09506000134352/10/L/21/S?17=261231&10=L')).toBe(
      'AI (10) batch/lot number appears twice',
    );
  });
  it('reports a path that continues after the last element', () => {
    expect(errorOf('https://id.gs1.org/01/09506000134352/10/L/21/S/extra?17=261231')).toBe(
      'Unexpected path "/extra" after the last element',
    );
    expect(errorOf('https://id.gs1.org/01/09506000134352/10/L/21?17=261231')).toBe(
      'AI (21) serial number in the path has no value',
    );
  });
  it('refuses a link without /01/, bad percent-encoding and other schemes', () => {
    expect(errorOf('https://id.gs1.org/414/9506000000005')).toMatch(/no \/01\/ followed by a GTIN/);
    expect(errorOf('https://id.gs1.org/01/09506000134352/10/%E0%A4%A/21/S?17=261231')).toMatch(
      /is not valid percent-encoding/,
    );
    expect(errorOf('ftp://id.gs1.org/01/09506000134352/10/L/21/S?17=261231')).toMatch(/https:\/\/ or http:\/\//);
  });
  it('checks lot characters after decoding', () => {
    expect(errorOf('https://id.gs1.org/01/09506000134352/10/L%20T/21/S?17=261231')).toMatch(/contains a space/);
  });
});

describe('the three forms agree', () => {
  it('give the same pack', () => {
    const forms = [
      '(01)09506000134352(17)261231(10)LOT42(21)SN00000001',
      `]d201095060001343521726123110LOT42${GS}21SN00000001`,
      'https://id.gs1.org/01/09506000134352/10/LOT42/21/SN00000001?17=261231',
    ];
    const packs = forms.map((f) => {
      const r = parse(f);
      return r.ok ? r.pack : r.error;
    });
    expect(packs).toEqual([PACK, PACK, PACK]);
  });
  it('29 February depends on the year the two-digit year is read against', () => {
    const code = '(01)09506000134352(17)280229(10)L(21)S';
    expect(parsePackCode(code, { currentYear: 2026 }).ok).toBe(true); // 2028 is a leap year
    expect(parsePackCode(code.replace('280229', '270229'), { currentYear: 2026 }).ok).toBe(false);
  });
});

describe('toContractArgs', () => {
  it('gives the GTIN as the hex of its 14 ASCII digits', () => {
    const args = toContractArgs(PACK);
    expect(args.gtin).toBe('0x3039353036303030313334333532');
    expect(args.gtin.length).toBe(2 + 28);
  });
  it('gives lot and serial as their ASCII bytes', () => {
    const args = toContractArgs(PACK);
    expect([...args.lot]).toEqual([0x4c, 0x4f, 0x54, 0x34, 0x32]);
    expect(new TextDecoder().decode(args.serial)).toBe('SN00000001');
  });
  it('keeps a lot that looks like hex as bytes, not as hex', () => {
    const args = toContractArgs({ ...PACK, lot: '0x12' });
    expect(args.lot).toBeInstanceOf(Uint8Array);
    expect([...args.lot]).toEqual([0x30, 0x78, 0x31, 0x32]);
  });
  it('gives the expiry as the u32 YYMMDD number', () => {
    expect(toContractArgs(PACK).expiry).toBe(261231);
    expect(toContractArgs({ ...PACK, expiry: '050100' }).expiry).toBe(50100);
  });
  it('fits the generated pharma_ledger verify() arguments', () => {
    type Verify = Parameters<PharmaLedgerContractApi['query']['verify']>;
    const { gtin, serial, lot, expiry } = toContractArgs(PACK);
    const args: Verify = [gtin, serial, lot, expiry];
    expect(args).toHaveLength(4);
  });
});
