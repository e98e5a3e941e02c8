/**
 * The patient's journeys, as Bob: consents from a consent form hashed in the browser (the form and
 * its salt never leave the page), a refusal in the contract's words, deny rules, emergency
 * preferences, the accounting of disclosures with refused and emergency accesses, the dispute of
 * a justified break-glass review, the answer to a research request, purging spent storage, and one
 * task done with the keyboard only. Each journey checks what the page shows and what the chain
 * holds afterwards. The chain is shared and never reset: every run uses fresh documents, fresh
 * accounts and the ids its own transactions produced.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { Contract } from 'dedot/contracts';
import type { KeyringPair } from '@polkadot/keyring/types';
import { test, expect } from './fixtures';
import type { ConsentRegistryContractApi } from '../src/contracts';
import { ADDRESSES, CAT, DAY, act, freshDocument, freshHash, openAs, refused } from './patient-helpers';

const BOB = ADDRESSES.Bob;
const TREATMENT = 1 << 0;
const UNIT = 10n ** 12n;

function short(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-6)}`;
}

/** Every consent the chain stores for Bob (all pages). */
async function consentsOfBob(registry: Contract<ConsentRegistryContractApi>) {
  const all = [];
  for (let offset = 0; ; offset += 32) {
    const page = (await registry.query.consentsOf(BOB, offset, 32, { caller: BOB })).data;
    all.push(...page);
    if (page.length < 32) return all;
  }
}

/** The hash the page computed for the document it was given (DocumentInput's data-hash). */
async function hashShown(page: Page, form: string): Promise<string> {
  const hint = page.getByRole('form', { name: form }).locator('[data-hash]');
  await expect(hint).toBeVisible();
  const hash = await hint.getAttribute('data-hash');
  expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
  return hash ?? '';
}

test('Bob grants Charlie a consent from a form hashed in the page, sees it, and revokes it; a consent to himself is refused', async ({
  page,
  contract,
  forbid,
  axe,
  shot,
}) => {
  const registry = await contract('consent_registry');
  const form = freshDocument('consent-form-bob-charlie.txt');
  // The form's bytes must never leave the page.
  forbid(form.bytes, 'the consent form');

  await openAs(page, 'Bob');
  const grant = page.getByRole('form', { name: 'Grant a consent' });
  await grant.getByLabel('Lab results').check();
  await grant.getByLabel('Signed consent form').setInputFiles(form.file);

  // The salt is offered for download, and never leaves the page either.
  const saltLink = grant.getByRole('link', { name: 'Download its salt' });
  await expect(saltLink).toBeVisible();
  expect(await saltLink.getAttribute('download')).toBe('consent-form-bob-charlie.txt.salt.txt');
  const [download] = await Promise.all([page.waitForEvent('download'), saltLink.click()]);
  const saltText = readFileSync(await download.path(), 'utf8').trim();
  const saltHex = saltText.replace(/^0x/, '');
  expect(saltHex).toMatch(/^[0-9a-f]{64}$/);
  forbid(Buffer.from(saltHex, 'hex'), 'the salt');
  forbid(saltText, 'the salt as text');
  const hash = await hashShown(page, 'Grant a consent');

  // Refused first: Bob naming himself as the reader. The contract's words, nothing signed.
  const before = await consentsOfBob(registry);
  await grant.getByLabel('Who may read').fill('Bob');
  await refused(grant, 'Grant consent', 'A consent or delegation naming the patient (or the delegate granting) as its own grantee.');
  await shot('refused-consent-to-self');
  expect((await consentsOfBob(registry)).length).toBe(before.length);

  // Granted to Charlie.
  await grant.getByLabel('Who may read').fill('Charlie');
  await act(grant, 'Grant consent');
  const granted = (await consentsOfBob(registry)).find((c) => c.documentHash === hash);
  expect(granted, 'the chain holds a consent with the hash of the form').toBeDefined();
  if (!granted) return;
  expect(granted.accessor.address()).toBe(ADDRESSES.Charlie);
  expect(granted.categories).toBe(CAT.LAB_RESULTS);
  expect(granted.purposes).toBe(TREATMENT);
  expect(granted.grantedBy.address()).toBe(BOB);
  expect(granted.revokedAt).toBeUndefined();

  const table = page.getByRole('table', { name: 'Consents' });
  const row = table.locator(`tr[data-consent="${granted.id}"]`);
  await expect(row).toContainText('Charlie');
  await expect(row).toContainText('Lab results');
  await expect(row).toContainText('in force');
  await shot('consent-granted');
  await axe();

  // Revoked.
  await act(row, `Revoke consent ${granted.id}`, { leaves: true });
  await expect(row).toContainText('revoked');
  const after = (await registry.query.consent(granted.id, { caller: BOB })).data;
  expect(after?.revokedAt).toBeDefined();
  await shot('consent-revoked');
});

