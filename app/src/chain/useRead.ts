/** Reads something from the chain and re-reads it after every finalized transaction. */
import { useEffect, useState } from 'react';
import { useSuite } from './suite';

export type Read<T> = { state: 'loading' } | { state: 'ok'; value: T } | { state: 'error'; words: string };

export function useRead<T>(read: () => Promise<T>, deps: readonly unknown[]): Read<T> {
  const { version } = useSuite();
  const [r, setR] = useState<Read<T>>({ state: 'loading' });
  useEffect(() => {
    let cancelled = false;
    read().then(
      (value) => !cancelled && setR({ state: 'ok', value }),
      (e: unknown) => !cancelled && setR({ state: 'error', words: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version, ...deps]);
  return r;
}

/** Chain time now, as the contracts compare it (ms since the epoch). */
export function nowMs(): bigint {
  return BigInt(Date.now());
}
