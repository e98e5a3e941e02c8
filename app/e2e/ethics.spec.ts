/**
 * The ethics approver's journey, as Ferdie: finds a study Charlie registered (from Node) among
 * the recent studies, opens it and approves it with an approval record hashed in the page; is
 * refused approving his own study (the contract's words, nothing signed) and suspends it
 * instead. Checked on the page and on chain.
 */
import { test, expect } from './fixtures';
import { ADDRESSES, CAT, DAY, freshDocument, freshHash } from './patient-helpers';
import { countSubmissions, ensureEthicsApprover, openRole, refuse, sign, sendRetrying } from './role-helpers';

const { Charlie: CHARLIE, Ferdie: FERDIE } = ADDRESSES;

test("Ferdie approves Charlie's study, is refused approving his own, and suspends it", async ({
  page,
  contract,
  dev,
  send,
  chain,
  forbid,
  axe,
  shot,
}) => {
  test.setTimeout(180_000);
  const c = { contract, dev, send, chain };
  await ensureEthicsApprover(c);
  const research = await contract('research_registry');
  const studyOf = async (who: string) => {
    const sent = await sendRetrying(c, () => research.tx.registerStudy(freshHash(), CAT.LAB_RESULTS, BigInt(Date.now() + 180 * DAY)), await dev(who));
    const id = research.events.StudyRegistered.find(sent.events as never)?.data.studyId;
    expect(id).toBeDefined();
    return id ?? 0n;
  };
  const charlies = await studyOf('//Charlie');
  const own = await studyOf('//Ferdie');

  const submissions = countSubmissions(page);
  await openRole(page, 'Ferdie', 'Ethics approver');

  // The recent studies, newest first: both of this run's, proposed.
  const recent = page.getByRole('region', { name: 'Recent studies' });
  const table = recent.getByRole('table', { name: 'Recent studies' });
  const charliesRow = table.locator(`tr[data-study="${charlies}"]`);
  await expect(charliesRow).toContainText('Charlie');
  await expect(charliesRow).toContainText('Lab results');
  await expect(charliesRow).toContainText('proposed: awaiting an ethics approver');
  await expect(table.locator('tbody tr').first()).toHaveAttribute('data-study', own.toString());
  await shot('recent-studies');

  // Open Charlie's study and approve it with an approval record hashed in the page.
  await charliesRow.getByRole('button', { name: `Open study #${charlies}` }).click();
  const decision = page.getByRole('form', { name: 'Approve or suspend a study' });
  await expect(decision.getByLabel('Study number')).toHaveValue(charlies.toString());
  await expect(decision.locator(`dl.facts[data-study="${charlies}"]`)).toContainText('Charlie');
  const approval = freshDocument('ethics-approval.txt');
  forbid(approval.bytes, 'the approval record');
  await decision.getByLabel('Approval record').setInputFiles(approval.file);
  await sign(decision, `Approve study #${charlies}`);
  const approved = (await research.query.study(charlies, { caller: FERDIE })).data;
  expect(approved?.status.type).toBe('Approved');
  if (approved?.status.type === 'Approved') expect(approved.status.value[0].address()).toBe(FERDIE);
  await expect(decision.locator(`dl.facts[data-study="${charlies}"]`)).toContainText('approved by you on');
  await expect(charliesRow).toContainText('approved by you on');
  await expect(charliesRow).toHaveAttribute('data-state', 'approved');
  const signed = submissions();
  await shot('study-approved');

  // His own study: the page warns, the contract refuses in words, nothing is signed.
  await decision.getByLabel('Study number').fill(own.toString());
  await expect(decision.locator(`dl.facts[data-study="${own}"]`)).toContainText('proposed: awaiting an ethics approver');
  await expect(decision).toContainText('This is your own study: another ethics approver must approve it.');
  await decision.getByLabel('Approval record').setInputFiles(freshDocument('own-approval.txt').file);
  await refuse(decision, `Approve study #${own}`, 'The caller would judge its own case (an approver approving its own study).');
  expect(submissions()).toBe(signed);
  expect((await research.query.study(own, { caller: FERDIE })).data?.status.type).toBe('Proposed');
  await shot('own-study-refused');

  // He may suspend it, though (as its researcher, or as an approver).
  await sign(decision, `Suspend study #${own}`);
  expect((await research.query.study(own, { caller: FERDIE })).data?.status.type).toBe('Suspended');
  await expect(decision.locator(`dl.facts[data-study="${own}"]`)).toContainText('suspended by you on');
  await expect(table.locator(`tr[data-study="${own}"]`)).toHaveAttribute('data-state', 'suspended');
  expect((await research.query.study(charlies, { caller: CHARLIE })).data?.status.type).toBe('Approved');
  await shot('own-study-suspended');
  await axe();
});
