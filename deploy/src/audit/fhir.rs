//! FHIR R5 views of the index, so a hospital's FHIR server or audit repository takes carechain's
//! history without a custom mapping: the accounting of disclosures as a `searchset` Bundle of
//! `AuditEvent`s, a patient's consents and deny rules as `Consent` resources.
//!
//! The mapping (docs/fhir.md) uses HL7 terminology where one fits — PurposeOfUse codes from
//! v3-ActReason (the contracts' own `Purpose::hl7_code`), v3-ParticipationType for recipient and
//! custodian, ISO 21089 `disclose`, DICOM "Export", v3-ActCode sensitivity labels — and
//! `urn:carechain:*` systems for what only carechain defines: accounts, contracts, data
//! categories, consent and deny-rule ids. Every resource carries chain facts only; like the
//! chain, it holds no health data.

use super::events::{self, category_names, rfc3339};
use super::store::{AuditStore, Filter, StoredEvent};
use crate::chain::{hex, ss58};
use crate::error::Result;
use carechain_shared::{AccessDecision, DataCategories, Purpose, PurposeSet};
use consent_registry::events as cr;
use ink::primitives::AccountId;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// An account (patient, accessor, custodian, delegate), by its SS58 address.
pub const ACCOUNT_SYSTEM: &str = "urn:carechain:account";
/// The contract that recorded an event, by its SS58 address.
pub const CONTRACT_SYSTEM: &str = "urn:carechain:contract";
/// carechain's data categories, by the name of the contract constant (`LAB_RESULTS`).
pub const CATEGORY_SYSTEM: &str = "urn:carechain:data-category";
/// A consent id of consent_registry.
pub const CONSENT_SYSTEM: &str = "urn:carechain:consent";
/// A deny-rule id of consent_registry.
pub const DENY_RULE_SYSTEM: &str = "urn:carechain:deny-rule";
/// A research study id of research_registry.
pub const STUDY_SYSTEM: &str = "urn:carechain:study";
/// The 32-byte hash of a signed consent form, as `0x` hex.
pub const DOCUMENT_HASH_SYSTEM: &str = "urn:carechain:document-hash";

const ACT_REASON: &str = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
const ACT_CODE: &str = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
const PARTICIPATION: &str = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
const OBJECT_ROLE: &str = "http://terminology.hl7.org/CodeSystem/object-role";
const OUTCOME: &str = "http://terminology.hl7.org/CodeSystem/audit-event-outcome";
const SOURCE_TYPE: &str = "http://terminology.hl7.org/CodeSystem/security-source-type";
const LIFECYCLE: &str = "http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle";
const DICOM: &str = "http://dicom.nema.org/resources/ontology/DCM";
const LOINC: &str = "http://loinc.org";

/// FHIR's date-time types stop at year 9999: a later "until" is no end.
const YEAR_10000_MS: u64 = 253_402_300_800_000;

fn coding(system: &str, code: &str, display: &str) -> Value {
    json!({ "system": system, "code": code, "display": display })
}

fn concept(c: Value) -> Value {
    json!({ "coding": [c] })
}

/// A logical reference: carechain knows accounts, not the FHIR server's Patient ids.
fn account(a: &AccountId, kind: Option<&str>) -> Value {
    let mut r = json!({ "identifier": { "system": ACCOUNT_SYSTEM, "value": ss58(a) } });
    if let (Some(kind), Some(obj)) = (kind, r.as_object_mut()) {
        obj.insert("type".into(), json!(kind));
    }
    r
}

/// The display of each PurposeOfUse code, as v3-ActReason gives it.
fn purpose(p: Purpose) -> Value {
    let display = match p {
        Purpose::Treatment => "treatment",
        Purpose::EmergencyTreatment => "Emergency Treatment",
        Purpose::Research => "healthcare research",
        Purpose::Payment => "healthcare payment",
        Purpose::Operations => "healthcare operations",
        Purpose::PublicHealth => "public health",
    };
    coding(ACT_REASON, p.hl7_code(), display)
}

fn purposes(set: PurposeSet) -> Vec<Value> {
    Purpose::ALL.iter().filter(|p| set.contains(**p)).map(|p| purpose(*p)).collect()
}

fn category_codes(c: DataCategories) -> Vec<Value> {
    category_names(c).iter().map(|n| coding(CATEGORY_SYSTEM, n, n)).collect()
}

