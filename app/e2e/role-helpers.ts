/**
 * Steps the custodian, responder, authority, ethics and researcher journeys share (beside
 * patient-helpers.ts): opening a role's view as a development account, counting what the page
 * submits to the chain (a refused action submits nothing), funding a fresh account, and the
 * roles the journeys rely on, set from Node by the contracts' owner (//Alice) where missing.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Contract } from 'dedot/contracts';
import type { DedotClient } from 'dedot';
import type { ISubmittableExtrinsic, ISubmittableResult } from 'dedot/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { SuiteApis, SuiteName } from './fixtures';
import { ADDRESSES, freshHash, type DevName } from './patient-helpers';

export const UNIT = 10n ** 12n;

export interface Chain {
  contract: <N extends SuiteName>(name: N) => Promise<Contract<SuiteApis[N]>>;
  dev: (uri: string) => Promise<KeyringPair>;
  send: (tx: ISubmittableExtrinsic, signer: KeyringPair) => Promise<ISubmittableResult>;
  chain: DedotClient;
}

/**
 * Counts the extrinsics the page submits (author_submit* over the chain's WebSocket). Call
 * before the page opens the app.
 */
export function countSubmissions(page: Page): () => number {
  let n = 0;
  page.on('websocket', (ws) => {
    ws.on('framesent', ({ payload }) => {
      if (String(payload).includes('"author_submit')) n++;
    });
  });
  return () => n;
}

/** Opens the app as `name` and goes to the view whose nav button is `view`. */
export async function openRole(page: Page, name: DevName, view: string | RegExp): Promise<void> {
  await page.goto('/');
  await switchTo(page, name, view);
}

/** Acts as another development account (on the open page) and goes to its view `view`. */
export async function switchTo(page: Page, name: DevName, view: string | RegExp): Promise<void> {
  const picker = page.getByLabel('Act as account');
  await expect(picker.locator('option', { hasText: `${name} (` })).toHaveCount(1, { timeout: 60_000 });
  await picker.selectOption(ADDRESSES[name]);
  const nav = page.getByRole('navigation', { name: 'Your roles' });
  const button = typeof view === 'string' ? nav.getByRole('button', { name: view, exact: true }) : nav.getByRole('button', { name: view });
  await expect(button).toBeVisible({ timeout: 30_000 });
  await button.click();
  await expect(page.getByRole('heading', { level: 2, name: new RegExp(`— ${name}$`) })).toBeVisible({ timeout: 30_000 });
}

/**
 * Sends `make()` signed by `signer`, again (up to three times) if the pool turned it away
 * unsent: other runs on the shared chain may sign as the same development account at the same
 * moment, and two transactions with one nonce cannot both enter the pool. A transaction that
 * was included (and failed) is never sent again.
 */
export async function sendRetrying(c: Chain, make: () => ISubmittableExtrinsic, signer: KeyringPair): Promise<ISubmittableResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await c.send(make(), signer);
    } catch (e) {
      const words = e instanceof Error ? e.message : String(e);
      const unsent = /priority is too low|1014|1010|outdated|stale|already imported|temporarily banned/i.test(words);
      if (!unsent || attempt >= 3) throw e;
      await new Promise((r) => setTimeout(r, 1_000 * attempt));
    }
  }
}

/** Gives a fresh account enough to pay fees and deposits. */
export async function fund(c: Chain, pair: KeyringPair): Promise<void> {
  const account = await c.chain.query.system.account(pair.address);
  if (account.data.free < 10n * UNIT) {
    await sendRetrying(c, () => c.chain.tx.balances.transferKeepAlive(pair.address, 100n * UNIT), await c.dev('//Alice'));
  }
}

/** Dave is a custodian. */
export async function ensureCustodian(c: Chain): Promise<void> {
  const registry = await c.contract('consent_registry');
  const alice = await c.dev('//Alice');
  if (!(await registry.query.isCustodian(ADDRESSES.Dave, { caller: alice.address })).data) {
    await sendRetrying(c, () => registry.tx.setCustodian(ADDRESSES.Dave, true), alice);
  }
}

/** Ferdie approves studies. */
export async function ensureEthicsApprover(c: Chain): Promise<void> {
  const research = await c.contract('research_registry');
  const alice = await c.dev('//Alice');
  if (!(await research.query.isEthicsApprover(ADDRESSES.Ferdie, { caller: alice.address })).data) {
    await sendRetrying(c, () => research.tx.setEthicsApprover(ADDRESSES.Ferdie, true), alice);
  }
}

