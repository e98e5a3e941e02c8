/**
 * The custodian's journey, as Dave (a registered custodian): asks whether an access would be
 * permitted (refused: no consent, in words), records it (audited although refused), anchors a
 * record file hashed in the page (its bytes and salt never leave the page; a record about Bob
 * without his consent is refused first, nothing signed), verifies the same file with its salt
 * (the anchor) and a changed file (no anchor), and retracts the anchor as entered in error.
 * Every step is checked on the page and on chain (contracts and the audit API).
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { test, expect } from './fixtures';
import { ADDRESSES, freshDocument } from './patient-helpers';
import { countSubmissions, ensureCustodian, openRole, refuse, sign } from './role-helpers';
import { recordHash } from '../src/lib/recordHash';

const { Bob: BOB, Charlie: CHARLIE, Dave: DAVE } = ADDRESSES;
const GENOMICS = 1 << 11;

interface Disclosure {
  accessor: string;
  custodian: string;
  categories: string;
  purpose: string;
  decision: string;
  basis: string;
}

test('Dave checks and records an access, anchors a record hashed in the page, verifies it and retracts it', async ({
  page,
  live,
  contract,
  dev,
  send,
  chain,
  forbid,
  axe,
  shot,
}) => {
  test.setTimeout(240_000);
  await ensureCustodian({ contract, dev, send, chain });
  const registry = await contract('consent_registry');
  const anchors = await contract('record_anchor');
  const submissions = countSubmissions(page);

  // What the chain decides for Charlie reading Bob's genomics for payment: no consent.
  const decided = (await registry.query.consentCheckCheckAccess(BOB, CHARLIE, GENOMICS, 'Payment', { caller: DAVE })).data;
  expect(decided).toEqual({ type: 'Denied', value: { type: 'NoConsent' } });

  await openRole(page, 'Dave', 'Custodian');

  // 1. Check access: a read, nothing signed.
  const check = page.getByRole('form', { name: 'Check access' });
  await check.getByLabel('Patient').fill('Bob');
  await check.getByLabel('Who wants to read (the accessor)').fill('Charlie');
  await check.getByLabel('Genomics').check();
  await check.getByLabel('For which purpose').selectOption('Payment');
  await check.getByRole('button', { name: 'Check access' }).click();
  const answer = check.getByRole('status');
  await expect(answer).toContainText('Refused: no consent in force covers every requested kind of data for this purpose.');
  await expect(answer).toContainText("Asked: Charlie reading Bob's Genomics for payment");
  await expect(answer).toContainText('Do not serve the data.');
  expect(submissions()).toBe(0);
  await shot('check-access-refused');

  // 2. Record the same access: it goes through although refused, and the refusal is audited.
  const disclosures = async (): Promise<Disclosure[]> => {
    const r = await fetch(`${live.auditUrl}/v1/disclosures?patient=${BOB}&limit=10000`);
    expect(r.ok).toBe(true);
    return (await r.json()) as Disclosure[];
  };
  const ours = (rows: Disclosure[]) =>
    rows.filter((d) => d.custodian === DAVE && d.accessor === CHARLIE && d.categories === 'GENOMICS' && d.purpose === 'HPAYMT');
  const before = ours(await disclosures()).length;
  const record = page.getByRole('form', { name: 'Record an access' });
  await expect(record).toContainText('the call goes through whether the access is permitted or refused');
  await record.getByLabel('Patient').fill('Bob');
  await record.getByLabel('Who wants to read (the accessor)').fill('Charlie');
  await record.getByLabel('Genomics').check();
  await record.getByLabel('For which purpose').selectOption('Payment');
  await sign(record, 'Record this access');
  const recorded = record.getByRole('status').filter({ hasText: 'The decision the chain recorded' });
  await expect(recorded).toContainText('Refused: no consent in force covers every requested kind of data for this purpose.');
  await expect(recorded).toContainText("Recorded on chain: Charlie reading Bob's Genomics for payment");
  await expect(record.getByRole('list', { name: 'What the chain recorded' })).toContainText('Access recorded');
  expect(submissions()).toBe(1);
  // The audit index follows finalized blocks: the refused access is in Bob's accounting.
  await expect
    .poll(async () => ours(await disclosures()).length, { timeout: 40_000, message: 'the recorded access in the audit API' })
    .toBe(before + 1);
  const row = ours(await disclosures()).pop();
  expect(row).toMatchObject({ decision: 'denied', basis: 'no consent' });
  await shot('access-recorded');

  // 3. Anchor a generated record file. Its bytes and its salt must never leave the page.
  const file = freshDocument(`record-${randomBytes(4).toString('hex')}.txt`);
  forbid(file.bytes, 'the record file');
  const anchor = page.getByRole('form', { name: 'Anchor a record' });
  await anchor.getByLabel('Record file').setInputFiles(file.file);
  const saltLink = anchor.getByRole('link', { name: 'Download its salt' });
  await expect(saltLink).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), saltLink.click()]);
  // Read at once: other runs may clear Playwright's artifacts folder.
  const saltFile = { name: download.suggestedFilename(), mimeType: 'text/plain', buffer: readFileSync(await download.path()) };
  expect(saltFile.name).toBe(`${file.file.name}.salt.txt`);
  const saltText = saltFile.buffer.toString('utf8').trim();
  expect(saltText).toMatch(/^0x[0-9a-f]{64}$/);
  const salt = Buffer.from(saltText.slice(2), 'hex');
  forbid(salt, 'the salt');
  forbid(saltText, 'the salt as text');
  const hash = (await anchor.locator('[data-hash]').getAttribute('data-hash')) ?? '';
  // The page's hash is the record hash of the file under that salt (docs/record-hash.md).
  expect(hash).toBe((await recordHash(new Uint8Array(file.bytes), new Uint8Array(salt))).hash);

  // Refused first: a record about Bob, who gave Dave no consent. The contract's words, nothing signed.
  await anchor.getByLabel('Patient the record is about (leave empty for a record about no patient)').fill('Bob');
  await anchor.getByLabel('Category of the record').selectOption({ label: 'Lab results' });
  await refuse(anchor, 'Anchor this record', "consent_registry answered that the caller may not handle this patient's data.");
  expect(submissions()).toBe(1);
  expect((await anchors.query.verify(DAVE, undefined, hash as `0x${string}`, { caller: DAVE })).data).toBeUndefined();
  await shot('anchor-refused-no-consent');

  // A record about no patient, no category.
  await anchor.getByLabel('Patient the record is about (leave empty for a record about no patient)').fill('');
  await anchor.getByLabel('Category of the record').selectOption({ label: 'No category (only for a record about no patient)' });
  await sign(anchor, 'Anchor this record');
  const anchored = anchor.locator('[data-anchored]');
  await expect(anchored).toContainText(`${file.file.name} is anchored as anchor #`);
  const anchorId = BigInt((await anchored.getAttribute('data-anchored')) ?? '0');
  const onChain = (await anchors.query.verify(DAVE, undefined, hash as `0x${string}`, { caller: DAVE })).data;
  expect(onChain?.id).toBe(anchorId);
  expect(onChain?.issuer.address()).toBe(DAVE);
  expect(onChain?.patient).toBeUndefined();
  expect(onChain?.status).toBe('Current');
  await shot('record-anchored');

  // 4. Verify the same file with its salt file: the anchor.
  const verify = page.getByRole('form', { name: 'Verify a file against its anchor' });
  await verify.getByLabel('Record file to verify').setInputFiles(file.file);
  await verify.getByLabel('or load the salt file (.salt.txt)').setInputFiles(saltFile);
  await expect(verify.getByLabel('Its salt (0x followed by 64 hex digits)')).toHaveValue(saltText);
  await verify.getByRole('button', { name: 'Verify the file' }).click();
  const verdict = verify.getByRole('status');
  await expect(verdict).toContainText(`The file matches anchor #${anchorId} by you`);
  await expect(verdict.locator('dl.facts')).toContainText('none (a record about no patient)');
  await expect(verdict.locator('dl.facts')).toContainText('current: the latest version of this record');
  await shot('file-verified');

  // A changed file (one byte): no anchor.
  const changed = Buffer.from(file.bytes);
  changed[0] = changed[0] === 0x41 ? 0x42 : 0x41;
  forbid(changed, 'the changed file');
  await verify.getByLabel('Record file to verify').setInputFiles({ ...file.file, buffer: changed });
  await verify.getByRole('button', { name: 'Verify the file' }).click();
  await expect(verdict).toContainText('No anchor of this record by you');

  // 5. Retract the anchor (entered in error) with a reason document hashed in the page.
  const reason = freshDocument('why-the-record-was-wrong.txt');
  forbid(reason.bytes, 'the reason document');
  const retract = page.getByRole('form', { name: 'Mark an anchor entered in error' });
  await retract.getByLabel('Anchor number').fill(anchorId.toString());
  await expect(retract.locator(`dl.facts[data-anchor="${anchorId}"]`)).toContainText('current');
  await retract.getByLabel('Reason document').setInputFiles(reason.file);
  await sign(retract, 'Mark entered in error');
  expect((await anchors.query.anchor(anchorId, { caller: DAVE })).data?.status).toBe('EnteredInError');
  await expect(retract.locator(`dl.facts[data-anchor="${anchorId}"]`)).toContainText('entered in error: retracted by its issuer');
  // The same file now verifies as retracted.
  await verify.getByLabel('Record file to verify').setInputFiles(file.file);
  await verify.getByRole('button', { name: 'Verify the file' }).click();
  await expect(verdict.locator('dl.facts')).toContainText('entered in error: retracted by its issuer');
  await shot('anchor-retracted');
  await axe();
});