/// HL7 information-sensitivity labels for the categories that have one, so a FHIR server's
/// security-label rules apply to them too.
fn sensitivity(c: DataCategories) -> Vec<Value> {
    let labels = [
        (DataCategories::MENTAL_HEALTH, "PSY", "psychiatry disorder information sensitivity"),
        (DataCategories::SUBSTANCE_USE, "ETH", "substance abuse information sensitivity"),
        (DataCategories::SEXUAL_REPRODUCTIVE, "SEX", "sexuality and reproductive health information sensitivity"),
        (DataCategories::GENOMICS, "GDIS", "genetic disease information sensitivity"),
    ];
    labels.iter().filter(|(bit, _, _)| c.0 & bit.0 != 0).map(|(_, code, d)| coding(ACT_CODE, code, d)).collect()
}

fn date_time(ms: u64) -> Option<Value> {
    (ms < YEAR_10000_MS).then(|| json!(rfc3339(ms)))
}

fn period(from: u64, until: u64) -> Value {
    let mut p = serde_json::Map::new();
    if let Some(start) = date_time(from) {
        p.insert("start".into(), start);
    }
    if let Some(end) = date_time(until) {
        p.insert("end".into(), end);
    }
    Value::Object(p)
}

/// A stable `urn:uuid` for a resource: the same event gives the same URL in every export.
fn urn_uuid(id: &str) -> String {
    let mut h = [0u8; 32];
    ink::env::hash_bytes::<ink::env::hash::Blake2x256>(format!("carechain fhir {id}").as_bytes(), &mut h);
    // RFC 9562 version 8 (custom), variant 10.
    h[6] = (h[6] & 0x0f) | 0x80;
    h[8] = (h[8] & 0x3f) | 0x80;
    let x = hex(&h[..16]);
    let x = x.trim_start_matches("0x");
    format!("urn:uuid:{}-{}-{}-{}-{}", &x[0..8], &x[8..12], &x[12..16], &x[16..20], &x[20..32])
}

fn bundle(resources: Vec<Value>) -> Value {
    let entries: Vec<Value> = resources
        .into_iter()
        .map(|r| {
            let id = r.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            let kind = r.get("resourceType").and_then(Value::as_str).unwrap_or_default().to_string();
            json!({ "fullUrl": urn_uuid(&format!("{kind}/{id}")), "resource": r, "search": { "mode": "match" } })
        })
        .collect();
    let mut bundle = json!({ "resourceType": "Bundle", "type": "searchset", "total": entries.len() });
    // FHIR JSON has no empty arrays: an empty history is a Bundle with no `entry`.
    if let (false, Some(obj)) = (entries.is_empty(), bundle.as_object_mut()) {
        obj.insert("entry".into(), Value::Array(entries));
    }
    bundle
}

