/**
 * The delegate's journey: Bob appoints Eve; Eve, acting for Bob, grants Charlie a consent for
 * him (after the contract refused one naming herself); Bob sees it; Bob removes Eve, and the
 * consent she granted is revoked with her — all read back from the chain.
 */
import type { Contract } from 'dedot/contracts';
import { test, expect } from './fixtures';
import type { ConsentRegistryContractApi } from '../src/contracts';
import { ADDRESSES, CAT, DAY, act, chooseAccount, freshDocument, localDateTime, openAs, refused } from './patient-helpers';

const BOB = ADDRESSES.Bob;
const EVE = ADDRESSES.Eve;

async function consentsOfBob(registry: Contract<ConsentRegistryContractApi>) {
  const all = [];
  for (let offset = 0; ; offset += 32) {
    const page = (await registry.query.consentsOf(BOB, offset, 32, { caller: BOB })).data;
    all.push(...page);
    if (page.length < 32) return all;
  }
}

test('Bob appoints Eve; Eve acts for Bob and grants a consent; Bob removes Eve and her consent is revoked', async ({
  page,
  contract,
  dev,
  send,
  forbid,
  axe,
  shot,
}) => {
  test.setTimeout(240_000);
  const registry = await contract('consent_registry');
  const delegatesOfBob = async () => (await registry.query.delegatesOf(BOB, 0, 32, { caller: BOB })).data;
  // An earlier run that stopped half-way may have left Eve appointed: start without her.
  if ((await delegatesOfBob()).some((d) => d.delegate.address() === EVE)) {
    await send(registry.tx.removeDelegate(EVE), await dev('//Bob'));
  }

  // Eve is nobody's delegate yet: the page says so in words and acts for no one.
  await openAs(page, 'Eve');
  const actFor = page.getByRole('form', { name: 'Acting as a delegate' });
  await actFor.getByLabel('Act for a patient').fill('Bob');
  await actFor.getByRole('button', { name: 'Act for this patient' }).click();
  await expect(actFor.getByRole('status')).toContainText('You are not a delegate of Bob in force');
  await expect(page.getByRole('region', { name: 'Acting for Bob' })).toHaveCount(0);

  // Bob appoints Eve for about two years.
  await chooseAccount(page, 'Bob');
  const appoint = page.getByRole('form', { name: 'Appoint a delegate' });
  await appoint.getByLabel('Delegate', { exact: true }).fill('Eve');
  await appoint.getByLabel('Appointed until').fill(localDateTime(730 * DAY));
  await act(appoint, 'Appoint delegate');
  const appointed = (await delegatesOfBob()).find((d) => d.delegate.address() === EVE);
  expect(appointed).toBeDefined();
  expect(Number(appointed?.expiresAt)).toBeGreaterThan(Date.now() + 729 * DAY);
  const delegates = page.getByRole('table', { name: 'Delegates' });
  await expect(delegates.locator(`tr[data-delegate="${EVE}"]`)).toContainText('in force');
  await shot('eve-appointed');

  // Eve acts for Bob.
  await chooseAccount(page, 'Eve');
  await page.getByRole('form', { name: 'Acting as a delegate' }).getByLabel('Act for a patient').fill('Bob');
  await page.getByRole('button', { name: 'Act for this patient' }).click();
  const acting = page.getByRole('region', { name: 'Acting for Bob' });
  await expect(acting.getByRole('status')).toContainText(/You are acting for Bob as their delegate until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  // Appointing delegates and emergency preferences stay Bob's own.
  await expect(page.getByRole('region', { name: 'Delegates', exact: true })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Emergency access (break-glass)' })).toHaveCount(0);
  await axe();

  // Refused by the contract: a delegate cannot consent to her own access. Nothing is signed.
  const before = await consentsOfBob(registry);
  const grant = page.getByRole('form', { name: 'Grant a consent' });
  const form = freshDocument('consent-form-by-eve.txt');
  forbid(form.bytes, 'the consent form');
  await grant.getByLabel('Lab results').check();
  await grant.getByLabel('Signed consent form').setInputFiles(form.file);
  const hash = (await grant.locator('[data-hash]').getAttribute('data-hash')) ?? '';
  expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
  await grant.getByLabel('Who may read').fill('Eve');
  await refused(grant, 'Grant consent', 'A consent or delegation naming the patient (or the delegate granting) as its own grantee.');
  expect((await consentsOfBob(registry)).length).toBe(before.length);

  // Granted to Charlie, for Bob.
  await grant.getByLabel('Who may read').fill('Charlie');
  await act(grant, 'Grant consent');
  const granted = (await consentsOfBob(registry)).find((c) => c.documentHash === hash);
  expect(granted).toBeDefined();
  if (!granted) return;
  expect(granted.patient.address()).toBe(BOB);
  expect(granted.accessor.address()).toBe(ADDRESSES.Charlie);
  expect(granted.grantedBy.address()).toBe(EVE);
  expect(granted.categories).toBe(CAT.LAB_RESULTS);
  await expect(page.getByRole('table', { name: 'Consents' }).locator(`tr[data-consent="${granted.id}"]`)).toContainText('in force');
  await shot('eve-granted-for-bob');

  // Bob sees it, then removes Eve.
  await chooseAccount(page, 'Bob');
  const row = page.getByRole('table', { name: 'Consents' }).locator(`tr[data-consent="${granted.id}"]`);
  await expect(row).toContainText('Charlie');
  await expect(row).toContainText('in force');
  const eveRow = page.getByRole('table', { name: 'Delegates' }).locator(`tr[data-delegate="${EVE}"]`);
  await expect(page.getByRole('region', { name: 'Delegates', exact: true })).toContainText('Removing a delegate also revokes every consent they granted');
  await act(eveRow, 'Remove delegate Eve', { leaves: true });
  await expect(
    page
      .getByRole('region', { name: 'Delegates', exact: true })
      .getByRole('status')
      .filter({ hasText: 'Eve is no longer your delegate, and the consents they granted for you are revoked' }),
  ).toHaveCount(1);
  expect((await delegatesOfBob()).some((d) => d.delegate.address() === EVE)).toBe(false);
  const revoked = (await registry.query.consent(granted.id, { caller: BOB })).data;
  expect(revoked?.revokedAt, 'the consent Eve granted is revoked with her').toBeDefined();
  await expect(row).toContainText('revoked');
  await expect(page.getByRole('table', { name: 'Delegates' }).locator(`tr[data-delegate="${EVE}"]`)).toHaveCount(0);
  await shot('eve-removed');

  // Eve, still on the page as Bob's delegate, is told she no longer is.
  await chooseAccount(page, 'Eve');
  await page.getByRole('form', { name: 'Acting as a delegate' }).getByLabel('Act for a patient').fill('Bob');
  await page.getByRole('button', { name: 'Act for this patient' }).click();
  await expect(page.getByRole('form', { name: 'Acting as a delegate' }).getByRole('status')).toContainText('You are not a delegate of Bob in force');
});
