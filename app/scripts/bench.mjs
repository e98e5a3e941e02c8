// Figures of the dApp (benchmarks/app.md), measured, not asserted: the production bundle of the
// initial page (gzip), and in Debian's chromium against the running stack (scripts/app
// --background): page load → a patient's consent list shown; grant_consent submit → dry-run
// verdict, → inclusion in a block, → finalization. Median and range of RUNS runs.
//
//   node app/scripts/bench.mjs [--runs 5] [--out benchmarks/app.md]
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const app = resolve(here, '..');
const root = resolve(app, '..');
const args = process.argv.slice(2);
/** @param {string} name @param {string} fallback */
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return (i >= 0 ? args[i + 1] : undefined) ?? fallback;
};
const RUNS = Number(opt('--runs', '5'));
// The patient of the measured journey: not one the browser journeys use as a patient.
const PATIENT = 'Ferdie';
// --out is relative to where the script is run from.
const OUT = resolve(opt('--out', join(root, 'benchmarks/app.md')));

function urls() {
  const file = join(root, 'target/app/urls.env');
  if (!existsSync(file)) throw new Error('target/app/urls.env missing: run scripts/app --background first');
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/** The files index.html loads before any view: its own bytes, the entry script, its CSS and preloads. */
function initialBundle() {
  const dist = join(app, 'dist');
  const html = readFileSync(join(dist, 'index.html'));
  const refs = [...html.toString().matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const files = [{ name: 'index.html', bytes: html }];
  for (const r of refs) if (r) files.push({ name: r.replace(/^\//, ''), bytes: readFileSync(join(dist, r.replace(/^\//, ''))) });
  return files.map((f) => ({ name: f.name, raw: f.bytes.length, gzip: gzipSync(f.bytes, { level: 9 }).length }));
}

/** @param {number[]} xs */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

/** @param {string} appUrl */
async function measure(appUrl) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const load = [];
  /** @type {number[]} */
  const verdict = [];
  /** @type {number[]} */
  const included = [];
  /** @type {number[]} */
  const finalized = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage();
      const t0 = Date.now();
      await page.goto(appUrl);
      const select = page.getByLabel('Act as account');
      await select.waitFor();
      await page.waitForFunction(() => document.querySelectorAll('select option').length > 1);
      const patient = (await select.locator('option').allInnerTexts()).find((/** @type {string} */ o) => o.startsWith(PATIENT));
      if (!patient) throw new Error(`no development account ${PATIENT} offered`);
      await select.selectOption({ label: patient });
      await page.locator('table[aria-label="Consents"]').or(page.getByText('No consents')).first().waitFor({ timeout: 60000 });
      load.push(Date.now() - t0);

      const form = page.getByRole('form', { name: 'Grant a consent' });
      await form.getByLabel('Who may read').fill('Charlie');
      await form.getByLabel('Lab results').check();
      await form.getByLabel('Signed consent form').setInputFiles({
        name: 'consent.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify({ bench: run, at: Date.now() })),
      });
      await form.getByText('Hashed on this device').waitFor();
      const action = form.locator('.action[data-message="grant_consent"]');
      let t = Date.now();
      await form.getByRole('button', { name: 'Check: Grant consent' }).click();
      await action.getByText(/This would go through|Refused/).waitFor({ timeout: 60000 });
      verdict.push(Date.now() - t);
      t = Date.now();
      await form.getByRole('button', { name: 'Sign and submit: Grant consent' }).click();
      await action.getByText(/In a block|Done: final/).waitFor({ timeout: 120000 });
      included.push(Date.now() - t);
      await action.getByText('Done: final on chain.').waitFor({ timeout: 120000 });
      finalized.push(Date.now() - t);
      // Leave nothing behind: revoke the consent the run granted, through the page too.
      const id = /consent id: (\d+)/.exec(await action.innerText())?.[1];
      if (id) {
        await page.getByRole('button', { name: `Check: Revoke consent ${id}` }).click();
        await page.getByRole('button', { name: `Sign and submit: Revoke consent ${id}` }).click();
        await page.locator(`tr[data-consent="${id}"]`).getByText(/^revoked/).waitFor({ timeout: 120000 });
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return { load, verdict, included, finalized };
}

const bundle = initialBundle();
const { APP_URL } = urls();
if (!APP_URL) throw new Error('no APP_URL in target/app/urls.env');
const m = await measure(APP_URL);
/** @param {string} label @param {number[]} xs */
const row = (label, xs) => `| ${label} | ${median(xs)} ms | ${Math.min(...xs)}–${Math.max(...xs)} ms |`;
const total = bundle.reduce((s, f) => s + f.gzip, 0);
const md = `# The dApp's figures

Written by \`node app/scripts/bench.mjs\` (run by \`scripts/live\` after the browser journeys) against
\`scripts/app --background\`: substrate-contracts-node 0.42.0 \`--dev\` on this machine (2 cores), the app's
production build served by \`app/scripts/serve.mjs\`, Debian's chromium headless driven by Playwright.
${RUNS} runs; median and range. Wall-clock, on a loaded 2-core machine: compare orders of magnitude, not
milliseconds.

## Initial page (production build, gzip -9)

What the browser loads before any view: \`index.html\` and what it references. Views, the development
keyring and the GS1 image decoder are separate chunks loaded when first used.

| file | bytes | gzip |
|---|---:|---:|
${bundle.map((f) => `| ${f.name} | ${f.raw.toLocaleString('en-US')} | ${f.gzip.toLocaleString('en-US')} |`).join('\n')}
| **total** | ${bundle.reduce((s, f) => s + f.raw, 0).toLocaleString('en-US')} | **${total.toLocaleString('en-US')}** |

## Waits a patient sees

| measure | median | range |
|---|---:|---:|
${row('page load → the patient\'s consent list shown (connect, chain check of genesis and five code hashes, roles, consents)', m.load)}
${row('grant_consent: "Check" → dry-run verdict with fee, deposit and weight', m.verdict)}
${row('grant_consent: "Sign and submit" → included in a block', m.included)}
${row('grant_consent: "Sign and submit" → finalized, events decoded', m.finalized)}
`;
writeFileSync(OUT, md);
console.log(md);
