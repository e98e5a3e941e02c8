import { test, expect } from './fixtures';
test('debug: what the page connects to', async ({ page, watch }) => {
  await page.goto('/');
  await expect(page.getByText('Loading the deployment…')).toHaveCount(0, { timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(3000);
  console.log(JSON.stringify(watch.seen, null, 1));
});
test('guard: a stray origin fails the test', async ({ page }) => {

  await page.goto('http://localhost:5180/');
});
test('guard: forbidden bytes in a body fail the test', async ({ page, forbid, live }) => {

  await page.goto('/');
  forbid(new Uint8Array([1,2,3,4,5,6,7,8,9]), 'the salt');
  await page.evaluate((u) => fetch(u + '/v1', { method: 'POST', body: '0x010203040506070809' }).catch(() => {}), live.auditUrl);
});
test('guard: forbidden bytes in a ws frame fail the test', async ({ page, forbid, live }) => {

  await page.goto('/');
  forbid('secret-file-bytes', 'the file');
  await page.evaluate((u) => new Promise<void>((res) => { const ws = new WebSocket(u); ws.onopen = () => { ws.send(JSON.stringify({id:1,jsonrpc:'2.0',method:'system_name',params:['secret-file-bytes']})); setTimeout(res, 500); }; ws.onerror = () => res(); }), live.chainUrl);
});
test('chain helpers', async ({ contract, dev, send }) => {
  const c = await contract('consent_registry');
  const alice = await dev('//Alice');
  const charlie = await dev('//Charlie');
  expect((await c.query.isCustodian(charlie.address, { caller: alice.address })).data).toBe(false);
  await send(c.tx.setCustodian(charlie.address, true), alice);
  expect((await c.query.isCustodian(charlie.address, { caller: alice.address })).data).toBe(true);
  await expect(send(c.tx.setCustodian(charlie.address, false), charlie)).rejects.toThrow(/failed/);
  const r = await c.query.consentsOf(alice.address, 0, 10, { caller: alice.address });
  expect(r.data).toEqual([]);
});
