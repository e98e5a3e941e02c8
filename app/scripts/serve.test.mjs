// Tests of scripts/serve.mjs, under Node's own test runner (no browser, no chain):
//   node --test scripts/serve.test.mjs
// The server is started on a free port over a small dist whose index.html is the app's own
// (so its policy baseline is the one src/lib/csp.test.ts checks against src/lib/csp.ts).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baselineOf, fileUnder, headerPolicy, originOf } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const appIndex = readFileSync(join(here, '..', 'index.html'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'carechain-serve-'));
const dist = join(work, 'dist');
const bundle = join(work, 'bundle');

/** @type {import('node:child_process').ChildProcess | undefined} */
let server;
let base = '';

/**
 * A raw request (the path is sent as written: no normalisation of `..`).
 * @param {string} method @param {string} path
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, body: string }>}
 */
function fetchRaw(method, path) {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), appIndex);
  writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(dist, 'logo.svg'), '<svg/>');
  writeFileSync(join(dist, 'mod.wasm'), Buffer.from([0, 97, 115, 109]));
  writeFileSync(join(work, 'secret.txt'), 'outside');
  mkdirSync(join(bundle, 'metadata'), { recursive: true });
  writeFileSync(join(bundle, 'metadata', 'consent_registry.json'), '{"source":{}}');
  writeFileSync(
    join(bundle, 'deployment.json'),
    JSON.stringify({
      manifest: { chain_url: 'wss://rpc.example.org:9944/some/path' },
      metadata: { consent_registry: 'metadata/consent_registry.json' },
      audit_api: 'https://audit.example.org/v1',
    }),
  );
  server = spawn(process.execPath, [join(here, 'serve.mjs'), '--dir', dist, '--port', '0', '--deployment', join(bundle, 'deployment.json')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise((resolve, reject) => {
    server?.stdout?.once('data', (d) => resolve(String(d).split('\n')[0]));
    server?.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
  });
  const m = /^app: (http:\/\/127\.0\.0\.1:\d+)\/$/.exec(String(first));
  assert.ok(m?.[1], `first line: ${String(first)}`);
  base = m[1];
});

after(() => {
  server?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

test('the policy is the baseline of index.html with connect-src narrowed to the deployment', async () => {
  const r = await fetchRaw('GET', '/');
  assert.equal(r.status, 200);
  const policy = String(r.headers['content-security-policy']);
  const baseline = baselineOf(appIndex);
  const directives = (/** @type {string} */ p) => p.split(';').map((d) => d.trim()).filter(Boolean);
  const expected = directives(baseline).map((d) =>
    d.startsWith('connect-src ') ? "connect-src 'self' wss://rpc.example.org:9944 https://audit.example.org" : d,
  );
  // A meta element's frame-ancestors is ignored: the header adds it when the baseline lacks it.
  if (!expected.some((d) => d.startsWith('frame-ancestors '))) expected.push("frame-ancestors 'none'");
  assert.deepEqual(directives(policy), expected);
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.equal(r.headers['referrer-policy'], 'no-referrer');
  assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin');
  assert.match(String(r.headers['content-type']), /^text\/html/);
});

test('frame-ancestors is added when a baseline lacks it, and kept once when it has it', () => {
  assert.equal(
    headerPolicy("default-src 'self'; connect-src 'self' ws:", ['ws://a:1', 'http://b:2']),
    "default-src 'self'; connect-src 'self' ws://a:1 http://b:2; frame-ancestors 'none'",
  );
  const twice = headerPolicy(baselineOf(appIndex), ['ws://a:1', 'http://b:2']);
  assert.equal(twice.split('frame-ancestors').length, 2);
});

test('origins are scheme, host and port only, and only of the expected schemes', () => {
  assert.equal(originOf('ws://127.0.0.1:9944', ['ws', 'wss'], 'chain'), 'ws://127.0.0.1:9944');
  assert.equal(originOf('wss://rpc.example.org/x?y#z', ['ws', 'wss'], 'chain'), 'wss://rpc.example.org');
  assert.equal(originOf('https://u:p@audit.example.org:443/v1', ['http', 'https'], 'audit'), 'https://audit.example.org');
  assert.throws(() => originOf('http://127.0.0.1:9944', ['ws', 'wss'], 'chain'), /must start with ws:\/\/ or wss:\/\//);
  assert.throws(() => originOf('ws://[::1]:9944', ['ws', 'wss'], 'chain'), /IPv6/);
  assert.throws(() => originOf('not a url', ['ws'], 'chain'), /not a URL/);
  assert.throws(() => originOf(undefined, ['ws'], 'chain'), /missing/);
});

test('content types follow the extension', async () => {
  /** @type {[string, string][]} */
  const cases = [
    ['/assets/app-1234.js', 'text/javascript'],
    ['/assets/style.css', 'text/css'],
    ['/logo.svg', 'image/svg+xml'],
    ['/mod.wasm', 'application/wasm'],
    ['/deployment.json', 'application/json'],
    ['/metadata/consent_registry.json', 'application/json'],
  ];
  for (const [path, type] of cases) {
    const r = await fetchRaw('GET', path);
    assert.equal(r.status, 200, path);
    assert.match(String(r.headers['content-type']), new RegExp(`^${type.replace('+', '\\+')}`), path);
    assert.ok(r.headers['content-security-policy'], `${path} carries the policy`);
  }
  const asset = await fetchRaw('GET', '/assets/app-1234.js');
  assert.match(String(asset.headers['cache-control']), /immutable/);
  const index = await fetchRaw('GET', '/');
  assert.equal(index.headers['cache-control'], 'no-cache');
});

test('paths without an extension answer index.html; missing files with one are a 404', async () => {
  for (const path of ['/patient', '/views/auditor/history', '/?deployment=https://x.example/d.json']) {
    const r = await fetchRaw('GET', path);
    assert.equal(r.status, 200, path);
    assert.equal(r.body, appIndex, path);
  }
  assert.equal((await fetchRaw('GET', '/missing.js')).status, 404);
  assert.equal((await fetchRaw('GET', '/metadata/missing.json')).status, 404);
  assert.equal((await fetchRaw('GET', '/metadata/UPPER.json')).status, 404);
});

test('traversal is a 404, encoded or not', async () => {
  for (const path of [
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/%252e%252e%252fsecret.txt',
    '/..%5csecret.txt',
    '/metadata/../deployment.json',
    '/metadata/..%2f..%2fsecret.txt',
    '/./index.html',
    '/%00',
    '/%zz',
  ]) {
    const r = await fetchRaw('GET', path);
    assert.equal(r.status, 404, path);
    assert.doesNotMatch(r.body, /outside/, path);
  }
  assert.equal(fileUnder('/srv/dist', '/a/../../etc/passwd'), undefined);
  assert.equal(fileUnder('/srv/dist', '/a/b.js'), '/srv/dist/a/b.js');
});

test('only GET and HEAD', async () => {
  const head = await fetchRaw('HEAD', '/');
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
    const r = await fetchRaw(method, '/');
    assert.equal(r.status, 405, method);
    assert.equal(r.headers.allow, 'GET, HEAD');
  }
});
