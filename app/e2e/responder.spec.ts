/**
 * The responder's journey, as Eve (registered by an authority): while suspended she sees why and
 * her break-the-glass is refused in the contract's words, nothing signed; reinstated, she breaks
 * the glass for Bob (his preferences permitting) with a justification document hashed in the
 * page, sees the grant among her open grants and ends it. Checked on the page and on chain.
 */
import { test, expect } from './fixtures';
import { ADDRESSES, CAT, freshDocument } from './patient-helpers';
import { durationText } from '../src/lib/emergency';
import {
  countSubmissions,
  endEvesOpenGrants,
  ensureBobAllowsEmergencySummary,
  ensureResponderEve,
  openRole,
  refuse,
  sign,
  sendRetrying,
} from './role-helpers';

const { Bob: BOB, Eve: EVE } = ADDRESSES;
const DAY = 86_400_000n;

test('Eve, suspended, is refused; reinstated, she breaks the glass for Bob and ends the grant', async ({
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
  await endEvesOpenGrants(c);
  await ensureBobAllowsEmergencySummary(c, CAT.EMERGENCY_SUMMARY);
  const breakGlass = await contract('break_glass');
  const registry = await contract('consent_registry');
  const alice = await dev('//Alice');
  const ferdie = await dev('//Ferdie');
  // Runs on a long-lived chain may have used Eve's daily allowance: widen it (the owner may, up to 32).
  const policy = (await breakGlass.query.policy({ caller: EVE })).data;
  const recent = ((await breakGlass.query.responder(EVE, { caller: EVE })).data?.recentBreaks ?? []).filter(
    (t) => t + DAY > BigInt(Date.now()),
  );
  if (recent.length >= policy.maxGrantsPerDay) {
    expect(policy.maxGrantsPerDay, "Eve used the contract's ceiling of 32 grants in 24 hours").toBeLessThan(32);
    await sendRetrying(c, () => breakGlass.tx.setPolicy({ ...policy, maxGrantsPerDay: Math.min(32, recent.length + 5) }), alice);
  }

  // Suspended by an authority: Eve sees why, and her break-the-glass is refused.
  await sendRetrying(c, () => breakGlass.tx.suspendResponder(EVE), ferdie);
  const submissions = countSubmissions(page);
  await openRole(page, 'Eve', 'Responder (suspended)');
  const record = page.getByRole('region', { name: 'Your registration' });
  await expect(record.getByRole('note', { name: 'Suspended' })).toContainText('You are suspended. An authority suspended you');
  await expect(record.getByRole('note', { name: 'Suspended' })).toContainText('you cannot break the glass');
  await expect(record.locator('dl.facts')).toContainText('suspended by an authority');
  const justification = freshDocument('justification-eve-bob.txt');
  forbid(justification.bytes, 'the justification document');
  const form = page.getByRole('form', { name: 'Break the glass' });
  await expect(form).toContainText('You are suspended: the chain will refuse to open a grant.');
  await form.getByLabel('Patient').fill('Bob');
  await form.getByLabel('Emergency summary').check();
  await form.getByLabel('Justification document').setInputFiles(justification.file);
  await refuse(form, 'Break the glass', 'The responder is suspended.');
  expect(submissions()).toBe(0);
  const stillSuspended = (await breakGlass.query.responder(EVE, { caller: EVE })).data;
  expect(stillSuspended?.status).toBe('Suspended');
  expect(stillSuspended?.openGrants).toEqual([]);
  await shot('suspended-refused');
  await axe();

  // Reinstated by an authority that did not register her.
  await sendRetrying(c, () => breakGlass.tx.reinstateResponder(EVE), registrar === ADDRESSES.Alice ? ferdie : alice);
  await openRole(page, 'Eve', 'Responder');
  await expect(page.getByRole('note', { name: 'Suspended' })).toHaveCount(0);
  const glass = page.getByRole('form', { name: 'Break the glass' });
  const now = (await breakGlass.query.policy({ caller: EVE })).data;
  await expect(glass).toContainText(
    `A grant lasts ${durationText(now.grantDuration)} unless ended earlier, and an authority must review it within ${durationText(now.reviewWindow)}.`,
  );
  await glass.getByLabel('Patient').fill('Bob');
  await expect(glass.locator('[data-preferences]')).toContainText('Bob lets break-the-glass open:');
  await expect(glass.locator('[data-preferences]')).toContainText('Emergency summary');
  await glass.getByLabel('Emergency summary').check();
  await glass.getByLabel('Justification document').setInputFiles(justification.file);
  await sign(glass, 'Break the glass');
  const opened = glass.locator('[data-opened]');
  await expect(opened).toContainText(/Grant #\d+ is open until .* UTC; an authority will review it by .* UTC\./);
  const grantId = BigInt((await opened.getAttribute('data-opened')) ?? '0');
  const grant = (await breakGlass.query.grant(grantId, { caller: EVE })).data;
  expect(grant?.patient.address()).toBe(BOB);
  expect(grant?.responder.address()).toBe(EVE);
  expect(grant?.categories).toBe(CAT.EMERGENCY_SUMMARY);
  expect(grant?.review).toBe('Pending');
  expect(grant?.endedAt).toBeUndefined();
  // The consent registry now permits Eve's emergency access to Bob's summary on that grant.
  expect((await registry.query.consentCheckCheckAccess(BOB, EVE, CAT.EMERGENCY_SUMMARY, 'EmergencyTreatment', { caller: EVE })).data).toEqual({
    type: 'PermittedByEmergencyGrant',
    value: grantId,
  });

  // Her open grants list it; she ends it.
  const grants = page.getByRole('region', { name: 'Your open grants' });
  const row = grants.locator(`tr[data-grant="${grantId}"]`);
  await expect(row).toContainText('Bob');
  await expect(row).toContainText('Emergency summary');
  await expect(row).toContainText('open until');
  await expect(row).toContainText('awaiting review, review due');
  await shot('grant-open');
  await axe();
  await sign(row, `End grant #${grantId}`, grants.locator(`[data-ended="${grantId}"]`));
  await expect(grants.getByRole('status')).toContainText(`Grant #${grantId} is ended: the patient's data is closed to you again.`);
  await expect(grants.locator(`tr[data-grant="${grantId}"]`)).toHaveCount(0);
  expect((await breakGlass.query.grant(grantId, { caller: EVE })).data?.endedAt).toBeDefined();
  expect((await registry.query.consentCheckCheckAccess(BOB, EVE, CAT.EMERGENCY_SUMMARY, 'EmergencyTreatment', { caller: EVE })).data).toEqual({
    type: 'Denied',
    value: { type: 'NoEmergencyGrant' },
  });
  await shot('grant-ended');
});
