/**
 * The authority's journey, as Ferdie: sees a grant awaiting review in the queue (opened from
 * Node by a fresh responder another authority registered), reviews it as justified with a
 * review record hashed in the page; registers a fresh responder; suspends Eve, whom he
 * registered, and is refused reinstating her (the contract's words, nothing signed); Alice,
 * another authority, reinstates her. Checked on the page and on chain.
 */
import { randomBytes } from 'node:crypto';
import { test, expect } from './fixtures';
import { ADDRESSES, CAT, freshDocument, freshHash } from './patient-helpers';
import {
  countSubmissions,
  ensureBobAllowsEmergencySummary,
  ensureResponderEve,
  fund,
  openRole,
  refuse,
  sendRetrying,
  sign,
  switchTo,
} from './role-helpers';

const { Bob: BOB, Eve: EVE, Ferdie: FERDIE, Alice: ALICE } = ADDRESSES;

function short(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-6)}`;
}

test('Ferdie reviews a grant, registers a responder, suspends Eve; Alice reinstates her', async ({
  page,
  contract,
  dev,
  send,
  chain,
  forbid,
  axe,
  shot,
}) => {
  test.setTimeout(240_000);
  const c = { contract, dev, send, chain };
  const registrar = await ensureResponderEve(c);
  expect(registrar, 'Eve was registered by Ferdie (the journeys register her so on a fresh chain)').toBe(FERDIE);
  await ensureBobAllowsEmergencySummary(c, CAT.EMERGENCY_SUMMARY);
  const breakGlass = await contract('break_glass');
  const alice = await dev('//Alice');

  // A grant to review: a fresh responder registered by Alice (Ferdie may not review the grants
  // of a responder he registered) breaks the glass for Bob.
  const responder = await dev(`//Alice//authority-journey-responder-${Date.now()}`);
  await fund(c, responder);
  await sendRetrying(c, () => breakGlass.tx.registerResponder(responder.address, freshHash(), freshHash()), alice);
  const broken = await sendRetrying(c, () => breakGlass.tx.breakGlass(BOB, CAT.EMERGENCY_SUMMARY, freshHash()), responder);
  const grantId = breakGlass.events.GlassBroken.find(broken.events as never)?.data.grantId;
  expect(grantId).toBeDefined();
  if (grantId === undefined) return;

  const submissions = countSubmissions(page);
  await openRole(page, 'Ferdie', 'Authority');

  // 1. The queue shows the grant with its deadline (paging on if the queue is long).
  const queue = page.getByRole('region', { name: 'Grants awaiting review' });
  await expect(queue.locator('[data-pending-count]')).toContainText(/\d+ grants? awaits? review/);
  const row = queue.locator(`tr[data-grant="${grantId}"]`);
  for (let i = 0; i < 50 && (await row.count()) === 0; i++) {
    const next = queue.getByRole('button', { name: 'Next 32' });
    if ((await next.count()) === 0 || (await next.isDisabled())) break;
    await next.click();
  }
  await expect(row).toContainText('Bob');
  await expect(row).toContainText(short(responder.address));
  await expect(row).toContainText('Emergency summary');
  await expect(row).toContainText(/review due .* UTC \(in .*\)/);
  await expect(row).not.toContainText('OVERDUE');
  await expect(row).not.toHaveClass(/alert/);
  await shot('review-queue');

  // 2. Review it: justified, with a review record hashed in the page.
  await row.getByRole('button', { name: `Review grant #${grantId}` }).click();
  const review = page.getByRole('form', { name: 'Review a grant' });
  await expect(review.getByLabel('Grant number')).toHaveValue(grantId.toString());
  await expect(review.locator(`dl.facts[data-grant="${grantId}"]`)).toContainText('awaiting review');
  const reviewRecord = freshDocument('review-record.txt');
  forbid(reviewRecord.bytes, 'the review record');
  await review.getByLabel('Yes, justified').check();
  await review.getByLabel('Review record').setInputFiles(reviewRecord.file);
  await sign(review, 'Record the review');
  const reviewed = (await breakGlass.query.grant(grantId, { caller: FERDIE })).data;
  expect(reviewed?.review).toBe('Justified');
  expect(reviewed?.reviewer?.address()).toBe(FERDIE);
  await expect(review.locator(`dl.facts[data-grant="${grantId}"]`)).toContainText('reviewed: justified');
  await expect(queue.locator(`tr[data-grant="${grantId}"]`)).toHaveCount(0);
  const signed = submissions();

  // 3. Register a fresh responder with its credential and organisation records.
  const newcomer = (await dev(`//Alice//registered-by-ferdie-${randomBytes(6).toString('hex')}`)).address;
  const register = page.getByRole('form', { name: 'Register a responder' });
  const credential = freshDocument('credential.txt');
  const organisation = freshDocument('organisation.txt');
  forbid(credential.bytes, 'the credential record');
  forbid(organisation.bytes, 'the organisation record');
  await register.getByLabel('Responder').fill(newcomer);
  await register.getByLabel('Credential record').setInputFiles(credential.file);
  await register.getByLabel('Organisation record').setInputFiles(organisation.file);
  await sign(register, 'Register the responder');
  const registered = (await breakGlass.query.responder(newcomer, { caller: FERDIE })).data;
  expect(registered?.registeredBy.address()).toBe(FERDIE);
  expect(registered?.status).toBe('Active');
  await shot('responder-registered');

  // 4. Suspend Eve.
  const standing = page.getByRole('region', { name: 'Suspend or reinstate a responder' });
  await standing.getByLabel('Responder to look up').fill('Eve');
  await expect(standing.locator('dl.facts')).toContainText(/active, \d+ of \d+ strikes/);
  await sign(standing, 'Suspend Eve', standing.getByRole('status').filter({ hasText: 'Eve is suspended' }));
  expect((await breakGlass.query.responder(EVE, { caller: FERDIE })).data?.status).toBe('Suspended');
  await expect(standing.locator('dl.facts')).toContainText('suspended by an authority');
  expect(submissions()).toBe(signed + 2);

  // Refused: Ferdie registered Eve, so he may not reinstate her. In words; nothing signed.
  await expect(standing).toContainText('You registered Eve: another authority must reinstate it.');
  await refuse(standing, 'Reinstate Eve', 'The authority that registered a responder (or the responder itself) may not review its grants or reinstate it.');
  expect(submissions()).toBe(signed + 2);
  expect((await breakGlass.query.responder(EVE, { caller: FERDIE })).data?.status).toBe('Suspended');
  await shot('reinstate-refused');
  await axe();

  // 5. Alice, another authority, reinstates her.
  await switchTo(page, 'Alice', 'Authority');
  const aliceStanding = page.getByRole('region', { name: 'Suspend or reinstate a responder' });
  await aliceStanding.getByLabel('Responder to look up').fill('Eve');
  await sign(aliceStanding, 'Reinstate Eve', aliceStanding.getByRole('status').filter({ hasText: 'Eve is reinstated' }));
  const eve = (await breakGlass.query.responder(EVE, { caller: ALICE })).data;
  expect(eve?.status).toBe('Active');
  expect(eve?.lastReinstatement?.by.address()).toBe(ALICE);
  await expect(aliceStanding.locator('dl.facts')).toContainText(/Last reinstated.* UTC by you/);
  await expect(aliceStanding.locator('dl.facts')).toContainText(/active, 0 of \d+ strikes/);
  await shot('reinstated');
});
