//! Every carechain event, named and decoded with the contracts' own event types: the one
//! decoder the index, its queries and the tests share. An event is known by the contract that
//! emitted it (an address the manifest names) and its signature topic; anything else is not
//! carechain's and is never stored.

use crate::chain::{hex, ss58, Emitted};
use break_glass::events as bg;
use carechain_shared::events as admin;
use carechain_shared::{AccessDecision, DataCategories, DenyReason, Purpose, PurposeSet};
use consent_registry::events as cr;
use ink::env::Event;
use ink::primitives::AccountId;
use pharma_ledger::events as pl;
use record_anchor::events as ra;
use research_registry::data::RequestOutcome;
use research_registry::events as rr;
use scale::{Decode, Encode};

/// A contract event and where the chain recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainEvent {
    pub block: u64,
    /// Position among the block's events: with `block`, what makes an event unique.
    pub index: u32,
    /// The extrinsic that emitted it, when the chain applied one (the embedded chain has none).
    pub extrinsic: Option<u32>,
    /// The block's timestamp (ms since the Unix epoch).
    pub time_ms: u64,
    pub emitted: Emitted,
}

/// A key an event is looked up by. Only what the queries need: the patient (disclosures and
/// consent history), an emergency grant, a pack or lot, a record's content hash or anchor id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    Patient(AccountId),
    Grant(u64),
    /// SCALE encoding of pharma_ledger's `PackId`: (GTIN, serial).
    Pack(Vec<u8>),
    /// SCALE encoding of (GTIN, lot).
    Lot(Vec<u8>),
    Record([u8; 32]),
    Anchor(u64),
}

impl Subject {
    pub fn kind(&self) -> &'static str {
        match self {
            Subject::Patient(_) => "patient",
            Subject::Grant(_) => "grant",
            Subject::Pack(_) => "pack",
            Subject::Lot(_) => "lot",
            Subject::Record(_) => "record",
            Subject::Anchor(_) => "anchor",
        }
    }

    pub fn key(&self) -> Vec<u8> {
        match self {
            Subject::Patient(a) => AsRef::<[u8; 32]>::as_ref(a).to_vec(),
            Subject::Grant(id) | Subject::Anchor(id) => id.to_be_bytes().to_vec(),
            Subject::Pack(k) | Subject::Lot(k) => k.clone(),
            Subject::Record(h) => h.to_vec(),
        }
    }

    pub fn pack(gtin: &[u8; 14], serial: &[u8]) -> Self {
        Subject::Pack((gtin, serial).encode())
    }

    pub fn lot(gtin: &[u8; 14], lot: &[u8]) -> Self {
        Subject::Lot((gtin, lot).encode())
    }
}

macro_rules! catalogue {
    ($($contract:literal => [$($module:ident :: $event:ident),* $(,)?]),* $(,)?) => {
        /// Every event each contract declares, by contract name (the manifest's), in the
        /// contracts' own modules; the admin events of `carechain_shared` come with every one.
        pub const CATALOGUE: &[(&str, &[&str])] = &[$(($contract, &[$(stringify!($event)),*])),*];

        /// The name of the event `contract` emitted under this signature topic, if it is one of
        /// that contract's (or the shared admin events).
        pub fn event_name(contract: &str, signature: &[u8; 32]) -> Option<&'static str> {
            let is = |s: Option<[u8; 32]>| s.as_ref() == Some(signature);
            $(if contract == $contract {
                $(if is(<$module::$event as Event>::SIGNATURE_TOPIC) {
                    return Some(stringify!($event));
                })*
            })*
            ADMIN.iter().find(|(_, sig)| is(*sig)).map(|(name, _)| *name)
        }
    };
}

