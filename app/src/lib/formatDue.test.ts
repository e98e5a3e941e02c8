import { describe, expect, it } from 'vitest';
import { formatField } from './format';

describe('deadlines named …Due', () => {
  it('writes a reviewDue time as a date', () => {
    expect(formatField('reviewDue', BigInt(Date.UTC(2026, 11, 12, 20, 22)))).toBe('2026-12-12 20:22 UTC');
  });
});
