//! The audit queries, each a [`Table`] that prints as a readable table, CSV (RFC 4180) or
//! JSON (an array of objects, one per row, keyed by column).

use super::events::{self, describe, emergency, Emergency, Subject};
use super::store::{AuditStore, Filter, StoredEvent};
use crate::chain::ss58;
use crate::error::Result;
use ink::primitives::AccountId;
use serde_json::Value;
use std::collections::BTreeMap;

/// Rows under named columns; cells are JSON values (numbers stay numbers in `--json`).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Value>>,
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Table {
    fn new(columns: &[&'static str]) -> Self {
        Self { columns: columns.to_vec(), rows: Vec::new() }
    }

    /// The cells of column `name`, in row order.
    pub fn column(&self, name: &str) -> Vec<Value> {
        let Some(i) = self.columns.iter().position(|c| *c == name) else { return Vec::new() };
        self.rows.iter().map(|r| r.get(i).cloned().unwrap_or(Value::Null)).collect()
    }

    pub fn to_json(&self) -> Value {
        Value::Array(
            self.rows
                .iter()
                .map(|r| Value::Object(self.columns.iter().map(|c| c.to_string()).zip(r.iter().cloned()).collect()))
                .collect(),
        )
    }

    pub fn to_csv(&self) -> String {
        let quote = |s: String| {
            if s.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s
            }
        };
        let mut out = self.columns.join(",");
        out.push_str("\r\n");
        for r in &self.rows {
            out.push_str(&r.iter().map(|v| quote(cell(v))).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// Aligned columns for a terminal; `(none)` when there are no rows.
    pub fn to_text(&self) -> String {
        if self.rows.is_empty() {
            return "(none)\n".into();
        }
        let texts: Vec<Vec<String>> = self.rows.iter().map(|r| r.iter().map(cell).collect()).collect();
        let widths: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| texts.iter().filter_map(|r| r.get(i)).map(|s| s.chars().count()).fold(c.len(), usize::max))
            .collect();
        let line = |cells: Vec<String>| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(s, w)| format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count()))))
                .collect();
            format!("{}\n", padded.join("  ").trim_end())
        };
        let mut out = line(self.columns.iter().map(|c| c.to_string()).collect());
        for r in texts {
            out.push_str(&line(r));
        }
        out
    }
}

fn text(s: impl Into<String>) -> Value {
    Value::String(s.into())
}

fn account(a: &AccountId) -> Value {
    text(ss58(a))
}

fn position(e: &StoredEvent) -> [Value; 3] {
    [text(events::rfc3339(e.time_ms)), Value::from(e.block), e.extrinsic.map_or(Value::Null, Value::from)]
}

/// Events of the named kinds that carry this account as their patient.
const DISCLOSURE: [&str; 1] = ["AccessRecorded"];

/// Every access recorded for `patient` in the window, decoded, in chain order.
pub fn access_events(
    store: &dyn AuditStore,
    patient: &AccountId,
    since: Option<u64>,
    until: Option<u64>,
) -> Result<Vec<(StoredEvent, consent_registry::events::AccessRecorded)>> {
    let subject = Subject::Patient(*patient);
    let filter = Filter { names: &DISCLOSURE, subject: Some(&subject), since_ms: since, until_ms: until };
    Ok(store.events(&filter)?.into_iter().filter_map(|e| events::access(&e.data).map(|a| (e, a))).collect())
}