catalogue! {
    "break_glass" => [
        bg::AuthorityChanged, bg::ResponderRegistered, bg::ResponderSuspended,
        bg::ResponderReinstated, bg::PreferencesSet, bg::GlassBroken, bg::GrantEnded,
        bg::GrantReviewed, bg::ReviewOverdue, bg::GrantDisputed, bg::PolicyChanged,
    ],
    "consent_registry" => [
        cr::ConsentGranted, cr::ConsentRevoked, cr::DenyRuleAdded, cr::DenyRuleRemoved,
        cr::DelegateAppointed, cr::DelegateRemoved, cr::AccessRecorded, cr::CustodianChanged,
        cr::Purged,
    ],
    "research_registry" => [
        rr::EthicsApproverChanged, rr::ResearchPolicyChanged, rr::StudyRegistered,
        rr::StudyApproved, rr::StudySuspended, rr::AccessRequested, rr::RequestClosed,
        rr::ResearcherBlocked, rr::ResearcherUnblocked, rr::InboxPurged,
    ],
    "record_anchor" => [ra::RecordAnchored, ra::EnteredInError, ra::BatchAnchored],
    "pharma_ledger" => [
        pl::PartnerRegistered, pl::PartnerSuspensionChanged, pl::GtinClaimed,
        pl::GtinClaimRejected, pl::GtinAssigned, pl::GtinRevoked, pl::PacksCommissioned,
        pl::PacksShipped, pl::PacksReceived, pl::ShipmentCancelled, pl::PackStatusChanged,
        pl::FalsificationAlert, pl::SuspectFlagged, pl::SuspectResolved, pl::LotRecalled,
        pl::LotRestored,
    ],
}

/// The admin events every contract emits (`carechain_shared::events`).
const ADMIN: [(&str, Option<[u8; 32]>); 5] = [
    ("OwnershipTransferStarted", <admin::OwnershipTransferStarted as Event>::SIGNATURE_TOPIC),
    ("OwnershipTransferred", <admin::OwnershipTransferred as Event>::SIGNATURE_TOPIC),
    ("PauseChanged", <admin::PauseChanged as Event>::SIGNATURE_TOPIC),
    ("CodeUpgraded", <admin::CodeUpgraded as Event>::SIGNATURE_TOPIC),
    ("PeerWired", <admin::PeerWired as Event>::SIGNATURE_TOPIC),
];

/// The admin event names, as [`event_name`] returns them.
pub fn admin_event_names() -> impl Iterator<Item = &'static str> {
    ADMIN.iter().map(|(name, _)| *name)
}

/// `data` as an `E`, only if it decodes exactly (no missing or trailing bytes).
pub fn decode<E: Decode>(data: &[u8]) -> Option<E> {
    let mut input = data;
    let value = E::decode(&mut input).ok()?;
    input.is_empty().then_some(value)
}

