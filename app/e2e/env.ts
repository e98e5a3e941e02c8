/**
 * Where the live app runs: APP_URL, CHAIN_URL, AUDIT_URL (and MANIFEST, METADATA_DIR) from the
 * environment, else from target/app/urls.env, which `scripts/app --background` writes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** target/app/ of this checkout. */
export const TARGET_APP = fileURLToPath(new URL('../../target/app/', import.meta.url));
export const URLS_ENV = `${TARGET_APP}urls.env`;

export interface LiveEnv {
  /** The app's origin, e.g. http://127.0.0.1:5180 */
  appUrl: string;
  /** The chain's RPC URL, e.g. ws://127.0.0.1:9944 */
  chainUrl: string;
  /** The audit API's origin, e.g. http://127.0.0.1:8477 */
  auditUrl: string;
  /** The deploy manifest of the suite the app serves. */
  manifest: string;
  /** The contracts' metadata, <name>.json. */
  metadataDir: string;
}

function fromFile(): Record<string, string> {
  if (!existsSync(URLS_ENV)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(URLS_ENV, 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined && m[2] !== undefined) out[m[1]] = m[2];
  }
  return out;
}

/** The live environment, or an Error naming what is missing. */
export function liveEnv(): LiveEnv {
  const file = fromFile();
  const get = (key: string, fallback?: string): string => {
    const v = process.env[key] || file[key] || fallback;
    if (!v) throw new Error(`${key} is not set and ${URLS_ENV} does not name it: run scripts/app --background first`);
    return v;
  };
  return {
    appUrl: get('APP_URL').replace(/\/+$/, ''),
    chainUrl: get('CHAIN_URL'),
    auditUrl: get('AUDIT_URL').replace(/\/+$/, ''),
    manifest: get('MANIFEST', `${TARGET_APP}local.json`),
    metadataDir: get('METADATA_DIR', `${TARGET_APP}metadata`),
  };
}

/** The app's URL if one is known (for the config's baseURL), else undefined. */
export function appUrlIfKnown(): string | undefined {
  return process.env.APP_URL || fromFile().APP_URL || undefined;
}
