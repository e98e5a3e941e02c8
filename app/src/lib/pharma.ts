/**
 * pharma_ledger's answers in words: the verification of a scanned pack (genuine, or why not,
 * and its flags), pack states, decommission reasons, transitions, GTIN holdings and transfer
 * kinds; and which actions on a pack make sense for whom. Pure: the views ask the contract and
 * pass its answers here.
 */
import type {
  PharmaLedgerDataNoMatch,
  PharmaLedgerDataPartnerRole,
  PharmaLedgerDataTransferKind,
  PharmaLedgerDataVerification,
  PharmaLedgerPackDecommissionReason,
  PharmaLedgerPackPackStatus,
  PharmaLedgerPackTransition,
} from '../contracts/types/pharma-ledger';
import { codeProblem, gtinProblem, MAX_CODE_LENGTH, padGtin } from './gs1';

export type PackStatus = PharmaLedgerPackPackStatus;
export type DecommissionReason = PharmaLedgerPackDecommissionReason;
export type PartnerRole = PharmaLedgerDataPartnerRole;

/** A pack's state as a sentence fragment: "the pack is …". */
export const STATUS_WORDS: Readonly<Record<PackStatus, string>> = {
  Active: 'in the supply chain (active)',
  InTransit: 'in transit between two trading partners',
  Dispensed: 'dispensed to a patient',
  Destroyed: 'destroyed',
  Stolen: 'reported stolen',
  Exported: 'exported out of the market',
  Sample: 'taken as a sample',
  FreeSample: 'given away as a free sample',
  Locked: 'locked (held back from supply)',
};

export function statusWords(status: PackStatus): string {
  return STATUS_WORDS[status] ?? status;
}

/** States nothing leads out of (pack.rs `is_final`). */
export function isFinalStatus(status: PackStatus): boolean {
  return status === 'Destroyed' || status === 'Stolen' || status === 'Exported';
}

/** Out of the supply chain: neither active nor in transit (pack.rs `is_decommissioned`). */
export function isDecommissioned(status: PackStatus): boolean {
  return status !== 'Active' && status !== 'InTransit';
}

/** The decommission reasons of the contract's enum, in its order, in words. */
export const DECOMMISSION_REASONS: readonly { reason: DecommissionReason; label: string; hint: string }[] = [
  { reason: 'Destroyed', label: 'Destroyed', hint: 'final: the pack was destroyed (damaged, expired stock, returns for destruction)' },
  { reason: 'Stolen', label: 'Stolen', hint: 'final: the pack was stolen or is missing' },
  { reason: 'Exported', label: 'Exported', hint: 'final: the pack leaves this market' },
  { reason: 'Sample', label: 'Sample', hint: 'taken as a sample (e.g. for the authorities); can be undone within 10 days' },
  { reason: 'FreeSample', label: 'Free sample', hint: 'given away as a free sample; can be undone within 10 days' },
  { reason: 'Locked', label: 'Locked', hint: 'held back from supply (e.g. while something is checked); can be undone within 10 days' },
];

export function decommissionLabel(reason: DecommissionReason): string {
  return DECOMMISSION_REASONS.find((r) => r.reason === reason)?.label ?? reason;
}

export const ROLE_WORDS: Readonly<Record<PartnerRole, string>> = {
  Manufacturer: 'manufacturer',
  Wholesaler: 'wholesaler',
  Dispenser: 'dispenser (pharmacy)',
  Repackager: 'repackager',
};

export const ROLES: readonly { role: PartnerRole; label: string; hint: string }[] = [
  { role: 'Manufacturer', label: 'Manufacturer', hint: 'claims GTINs, commissions packs, recalls its own lots' },
  { role: 'Wholesaler', label: 'Wholesaler', hint: 'receives, holds and ships packs' },
  { role: 'Dispenser', label: 'Dispenser (pharmacy)', hint: 'receives packs and dispenses them to patients' },
  { role: 'Repackager', label: 'Repackager', hint: 'claims GTINs of its own and commissions repackaged packs' },
];