/// The keys an event is found by. `None` when the data does not decode as the named event
/// (then the index refuses it rather than store something it cannot read back).
pub fn subjects(name: &str, data: &[u8]) -> Option<Vec<Subject>> {
    use Subject::*;
    let packs =
        |packs: &[(pharma_ledger::gs1::Gtin, Vec<u8>)]| packs.iter().map(|(g, s)| Subject::pack(g, s)).collect();
    Some(match name {
        "ConsentGranted" => vec![Patient(decode::<cr::ConsentGranted>(data)?.patient)],
        "ConsentRevoked" => vec![Patient(decode::<cr::ConsentRevoked>(data)?.patient)],
        "DenyRuleAdded" => vec![Patient(decode::<cr::DenyRuleAdded>(data)?.patient)],
        "DenyRuleRemoved" => vec![Patient(decode::<cr::DenyRuleRemoved>(data)?.patient)],
        "DelegateAppointed" => vec![Patient(decode::<cr::DelegateAppointed>(data)?.patient)],
        "DelegateRemoved" => vec![Patient(decode::<cr::DelegateRemoved>(data)?.patient)],
        "AccessRecorded" => vec![Patient(decode::<cr::AccessRecorded>(data)?.patient)],
        "RequestClosed" => vec![Patient(decode::<rr::RequestClosed>(data)?.patient)],
        "ResearcherBlocked" => vec![Patient(decode::<rr::ResearcherBlocked>(data)?.patient)],
        "ResearcherUnblocked" => vec![Patient(decode::<rr::ResearcherUnblocked>(data)?.patient)],
        "InboxPurged" => vec![Patient(decode::<rr::InboxPurged>(data)?.patient)],
        "Purged" => vec![Patient(decode::<cr::Purged>(data)?.patient)],
        "GlassBroken" => {
            let e = decode::<bg::GlassBroken>(data)?;
            vec![Patient(e.patient), Grant(e.grant_id)]
        }
        "GrantEnded" => vec![Grant(decode::<bg::GrantEnded>(data)?.grant_id)],
        "GrantReviewed" => vec![Grant(decode::<bg::GrantReviewed>(data)?.grant_id)],
        "ReviewOverdue" => vec![Grant(decode::<bg::ReviewOverdue>(data)?.grant_id)],
        "GrantDisputed" => vec![Grant(decode::<bg::GrantDisputed>(data)?.grant_id)],
        "RecordAnchored" => {
            let e = decode::<ra::RecordAnchored>(data)?;
            // A new version is also found under the anchor it supersedes.
            let mut s = vec![Record(e.content_hash), Anchor(e.anchor_id)];
            s.extend(e.supersedes.map(Anchor));
            s
        }
        "EnteredInError" => vec![Anchor(decode::<ra::EnteredInError>(data)?.anchor_id)],
        "PacksCommissioned" => {
            let e = decode::<pl::PacksCommissioned>(data)?;
            let mut s: Vec<_> = e.serials.iter().map(|serial| Subject::pack(&e.gtin, serial)).collect();
            s.push(Subject::lot(&e.gtin, &e.lot));
            s
        }
        "PacksShipped" => packs(&decode::<pl::PacksShipped>(data)?.packs),
        "PacksReceived" => packs(&decode::<pl::PacksReceived>(data)?.packs),
        "ShipmentCancelled" => packs(&decode::<pl::ShipmentCancelled>(data)?.packs),
        "PackStatusChanged" => {
            let e = decode::<pl::PackStatusChanged>(data)?;
            vec![Subject::pack(&e.gtin, &e.serial)]
        }
        "FalsificationAlert" => {
            let e = decode::<pl::FalsificationAlert>(data)?;
            vec![Subject::pack(&e.gtin, &e.serial)]
        }
        "SuspectFlagged" => {
            let e = decode::<pl::SuspectFlagged>(data)?;
            vec![Subject::pack(&e.gtin, &e.serial)]
        }
        "SuspectResolved" => {
            let e = decode::<pl::SuspectResolved>(data)?;
            vec![Subject::pack(&e.gtin, &e.serial)]
        }
        "LotRecalled" => {
            let e = decode::<pl::LotRecalled>(data)?;
            vec![Subject::lot(&e.gtin, &e.lot)]
        }
        "LotRestored" => {
            let e = decode::<pl::LotRestored>(data)?;
            vec![Subject::lot(&e.gtin, &e.lot)]
        }
        _ => Vec::new(),
    })
}

/// Data category names, as the contracts' constants spell them, joined by `|`.
pub fn categories(c: DataCategories) -> String {
    category_names(c).join("|")
}

/// Each category of `c` by the name of its contract constant; an undefined bit as `0x…`.
pub fn category_names(c: DataCategories) -> Vec<String> {
    const NAMES: [&str; 13] = [
        "DEMOGRAPHICS",
        "ALLERGIES",
        "MEDICATIONS",
        "PROBLEMS",
        "LAB_RESULTS",
        "IMAGING",
        "IMMUNIZATIONS",
        "CLINICAL_NOTES",
        "MENTAL_HEALTH",
        "SUBSTANCE_USE",
        "SEXUAL_REPRODUCTIVE",
        "GENOMICS",
        "EMERGENCY_SUMMARY",
    ];
    let mut names: Vec<String> =
        NAMES.iter().enumerate().filter(|(bit, _)| c.0 & (1 << bit) != 0).map(|(_, n)| (*n).to_string()).collect();
    let unknown = c.0 & !DataCategories::ALL.0;
    if unknown != 0 {
        names.push(format!("0x{unknown:04x}"));
    }
    names
}

/// HL7 PurposeOfUse codes of a purpose set, joined by `|`.
pub fn purposes(p: PurposeSet) -> String {
    Purpose::ALL.iter().filter(|x| p.contains(**x)).map(|x| x.hl7_code()).collect::<Vec<_>>().join("|")
}

/// `permitted` or `denied`, and on what grounds.
pub fn decision(d: &AccessDecision) -> (&'static str, String) {
    match d {
        AccessDecision::PermittedByConsent(id) => ("permitted", format!("consent #{id}")),
        AccessDecision::PermittedByEmergencyGrant(id) => ("permitted", format!("emergency grant #{id}")),
        AccessDecision::Denied(reason) => (
            "denied",
            match reason {
                DenyReason::InvalidRequest => "invalid request".into(),
                DenyReason::NoConsent => "no consent".into(),
                DenyReason::DeniedByRule(id) => format!("deny rule #{id}"),
                DenyReason::NoEmergencyGrant => "no emergency grant".into(),
                DenyReason::BreakGlassNotWired => "break_glass not wired".into(),
                DenyReason::BreakGlassUnavailable => "break_glass unavailable".into(),
            },
        ),
    }
}