/**
 * Ferdie and Alice are authorities; Eve is a responder (registered by Ferdie on a fresh chain),
 * active: if an earlier run left her suspended, an authority that did not register her
 * reinstates her. Returns who registered Eve.
 */
export async function ensureResponderEve(c: Chain): Promise<string> {
  const breakGlass = await c.contract('break_glass');
  const alice = await c.dev('//Alice');
  const ferdie = await c.dev('//Ferdie');
  for (const who of [ADDRESSES.Ferdie, ADDRESSES.Alice]) {
    if (!(await breakGlass.query.isAuthority(who, { caller: alice.address })).data) {
      await sendRetrying(c, () => breakGlass.tx.setAuthority(who, true), alice);
    }
  }
  let eve = (await breakGlass.query.responder(ADDRESSES.Eve, { caller: alice.address })).data;
  if (!eve) {
    await sendRetrying(c, () => breakGlass.tx.registerResponder(ADDRESSES.Eve, freshHash(), freshHash()), ferdie);
    eve = (await breakGlass.query.responder(ADDRESSES.Eve, { caller: alice.address })).data;
  }
  if (!eve) throw new Error('Eve could not be registered as a responder');
  const registrar = eve.registeredBy.address();
  if (eve.status === 'Suspended') {
    await sendRetrying(c, () => breakGlass.tx.reinstateResponder(ADDRESSES.Eve), registrar === ADDRESSES.Alice ? ferdie : alice);
  }
  return registrar;
}

/** Ends every grant Eve still holds open (an earlier run's), so the limits leave room. */
export async function endEvesOpenGrants(c: Chain): Promise<void> {
  const breakGlass = await c.contract('break_glass');
  const eve = await c.dev('//Eve');
  const record = (await breakGlass.query.responder(ADDRESSES.Eve, { caller: eve.address })).data;
  const now = BigInt(Date.now());
  for (const [id, expiresAt] of record?.openGrants ?? []) {
    if (expiresAt <= now) continue;
    const g = (await breakGlass.query.grant(id, { caller: eve.address })).data;
    if (g && g.endedAt === undefined) await sendRetrying(c, () => breakGlass.tx.endGrant(id), eve);
  }
}

/** Bob's emergency preferences let break-the-glass open the emergency summary (the default). */
export async function ensureBobAllowsEmergencySummary(c: Chain, bit: number): Promise<void> {
  const breakGlass = await c.contract('break_glass');
  const prefs = (await breakGlass.query.emergencyPreferences(ADDRESSES.Bob, { caller: ADDRESSES.Bob })).data;
  if (prefs.optedOut || (prefs.allowed & bit) === 0) {
    await sendRetrying(c, () => breakGlass.tx.setEmergencyPreferences(bit, false), await c.dev('//Bob'));
  }
}

/** The Action whose task is `label`, inside `scope`. */
export function actionIn(scope: Page | Locator, label: string): Locator {
  const page = 'page' in scope ? scope.page() : scope;
  return scope.locator('.action').filter({ has: page.getByRole('button', { name: `Check: ${label}`, exact: true }) });
}

/**
 * Checks, then signs and submits, an Action; resolves once the page says it is final — or, for
 * an Action that leaves the page once its work is done (a row that goes), once `done` shows.
 */
export async function sign(scope: Page | Locator, label: string, done?: Locator): Promise<Locator> {
  const a = actionIn(scope, label);
  await a.getByRole('button', { name: `Check: ${label}`, exact: true }).click();
  const submit = a.getByRole('button', { name: `Sign and submit: ${label}`, exact: true });
  try {
    await expect(submit).toBeVisible({ timeout: 30_000 });
  } catch (e) {
    const said = (await a.locator('.verdict').textContent().catch(() => null)) ?? '(nothing)';
    throw new Error(`"${label}" was not ready to sign; the page said: ${said}\n${String(e)}`);
  }
  await submit.click();
  await expect(done ?? a.getByText('Done: final on chain.')).toBeVisible({ timeout: 60_000 });
  return a;
}

/** Checks an Action the chain (or the page) refuses: the refusal in words, and nothing to sign. */
export async function refuse(scope: Page | Locator, label: string, words: string | RegExp): Promise<Locator> {
  const a = actionIn(scope, label);
  await a.getByRole('button', { name: `Check: ${label}`, exact: true }).click();
  await expect(a.locator('.verdict')).toContainText(words, { timeout: 30_000 });
  await expect(a.locator('.verdict')).toContainText('Refused:');
  await expect(a.getByRole('button', { name: `Sign and submit: ${label}`, exact: true })).toHaveCount(0);
  return a;
}
