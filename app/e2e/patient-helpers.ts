/**
 * Steps the patient and delegate journeys share: choosing a development account, running an
 * Action (check, then sign and submit, until final), and fresh bytes for documents and hashes.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';

export const ADDRESSES = {
  Alice: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
  Bob: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty',
  Charlie: '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y',
  Dave: '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy',
  Eve: '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw',
  Ferdie: '5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL',
} as const;
export type DevName = keyof typeof ADDRESSES;

/** Category bits (carechain_shared::DataCategories). */
export const CAT = {
  ALLERGIES: 1 << 1,
  LAB_RESULTS: 1 << 4,
  MENTAL_HEALTH: 1 << 8,
  EMERGENCY_SUMMARY: 1 << 12,
} as const;

/** A fresh 32-byte hash, 0x-hex (never all zeroes). */
export function freshHash(): `0x${string}` {
  return `0x${randomBytes(32).toString('hex')}`;
}

/** A generated document: its bytes, and the file Playwright hands to an input. */
export function freshDocument(name: string): { bytes: Buffer; file: { name: string; mimeType: string; buffer: Buffer } } {
  const bytes = Buffer.from(`${name}\nsigned ${new Date().toISOString()}\nref ${randomBytes(16).toString('hex')}\n`);
  return { bytes, file: { name, mimeType: 'text/plain', buffer: bytes } };
}

/** Opens the app and acts as a development account; waits for the Patient view. */
export async function openAs(page: Page, name: DevName): Promise<void> {
  await page.goto('/');
  await chooseAccount(page, name);
}

export async function chooseAccount(page: Page, name: DevName): Promise<void> {
  const picker = page.getByLabel('Act as account');
  await expect(picker.locator('option', { hasText: `${name} (` })).toHaveCount(1, { timeout: 60_000 });
  await picker.selectOption(ADDRESSES[name]);
  const nav = page.getByRole('navigation', { name: 'Your roles' });
  await nav.getByRole('button', { name: 'Patient', exact: true }).click();
  // The view of this account (not the one shown before the switch).
  await expect(page.getByRole('heading', { level: 2, name: `Patient — ${name}`, exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'Consents', exact: true })).toBeVisible({ timeout: 30_000 });
}

/** The Action whose task is `label`, inside `scope`. */
export function action(scope: Page | Locator, label: string): Locator {
  // A `has` locator is matched inside each candidate, so it starts from the page, not the scope.
  const page: Page = 'keyboard' in scope ? scope : scope.page();
  return scope.locator('.action').filter({ has: page.getByRole('button', { name: `Check: ${label}`, exact: true }) });
}

/**
 * Checks, then signs and submits, an Action; resolves once the page says it is final — or, with
 * `leaves`, once the Action has left the page with what it acted on (a lifted rule's row).
 */
export async function act(scope: Page | Locator, label: string, opts: { leaves?: boolean } = {}): Promise<Locator> {
  const a = action(scope, label);
  await a.getByRole('button', { name: `Check: ${label}`, exact: true }).click();
  const submit = a.getByRole('button', { name: `Sign and submit: ${label}`, exact: true });
  try {
    await expect(submit).toBeVisible({ timeout: 30_000 });
  } catch (e) {
    throw new Error(`"${label}" was not ready to sign; the page said: ${await verdictOf(a)}\n${String(e)}`);
  }
  await submit.click();
  // Final: the Action says so, or it left the page with what it acted on (a lifted rule's row).
  await expect(async () => {
    const failed = (await a.locator('.verdict .refusal').allTextContents()).join(' ');
    if (failed) throw new Error(`"${label}" did not go through: ${failed}`);
    const done = (opts.leaves === true && (await a.count()) === 0) || (await a.getByText('Done: final on chain.').isVisible());
    expect(done, `"${label}" final on chain`).toBe(true);
  }).toPass({ timeout: 60_000 });
  return a;
}

/** Checks an Action that the chain refuses: the refusal in words, and nothing to sign. */
export async function refused(scope: Page | Locator, label: string, words: string | RegExp): Promise<Locator> {
  const a = action(scope, label);
  await a.getByRole('button', { name: `Check: ${label}`, exact: true }).click();
  await expect(a.locator('.verdict')).toContainText(words, { timeout: 30_000 });
  await expect(a.locator('.verdict')).toContainText('Refused:');
  await expect(a.getByRole('button', { name: `Sign and submit: ${label}`, exact: true })).toHaveCount(0);
  return a;
}

async function verdictOf(a: Locator): Promise<string> {
  return (await a.locator('.verdict').allTextContents()).join(' ') || '(nothing)';
}

/** A `datetime-local` value `ms` from now, in the browser's zone (the test runs in the same one). */
export function localDateTime(fromNowMs: number): string {
  const d = new Date(Date.now() + fromNowMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export const DAY = 86_400_000;