/// RFC 3339 (UTC, milliseconds) of a chain timestamp.
pub fn rfc3339(ms: u64) -> String {
    let secs = ms / 1000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = i64::try_from(days).unwrap_or(i64::MAX / 2).saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z", rem / 3600, (rem / 60) % 60, rem % 60, ms % 1000)
}

/// Parses what `--since`/`--until` take: milliseconds since the epoch, or an RFC 3339 date
/// (`2026-01-31`) or UTC time (`2026-01-31T12:00:00Z`), from 1970 on.
pub fn parse_time(s: &str) -> Option<u64> {
    if let Ok(ms) = s.parse::<u64>() {
        return Some(ms);
    }
    let (date, time) = s.split_once('T').unwrap_or((s, "00:00:00Z"));
    let mut d = date.splitn(3, '-').map(|x| x.parse::<i64>().ok());
    let (y, m, dd) = (d.next()??, d.next()??, d.next()??);
    let time = time.strip_suffix('Z')?;
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut t = hms.splitn(3, ':').map(|x| x.parse::<i64>().ok());
    let (hh, mm, ss) = (t.next()??, t.next()??, t.next()??);
    let millis: i64 = format!("{frac:0<3}").get(..3)?.parse().ok()?;
    if y < 1970 || !(1..=12).contains(&m) || !(1..=31).contains(&dd) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    let days =
        pharma_ledger::gs1::days_from_civil(u64::try_from(y).ok()?, u64::try_from(m).ok()?, u64::try_from(dd).ok()?);
    let secs = days.checked_mul(86_400)?.checked_add(u64::try_from(hh * 3600 + mm * 60 + ss).ok()?)?;
    secs.checked_mul(1000)?.checked_add(u64::try_from(millis).ok()?)
}

fn who(a: &AccountId) -> String {
    ss58(a)
}

fn opt_who(a: &Option<AccountId>) -> String {
    a.as_ref().map_or_else(|| "anyone".into(), who)
}

fn until(ms: u64) -> String {
    if ms == u64::MAX {
        "no end".into()
    } else {
        rfc3339(ms)
    }
}

fn gtin(g: &[u8; 14]) -> String {
    String::from_utf8_lossy(g).into_owned()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// One line of history: the event, who it names besides the subject, and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    pub actor: Option<AccountId>,
    pub detail: String,
}

