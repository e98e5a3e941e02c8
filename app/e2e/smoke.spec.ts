/**
 * The app as served by scripts/app: it loads, talks only to its three origins, is accessible,
 * and the server's Content-Security-Policy confines its connections to the deployment's chain
 * and audit API.
 */
import { test, expect } from './fixtures';

/** The sources of one directive of a policy. */
function sourcesOf(policy: string, directive: string): string[] | undefined {
  for (const d of policy.split(';')) {
    const [name, ...sources] = d.trim().split(/\s+/);
    if (name === directive) return sources;
  }
  return undefined;
}

test('the app loads, stays within its origins, and is accessible', async ({ page, live, axe, shot }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'carechain' })).toBeVisible();

  // The server's policy: connect-src names exactly the app itself, the chain and the audit API.
  const headers = response ? await response.allHeaders() : {};
  const policy = headers['content-security-policy'] ?? '';
  const chain = new URL(live.chainUrl).origin;
  const audit = new URL(live.auditUrl).origin;
  expect(sourcesOf(policy, 'connect-src')?.sort()).toEqual(["'self'", chain, audit].sort());
  expect(sourcesOf(policy, 'frame-ancestors')).toEqual(["'none'"]);
  expect(sourcesOf(policy, 'script-src')).not.toContain("'unsafe-inline'");
  // Everything else is the baseline of the page's own meta element (index.html, which
  // src/lib/csp.test.ts checks against src/lib/csp.ts); frame-ancestors only a header can set.
  const baseline = (await page.locator('meta[http-equiv="Content-Security-Policy"]').first().getAttribute('content')) ?? '';
  const withoutConnect = (p: string) =>
    p
      .split(';')
      .map((d) => d.trim().replace(/\s+/g, ' '))
      .filter((d) => d !== '' && !d.startsWith('connect-src') && !d.startsWith('frame-ancestors'))
      .sort();
  expect(withoutConnect(policy)).toEqual(withoutConnect(baseline));
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');

  // Let the app load its deployment (and connect, if it does on start) before judging it.
  await expect(page.getByText('Loading the deployment…')).toHaveCount(0, { timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  await expect(page.getByRole('alert').filter({ hasText: /deployment/i })).toHaveCount(0);
  await shot('loaded');
  await axe();
});