test('Bob adds a deny rule and lifts it, and sets his emergency preferences', async ({ page, contract, axe, shot }) => {
  const registry = await contract('consent_registry');
  const breakGlass = await contract('break_glass');
  const rulesOfBob = async () => (await registry.query.denyRulesOf(BOB, 0, 32, { caller: BOB })).data;
  const before = new Set((await rulesOfBob()).map((r) => r.id));

  await openAs(page, 'Bob');
  const panel = page.getByRole('region', { name: 'Deny rules' });
  await expect(panel).toContainText('A deny rule always wins over a consent');
  const add = page.getByRole('form', { name: 'Add a deny rule' });
  // A refusal in words before anything is asked: no data chosen.
  await add.getByLabel('Account to deny').fill('Ferdie');
  await refused(add, 'Add deny rule', 'Choose at least one kind of data');
  await add.getByLabel('Mental health').check();
  await act(add, 'Add deny rule');

  const added = (await rulesOfBob()).filter((r) => !before.has(r.id) && r.accessor?.address() === ADDRESSES.Ferdie);
  expect(added).toHaveLength(1);
  const rule = added[0];
  if (!rule) return;
  expect(rule.categories).toBe(CAT.MENTAL_HEALTH);
  expect(rule.purposes).toBe(0b111111);
  expect(rule.createdBy.address()).toBe(BOB);
  const row = page.getByRole('table', { name: 'Deny rules' }).locator(`tr[data-deny-rule="${rule.id}"]`);
  await expect(row).toContainText('Ferdie');
  await expect(row).toContainText('Mental health');
  await expect(row).toContainText('in force');
  await shot('deny-rule-added');

  await act(row, `Lift deny rule ${rule.id}`, { leaves: true });
  await expect(panel.getByRole('status').filter({ hasText: `Deny rule ${rule.id} lifted: final on chain.` })).toHaveCount(1);
  expect((await rulesOfBob()).some((r) => r.id === rule.id)).toBe(false);
  await expect(page.getByRole('table', { name: 'Deny rules' }).locator(`tr[data-deny-rule="${rule.id}"]`)).toHaveCount(0);

  // Emergency preferences: the emergency summary and allergies, not opted out.
  const prefsPanel = page.getByRole('region', { name: 'Emergency access (break-glass)' });
  await expect(prefsPanel).toContainText('Break-glass lets a registered emergency responder');
  const prefs = page.getByRole('form', { name: 'Set your emergency preferences' });
  for (const box of await prefs.getByRole('checkbox').all()) await box.uncheck();
  await refused(prefs, 'Save emergency preferences', 'Choose at least one kind of data break-glass may open, or opt out');
  await prefs.getByLabel('Emergency summary').check();
  await prefs.getByLabel('Allergies').check();
  await act(prefs, 'Save emergency preferences');
  const saved = (await breakGlass.query.emergencyPreferences(BOB, { caller: BOB })).data;
  expect(saved).toEqual({ allowed: CAT.EMERGENCY_SUMMARY | CAT.ALLERGIES, optedOut: false });
  await expect(prefsPanel.locator('[data-emergency-preferences]')).toHaveText('Now: break-glass may open Allergies, Emergency summary.');
  await shot('emergency-preferences');
  await axe();
});