/// One recorded access as an `AuditEvent`: a disclosure (ISO 21089 `disclose`, DICOM Export)
/// of the patient's data categories by the custodian to the accessor, for the recorded purpose;
/// a refused access has outcome "minor failure" with the refusal's grounds; an access under an
/// emergency grant carries `BTG` (break the glass) beside its purpose.
pub fn audit_event(e: &StoredEvent, a: &cr::AccessRecorded, registry: &AccountId) -> Value {
    let (decision, basis) = events::decision(&a.decision);
    let outcome = match a.decision {
        AccessDecision::Denied(_) => json!({
            "code": coding(OUTCOME, "4", "Minor failure"),
            "detail": [{ "text": format!("{decision}: {basis}") }]
        }),
        _ => json!({ "code": coding(OUTCOME, "0", "Success"), "detail": [{ "text": format!("{decision}: {basis}") }] }),
    };
    let mut authorization = vec![concept(purpose(a.purpose))];
    let mut accessor = json!({
        "type": concept(coding(PARTICIPATION, "IRCP", "information recipient")),
        "who": account(&a.accessor, None),
        "requestor": true
    });
    let policy = match a.decision {
        AccessDecision::PermittedByConsent(id) => Some(format!("{CONSENT_SYSTEM}:{id}")),
        AccessDecision::PermittedByEmergencyGrant(id) => {
            authorization.push(concept(coding(ACT_REASON, "BTG", "break the glass")));
            Some(format!("urn:carechain:emergency-grant:{id}"))
        }
        AccessDecision::Denied(_) => None,
    };
    if let (Some(policy), Some(obj)) = (policy, accessor.as_object_mut()) {
        obj.insert("policy".into(), json!([policy]));
    }
    let mut detail = vec![json!({ "type": { "text": "block" }, "valueInteger": e.block })];
    if let Some(x) = e.extrinsic {
        detail.push(json!({ "type": { "text": "extrinsic" }, "valueInteger": x }));
    }
    let mut entity = vec![json!({
        "what": account(&a.patient, Some("Patient")),
        "role": concept(coding(OBJECT_ROLE, "1", "Patient")),
        "detail": detail
    })];
    for c in category_codes(a.categories) {
        entity.push(json!({ "what": { "identifier": { "system": CATEGORY_SYSTEM, "value": c["code"] } }, "role": concept(coding(OBJECT_ROLE, "4", "Domain Resource")) }));
    }
    let labels = sensitivity(a.categories);
    if let (false, Some(first)) = (labels.is_empty(), entity.first_mut().and_then(Value::as_object_mut)) {
        first.insert("securityLabel".into(), Value::Array(labels.into_iter().map(concept).collect()));
    }
    json!({
        "resourceType": "AuditEvent",
        "id": format!("carechain-{}-{}", e.block, e.index),
        "category": [concept(coding(DICOM, "110106", "Export"))],
        "code": concept(coding(LIFECYCLE, "disclose", "Disclose Record Lifecycle Event")),
        "action": "R",
        "occurredDateTime": rfc3339(e.time_ms),
        "recorded": rfc3339(e.time_ms),
        "outcome": outcome,
        "authorization": authorization,
        "patient": account(&a.patient, Some("Patient")),
        "agent": [
            accessor,
            {
                "type": concept(coding(PARTICIPATION, "CST", "custodian")),
                "who": account(&a.custodian, None),
                "requestor": false
            }
        ],
        "source": {
            "observer": {
                "type": "Device",
                "identifier": { "system": CONTRACT_SYSTEM, "value": ss58(registry) },
                "display": "carechain consent_registry"
            },
            "type": [concept(coding(SOURCE_TYPE, "4", "Application Server"))]
        },
        "entity": entity
    })
}

fn registry_address(store: &dyn AuditStore) -> Result<AccountId> {
    let binding = store.binding()?;
    let address = binding
        .as_ref()
        .and_then(|b| b.contracts.iter().find(|(name, _, _)| name == "consent_registry"))
        .map(|(_, a, _)| *a)
        .unwrap_or_default();
    Ok(AccountId::from(address))
}

/// The accounting of disclosures as a FHIR R5 `searchset` Bundle of `AuditEvent`s, in chain
/// order (the same rows as [`super::report::disclosures`]).
pub fn disclosures(
    store: &dyn AuditStore,
    patient: &AccountId,
    since: Option<u64>,
    until: Option<u64>,
) -> Result<Value> {
    let registry = registry_address(store)?;
    let found = super::report::access_events(store, patient, since, until)?;
    Ok(bundle(found.iter().map(|(e, a)| audit_event(e, a, &registry)).collect()))
}

enum Rule {
    Consent(cr::ConsentGranted),
    Deny(cr::DenyRuleAdded),
}

/// The consent history folded into `Consent` resources: one per consent (decision `permit`) and
/// per deny rule (decision `deny`), `inactive` once revoked, lifted or past its end at `now_ms`.
/// Delegates and researcher blocks have no Consent form and stay in the table view.
pub fn consent_resources(found: &[StoredEvent], now_ms: u64) -> Vec<Value> {
    let mut rules: BTreeMap<(u8, u64), (&StoredEvent, Rule, bool)> = BTreeMap::new();
    for e in found {
        let data = &e.data;
        match e.name.as_str() {
            "ConsentGranted" => {
                if let Some(g) = events::decode::<cr::ConsentGranted>(data) {
                    rules.insert((0, g.consent_id), (e, Rule::Consent(g), false));
                }
            }
            "ConsentRevoked" => {
                if let Some(r) = events::decode::<cr::ConsentRevoked>(data) {
                    if let Some(rule) = rules.get_mut(&(0, r.consent_id)) {
                        rule.2 = true;
                    }
                }
            }
            "DenyRuleAdded" => {
                if let Some(d) = events::decode::<cr::DenyRuleAdded>(data) {
                    rules.insert((1, d.rule_id), (e, Rule::Deny(d), false));
                }
            }
            "DenyRuleRemoved" => {
                if let Some(r) = events::decode::<cr::DenyRuleRemoved>(data) {
                    if let Some(rule) = rules.get_mut(&(1, r.rule_id)) {
                        rule.2 = true;
                    }
                }
            }
            _ => {}
        }
    }
    rules.into_values().map(|(e, rule, ended)| consent(e, &rule, ended, now_ms)).collect()
}

