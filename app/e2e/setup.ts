/**
 * Global setup of the live Playwright tier: the app, its deployment, the chain and the audit
 * API must answer before any test runs. They are started by `scripts/app --background`.
 */
import { existsSync } from 'node:fs';
import { liveEnv } from './env';

const HINT = 'run scripts/app --background first (scripts/app stop stops it afterwards)';

async function answers(url: string, init?: RequestInit): Promise<string | null> {
  try {
    const r = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    return r.ok ? null : `HTTP ${r.status}`;
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    return `${e instanceof Error ? e.message : String(e)}${cause}`;
  }
}

export default async function globalSetup(): Promise<void> {
  let env;
  try {
    env = liveEnv();
  } catch (e) {
    throw new Error(`The live app is not running: ${e instanceof Error ? e.message : String(e)}`);
  }
  const rpcHttp = env.chainUrl.replace(/^ws/, 'http');
  const checks: [string, string, RequestInit?][] = [
    ['the app', `${env.appUrl}/`],
    ['its deployment', `${env.appUrl}/deployment.json`],
    ['the audit API', `${env.auditUrl}/v1`],
    [
      'the chain',
      rpcHttp,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'system_health', params: [] }),
      },
    ],
  ];
  const problems: string[] = [];
  for (const [what, url, init] of checks) {
    const problem = await answers(url, init);
    if (problem) problems.push(`${what} (${url}) does not answer: ${problem}`);
  }
  for (const [what, path] of [
    ['the manifest', env.manifest],
    ['the metadata directory', env.metadataDir],
  ] as const) {
    if (!existsSync(path)) problems.push(`${what} ${path} does not exist`);
  }
  if (problems.length > 0) {
    throw new Error(`The live app is not ready — ${HINT}:\n  ${problems.join('\n  ')}`);
  }
}
