/**
 * The connection to the deployment's chain: typink's provider on the legacy JSON-RPC (the only
 * one substrate-contracts-node 0.42 speaks), the check that the chain is the manifest's, the
 * five contracts, and the account the person acts as.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { JsonRpcApi, NetworkType, TypinkProvider, polkadotjs, subwallet, talisman, useTypink, type NetworkInfo } from 'typink';
import { Contract } from 'dedot/contracts';
import type { ISubstrateClient } from 'dedot';
import type { SubstrateApi } from 'dedot/chaintypes';
import type { Deployment } from '../deployment';
import { CONTRACT_NAMES, checkAgainstChain, type ContractName } from '../lib/manifest';
import { offersDevAccounts } from '../lib/chain';
import type {
  BreakGlassContractApi,
  ConsentRegistryContractApi,
  PharmaLedgerContractApi,
  RecordAnchorContractApi,
  ResearchRegistryContractApi,
} from '../contracts';

/** typink 0.5 types its client for dedot's older versioned API; dedot 1.3's is this. */
export type Client = ISubstrateClient<SubstrateApi>;

export interface Contracts {
  consent_registry: Contract<ConsentRegistryContractApi>;
  research_registry: Contract<ResearchRegistryContractApi>;
  break_glass: Contract<BreakGlassContractApi>;
  record_anchor: Contract<RecordAnchorContractApi>;
  pharma_ledger: Contract<PharmaLedgerContractApi>;
}

/** What signs: a development key (dev chains only) or a wallet extension's signer. */
export type Signing =
  | { kind: 'dev'; pair: import('@polkadot/keyring/types').KeyringPair }
  | { kind: 'extension'; signer: NonNullable<ReturnType<typeof useTypink>['signer']> };

export interface Account {
  address: string;
  name: string;
  signing: Signing;
}

export interface Suite {
  deployment: Deployment;
  client: Client;
  contracts: Contracts;
  /** Development and Local chains offer the development accounts. */
  development: boolean;
  token: { symbol: string; decimals: number };
  account: Account | null;
  setAccount: (a: Account | null) => void;
  /** Bumped after every finalized transaction: views re-read what they show. */
  version: number;
  changed: () => void;
}

const SuiteContext = createContext<Suite | null>(null);

export function useSuite(): Suite {
  const s = useContext(SuiteContext);
  if (!s) throw new Error('useSuite outside SuiteProvider');
  return s;
}

/** The connected account; views that need one are only shown with one. */
export function useAccount(): Account {
  const { account } = useSuite();
  if (!account) throw new Error('useAccount without an account');
  return account;
}

function networkOf(deployment: Deployment): NetworkInfo {
  const m = deployment.manifest;
  return {
    id: `carechain-${m.network}`,
    name: m.network,
    // No remote logo: the page loads nothing from anywhere but the chain and the audit API.
    logo: '',
    providers: [m.chain_url],
    symbol: 'UNIT',
    decimals: 12,
    type: NetworkType.DEVNET,
    jsonRpcApi: JsonRpcApi.LEGACY,
  };
}

export function SuiteProvider({ deployment, children }: { deployment: Deployment; children: ReactNode }) {
  const network = useMemo(() => networkOf(deployment), [deployment]);
  return (
    <TypinkProvider
      appName="carechain"
      supportedNetworks={[network]}
      defaultNetworkId={network.id}
      wallets={[subwallet, talisman, polkadotjs]}
      cacheMetadata={false}
    >
      <ChainGate deployment={deployment}>{children}</ChainGate>
    </TypinkProvider>
  );
}

type Gate =
  | { state: 'connecting' }
  | { state: 'refused'; problems: string[] }
  | { state: 'ready'; contracts: Contracts; development: boolean; token: Suite['token'] };

/** Checks the chain is the manifest's before anything is shown or signed. */
function ChainGate({ deployment, children }: { deployment: Deployment; children: ReactNode }) {
  const typink = useTypink();
  const client = typink.client as unknown as Client | undefined;
  const ready = typink.ready;
  const [gate, setGate] = useState<Gate>({ state: 'connecting' });
  const [account, setAccount] = useState<Account | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (!client || !ready) return;
    let cancelled = false;
    (async () => {
      const m = deployment.manifest;
      const codeHashes = new Map<string, string | null>();
      for (const c of m.contracts) {
        const info = await client.query.contracts.contractInfoOf(c.address);
        codeHashes.set(c.address, info ? String(info.codeHash) : null);
      }
      const problems = checkAgainstChain(m, {
        genesisHash: String(client.genesisHash),
        codeHashOf: (address) => codeHashes.get(address) ?? null,
      });
      if (problems.length > 0) {
        if (!cancelled) setGate({ state: 'refused', problems });
        return;
      }
      const chainType = await client.rpc.system_chainType();
      const development = offersDevAccounts(chainType);
      const props = (await client.rpc.system_properties()) as Record<string, unknown>;
      const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
      const token = {
        symbol: String(first(props.tokenSymbol) ?? 'UNIT'),
        decimals: Number(first(props.tokenDecimals) ?? 12),
      };
      const contracts = Object.fromEntries(
        CONTRACT_NAMES.map((name: ContractName) => {
          const c = m.contracts.find((x) => x.name === name);
          return [name, new Contract(client, deployment.metadata[name] as never, c?.address ?? '')];
        }),
      ) as unknown as Contracts;
      if (!cancelled) setGate({ state: 'ready', contracts, development, token });
    })().catch((e: unknown) => {
      if (!cancelled) setGate({ state: 'refused', problems: [`The chain could not be asked: ${String(e)}`] });
    });
    return () => {
      cancelled = true;
    };
  }, [client, ready, deployment]);

  const value = useMemo<Suite | null>(
    () =>
      gate.state === 'ready' && client
        ? {
            deployment,
            client,
            contracts: gate.contracts,
            development: gate.development,
            token: gate.token,
            account,
            setAccount,
            version,
            changed: () => setVersion((v) => v + 1),
          }
        : null,
    [gate, client, deployment, account, version],
  );

  if (gate.state === 'refused') {
    return (
      <section className="refused" role="alert">
        <h2>This deployment does not match the chain</h2>
        <p>Nothing will be read from or sent to it. What differs:</p>
        <ul>
          {gate.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </section>
    );
  }
  if (!value) {
    return (
      <p className="progress" role="status" aria-live="polite">
        Connecting to {deployment.manifest.chain_url} and checking it is the deployment's chain…
      </p>
    );
  }
  return <SuiteContext.Provider value={value}>{children}</SuiteContext.Provider>;
}
