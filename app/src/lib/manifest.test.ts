import { encodeAddress } from 'dedot/utils';
import { describe, expect, it } from 'vitest';
import {
  CONTRACT_NAMES,
  PEER_OF,
  checkAgainstChain,
  contractOf,
  isHash32,
  isSs58Address,
  missingContracts,
  parseManifest,
  shortAddress,
  shortHash,
  type Manifest,
  type ManifestResult,
} from './manifest';

const account = (byte: number) => encodeAddress(new Uint8Array(32).fill(byte));
const hash = (byte: number) => `0x${byte.toString(16).padStart(2, '0').repeat(32)}`;

/** A manifest as `carechain deploy` writes it (cf. deploy/src/manifest.rs). */
function sample(): Manifest {
  return {
    network: 'local',
    chain_url: 'ws://127.0.0.1:9944',
    genesis_hash: hash(1),
    deployer: account(1),
    ink_version: '5.1.1',
    contracts: CONTRACT_NAMES.map((name, i) => {
      const peer = PEER_OF[name];
      return {
        name,
        address: account(10 + i),
        code_hash: hash(0x20 + i),
        block: 3 + i,
        metadata: `target/release-contracts/${name}.json`,
        ...(peer ? { peer: { name: peer, address: account(10 + CONTRACT_NAMES.indexOf(peer)), wired_block: 9 } } : {}),
      };
    }),
  };
}

/** A JSON copy of the sample, to break. */
function json(): Record<string, any> {
  return JSON.parse(JSON.stringify(sample()));
}

function problemsOf(r: ManifestResult): string[] {
  if (r.ok) throw new Error('expected the manifest to be refused');
  expect(r.error).toBe(r.problems.join('\n'));
  return r.problems;
}

describe('isSs58Address', () => {
  it('accepts SS58 addresses of 32-byte accounts under any prefix', () => {
    expect(isSs58Address(account(1))).toBe(true);
    expect(isSs58Address(encodeAddress(new Uint8Array(32).fill(7), 0))).toBe(true); // Polkadot
    expect(isSs58Address('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY')).toBe(true); // Alice
  });
  it('refuses a wrong checksum, hex, short keys and other text', () => {
    const alice = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
    expect(isSs58Address(alice.slice(0, -1) + 'Z')).toBe(false);
    expect(isSs58Address('0x00')).toBe(false);
    expect(isSs58Address(hash(1))).toBe(false);
    expect(isSs58Address(encodeAddress(new Uint8Array(8).fill(1)))).toBe(false); // an 8-byte index
    expect(isSs58Address('alice')).toBe(false);
    expect(isSs58Address('')).toBe(false);
  });
});

describe('isHash32, shortHash, shortAddress', () => {
  it('checks 0x + 64 hex digits', () => {
    expect(isHash32(hash(0xab))).toBe(true);
    expect(isHash32(hash(0xab).toUpperCase().replace('0X', '0x'))).toBe(true);
    expect(isHash32(hash(1).slice(0, -1))).toBe(false);
    expect(isHash32(hash(1).slice(2))).toBe(false);
    expect(isHash32(`0x${'g'.repeat(64)}`)).toBe(false);
  });
  it('shortens for people', () => {
    expect(shortHash(`0xabcd${'0'.repeat(56)}1234`)).toBe('0xabcd…1234');
    expect(shortAddress('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY')).toBe('5Grwva…GKutQY');
  });
});

