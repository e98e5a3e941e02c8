/**
 * Chain set-up and read-back for the pharmacy, regulator and auditor journeys, from Node with
 * the development keys: trading partners (Charlie manufacturer, Dave wholesaler, Eve
 * dispenser; pharma_ledger only, so these roles do not clash with the other journeys' uses of
 * the same accounts), a fresh random GTIN claimed and approved, lots commissioned with random
 * serials, shipments. Also: choosing the account and the view in the page, and a GS1 DataMatrix
 * PNG of a pack made here (ZXing's encoder pieces and zlib: no image service).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import type { Contract } from 'dedot/contracts';
import type { ISubmittableExtrinsic, ISubmittableResult } from 'dedot/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import { createRequire } from 'node:module';
import { gs1CheckDigit, toContractArgs, type Pack } from '../src/lib/gs1';
import type { PharmaLedgerContractApi } from '../src/contracts';
import type { PharmaLedgerDataPartnerRole } from '../src/contracts/types/pharma-ledger';

// @zxing/library is CommonJS whose named exports Node's ESM loader does not all detect.
const {
  DataMatrixDefaultPlacement,
  DataMatrixErrorCorrection,
  DataMatrixHighLevelEncoder,
  DataMatrixSymbolInfo,
  DataMatrixWriter,
} = createRequire(import.meta.url)('@zxing/library') as typeof import('@zxing/library');

export const DEV = {
  Alice: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
  Bob: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty',
  Charlie: '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y',
  Dave: '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy',
  Eve: '5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw',
  Ferdie: '5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL',
} as const;
export type DevName = keyof typeof DEV;

export type Ledger = Contract<PharmaLedgerContractApi>;
type Send = (tx: ISubmittableExtrinsic, signer: KeyringPair) => Promise<ISubmittableResult>;
type Dev = (uri: string) => Promise<KeyringPair>;

/** A fresh GTIN-14 with its check digit (indicator 0, a random company prefix and item). */
export function randomGtin(): string {
  let body = '0';
  // Never the reserved all-zero company prefix.
  body += String(randomInt(1, 10));
  for (let i = 0; i < 11; i++) body += String(randomInt(0, 10));
  return body + String(gs1CheckDigit(body));
}

/** A GTIN with its check digit off by one: what a mistyped code looks like. */
export function withWrongCheckDigit(gtin: string): string {
  return gtin.slice(0, 13) + String((Number(gtin[13]) + 1) % 10);
}

/** A random code of GS1 characters: `prefix` + 8 upper-case letters and digits. */
export function randomCode(prefix: string): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return prefix + [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('');
}

export function hash32(): `0x${string}` {
  return `0x${randomBytes(32).toString('hex')}`;
}

/** An expiry (YYMMDD) about two years ahead, so the packs are not expired. */
export function futureExpiry(): string {
  const y = (new Date().getUTCFullYear() + 2) % 100;
  return `${String(y).padStart(2, '0')}1231`;
}

export function elementString(p: Pack): string {
  return `(01)${p.gtin}(17)${p.expiry}(10)${p.lot}(21)${p.serial}`;
}

/** The decoded pharma_ledger events of a transaction. */
export function eventsOf(ledger: Ledger, result: ISubmittableResult): { name: string; data: Record<string, unknown> }[] {
  return ledger.decodeEvents(result.events as never).map((e) => ({ name: e.name, data: ('data' in e ? e.data : {}) as Record<string, unknown> }));
}

/**
 * `account` is a registered, unsuspended partner of `role` (registered now if it is not one;
 * a partner of another role is an error the journey cannot mend).
 */
export async function ensurePartner(ledger: Ledger, send: Send, alice: KeyringPair, account: string, role: PharmaLedgerDataPartnerRole): Promise<void> {
  const p = (await ledger.query.partner(account, { caller: alice.address })).data;
  if (!p) {
    await send(ledger.tx.registerPartner(account, role, hash32()), alice);
    return;
  }
  if (p.role !== role) throw new Error(`${account} is already a ${p.role} in pharma_ledger, not a ${role}`);
  if (p.suspended) await send(ledger.tx.setPartnerSuspended(account, false), alice);
}

