/**
 * The live Playwright tier of the app (not in CI): the built app served by scripts/app with a
 * suite deployed on a local substrate-contracts-node, driven in Debian's chromium.
 *
 *   scripts/app --background && (cd app && npx playwright test); scripts/app stop
 *
 * The browser is /usr/bin/chromium: nothing is downloaded (never `npx playwright install`).
 */
import { defineConfig } from '@playwright/test';
import { appUrlIfKnown } from './e2e/env';

export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/setup.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  outputDir: '../target/app/test-results',
  use: {
    baseURL: appUrlIfKnown(),
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
});
