/**
 * The fixtures of the live Playwright tier (scripts/app --background, then npx playwright test):
 *
 *  - every test's pages are watched: each request (HTTP, and WebSocket connections) must go to
 *    the app's origin, the chain's RPC origin or the audit API's origin, checked after the test;
 *    `forbid(bytes)` additionally fails the test if those bytes (raw, hex or base64) appear in
 *    any request's URL or body or any WebSocket frame the page sends — e.g. a record's bytes and
 *    salt, which must never leave the page;
 *  - `axe()` runs axe-core on the page and fails on serious or critical violations;
 *  - `shot(name)` saves a full-page screenshot to target/app/screenshots/<test>-<name>.png;
 *  - `contract(name)`, `dev(uri)` and `send(tx, signer)` read and write the chain from Node with
 *    dedot, to set up preconditions and to check what a journey left on chain.
 *
 * Use: `import { test, expect } from './fixtures';`
 */
import { test as base, expect, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DedotClient, WsProvider } from 'dedot';
import { Contract } from 'dedot/contracts';
import type { ISubmittableExtrinsic, ISubmittableResult } from 'dedot/types';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type {
  BreakGlassContractApi,
  ConsentRegistryContractApi,
  PharmaLedgerContractApi,
  RecordAnchorContractApi,
  ResearchRegistryContractApi,
} from '../src/contracts';
import { liveEnv, TARGET_APP, type LiveEnv } from './env';

export { expect };

/** The contract API of each of the suite's contracts. */
export interface SuiteApis {
  break_glass: BreakGlassContractApi;
  consent_registry: ConsentRegistryContractApi;
  research_registry: ResearchRegistryContractApi;
  record_anchor: RecordAnchorContractApi;
  pharma_ledger: PharmaLedgerContractApi;
}
export type SuiteName = keyof SuiteApis;

interface AxeOptions {
  /** Only this part of the page (a CSS selector). */
  include?: string;
  /** Leave these parts out (CSS selectors). */
  exclude?: string[];
  /** Rules not to run (say why where it is used). */
  disableRules?: string[];
}

/** What axe reports for one violated rule, shortened. */
export interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: string[];
}

interface TestFixtures {
  /** The live environment (URLs, manifest, metadata). */
  live: LiveEnv;
  /** Fails the test if these bytes leave the page (raw, hex, 0x-hex or base64). At least 8 bytes. */
  forbid: (bytes: Uint8Array | string, what?: string) => void;
  /** Serious and critical axe-core violations of the page; the test fails if there are any. */
  axe: (options?: AxeOptions) => Promise<AxeViolation[]>;
  /** A full-page screenshot: target/app/screenshots/<test>-<name>.png. Returns the path. */
  shot: (name: string) => Promise<string>;
  /** The deployed contract `name`, for queries and transactions from Node. */
  contract: <N extends SuiteName>(name: N) => Promise<Contract<SuiteApis[N]>>;
  /** A development key pair (`//Alice`, `//Bob`, …; sr25519). */
  dev: (uri: string) => Promise<KeyringPair>;
  /**
   * Signs and submits `tx` with `signer`; resolves when it is in a best block, throws if it
   * failed (a dispatch error: a refused contract call is `Contracts.ContractReverted`).
   */
  send: (tx: ISubmittableExtrinsic, signer: KeyringPair) => Promise<ISubmittableResult>;
}

interface WorkerFixtures {
  /** One dedot client per worker, connected on first use (legacy JSON-RPC: the node's). */
  chain: DedotClient;
}

/** The origin of a URL (scheme://host[:port]), or the scheme for URLs without one. */
function originOf(url: string): string {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? u.protocol : u.origin;
  } catch {
    return url;
  }
}

