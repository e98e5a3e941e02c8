#!/usr/bin/env node
// Serves the built app (app/dist) and one deployment on 127.0.0.1, with the app's strict
// Content-Security-Policy as a response header. Node only, no dependencies.
//
//   node scripts/serve.mjs [--dir DIST] [--port N] [--deployment FILE] [--metadata-dir DIR]
//
//   --dir           the built app (default: app/dist next to this script)
//   --port          the port on 127.0.0.1 (default 5180; 0 picks a free one)
//   --deployment    deployment.json ({manifest, metadata, audit_api}), served as /deployment.json
//   --metadata-dir  the contracts' metadata, served as /metadata/<name>.json
//                   (default: metadata/ next to the deployment file)
//
// The first line printed is `app: http://127.0.0.1:<port>/`.
//
// Content-Security-Policy: the baseline of dist/index.html's meta element (one source of
// truth: src/lib/csp.test.ts checks that element against src/lib/csp.ts), with connect-src
// narrowed to 'self' (deployment.json and the metadata), the origin of the manifest's
// chain_url and the origin of audit_api, plus frame-ancestors 'none', which a meta element
// cannot set. Without --deployment the baseline connect-src stays (the app is then opened
// with ?deployment=<url>, and the app narrows connect-src itself once it has loaded one).
//
// Every other path is a file of --dir; a path without a file extension that is not a file
// answers index.html (the app routes it). `..` in a path, encoded or not, is a 404; methods
// other than GET and HEAD are a 405.

import { createServer } from 'node:http';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';

/** @type {Readonly<Record<string, string>>} */
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`serve: ${message}`);
  process.exit(2);
}

/**
 * @param {string[]} argv
 * @returns {{ dir: string, port: number, deployment: string | undefined, metadataDir: string | undefined }}
 */
function parseArgs(argv) {
  const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  let dir = join(appDir, 'dist');
  let port = 5180;
  /** @type {string | undefined} */
  let deployment;
  /** @type {string | undefined} */
  let metadataDir;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--help' || flag === '-h') {
      console.log('usage: node scripts/serve.mjs [--dir DIST] [--port N] [--deployment FILE] [--metadata-dir DIR]');
      process.exit(0);
    }
    if (value === undefined || value.startsWith('--')) fail(`${flag ?? ''} needs a value (--help lists the options)`);
    i++;
    switch (flag) {
      case '--dir':
        dir = resolve(value);
        break;
      case '--port':
        if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) fail(`--port ${value} is not a port number`);
        port = Number(value);
        break;
      case '--deployment':
        deployment = resolve(value);
        break;
      case '--metadata-dir':
        metadataDir = resolve(value);
        break;
      default:
        fail(`unknown option ${flag} (--help lists the options)`);
    }
  }
  if (metadataDir === undefined && deployment !== undefined) metadataDir = join(dirname(deployment), 'metadata');
  return { dir, port, deployment, metadataDir };
}

/**
 * The origin of `url` as a CSP source expression (scheme://host[:port]), if its scheme is one
 * of `schemes`; the same rules as originOf in src/lib/csp.ts.
 * @param {unknown} url @param {readonly string[]} schemes @param {string} what
 */
export function originOf(url, schemes, what) {
  if (typeof url !== 'string') throw new Error(`the ${what} is missing from the deployment`);
  /** @type {URL} */
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`the ${what} ${JSON.stringify(url)} is not a URL`);
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) {
    throw new Error(`the ${what} ${JSON.stringify(url)} must start with ${schemes.map((s) => `${s}://`).join(' or ')}`);
  }
  if (parsed.hostname.startsWith('[')) {
    throw new Error(`the ${what} ${JSON.stringify(url)} names an IPv6 address, which a Content-Security-Policy cannot list`);
  }
  return parsed.origin;
}

/**
 * The baseline policy: the content of index.html's Content-Security-Policy meta element.
 * @param {string} html
 */
export function baselineOf(html) {
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '');
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/i.exec(withoutComments);
  if (!meta?.[1]) throw new Error('index.html has no Content-Security-Policy meta element');
  return meta[1].replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/**
 * The header policy: `baseline` with connect-src replaced by `connect-src 'self' <origins>`
 * (kept when no origins are given), and frame-ancestors 'none' (added if the baseline lacks it).
 * @param {string} baseline @param {readonly string[] | undefined} origins
 */
export function headerPolicy(baseline, origins) {
  const directives = baseline
    .split(';')
    .map((d) => d.trim().replace(/\s+/g, ' '))
    .filter((d) => d !== '');
  const name = (/** @type {string} */ d) => d.split(' ')[0]?.toLowerCase();
  const out = directives.map((d) => (name(d) === 'connect-src' && origins ? `connect-src 'self' ${origins.join(' ')}` : d));
  if (!out.some((d) => name(d) === 'connect-src')) {
    out.push(origins ? `connect-src 'self' ${origins.join(' ')}` : "connect-src 'self'");
  }
  if (!out.some((d) => name(d) === 'frame-ancestors')) out.push("frame-ancestors 'none'");
  return out.join('; ');
}

