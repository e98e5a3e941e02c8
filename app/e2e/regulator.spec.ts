/**
 * The regulator's journey (Alice, pharma_ledger's owner): registers a new manufacturer with its
 * licence record hashed in the page; is refused registering a partner twice (the contract's
 * words, nothing signed); approves Charlie's claim on a fresh GTIN and reads its holder;
 * recalls a lot; transfers a squatted GTIN to the new manufacturer (its packs verify as
 * withdrawn), restores the one lot that was genuine, revokes the new holding; suspends the new
 * partner; resolves two suspect packs — one cleared, one confirmed illegitimate — after seeing
 * their state; and the pharmacist's verification then shows the recall. Each step is checked
 * on chain.
 */
import { test, expect } from './fixtures';
import { actAs, commissionLot, DEV, elementString, ensurePartners, freshProduct, hash32, packNow, task, verifyNow } from './pharma-chain';
import { toContractArgs } from '../src/lib/gs1';

test('the regulator registers partners, decides GTINs, recalls and restores lots, and resolves suspect packs', async ({
  page,
  contract,
  send,
  dev,
  axe,
  shot,
}) => {
  test.setTimeout(300_000);
  const ledger = await contract('pharma_ledger');
  await ensurePartners(ledger, send, dev);
  // Charlie claims a fresh GTIN from Node; the regulator decides it in the page.
  const product = await freshProduct(ledger, send, dev, false);
  const g = toContractArgs({ gtin: product.gtin, expiry: '000000', lot: 'X', serial: 'X' }).gtin;
  const newcomer = (await dev(`//Alice//partner-${Date.now()}`)).address;

  await page.goto('/');
  await actAs(page, 'Alice', 'Regulator');

  await test.step('register a new manufacturer with its licence record', async () => {
    const form = task(page, 'Register a trading partner');
    await form.getByLabel("Partner's account").fill(newcomer);
    await form.getByRole('radio', { name: /^Manufacturer/ }).check();
    await form.getByLabel('Licence record (GLN, wholesale or pharmacy licence)').setInputFiles({
      name: 'licence.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ gln: '4012345000009', licence: `WDA-${Date.now()}` })),
    });
    await form.getByRole('button', { name: 'Check: Register this partner' }).click();
    await form.getByRole('button', { name: 'Sign and submit: Register this partner' }).click();
    await expect(form.getByText('Done: final on chain.')).toBeVisible({ timeout: 60_000 });
    const p = (await ledger.query.partner(newcomer, { caller: DEV.Alice })).data;
    expect(p).toMatchObject({ role: 'Manufacturer', suspended: false });
  });

  await test.step('registering a partner twice is refused in words, and nothing is signed', async () => {
    const form = task(page, 'Register a trading partner');
    await form.getByLabel("Partner's account").fill('Charlie');
    await form.getByRole('radio', { name: /^Wholesaler/ }).check();
    await form.getByRole('button', { name: 'Check: Register this partner' }).click();
    await expect(form.locator('[data-refused="register_partner"]')).toHaveText('Refused: The account is a registered partner already.');
    await expect(form.getByRole('button', { name: 'Sign and submit: Register this partner' })).toHaveCount(0);
    expect((await ledger.query.partner(DEV.Charlie, { caller: DEV.Alice })).data).toMatchObject({ role: 'Manufacturer', suspended: false });
    await shot('refused-twice');
  });

  await test.step("approve Charlie's GTIN claim", async () => {
    const form = task(page, 'Decide a GTIN claim');
    await form.getByLabel('Claimed GTIN').fill(product.gtin);
    await form.getByLabel('Claimant').fill('Charlie');
    await expect(form.locator('[data-claim="open"]')).toContainText("Charlie's claim is open, awaiting the regulator");
    await expect(form.getByText('No one holds this GTIN on the ledger yet.')).toBeVisible();
    await form.getByRole('button', { name: 'Check: Approve the claim of Charlie' }).click();
    await form.getByRole('button', { name: 'Sign and submit: Approve the claim of Charlie' }).click();
    await expect(form.locator(`[data-gtin-holder="${DEV.Charlie}"]`)).toHaveText('Held by Charlie, holding 1 (in force).', { timeout: 60_000 });
    await expect(form.locator('[data-claim="none"]')).toBeVisible();
    const record = (await ledger.query.gtin(g, { caller: DEV.Alice })).data;
    expect(record?.owner.address()).toBe(DEV.Charlie);
    expect(record?.holding).toBe(1);

    const gtinForm = task(page, "A GTIN's holder: transfer or revoke");
    await gtinForm.getByLabel('GTIN', { exact: true }).fill(product.gtin);
    await expect(gtinForm.locator(`[data-gtin-owner="${DEV.Charlie}"]`)).toHaveText('Charlie');
    await expect(gtinForm.getByText('holding 1 (in force)')).toBeVisible();
    await expect(gtinForm.getByText(/Squat — the current holder never should have held it/)).toBeVisible();
    await shot('gtin');
  });

  // Charlie commissions a lot of three packs (from Node) and flags two of them suspect.
  const packs = await commissionLot(ledger, send, dev, product, 3, 'R');
  const charlie = await dev('//Charlie');
  for (const p of packs.slice(1)) {
    const a = toContractArgs(p);
    await send(ledger.tx.flagSuspect(a.gtin, a.serial, hash32()), charlie);
  }

  await test.step('recall the lot', async () => {
    const form = task(page, 'Recall or restore a lot');
    await form.getByLabel('GTIN of the lot').fill(product.gtin);
    await form.getByLabel('Batch/lot').fill(packs[0]!.lot);
    await expect(form.locator('[data-lot-recalled="no"]')).toContainText('Charlie, under holding 1 of the GTIN');
    await form.getByRole('button', { name: `Check: Recall lot ${packs[0]!.lot}` }).click();
    await form.getByRole('button', { name: `Sign and submit: Recall lot ${packs[0]!.lot}` }).click();
    await expect(form.locator('[data-lot-recalled="yes"]')).toContainText('yes: every pack of it verifies as recalled', { timeout: 60_000 });
    const lot = (await ledger.query.lot(g, new TextEncoder().encode(packs[0]!.lot), { caller: DEV.Alice })).data;
    expect(lot?.recalled).toBe(true);
    expect(await verifyNow(ledger, packs[0]!)).toMatchObject({ verified: true, recalled: true });
    await shot('recalled');
  });

  // A second GTIN of Charlie's with a lot of one pack, which turns out to be a squat.
  const squatted = await freshProduct(ledger, send, dev);
  const [squatPack] = await commissionLot(ledger, send, dev, squatted, 1, 'S');
  const g2 = toContractArgs(squatPack!).gtin;

  await test.step('transfer a squatted GTIN to its rightful holder: its packs verify as withdrawn', async () => {
    const form = task(page, "A GTIN's holder: transfer or revoke");
    await form.getByLabel('GTIN', { exact: true }).fill(squatted.gtin);
    await expect(form.locator(`[data-gtin-owner="${DEV.Charlie}"]`)).toBeVisible();
    await form.getByLabel('New holder (a manufacturer or repackager)').fill(newcomer);
    await form.getByRole('radio', { name: /^Squat/ }).check();
    await form.getByRole('button', { name: `Check: Transfer GTIN ${squatted.gtin} (squat)` }).click();
    await form.getByRole('button', { name: `Sign and submit: Transfer GTIN ${squatted.gtin} (squat)` }).click();
    await expect(form.getByText('holding 2 (in force); earlier holding 1 revoked')).toBeVisible({ timeout: 60_000 });
    const record = (await ledger.query.gtin(g2, { caller: DEV.Alice })).data;
    expect(record?.owner.address()).toBe(newcomer);
    expect(record).toMatchObject({ holding: 2, revokedHoldings: 1n });
    expect(await verifyNow(ledger, squatPack!)).toMatchObject({ verified: true, withdrawn: true });
  });

  await test.step('restore the one lot that was genuine after all', async () => {
    const form = task(page, 'Recall or restore a lot');
    await form.getByLabel('GTIN of the lot').fill(squatted.gtin);
    await form.getByLabel('Batch/lot').fill(squatPack!.lot);
    await expect(form.getByText('yes: the holding it was made under was revoked; its packs cannot be supplied')).toBeVisible();
    await form.getByRole('button', { name: `Check: Restore lot ${squatPack!.lot}` }).click();
    await form.getByRole('button', { name: `Sign and submit: Restore lot ${squatPack!.lot}` }).click();
    await expect(form.getByText('no: declared genuine again by the regulator after its holding was revoked')).toBeVisible({ timeout: 60_000 });
    const lot = (await ledger.query.lot(g2, new TextEncoder().encode(squatPack!.lot), { caller: DEV.Alice })).data;
    expect(lot?.restored).toBe(true);
    expect(await verifyNow(ledger, squatPack!)).toMatchObject({ verified: true, withdrawn: false });
  });

  await test.step("revoke the new holder's holding too", async () => {
    const form = task(page, "A GTIN's holder: transfer or revoke");
    await expect(form.getByLabel('Holding to revoke')).toHaveValue('2');
    await form.getByRole('button', { name: 'Check: Revoke holding 2' }).click();
    await form.getByRole('button', { name: 'Sign and submit: Revoke holding 2' }).click();
    await expect(form.getByText('holding 2 (revoked); earlier holding 1 revoked')).toBeVisible({ timeout: 60_000 });
    await expect(form.getByText('Every holding of this GTIN is revoked already.')).toBeVisible();
    expect((await ledger.query.gtin(g2, { caller: DEV.Alice })).data).toMatchObject({ holding: 2, revokedHoldings: 3n });
    await shot('gtin-revoked');
  });

  await test.step('suspend the new partner', async () => {
    const form = task(page, 'Suspend or reinstate a partner');
    await form.getByLabel('Partner').fill(newcomer);
    await expect(form.locator('[data-partner-suspended="no"]')).toContainText('is a registered manufacturer');
    await form.getByRole('button', { name: /^Check: Suspend/ }).click();
    await form.getByRole('button', { name: /^Sign and submit: Suspend/ }).click();
    await expect(form.locator('[data-partner-suspended="yes"]')).toBeVisible({ timeout: 60_000 });
    expect((await ledger.query.partner(newcomer, { caller: DEV.Alice })).data?.suspended).toBe(true);
  });

  await test.step('resolve the suspect packs, their state shown first', async () => {
    const form = task(page, 'Resolve a suspect pack');
    const panel = form.locator('[data-pack-panel]');
    await form.getByLabel('Code of the suspect pack').fill(elementString(packs[1]!));
    await form.getByRole('button', { name: 'Show the pack' }).click();
    await expect(panel.locator('[data-flag="suspect"]')).toHaveText(/^Suspect: /);
    await expect(panel.getByText(/flagged suspect; evidence document hash/)).toBeVisible();
    await expect(panel.locator('dd[data-custodian]')).toHaveText('Charlie, a registered manufacturer');
    await form.getByRole('button', { name: 'Check: Clear the pack (lift the quarantine)' }).click();
    await form.getByRole('button', { name: 'Sign and submit: Clear the pack (lift the quarantine)' }).click();
    await expect(panel.getByText('This pack is not flagged suspect: there is nothing to decide.')).toBeVisible({ timeout: 60_000 });
    expect(await packNow(ledger, packs[1]!)).toMatchObject({ suspect: false, illegitimate: false });

    await form.getByLabel('Code of the suspect pack').fill(elementString(packs[2]!));
    await form.getByRole('button', { name: 'Show the pack' }).click();
    await expect(panel).toHaveAttribute('data-pack-panel', packs[2]!.serial);
    await expect(panel.locator('[data-flag="suspect"]')).toHaveText(/^Suspect: /);
    await form.getByRole('button', { name: 'Check: Confirm the pack illegitimate' }).click();
    await form.getByRole('button', { name: 'Sign and submit: Confirm the pack illegitimate' }).click();
    await expect(panel.getByText('Confirmed illegitimate: final, nothing more can be decided.')).toBeVisible({ timeout: 60_000 });
    expect(await packNow(ledger, packs[2]!)).toMatchObject({ illegitimate: true });
    await shot('quarantine');
  });

  await axe();

  await test.step("the pharmacist's verification shows the recall", async () => {
    await actAs(page, 'Eve', 'Pharmacist');
    const scan = task(page, 'Scan or paste a pack');
    await scan.getByLabel('Pack code').fill(elementString(packs[0]!));
    await scan.getByRole('button', { name: 'Verify this pack' }).click();
    const panel = page.locator('[data-pack-panel]');
    await expect(panel.locator('[data-verdict="do-not-supply"] > p')).toHaveText('The code matches a commissioned pack, but do not supply it: it is recalled.');
    await expect(panel.locator('[data-flag="recalled"]')).toHaveAttribute('data-set', 'yes');
    await shot('pharmacist-sees-recall');
  });
});
