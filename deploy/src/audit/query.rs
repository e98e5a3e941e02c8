//! One set of rules for what an auditor asks, whether the question comes from the command line
//! or from the HTTP API: arguments are parsed and checked here (a mistyped GTIN is an error,
//! not an empty history), and [`answer`] runs the query.

use super::report::{self, EmergencyFilter, Table};
use super::store::AuditStore;
use super::{events, fhir, parse_account};
use crate::chain::parse_hash;
use crate::error::{DeployError, Result};
use ink::primitives::AccountId;
use serde_json::Value;

/// A question to the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    Disclosures { patient: AccountId, since: Option<u64>, until: Option<u64> },
    Consents { patient: AccountId },
    Emergency(EmergencyFilter),
    Pack { gtin: [u8; 14], serial: Vec<u8> },
    Record { content_hash: [u8; 32] },
}

/// What a query gives: rows, or a FHIR R5 resource (disclosures and consents only).
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Table(Table),
    Fhir(Value),
}

fn bad(what: &str, value: &str) -> DeployError {
    DeployError::BadArgument { what: what.into(), value: value.into() }
}

/// A patient: SS58, or 0x and 64 hex digits.
pub fn patient(s: &str) -> Result<AccountId> {
    parse_account(s).ok_or_else(|| bad("patient (an SS58 or 0x account)", s))
}

/// An optional bound of a time window: ms since the epoch, `2026-01-31` or `2026-01-31T12:00:00Z`.
pub fn time(s: Option<&str>) -> Result<Option<u64>> {
    s.map(|v| events::parse_time(v).ok_or_else(|| bad("time", v))).transpose()
}

/// A pack, by pharma_ledger's own GS1 rules: a GTIN-14 with its check digit, a serial of 1–20
/// GS1 characters.
pub fn pack(gtin: &str, serial: &str) -> Result<([u8; 14], Vec<u8>)> {
    use pharma_ledger::gs1::{validate_code, validate_gtin};
    let g: [u8; 14] = gtin
        .as_bytes()
        .try_into()
        .ok()
        .filter(|g| validate_gtin(g).is_ok())
        .ok_or_else(|| bad("GTIN (14 digits, GS1 check digit)", gtin))?;
    validate_code(serial.as_bytes()).map_err(|_| bad("serial (1-20 GS1 characters)", serial))?;
    Ok((g, serial.as_bytes().to_vec()))
}

/// A record's content hash: 0x and 64 hex digits.
pub fn content_hash(s: &str) -> Result<[u8; 32]> {
    parse_hash(s).ok_or_else(|| bad("content hash (0x and 64 hex digits)", s))
}

/// The most rows (or FHIR entries) one answer carries; a larger `limit` is refused.
pub const MAX_LIMIT: usize = 10_000;

/// A window of an answer: `offset` rows skipped, at most `limit` kept. Histories are in the
/// order events were indexed and only grow at the end, so their offsets stay stable between
/// pages; the pending and overdue emergency views are not histories (a grant leaves them when
/// it is reviewed and enters the overdue one when its deadline passes), so a later page of
/// them may skip or repeat a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: usize,
    pub limit: Option<usize>,
}

impl Page {
    /// From the `offset` and `limit` arguments: whole numbers, `limit` 1..=[`MAX_LIMIT`];
    /// without a `limit`, `default_limit`.
    pub fn parse(offset: Option<&str>, limit: Option<&str>, default_limit: Option<usize>) -> Result<Page> {
        let offset = match offset {
            None => 0,
            Some(v) => v.parse().map_err(|_| bad("offset (a whole number of rows to skip)", v))?,
        };
        let limit = match limit {
            None => default_limit,
            Some(v) => Some(
                v.parse()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or_else(|| bad(&format!("limit (1 to {MAX_LIMIT} rows)"), v))?,
            ),
        };
        Ok(Page { offset, limit })
    }

    /// `items` cut to this window.
    fn window<T>(&self, items: Vec<T>) -> Vec<T> {
        items.into_iter().skip(self.offset).take(self.limit.unwrap_or(usize::MAX)).collect()
    }
}

/// An answer cut to a [`Page`], with what the whole answer holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged {
    pub answer: Answer,
    /// Rows (or FHIR entries) of the whole answer.
    pub total: usize,
    pub page: Page,
    /// Rows (or entries) in this window.
    pub returned: usize,
}

impl Paged {
    /// Where the next window starts, if rows remain after this one.
    pub fn next_offset(&self) -> Option<usize> {
        let end = self.page.offset.saturating_add(self.returned);
        (self.returned > 0 && end < self.total).then_some(end)
    }
}

/// Runs `query` and cuts its answer to `page`; a FHIR Bundle keeps the whole answer's count as
/// its `total` (FHIR searchset semantics) and carries the window's entries.
pub fn answer_page(store: &dyn AuditStore, query: &Query, fhir: bool, now_ms: u64, page: Page) -> Result<Paged> {
    Ok(cut(answer(store, query, fhir, now_ms)?, page))
}

