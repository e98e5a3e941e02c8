#!/usr/bin/env node
// Generates the typink (dedot) contract types of the five carechain contracts from their
// release metadata into src/contracts/types/<contract-name>/.
//
//   node scripts/gen-types.mjs [METADATA_DIR] [--check]
//
// METADATA_DIR holds <contract>.json (ink! v5 metadata) for every contract; default
// ../target/release-contracts (the release build of scripts/build). Without --check the
// generated files replace src/contracts/types whole (files of a contract that is gone go too).
// With --check nothing is written: the types are generated into a temporary directory and
// compared with the committed ones; every file that differs, is missing or is extra is named
// and the exit code is 1, so CI fails when the committed types are stale.
//
// Each contract is generated with `dedot typink -m <metadata> -o <dir>` of @dedot/cli, always
// into a fresh temporary directory first, so both modes run the generator the same way.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, cpSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The suite's contracts, in deployment order. */
const CONTRACTS = ['break_glass', 'consent_registry', 'research_registry', 'record_anchor', 'pharma_ledger'];

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const committedDir = join(appDir, 'src', 'contracts', 'types');
const dedotBin = join(appDir, 'node_modules', '@dedot', 'cli', 'bin', 'dedot.mjs');

/** @param {string} message */
function fail(message) {
  console.error(`gen-types: ${message}`);
  process.exit(2);
}

/** @param {string[]} argv */
function parseArgs(argv) {
  let check = false;
  /** @type {string | undefined} */
  let metadataDir;
  for (const arg of argv) {
    if (arg === '--check') {
      check = true;
    } else if (arg === '-h' || arg === '--help') {
      console.log('usage: node scripts/gen-types.mjs [METADATA_DIR] [--check]');
      process.exit(0);
    } else if (arg.startsWith('-')) {
      fail(`unknown option ${arg} (usage: gen-types.mjs [METADATA_DIR] [--check])`);
    } else if (metadataDir === undefined) {
      metadataDir = resolve(process.cwd(), arg);
    } else {
      fail(`more than one metadata directory given: ${metadataDir} and ${arg}`);
    }
  }
  return { check, metadataDir: metadataDir ?? resolve(appDir, '..', 'target', 'release-contracts') };
}

/**
 * Every file under `dir`, as paths relative to it with `/` separators, sorted.
 * @param {string} dir
 * @returns {string[]}
 */
function listFiles(dir) {
  if (!existsSync(dir)) return [];
  /** @type {string[]} */
  const out = [];
  /** @param {string} sub */
  const walk = (sub) => {
    for (const name of readdirSync(join(dir, sub))) {
      const rel = sub ? `${sub}/${name}` : name;
      if (statSync(join(dir, rel)).isDirectory()) walk(rel);
      else out.push(rel);
    }
  };
  walk('');
  return out.sort();
}

/**
 * Runs the generator for every contract into a new temporary directory and returns it.
 * @param {string} metadataDir
 */
function generate(metadataDir) {
  if (!existsSync(dedotBin)) fail(`${relative(process.cwd(), dedotBin)} is missing: run npm ci first`);
  const missing = CONTRACTS.filter((c) => !existsSync(join(metadataDir, `${c}.json`)));
  if (missing.length > 0) {
    fail(
      `no metadata for ${missing.join(', ')} in ${metadataDir} ` +
        '(build the release contracts first: scripts/build, or give the directory that holds them)',
    );
  }
  const out = mkdtempSync(join(tmpdir(), 'carechain-types-'));
  for (const contract of CONTRACTS) {
    const metadata = join(metadataDir, `${contract}.json`);
    const run = spawnSync(process.execPath, [dedotBin, 'typink', '-m', metadata, '-o', out], {
      cwd: out,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    if (run.status !== 0) {
      rmSync(out, { recursive: true, force: true });
      fail(`dedot typink failed for ${contract} (exit ${run.status}):\n${run.stdout}${run.stderr}`);
    }
  }
  return out;
}

const { check, metadataDir } = parseArgs(process.argv.slice(2));
const generated = generate(metadataDir);
try {
  if (check) {
    const fresh = listFiles(generated);
    const committed = listFiles(committedDir);
    /** @type {string[]} */
    const problems = [];
    for (const file of fresh) {
      if (!committed.includes(file)) {
        problems.push(`missing:  src/contracts/types/${file}`);
      } else if (!readFileSync(join(generated, file)).equals(readFileSync(join(committedDir, file)))) {
        problems.push(`differs:  src/contracts/types/${file}`);
      }
    }
    for (const file of committed) {
      if (!fresh.includes(file)) problems.push(`extra:    src/contracts/types/${file}`);
    }
    if (problems.length > 0) {
      console.error(
        `gen-types --check: the committed contract types are stale against ${metadataDir} ` +
          `(${problems.length} file(s)):\n  ${problems.join('\n  ')}\n` +
          'Regenerate them with `npm run gen:types` and commit the result.',
      );
      process.exitCode = 1;
    } else {
      console.log(`gen-types --check: ${fresh.length} files in src/contracts/types match ${metadataDir}`);
    }
  } else {
    rmSync(committedDir, { recursive: true, force: true });
    cpSync(generated, committedDir, { recursive: true });
    const files = listFiles(committedDir);
    console.log(`gen-types: wrote ${files.length} files for ${CONTRACTS.length} contracts into src/contracts/types`);
  }
} finally {
  rmSync(generated, { recursive: true, force: true });
}