/**
 * The chain and audit origins of a deployment.json.
 * @param {string} file
 */
function deploymentOrigins(file) {
  /** @type {any} */
  let deployment;
  try {
    deployment = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`cannot read the deployment ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return [
      originOf(deployment?.manifest?.chain_url, ['ws', 'wss'], 'chain RPC URL (manifest.chain_url)'),
      originOf(deployment?.audit_api, ['http', 'https'], 'audit API URL (audit_api)'),
    ];
  } catch (e) {
    return fail(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * The file a request path names under `root`, or undefined when the path tries to leave it
 * (`..`, encoded or not, backslashes, NUL) or is not valid percent-encoding.
 * @param {string} root @param {string} rawPath the path as requested, before decoding
 */
export function fileUnder(root, rawPath) {
  if (!rawPath.startsWith('/')) return undefined;
  /** @type {string} */
  let decoded;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  // Twice-encoded separators and dots (%252e%252e%252f) are refused too: nothing here needs them.
  if (/%2e|%2f|%5c/i.test(decoded) || decoded.includes('\\') || decoded.includes('\0')) return undefined;
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return undefined;
  const file = resolve(root, `.${decoded}`);
  if (file !== root && !file.startsWith(root + sep)) return undefined;
  return file;
}

/**
 * A regular file's real path if it lies under `root` (symbolic links resolved), else undefined.
 * @param {string} root a real path @param {string} file
 */
function regularFileUnder(root, file) {
  try {
    const real = realpathSync(file);
    if (real !== root && !real.startsWith(root + sep)) return undefined;
    return statSync(real).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  /** @type {string} */
  let root;
  try {
    root = realpathSync(args.dir);
  } catch {
    return fail(`no directory ${args.dir} (run npm run build first)`);
  }
  const indexFile = join(root, 'index.html');
  /** @type {string} */
  let baseline;
  try {
    baseline = baselineOf(readFileSync(indexFile, 'utf8'));
  } catch (e) {
    return fail(`${indexFile}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const origins = args.deployment === undefined ? undefined : deploymentOrigins(args.deployment);
  const policy = headerPolicy(baseline, origins);
  /** @type {string | undefined} */
  let metadataRoot;
  if (args.metadataDir !== undefined) {
    try {
      metadataRoot = realpathSync(args.metadataDir);
    } catch {
      if (args.deployment !== undefined) fail(`no metadata directory ${args.metadataDir}`);
    }
  }

  const server = createServer((req, res) => {
    res.setHeader('Content-Security-Policy', policy);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');

    /** @param {number} status @param {string} text @param {Record<string, string>} [headers] */
    const answerText = (status, text, headers = {}) => {
      const body = Buffer.from(`${text}\n`);
      res.writeHead(status, {
        ...headers,
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': String(body.length),
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    /** @param {string} file @param {string} cacheControl */
    const answerFile = (file, cacheControl) => {
      /** @type {Buffer} */
      let body;
      try {
        body = readFileSync(file);
      } catch {
        return answerText(404, 'not found');
      }
      res.writeHead(200, {
        'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': String(body.length),
        'Cache-Control': cacheControl,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return answerText(405, 'method not allowed', { Allow: 'GET, HEAD' });
    }
    const rawUrl = req.url ?? '';
    const rawPath = rawUrl.split(/[?#]/, 1)[0] ?? '';
    // Refuse `..` before any lookup, so that no route (deployment, metadata, SPA fallback)
    // ever answers a traversal with a 200.
    if (fileUnder(root, rawPath) === undefined) return answerText(404, 'not found');
    const path = decodeURIComponent(rawPath);

    if (path === '/deployment.json') {
      if (args.deployment === undefined) return answerText(404, 'no deployment is served (start with --deployment FILE)');
      return answerFile(args.deployment, 'no-cache');
    }
    if (path.startsWith('/metadata/')) {
      const name = path.slice('/metadata/'.length);
      if (metadataRoot === undefined || !/^[a-z0-9_-]+\.json$/.test(name)) return answerText(404, 'not found');
      const file = regularFileUnder(metadataRoot, join(metadataRoot, name));
      return file === undefined ? answerText(404, 'not found') : answerFile(file, 'no-cache');
    }
    const candidate = fileUnder(root, path === '/' ? '/index.html' : rawPath);
    const file = candidate === undefined ? undefined : regularFileUnder(root, candidate);
    if (file !== undefined) {
      // Vite names built assets by their content hash: they never change under one name.
      const immutable = path.startsWith('/assets/') && file !== indexFile;
      return answerFile(file, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    }
    const last = path.split('/').pop() ?? '';
    if (!last.includes('.')) return answerFile(indexFile, 'no-cache');
    return answerText(404, 'not found');
  });
  server.on('error', (e) => fail(`cannot listen on ${HOST}:${args.port}: ${e.message}`));
  server.listen(args.port, HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : args.port;
    console.log(`app: http://${HOST}:${port}/`);
    console.log(`  Content-Security-Policy: ${policy}`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
