import { describe, expect, it } from 'vitest';
import {
  auditRefusal,
  auditTime,
  auditUrl,
  dayBound,
  categoryNames,
  disclosureKind,
  DISCLOSURE_LOOK,
  DISCLOSURE_CSV,
  emergencyState,
  fetchAuditDocument,
  fetchAuditPage,
  readableDetail,
  nextLink,
  purposeCode,
  type DisclosureRow,
  type EmergencyRow,
} from './audit';
import { toCsv } from './csv';

const BASE = 'http://127.0.0.1:8477';

describe('URLs and pages', () => {
  it('builds URLs with the arguments that are set', () => {
    expect(auditUrl(BASE, '/v1/disclosures', { patient: '5Grw', since: '2026-01-01', until: undefined })).toBe(
      'http://127.0.0.1:8477/v1/disclosures?patient=5Grw&since=2026-01-01',
    );
    expect(auditUrl(`${BASE}/`, '/v1/emergency', { state: 'all', x: '' })).toBe('http://127.0.0.1:8477/v1/emergency?state=all');
  });

  it('turns picked days into inclusive bounds', () => {
    expect(dayBound('2026-01-01', 'since')).toBe('1767225600000');
    expect(dayBound('2026-01-01', 'until')).toBe('1767311999999');
    expect(dayBound('', 'since')).toBeUndefined();
    expect(dayBound('01/01/2026', 'until')).toBeUndefined();
  });

  it('reads the next page from the Link header, resolved against the API', () => {
    const url = `${BASE}/v1/packs/09506000134352/SN1`;
    expect(nextLink('</v1/packs/09506000134352/SN1?offset=2&limit=2>; rel="next"', url)).toBe(
      'http://127.0.0.1:8477/v1/packs/09506000134352/SN1?offset=2&limit=2',
    );
    expect(nextLink('</a>; rel="prev", </b?x=1,2>; rel=next', url)).toBe('http://127.0.0.1:8477/b?x=1,2');
    expect(nextLink('</a>; rel="prev"', url)).toBeNull();
    expect(nextLink(null, url)).toBeNull();
    expect(nextLink('</a>; rel="first next"', url)).toBe('http://127.0.0.1:8477/a');
  });

  it("says what was refused in the API's own words", () => {
    expect(auditRefusal(400, '{"error":"`bob` is not a valid patient (an SS58 or 0x account)"}')).toBe(
      'The audit API refused the question (HTTP 400): `bob` is not a valid patient (an SS58 or 0x account)',
    );
    expect(auditRefusal(503, '{"error":"busy; try again"}')).toBe('The audit API is busy (HTTP 503): busy; try again');
    expect(auditRefusal(431, '')).toBe('The audit API refused the request (HTTP 431)');
    expect(auditRefusal(500, 'not json')).toBe('The audit API could not answer (HTTP 500)');
  });
});

function fakeFetch(status: number, body: string, headers: Record<string, string> = {}) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fn = async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(body, { status, headers });
  };
  return { fn, calls };
}

