// The consortium chain's fault and load scenarios (scripts/consortium runs them), with the
// client a custodian's system would use (@polkadot/api + @polkadot/api-contract).
//
//   node consortium.mjs faults MANIFEST OUT.json   steady audited releases through the fault phases
//   node consortium.mjs load MANIFEST OUT.json     the highest sustained rate, and reads per second
//
// The load: custodians (//custodian/N, funded and registered by the deployer) submit
// `record_access` for a fresh patient id each (b"load" + run + sequence number), so the audit
// index can later count every submitted transaction's event exactly. Each transaction is
// watched from submission to finality. The faults are applied with scripts/chain (kill, restart,
// outsider) and with the council's own governance (removing and re-adding a member node's peer id
// partitions that node away and heals it). Nothing here sends anything off this machine: every
// node listens on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { ContractPromise } from '@polkadot/api-contract';
import { cryptoWaitReady } from '@polkadot/util-crypto';

const [mode, manifestArg, outArg] = process.argv.slice(2);
if (!['faults', 'load'].includes(mode) || !manifestArg || !outArg) {
  console.error('usage: node consortium.mjs faults|load MANIFEST OUT.json');
  process.exit(2);
}
const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const manifest = JSON.parse(readFileSync(resolve(manifestArg), 'utf8'));
const PHASE_S = Number(process.env.CONSORTIUM_PHASE_S ?? 45); // seconds of load per fault phase
const RATE = Number(process.env.CONSORTIUM_RATE ?? 10); // audited releases per second during faults
const CUSTODIANS = Number(process.env.CONSORTIUM_CUSTODIANS ?? 64);
const UNIT = 1_000_000_000_000n;
const LAB_RESULTS = 1 << 4;
const RUN = Date.now() % 0xffffffff; // patient ids of this run differ from any earlier run's
const PEER_IDS_BY_NAME = { // the `local` preset's member nodes (scripts/chain, chain/runtime/src/genesis.rs)
  dave: '0x002408011220fd50b8e3b144ea244fbf7737f550bc8dd0c2650bbc1aada833ca17ff8dbf329b',
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => Date.now();
const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
const chain = (...args) => execFileSync(resolve(ROOT, 'scripts/chain'), args, { stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim();

function quantile(sorted, q) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

await cryptoWaitReady();
const connect = async (port) => ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${port}`, 1000), noInitWarn: true, throwOnConnect: false });
const api = await connect(9944);
if (api.genesisHash.toHex() !== manifest.genesis_hash) throw new Error(`the node on 9944 is not the manifest's chain (${manifest.genesis_hash})`);
const keyring = new Keyring({ type: 'sr25519' });
const [alice, bob, charlie, dave, eve] = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve'].map((k) => keyring.addFromUri(k));
const entry = manifest.contracts.find((c) => c.name === 'consent_registry');
const registry = new ContractPromise(api, JSON.parse(readFileSync(resolve(ROOT, entry.metadata), 'utf8')), entry.address);
const dryGas = api.registry.createType('WeightV2', { refTime: 200_000_000_000n, proofSize: 3_000_000n });

/// Submits `tx` signed by `pair` and resolves with the block it was finalized in; rejects on any error.
function finalize(tx, pair, what) {
  return new Promise((done, fail) => {
    tx.signAndSend(pair, ({ status, dispatchError, events }) => {
      if (dispatchError) {
        const d = dispatchError.isModule ? api.registry.findMetaError(dispatchError.asModule) : null;
        fail(new Error(`${what}: ${d ? `${d.section}.${d.name}` : dispatchError.toString()}`));
      } else if (status.isFinalized) done({ block: status.asFinalized.toHex(), events });
      else if (status.isDropped || status.isInvalid || status.isUsurped) fail(new Error(`${what}: ${status.type}`));
    }).catch(fail);
  });
}

/// Dispatch error of a finalized transaction, or null.
function outcome(tx, pair) {
  return new Promise((done, fail) => {
    tx.signAndSend(pair, ({ status, dispatchError }) => {
      if (!status.isInBlock) return;
      if (!dispatchError) return done(null);
      const d = dispatchError.isModule ? api.registry.findMetaError(dispatchError.asModule) : null;
      done(d ? `${d.section}.${d.name}` : dispatchError.toString());
    }).catch(fail);
  });
}

// ---------------------------------------------------------------------------------------------
// Custodians: funded in one batch, registered by the registry's owner in one batch.
const custodians = Array.from({ length: CUSTODIANS }, (_, i) => keyring.addFromUri(`//custodian/${i}`));
async function setUpCustodians() {
  const probe = await registry.query.setCustodian(alice.address, { gasLimit: dryGas, storageDepositLimit: null }, custodians[0].address, true);
  const gas = api.registry.createType('WeightV2', {
    refTime: (probe.gasRequired.refTime.toBigInt() * 3n) / 2n,
    proofSize: (probe.gasRequired.proofSize.toBigInt() * 3n) / 2n,
  });
  const registered = await Promise.all(custodians.map(async (c) => (await registry.query.isCustodian(alice.address, { gasLimit: dryGas }, c.address)).output?.toJSON()?.ok === true));
  const fund = custodians.map((c) => api.tx.balances.transferKeepAlive(c.address, 1_000n * UNIT));
  const register = custodians.filter((_, i) => !registered[i]).map((c) => registry.tx.setCustodian({ gasLimit: gas, storageDepositLimit: null }, c.address, true));
  for (let i = 0; i < fund.length; i += 128) await finalize(api.tx.utility.batchAll(fund.slice(i, i + 128)), alice, 'fund custodians');
  for (let i = 0; i < register.length; i += 64) await finalize(api.tx.utility.batchAll(register.slice(i, i + 64)), alice, 'register custodians');
  log(`${custodians.length} custodians funded and registered`);
}

// ---------------------------------------------------------------------------------------------
// The load: audited releases at a steady rate, each watched to finality.
const txs = []; // { seq, patient, custodian, phase, submitted, inBlock, finalized, error }
let phase = 'setup';
let seq = 0;
let recordGas;
const nonces = new Map();

function patientId(n) {
  const hex = `6c6f6164${RUN.toString(16).padStart(8, '0')}${n.toString(16).padStart(16, '0')}`;
  return `0x${hex.padEnd(64, '0')}`;
}

async function prepareLoad() {
  const probe = await registry.query.recordAccess(custodians[0].address, { gasLimit: dryGas, storageDepositLimit: null }, patientId(0), bob.address, LAB_RESULTS, 'Treatment');
  if (probe.result.isErr) throw new Error(`record_access dry run: ${probe.result.asErr.toString()}`);
  recordGas = api.registry.createType('WeightV2', {
    refTime: (probe.gasRequired.refTime.toBigInt() * 3n) / 2n,
    proofSize: (probe.gasRequired.proofSize.toBigInt() * 3n) / 2n,
  });
  for (const c of custodians) nonces.set(c.address, (await api.rpc.system.accountNextIndex(c.address)).toNumber());
}

function submitOne() {
  const n = seq++;
  const custodian = custodians[n % custodians.length];
  const nonce = nonces.get(custodian.address);
  nonces.set(custodian.address, nonce + 1);
  const t = { seq: n, patient: patientId(n), custodian: custodian.address, phase, submitted: now(), inBlock: null, finalized: null, error: null };
  txs.push(t);
  registry.tx
    .recordAccess({ gasLimit: recordGas, storageDepositLimit: null }, t.patient, bob.address, LAB_RESULTS, 'Treatment')
    .signAndSend(custodian, { nonce }, ({ status, dispatchError }) => {
      if (status.isInBlock && t.inBlock === null) t.inBlock = now();
      if (status.isFinalized) {
        t.finalized = now();
        if (dispatchError) t.error = dispatchError.toString();
      }
      if (status.isDropped || status.isInvalid || status.isUsurped) t.error = status.type;
    })
    .catch((e) => { t.error = `submit: ${e.message}`; });
}

let loadTimer = null;
function startLoad(rate) {
  const perTick = rate / 10;
  let owed = 0;
  loadTimer = setInterval(() => {
    owed += perTick;
    while (owed >= 1) { submitOne(); owed -= 1; }
  }, 100);
}
function stopLoad() { clearInterval(loadTimer); loadTimer = null; }

// ---------------------------------------------------------------------------------------------
// The chain as Alice's node sees it: every finalized head (to check none is ever reverted) and
// every new best block's author.
const finalizedSeen = []; // { number, hash, at }
const heads = []; // { number, author, at, phase }
const authorOf = new Map();
async function watchChain() {
  const validators = (await api.query.session.validators()).map((v) => v.toString());
  const names = new Map([alice, bob, charlie, dave].map((p, i) => [p.address, ['alice', 'bob', 'charlie', 'dave'][i]]));
  const head = await api.rpc.chain.getHeader();
  heads.push({ number: head.number.toNumber(), author: null, at: now(), phase });
  const fin = await api.rpc.chain.getFinalizedHead();
  finalizedSeen.push({ number: (await api.rpc.chain.getHeader(fin)).number.toNumber(), hash: fin.toHex(), at: now(), phase });
  await api.rpc.chain.subscribeFinalizedHeads((h) => finalizedSeen.push({ number: h.number.toNumber(), hash: h.hash.toHex(), at: now(), phase }));
  await api.rpc.chain.subscribeNewHeads((h) => {
    const pre = h.digest.logs.find((l) => l.isPreRuntime && l.asPreRuntime[0].toString() === 'aura');
    let author = null;
    if (pre) {
      const slot = api.registry.createType('u64', pre.asPreRuntime[1]).toBigInt();
      author = names.get(validators[Number(slot % BigInt(validators.length))]) ?? null;
    }
    authorOf.set(h.hash.toHex(), author);
    heads.push({ number: h.number.toNumber(), author, at: now(), phase });
  });
}
const lastFinalized = () => finalizedSeen.at(-1)?.number ?? 0;
const lastBest = () => heads.at(-1)?.number ?? 0;

async function nodeStatus(port) {
  const other = await connect(port);
  try {
    await other.isReadyOrError;
    const [health, best, fin] = await Promise.all([other.rpc.system.health(), other.rpc.chain.getHeader(), other.rpc.chain.getFinalizedHead()]);
    const finNumber = (await other.rpc.chain.getHeader(fin)).number.toNumber();
    return { peers: health.peers.toNumber(), best: best.number.toNumber(), finalized: finNumber };
  } catch (e) {
    return { error: e.message };
  } finally {
    await other.disconnect().catch(() => {});
  }
}

const checks = [];
function check(what, ok, detail) {
  checks.push({ what, ok: Boolean(ok), detail: detail ?? null });
  log(`${ok ? '✓' : '✗'} ${what}${detail ? ` (${typeof detail === 'string' ? detail : JSON.stringify(detail)})` : ''}`);
}

const phases = [];
async function runPhase(name, seconds, before, after) {
  phase = name;
  const start = { at: now(), best: lastBest(), finalized: lastFinalized() };
  log(`phase ${name}: ${seconds} s`);
  if (before) await before();
  await sleep(seconds * 1000);
  const end = { at: now(), best: lastBest(), finalized: lastFinalized() };
  phases.push({ name, start, end, authors: [...new Set(heads.filter((h) => h.phase === name).map((h) => h.author))].sort() });
  if (after) await after(start, end);
}

// A council motion: Alice proposes with a threshold of 3 of 4, she, Bob and Charlie vote aye (a
// proposer's vote is not implied), Alice closes.
async function councilMotion(call, what) {
  const len = call.method.encodedLength;
  const info = await call.paymentInfo(alice);
  const hash = call.method.hash.toHex();
  // An open motion for the same call (a run stopped half-way) is voted on, not proposed again.
  let voting = (await api.query.council.voting(hash)).unwrapOr(null);
  if (!voting) {
    await finalize(api.tx.council.propose(3, call, len), alice, `${what}: propose`);
    voting = (await api.query.council.voting(hash)).unwrap();
  }
  const index = voting.index.toNumber();
  const voters = [alice, bob, charlie].filter((v) => !voting.ayes.some((a) => a.toString() === v.address));
  await Promise.all(voters.map((v) => finalize(api.tx.council.vote(hash, index, true), v, `${what}: vote`)));
  const closed = await finalize(api.tx.council.close(hash, index, info.weight, len), alice, `${what}: close`);
  const executed = closed.events.find(({ event }) => api.events.council.Executed.is(event));
  if (!executed) throw new Error(`${what}: the motion was not executed`);
  const result = executed.event.data[1];
  if (result.isErr) throw new Error(`${what}: executed with ${result.asErr.toString()}`);
  log(`council: ${what} executed`);
}

async function waitFor(what, predicate, timeoutS) {
  const until = now() + timeoutS * 1000;
  while (now() < until) {
    if (await predicate()) return true;
    await sleep(1000);
  }
  log(`timed out waiting for ${what}`);
  return false;
}

// ---------------------------------------------------------------------------------------------
async function faults() {
  await setUpCustodians();
  await prepareLoad();
  await watchChain();
  startLoad(RATE);

  await runPhase('all four', PHASE_S, null, (s, e) => check('all four: blocks and finality go on', e.finalized > s.finalized && e.best > s.best, { best: e.best - s.best, finalized: e.finalized - s.finalized }));

  await runPhase('one killed', PHASE_S, async () => chain('kill', 'dave'), (s, e) => {
    check('one of four killed: finality goes on', e.finalized - s.finalized >= PHASE_S / 6, { finalized: e.finalized - s.finalized });
    check('one of four killed: blocks go on', e.best > s.best, { best: e.best - s.best });
  });

  let restartedAt = 0;
  await runPhase('restarted', PHASE_S * 2, async () => { chain('restart', 'dave'); restartedAt = lastBest(); }, async () => {
    const d = await nodeStatus(9947);
    check('restarted validator re-synced to the head', d.best >= lastBest() - 2 && d.finalized >= lastFinalized() - 2, d);
    check('restarted validator authors blocks again', heads.some((h) => h.number > restartedAt && h.author === 'dave'));
  });

  let partitionedAt = 0;
  await runPhase('partitioned', PHASE_S, async () => {
    await councilMotion(api.tx.nodeAuthorization.removeWellKnownNode(PEER_IDS_BY_NAME.dave), 'remove dave\'s node');
    partitionedAt = lastBest();
    await waitFor('dave to lose its peers', async () => (await nodeStatus(9947)).peers === 0, 30);
  }, async (s, e) => {
    const d = await nodeStatus(9947);
    check('partitioned validator has no peers', d.peers === 0, d);
    check('partitioned validator falls behind', d.best < lastBest(), { dave: d.best, alice: lastBest() });
    check('partitioned: the other three finalize', e.finalized > s.finalized, { finalized: e.finalized - s.finalized });
    check('partitioned validator authors nothing the others build on', !heads.some((h) => h.number > partitionedAt + 2 && h.author === 'dave'));
  });

  // Healing is the council's motion alone: the removed node kept reaching the members (the
  // runtime's MemberNetwork worker), who take it back as soon as they import the readmission.
  await runPhase('healed', PHASE_S, async () => {
    await councilMotion(api.tx.nodeAuthorization.addWellKnownNode(PEER_IDS_BY_NAME.dave, dave.address), 're-add dave\'s node');
    partitionedAt = lastBest();
  }, async () => {
    const synced = await waitFor('dave to re-sync', async () => { const d = await nodeStatus(9947); return d.best >= lastBest() - 2; }, 60);
    check('healed validator re-synced', synced, await nodeStatus(9947));
    check('healed validator authors blocks again', heads.some((h) => h.number > partitionedAt && h.author === 'dave'));
  });

  let stalledAt = 0;
  await runPhase('two killed', PHASE_S, async () => { chain('kill', 'charlie'); chain('kill', 'dave'); await sleep(6000); stalledAt = lastFinalized(); }, (s, e) => {
    check('two of four killed: finality stops', e.finalized <= stalledAt + 1, { before: stalledAt, after: e.finalized });
    check('two of four killed: blocks go on', e.best > s.best + 3, { best: e.best - s.best });
  });

  await runPhase('one restored', PHASE_S, async () => { chain('restart', 'charlie'); }, async (s, e) => {
    const caught = await waitFor('finality to catch up', async () => lastFinalized() >= lastBest() - 3, 60);
    check('one restored: finality resumes and catches up', caught && lastFinalized() > stalledAt + 1, { finalized: lastFinalized(), best: lastBest() });
  });

  await runPhase('all restored', PHASE_S, async () => { chain('restart', 'dave'); });

  // The outsider: a fifth node with a key no member listed.
  chain('outsider');
  await sleep(30_000);
  const o = await nodeStatus(9948);
  check('a node outside the consortium gets no peer and no block', o.peers === 0 && o.best === 0, o);
  const alicePeers = (await api.rpc.system.peers().catch(() => [])).map((p) => p.peerId.toString());
  check('no member lists the outsider as a peer', !alicePeers.includes('12D3KooWSuTq6MG9gPt7qZqLFKkYrfxMewTZhj9nmRHJkPwzWDG2'), alicePeers.length);

  // A non-member account cannot add a validator, alone or through the council.
  const alone = await outcome(api.tx.validatorSet.addValidator(eve.address), eve);
  check('a non-member account cannot add a validator', alone === 'BadOrigin' || alone?.includes('BadOrigin'), alone);
  const proposed = await outcome(api.tx.council.propose(1, api.tx.validatorSet.addValidator(eve.address), 64), eve);
  check('a non-member cannot propose to the council', proposed === 'council.NotMember', proposed);
  const member = await outcome(api.tx.validatorSet.addValidator(eve.address), alice);
  check('a single member cannot add a validator outside the council', member === 'BadOrigin' || member?.includes('BadOrigin'), member);

  await drain();
  await checkFinalityNeverReverted();
}

async function drain() {
  phase = 'drain';
  stopLoad();
  log(`load stopped after ${txs.length} transactions; waiting for them to finalize`);
  await waitFor('every transaction to be finalized or fail', async () => txs.every((t) => t.finalized !== null || t.error !== null), 180);
}

async function checkFinalityNeverReverted() {
  let reverted = 0;
  for (const f of finalizedSeen) {
    const hash = (await api.rpc.chain.getBlockHash(f.number)).toHex();
    if (hash !== f.hash) reverted += 1;
  }
  check(`no finalized block was reverted (${finalizedSeen.length} finalized heads rechecked)`, reverted === 0, { reverted });
}

// ---------------------------------------------------------------------------------------------
async function load() {
  await setUpCustodians();
  await prepareLoad();
  await watchChain();
  const steps = (process.env.CONSORTIUM_LOAD_RATES ?? '10,25,50,100,150,200').split(',').map(Number);
  const seconds = Number(process.env.CONSORTIUM_LOAD_S ?? 40);
  for (const rate of steps) {
    const c0 = cpuTimes();
    phase = `offered ${rate}/s`;
    const first = seq;
    startLoad(rate);
    await sleep(seconds * 1000);
    stopLoad();
    const c1 = cpuTimes();
    await waitFor('the step to settle', async () => txs.slice(first).every((t) => t.finalized !== null || t.error !== null), 90);
    phases.push({ name: phase, offered: rate, seconds, cpuBusy: busy(c0, c1) });
    const mine = txs.slice(first);
    const failed = mine.filter((t) => t.error).length;
    log(`${phase}: ${mine.length} submitted, ${mine.filter((t) => t.finalized && !t.error).length} finalized, ${failed} failed; CPU ${Math.round(busy(c0, c1) * 100)} %`);
    if (failed > mine.length / 20) { log('more than 5 % failed: the chain is past its sustained rate; stopping the ramp'); break; }
  }
  phase = 'reads';
  const reads = await readRate(Number(process.env.CONSORTIUM_READ_S ?? 20), Number(process.env.CONSORTIUM_READ_CONCURRENCY ?? 16));
  phases.push({ name: 'reads', ...reads });
  log(`reads: ${reads.count} check_access dry runs in ${reads.seconds} s = ${reads.perSecond.toFixed(0)}/s, CPU ${Math.round(reads.cpuBusy * 100)} %`);
}

async function readRate(seconds, concurrency) {
  const c0 = cpuTimes();
  const until = now() + seconds * 1000;
  let count = 0;
  const latencies = [];
  const worker = async (w) => {
    while (now() < until) {
      const t0 = now();
      const r = await registry.query['consentCheck::checkAccess'](custodians[w % custodians.length].address, { gasLimit: dryGas, storageDepositLimit: null }, patientId(w), bob.address, LAB_RESULTS, 'Treatment');
      if (r.result.isErr) throw new Error(`check_access: ${r.result.asErr.toString()}`);
      latencies.push(now() - t0);
      count += 1;
    }
  };
  const start = now();
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const elapsed = (now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { count, seconds: elapsed, perSecond: count / elapsed, concurrency, medianMs: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99), cpuBusy: busy(c0, cpuTimes()) };
}

function cpuTimes() {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = f.map(Number);
  return { idle: n[3] + n[4], total: n.reduce((a, b) => a + b, 0) };
}
const busy = (a, b) => 1 - (b.idle - a.idle) / Math.max(1, b.total - a.total);

// ---------------------------------------------------------------------------------------------
try {
  if (mode === 'faults') await faults();
  else await load();
} catch (e) {
  check(`the ${mode} run completed`, false, e.message);
} finally {
  stopLoad();
  writeFileSync(resolve(outArg), JSON.stringify({
    mode, run: RUN, rate: RATE, phaseSeconds: PHASE_S, custodians: CUSTODIANS,
    patientPrefix: `0x6c6f6164${RUN.toString(16).padStart(8, '0')}`,
    txs, phases, checks, finalized: finalizedSeen, heads,
  }));
  log(`wrote ${outArg}`);
  await api.disconnect().catch(() => {});
  process.exit(checks.every((c) => c.ok) ? 0 : 1);
}
