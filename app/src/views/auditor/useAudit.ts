/** An audit API history, a page at a time: the rows so far, the total, and the next page. */
import { useCallback, useRef, useState } from 'react';
import { fetchAuditPage } from '../../lib/audit';

export type AuditState<Row> =
  | { state: 'idle' }
  | { state: 'loading'; url: string }
  | { state: 'ok'; url: string; rows: Row[]; total: number | null; next: string | null; loadingMore: boolean }
  | { state: 'error'; url: string; words: string };

export function useAuditHistory<Row>() {
  const [s, setS] = useState<AuditState<Row>>({ state: 'idle' });
  // Only the last question's answer is shown.
  const asked = useRef(0);

  const load = useCallback(async (url: string) => {
    const n = ++asked.current;
    setS({ state: 'loading', url });
    const page = await fetchAuditPage<Row>(url);
    if (n !== asked.current) return;
    setS(page.ok ? { state: 'ok', url, rows: page.rows, total: page.total, next: page.next, loadingMore: false } : { state: 'error', url, words: page.words });
  }, []);

  const more = useCallback(async () => {
    if (s.state !== 'ok' || !s.next) return;
    const n = asked.current;
    const current = s;
    setS({ ...current, loadingMore: true });
    const page = await fetchAuditPage<Row>(current.next!);
    if (n !== asked.current) return;
    setS(
      page.ok
        ? { ...current, rows: [...current.rows, ...page.rows], total: page.total ?? current.total, next: page.next, loadingMore: false }
        : { state: 'error', url: current.url, words: page.words },
    );
  }, [s]);

  const reset = useCallback(() => {
    asked.current++;
    setS({ state: 'idle' });
  }, []);

  return { s, load, more, reset };
}

/** Saves `text` as a file named `name` through a blob: URL (nothing leaves the device). */
export function saveFile(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Let the download start before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
