/**
 * Reads one of the audit API's histories (docs/audit-api.md) without credentials, re-reading
 * after every finalized transaction and on request; an unreachable API is said in words.
 */
import { useCallback, useEffect, useState } from 'react';
import { useSuite } from '../../chain/suite';

export type Audit<T> =
  | { state: 'loading' }
  | { state: 'ok'; rows: T[]; total: number | null }
  | { state: 'error'; words: string };

type Parse<T> = (json: unknown) => { ok: true; rows: T[] } | { ok: false; error: string };

export function useAudit<T>(url: string, parse: Parse<T>): { audit: Audit<T>; reload: () => void; reading: boolean } {
  const { version, deployment } = useSuite();
  const [audit, setAudit] = useState<Audit<T>>({ state: 'loading' });
  const [asked, setAsked] = useState(0);
  const [reading, setReading] = useState(false);
  const reload = useCallback(() => setAsked((n) => n + 1), []);

  useEffect(() => {
    let cancelled = false;
    setReading(true);
    const where = `The audit API (${deployment.auditUrl})`;
    (async (): Promise<Audit<T>> => {
      let response: Response;
      try {
        response = await fetch(url, { credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' });
      } catch {
        return {
          state: 'error',
          words: `${where} could not be reached, so this history cannot be shown now. The chain still holds every event; try again later.`,
        };
      }
      let json: unknown;
      try {
        json = await response.json();
      } catch {
        return { state: 'error', words: `${where} answered HTTP ${response.status} with something that is not JSON.` };
      }
      if (!response.ok) {
        const said = typeof json === 'object' && json !== null && 'error' in json ? String((json as { error: unknown }).error) : '';
        return { state: 'error', words: `${where} refused the request (HTTP ${response.status})${said ? `: ${said}` : ''}.` };
      }
      const parsed = parse(json);
      if (!parsed.ok) return { state: 'error', words: `${where} answered something unexpected: ${parsed.error}.` };
      const total = Number(response.headers.get('X-Total-Count') ?? NaN);
      return { state: 'ok', rows: parsed.rows, total: Number.isFinite(total) ? total : null };
    })()
      .catch((e: unknown) => ({ state: 'error' as const, words: `The audit API's answer could not be read: ${e instanceof Error ? e.message : String(e)}` }))
      .then((a) => {
        if (!cancelled) {
          setAudit(a);
          setReading(false);
        }
      });
    return () => {
      cancelled = true;
    };
  }, [url, parse, version, asked, deployment.auditUrl]);

  return { audit, reload, reading };
}