/// The HIPAA accounting of disclosures (45 CFR 164.528): every access a custodian recorded to
/// `patient`'s data, permitted or refused, in chain order; emergency accesses marked.
pub fn disclosures(
    store: &dyn AuditStore,
    patient: &AccountId,
    since: Option<u64>,
    until: Option<u64>,
) -> Result<Table> {
    let mut t = Table::new(&[
        "time",
        "block",
        "extrinsic",
        "accessor",
        "custodian",
        "categories",
        "purpose",
        "decision",
        "basis",
        "emergency",
    ]);
    for (e, a) in access_events(store, patient, since, until)? {
        let (decision, basis) = events::decision(&a.decision);
        let emergency = matches!(a.decision, carechain_shared::AccessDecision::PermittedByEmergencyGrant(_));
        let [time, block, extrinsic] = position(&e);
        t.rows.push(vec![
            time,
            block,
            extrinsic,
            account(&a.accessor),
            account(&a.custodian),
            text(events::categories(a.categories)),
            text(a.purpose.hl7_code()),
            text(decision),
            text(basis),
            Value::Bool(emergency),
        ]);
    }
    Ok(t)
}

/// What `consents` lists: grants, revocations, deny rules, delegates, research answers and blocks.
pub const CONSENT_EVENTS: [&str; 11] = [
    "ConsentGranted",
    "ConsentRevoked",
    "DenyRuleAdded",
    "DenyRuleRemoved",
    "DelegateAppointed",
    "DelegateRemoved",
    "RequestClosed",
    "ResearcherBlocked",
    "ResearcherUnblocked",
    "Purged",
    "InboxPurged",
];

fn history(found: Vec<StoredEvent>) -> Table {
    let mut t = Table::new(&["time", "block", "extrinsic", "event", "by", "detail"]);
    for e in found {
        let Some(d) = describe(&e.name, &e.data) else { continue };
        let [time, block, extrinsic] = position(&e);
        t.rows.push(vec![
            time,
            block,
            extrinsic,
            text(e.name),
            d.actor.as_ref().map_or(Value::Null, account),
            text(d.detail),
        ]);
    }
    t
}

/// A patient's consent history. Research *requests* carry no patient on chain (by design:
/// threat model), so only the answers appear.
pub fn consents(store: &dyn AuditStore, patient: &AccountId) -> Result<Table> {
    let subject = Subject::Patient(*patient);
    Ok(history(store.events(&Filter { names: &CONSENT_EVENTS, subject: Some(&subject), ..Filter::default() })?))
}

/// Which emergency grants to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmergencyFilter {
    All,
    /// Awaiting an authority's review (new, or re-opened by the patient's dispute).
    Pending,
    /// Pending and past the review deadline at `now`.
    Overdue,
}

const EMERGENCY_EVENTS: [&str; 5] = ["GlassBroken", "GrantEnded", "GrantReviewed", "ReviewOverdue", "GrantDisputed"];

/// Break-glass grants with their review state, folded from break_glass's events.
pub fn emergency_grants(store: &dyn AuditStore, which: EmergencyFilter, now_ms: u64) -> Result<Table> {
    struct Grant {
        opened: StoredEvent,
        e: break_glass::events::GlassBroken,
        review: &'static str,
        review_due: u64,
        ended: Option<u64>,
        flagged_overdue: bool,
    }
    let mut grants: BTreeMap<u64, Grant> = BTreeMap::new();
    for ev in store.events(&Filter { names: &EMERGENCY_EVENTS, ..Filter::default() })? {
        match emergency(&ev.name, &ev.data) {
            Some(Emergency::Opened(e)) => {
                let review_due = e.review_due;
                grants.insert(
                    e.grant_id,
                    Grant { opened: ev, e, review: "pending", review_due, ended: None, flagged_overdue: false },
                );
            }
            Some(Emergency::Ended(e)) => {
                if let Some(g) = grants.get_mut(&e.grant_id) {
                    g.ended = Some(ev.time_ms);
                }
            }
            Some(Emergency::Reviewed(e)) => {
                if let Some(g) = grants.get_mut(&e.grant_id) {
                    g.review = if e.justified { "justified" } else { "unjustified" };
                }
            }
            Some(Emergency::Overdue(e)) => {
                if let Some(g) = grants.get_mut(&e.grant_id) {
                    g.flagged_overdue = true;
                }
            }
            Some(Emergency::Disputed(e)) => {
                if let Some(g) = grants.get_mut(&e.grant_id) {
                    g.review = "disputed";
                    g.review_due = e.review_due;
                    // A new review, with a new deadline: the old flag was about the first.
                    g.flagged_overdue = false;
                }
            }
            None => {}
        }
    }
    let mut t = Table::new(&[
        "grant",
        "opened",
        "block",
        "patient",
        "responder",
        "categories",
        "expires",
        "review_due",
        "review",
        "overdue",
        "ended",
    ]);
    for (id, g) in grants {
        let pending = matches!(g.review, "pending" | "disputed");
        // Overdue while awaiting review: past the deadline now, or flagged so on chain.
        let overdue = pending && (g.review_due < now_ms || g.flagged_overdue);
        let keep = match which {
            EmergencyFilter::All => true,
            EmergencyFilter::Pending => pending,
            EmergencyFilter::Overdue => overdue,
        };
        if keep {
            t.rows.push(vec![
                Value::from(id),
                text(events::rfc3339(g.opened.time_ms)),
                Value::from(g.opened.block),
                account(&g.e.patient),
                account(&g.e.responder),
                text(events::categories(g.e.categories)),
                text(events::rfc3339(g.e.expires_at)),
                text(events::rfc3339(g.review_due)),
                text(g.review),
                Value::Bool(overdue),
                g.ended.map_or(Value::Null, |t| text(events::rfc3339(t))),
            ]);
        }
    }
    Ok(t)
}