fn consent(e: &StoredEvent, rule: &Rule, ended: bool, now_ms: u64) -> Value {
    let date = rfc3339(e.time_ms).get(..10).unwrap_or_default().to_string();
    let (id, system, patient, accessor, categories, purpose_set, from, until, by) = match rule {
        Rule::Consent(g) => (
            g.consent_id,
            CONSENT_SYSTEM,
            g.patient,
            Some(g.accessor),
            g.categories,
            g.purposes,
            g.valid_from,
            g.valid_until,
            g.granted_by,
        ),
        Rule::Deny(d) => (
            d.rule_id,
            DENY_RULE_SYSTEM,
            d.patient,
            d.accessor,
            d.categories,
            d.purposes,
            d.valid_from,
            d.valid_until,
            d.added_by,
        ),
    };
    let status = if ended || until <= now_ms { "inactive" } else { "active" };
    let mut provision = serde_json::Map::new();
    provision.insert("period".into(), period(from, until));
    if let Some(a) = &accessor {
        provision.insert(
            "actor".into(),
            json!([{ "role": concept(coding(PARTICIPATION, "IRCP", "information recipient")), "reference": account(a, None) }]),
        );
    }
    provision.insert("purpose".into(), Value::Array(purposes(purpose_set)));
    let labels = sensitivity(categories);
    if !labels.is_empty() {
        provision.insert("securityLabel".into(), Value::Array(labels));
    }
    provision.insert("code".into(), Value::Array(category_codes(categories).into_iter().map(concept).collect()));
    let mut grantor = vec![account(&patient, Some("Patient"))];
    if by != patient {
        grantor.push(account(&by, None));
    }
    let mut c = json!({
        "resourceType": "Consent",
        "id": format!("{}-{id}", if matches!(rule, Rule::Consent(_)) { "consent" } else { "deny-rule" }),
        "identifier": [{ "system": system, "value": id.to_string() }],
        "status": status,
        "category": [concept(coding(LOINC, "59284-0", "Patient Consent"))],
        "subject": account(&patient, Some("Patient")),
        "date": date,
        "period": period(from, until),
        "grantor": grantor,
        "decision": if matches!(rule, Rule::Consent(_)) { "permit" } else { "deny" },
        "provision": [provision]
    });
    if let Some(obj) = c.as_object_mut() {
        if let Some(a) = &accessor {
            obj.insert("grantee".into(), json!([account(a, None)]));
        }
        if let Rule::Consent(g) = rule {
            obj.insert(
                "sourceReference".into(),
                json!([{ "type": "DocumentReference", "identifier": { "system": DOCUMENT_HASH_SYSTEM, "value": hex(&g.document_hash) } }]),
            );
            if let Some(study) = g.study_id {
                obj.insert(
                    "policyBasis".into(),
                    json!({ "reference": { "type": "ResearchStudy", "identifier": { "system": STUDY_SYSTEM, "value": study.to_string() } } }),
                );
            }
        }
    }
    c
}

