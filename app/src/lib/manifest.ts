/**
 * The deployment manifest (`deploy/deployments/<network>.json`, written by `carechain deploy`):
 * what is deployed where. `parseManifest` checks a loaded file the way the deploy tool does
 * (serde with deny_unknown_fields, then its own checks) and says in words what is wrong;
 * `checkAgainstChain` says whether the connected chain is the one the manifest describes.
 */
import { decodeAddress } from 'dedot/utils';

/** The suite's contracts, in deployment order. */
export const CONTRACT_NAMES = [
  'break_glass',
  'consent_registry',
  'research_registry',
  'record_anchor',
  'pharma_ledger',
] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

/** The contract each contract calls (is wired to), `null` for none. */
export const PEER_OF: Readonly<Record<ContractName, ContractName | null>> = {
  break_glass: null,
  consent_registry: 'break_glass',
  research_registry: 'consent_registry',
  record_anchor: 'consent_registry',
  pharma_ledger: 'record_anchor',
};

export interface Peer {
  name: ContractName;
  address: string;
  /** Block the wiring was last confirmed in. */
  wired_block: number;
}

export interface DeployedContract {
  name: ContractName;
  /** SS58. */
  address: string;
  /** 0x + 64 hex digits. */
  code_hash: string;
  /** Block the contract was instantiated in. */
  block: number;
  /** Path of the contract's metadata JSON. */
  metadata: string;
  peer?: Peer;
}

export interface Manifest {
  network: string;
  chain_url: string;
  /** 0x + 64 hex digits: a manifest applies only to the chain it was made on. */
  genesis_hash: string;
  /** SS58 address of the account that deployed and owns the contracts. */
  deployer: string;
  ink_version: string;
  /** In deployment order; only the contracts the chain confirmed. */
  contracts: DeployedContract[];
}

export type ManifestResult =
  | { ok: true; manifest: Manifest }
  | { ok: false; error: string; problems: string[] };

const HASH = /^0x[0-9a-fA-F]{64}$/;

/** Whether `s` is an SS58 address of a 32-byte account (any network prefix, checksum verified). */
export function isSs58Address(s: string): boolean {
  // dedot's decodeAddress also takes hex and byte arrays as they are: only base58 text counts here.
  if (!/^[1-9A-HJ-NP-Za-km-z]+$/.test(s)) return false;
  try {
    return decodeAddress(s).length === 32;
  } catch {
    return false;
  }
}

export function isHash32(s: string): boolean {
  return HASH.test(s);
}

/** `0xabcd…1234`: enough of a hash for a person to compare. */
export function shortHash(hash: string): string {
  return hash.length > 14 ? `${hash.slice(0, 6)}…${hash.slice(-4)}` : hash;
}

/** `5FHneW…M694ty`: enough of an address for a person to compare. */
export function shortAddress(address: string): string {
  return address.length > 14 ? `${address.slice(0, 6)}…${address.slice(-6)}` : address;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'true/false';
  return typeof v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads the fields of one JSON object, collecting every problem with the field's path. */
class Fields {
  constructor(
    private readonly obj: Record<string, unknown>,
    private readonly where: string,
    private readonly problems: string[],
    allowed: readonly string[],
  ) {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        problems.push(
          `${this.where} has a field ${JSON.stringify(key)} that a manifest does not have (its fields: ${allowed.join(', ')})`,
        );
      }
    }
  }

  private path(key: string): string {
    return this.where === 'The manifest' ? key : `${this.where}.${key}`;
  }

  private missing(key: string): undefined {
    this.problems.push(`${this.where} has no ${JSON.stringify(key)}`);
    return undefined;
  }

  string(key: string): string | undefined {
    if (!(key in this.obj)) return this.missing(key);
    const v = this.obj[key];
    if (typeof v === 'string') return v;
    this.problems.push(`${this.path(key)} must be a string, not ${typeName(v)}`);
    return undefined;
  }

  block(key: string): number | undefined {
    if (!(key in this.obj)) return this.missing(key);
    const v = this.obj[key];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
    this.problems.push(`${this.path(key)} must be a block number (a whole number from 0), not ${JSON.stringify(v)}`);
    return undefined;
  }

  ss58(key: string): string | undefined {
    const v = this.string(key);
    if (v === undefined) return undefined;
    if (isSs58Address(v)) return v;
    this.problems.push(`${this.path(key)} ${JSON.stringify(v)} is not an SS58 address`);
    return undefined;
  }

  hash(key: string): string | undefined {
    const v = this.string(key);
    if (v === undefined) return undefined;
    if (isHash32(v)) return v;
    this.problems.push(`${this.path(key)} ${JSON.stringify(v)} is not 0x followed by 64 hex digits`);
    return undefined;
  }

  raw(key: string): unknown {
    return this.obj[key];
  }

  has(key: string): boolean {
    return key in this.obj;
  }
}

const MANIFEST_FIELDS = ['network', 'chain_url', 'genesis_hash', 'deployer', 'ink_version', 'contracts'] as const;
const CONTRACT_FIELDS = ['name', 'address', 'code_hash', 'block', 'metadata', 'peer'] as const;
const PEER_FIELDS = ['name', 'address', 'wired_block'] as const;

function isContractName(s: string): s is ContractName {
  return (CONTRACT_NAMES as readonly string[]).includes(s);
}

