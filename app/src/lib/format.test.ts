import { describe, expect, it } from 'vitest';
import { categoriesText, formatField, fieldLabel, formatBalance, formatTime, formatValue, formatWeight, purposesText, shortHex } from './format';

describe('categories and purposes in words', () => {
  it('names every bit and flags unknown ones', () => {
    expect(categoriesText(0)).toBe('none');
    expect(categoriesText((1 << 4) | (1 << 5))).toBe('Lab results, Imaging');
    expect(categoriesText(1 << 8)).toBe('Mental health');
    expect(categoriesText(1 << 14)).toBe('unknown categories (0x4000)');
    expect(purposesText(0b101)).toBe('Treatment, Research');
    expect(purposesText(0)).toBe('none');
  });
});

describe('balances, weights, times', () => {
  it('writes balances in the token with at most four decimals', () => {
    expect(formatBalance(1_500_000_000_000n, 12, 'UNIT')).toBe('1.5 UNIT');
    expect(formatBalance(0n, 12, 'UNIT')).toBe('0 UNIT');
    expect(formatBalance(12_345_678_000_000_000n, 12, 'UNIT')).toBe('12,345.678 UNIT');
    expect(formatBalance(1n, 12, 'UNIT')).toBe('< 0.0001 UNIT');
    expect(formatBalance(-2_000_000_000_000n, 12, 'UNIT')).toBe('-2 UNIT');
    expect(formatBalance(150n, 2, 'EUR')).toBe('1.5 EUR');
  });
  it('writes weights in G and kB', () => {
    expect(formatWeight(1_217_000_000n, 117_447n)).toBe('computation 1.217 G, proof 117.4 kB');
  });
  it('writes chain times in UTC, and the ends of time in words', () => {
    expect(formatTime(Date.UTC(2026, 11, 5, 19, 30))).toBe('2026-12-05 19:30 UTC');
    expect(formatTime(0n)).toBe('never');
    expect(formatTime(2n ** 64n - 1n)).toBe('no end');
  });
});

describe('decoded values', () => {
  it('shortens hashes, names accounts, spells enums and GS1 codes', () => {
    const hash = `0x${'ab'.repeat(32)}`;
    expect(shortHex(hash)).toBe('0xababab…abab');
    expect(formatValue(hash)).toBe('0xababab…abab');
    const alice = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
    expect(formatValue(alice, (a) => (a === alice ? 'Alice' : a))).toBe('Alice');
    expect(formatValue({ address: () => alice }, () => 'Alice')).toBe('Alice');
    expect(formatValue({ type: 'Paused' })).toBe('Paused');
    expect(formatValue({ type: 'Strikes', value: 3 })).toBe('Strikes (3)');
    expect(formatValue('0x4c4f543432')).toBe('LOT42');
    expect(formatValue({ id: 7n, active: true, until: null })).toBe('id: 7; active: yes; until: —');
    expect(formatValue([])).toBe('none');
    expect(formatValue(new Uint8Array([0x53, 0x4e, 0x31]))).toBe('SN1');
  });
});

describe('event fields by name', () => {
  it('spells categories, purposes and times', () => {
    expect(formatField('categories', 16)).toBe('Lab results');
    expect(formatField('purposes', 1)).toBe('Treatment');
    expect(formatField('purpose', 'EmergencyTreatment')).toBe('Emergency treatment');
    expect(formatField('validUntil', BigInt(Date.UTC(2027, 0, 1)))).toBe('2027-01-01 00:00 UTC');
    expect(formatField('consentId', 1n)).toBe('1');
    expect(fieldLabel('validUntil')).toBe('valid until');
    expect(formatValue({ categories: 48, validFrom: BigInt(Date.UTC(2026, 0, 1)) })).toBe('categories: Lab results, Imaging; valid from: 2026-01-01 00:00 UTC');
  });
});
