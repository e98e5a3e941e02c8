/**
 * The pharmacist's journey, with the partners around her. First test: Charlie (manufacturer)
 * commissions two lots of a fresh GTIN and ships them to Dave (set up from Node); Dave ships
 * them on to Eve through the page, scanning the packs one by one; Eve receives them through the
 * page, verifies a pack from its printed code (genuine, every flag in words), is told what is
 * wrong with a mistyped code, reads a pack from a photo of its GS1 DataMatrix (a PNG made in
 * the test with ZXing's encoder) and dispenses it, dispenses it again (a falsification alert,
 * in words), reads a GS1 Digital Link, locks a pack and undoes it, flags it suspect with her
 * evidence hashed in the page, and is refused dispensing a pack of a recalled lot (the
 * contract's words, nothing signed). Second test: Charlie claims a fresh GTIN and commissions
 * a lot of random serials in the page, and is refused commissioning them twice. Each step is
 * checked on chain (and the alert in the audit index).
 */
import { test, expect } from './fixtures';
import {
  actAs,
  commissionLot,
  dataMatrixPng,
  DEV,
  elementString,
  ensurePartners,
  freshProduct,
  futureExpiry,
  packNow,
  randomCode,
  randomGtin,
  receive,
  ship,
  task,
  verifyNow,
  withWrongCheckDigit,
} from './pharma-chain';
import { gs1CheckDigit } from '../src/lib/gs1';