test('Bob reads who saw his data — permitted, refused and emergency accesses — and disputes a justified review', async ({
  page,
  contract,
  dev,
  send,
  chain,
  axe,
  shot,
}) => {
  test.setTimeout(240_000);
  const registry = await contract('consent_registry');
  const breakGlass = await contract('break_glass');
  const alice = await dev('//Alice');
  const bob = await dev('//Bob');
  const dave = await dev('//Dave');
  const run = Date.now();

  const fund = async (pair: KeyringPair) => {
    const account = await chain.query.system.account(pair.address);
    if (account.data.free < 10n * UNIT) await send(chain.tx.balances.transferKeepAlive(pair.address, 100n * UNIT), alice);
  };

  // Dave is a custodian (the owner, Alice, registers him once).
  if (!(await registry.query.isCustodian(ADDRESSES.Dave, { caller: alice.address })).data) {
    await send(registry.tx.setCustodian(ADDRESSES.Dave, true), alice);
  }

  // A permitted access: Bob consents to a fresh reader, Dave serves it, Bob revokes the consent.
  const reader = await dev(`//Bob//reader-${run}`);
  const granted = await send(
    registry.tx.grantConsent(BOB, reader.address, CAT.LAB_RESULTS, TREATMENT, BigInt(run - 60_000), BigInt(run + 365 * DAY), freshHash()),
    bob,
  );
  const consentId = registry.events.ConsentGranted.find(granted.events as never)?.data.consentId;
  expect(consentId).toBeDefined();
  await send(registry.tx.recordAccess(BOB, reader.address, CAT.LAB_RESULTS, 'Treatment'), dave);
  if (consentId !== undefined) await send(registry.tx.revokeConsent(consentId), bob);

  // A refused attempt: a stranger with no consent.
  const stranger = await dev(`//Bob//stranger-${run}`);
  await send(registry.tx.recordAccess(BOB, stranger.address, CAT.LAB_RESULTS, 'Treatment'), dave);

  // An emergency access: a responder (registered by one authority) breaks the glass, Dave serves
  // it, and another authority reviews it as justified.
  const authority1 = await dev('//Alice//patient-journey-authority-1');
  const authority2 = await dev('//Alice//patient-journey-authority-2');
  const responder = await dev(`//Alice//patient-journey-responder-${run}`);
  for (const a of [authority1, authority2, responder]) await fund(a);
  for (const a of [authority1, authority2]) {
    if (!(await breakGlass.query.isAuthority(a.address, { caller: alice.address })).data) {
      await send(breakGlass.tx.setAuthority(a.address, true), alice);
    }
  }
  await send(breakGlass.tx.registerResponder(responder.address, freshHash(), freshHash()), authority1);
  const prefs = (await breakGlass.query.emergencyPreferences(BOB, { caller: BOB })).data;
  if (prefs.optedOut || (prefs.allowed & CAT.EMERGENCY_SUMMARY) === 0) {
    await send(breakGlass.tx.setEmergencyPreferences(CAT.EMERGENCY_SUMMARY, false), bob);
  }
  const broken = await send(breakGlass.tx.breakGlass(BOB, CAT.EMERGENCY_SUMMARY, freshHash()), responder);
  const grantId = breakGlass.events.GlassBroken.find(broken.events as never)?.data.grantId;
  expect(grantId).toBeDefined();
  if (grantId === undefined) return;
  await send(registry.tx.recordAccess(BOB, responder.address, CAT.EMERGENCY_SUMMARY, 'EmergencyTreatment'), dave);
  await send(breakGlass.tx.reviewGrant(grantId, true, freshHash()), authority2);

  await openAs(page, 'Bob');
  const panel = page.getByRole('region', { name: 'Who saw my data' });
  const table = panel.getByRole('table', { name: 'Accounting of disclosures' });
  // The audit index follows finalized blocks: read again until this run's rows are there.
  await expect(async () => {
    await panel.getByRole('button', { name: 'Read the history again' }).click();
    for (const who of [reader, stranger, responder]) {
      await expect(table.locator('tr', { hasText: short(who.address) })).toHaveCount(1, { timeout: 2_000 });
    }
  }).toPass({ timeout: 40_000 });

  const permitted = table.locator('tr', { hasText: short(reader.address) });
  await expect(permitted).toContainText('Permitted');
  await expect(permitted).toContainText(`consent #${consentId}`);
  await expect(permitted).toContainText('Dave');
  await expect(permitted).toContainText('Lab results');
  await expect(permitted).toContainText('Treatment');
  await expect(permitted).not.toHaveClass(/alert|emergency/);

  const refusedRow = table.locator('tr', { hasText: short(stranger.address) });
  await expect(refusedRow).toHaveClass(/\balert\b/);
  await expect(refusedRow).toContainText('Refused');
  await expect(refusedRow).toContainText('no consent');

  const emergencyRow = table.locator('tr', { hasText: short(responder.address) });
  await expect(emergencyRow).toHaveClass(/\bemergency\b/);
  await expect(emergencyRow).toContainText('Emergency access');
  await expect(emergencyRow).toContainText(`emergency grant #${grantId}`);
  await expect(panel.locator('[data-disclosure-summary]')).toContainText(/refused attempts?/);

  // The consent history: the consent this run granted and revoked, in words.
  const history = panel.getByRole('table', { name: 'Consent history' });
  await expect(history.locator('tr', { hasText: `consent #${consentId} to ${short(reader.address)}:` })).toContainText('Consent granted');
  await expect(history.locator('tr', { hasText: `consent #${consentId} to ${short(reader.address)} revoked` })).toHaveCount(1);
  await shot('who-saw-my-data');

  // The justified review, disputed.
  const reviews = page.getByRole('region', { name: 'Emergency accesses to your data' });
  const grantRow = reviews.locator(`tr[data-grant="${grantId}"]`);
  await expect(async () => {
    await reviews.getByRole('button', { name: 'Read the emergency accesses again' }).click();
    await expect(grantRow.getByRole('button', { name: `Check: Dispute this review (grant ${grantId})` })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 40_000 });
  await expect(grantRow).toContainText('reviewed: justified');
  await act(grantRow, `Dispute this review (grant ${grantId})`);
  const disputed = (await breakGlass.query.grant(grantId, { caller: BOB })).data;
  expect(disputed?.disputed).toBe(true);
  expect(disputed?.review).toBe('Pending');
  await expect(async () => {
    await reviews.getByRole('button', { name: 'Read the emergency accesses again' }).click();
    await expect(grantRow).toContainText('disputed by you', { timeout: 2_000 });
  }).toPass({ timeout: 40_000 });
  await shot('review-disputed');
  await axe();
});

test('Bob denies a research request, and the study is gone from his pending requests', async ({ page, contract, dev, send, shot }) => {
  const research = await contract('research_registry');
  const alice = await dev('//Alice');
  const bob = await dev('//Bob');
  const charlie = await dev('//Charlie');
  const ferdie = await dev('//Ferdie');

  if (!(await research.query.isEthicsApprover(ADDRESSES.Ferdie, { caller: alice.address })).data) {
    await send(research.tx.setEthicsApprover(ADDRESSES.Ferdie, true), alice);
  }
  // What an earlier run may have left: Charlie blocked, or Charlie holding his whole share of
  // Bob's inbox (the default policy lets a researcher hold 4 pending requests per patient).
  if ((await research.query.isBlocked(BOB, ADDRESSES.Charlie, { caller: BOB })).data) {
    await send(research.tx.unblockResearcher(BOB, ADDRESSES.Charlie), bob);
  }
  const pending = async () => (await research.query.pendingRequestsOf(BOB, 0, 32, { caller: BOB })).data;
  const share = (await research.query.researchPolicy({ caller: BOB })).data.maxPendingPerResearcher;
  const charlies = (await pending()).filter((r) => r.researcher.address() === ADDRESSES.Charlie);
  if (charlies.length >= share) {
    for (const r of charlies) await send(research.tx.withdrawRequest(r.studyId, BOB), charlie);
  }
  const registered = await send(research.tx.registerStudy(freshHash(), CAT.LAB_RESULTS, BigInt(Date.now() + 180 * DAY)), charlie);
  const studyId = research.events.StudyRegistered.find(registered.events as never)?.data.studyId;
  expect(studyId).toBeDefined();
  if (studyId === undefined) return;
  await send(research.tx.approveStudy(studyId, freshHash()), ferdie);
  await send(research.tx.requestAccess(studyId, BOB), charlie);
  expect((await pending()).some((r) => r.studyId === studyId)).toBe(true);

  await openAs(page, 'Bob');
  const request = page.getByRole('region', { name: `Study ${studyId} by Charlie asks for your consent` });
  await expect(request).toContainText('Lab results, for research only');
  await expect(request).toContainText(`approved by Ferdie`);
  await shot('research-request');
  // Approving needs the signed form: said in words, nothing asked of the chain.
  await refused(request, `Approve study ${studyId}`, 'Attach the signed research consent form');
  await act(request, `Deny study ${studyId}`, { leaves: true });
  await expect(page.getByRole('region', { name: 'Research requests', exact: true }).getByRole('status').filter({ hasText: `You denied study ${studyId}'s request` })).toHaveCount(1);
  expect((await pending()).some((r) => r.studyId === studyId)).toBe(false);
  expect((await research.query.request(BOB, studyId, { caller: BOB })).data).toBeUndefined();
  // The study may not ask again for a while.
  expect((await research.query.cooldownUntil(BOB, studyId, { caller: BOB })).data).toBeGreaterThan(BigInt(Date.now()));
  await expect(page.getByRole('region', { name: `Study ${studyId} by Charlie asks for your consent` })).toHaveCount(0);
  await shot('research-request-denied');
});

/** Tabs (forwards) until the focused element's accessible name is `name`; keyboard only. */
async function tabTo(page: Page, name: string | RegExp, max = 400): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as (HTMLElement & { labels?: NodeListOf<HTMLLabelElement> | null }) | null;
      if (!el) return '';
      const label = el.labels?.[0]?.textContent ?? '';
      return (label || el.getAttribute('aria-label') || el.textContent || '').trim();
    });
    if (typeof name === 'string' ? focused === name : name.test(focused)) return;
  }
  throw new Error(`no element named ${String(name)} within ${max} presses of Tab`);
}

