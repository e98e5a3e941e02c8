import { encodeAddress } from 'dedot/utils';
import { describe, expect, it } from 'vitest';
import { fromJson } from '../deployment';
import { CONTRACT_NAMES } from './manifest';

const account = (byte: number) => encodeAddress(new Uint8Array(32).fill(byte));
const hash = (byte: number) => `0x${byte.toString(16).padStart(2, '0').repeat(32)}`;

function bundle(overrides: Record<string, unknown> = {}) {
  return {
    manifest: {
      network: 'local',
      chain_url: 'ws://127.0.0.1:9944',
      genesis_hash: hash(1),
      deployer: account(1),
      ink_version: '5.1.1',
      contracts: CONTRACT_NAMES.map((name, i) => ({ name, address: account(10 + i), code_hash: hash(0x20 + i), block: 2, metadata: `${name}.json` })),
    },
    metadata: Object.fromEntries(CONTRACT_NAMES.map((n) => [n, `metadata/${n}.json`])),
    audit_api: 'http://127.0.0.1:8477/',
    ...overrides,
  };
}

/** Serves each contract's metadata with the code hash `hashOf(name)`. */
function server(hashOf: (name: string, i: number) => string) {
  const asked: string[] = [];
  const fetchJson = async (url: string) => {
    asked.push(url);
    const name = /metadata\/(\w+)\.json$/.exec(url)?.[1] ?? '';
    const i = CONTRACT_NAMES.indexOf(name as never);
    if (i < 0) return { ok: false, status: 404, json: async () => ({}) };
    return { ok: true, status: 200, json: async () => ({ source: { hash: hashOf(name, i) }, spec: { messages: [] }, types: [] }) };
  };
  return { asked, fetchJson };
}

const BASE = 'http://app.example/carechain/deployment.json';

describe('a deployment', () => {
  it('loads the manifest, its metadata (relative to the bundle) and the audit API URL', async () => {
    const s = server((_, i) => hash(0x20 + i));
    const loaded = await fromJson(bundle(), BASE, s.fetchJson);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.deployment.auditUrl).toBe('http://127.0.0.1:8477');
    expect(s.asked).toContain('http://app.example/carechain/metadata/consent_registry.json');
    expect(Object.keys(loaded.deployment.metadata).sort()).toEqual([...CONTRACT_NAMES].sort());
  });

  it('refuses metadata built from other code than the manifest deployed, naming the contract', async () => {
    const s = server((name, i) => (name === 'pharma_ledger' ? hash(0x99) : hash(0x20 + i)));
    const loaded = await fromJson(bundle(), BASE, s.fetchJson);
    expect(loaded).toEqual({ ok: false, error: expect.stringContaining("pharma_ledger's metadata describes other code") });
  });

  it('refuses a bundle without an audit API, a metadata file, or a valid manifest, in words', async () => {
    const s = server((_, i) => hash(0x20 + i));
    expect(await fromJson(bundle({ audit_api: 'ftp://x' }), BASE, s.fetchJson)).toEqual({ ok: false, error: expect.stringContaining('audit_api') });
    const noMeta = bundle();
    delete (noMeta.metadata as Record<string, string>).break_glass;
    expect(await fromJson(noMeta, BASE, s.fetchJson)).toEqual({ ok: false, error: "metadata does not name break_glass's metadata file" });
    expect(await fromJson(bundle({ manifest: { network: 'x' } }), BASE, s.fetchJson)).toEqual({ ok: false, error: expect.stringContaining("manifest is not valid") });
    expect(await fromJson([], BASE, s.fetchJson)).toEqual({ ok: false, error: expect.stringContaining('JSON object') });
    const missing = server(() => '');
    missing.fetchJson = async () => ({ ok: false, status: 404, json: async () => ({}) });
    expect(await fromJson(bundle(), BASE, missing.fetchJson)).toEqual({ ok: false, error: expect.stringMatching(/^\w+'s metadata could not be read \(HTTP 404\)$/) });
  });
});