test('a wholesaler ships packs, the pharmacist receives, verifies and dispenses them', async ({ page, contract, send, dev, axe, shot, live, forbid }) => {
  test.setTimeout(300_000);
  const ledger = await contract('pharma_ledger');

  // Set-up from Node: partners, a fresh GTIN, lot A (3 packs) and lot B (1 pack), Charlie → Dave.
  await ensurePartners(ledger, send, dev);
  const product = await freshProduct(ledger, send, dev);
  const lotA = await commissionLot(ledger, send, dev, product, 3, 'A');
  const lotB = await commissionLot(ledger, send, dev, product, 1, 'B');
  const all = [...lotA, ...lotB];
  const toDave = await ship(ledger, send, dev, 'Charlie', 'Dave', all);
  await receive(ledger, send, dev, 'Dave', toDave, all);
  for (const p of all) expect((await packNow(ledger, p))?.custodian).toBe(DEV.Dave);

  await page.goto('/');

  let shipment = '';
  await test.step('Dave ships the packs to Eve, scanned one by one', async () => {
    await actAs(page, 'Dave', /^Trading partner \(wholesaler\)/);
    const form = task(page, 'Ship packs');
    for (const p of all) {
      await form.getByLabel('Scan or paste a pack to ship').fill(elementString(p));
      await form.getByRole('button', { name: 'Add the pack to the list' }).click();
    }
    const list = form.getByRole('table', { name: 'Packs to ship' });
    await expect(list.locator('tbody tr')).toHaveCount(4);
    await expect(list.getByText('in the supply chain (active), held by you')).toHaveCount(4);
    // The same pack twice is refused on the list.
    await form.getByLabel('Scan or paste a pack to ship').fill(elementString(lotA[0]!));
    await form.getByRole('button', { name: 'Add the pack to the list' }).click();
    await expect(form.getByText(`Serial ${lotA[0]!.serial} of GTIN ${product.gtin} is on the list already`)).toBeVisible();
    await expect(list.locator('tbody tr')).toHaveCount(4);

    await form.getByLabel('To (a trading partner)').fill('Eve');
    await expect(form.getByText('Eve is a registered dispenser (pharmacy).')).toBeVisible();
    await form.getByLabel('Transaction statement').setInputFiles({
      name: 'statement.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ shipment: 'Dave to Eve', packs: all.length, nonce: Math.random() })),
    });
    await form.getByRole('button', { name: 'Check: Ship these packs' }).click();
    await form.getByRole('button', { name: 'Sign and submit: Ship these packs' }).click();
    const sent = form.locator('[data-shipment]');
    await expect(sent).toContainText('is on its way to Eve with 4 packs', { timeout: 60_000 });
    shipment = (await sent.getAttribute('data-shipment')) ?? '';
    expect(shipment).toMatch(/^\d+$/);
    await shot('wholesaler-shipped');
    for (const p of all) {
      const now = await packNow(ledger, p);
      expect(now).toMatchObject({ status: 'InTransit', custodian: DEV.Dave, transitTo: DEV.Eve });
    }
  });

  await test.step('Eve receives the shipment', async () => {
    await actAs(page, 'Eve', 'Pharmacist');
    const form = task(page, 'Receive or reject a shipment');
    await form.getByLabel('Shipment number').fill(shipment);
    for (const p of all) {
      await form.getByLabel('Scan or paste a pack that arrived').fill(elementString(p));
      await form.getByRole('button', { name: 'Add the pack to the list' }).click();
    }
    const list = form.getByRole('table', { name: 'Packs that arrived' });
    await expect(list.locator('tbody tr')).toHaveCount(4);
    await expect(list.getByText(`in transit to you in shipment #${shipment}`)).toHaveCount(4);
    await form.getByRole('button', { name: 'Check: Receive these packs' }).click();
    await form.getByRole('button', { name: 'Sign and submit: Receive these packs' }).click();
    await expect(form.locator('.action[data-message="receive"]').getByText('Done: final on chain.')).toBeVisible({ timeout: 60_000 });
    for (const p of all) expect(await packNow(ledger, p)).toMatchObject({ status: 'Active', custodian: DEV.Eve, transitTo: null });
  });

  // Charlie recalls lot B now that Eve holds it (from Node: the manufacturer's own recall).
  await send(ledger.tx.recallLot(`0x${Buffer.from(product.gtin).toString('hex')}`, new TextEncoder().encode(lotB[0]!.lot)), await dev('//Charlie'));

  const scan = task(page, 'Scan or paste a pack');
  const panel = page.locator('[data-pack-panel]');

  await test.step('a pasted element string verifies as genuine, with every flag in words', async () => {
    await scan.getByLabel('Pack code').fill(elementString(lotA[0]!));
    await scan.getByRole('button', { name: 'Verify this pack' }).click();
    await expect(panel.getByRole('heading', { name: `Pack ${lotA[0]!.serial}` })).toBeVisible();
    await expect(panel.locator('[data-verdict="genuine"]')).toContainText('Genuine: the full code matches a pack its manufacturer commissioned');
    const flags = panel.getByRole('list', { name: 'What the ledger says about this pack' });
    for (const words of ['Not expired.', 'Not recalled.', 'Not withdrawn.', 'Not flagged suspect.', 'Not confirmed illegitimate.', 'Not decommissioned: still in the supply chain.']) {
      await expect(flags.getByText(words)).toBeVisible();
    }
    await expect(panel.getByRole('list', { name: 'What the ledger says about this pack' }).locator('[data-set="yes"]')).toHaveCount(0);
    await expect(panel.locator('dd[data-custodian]')).toHaveText('you, a registered dispenser (pharmacy)');
    const v = await verifyNow(ledger, lotA[0]!);
    expect(v).toMatchObject({ verified: true, expired: false, recalled: false, withdrawn: false, suspect: false, illegitimate: false, decommissioned: false });
    await shot('genuine');
  });

  await test.step('a code with a wrong check digit is explained', async () => {
    const bad = { ...lotA[0]!, gtin: withWrongCheckDigit(product.gtin) };
    await scan.getByLabel('Pack code').fill(elementString(bad));
    await scan.getByRole('button', { name: 'Verify this pack' }).click();
    const expected = gs1CheckDigit(product.gtin.slice(0, 13));
    await expect(scan.getByText(`This code cannot be read: GTIN ${bad.gtin}: check digit is ${bad.gtin[13]}, expected ${expected}`)).toBeVisible();
    await shot('bad-check-digit');
  });

  await test.step('a photo of the DataMatrix is read on the device', async () => {
    // The image is read in the page: its bytes go nowhere.
    const image = dataMatrixPng(lotA[1]!);
    forbid(image.subarray(0, 64), 'the DataMatrix image');
    await scan.getByLabel('Or a photo or scan of its DataMatrix (read on this device)').setInputFiles({
      name: 'pack.png',
      mimeType: 'image/png',
      buffer: image,
    });
    await expect(scan.getByText(`Read from the DataMatrix data: GTIN ${product.gtin}, batch/lot ${lotA[1]!.lot}, serial ${lotA[1]!.serial}`)).toBeVisible({
      timeout: 30_000,
    });
    await expect(panel.getByRole('heading', { name: `Pack ${lotA[1]!.serial}` })).toBeVisible();
    await expect(panel.locator('[data-verdict="genuine"]')).toBeVisible();
  });

  await test.step('Eve dispenses the pack', async () => {
    await panel.getByRole('button', { name: 'Check: Dispense this pack' }).click();
    await panel.getByRole('button', { name: 'Sign and submit: Dispense this pack' }).click();
    await expect(panel.locator('[data-transition]')).toHaveText('The pack is now dispensed to a patient.', { timeout: 60_000 });
    expect((await packNow(ledger, lotA[1]!))?.status).toBe('Dispensed');
    // The panel re-reads: the pack is now decommissioned, and may not be supplied again.
    await expect(panel.locator('[data-verdict="do-not-supply"]')).toContainText('it is already decommissioned');
    await expect(panel.locator('[data-flag="decommissioned"]')).toContainText('Decommissioned: already out of the supply chain (dispensed to a patient)');
    await shot('dispensed');
  });

  await test.step('dispensing it again records a falsification alert and changes nothing', async () => {
    await expect(panel.getByText('This pack is already dispensed to a patient: dispensing it again records a falsification alert instead')).toBeVisible();
    await panel.getByRole('button', { name: 'Check: Dispense this pack' }).click();
    await panel.getByRole('button', { name: 'Sign and submit: Dispense this pack' }).click();
    await expect(panel.locator('[data-transition="Alert"]')).toContainText('Falsification alert recorded: the pack was already out of the supply chain, so nothing changed', {
      timeout: 60_000,
    });
    expect((await packNow(ledger, lotA[1]!))?.status).toBe('Dispensed');
    // The alert is on record: the audit index shows it in the pack's history.
    await expect
      .poll(async () => {
        const r = await fetch(`${live.auditUrl}/v1/packs/${lotA[1]!.gtin}/${lotA[1]!.serial}`);
        return ((await r.json()) as { event: string }[]).map((x) => x.event);
      }, { timeout: 30_000 })
      .toContain('FalsificationAlert');
  });

  await test.step('a GS1 Digital Link reads too', async () => {
    const p = lotA[2]!;
    await scan.getByLabel('Pack code').fill(`https://id.gs1.org/01/${p.gtin}/10/${p.lot}/21/${p.serial}?17=${p.expiry}`);
    await scan.getByRole('button', { name: 'Verify this pack' }).click();
    await expect(scan.getByText(`Read from a GS1 Digital Link: GTIN ${p.gtin}, batch/lot ${p.lot}, serial ${p.serial}`)).toBeVisible();
    await expect(panel.getByRole('heading', { name: `Pack ${p.serial}` })).toBeVisible();
    await expect(panel.locator('[data-verdict="genuine"]')).toBeVisible();
  });

  await test.step('Eve locks that pack with a reason, and undoes it', async () => {
    const p = lotA[2]!;
    await panel.getByRole('radio', { name: /^Locked/ }).check();
    await panel.getByRole('button', { name: 'Check: Decommission this pack' }).click();
    await panel.getByRole('button', { name: 'Sign and submit: Decommission this pack' }).click();
    await expect(panel.locator('[data-transition]')).toHaveText('The pack is now locked (held back from supply).', { timeout: 60_000 });
    expect((await packNow(ledger, p))?.status).toBe('Locked');
    await panel.getByRole('button', { name: 'Check: Undo the last change' }).click();
    await panel.getByRole('button', { name: 'Sign and submit: Undo the last change' }).click();
    await expect(panel.locator('[data-transition]')).toHaveText('The pack is now in the supply chain (active).', { timeout: 60_000 });
    expect(await packNow(ledger, p)).toMatchObject({ status: 'Active', custodian: DEV.Eve });
  });

  await test.step('Eve flags that pack suspect, with her evidence hashed in the page', async () => {
    const p = lotA[2]!;
    const evidence = Buffer.from(`photo of a damaged seal ${Math.random()}`);
    forbid(evidence, 'the evidence document');
    await panel.getByLabel('Evidence').setInputFiles({ name: 'seal.txt', mimeType: 'text/plain', buffer: evidence });
    await panel.getByRole('button', { name: 'Check: Flag this pack as suspect' }).click();
    await panel.getByRole('button', { name: 'Sign and submit: Flag this pack as suspect' }).click();
    await expect(panel.locator('[data-flag="suspect"]')).toHaveAttribute('data-set', 'yes', { timeout: 60_000 });
    expect(await packNow(ledger, p)).toMatchObject({ suspect: true, status: 'Active' });
  });

  await test.step('dispensing a pack of a recalled lot is refused in words, and nothing is signed', async () => {
    const before = await packNow(ledger, lotB[0]!);
    expect(before).toMatchObject({ status: 'Active', custodian: DEV.Eve });
    await scan.getByLabel('Pack code').fill(elementString(lotB[0]!));
    await scan.getByRole('button', { name: 'Verify this pack' }).click();
    await expect(panel.getByRole('heading', { name: `Pack ${lotB[0]!.serial}` })).toBeVisible();
    await expect(panel.locator('[data-verdict="do-not-supply"] > p')).toHaveText('The code matches a commissioned pack, but do not supply it: it is recalled.');
    await expect(panel.locator('[data-flag="recalled"]')).toHaveText('Recalled: its batch/lot was recalled — do not supply it.');
    await panel.getByRole('button', { name: 'Check: Dispense this pack' }).click();
    await expect(panel.locator('[data-refused="dispense"]')).toHaveText("Refused: The pack's lot is recalled.");
    await expect(panel.getByRole('button', { name: 'Sign and submit: Dispense this pack' })).toHaveCount(0);
    expect(await packNow(ledger, lotB[0]!)).toEqual(before);
    await shot('refused-recalled');
  });

  await axe();
});

