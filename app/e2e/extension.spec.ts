/**
 * A wallet extension through typink's connectors: an injected Polkadot{.js}-style extension is
 * offered, connected, and its account becomes the account the page acts as. (Signing through a
 * real extension needs the extension itself; the development-account journeys sign.)
 */
import { encodeAddress } from 'dedot/utils';
import { randomBytes } from 'node:crypto';
import { test, expect } from './fixtures';

/** An account of the extension's, none of the development accounts. */
const KEY = encodeAddress(new Uint8Array(randomBytes(32)));
const SHORT = `${KEY.slice(0, 6)}…${KEY.slice(-6)}`;

test('an injected extension is offered, connected, and acted as', async ({ page, axe, shot }) => {
  await page.addInitScript((address: string) => {
    const accounts = [{ address, name: 'Clinic key', type: 'sr25519' }];
    (window as unknown as { injectedWeb3: unknown }).injectedWeb3 = {
      'polkadot-js': {
        version: '0.0.0-test',
        enable: async () => ({
          accounts: {
            get: async () => accounts,
            subscribe: (cb: (a: typeof accounts) => void) => {
              cb(accounts);
              return () => undefined;
            },
          },
          signer: {
            signPayload: async () => {
              throw new Error('this test extension does not sign');
            },
          },
        }),
      },
    };
  }, KEY);
  await page.goto('/');
  const connect = page.getByRole('button', { name: 'Connect Polkadot{.js}' });
  await expect(connect).toBeVisible({ timeout: 60_000 });
  await connect.click();
  const select = page.getByLabel('Act as account');
  await expect(select.locator('optgroup[label="Wallet extension"] option')).toHaveText([`Clinic key (${SHORT})`]);
  await select.selectOption({ label: `Clinic key (${SHORT})` });
  await expect(select).toHaveValue(KEY);
  await expect(page.getByRole('heading', { level: 2, name: /Patient — Clinic key/ })).toBeVisible();
  await shot('extension-account');
  await axe();
});