/** The forms in which bytes could travel: raw, hex (both cases, with 0x), base64, base64url. */
function encodings(bytes: Uint8Array): Buffer[] {
  const b = Buffer.from(bytes);
  const hex = b.toString('hex');
  return [
    b,
    Buffer.from(hex),
    Buffer.from(hex.toUpperCase()),
    Buffer.from(b.toString('base64').replace(/=+$/, '')),
    Buffer.from(b.toString('base64url')),
  ];
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

/** Watches every page of `context` until the test ends: where it connects, what it sends. */
class Watch {
  readonly seen: { kind: string; url: string }[] = [];
  readonly leaks: string[] = [];
  private readonly forbidden: { what: string; forms: Buffer[] }[] = [];

  constructor(context: BrowserContext) {
    context.on('request', (request) => {
      this.seen.push({ kind: `${request.method()} ${request.resourceType()}`, url: request.url() });
      this.check(`${request.method()} ${request.url()} (its URL)`, Buffer.from(request.url()));
      const body = request.postDataBuffer();
      if (body) this.check(`${request.method()} ${request.url()} (its body)`, body);
    });
    const watchPage = (page: Page) => {
      page.on('websocket', (ws) => {
        this.seen.push({ kind: 'websocket', url: ws.url() });
        ws.on('framesent', ({ payload }) => this.check(`a WebSocket frame to ${ws.url()}`, Buffer.from(payload)));
      });
    };
    context.pages().forEach(watchPage);
    context.on('page', watchPage);
  }

  forbid(bytes: Uint8Array | string, what: string): void {
    const raw = typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes);
    if (raw.length < 8) throw new Error(`forbid(${what}): at least 8 bytes, or the check would see them everywhere`);
    this.forbidden.push({ what, forms: encodings(raw) });
  }

  private check(where: string, data: Buffer): void {
    for (const { what, forms } of this.forbidden) {
      if (forms.some((form) => data.includes(form))) this.leaks.push(`${what} left the page in ${where}`);
    }
  }

  /** Requests to an origin other than the allowed ones. */
  strays(allowed: readonly string[]): string[] {
    return this.seen
      .filter(({ url }) => {
        const origin = originOf(url);
        // data: and blob: URLs are the page's own bytes; they go nowhere.
        return !allowed.includes(origin) && origin !== 'data:' && origin !== 'blob:';
      })
      .map(({ kind, url }) => `${kind} ${url}`);
  }
}

export const test = base.extend<TestFixtures & { watch: Watch }, WorkerFixtures>({
  live: async ({}, use) => {
    await use(liveEnv());
  },

  // Automatic: every test's context is watched, and checked after the test.
  watch: [
    async ({ context, live }, use) => {
      const watch = new Watch(context);
      await use(watch);
      const allowed = [originOf(live.appUrl), originOf(live.chainUrl), originOf(live.auditUrl)];
      expect(watch.strays(allowed), `requests outside ${allowed.join(', ')}`).toEqual([]);
      expect(watch.leaks, 'forbidden bytes sent by the page').toEqual([]);
    },
    { auto: true },
  ],

  forbid: async ({ watch }, use) => {
    await use((bytes, what = 'forbidden bytes') => watch.forbid(bytes, what));
  },

  axe: async ({ page }, use) => {
    await use(async (options = {}) => {
      // @axe-core/playwright brings its own playwright-core (1.65.2 beside @playwright/test's
      // 1.65.1): the same Page at run time, two declarations of it for the compiler.
      let builder = new AxeBuilder({ page: page as unknown as ConstructorParameters<typeof AxeBuilder>[0]['page'] });
      if (options.include) builder = builder.include(options.include);
      for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
      if (options.disableRules?.length) builder = builder.disableRules(options.disableRules);
      const results = await builder.analyze();
      const violations: AxeViolation[] = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`.trim()),
        }));
      expect(violations, `serious or critical accessibility violations on ${page.url()}`).toEqual([]);
      return violations;
    });
  },

  shot: async ({ page }, use, testInfo: TestInfo) => {
    const dir = join(TARGET_APP, 'screenshots');
    mkdirSync(dir, { recursive: true });
    await use(async (name) => {
      const path = join(dir, `${slug(testInfo.titlePath.slice(1).join(' '))}-${slug(name)}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    });
  },

  chain: [
    async ({}, use) => {
      const client = await DedotClient.legacy(new WsProvider(liveEnv().chainUrl));
      await use(client);
      await client.disconnect();
    },
    { scope: 'worker' },
  ],

  contract: async ({ chain, live }, use) => {
    const manifest = JSON.parse(readFileSync(live.manifest, 'utf8')) as {
      contracts: { name: string; address: string }[];
    };
    await use(async (name) => {
      const deployed = manifest.contracts.find((c) => c.name === name);
      if (!deployed) throw new Error(`${live.manifest} has no ${name}`);
      const metadata = readFileSync(join(live.metadataDir, `${name}.json`), 'utf8');
      return new Contract(chain, metadata, deployed.address);
    });
  },

  dev: async ({}, use) => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519' });
    await use(async (uri) => keyring.addFromUri(uri));
  },

  send: async ({ chain }, use) => {
    await use(async (tx, signer) => {
      const result = await tx.signAndSend(signer).untilBestChainBlockIncluded();
      if (result.dispatchError) {
        const error = result.dispatchError;
        let detail = JSON.stringify(error, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
        if (error.type === 'Module') {
          const meta = chain.registry.findErrorMeta(error);
          if (meta) detail = `${meta.pallet}.${meta.name}: ${meta.docs.join(' ')}`;
        }
        throw new Error(`the transaction failed: ${detail}`);
      }
      return result;
    });
  },
});