test('a manufacturer claims a GTIN and commissions a lot in the page', async ({ page, contract, send, dev, axe, shot }) => {
  test.setTimeout(180_000);
  const ledger = await contract('pharma_ledger');
  await ensurePartners(ledger, send, dev);
  const gtin = randomGtin();
  const g = `0x${Buffer.from(gtin).toString('hex')}` as const;

  await page.goto('/');
  await actAs(page, 'Charlie', /^Trading partner \(manufacturer\)/);

  await test.step('Charlie claims a fresh GTIN with its licence evidence', async () => {
    const form = task(page, 'Claim a GTIN');
    await form.getByLabel('GTIN to claim').fill(gtin);
    await expect(form.getByText('No one holds this GTIN on the ledger yet.')).toBeVisible();
    await form.getByLabel('GS1 licence evidence').setInputFiles({ name: 'gs1-licence.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ gtin, n: Math.random() })) });
    await form.getByRole('button', { name: 'Check: Claim this GTIN' }).click();
    await form.getByRole('button', { name: 'Sign and submit: Claim this GTIN' }).click();
    await expect(form.locator('[data-claim="open"]')).toContainText('Your claim is open, awaiting the regulator', { timeout: 60_000 });
    expect((await ledger.query.gtinClaim(g, DEV.Charlie, { caller: DEV.Charlie })).data).toMatch(/^0x[0-9a-f]{64}$/);
  });

  // The regulator approves it (its own journey does this in the page).
  await send(ledger.tx.approveGtinClaim(g, DEV.Charlie), await dev('//Alice'));

  const form = task(page, 'Commission a lot');
  const lot = randomCode('C');
  await test.step('Charlie commissions ten random serials of a lot', async () => {
    await form.getByLabel('GTIN', { exact: true }).fill(gtin);
    await form.getByLabel('Batch/lot').fill(lot);
    await form.getByLabel('Expiry date').fill(`20${futureExpiry().slice(0, 2)}-12-31`);
    await expect(form.getByText(`AI (17) ${futureExpiry()}`)).toBeVisible();
    await form.getByRole('button', { name: 'Add 10 random serial numbers' }).click();
    await expect(form.getByLabel(/^Serial numbers, one per line \(10\)/)).toBeVisible();
    await form.getByRole('button', { name: 'Check: Commission these packs' }).click();
    await form.getByRole('button', { name: 'Sign and submit: Commission these packs' }).click();
    const codes = form.getByRole('list', { name: 'Commissioned pack codes' }).locator('code');
    await expect(codes).toHaveCount(10, { timeout: 60_000 });
    for (const code of await codes.allTextContents()) {
      const m = /^\(01\)(\d{14})\(17\)(\d{6})\(10\)(.+)\(21\)(.+)$/.exec(code);
      expect(m).not.toBeNull();
      const v = await verifyNow(ledger, { gtin: m![1]!, expiry: m![2]!, lot: m![3]!, serial: m![4]! });
      expect(v).toMatchObject({ verified: true, status: 'Active', custodianRole: 'Manufacturer' });
    }
    await shot('commissioned');
  });

  await test.step('commissioning the same serials again is refused in words, nothing signed', async () => {
    const serialsBefore = await form.getByLabel(/^Serial numbers/).inputValue();
    await form.getByRole('button', { name: 'Check: Commission these packs' }).click();
    await expect(form.locator('[data-refused="commission"]')).toHaveText(/^Refused: Serial at this index repeats an earlier one of the batch or an existing pack\./);
    await expect(form.getByRole('button', { name: 'Sign and submit: Commission these packs' })).toHaveCount(0);
    const first = serialsBefore.split('\n')[0]!;
    expect(await packNow(ledger, { gtin, lot, expiry: futureExpiry(), serial: first })).toMatchObject({ status: 'Active', custodian: DEV.Charlie });
  });

  await axe();
});