const PACK_EVENTS: [&str; 8] = [
    "PacksCommissioned",
    "PacksShipped",
    "PacksReceived",
    "ShipmentCancelled",
    "PackStatusChanged",
    "FalsificationAlert",
    "SuspectFlagged",
    "SuspectResolved",
];

fn merged(mut found: Vec<StoredEvent>) -> Vec<StoredEvent> {
    found.sort_by_key(|e| (e.block, e.index));
    found.dedup_by_key(|e| (e.block, e.index));
    found
}

/// A pack's custody history (DSCSA transaction history / EU FMD): commissioning, each shipment
/// with its anchored statement, receipts, dispense or decommission, alerts, suspicion, and the
/// recall (or restoring) of its lot.
pub fn pack(store: &dyn AuditStore, gtin: &[u8; 14], serial: &[u8]) -> Result<Table> {
    let subject = Subject::pack(gtin, serial);
    let mut found = store.events(&Filter { names: &PACK_EVENTS, subject: Some(&subject), ..Filter::default() })?;
    let lots: Vec<Vec<u8>> = found
        .iter()
        .filter(|e| e.name == "PacksCommissioned")
        .filter_map(|e| scale::Decode::decode(&mut &e.data[..]).ok())
        .map(|c: pharma_ledger::events::PacksCommissioned| c.lot)
        .collect();
    for lot in lots {
        let subject = Subject::lot(gtin, &lot);
        found.extend(store.events(&Filter {
            names: &["LotRecalled", "LotRestored"],
            subject: Some(&subject),
            ..Filter::default()
        })?);
    }
    Ok(history(merged(found)))
}

/// Every anchor of a content hash: who anchored it, the versions that superseded it, and
/// retractions (entered in error).
pub fn record(store: &dyn AuditStore, content_hash: &[u8; 32]) -> Result<Table> {
    const NAMES: [&str; 2] = ["RecordAnchored", "EnteredInError"];
    let mut found =
        store.events(&Filter { names: &NAMES, subject: Some(&Subject::Record(*content_hash)), ..Filter::default() })?;
    let anchors: Vec<u64> = found
        .iter()
        .filter_map(|e| scale::Decode::decode(&mut &e.data[..]).ok())
        .map(|a: record_anchor::events::RecordAnchored| a.anchor_id)
        .collect();
    for id in anchors {
        found.extend(store.events(&Filter {
            names: &NAMES,
            subject: Some(&Subject::Anchor(id)),
            ..Filter::default()
        })?);
    }
    Ok(history(merged(found)))
}