export interface Product {
  gtin: string;
  expiry: string;
}

/** The standing partners: Charlie manufacturer, Dave wholesaler, Eve dispenser. */
export async function ensurePartners(ledger: Ledger, send: Send, dev: Dev): Promise<void> {
  const alice = await dev('//Alice');
  await ensurePartner(ledger, send, alice, DEV.Charlie, 'Manufacturer');
  await ensurePartner(ledger, send, alice, DEV.Dave, 'Wholesaler');
  await ensurePartner(ledger, send, alice, DEV.Eve, 'Dispenser');
}

/** A fresh GTIN claimed by Charlie (with a random evidence hash), approved by Alice unless `approve` is false. */
export async function freshProduct(ledger: Ledger, send: Send, dev: Dev, approve = true): Promise<Product> {
  const [alice, charlie] = await Promise.all([dev('//Alice'), dev('//Charlie')]);
  const gtin = randomGtin();
  const g = toContractArgs({ gtin, expiry: '000000', lot: 'X', serial: 'X' }).gtin;
  await send(ledger.tx.claimGtin(g, hash32()), charlie);
  if (approve) await send(ledger.tx.approveGtinClaim(g, DEV.Charlie), alice);
  return { gtin, expiry: futureExpiry() };
}

/** Charlie commissions `count` random serials of a fresh lot of `product`. */
export async function commissionLot(ledger: Ledger, send: Send, dev: Dev, product: Product, count: number, lotPrefix = 'L'): Promise<Pack[]> {
  const charlie = await dev('//Charlie');
  const lot = randomCode(lotPrefix);
  const packs: Pack[] = Array.from({ length: count }, () => ({ gtin: product.gtin, expiry: product.expiry, lot, serial: randomCode('SN') }));
  const a = toContractArgs(packs[0]!);
  await send(ledger.tx.commission(a.gtin, a.lot, a.expiry, packs.map((p) => toContractArgs(p).serial)), charlie);
  return packs;
}

/** Ships `packs` from `from` to `to` (a random statement hash); returns the shipment id. */
export async function ship(ledger: Ledger, send: Send, dev: Dev, from: DevName, to: DevName, packs: Pack[], statement: `0x${string}` = hash32()): Promise<bigint> {
  const signer = await dev(`//${from}`);
  const ids = packs.map((p) => {
    const a = toContractArgs(p);
    return [a.gtin, a.serial] as [`0x${string}`, Uint8Array];
  });
  const result = await send(ledger.tx.ship(ids, DEV[to], statement), signer);
  const shipped = eventsOf(ledger, result).find((e) => e.name.endsWith('PacksShipped'));
  if (!shipped) throw new Error('ship emitted no PacksShipped');
  return BigInt(shipped.data.shipmentId as bigint);
}

export async function receive(ledger: Ledger, send: Send, dev: Dev, by: DevName, shipment: bigint, packs: Pack[]): Promise<void> {
  const ids = packs.map((p) => {
    const a = toContractArgs(p);
    return [a.gtin, a.serial] as [`0x${string}`, Uint8Array];
  });
  await send(ledger.tx.receive(shipment, ids), await dev(`//${by}`));
}

/** The pack's record as the chain holds it now (status, custodian's address, suspect, …). */
export async function packNow(ledger: Ledger, p: Pack) {
  const a = toContractArgs(p);
  const r = (await ledger.query.pack(a.gtin, a.serial, { caller: DEV.Alice })).data;
  if (!r) return null;
  return {
    status: r.status,
    custodian: r.custodian.address(),
    transitTo: r.transit?.to.address() ?? null,
    suspect: r.suspectEvidence !== undefined,
    illegitimate: r.illegitimate,
  };
}

export async function verifyNow(ledger: Ledger, p: Pack) {
  const a = toContractArgs(p);
  return (await ledger.query.verify(a.gtin, a.serial, a.lot, a.expiry, { caller: DEV.Alice })).data;
}

