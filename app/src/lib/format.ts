/**
 * Words and short forms for what the chain holds: categories and purposes by name, balances in
 * the chain's token, weights, times, and decoded values without raw hex where a name will do.
 */

/** Data categories (carechain_shared::DataCategories), bit by bit, in plain words. */
export const CATEGORIES = [
  { bit: 1 << 0, key: 'DEMOGRAPHICS', label: 'Demographics' },
  { bit: 1 << 1, key: 'ALLERGIES', label: 'Allergies' },
  { bit: 1 << 2, key: 'MEDICATIONS', label: 'Medications' },
  { bit: 1 << 3, key: 'PROBLEMS', label: 'Problems and diagnoses' },
  { bit: 1 << 4, key: 'LAB_RESULTS', label: 'Lab results' },
  { bit: 1 << 5, key: 'IMAGING', label: 'Imaging' },
  { bit: 1 << 6, key: 'IMMUNIZATIONS', label: 'Immunizations' },
  { bit: 1 << 7, key: 'CLINICAL_NOTES', label: 'Clinical notes' },
  { bit: 1 << 8, key: 'MENTAL_HEALTH', label: 'Mental health', sensitive: true },
  { bit: 1 << 9, key: 'SUBSTANCE_USE', label: 'Substance use', sensitive: true },
  { bit: 1 << 10, key: 'SEXUAL_REPRODUCTIVE', label: 'Sexual and reproductive health', sensitive: true },
  { bit: 1 << 11, key: 'GENOMICS', label: 'Genomics', sensitive: true },
  { bit: 1 << 12, key: 'EMERGENCY_SUMMARY', label: 'Emergency summary' },
] as const;

/** Purposes (carechain_shared::PurposeSet bits) with their HL7 PurposeOfUse codes. */
export const PURPOSES = [
  { bit: 1 << 0, name: 'Treatment', code: 'TREAT', label: 'Treatment' },
  { bit: 1 << 1, name: 'EmergencyTreatment', code: 'ETREAT', label: 'Emergency treatment' },
  { bit: 1 << 2, name: 'Research', code: 'HRESCH', label: 'Research' },
  { bit: 1 << 3, name: 'Payment', code: 'HPAYMT', label: 'Payment' },
  { bit: 1 << 4, name: 'Operations', code: 'HOPERAT', label: 'Healthcare operations' },
  { bit: 1 << 5, name: 'PublicHealth', code: 'PUBHLTH', label: 'Public health' },
] as const;

export type PurposeName = (typeof PURPOSES)[number]['name'];

/** "Lab results, Imaging"; "none" for 0; unknown bits named as such. */
export function categoriesText(mask: number): string {
  const names: string[] = CATEGORIES.filter((c) => (mask & c.bit) !== 0).map((c) => c.label);
  const known = CATEGORIES.reduce((m, c) => m | c.bit, 0);
  if ((mask & ~known) !== 0) names.push(`unknown categories (0x${(mask & ~known).toString(16)})`);
  return names.length ? names.join(', ') : 'none';
}

export function purposesText(mask: number): string {
  const names = PURPOSES.filter((p) => (mask & p.bit) !== 0).map((p) => p.label);
  return names.length ? names.join(', ') : 'none';
}

export function purposeLabel(name: string): string {
  return PURPOSES.find((p) => p.name === name)?.label ?? name;
}

/** A balance in the chain's smallest unit, in its token: "1.5 UNIT", at most 4 decimals, "< 0.0001 UNIT". */
export function formatBalance(planck: bigint, decimals: number, symbol: string): string {
  const negative = planck < 0n;
  const abs = negative ? -planck : planck;
  const unit = 10n ** BigInt(decimals);
  const whole = abs / unit;
  const frac = abs % unit;
  const shown = decimals > 4 ? frac / 10n ** BigInt(decimals - 4) : frac;
  const digits = decimals > 4 ? 4 : decimals;
  if (whole === 0n && shown === 0n && frac !== 0n) return `${negative ? '-' : ''}< 0.${'0'.repeat(Math.max(digits - 1, 0))}1 ${symbol}`;
  const fracText = digits > 0 ? shown.toString().padStart(digits, '0').replace(/0+$/, '') : '';
  return `${negative ? '-' : ''}${whole.toLocaleString('en-US')}${fracText ? `.${fracText}` : ''} ${symbol}`;
}