/// A readable account of the events the history queries show (`consents`, `pack`, `record`);
/// `None` for an event outside them or whose data does not decode.
pub fn describe(name: &str, data: &[u8]) -> Option<Described> {
    let d = |actor: AccountId, detail: String| Some(Described { actor: Some(actor), detail });
    match name {
        "ConsentGranted" => {
            let e = decode::<cr::ConsentGranted>(data)?;
            let study = e.study_id.map(|s| format!(", research study #{s}")).unwrap_or_default();
            d(
                e.granted_by,
                format!(
                    "consent #{} to {}: {} for {}, {} .. {}, form {}{study}",
                    e.consent_id,
                    who(&e.accessor),
                    categories(e.categories),
                    purposes(e.purposes),
                    rfc3339(e.valid_from),
                    until(e.valid_until),
                    hex(&e.document_hash)
                ),
            )
        }
        "ConsentRevoked" => {
            let e = decode::<cr::ConsentRevoked>(data)?;
            d(e.revoked_by, format!("consent #{} to {} revoked", e.consent_id, who(&e.accessor)))
        }
        "DenyRuleAdded" => {
            let e = decode::<cr::DenyRuleAdded>(data)?;
            d(
                e.added_by,
                format!(
                    "deny rule #{}: {} for {} to {}, {} .. {}",
                    e.rule_id,
                    categories(e.categories),
                    purposes(e.purposes),
                    opt_who(&e.accessor),
                    rfc3339(e.valid_from),
                    until(e.valid_until)
                ),
            )
        }
        "DenyRuleRemoved" => {
            let e = decode::<cr::DenyRuleRemoved>(data)?;
            d(e.removed_by, format!("deny rule #{} lifted", e.rule_id))
        }
        "DelegateAppointed" => {
            let e = decode::<cr::DelegateAppointed>(data)?;
            d(e.patient, format!("delegate {} appointed until {}", who(&e.delegate), until(e.expires_at)))
        }
        "DelegateRemoved" => {
            let e = decode::<cr::DelegateRemoved>(data)?;
            d(e.patient, format!("delegate {} removed", who(&e.delegate)))
        }
        "RequestClosed" => {
            let e = decode::<rr::RequestClosed>(data)?;
            let outcome = match e.outcome {
                RequestOutcome::Approved(id) => format!("approved (consent #{id})"),
                RequestOutcome::Denied => "denied".into(),
                RequestOutcome::Withdrawn => "withdrawn".into(),
            };
            d(e.closed_by, format!("research request of study #{} by {}: {outcome}", e.study_id, who(&e.researcher)))
        }
        "ResearcherBlocked" => {
            let e = decode::<rr::ResearcherBlocked>(data)?;
            d(
                e.by,
                format!(
                    "researcher {} blocked, {} pending requests withdrawn",
                    who(&e.researcher),
                    e.withdrawn_requests
                ),
            )
        }
        "ResearcherUnblocked" => {
            let e = decode::<rr::ResearcherUnblocked>(data)?;
            d(e.by, format!("researcher {} unblocked", who(&e.researcher)))
        }
        "Purged" => {
            let e = decode::<cr::Purged>(data)?;
            d(
                e.patient,
                format!(
                    "spent storage freed: {} consents, {} deny rules, {} delegates",
                    e.consents, e.deny_rules, e.delegates
                ),
            )
        }
        "InboxPurged" => {
            let e = decode::<rr::InboxPurged>(data)?;
            d(e.patient, format!("research inbox freed: {} lapsed requests", e.requests))
        }
        "RecordAnchored" => {
            let e = decode::<ra::RecordAnchored>(data)?;
            let supersedes = e.supersedes.map(|s| format!(", supersedes anchor #{s}")).unwrap_or_default();
            let behalf = e.on_behalf_of.map(|a| format!(", on behalf of {}", who(&a))).unwrap_or_default();
            d(
                e.issuer,
                format!(
                    "anchor #{} of {}: {}{supersedes}{behalf}",
                    e.anchor_id,
                    hex(&e.content_hash),
                    categories(e.category)
                ),
            )
        }
        "EnteredInError" => {
            let e = decode::<ra::EnteredInError>(data)?;
            d(e.issuer, format!("anchor #{} entered in error, reason {}", e.anchor_id, hex(&e.reason_hash)))
        }
        "PacksCommissioned" => {
            let e = decode::<pl::PacksCommissioned>(data)?;
            d(
                e.manufacturer,
                format!(
                    "commissioned with {} other packs of GTIN {} lot {} expiry {}",
                    e.serials.len().saturating_sub(1),
                    gtin(&e.gtin),
                    text(&e.lot),
                    e.expiry
                ),
            )
        }
        "PacksShipped" => {
            let e = decode::<pl::PacksShipped>(data)?;
            d(
                e.from,
                format!(
                    "shipped to {} in shipment #{}, statement {} (anchor #{})",
                    who(&e.to),
                    e.shipment_id,
                    hex(&e.statement_hash),
                    e.anchor_id
                ),
            )
        }
        "PacksReceived" => {
            let e = decode::<pl::PacksReceived>(data)?;
            let what = if e.accepted { "received" } else { "rejected, back to sender" };
            d(e.by, format!("shipment #{} from {} {what}", e.shipment_id, who(&e.from)))
        }
        "ShipmentCancelled" => {
            let e = decode::<pl::ShipmentCancelled>(data)?;
            d(e.by, format!("shipment #{} cancelled, returned to {}", e.shipment_id, who(&e.returned_to)))
        }
        "PackStatusChanged" => {
            let e = decode::<pl::PackStatusChanged>(data)?;
            d(e.actor, format!("{:?} → {:?}", e.from, e.to))
        }
        "FalsificationAlert" => {
            let e = decode::<pl::FalsificationAlert>(data)?;
            d(e.reporter, format!("FALSIFICATION ALERT: {:?} attempted on a {:?} pack", e.attempted, e.status))
        }
        "SuspectFlagged" => {
            let e = decode::<pl::SuspectFlagged>(data)?;
            d(e.reporter, format!("flagged suspect, evidence {}", hex(&e.evidence_hash)))
        }
        "SuspectResolved" => {
            let e = decode::<pl::SuspectResolved>(data)?;
            let verdict = if e.illegitimate { "confirmed illegitimate" } else { "cleared" };
            Some(Described { actor: None, detail: format!("suspect {verdict} by the regulator") })
        }
        "LotRecalled" => {
            let e = decode::<pl::LotRecalled>(data)?;
            d(e.by, format!("lot {} of GTIN {} recalled", text(&e.lot), gtin(&e.gtin)))
        }
        "LotRestored" => {
            let e = decode::<pl::LotRestored>(data)?;
            let detail = format!(
                "lot {} of GTIN {} (holding {} of {}) declared genuine again by the regulator",
                text(&e.lot),
                gtin(&e.gtin),
                e.holding,
                who(&e.commissioner)
            );
            Some(Described { actor: None, detail })
        }
        _ => None,
    }
}