// ---------------------------------------------------------------------------------------------
// The page

/** Acts as the development account `name` and opens the view whose nav button is `view`. */
export async function actAs(page: Page, name: DevName, view: string | RegExp): Promise<void> {
  await page.getByLabel('Act as account').selectOption(DEV[name], { timeout: 60_000 });
  const nav = page.getByRole('navigation', { name: 'Your roles' });
  await nav.getByRole('button', { name: view }).click();
  await page.getByRole('heading', { level: 2, name: typeof view === 'string' ? new RegExp(`^${view}`) : view }).waitFor();
}

/** A section or form of the view by its heading. */
export function task(page: Page, heading: string | RegExp) {
  return page.locator('form.task, section.panel').filter({ has: page.getByRole('heading', { name: heading, exact: typeof heading === 'string' }) });
}

// ---------------------------------------------------------------------------------------------
// A GS1 DataMatrix as a PNG

/** ECC 200 ASCII encodation of GS1 data: FNC1 first, digit pairs packed, GS as FNC1. */
function gs1Codewords(data: string): number[] {
  const cw = [232];
  for (let i = 0; i < data.length; ) {
    const c = data[i]!;
    if (c === '\x1d') {
      cw.push(232);
      i++;
    } else if (/\d/.test(c) && /\d/.test(data[i + 1] ?? '')) {
      cw.push(130 + Number(data.slice(i, i + 2)));
      i += 2;
    } else {
      cw.push(data.charCodeAt(i) + 1);
      i++;
    }
  }
  return cw;
}

/** A grayscale PNG of a module matrix: `scale` pixels a module, a 4-module quiet zone. */
function png(modules: (x: number, y: number) => boolean, width: number, height: number, scale = 8): Buffer {
  const quiet = 4;
  const W = (width + 2 * quiet) * scale;
  const H = (height + 2 * quiet) * scale;
  const raw = Buffer.alloc((W + 1) * H, 255);
  for (let y = 0; y < H; y++) {
    raw[y * (W + 1)] = 0; // filter: none
    const my = Math.floor(y / scale) - quiet;
    for (let x = 0; x < W; x++) {
      const mx = Math.floor(x / scale) - quiet;
      if (mx >= 0 && my >= 0 && mx < width && my < height && modules(mx, my)) raw[y * (W + 1) + 1 + x] = 0;
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(W, 0);
  header.writeUInt32BE(H, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grayscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** The PNG of a GS1 DataMatrix holding the pack's code, as printed on packs: 01, 17, 10 then GS, 21. */
export function dataMatrixPng(p: Pack): Buffer {
  const cw = gs1Codewords(`01${p.gtin}17${p.expiry}10${p.lot}\x1d21${p.serial}`);
  const info = DataMatrixSymbolInfo.lookup(cw.length, 0, undefined, undefined, true);
  const capacity = info.getDataCapacity();
  if (cw.length < capacity) cw.push(129);
  // ISO/IEC 16022 5.2.3: pad codewords after the first are scrambled by position (the library's own routine).
  const scramble = (DataMatrixHighLevelEncoder as unknown as { randomize253State: (position: number) => number }).randomize253State;
  while (cw.length < capacity) cw.push(scramble(cw.length + 1));
  const codewords = DataMatrixErrorCorrection.encodeECC200(String.fromCharCode(...cw), info);
  const placement = new DataMatrixDefaultPlacement(codewords, info.getSymbolDataWidth(), info.getSymbolDataHeight());
  placement.place();
  const writer = new DataMatrixWriter() as unknown as {
    encodeLowLevel: (p: unknown, i: unknown, w: number, h: number) => { getWidth(): number; getHeight(): number; get(x: number, y: number): boolean };
  };
  const matrix = writer.encodeLowLevel(placement, info, 0, 0);
  return png((x, y) => matrix.get(x, y), matrix.getWidth(), matrix.getHeight());
}
