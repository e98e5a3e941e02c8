// What a carechain dApp does on a live chain, with the clients dApps use (@polkadot/api +
// @polkadot/api-contract): load the deploy manifest and each contract's metadata JSON, then
//   a patient grants consent → the provider's access is checked → a record hash is anchored
//   and verified → a drug pack is commissioned and verified,
// asserting every answer. Usage: node smoke.mjs [deploy/deployments/local.json]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { ContractPromise } from '@polkadot/api-contract';
import { cryptoWaitReady } from '@polkadot/util-crypto';

const manifestPath = resolve(process.argv[2] ?? 'deploy/deployments/local.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

const LAB_RESULTS = 1 << 4; // DataCategories::LAB_RESULTS
const TREATMENT = 1; // PurposeSet::of(Purpose::Treatment)
// Vec<u8> arguments go as 0x-hex: polkadot.js reads a raw Uint8Array as already SCALE-encoded.
const bytes = (text) => `0x${Buffer.from(text).toString('hex')}`;
const GTIN = bytes('09506000134352');
const DAY_MS = 86_400_000;

let failures = 0;
function check(what, ok, got) {
  console.log(`  ${ok ? '✓' : '✗'} ${what}${ok ? '' : ` — got ${JSON.stringify(got)}`}`);
  if (!ok) failures += 1;
}

// polkadot.js renders enum variants and struct fields in camelCase; compare case-insensitively.
const lower = (v) => JSON.parse(JSON.stringify(v).toLowerCase());

await cryptoWaitReady();
const api = await ApiPromise.create({ provider: new WsProvider(manifest.chain_url), noInitWarn: true });
try {
  check(`connected to ${manifest.chain_url}, the manifest's chain`, api.genesisHash.toHex() === manifest.genesis_hash, api.genesisHash.toHex());
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, bob, charlie, dave] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((k) => keyring.addFromUri(k));
  const gasLimit = api.registry.createType('WeightV2', { refTime: 200_000_000_000n, proofSize: 3_000_000n });

  const contract = (name) => {
    const entry = manifest.contracts.find((c) => c.name === name);
    if (!entry) throw new Error(`${name} is not in ${manifestPath}`);
    return new ContractPromise(api, JSON.parse(readFileSync(entry.metadata, 'utf8')), entry.address);
  };
  const [registry, anchor, pharma] = ['consent_registry', 'record_anchor', 'pharma_ledger'].map(contract);

  // A read: the contract's answer, unwrapped from ink!'s MessageResult.
  async function query(c, message, caller, ...args) {
    const { result, output } = await c.query[message](caller.address, { gasLimit, storageDepositLimit: null }, ...args);
    if (result.isErr) throw new Error(`${message}: ${result.asErr.toString()}`);
    return lower(output.toJSON()).ok;
  }

  // A transaction: dry-run first (gas, and the contract's own error), then sign and wait for a block.
  async function send(c, message, signer, ...args) {
    const { gasRequired, result, output } = await c.query[message](signer.address, { gasLimit, storageDepositLimit: null }, ...args);
    const answer = lower(output?.toJSON() ?? null)?.ok;
    if (result.isErr || result.asOk.flags.isRevert) throw new Error(`${message} refused: ${JSON.stringify(answer ?? result.toHuman())}`);
    await new Promise((done, fail) => {
      c.tx[message]({ gasLimit: gasRequired, storageDepositLimit: null }, ...args)
        .signAndSend(signer, ({ status, dispatchError }) => {
          if (dispatchError) fail(new Error(`${message}: ${dispatchError.toString()}`));
          else if (status.isInBlock || status.isFinalized) done();
        })
        .catch(fail);
    });
    return answer;
  }

  const now = (await api.query.timestamp.now()).toNumber();
  console.log('consent');
  const granted = await send(registry, 'grantConsent', bob, bob.address, charlie.address, LAB_RESULTS, TREATMENT, now, now + 365 * DAY_MS, `0x${'c0'.repeat(32)}`);
  check('Bob grants Charlie lab results for treatment', granted?.ok !== undefined, granted);
  const decision = await query(registry, 'consentCheck::checkAccess', dave, bob.address, charlie.address, LAB_RESULTS, 'Treatment');
  check(`Charlie's access is permitted by consent #${granted?.ok}`, decision?.permittedbyconsent === granted?.ok, decision);
  const stranger = await query(registry, 'consentCheck::checkAccess', dave, bob.address, dave.address, LAB_RESULTS, 'Treatment');
  check("Dave's access is denied (no consent)", stranger?.denied?.noconsent === null, stranger);

  console.log('record integrity');
  const reportHash = `0x${Date.now().toString(16).padStart(64, '0')}`; // stands in for a salted SHA-256
  const anchored = await send(anchor, 'anchorRecord', charlie, reportHash, bob.address, LAB_RESULTS, null);
  check('Charlie anchors a lab report hash for Bob (consent checked on chain)', anchored?.ok !== undefined, anchored);
  const found = await query(anchor, 'verify', dave, charlie.address, null, reportHash);
  check("anyone verifies Charlie's anchor of it: current, issued by Charlie", found?.id === anchored?.ok && found?.status === 'current' && found?.issuer === charlie.address.toLowerCase(), found);

  console.log('drug pack');
  const serial = bytes(`SN${Date.now()}`.slice(0, 20));
  const lot = bytes('LOT-JS');
  // Charlie is the manufacturer, as in the dApp's pharmacy journeys that scripts/live runs next on the
  // same chain (a partner has one role: Dave is their wholesaler).
  const partner = await query(pharma, 'partner', dave, charlie.address);
  if (partner === null) await send(pharma, 'registerPartner', alice, charlie.address, 'Manufacturer', `0x${'4d'.repeat(32)}`);
  // A GTIN is claimed by the manufacturer and approved by the regulator (the owner, Alice).
  const claimed = await query(pharma, 'gtin', dave, GTIN);
  if (claimed === null) {
    await send(pharma, 'claimGtin', charlie, GTIN, `0x${'65'.repeat(32)}`);
    await send(pharma, 'approveGtinClaim', alice, GTIN, charlie.address);
  }
  const commissioned = await send(pharma, 'commission', charlie, GTIN, lot, 301231, [serial]);
  check('Charlie commissions one pack', commissioned?.ok === 1, commissioned);
  const verified = await query(pharma, 'verify', bob, GTIN, serial, lot, 301231);
  check('a pharmacist verifies it: genuine (matched, not withdrawn) and active', verified?.verified === true && verified?.withdrawn === false && verified?.status === 'active', verified);
} finally {
  await api.disconnect();
}
console.log(failures === 0 ? 'client smoke: every answer as expected' : `client smoke: ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