describe('fetching', () => {
  it('fetches a page without credentials, with its total and next page', async () => {
    const { fn, calls } = fakeFetch(200, '[{"a":1},{"a":2}]', {
      'X-Total-Count': '5',
      Link: '</v1/emergency?state=all&offset=2&limit=2>; rel="next"',
    });
    const page = await fetchAuditPage<{ a: number }>(`${BASE}/v1/emergency?state=all&limit=2`, fn);
    expect(page).toEqual({ ok: true, rows: [{ a: 1 }, { a: 2 }], total: 5, next: `${BASE}/v1/emergency?state=all&offset=2&limit=2` });
    expect(calls[0]?.init.credentials).toBe('omit');
  });

  it('says when the API refuses or cannot be reached', async () => {
    const refused = await fetchAuditPage(`${BASE}/v1/records/0x12`, fakeFetch(400, '{"error":"`0x12` is not a valid content hash (0x and 64 hex digits)"}').fn);
    expect(refused).toEqual({ ok: false, words: 'The audit API refused the question (HTTP 400): `0x12` is not a valid content hash (0x and 64 hex digits)' });
    const down = await fetchAuditPage(`${BASE}/v1`, async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(down).toEqual({ ok: false, words: 'The audit API at http://127.0.0.1:8477 could not be reached (Failed to fetch): is it running?' });
    expect(await fetchAuditPage(`${BASE}/v1`, fakeFetch(200, '{"service":1}').fn)).toMatchObject({ ok: false });
    expect(await fetchAuditPage(`${BASE}/v1`, fakeFetch(200, 'nope').fn)).toMatchObject({ ok: false });
  });

  it('fetches a FHIR document as the API wrote it', async () => {
    const doc = await fetchAuditDocument(`${BASE}/v1/disclosures?patient=x&format=fhir`, fakeFetch(200, '{"resourceType":"Bundle"}').fn);
    expect(doc).toEqual({ ok: true, text: '{"resourceType":"Bundle"}', json: { resourceType: 'Bundle' } });
    expect(await fetchAuditDocument(`${BASE}/v1/x`, fakeFetch(404, '{"error":"no such endpoint: /v1/x; see GET /v1"}').fn)).toEqual({
      ok: false,
      words: 'The audit API has no such endpoint (HTTP 404): no such endpoint: /v1/x; see GET /v1',
    });
  });
});

const disclosure: DisclosureRow = {
  time: '2026-03-01T10:15:00.000Z',
  block: 12,
  extrinsic: 1,
  accessor: '5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y',
  custodian: '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy',
  categories: 'LAB_RESULTS|IMAGING',
  purpose: 'TREAT',
  decision: 'permitted',
  basis: 'consent #1',
  emergency: false,
};

describe('rows in words', () => {
  it('names categories, purposes and times', () => {
    expect(categoryNames('LAB_RESULTS|IMAGING')).toBe('Lab results, Imaging');
    expect(categoryNames('')).toBe('none');
    expect(categoryNames('NEW_THING')).toBe('NEW_THING');
    expect(purposeCode('ETREAT')).toBe('Emergency treatment (ETREAT)');
    expect(purposeCode('XYZ')).toBe('XYZ');
    expect(auditTime('2026-03-01T10:15:00.000Z')).toBe('2026-03-01 10:15 UTC');
    expect(auditTime(null)).toBe('—');
  });

  it('names the accounts of a detail and shortens its hashes', () => {
    const names = (a: string) => (a === '5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy' ? 'Dave' : `${a.slice(0, 6)}…`);
    expect(
      readableDetail(
        'shipped to 5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy in shipment #5, statement 0xd630c51c6823e4654140348121872594117cd565bc7dbe9814e68426b3f1cc68 (anchor #5)',
        names,
      ),
    ).toBe('shipped to Dave in shipment #5, statement 0xd630c5…cc68 (anchor #5)');
    expect(readableDetail('shipment #5 from 5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y received', names)).toBe('shipment #5 from 5FLSig… received');
    expect(readableDetail('lot LOT42 of GTIN 09506000134352 recalled', names)).toBe('lot LOT42 of GTIN 09506000134352 recalled');
  });

  it('marks refused and emergency disclosures', () => {
    expect(DISCLOSURE_LOOK[disclosureKind(disclosure)]).toEqual({ className: '', words: 'Permitted' });
    expect(DISCLOSURE_LOOK[disclosureKind({ ...disclosure, decision: 'denied', basis: 'no consent' })]).toEqual({ className: 'alert', words: 'Refused: the access was denied' });
    expect(DISCLOSURE_LOOK[disclosureKind({ ...disclosure, emergency: true, basis: 'emergency grant #1' })].className).toBe('emergency');
  });

  it('says where an emergency grant stands', () => {
    const g: EmergencyRow = {
      grant: 1,
      opened: '2026-03-01T10:15:00.000Z',
      block: 3,
      patient: 'p',
      responder: 'r',
      categories: 'EMERGENCY_SUMMARY',
      expires: '2026-03-01T22:15:00.000Z',
      review_due: '2026-03-08T10:15:00.000Z',
      review: 'pending',
      overdue: true,
      ended: null,
    };
    expect(emergencyState(g)).toBe('OVERDUE: review is late; review pending; still open');
    expect(emergencyState({ ...g, overdue: false, review: 'justified', ended: '2026-03-01T12:00:00.000Z' })).toBe('reviewed: justified; ended 2026-03-01 12:00 UTC');
  });

  it('writes a disclosures CSV with the header row', () => {
    const csv = toCsv(DISCLOSURE_CSV, [disclosure, { ...disclosure, extrinsic: null, basis: 'no consent, denied', decision: 'denied' }]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('time,block,extrinsic,accessor,custodian,categories,purpose,decision,basis,emergency');
    expect(lines[1]).toBe(`2026-03-01T10:15:00.000Z,12,1,${disclosure.accessor},${disclosure.custodian},LAB_RESULTS|IMAGING,TREAT,permitted,consent #1,false`);
    expect(lines[2]).toContain(',,');
    expect(lines[2]).toContain('"no consent, denied"');
  });
});