/** A weight as people can compare it: computation in giga units of ref_time, proof in kB. */
export function formatWeight(refTime: bigint, proofSize: bigint): string {
  const g = Number(refTime) / 1e9;
  const kb = Number(proofSize) / 1000;
  return `computation ${g.toFixed(3)} G, proof ${kb.toFixed(1)} kB`;
}

/** A chain time (ms since the epoch) as a readable UTC date and time. */
export function formatTime(ms: bigint | number): string {
  const n = typeof ms === 'bigint' ? Number(ms) : ms;
  if (!Number.isFinite(n) || n <= 0) return 'never';
  if (n >= 8.64e15) return 'no end';
  return new Date(n).toISOString().replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, ' UTC');
}

/** "0x1a2b3c…7f8e" for a 32-byte hash; other strings as they are. */
export function shortHex(hex: string): string {
  return /^0x[0-9a-fA-F]{16,}$/.test(hex) ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex;
}

/**
 * A decoded contract value in words: accounts through `nameOf` (a known name or a short SS58),
 * hashes short, enums by their variant, structs as "field: value" lists, bytes as text when
 * they are printable GS1 codes.
 */
export function formatValue(v: unknown, nameOf: (address: string) => string = (a) => a): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'bigint' || typeof v === 'number') return v.toString();
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') {
    if (/^[1-9A-HJ-NP-Za-km-z]{46,48}$/.test(v)) return nameOf(v);
    // Short byte strings (GS1 lots and serials, at most 20 bytes) that are printable are text.
    if (/^0x([0-9a-fA-F]{2}){1,20}$/.test(v)) {
      const text = v.slice(2).replace(/../g, (h) => String.fromCharCode(parseInt(h, 16)));
      if (/^[\x21-\x7e]+$/.test(text)) return text;
    }
    return shortHex(v);
  }
  if (v instanceof Uint8Array) {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(v);
    return /^[\x21-\x7e]*$/.test(text) ? text : shortHex(`0x${Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('')}`);
  }
  if (Array.isArray(v)) return v.length ? v.map((x) => formatValue(x, nameOf)).join(', ') : 'none';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown> & { address?: () => string; raw?: unknown };
    if (typeof o.address === 'function') return nameOf(o.address());
    if ('type' in o && Object.keys(o).every((k) => k === 'type' || k === 'value')) {
      return 'value' in o && o.value !== undefined ? `${String(o.type)} (${formatValue(o.value, nameOf)})` : String(o.type);
    }
    return Object.entries(o)
      .map(([k, x]) => `${fieldLabel(k)}: ${formatField(k, x, nameOf)}`)
      .join('; ');
  }
  return String(v);
}

/** `validUntil` → `valid until`. */
export function fieldLabel(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** A field by what its name says it holds: categories and purposes by name, times as dates. */
export function formatField(key: string, v: unknown, nameOf: (address: string) => string = (a) => a): string {
  if (typeof v === 'number' && /categor/i.test(key)) return categoriesText(v);
  if (typeof v === 'number' && /^purposes$/i.test(key)) return purposesText(v);
  if (typeof v === 'string' && /^purpose$/i.test(key)) return purposeLabel(v);
  if (typeof v === 'bigint' && /(^at$|At$|^valid|From$|Until$|^until$|^from$|expires|deadline|due|Due$|time)/.test(key) && v > 1_000_000_000_000n) {
    return formatTime(v);
  }
  return formatValue(v, nameOf);
}
