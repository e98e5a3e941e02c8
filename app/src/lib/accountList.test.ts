import { describe, expect, it } from 'vitest';
import { parseAccountList } from './accountList';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const DAVE = '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy';
const NAMES: Record<string, string> = { alice: ALICE, bob: BOB, dave: DAVE };
const resolve = (t: string) => NAMES[t.toLowerCase()] ?? ([ALICE, BOB, DAVE].includes(t) ? t : null);
const nameOf = (a: string) => Object.entries(NAMES).find(([, v]) => v === a)?.[0] ?? a;

describe('a pasted list of accounts', () => {
  it('takes one account a line, skipping blank lines and trailing commas', () => {
    expect(parseAccountList(`Bob\n\n  ${DAVE},\r\n`, { resolve, max: 16 })).toEqual({ accounts: [BOB, DAVE], problems: [] });
  });
  it('names each bad line', () => {
    const r = parseAccountList('Bob\nnot an account\nDave', { resolve, max: 16 });
    expect(r.accounts).toEqual([BOB, DAVE]);
    expect(r.problems).toEqual(['Line 2: “not an account” is not an account address']);
  });
  it('refuses an account twice, and the caller', () => {
    const r = parseAccountList(`Bob\nAlice\n${BOB}`, {
      resolve,
      max: 16,
      nameOf,
      self: { address: ALICE, why: 'that is you: a study cannot ask its own researcher' },
    });
    expect(r.accounts).toEqual([BOB]);
    expect(r.problems).toEqual(['Line 2: that is you: a study cannot ask its own researcher', 'Line 3: bob is already on line 1']);
  });
  it('holds to the batch limit', () => {
    expect(parseAccountList('Bob\nDave\nAlice', { resolve, max: 2 }).problems).toEqual(['3 accounts: at most 2 can be asked at once']);
  });
  it('shortens a long bad line', () => {
    expect(parseAccountList('x'.repeat(100), { resolve, max: 2 }).problems[0]).toBe(`Line 1: “${'x'.repeat(60)}…” is not an account address`);
  });
  it('is empty for an empty list', () => {
    expect(parseAccountList('  \n', { resolve, max: 2 })).toEqual({ accounts: [], problems: [] });
  });
});
