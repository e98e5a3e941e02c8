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