fn cut(answer: Answer, page: Page) -> Paged {
    match answer {
        Answer::Table(mut t) => {
            let total = t.rows.len();
            t.rows = page.window(std::mem::take(&mut t.rows));
            let returned = t.rows.len();
            Paged { answer: Answer::Table(t), total, page, returned }
        }
        Answer::Fhir(mut bundle) => {
            let entries = match bundle.as_object_mut().and_then(|obj| obj.remove("entry")) {
                Some(Value::Array(entries)) => entries,
                _ => Vec::new(),
            };
            let total = entries.len();
            let window = page.window(entries);
            let returned = window.len();
            // FHIR JSON has no empty arrays: a window with no entries has no `entry`.
            if let (false, Some(obj)) = (window.is_empty(), bundle.as_object_mut()) {
                obj.insert("entry".into(), Value::Array(window));
            }
            Paged { answer: Answer::Fhir(bundle), total, page, returned }
        }
    }
}

/// Runs `query`; `fhir` asks for the FHIR R5 form, which disclosures and consents have.
pub fn answer(store: &dyn AuditStore, query: &Query, fhir: bool, now_ms: u64) -> Result<Answer> {
    Ok(match (query, fhir) {
        (Query::Disclosures { patient, since, until }, false) => {
            Answer::Table(report::disclosures(store, patient, *since, *until)?)
        }
        (Query::Disclosures { patient, since, until }, true) => {
            Answer::Fhir(fhir::disclosures(store, patient, *since, *until)?)
        }
        (Query::Consents { patient }, false) => Answer::Table(report::consents(store, patient)?),
        (Query::Consents { patient }, true) => Answer::Fhir(fhir::consents(store, patient, now_ms)?),
        (Query::Emergency(which), false) => Answer::Table(report::emergency_grants(store, *which, now_ms)?),
        (Query::Pack { gtin, serial }, false) => Answer::Table(report::pack(store, gtin, serial)?),
        (Query::Record { content_hash }, false) => Answer::Table(report::record(store, content_hash)?),
        (_, true) => return Err(bad("format (FHIR is offered for disclosures and consents)", "fhir")),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    const ALL: Page = Page { offset: 0, limit: None };

    #[test]
    fn a_page_is_two_whole_numbers_and_a_bounded_limit() {
        assert_eq!(Page::parse(None, None, None).unwrap(), ALL);
        assert_eq!(Page::parse(None, None, Some(1000)).unwrap(), Page { offset: 0, limit: Some(1000) });
        assert_eq!(Page::parse(Some("20"), Some("10"), Some(1000)).unwrap(), Page { offset: 20, limit: Some(10) });
        assert_eq!(Page::parse(None, Some("10000"), None).unwrap().limit, Some(MAX_LIMIT));
        for (offset, limit, refused) in [
            (Some("-1"), None, "`-1` is not a valid offset"),
            (Some("x"), None, "`x` is not a valid offset"),
            (None, Some("0"), "`0` is not a valid limit"),
            (None, Some("10001"), "`10001` is not a valid limit"),
            (None, Some("1.5"), "`1.5` is not a valid limit"),
        ] {
            let e = Page::parse(offset, limit, None).unwrap_err().to_string();
            assert!(e.contains(refused), "{e}");
        }
    }

    /// (first row's number, where the next window starts, rows returned, total) of `n` rows
    /// cut to `page`.
    fn table(n: u64, page: Page) -> (Option<u64>, Option<usize>, usize, usize) {
        let rows = Table { columns: vec!["n"], rows: (0..n).map(|i| vec![i.into()]).collect() };
        let paged = cut(Answer::Table(rows), page);
        let Answer::Table(t) = &paged.answer else { panic!("a table stays a table") };
        let first = t.rows.first().and_then(|r| r.first()).and_then(Value::as_u64);
        assert_eq!(t.rows.len(), paged.returned);
        (first, paged.next_offset(), paged.returned, paged.total)
    }

    #[test]
    fn a_window_cuts_rows_and_says_where_the_next_starts() {
        let page = |offset, limit| Page { offset, limit: Some(limit) };
        assert_eq!(table(5, page(0, 2)), (Some(0), Some(2), 2, 5));
        assert_eq!(table(5, page(2, 2)), (Some(2), Some(4), 2, 5));
        assert_eq!(table(5, page(4, 2)), (Some(4), None, 1, 5));
        assert_eq!(table(5, page(9, 2)), (None, None, 0, 5));
        assert_eq!(table(5, ALL), (Some(0), None, 5, 5));
        assert_eq!(table(0, ALL), (None, None, 0, 0));
    }

    #[test]
    fn a_fhir_bundle_keeps_the_whole_count_as_its_total() {
        let entries: Vec<Value> = (0..5).map(|i| serde_json::json!({ "fullUrl": i })).collect();
        let bundle = serde_json::json!({ "resourceType": "Bundle", "type": "searchset", "total": 5, "entry": entries });
        let paged = cut(Answer::Fhir(bundle), Page { offset: 3, limit: Some(10) });
        let Answer::Fhir(b) = &paged.answer else { panic!("a bundle stays a bundle") };
        assert_eq!(b["total"], 5);
        assert_eq!(b["entry"], serde_json::json!([{ "fullUrl": 3 }, { "fullUrl": 4 }]));
        assert_eq!((paged.total, paged.returned, paged.next_offset()), (5, 2, None));
        let past = serde_json::json!({ "resourceType": "Bundle", "type": "searchset", "total": 5, "entry": [1, 2] });
        let Answer::Fhir(b) = cut(Answer::Fhir(past), Page { offset: 9, limit: Some(10) }).answer else {
            panic!("a bundle stays a bundle")
        };
        assert_eq!((b["total"].as_u64(), b.get("entry")), (Some(5), None), "no empty `entry` array");
    }
}