/// A patient's consents and deny rules as a FHIR R5 `searchset` Bundle of `Consent`s.
pub fn consents(store: &dyn AuditStore, patient: &AccountId, now_ms: u64) -> Result<Value> {
    let subject = events::Subject::Patient(*patient);
    const NAMES: [&str; 4] = ["ConsentGranted", "ConsentRevoked", "DenyRuleAdded", "DenyRuleRemoved"];
    let found = store.events(&Filter { names: &NAMES, subject: Some(&subject), ..Filter::default() })?;
    Ok(bundle(consent_resources(&found, now_ms)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use scale::Encode;

    fn at(block: u64, name: &str, data: impl Encode) -> StoredEvent {
        StoredEvent {
            block,
            index: 0,
            extrinsic: Some(1),
            time_ms: 1_780_000_000_000 + block * 6000,
            contract: "consent_registry".into(),
            name: name.into(),
            data: data.encode(),
        }
    }

    fn granted(id: u64, by: AccountId, until: u64, study: Option<u64>) -> cr::ConsentGranted {
        cr::ConsentGranted {
            patient: AccountId::from([1; 32]),
            accessor: AccountId::from([2; 32]),
            consent_id: id,
            categories: DataCategories(DataCategories::LAB_RESULTS.0 | DataCategories::MENTAL_HEALTH.0),
            purposes: PurposeSet::of(Purpose::Treatment).with(Purpose::Research),
            valid_from: 1_780_000_000_000,
            valid_until: until,
            document_hash: [7; 32],
            granted_by: by,
            study_id: study,
        }
    }

    #[test]
    fn consents_and_deny_rules_fold_into_consent_resources() {
        let (patient, delegate) = (AccountId::from([1; 32]), AccountId::from([9; 32]));
        let now = 1_790_000_000_000;
        let found = vec![
            at(1, "ConsentGranted", granted(1, patient, u64::MAX, None)),
            at(2, "ConsentGranted", granted(2, delegate, now - 1, None)),
            at(3, "ConsentGranted", granted(3, patient, u64::MAX, Some(4))),
            at(
                4,
                "ConsentRevoked",
                cr::ConsentRevoked { patient, accessor: AccountId::from([2; 32]), consent_id: 3, revoked_by: patient },
            ),
            at(5, "DenyRuleAdded", crate::fixtures::no_genomics_for_research(patient, patient, u64::MAX)),
            // A revocation of a consent this history never saw changes nothing.
            at(
                6,
                "ConsentRevoked",
                cr::ConsentRevoked { patient, accessor: patient, consent_id: 99, revoked_by: patient },
            ),
        ];
        let r = consent_resources(&found, now);
        let ids: Vec<&str> = r.iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["consent-1", "consent-2", "consent-3", "deny-rule-1"]);
        let status: Vec<&str> = r.iter().map(|c| c["status"].as_str().unwrap()).collect();
        assert_eq!(status, ["active", "inactive", "inactive", "active"], "open, expired, revoked, in force");
        let decision: Vec<&str> = r.iter().map(|c| c["decision"].as_str().unwrap()).collect();
        assert_eq!(decision, ["permit", "permit", "permit", "deny"]);

        let c1 = &r[0]["provision"][0];
        assert_eq!(c1["actor"][0]["reference"]["identifier"]["value"], ss58(&AccountId::from([2; 32])));
        assert_eq!(c1["actor"][0]["role"]["coding"][0]["code"], "IRCP");
        let purposes: Vec<&str> =
            c1["purpose"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect();
        assert_eq!(purposes, ["TREAT", "HRESCH"]);
        let codes: Vec<&str> =
            c1["code"].as_array().unwrap().iter().map(|c| c["coding"][0]["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["LAB_RESULTS", "MENTAL_HEALTH"]);
        assert_eq!(c1["securityLabel"][0]["code"], "PSY");
        assert!(c1["period"].get("end").is_none(), "no end: {}", c1["period"]);
        assert_eq!(r[0]["grantor"].as_array().unwrap().len(), 1, "granted by the patient");
        assert_eq!(r[1]["grantor"][1]["identifier"]["value"], ss58(&delegate), "and by the delegate who signed");
        assert_eq!(r[0]["sourceReference"][0]["identifier"]["value"], hex(&[7; 32]));
        assert!(r[0].get("policyBasis").is_none());
        assert_eq!(r[2]["policyBasis"]["reference"]["identifier"]["value"], "4", "a research consent names its study");

        let deny = &r[3];
        assert!(deny.get("grantee").is_none() && deny["provision"][0].get("actor").is_none(), "a rule against anyone");
        assert_eq!(deny["provision"][0]["securityLabel"][0]["code"], "GDIS");
        assert_eq!(deny["period"]["start"], "1970-01-01T00:00:00.000Z");
        assert!(deny.get("sourceReference").is_none());

        // Lifted, the rule is inactive.
        let mut lifted = found.clone();
        lifted.push(at(7, "DenyRuleRemoved", cr::DenyRuleRemoved { patient, rule_id: 1, removed_by: patient }));
        assert_eq!(consent_resources(&lifted, now)[3]["status"], "inactive");
    }

    #[test]
    fn bundle_urls_are_stable_uuids_and_unique() {
        let a = urn_uuid("AuditEvent/carechain-1-0");
        assert_eq!(a, urn_uuid("AuditEvent/carechain-1-0"));
        assert_ne!(a, urn_uuid("AuditEvent/carechain-1-1"));
        let hexdigits = a.trim_start_matches("urn:uuid:");
        let groups: Vec<usize> = hexdigits.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&hexdigits[14..15], "8", "version 8");
        assert!(matches!(&hexdigits[19..20], "8" | "9" | "a" | "b"), "RFC 9562 variant");
        assert_eq!(date_time(YEAR_10000_MS), None);
        assert_eq!(date_time(YEAR_10000_MS - 1).unwrap(), "9999-12-31T23:59:59.999Z");
    }
}
