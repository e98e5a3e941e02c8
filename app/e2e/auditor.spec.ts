/**
 * The auditor's journey (Bob; anyone may audit): from Node, a fresh patient consents to one
 * kind of data and a fresh custodian records two accesses (one permitted, one refused), and a
 * fresh pack is commissioned and shipped with a transaction statement whose record hash is
 * anchored. In the page the auditor reads the patient's accounting of disclosures (the refused
 * row marked), downloads it as CSV and as a FHIR R5 Bundle (their contents checked), lists the
 * emergency grants (against the API's count), reads the pack's custody history from its code
 * (following the API's next-page links),
 * and finds every anchor of the statement from the file and its salt hashed in the page (which
 * never sends them). Refused: a mistyped pack code asks the API nothing; the API's own refusal
 * and an unreachable API are said in words.
 */
import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures';
import { actAs, commissionLot, DEV, elementString, ensurePartners, freshProduct, hash32, receive, ship, task, withWrongCheckDigit } from './pharma-chain';
import { newSalt, recordHash, saltToHex } from '../src/lib/recordHash';

async function total(url: string): Promise<number> {
  const r = await fetch(url);
  expect(r.status).toBe(200);
  return Number(r.headers.get('X-Total-Count'));
}

test('the auditor reads disclosures (CSV, FHIR), emergency grants, a pack history and a record anchors', async ({
  page,
  contract,
  send,
  dev,
  chain,
  live,
  axe,
  shot,
  forbid,
}) => {
  test.setTimeout(300_000);
  const alice = await dev('//Alice');
  const run = Date.now();

  // A patient and a custodian of this run, funded by Alice.
  const patient = await dev(`//Alice//audit-patient-${run}`);
  const custodian = await dev(`//Alice//audit-custodian-${run}`);
  for (const who of [patient, custodian]) {
    await send(chain.tx.balances.transferKeepAlive(who.address, 1_000_000_000_000_000n), alice);
  }
  const consents = await contract('consent_registry');
  await send(consents.tx.setCustodian(custodian.address, true), alice);
  const now = BigInt(Date.now());
  await send(consents.tx.grantConsent(patient.address, DEV.Charlie, 1 << 4, 1, now - 60_000n, now + 86_400_000n * 30n, hash32()), patient);
  // Lab results for treatment: permitted on the consent; imaging: refused (no consent).
  await send(consents.tx.recordAccess(patient.address, DEV.Charlie, 1 << 4, 'Treatment'), custodian);
  await send(consents.tx.recordAccess(patient.address, DEV.Charlie, 1 << 5, 'Treatment'), custodian);

  // A pack shipped Charlie → Dave with a statement whose record hash is anchored.
  const ledger = await contract('pharma_ledger');
  await ensurePartners(ledger, send, dev);
  const product = await freshProduct(ledger, send, dev);
  const [pack] = await commissionLot(ledger, send, dev, product, 1, 'H');
  const statement = Buffer.from(JSON.stringify({ statement: 'transaction information', from: 'Charlie', to: 'Dave', run }));
  const salt = newSalt();
  const { hash: statementHash } = await recordHash(new Uint8Array(statement), salt);
  const shipment = await ship(ledger, send, dev, 'Charlie', 'Dave', [pack!], statementHash);
  await receive(ledger, send, dev, 'Dave', shipment, [pack!]);
  forbid(statement, 'the statement file');
  forbid(salt, "the statement's salt");

  // The audit index follows the chain: wait until it has this run's events.
  const disclosuresUrl = `${live.auditUrl}/v1/disclosures?patient=${patient.address}`;
  const packUrl = `${live.auditUrl}/v1/packs/${pack!.gtin}/${pack!.serial}`;
  const recordUrl = `${live.auditUrl}/v1/records/${statementHash}`;
  await expect.poll(() => total(disclosuresUrl), { timeout: 60_000 }).toBe(2);
  await expect.poll(() => total(packUrl), { timeout: 60_000 }).toBe(3);
  await expect.poll(() => total(recordUrl), { timeout: 60_000 }).toBeGreaterThan(0);

  await page.goto('/');
  await actAs(page, 'Bob', 'Auditor');

  await test.step("the patient's accounting of disclosures, the refused access marked", async () => {
    const panel = task(page, 'Accounting of disclosures');
    await panel.getByLabel('Patient').fill(patient.address);
    await panel.getByRole('button', { name: 'Show the disclosures' }).click();
    const table = panel.getByRole('table', { name: 'Disclosures' });
    await expect(table.locator('tbody tr')).toHaveCount(2);
    await expect(panel.getByText('Showing 2 of 2 disclosures.')).toBeVisible();
    const refused = table.locator('tr.alert');
    await expect(refused).toHaveCount(1);
    await expect(refused).toContainText('Refused: the access was denied');
    await expect(refused).toContainText('Imaging');
    await expect(refused).toContainText('Treatment (TREAT)');
    const permitted = table.locator('tr[data-decision="permitted"]');
    await expect(permitted).toContainText('Permitted');
    await expect(permitted).toContainText('Lab results');
    await expect(permitted).toContainText('Charlie');
    await shot('disclosures');
  });

  await test.step('download the disclosures as CSV and as a FHIR R5 Bundle', async () => {
    const panel = task(page, 'Accounting of disclosures');
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/^disclosures-.*\.csv$/);
    const csv = readFileSync((await csvDownload.path())!, 'utf8');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('time,block,extrinsic,accessor,custodian,categories,purpose,decision,basis,emergency');
    expect(lines).toHaveLength(4); // header, two rows, and the empty string after the last CRLF
    expect(lines[3]).toBe('');
    const rows = lines.slice(1, 3);
    expect(rows.some((l) => l.includes(',LAB_RESULTS,TREAT,permitted,') && l.includes(DEV.Charlie) && l.includes(custodian.address))).toBe(true);
    expect(rows.some((l) => l.includes(',IMAGING,TREAT,denied,'))).toBe(true);
    await expect(panel.getByText(/^Saved disclosures-.*\.csv: 2 disclosures and a header row\.$/)).toBeVisible();

    const [fhirDownload] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download FHIR R5 Bundle' }).click()]);
    expect(fhirDownload.suggestedFilename()).toMatch(/^disclosures-.*\.fhir\.json$/);
    const bundle = JSON.parse(readFileSync((await fhirDownload.path())!, 'utf8')) as { resourceType: string; total?: number; entry?: unknown[] };
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.entry).toHaveLength(2);
    // The very document the API gives.
    const fromApi = (await (await fetch(`${disclosuresUrl}&format=fhir&limit=10000`)).json()) as { resourceType: string; entry?: unknown[] };
    expect(fromApi.entry).toHaveLength(2);
    await expect(panel.getByText(/FHIR R5 Bundle with 2 entries\.$/)).toBeVisible();
  });

  await test.step('the emergency grants, as many as the API counts', async () => {
    const panel = task(page, 'Emergency access grants');
    await panel.getByLabel('Which grants').selectOption('all');
    await panel.getByRole('button', { name: 'Show the grants' }).click();
    const count = await total(`${live.auditUrl}/v1/emergency?state=all`);
    const shown = Math.min(count, 1000);
    await expect(panel.locator('[data-total]')).toHaveAttribute('data-total', String(count));
    if (count === 0) {
      await expect(panel.getByText('No grants.')).toBeVisible();
    } else {
      await expect(panel.getByRole('table', { name: 'Emergency access grants' }).locator('tbody tr')).toHaveCount(shown);
      // Overdue grants are marked in words and style.
      const overdue = panel.locator('tr[data-overdue="yes"]');
      for (const row of await overdue.all()) {
        await expect(row).toHaveClass(/alert/);
        await expect(row).toContainText('OVERDUE');
      }
    }
  });

  await test.step("the pack's custody history from its code, a page at a time", async () => {
    const panel = task(page, "A pack's custody history");
    // Pages of one row, so the page follows the API's Link rel="next" (the API's default page
    // is 1,000 rows): the first request is asked with limit=1, the API's own links do the rest.
    const packPath = `${live.auditUrl}/v1/packs/${pack!.gtin}/${pack!.serial}`;
    await page.route(`${packPath}*`, (route) =>
      route.continue(route.request().url().includes('limit=') ? {} : { url: `${packPath}?limit=1` }),
    );
    await panel.getByLabel('Pack code').fill(elementString(pack!));
    await panel.getByRole('button', { name: "Show the pack's history" }).click();
    const table = panel.getByRole('table', { name: 'Custody history' });
    await expect(panel.getByText('Showing 1 of 3 events.')).toBeVisible();
    await panel.getByRole('button', { name: 'Load the next page' }).click();
    await expect(panel.getByText('Showing 2 of 3 events.')).toBeVisible();
    await panel.getByRole('button', { name: 'Load the next page' }).click();
    await expect(panel.getByText('Showing 3 of 3 events.')).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Load the next page' })).toHaveCount(0);
    await page.unroute(`${packPath}*`);
    await expect(table.locator('tbody tr')).toHaveCount(3);
    await expect(table.locator('tbody tr').nth(0)).toHaveAttribute('data-event', 'PacksCommissioned');
    await expect(table.locator('tbody tr').nth(1)).toHaveAttribute('data-event', 'PacksShipped');
    await expect(table.locator('tbody tr').nth(2)).toHaveAttribute('data-event', 'PacksReceived');
    await expect(table).toContainText(`shipped to Dave in shipment #${shipment}, statement ${statementHash.slice(0, 8)}…${statementHash.slice(-4)}`);
    await expect(table).toContainText(`shipment #${shipment} from Charlie received`);
    await expect(table.locator('tbody tr').nth(0)).toContainText('Charlie');
    await shot('pack-history');
  });

  await test.step('every anchor of the statement, hashed here from the file and its salt', async () => {
    const panel = task(page, 'Every anchor of a record');
    await panel.getByLabel('Or the record file').setInputFiles({ name: 'statement.json', mimeType: 'application/json', buffer: statement });
    await panel.getByLabel('and its salt').fill(saltToHex(salt));
    await panel.getByRole('button', { name: 'Hash the file here and show its anchors' }).click();
    await expect(panel.locator('[data-record-hash]')).toHaveAttribute('data-record-hash', statementHash);
    const anchors = await total(recordUrl);
    await expect(panel.getByRole('table', { name: 'Anchors of the record' }).locator('tbody tr')).toHaveCount(anchors);
    await expect(panel.getByRole('table', { name: 'Anchors of the record' })).toContainText('Charlie');
    await shot('record-anchors');
  });

  await test.step('refused: a mistyped pack code asks nothing; the API refusing or unreachable is said in words', async () => {
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(`${live.auditUrl}/v1/packs/`)) asked.push(r.url());
    });
    const history = task(page, "A pack's custody history");
    const bad = { ...pack!, gtin: withWrongCheckDigit(pack!.gtin) };
    await history.getByLabel('Pack code').fill(elementString(bad));
    await history.getByRole('button', { name: "Show the pack's history" }).click();
    await expect(history.getByText(new RegExp(`^This code cannot be read: GTIN ${bad.gtin}: check digit is \\d, expected \\d$`))).toBeVisible();
    expect(asked).toEqual([]);

    // The API's own refusal: the request is altered on its way, the API's answer is its own.
    const anchors = task(page, 'Every anchor of a record');
    await page.route(`${live.auditUrl}/v1/records/**`, (route) => route.continue({ url: `${live.auditUrl}/v1/records/0x12` }));
    await anchors.getByLabel('Record hash').fill(statementHash);
    await anchors.getByRole('button', { name: 'Show the anchors of this hash' }).click();
    await expect(anchors.locator('[data-audit-error]')).toHaveText(
      'The audit API refused the question (HTTP 400): `0x12` is not a valid content hash (0x and 64 hex digits)',
    );
    await page.unroute(`${live.auditUrl}/v1/records/**`);

    const grants = task(page, 'Emergency access grants');
    await page.route(`${live.auditUrl}/v1/emergency**`, (route) => route.abort('connectionrefused'));
    await grants.getByRole('button', { name: 'Show the grants' }).click();
    await expect(grants.locator('[data-audit-error]')).toContainText(`The audit API at ${new URL(live.auditUrl).origin} could not be reached`);
    await page.unroute(`${live.auditUrl}/v1/emergency**`);
    await shot('refused');
  });

  await axe();
});
