/**
 * A deployment that does not match the chain is refused in words before anything is shown or
 * signed: another chain's genesis hash, or other code at a manifest's address (two contracts'
 * addresses swapped stands for a contract replaced by hostile code).
 */
import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures';
import { TARGET_APP } from './env';

type Bundle = { manifest: { genesis_hash: string; contracts: { name: string; address: string }[] } };

function tampered(change: (b: Bundle) => void): string {
  const b = JSON.parse(readFileSync(`${TARGET_APP}deployment.json`, 'utf8')) as Bundle;
  change(b);
  return JSON.stringify(b);
}

async function serveDeployment(page: import('@playwright/test').Page, body: string) {
  await page.route('**/deployment.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body }));
}

test('a manifest of another chain is refused, in words, and nothing can be signed', async ({ page, axe, shot }) => {
  await serveDeployment(
    page,
    tampered((b) => {
      b.manifest.genesis_hash = `0x${'ab'.repeat(32)}`;
    }),
  );
  await page.goto('/');
  const refusal = page.getByRole('alert');
  await expect(refusal).toContainText('This deployment does not match the chain', { timeout: 60_000 });
  await expect(refusal).toContainText('This deployment was made on another chain: its genesis hash is 0xabab');
  await expect(page.getByLabel('Act as account')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Sign and submit/ })).toHaveCount(0);
  await shot('other-chain');
  await axe();
});

test('other code at a manifest address is refused, naming the contract', async ({ page, shot }) => {
  await serveDeployment(
    page,
    tampered((b) => {
      const consent = b.manifest.contracts.find((c) => c.name === 'consent_registry');
      const breakGlass = b.manifest.contracts.find((c) => c.name === 'break_glass');
      if (!consent || !breakGlass) throw new Error('the deployment lacks a contract');
      [consent.address, breakGlass.address] = [breakGlass.address, consent.address];
    }),
  );
  await page.goto('/');
  const refusal = page.getByRole('alert');
  await expect(refusal).toContainText('This deployment does not match the chain', { timeout: 60_000 });
  await expect(refusal).toContainText(/consent_registry at \S+ runs other code than the deployment says/);
  await expect(refusal).toContainText(/break_glass at \S+ runs other code than the deployment says/);
  await expect(page.getByLabel('Act as account')).toHaveCount(0);
  await shot('other-code');
});

test('a link cannot bring a deployment from another origin', async ({ page, shot }) => {
  // The fixture fails the test if the page asks evil.example for anything.
  await page.goto('/?deployment=https://evil.example/deployment.json');
  const refusal = page.getByRole('alert');
  await expect(refusal).toContainText("A deployment is loaded from this app's own address");
  await expect(refusal).toContainText('not from https://evil.example');
  await expect(page.getByLabel('Act as account')).toHaveCount(0);
  await shot('foreign-deployment');
});