/// An access a custodian recorded, as the disclosures query shows it.
pub fn access(data: &[u8]) -> Option<cr::AccessRecorded> {
    decode(data)
}

/// The break-glass events the emergency query folds into each grant's state.
pub enum Emergency {
    Opened(bg::GlassBroken),
    Ended(bg::GrantEnded),
    Reviewed(bg::GrantReviewed),
    Overdue(bg::ReviewOverdue),
    Disputed(bg::GrantDisputed),
}

pub fn emergency(name: &str, data: &[u8]) -> Option<Emergency> {
    Some(match name {
        "GlassBroken" => Emergency::Opened(decode(data)?),
        "GrantEnded" => Emergency::Ended(decode(data)?),
        "GrantReviewed" => Emergency::Reviewed(decode(data)?),
        "ReviewOverdue" => Emergency::Overdue(decode(data)?),
        "GrantDisputed" => Emergency::Disputed(decode(data)?),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_through_rfc3339() {
        let t0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
        assert_eq!(rfc3339(t0), "2026-01-01T00:00:00.000Z");
        assert_eq!(parse_time("2026-01-01"), Some(t0));
        assert_eq!(parse_time("2026-01-01T00:00:00Z"), Some(t0));
        assert_eq!(parse_time(&t0.to_string()), Some(t0));
        for ms in [0, 951_782_400_123, t0 + 86_399_999, 4_102_444_800_000, 1_709_164_800_000] {
            assert_eq!(parse_time(&rfc3339(ms)), Some(ms), "{}", rfc3339(ms));
        }
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00.000Z");
        for bad in ["2026-13-01", "2026-01-01T25:00:00Z", "yesterday", "2026-01-01T00:00:00", "", "1969-12-31"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_and_categories_read_as_the_contracts_spell_them() {
        assert_eq!(
            categories(DataCategories::LAB_RESULTS.union(DataCategories::EMERGENCY_SUMMARY)),
            "LAB_RESULTS|EMERGENCY_SUMMARY"
        );
        assert_eq!(categories(DataCategories(1 << 15)), "0x8000");
        assert_eq!(purposes(PurposeSet::of(Purpose::Treatment).with(Purpose::Research)), "TREAT|HRESCH");
        let sig = <cr::AccessRecorded as Event>::SIGNATURE_TOPIC.unwrap_or_default();
        assert_eq!(event_name("consent_registry", &sig), Some("AccessRecorded"));
        assert_eq!(event_name("break_glass", &sig), None, "an event is only known from its own contract");
        let pause = <admin::PauseChanged as Event>::SIGNATURE_TOPIC.unwrap_or_default();
        assert_eq!(event_name("record_anchor", &pause), Some("PauseChanged"));
    }

    #[test]
    fn data_that_does_not_decode_exactly_is_refused() {
        let e = cr::ConsentRevoked {
            patient: AccountId::from([1; 32]),
            accessor: AccountId::from([2; 32]),
            consent_id: 7,
            revoked_by: AccountId::from([1; 32]),
        };
        let data = e.encode();
        assert_eq!(subjects("ConsentRevoked", &data), Some(vec![Subject::Patient(AccountId::from([1; 32]))]));
        assert_eq!(subjects("ConsentRevoked", &data[..data.len() - 1]), None);
        assert_eq!(subjects("ConsentRevoked", &[data.clone(), vec![0]].concat()), None, "trailing bytes");
        assert!(describe("ConsentRevoked", &data).is_some_and(|d| d.detail.contains("consent #7")));
    }
}
