/**
 * The researcher's journey, as Charlie: registers a study with a protocol hashed in the page;
 * is refused asking patients before it is approved (the contract's words, nothing signed); once
 * Ferdie approved it (from Node), asks Bob and Dave in one batch from a pasted list (a bad line
 * is named first), follows their answers (pending) and withdraws the request to Dave (cooling
 * down). The list of patients asked stays in the browser tab. Checked on the page and on chain.
 */
import { test, expect } from './fixtures';
import { ADDRESSES, freshDocument, freshHash } from './patient-helpers';
import { countSubmissions, ensureEthicsApprover, openRole, refuse, sign, sendRetrying } from './role-helpers';

const { Bob: BOB, Charlie: CHARLIE, Dave: DAVE } = ADDRESSES;

test('Charlie registers a study, asks Bob and Dave in one batch once approved, and withdraws one request', async ({
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
  await ensureEthicsApprover(c);
  const research = await contract('research_registry');
  const charlie = await dev('//Charlie');
  // What earlier runs may have left: Charlie blocked by, or holding his whole share of, Bob's or
  // Dave's inbox (the policy lets one researcher hold a few pending requests per patient).
  const share = (await research.query.researchPolicy({ caller: CHARLIE })).data.maxPendingPerResearcher;
  for (const [uri, patient] of [['//Bob', BOB], ['//Dave', DAVE]] as const) {
    if ((await research.query.isBlocked(patient, CHARLIE, { caller: CHARLIE })).data) {
      await sendRetrying(c, () => research.tx.unblockResearcher(patient, CHARLIE), await dev(uri));
    }
    const mine = (await research.query.pendingRequestsOf(patient, 0, 32, { caller: CHARLIE })).data.filter(
      (r) => r.researcher.address() === CHARLIE,
    );
    for (const r of mine.slice(0, Math.max(0, mine.length - share + 1))) await sendRetrying(c, () => research.tx.withdrawRequest(r.studyId, patient), charlie);
  }

  const submissions = countSubmissions(page);
  await openRole(page, 'Charlie', 'Researcher');

  // 1. Register a study: the protocol is hashed in the page.
  const protocol = freshDocument('study-protocol.txt');
  forbid(protocol.bytes, 'the study protocol');
  const register = page.getByRole('form', { name: 'Register a study' });
  await register.getByLabel('Study protocol').setInputFiles(protocol.file);
  await register.getByLabel('Lab results').check();
  await register.getByLabel('Immunizations').check();
  await sign(register, 'Register the study');
  const registered = register.locator('[data-registered]');
  await expect(registered).toContainText('An ethics approver must approve it before you can ask patients.');
  const studyId = BigInt((await registered.getAttribute('data-registered')) ?? '0');
  const study = (await research.query.study(studyId, { caller: CHARLIE })).data;
  expect(study?.researcher.address()).toBe(CHARLIE);
  expect(study?.categories).toBe((1 << 4) | (1 << 6));
  expect(study?.status.type).toBe('Proposed');
  const mine = page.getByRole('table', { name: 'Your studies' });
  await expect(mine.locator(`tr[data-study="${studyId}"]`)).toContainText('proposed: awaiting an ethics approver');
  await expect(mine.locator(`tr[data-study="${studyId}"]`)).toContainText('Lab results, Immunizations');
  await shot('study-registered');

  // 2. The list is checked line by line; then, unapproved, the chain refuses — nothing signed.
  const ask = page.getByRole('form', { name: 'Request access' });
  await expect(ask).toContainText('At most 16 patients at once, all or nothing');
  await ask.getByLabel('Study', { exact: true }).selectOption(studyId.toString());
  await expect(ask).toContainText(`Study #${studyId} is not approved: the chain will refuse to ask patients for it.`);
  const list = ask.getByLabel('Patients, one account a line');
  await list.fill('Bob\nnot-an-account\nCharlie');
  const problems = ask.getByRole('list', { name: 'Problems with the list' });
  await expect(problems).toContainText('Line 2: “not-an-account” is not an account address');
  await expect(problems).toContainText('Line 3: that is you: a study cannot ask its own researcher');
  await list.fill(`Bob\n${DAVE}\n`);
  await expect(ask).toContainText('2 patients: Bob, Dave');
  const signed = submissions();
  await refuse(ask, 'Ask these 2 patients', 'The study has no ethics approval in force (proposed or suspended).');
  expect(submissions()).toBe(signed);
  expect((await research.query.request(BOB, studyId, { caller: CHARLIE })).data).toBeUndefined();
  await shot('request-refused-unapproved');

  // 3. Ferdie approves the study (from Node); Charlie reloads and asks both in one batch.
  await sendRetrying(c, () => research.tx.approveStudy(studyId, freshHash()), await dev('//Ferdie'));
  await openRole(page, 'Charlie', 'Researcher');
  await expect(mine.locator(`tr[data-study="${studyId}"]`)).toContainText('approved by Ferdie on');
  await ask.getByLabel('Study', { exact: true }).selectOption(studyId.toString());
  await list.fill('Bob\nDave');
  await sign(ask, 'Ask these 2 patients');
  for (const patient of [BOB, DAVE]) {
    const r = (await research.query.request(patient, studyId, { caller: CHARLIE })).data;
    expect(r?.researcher.address()).toBe(CHARLIE);
    expect(r?.expiresAt).toBeGreaterThan(BigInt(Date.now()));
  }

  // 4. Follow the answers: both pending.
  const follow = page.getByRole('region', { name: 'Follow the answers' });
  const bobRow = follow.locator(`tr[data-study="${studyId}"][data-patient="${BOB}"]`);
  const daveRow = follow.locator(`tr[data-study="${studyId}"][data-patient="${DAVE}"]`);
  for (const row of [bobRow, daveRow]) {
    await expect(row).toHaveAttribute('data-state', 'pending');
    await expect(row).toContainText("pending: awaiting the patient's answer until");
  }
  await shot('requests-pending');

  // The list survives a reload of the tab (it is kept in this tab, not on chain).
  await openRole(page, 'Charlie', 'Researcher');
  await expect(daveRow).toHaveAttribute('data-state', 'pending');

  // 5. Withdraw the request to Dave: the study cools down for him.
  await sign(daveRow, 'Withdraw the request to Dave', follow.getByRole('status').filter({ hasText: `The request of study #${studyId} to Dave is withdrawn` }));
  await expect(daveRow).toHaveAttribute('data-state', 'cooling-down');
  await expect(daveRow).toContainText('no answer yes (denied, withdrawn or lapsed): this study may not ask again before');
  await expect(bobRow).toHaveAttribute('data-state', 'pending');
  expect((await research.query.request(DAVE, studyId, { caller: CHARLIE })).data).toBeUndefined();
  expect((await research.query.cooldownUntil(DAVE, studyId, { caller: CHARLIE })).data).toBeGreaterThan(BigInt(Date.now()));
  expect((await research.query.request(BOB, studyId, { caller: CHARLIE })).data).toBeDefined();
  await shot('request-withdrawn');
  await axe();
});
