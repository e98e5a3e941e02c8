/**
 * The harness checks itself: a request to another origin and forbidden bytes in a request body
 * or a WebSocket frame must each fail the test that lets them happen (test.fail: these tests
 * pass only when the fixture fails them), and the chain helpers can read and write the chain.
 */
import { test, expect } from './fixtures';

test.describe('the request guard', () => {
  test('fails a test whose page loads from another origin', async ({ page, live }) => {
    test.fail(true, 'the guard must fail this test: localhost is not an allowed origin');
    // The same server under another name is another origin.
    await page.goto(live.appUrl.replace('127.0.0.1', 'localhost'));
  });

  test('fails a test whose page sends forbidden bytes in a request body', async ({ page, forbid, live }) => {
    test.fail(true, 'the guard must fail this test: the bytes went to the audit API');
    await page.goto('/');
    forbid(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), 'the salt');
    await page.evaluate(
      (url) => fetch(`${url}/v1`, { method: 'POST', body: '0x010203040506070809' }).then(() => undefined, () => undefined),
      live.auditUrl,
    );
  });

  test('fails a test whose page sends forbidden bytes over the WebSocket', async ({ page, forbid, live }) => {
    test.fail(true, 'the guard must fail this test: the bytes went to the chain');
    await page.goto('/');
    forbid('the bytes of a record file', 'the file');
    await page.evaluate(
      (url) =>
        new Promise<void>((done) => {
          const ws = new WebSocket(url);
          ws.onopen = () => {
            ws.send(JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'system_name', params: ['the bytes of a record file'] }));
            setTimeout(() => {
              ws.close();
              done();
            }, 300);
          };
          ws.onerror = () => done();
        }),
      live.chainUrl,
    );
  });
});

test('the chain helpers read and write the deployed suite', async ({ contract, dev, send }) => {
  const consents = await contract('consent_registry');
  const owner = await dev('//Alice');
  const custodian = await dev(`//Alice//harness-${Date.now()}`);
  const isCustodian = async () => (await consents.query.isCustodian(custodian.address, { caller: owner.address })).data;
  expect(await isCustodian()).toBe(false);
  await send(consents.tx.setCustodian(custodian.address, true), owner);
  expect(await isCustodian()).toBe(true);
  // Only the owner registers custodians: the contract refuses anyone else, and send says so.
  await expect(send(consents.tx.setCustodian(custodian.address, false), await dev('//Bob'))).rejects.toThrow(
    /transaction failed/,
  );
  await send(consents.tx.setCustodian(custodian.address, false), owner);
  expect(await isCustodian()).toBe(false);
  const none = await consents.query.consentsOf(custodian.address, 0, 10, { caller: custodian.address });
  expect(none.data).toEqual([]);
});
