import { describe, expect, it } from 'vitest';
import { lastId, newestIds, parseId, studyState, studyStatusText } from './studies';

const T0 = BigInt(Date.UTC(2026, 11, 5, 12, 0));
const D = 86_400_000n;
const names = (a: string) => (a === 'F' ? 'Ferdie' : a);

describe('studies in words', () => {
  it('says where a study stands', () => {
    expect(studyStatusText({ endsAt: T0 + D, status: { type: 'Proposed' } }, T0)).toBe('proposed: awaiting an ethics approver');
    expect(studyStatusText({ endsAt: T0 + D, status: { type: 'Approved', value: ['F', '0x', T0] } }, T0, names)).toBe(
      'approved by Ferdie on 2026-12-05 12:00 UTC',
    );
    expect(studyStatusText({ endsAt: T0 + D, status: { type: 'Suspended', value: [{ address: () => 'F' }, T0] } }, T0, names)).toBe(
      'suspended by Ferdie on 2026-12-05 12:00 UTC',
    );
    expect(studyStatusText({ endsAt: T0, status: { type: 'Proposed' } }, T0 + D)).toBe('ended 2026-12-05 12:00 UTC; proposed: awaiting an ethics approver');
  });
  it('names the state', () => {
    expect(studyState({ endsAt: T0 + D, status: { type: 'Approved', value: ['F', '0x', T0] } }, T0)).toBe('approved');
    expect(studyState({ endsAt: T0 + D, status: { type: 'Approved', value: ['F', '0x', T0] } }, T0 + D)).toBe('ended');
    expect(studyState({ endsAt: T0 + D, status: { type: 'Suspended', value: ['F', T0] } }, T0)).toBe('suspended');
    expect(studyState({ endsAt: T0 + D, status: { type: 'Proposed' } }, T0)).toBe('proposed');
  });
});

describe('finding the newest study without a list query', () => {
  const upTo = (n: bigint) => {
    const asked: bigint[] = [];
    const exists = async (id: bigint) => {
      asked.push(id);
      return id >= 1n && id <= n;
    };
    return { exists, asked };
  };
  it('finds the last id for every count, asking few', async () => {
    for (const n of [0n, 1n, 2n, 3n, 4n, 5n, 7n, 8n, 9n, 50n, 63n, 64n, 65n, 1000n]) {
      const { exists, asked } = upTo(n);
      expect(await lastId(exists)).toBe(n);
      expect(asked.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(Number(n) + 2)) + 2);
    }
  });
  it('stops at the cap', async () => {
    expect(await lastId(upTo(100n).exists, 16n)).toBe(16n);
  });
  it('lists the newest first, at most count', () => {
    expect(newestIds(5n, 3)).toEqual([5n, 4n, 3n]);
    expect(newestIds(2n, 50)).toEqual([2n, 1n]);
    expect(newestIds(0n, 50)).toEqual([]);
  });
  it('reads a typed study number', () => {
    expect(parseId(' 12 ')).toBe(12n);
    expect(parseId('#3')).toBe(3n);
    expect(parseId('0')).toBeNull();
    expect(parseId('1.5')).toBeNull();
    expect(parseId('abc')).toBeNull();
    expect(parseId('')).toBeNull();
  });
});