/** Why a scanned code matched no pack (GS1 Lightweight Messaging), in words. */
export const NO_MATCH_WORDS: Readonly<Record<PharmaLedgerDataNoMatch, string>> = {
  InvalidIdentifier: 'the GTIN, serial number or batch/lot is not well-formed',
  UnknownProduct: 'no manufacturer holds this GTIN on the ledger: the product is unknown',
  UnknownSerial: 'the product is known, but no pack with this serial number was ever commissioned',
  LotMismatch:
    'a pack with this serial number exists, but it was commissioned with another batch/lot: the code on this pack is not what the manufacturer recorded',
  ExpiryMismatch:
    'a pack with this serial number exists, but it was commissioned with another expiry date: the code on this pack is not what the manufacturer recorded',
};

export interface VerificationFlag {
  key: 'expired' | 'recalled' | 'withdrawn' | 'suspect' | 'illegitimate' | 'decommissioned';
  set: boolean;
  /** The flag in words, whether set or not ("Not recalled."). */
  words: string;
}

export interface VerificationWords {
  /** genuine: matches and may be supplied; do-not-supply: matches but a flag forbids it; no-match. */
  verdict: 'genuine' | 'do-not-supply' | 'no-match';
  headline: string;
  /** Every flag, set or not, in the contract's order. */
  flags: VerificationFlag[];
}

function flagWords(v: PharmaLedgerDataVerification): VerificationFlag[] {
  const status = v.status;
  return [
    {
      key: 'expired',
      set: v.expired,
      words: v.expired ? 'Expired: its expiry date has passed.' : 'Not expired.',
    },
    {
      key: 'recalled',
      set: v.recalled,
      words: v.recalled ? 'Recalled: its batch/lot was recalled — do not supply it.' : 'Not recalled.',
    },
    {
      key: 'withdrawn',
      set: v.withdrawn,
      words: v.withdrawn
        ? "Withdrawn: the regulator revoked the right to this product code under which the pack was made, so it is not the genuine product of the code's holder."
        : 'Not withdrawn.',
    },
    {
      key: 'suspect',
      set: v.suspect,
      words: v.suspect ? 'Suspect: a trading partner or the regulator flagged it; it is quarantined until the regulator decides.' : 'Not flagged suspect.',
    },
    {
      key: 'illegitimate',
      set: v.illegitimate,
      words: v.illegitimate ? 'Illegitimate: the regulator confirmed it is not legitimate; it can never move again.' : 'Not confirmed illegitimate.',
    },
    {
      key: 'decommissioned',
      set: v.decommissioned,
      words: v.decommissioned
        ? `Decommissioned: already out of the supply chain (${status ? statusWords(status) : 'decommissioned'}); supplying it again raises a falsification alert.`
        : 'Not decommissioned: still in the supply chain.',
    },
  ];
}

const FLAG_NAMES: Readonly<Record<VerificationFlag['key'], string>> = {
  expired: 'expired',
  recalled: 'recalled',
  withdrawn: 'withdrawn',
  suspect: 'suspect',
  illegitimate: 'illegitimate',
  decommissioned: 'already decommissioned',
};

/** pharma_ledger.verify's answer in words. */
export function verificationWords(v: PharmaLedgerDataVerification): VerificationWords {
  if (!v.verified) {
    const why = v.noMatch ? NO_MATCH_WORDS[v.noMatch] : 'the code matches no pack on the ledger';
    return {
      verdict: 'no-match',
      headline: `No match — do not supply: ${why}. The pack may be falsified; set it aside.`,
      flags: flagWords(v),
    };
  }
  const flags = flagWords(v);
  const set = flags.filter((f) => f.set);
  if (set.length === 0) {
    return {
      verdict: 'genuine',
      headline: `Genuine: the full code matches a pack its manufacturer commissioned, and it is ${statusWords(v.status ?? 'Active')}.`,
      flags,
    };
  }
  const names = set.map((f) => FLAG_NAMES[f.key]);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return {
    verdict: 'do-not-supply',
    headline: `The code matches a commissioned pack, but do not supply it: it is ${list}.`,
    flags,
  };
}

/** What a dispense, decommission or undo did, from its Transition. */
export function transitionWords(t: PharmaLedgerPackTransition): string {
  if (t.type === 'Alert') {
    return 'Falsification alert recorded: the pack was already out of the supply chain, so nothing changed. It may be a clone of a genuine pack: set it aside and report it.';
  }
  return `The pack is now ${statusWords(t.value)}.`;
}