test('Bob grants a consent with the keyboard only, then revokes it and frees the spent storage', async ({ page, contract, forbid, shot }) => {
  test.setTimeout(180_000);
  const registry = await contract('consent_registry');
  const form = freshDocument('consent-form-keyboard.txt');
  forbid(form.bytes, 'the consent form');

  await openAs(page, 'Bob');
  // From here to the grant, only the keyboard: Tab, Space, Enter and typing.
  await tabTo(page, 'Who may read');
  await page.keyboard.type('Charlie');
  await tabTo(page, 'Lab results');
  await page.keyboard.press('Space');
  await tabTo(page, 'Signed consent form');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
  await chooser.setFiles(form.file);
  const grant = page.getByRole('form', { name: 'Grant a consent' });
  await expect(grant.getByLabel('Lab results')).toBeChecked();
  const hash = await hashShown(page, 'Grant a consent');
  await tabTo(page, 'Check: Grant consent');
  await page.keyboard.press('Enter');
  await expect(grant.getByRole('button', { name: 'Sign and submit: Grant consent' })).toBeVisible({ timeout: 30_000 });
  await tabTo(page, 'Sign and submit: Grant consent');
  await page.keyboard.press('Enter');
  await expect(grant.getByText('Done: final on chain.')).toBeVisible({ timeout: 60_000 });
  await shot('keyboard-grant');

  const granted = (await consentsOfBob(registry)).find((c) => c.documentHash === hash);
  expect(granted?.accessor.address()).toBe(ADDRESSES.Charlie);
  expect(granted?.categories).toBe(CAT.LAB_RESULTS);
  if (!granted) return;

  // Revoked, then purged: the revoked consent's storage is freed and its deposit returned.
  const row = page.getByRole('table', { name: 'Consents' }).locator(`tr[data-consent="${granted.id}"]`);
  await act(row, `Revoke consent ${granted.id}`, { leaves: true });
  const purge = page.getByRole('region', { name: 'Free spent storage' });
  await expect(purge).toContainText('returns their deposits');
  await expect(purge.getByRole('list', { name: 'What can be freed now' })).toContainText(/Consents and rules: [1-9]\d* consents?,/);
  await act(purge, 'Free spent consents, deny rules and delegations');
  expect((await registry.query.consent(granted.id, { caller: BOB })).data).toBeUndefined();
  await expect(page.getByRole('table', { name: 'Consents' }).locator(`tr[data-consent="${granted.id}"]`)).toHaveCount(0);
  await act(purge, 'Free lapsed research requests');
  await shot('storage-freed');
});

test('with the audit API unreachable, Bob is told so in words and the chain panels still work', async ({ page, live, shot }) => {
  // Every request to the audit API fails as a network error would (nothing leaves the page).
  await page.route(`${live.auditUrl}/**`, (route) => route.abort('connectionrefused'));
  await openAs(page, 'Bob');
  const panel = page.getByRole('region', { name: 'Who saw my data' });
  await expect(panel.getByRole('status').first()).toContainText(
    `The audit API (${live.auditUrl}) could not be reached, so this history cannot be shown now. The chain still holds every event; try again later.`,
  );
  await expect(panel.getByRole('table')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Emergency accesses to your data' })).toContainText('could not be reached');
  // What comes from the chain is unaffected.
  await expect(page.getByRole('region', { name: 'Deny rules' })).not.toContainText('could not be read');
  await shot('audit-unreachable');
});
