import { describe, expect, it } from 'vitest';
import { offersDevAccounts } from './chain';

describe('development accounts', () => {
  it('are offered on development and local chains only', () => {
    expect(offersDevAccounts('Development')).toBe(true);
    expect(offersDevAccounts('Local')).toBe(true);
    for (const other of ['Live', { Custom: 'consortium' }, { Custom: 'Development' }, undefined, 'development']) {
      expect(offersDevAccounts(other)).toBe(false);
    }
  });
});
