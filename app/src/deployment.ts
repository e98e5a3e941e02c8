/**
 * The deployment the page works against: the deploy manifest, the release metadata each contract
 * was built with, and the audit API's URL, as one `deployment.json` (README, "The web dApp").
 */
import { CONTRACT_NAMES, parseManifest, type ContractName, type Manifest } from './lib/manifest';
import type { InkMetadata } from './lib/errors';

export interface Deployment {
  manifest: Manifest;
  metadata: Record<ContractName, InkMetadata & { source: { hash: string } }>;
  /** The audit API's origin and path prefix, without a trailing slash. */
  auditUrl: string;
}

export type Loaded = { ok: true; deployment: Deployment } | { ok: false; error: string };

type Fetch = (url: string) => Promise<{ ok: boolean; status: number; json: () => Promise<unknown> }>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Fetches deployment.json from `base` (an absolute URL) and the metadata it names, relative to it. */
export async function loadDeployment(base: string, fetchJson: Fetch = fetch): Promise<Loaded> {
  let raw: unknown;
  try {
    const r = await fetchJson(base);
    if (!r.ok) return { ok: false, error: `The deployment at ${base} could not be read (HTTP ${r.status})` };
    raw = await r.json();
  } catch (e) {
    return { ok: false, error: `The deployment at ${base} could not be read: ${String(e)}` };
  }
  return fromJson(raw, base, fetchJson);
}

export async function fromJson(raw: unknown, base: string, fetchJson: Fetch = fetch): Promise<Loaded> {
  if (!isObject(raw)) return { ok: false, error: 'A deployment is a JSON object with manifest, metadata and audit_api' };
  const parsed = parseManifest(raw.manifest);
  if (!parsed.ok) return { ok: false, error: `The deployment's manifest is not valid: ${parsed.error}` };
  const manifest = parsed.manifest;
  const audit = raw.audit_api;
  if (typeof audit !== 'string' || !/^https?:\/\/[^/\s]+/.test(audit)) {
    return { ok: false, error: 'audit_api must be the audit API\'s http:// or https:// URL' };
  }
  const names = raw.metadata;
  if (!isObject(names)) return { ok: false, error: 'metadata must name each contract\'s metadata file' };
  const metadata: Partial<Deployment['metadata']> = {};
  for (const name of CONTRACT_NAMES) {
    const where = names[name];
    if (typeof where !== 'string') return { ok: false, error: `metadata does not name ${name}'s metadata file` };
    const deployed = manifest.contracts.find((c) => c.name === name);
    if (!deployed) return { ok: false, error: `The manifest has no ${name}: the deployment is incomplete` };
    let m: unknown;
    try {
      const r = await fetchJson(new URL(where, base).href);
      if (!r.ok) return { ok: false, error: `${name}'s metadata could not be read (HTTP ${r.status})` };
      m = await r.json();
    } catch (e) {
      return { ok: false, error: `${name}'s metadata could not be read: ${String(e)}` };
    }
    const source = isObject(m) && isObject(m.source) ? m.source : undefined;
    if (!source || typeof source.hash !== 'string' || !isObject(m) || !isObject(m.spec)) {
      return { ok: false, error: `${name}'s metadata is not ink! contract metadata` };
    }
    if (source.hash.toLowerCase() !== deployed.code_hash.toLowerCase()) {
      return {
        ok: false,
        error: `${name}'s metadata describes other code than the deployment (metadata ${source.hash.slice(0, 10)}…, deployment ${deployed.code_hash.slice(0, 10)}…)`,
      };
    }
    metadata[name] = m as unknown as Deployment['metadata'][ContractName];
  }
  return { ok: true, deployment: { manifest, metadata: metadata as Deployment['metadata'], auditUrl: audit.replace(/\/+$/, '') } };
}
