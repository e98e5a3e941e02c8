/**
 * Where a research request to one patient stands, from what the chain answers about it: the
 * pending request, the study's cool-down for the patient, and a research consent for the study.
 */
import { formatTime } from './format';

export interface RequestFacts {
  /** research_registry.request(patient, study): the live request, if any. */
  pending?: { requestedAt: bigint; expiresAt: bigint } | undefined;
  /** research_registry.cooldown_until(patient, study). */
  cooldownUntil?: bigint | undefined;
  /** The patient's research consent for the study (consent_registry.consents_of, by studyId). */
  consent?: { id: bigint; until: bigint; revokedAt?: bigint | undefined } | undefined;
}

export type RequestState = 'consented' | 'consent-ended' | 'pending' | 'cooling-down' | 'none';

export interface RequestStateWords {
  state: RequestState;
  text: string;
}

export function requestState(f: RequestFacts, now: bigint): RequestStateWords {
  if (f.consent) {
    const c = f.consent;
    if (c.revokedAt !== undefined) return { state: 'consent-ended', text: `consented (consent #${c.id}), then revoked ${formatTime(c.revokedAt)}` };
    if (now >= c.until) return { state: 'consent-ended', text: `consented (consent #${c.id}), ended ${formatTime(c.until)}` };
    return { state: 'consented', text: `consented: research consent #${c.id}, in force until ${formatTime(c.until)}` };
  }
  if (f.pending) {
    return { state: 'pending', text: `pending: awaiting the patient's answer until ${formatTime(f.pending.expiresAt)}` };
  }
  if (f.cooldownUntil !== undefined && now < f.cooldownUntil) {
    return {
      state: 'cooling-down',
      text: `no answer yes (denied, withdrawn or lapsed): this study may not ask again before ${formatTime(f.cooldownUntil)}`,
    };
  }
  return { state: 'none', text: 'no request on record: not asked, or asked and answered long ago' };
}

/** The session's list of (study, patient) pairs asked, kept in this browser tab only. */
export interface AskedEntry {
  study: string;
  patient: string;
}

/** Adds entries, without duplicates, newest first. */
export function addAsked(list: readonly AskedEntry[], study: bigint, patients: readonly string[]): AskedEntry[] {
  const fresh = patients.map((patient) => ({ study: study.toString(), patient }));
  const key = (e: AskedEntry) => `${e.study}/${e.patient}`;
  const seen = new Set(fresh.map(key));
  return [...fresh, ...list.filter((e) => !seen.has(key(e)))];
}

/** A stored list (sessionStorage text), keeping only well-formed entries. */
export function parseAsked(text: string | null): AskedEntry[] {
  if (!text) return [];
  try {
    const v: unknown = JSON.parse(text);
    if (!Array.isArray(v)) return [];
    return v.filter(
      (e): e is AskedEntry =>
        typeof e === 'object' && e !== null && typeof (e as AskedEntry).study === 'string' && /^[0-9]+$/.test((e as AskedEntry).study) && typeof (e as AskedEntry).patient === 'string',
    );
  } catch {
    return [];
  }
}

/** research_registry's `MAX_BATCH_REQUEST`: patients one request_access_batch may ask. */
export const MAX_BATCH_REQUEST = 16;