/**
 * The Transition a finalized dispense, decommission or undo made, read from its events
 * (`PackStatusChanged` → the new state; `FalsificationAlert` → the alert); null without either.
 */
export function transitionFromEvents(events: readonly { name: string; data: unknown }[]): PharmaLedgerPackTransition | null {
  for (const e of events) {
    if (/FalsificationAlert$/.test(e.name)) return { type: 'Alert' };
    if (/PackStatusChanged$/.test(e.name)) {
      const to = (e.data as { to?: PackStatus } | undefined)?.to;
      if (to) return { type: 'To', value: to };
    }
  }
  return null;
}

/** The two kinds of GTIN transfer, in words. */
export const TRANSFER_KINDS: readonly { kind: PharmaLedgerDataTransferKind; label: string; hint: string }[] = [
  {
    kind: 'Sale',
    label: 'Sale',
    hint: "the current holder held the product code rightfully (e.g. the brand was sold): every pack it made stays genuine. A revoked holding cannot be sold.",
  },
  {
    kind: 'Squat',
    label: 'Squat',
    hint: "the current holder never should have held it (it squatted the code): its holding is revoked, and every pack it made verifies as withdrawn and cannot be supplied.",
  },
];

/** The holdings (1-based) whose bit is set in `revokedHoldings`, up to `current`. */
export function revokedHoldings(bits: bigint, current: number): number[] {
  const out: number[] = [];
  for (let h = 1; h <= Math.min(current, 64); h++) {
    if ((bits >> BigInt(h - 1)) & 1n) out.push(h);
  }
  return out;
}

/** "holding 2 of 3 (holdings 1 revoked)"-style summary of a GTIN record. */
export function holdingWords(holding: number, bits: bigint): string {
  const revoked = revokedHoldings(bits, holding);
  const current = revoked.includes(holding) ? 'revoked' : 'in force';
  const earlier = revoked.filter((h) => h !== holding);
  const before = earlier.length ? `; earlier holding${earlier.length > 1 ? 's' : ''} ${earlier.join(', ')} revoked` : '';
  return `holding ${holding} (${current})${before}`;
}

// ---------------------------------------------------------------------------------------------
// GTINs, lots, expiry dates and serials as the contract takes and gives them

/** `Gtin = [u8; 14]` as dedot takes it: the 14 ASCII digits as 0x-hex. */
export function gtinHex(gtin: string): `0x${string}` {
  return `0x${[...gtin].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('')}`;
}

/** A GTIN from the chain (0x-hex of its ASCII digits, or bytes) as its 14 digits. */
export function gtinText(v: string | Uint8Array): string {
  return bytesText(v);
}

/** `Vec<u8>` from the chain (0x-hex or bytes) as text: lots, serials, GTINs. */
export function bytesText(v: string | Uint8Array): string {
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  if (/^0x([0-9a-fA-F]{2})*$/.test(v)) {
    return v.slice(2).replace(/../g, (h) => String.fromCharCode(parseInt(h, 16)));
  }
  return v;
}

/** ASCII text as the `Vec<u8>` the contract takes. */
export function textBytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** A GTIN as typed: 14 digits (8, 12 or 13 are padded), or what is wrong with it. */
export function readGtin(text: string): { ok: true; gtin: string } | { ok: false; error: string } {
  const t = text.trim();
  if (t === '') return { ok: false, error: 'Enter a GTIN (14 digits)' };
  const padded = /^(\d{8}|\d{12}|\d{13})$/.test(t) ? padGtin(t) : t;
  const problem = gtinProblem(padded);
  return problem ? { ok: false, error: problem } : { ok: true, gtin: padded };
}

/** A batch/lot as typed, or what is wrong with it. */
export function readLot(text: string): { ok: true; lot: string } | { ok: false; error: string } {
  const problem = codeProblem('10', text.trim());
  return problem ? { ok: false, error: problem } : { ok: true, lot: text.trim() };
}