describe('parseManifest', () => {
  it('accepts a manifest as the deploy tool writes it', () => {
    const r = parseManifest(json());
    expect(r).toEqual({ ok: true, manifest: sample() });
  });

  it('accepts its JSON text too', () => {
    const r = parseManifest(JSON.stringify(sample(), null, 2));
    expect(r.ok && r.manifest.contracts.map((c) => c.name)).toEqual([...CONTRACT_NAMES]);
  });

  it('accepts a partial deployment and "peer": null', () => {
    const m = json();
    m.contracts = m.contracts.slice(0, 2);
    m.contracts[1].peer = null;
    const r = parseManifest(m);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.manifest.contracts[1]).not.toHaveProperty('peer');
      expect(missingContracts(r.manifest)).toEqual(['research_registry', 'record_anchor', 'pharma_ledger']);
    }
  });

  it('refuses what is not JSON or not an object', () => {
    expect(problemsOf(parseManifest('{not json'))[0]).toMatch(/^The manifest is not JSON: /);
    expect(problemsOf(parseManifest([]))).toEqual(['The manifest must be a JSON object, not a list']);
    expect(problemsOf(parseManifest(null))).toEqual(['The manifest must be a JSON object, not null']);
  });

  it('names a missing field', () => {
    const m = json();
    delete m.genesis_hash;
    expect(problemsOf(parseManifest(m))).toEqual(['The manifest has no "genesis_hash"']);
    const n = json();
    delete n.contracts[2].code_hash;
    expect(problemsOf(parseManifest(n))).toEqual(['contracts[2] (research_registry) has no "code_hash"']);
  });

  it('names an unknown field, at the top, in a contract and in a peer', () => {
    const m = json();
    m.extra = 1;
    m.contracts[0].abi = 'x';
    m.contracts[1].peer.since = 3;
    expect(problemsOf(parseManifest(m))).toEqual([
      'The manifest has a field "extra" that a manifest does not have (its fields: network, chain_url, genesis_hash, deployer, ink_version, contracts)',
      'contracts[0] (break_glass) has a field "abi" that a manifest does not have (its fields: name, address, code_hash, block, metadata, peer)',
      'contracts[1] (consent_registry).peer has a field "since" that a manifest does not have (its fields: name, address, wired_block)',
    ]);
  });

  it('names a field of the wrong type', () => {
    const m = json();
    m.network = 7;
    m.contracts = {};
    expect(problemsOf(parseManifest(m))).toEqual([
      'network must be a string, not a number',
      'contracts must be a list, not an object',
    ]);
  });

  it('refuses an address that is not SS58', () => {
    const m = json();
    m.deployer = 'alice';
    m.contracts[1].address = '0x00';
    m.contracts[3].peer.address = hash(3);
    expect(problemsOf(parseManifest(m))).toEqual([
      'deployer "alice" is not an SS58 address',
      'contracts[1] (consent_registry).address "0x00" is not an SS58 address',
      `contracts[3] (record_anchor).peer.address "${hash(3)}" is not an SS58 address`,
    ]);
  });

  it('refuses a hash that is not 0x + 64 hex', () => {
    const m = json();
    m.genesis_hash = '0x12';
    m.contracts[2].code_hash = '';
    expect(problemsOf(parseManifest(m))).toEqual([
      'genesis_hash "0x12" is not 0x followed by 64 hex digits',
      'contracts[2] (research_registry).code_hash "" is not 0x followed by 64 hex digits',
    ]);
  });

  it('refuses an unknown contract name', () => {
    const m = json();
    m.contracts[0].name = 'token';
    expect(problemsOf(parseManifest(m))).toEqual([
      'contracts[0] (token): unknown contract "token" (the suite\'s contracts: break_glass, consent_registry, research_registry, record_anchor, pharma_ledger)',
    ]);
  });

  it('refuses a contract listed twice', () => {
    const m = json();
    m.contracts[1] = { ...m.contracts[0] };
    expect(problemsOf(parseManifest(m))).toEqual(['break_glass is listed twice']);
  });

  it('refuses wiring to a contract that is not the peer', () => {
    const m = json();
    m.contracts[3].peer.name = 'break_glass';
    m.contracts[0].peer = { name: 'consent_registry', address: account(11), wired_block: 1 };
    expect(problemsOf(parseManifest(m))).toEqual([
      'break_glass calls no other contract, yet the manifest wires it to "consent_registry"',
      'record_anchor cannot be wired to "break_glass": its peer is consent_registry',
    ]);
  });

  it('refuses a block that is not a whole number from 0', () => {
    const m = json();
    m.contracts[0].block = -1;
    m.contracts[1].block = 1.5;
    m.contracts[2].peer.wired_block = '9';
    expect(problemsOf(parseManifest(m))).toEqual([
      'contracts[0] (break_glass).block must be a block number (a whole number from 0), not -1',
      'contracts[1] (consent_registry).block must be a block number (a whole number from 0), not 1.5',
      'contracts[2] (research_registry).peer.wired_block must be a block number (a whole number from 0), not "9"',
    ]);
  });

  it('refuses a contract entry that is not an object', () => {
    const m = json();
    m.contracts[4] = 'pharma_ledger';
    expect(problemsOf(parseManifest(m))).toEqual(['contracts[4] must be an object, not a string']);
  });
});

describe('checkAgainstChain', () => {
  const manifest = sample();
  const codeAt = new Map(manifest.contracts.map((c) => [c.address, c.code_hash]));
  const chain = { genesisHash: manifest.genesis_hash, codeHashOf: (a: string) => codeAt.get(a) ?? null };

  it('finds nothing wrong when the chain matches', () => {
    expect(checkAgainstChain(manifest, chain)).toEqual([]);
  });

  it('compares hashes without regard to case', () => {
    const upper = { genesisHash: manifest.genesis_hash.toUpperCase().replace('0X', '0x'), codeHashOf: chain.codeHashOf };
    expect(checkAgainstChain(manifest, upper)).toEqual([]);
  });

  it('says so when the chain is another one, and only that', () => {
    const other = `0xabcd${'5'.repeat(56)}1234`;
    expect(checkAgainstChain(manifest, { genesisHash: other, codeHashOf: () => null })).toEqual([
      "This deployment was made on another chain: its genesis hash is 0x0101…0101, the connected chain's is 0xabcd…1234",
    ]);
  });

  it('names a contract that runs other code and an address without a contract', () => {
    const consent = contractOf(manifest, 'consent_registry');
    const pharma = contractOf(manifest, 'pharma_ledger');
    if (!consent || !pharma) throw new Error('sample lacks contracts');
    const lying = {
      genesisHash: manifest.genesis_hash,
      codeHashOf: (a: string) => (a === consent.address ? hash(0x99) : a === pharma.address ? null : (codeAt.get(a) ?? null)),
    };
    expect(checkAgainstChain(manifest, lying)).toEqual([
      `consent_registry at ${shortAddress(consent.address)} runs other code than the deployment says (code hash 0x9999…9999, the deployment says 0x2121…2121)`,
      `There is no contract at ${shortAddress(pharma.address)}, where the deployment puts pharma_ledger`,
    ]);
  });
});
