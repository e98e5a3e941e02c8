/**
 * Which views an account gets, from what the chain says about it. Pure: the caller asks the
 * contracts (consent_registry.is_custodian, research_registry.is_ethics_approver,
 * break_glass.responder / is_authority, pharma_ledger.partner / Administration::admin) and
 * the delegations, and passes the answers here.
 */
import { decodeAddress } from 'dedot/utils';
import type { BreakGlassDataResponderStatus } from '../contracts/types/break-glass';
import type { PharmaLedgerDataPartnerRole } from '../contracts/types/pharma-ledger';

export type ResponderStatus = 'none' | 'active' | 'suspended';
export type PartnerRole = PharmaLedgerDataPartnerRole;

/** What the chain answered for one account. */
export interface RoleAnswers {
  /** consent_registry.is_custodian(account). */
  isCustodian: boolean;
  /** The patients (SS58) who appointed the account as their delegate, still in force. */
  delegatesFor: readonly string[];
  /** research_registry.is_ethics_approver(account). */
  isEthicsApprover: boolean;
  /** break_glass.responder(account): none, or its status. */
  responderStatus: ResponderStatus;
  /** break_glass.is_authority(account). */
  isAuthority: boolean;
  /** pharma_ledger.partner(account): none, or its role and whether it is suspended. */
  partner: { role: PartnerRole; suspended: boolean } | null;
  /** The account is pharma_ledger's admin (the regulator): see `isSameAccount`. */
  isRegulator: boolean;
}

export type ViewKind =
  | 'patient'
  | 'delegate'
  | 'custodian'
  | 'researcher'
  | 'ethics-approver'
  | 'responder'
  | 'authority'
  | 'pharmacist'
  | 'trading-partner'
  | 'regulator'
  | 'auditor';

export interface View {
  kind: ViewKind;
  /** What the view is called in the app. */
  label: string;
  /** Why the account has it, in words. */
  reason: string;
  /** A delegate view acts for this patient (SS58). */
  patient?: string;
  /** The role is held but suspended: the view shows its history, its actions are refused. */
  suspended?: boolean;
}

/**
 * The views available to an account, in this order: Patient; Delegate (one per patient, in
 * the order given, duplicates dropped); Custodian; Researcher; Ethics approver; Responder;
 * Authority; Pharmacist or Trading partner; Regulator; Auditor. Patient, Researcher and Auditor
 * are everyone's: anyone can be a patient, anyone can register a study, anyone can read the
 * audit API.
 */
export function availableViews(answers: RoleAnswers): View[] {
  const views: View[] = [
    { kind: 'patient', label: 'Patient', reason: 'everyone can be a patient: consents, deny rules and delegates for your own data' },
  ];
  const seen = new Set<string>();
  for (const patient of answers.delegatesFor) {
    if (seen.has(patient)) continue;
    seen.add(patient);
    views.push({
      kind: 'delegate',
      label: `Delegate for ${shortAccount(patient)}`,
      reason: `appointed delegate of patient ${patient} in consent_registry`,
      patient,
    });
  }
  if (answers.isCustodian) {
    views.push({ kind: 'custodian', label: 'Custodian', reason: 'registered custodian in consent_registry' });
  }
  views.push({ kind: 'researcher', label: 'Researcher', reason: 'anyone can register a study in research_registry' });
  if (answers.isEthicsApprover) {
    views.push({ kind: 'ethics-approver', label: 'Ethics approver', reason: 'appointed ethics approver in research_registry' });
  }
  if (answers.responderStatus === 'active') {
    views.push({ kind: 'responder', label: 'Responder', reason: 'registered responder in break_glass' });
  } else if (answers.responderStatus === 'suspended') {
    views.push({
      kind: 'responder',
      label: 'Responder (suspended)',
      reason: 'registered responder in break_glass, suspended: no glass can be broken until an authority reinstates you',
      suspended: true,
    });
  }
  if (answers.isAuthority) {
    views.push({ kind: 'authority', label: 'Authority', reason: 'appointed authority in break_glass: reviews emergency access' });
  }
  if (answers.partner) {
    const { role, suspended } = answers.partner;
    const dispenser = role === 'Dispenser';
    const base = dispenser ? 'Pharmacist' : `Trading partner (${role.toLowerCase()})`;
    views.push({
      kind: dispenser ? 'pharmacist' : 'trading-partner',
      label: suspended ? `${base} (suspended)` : base,
      reason: suspended
        ? `registered ${role.toLowerCase()} in pharma_ledger, suspended by the regulator: packs cannot be moved until it lifts the suspension`
        : `registered ${role.toLowerCase()} in pharma_ledger`,
      ...(suspended ? { suspended: true } : {}),
    });
  }
  if (answers.isRegulator) {
    views.push({ kind: 'regulator', label: 'Regulator', reason: "owner of pharma_ledger (the regulator's account)" });
  }
  views.push({ kind: 'auditor', label: 'Auditor', reason: 'anyone can read the audit API: disclosures, consents, emergencies, packs and records' });
  return views;
}

/** break_glass.responder's answer (dedot: `undefined` for None) as a `ResponderStatus`. */
export function responderStatusOf(responder: { status: BreakGlassDataResponderStatus } | undefined | null): ResponderStatus {
  if (!responder) return 'none';
  return responder.status === 'Suspended' ? 'suspended' : 'active';
}

/**
 * Whether two addresses name the same account: SS58 under any network prefix, or 0x + 64 hex.
 * False when either is not an address.
 */
export function isSameAccount(a: string, b: string): boolean {
  const key = (s: string): string | null => {
    if (/^0x[0-9a-fA-F]{64}$/.test(s)) return s.toLowerCase();
    if (!/^[1-9A-HJ-NP-Za-km-z]+$/.test(s)) return null;
    try {
      const bytes = decodeAddress(s);
      if (bytes.length !== 32) return null;
      return `0x${[...bytes].map((x) => x.toString(16).padStart(2, '0')).join('')}`;
    } catch {
      return null;
    }
  };
  const ka = key(a);
  return ka !== null && ka === key(b);
}

function shortAccount(address: string): string {
  return address.length > 14 ? `${address.slice(0, 6)}…${address.slice(-6)}` : address;
}