/** `2028-12-31` (an HTML date input) → `281231` (AI 17); null when not a date. */
export function expiryFromDate(date: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  return `${m[1]!.slice(2)}${m[2]}${m[3]}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * `281231` → `31 December 2028`; day 00 → `end of December 2028`. Years read as 20YY (the
 * ledger's packs expire this century).
 */
export function expiryWords(yymmdd: string | number): string {
  const s = String(yymmdd).padStart(6, '0');
  if (!/^\d{6}$/.test(s)) return String(yymmdd);
  const year = 2000 + Number(s.slice(0, 2));
  const month = MONTHS[Number(s.slice(2, 4)) - 1];
  const day = Number(s.slice(4, 6));
  if (!month) return s;
  return day === 0 ? `end of ${month} ${year}` : `${day} ${month} ${year}`;
}

/**
 * Serial numbers as typed for commissioning: one per line (commas and spaces separate too).
 * Each is checked like the contract checks it; a repeat is named.
 */
export function readSerials(text: string): { serials: string[]; problems: string[] } {
  const serials = text.split(/[\s,;]+/).filter((s) => s !== '');
  const problems: string[] = [];
  const seen = new Set<string>();
  serials.forEach((s, i) => {
    const p = codeProblem('21', s);
    if (p) problems.push(`Serial ${i + 1}: ${p}`);
    else if (seen.has(s)) problems.push(`Serial ${i + 1}: ${s} appears twice`);
    seen.add(s);
  });
  return { serials, problems };
}

/** Characters of random serials: digits and upper-case letters without look-alikes (0/O, 1/I). */
const SERIAL_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/**
 * `count` random serial numbers of `length` characters (EU FMD wants them unpredictable),
 * from `random` bytes (the platform's cryptographic source in the app).
 */
export function randomSerials(count: number, length: number, random: (n: number) => Uint8Array): string[] {
  const n = Math.min(Math.max(length, 1), MAX_CODE_LENGTH);
  const out = new Set<string>();
  while (out.size < count) {
    const bytes = random(n);
    out.add([...bytes].map((b) => SERIAL_ALPHABET[b % SERIAL_ALPHABET.length]).join(''));
  }
  return [...out];
}

// ---------------------------------------------------------------------------------------------
// Which actions on a pack make sense

/** What the views know of a pack, with accounts as addresses. */
export interface PackFacts {
  status: PackStatus;
  custodian: string;
  transitTo?: string;
  lastActor: string;
  lastChangeAt: bigint;
  suspect: boolean;
  illegitimate: boolean;
}

export interface PackActions {
  dispense: boolean;
  decommission: boolean;
  undo: boolean;
  flagSuspect: boolean;
  receive: boolean;
  ship: boolean;
  cancel: boolean;
}

/** EMVS: an undo only within 10 days of the change, by its actor. */
export const UNDO_WINDOW_MS = 10n * 86_400_000n;
/** The sender may cancel an unreceived shipment after 14 days (the regulator any time). */
export const SHIPMENT_CANCEL_DELAY_MS = 14n * 86_400_000n;

const UNDOABLE: readonly PackStatus[] = ['Dispensed', 'Sample', 'FreeSample', 'Locked'];

/**
 * The actions to offer `me` (a partner of `role`) on a pack: only what the pack's state and
 * custody allow. The contract still decides (recalls, expiry and quarantine refuse there, in
 * its words); this only leaves out what cannot apply. `same(a, b)` compares accounts.
 */
export function packActions(
  pack: PackFacts,
  me: string,
  role: PartnerRole,
  now: bigint,
  same: (a: string, b: string) => boolean,
): PackActions {
  const mine = same(pack.custodian, me);
  const live = !pack.illegitimate;
  return {
    // Dispensing a decommissioned pack is allowed on purpose: it records a falsification alert.
    dispense: live && role === 'Dispenser' && mine && pack.status !== 'InTransit',
    decommission: live && mine && pack.status === 'Active',
    undo: live && UNDOABLE.includes(pack.status) && same(pack.lastActor, me) && now < pack.lastChangeAt + UNDO_WINDOW_MS,
    flagSuspect: live && !pack.suspect,
    receive: live && pack.status === 'InTransit' && pack.transitTo !== undefined && same(pack.transitTo, me),
    ship: live && mine && pack.status === 'Active',
    cancel: live && pack.status === 'InTransit' && mine,
  };
}