function parseContract(value: unknown, index: number, problems: string[]): DeployedContract | undefined {
  let where = `contracts[${index}]`;
  if (!isRecord(value)) {
    problems.push(`${where} must be an object, not ${typeName(value)}`);
    return undefined;
  }
  if (typeof value.name === 'string' && value.name !== '') where = `contracts[${index}] (${value.name})`;
  const before = problems.length;
  const f = new Fields(value, where, problems, CONTRACT_FIELDS);
  const name = f.string('name');
  if (name !== undefined && !isContractName(name)) {
    problems.push(`${where}: unknown contract ${JSON.stringify(name)} (the suite's contracts: ${CONTRACT_NAMES.join(', ')})`);
  }
  const address = f.ss58('address');
  const codeHash = f.hash('code_hash');
  const block = f.block('block');
  const metadata = f.string('metadata');
  let peer: Peer | undefined;
  const rawPeer = f.raw('peer');
  if (rawPeer !== undefined && rawPeer !== null) {
    if (!isRecord(rawPeer)) {
      problems.push(`${where}.peer must be an object, not ${typeName(rawPeer)}`);
    } else {
      const p = new Fields(rawPeer, `${where}.peer`, problems, PEER_FIELDS);
      const peerName = p.string('name');
      const peerAddress = p.ss58('address');
      const wired = p.block('wired_block');
      if (name !== undefined && isContractName(name) && peerName !== undefined) {
        const expected = PEER_OF[name];
        if (peerName !== expected) {
          problems.push(
            expected === null
              ? `${name} calls no other contract, yet the manifest wires it to ${JSON.stringify(peerName)}`
              : `${name} cannot be wired to ${JSON.stringify(peerName)}: its peer is ${expected}`,
          );
        } else if (peerAddress !== undefined && wired !== undefined) {
          peer = { name: expected, address: peerAddress, wired_block: wired };
        }
      }
    }
  }
  if (problems.length > before || name === undefined || !isContractName(name)) return undefined;
  if (address === undefined || codeHash === undefined || block === undefined || metadata === undefined) return undefined;
  return { name, address, code_hash: codeHash, block, metadata, ...(peer ? { peer } : {}) };
}

/**
 * Checks a deployment manifest: the parsed JSON value, or its text. The answer names every
 * problem found (`problems`; `error` is them joined, one a line).
 */
export function parseManifest(json: unknown): ManifestResult {
  const problems: string[] = [];
  const refuse = (): ManifestResult => ({ ok: false, error: problems.join('\n'), problems });

  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (e) {
      problems.push(`The manifest is not JSON: ${e instanceof Error ? e.message : String(e)}`);
      return refuse();
    }
  }
  if (!isRecord(value)) {
    problems.push(`The manifest must be a JSON object, not ${typeName(value)}`);
    return refuse();
  }

  const f = new Fields(value, 'The manifest', problems, MANIFEST_FIELDS);
  const network = f.string('network');
  const chainUrl = f.string('chain_url');
  const genesisHash = f.hash('genesis_hash');
  const deployer = f.ss58('deployer');
  const inkVersion = f.string('ink_version');

  const contracts: DeployedContract[] = [];
  if (!f.has('contracts')) {
    problems.push('The manifest has no "contracts"');
  } else {
    const list = f.raw('contracts');
    if (!Array.isArray(list)) {
      problems.push(`contracts must be a list, not ${typeName(list)}`);
    } else {
      list.forEach((item, i) => {
        const c = parseContract(item, i, problems);
        if (c) contracts.push(c);
      });
      const seen = new Set<string>();
      for (const item of list) {
        const name = isRecord(item) ? item.name : undefined;
        if (typeof name !== 'string') continue;
        if (seen.has(name)) problems.push(`${name} is listed twice`);
        seen.add(name);
      }
    }
  }

  if (problems.length > 0) return refuse();
  if (
    network === undefined ||
    chainUrl === undefined ||
    genesisHash === undefined ||
    deployer === undefined ||
    inkVersion === undefined
  ) {
    return refuse();
  }
  return {
    ok: true,
    manifest: {
      network,
      chain_url: chainUrl,
      genesis_hash: genesisHash,
      deployer,
      ink_version: inkVersion,
      contracts,
    },
  };
}

/** The suite's contracts that the manifest does not list (an interrupted deployment). */
export function missingContracts(manifest: Manifest): ContractName[] {
  return CONTRACT_NAMES.filter((name) => !manifest.contracts.some((c) => c.name === name));
}

export function contractOf(manifest: Manifest, name: ContractName): DeployedContract | undefined {
  return manifest.contracts.find((c) => c.name === name);
}

/** What the connected chain says, as `checkAgainstChain` needs it. */
export interface ChainFacts {
  /** The connected chain's genesis hash, 0x + 64 hex. */
  genesisHash: string;
  /** The code hash of the contract at `address`, or `null` when no contract is there. */
  codeHashOf: (address: string) => string | null;
}

/**
 * Whether the connected chain is the manifest's: its genesis hash, and at every contract's
 * address a contract running the code hash the manifest names. An empty list means it is.
 * On another chain only that is said: its addresses mean nothing there.
 */
export function checkAgainstChain(manifest: Manifest, chain: ChainFacts): string[] {
  const ours = manifest.genesis_hash.toLowerCase();
  const theirs = chain.genesisHash.toLowerCase();
  if (ours !== theirs) {
    return [
      `This deployment was made on another chain: its genesis hash is ${shortHash(ours)}, ` +
        `the connected chain's is ${shortHash(theirs)}`,
    ];
  }
  const problems: string[] = [];
  for (const c of manifest.contracts) {
    const at = `${c.name} at ${shortAddress(c.address)}`;
    const actual = chain.codeHashOf(c.address);
    if (actual === null) {
      problems.push(`There is no contract at ${shortAddress(c.address)}, where the deployment puts ${c.name}`);
    } else if (actual.toLowerCase() !== c.code_hash.toLowerCase()) {
      problems.push(
        `${at} runs other code than the deployment says (code hash ${shortHash(actual.toLowerCase())}, ` +
          `the deployment says ${shortHash(c.code_hash.toLowerCase())})`,
      );
    }
  }
  return problems;
}
