//! A smoke walkthrough on the embedded chain after deployment: one short path through each
//! contract and across every hop (grant → check → anchor → break glass → recorded accesses →
//! commission → verify), each step checked against what the suite promises and printed with its
//! weight. The recorded accesses (one by consent, one refused, one in an emergency) are what the
//! accounting of disclosures printed after it shows.

use crate::chain::{read, send, Cost};
use crate::embedded::Embedded;
use crate::error::{DeployError, Result};
use crate::fixtures::{EXPIRY, GTIN};
use crate::manifest::Manifest;
use break_glass::break_glass::BreakGlass;
use carechain_shared::traits::ConsentCheck;
use carechain_shared::{AccessDecision, DataCategories, Purpose, PurposeSet, MS_PER_DAY};
use consent_registry::consent_registry::ConsentRegistry;
use ink::primitives::AccountId;
use pharma_ledger::data::PartnerRole;
use pharma_ledger::pack::PackStatus;
use pharma_ledger::pharma_ledger::PharmaLedger;
use record_anchor::data::AnchorStatus;
use record_anchor::record_anchor::RecordAnchor;

/// The people of the walkthrough (deterministic accounts; only ever on the embedded chain).
pub struct Cast {
    pub owner: AccountId,
    pub patient: AccountId,
    pub provider: AccountId,
    pub authority: AccountId,
    pub responder: AccountId,
    /// The hospital record system that releases records and records each release.
    pub custodian: AccountId,
    /// Someone the patient never consented to.
    pub stranger: AccountId,
    pub manufacturer: AccountId,
}

impl Cast {
    pub fn new(owner: AccountId) -> Self {
        let who = |n: u8| AccountId::from([n; 32]);
        Self {
            owner,
            patient: who(0xB0),
            provider: who(0xB1),
            authority: who(0xB2),
            responder: who(0xB3),
            custodian: who(0xB4),
            stranger: who(0xB6),
            manufacturer: who(0xB5),
        }
    }

    pub fn everyone(&self) -> [AccountId; 8] {
        [
            self.owner,
            self.patient,
            self.provider,
            self.authority,
            self.responder,
            self.custodian,
            self.stranger,
            self.manufacturer,
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkStep {
    pub name: &'static str,
    pub answer: String,
    pub cost: Cost,
}

const LAB: DataCategories = DataCategories::LAB_RESULTS;
const ES: DataCategories = DataCategories::EMERGENCY_SUMMARY;
/// Stand-ins for salted SHA-256s of off-chain documents.
const CONSENT_FORM: [u8; 32] = [0xC0; 32];
const LAB_REPORT: [u8; 32] = [0x1A; 32];

fn expect<T: core::fmt::Debug>(step: &'static str, got: T, ok: impl FnOnce(&T) -> bool) -> Result<T> {
    if ok(&got) {
        Ok(got)
    } else {
        Err(DeployError::Walkthrough { step: step.into(), got: format!("{got:?}") })
    }
}

pub fn walkthrough(chain: &mut Embedded, m: &Manifest, cast: &Cast) -> Result<Vec<WalkStep>> {
    let address = |name: &str| {
        m.address_of(name).ok_or_else(|| DeployError::Walkthrough { step: "setup".into(), got: format!("no {name}") })
    };
    let (mut reg, mut ra) = (
        crate::suite::builder::<ConsentRegistry>(address("consent_registry")?),
        crate::suite::builder::<RecordAnchor>(address("record_anchor")?),
    );
    let mut bg = crate::suite::builder::<BreakGlass>(address("break_glass")?);
    let mut pl = crate::suite::builder::<PharmaLedger>(address("pharma_ledger")?);
    let now = chain.now_ms();
    let mut steps = Vec::new();
    let mut log = |name: &'static str, answer: String, cost: Cost| steps.push(WalkStep { name, answer, cost });

    // Consent: the patient grants the provider lab results for treatment, for a year.
    chain.act_as(cast.patient);
    let grant = reg.grant_consent(
        cast.patient,
        cast.provider,
        LAB,
        PurposeSet::of(Purpose::Treatment),
        now,
        now.saturating_add(365 * MS_PER_DAY),
        CONSENT_FORM,
    );
    let r = send(chain, "grant_consent", &grant)?;
    let consent = expect("grant_consent", r.value, |v| v.is_ok())?.unwrap_or_default();
    log("grant_consent", format!("consent #{consent}"), r.cost);

    let (decision, cost) =
        read(chain, "check_access", &reg.check_access(cast.patient, cast.provider, LAB, Purpose::Treatment))?;
    expect("check_access", decision, |d| *d == AccessDecision::PermittedByConsent(consent))?;
    log("check_access", format!("{decision:?}"), cost);

    // Integrity: the provider anchors the lab report's hash; record_anchor asks the registry.
    chain.act_as(cast.provider);
    let r = send(chain, "anchor_record", &ra.anchor_record(LAB_REPORT, Some(cast.patient), LAB, None))?;
    let anchor = expect("anchor_record", r.value, |v| v.is_ok())?.unwrap_or_default();
    log("anchor_record", format!("anchor #{anchor} (consent checked)"), r.cost);
    let (found, cost) = read(chain, "verify record", &ra.verify(cast.provider, None, LAB_REPORT))?;
    let found = expect("verify record", found, |a| {
        a.as_ref().is_some_and(|a| a.id == anchor && a.status == AnchorStatus::Current)
    })?;
    log("verify (record)", format!("anchor #{} current", found.map(|a| a.id).unwrap_or_default()), cost);

    // Emergency: an authority registers a responder, who breaks the glass when the patient
    // arrives unconscious.
    chain.act_as(cast.owner);
    send(chain, "set_authority", &bg.set_authority(cast.authority, true))?;
    chain.act_as(cast.authority);
    send(chain, "register_responder", &bg.register_responder(cast.responder, [0xCE; 32], [0x0A; 32]))?;
    chain.act_as(cast.responder);
    let r = send(chain, "break_glass", &bg.break_glass(cast.patient, ES, [0x11; 32]))?;
    let grant_id = expect("break_glass", r.value, |v| v.is_ok())?.unwrap_or_default();
    log("break_glass", format!("emergency grant #{grant_id}"), r.cost);
    let (decision, cost) = read(
        chain,
        "check_access (emergency)",
        &reg.check_access(cast.patient, cast.responder, ES, Purpose::EmergencyTreatment),
    )?;
    expect("check_access (emergency)", decision, |d| *d == AccessDecision::PermittedByEmergencyGrant(grant_id))?;
    log("check_access (emergency)", format!("{decision:?}"), cost);

    // Disclosures: the hospital's record system records each release it is asked for —
    // permitted or not — so the patient's accounting of disclosures is complete.
    chain.act_as(cast.owner);
    send(chain, "set_custodian", &reg.set_custodian(cast.custodian, true))?;
    chain.act_as(cast.custodian);
    let accesses = [
        ("record_access", cast.provider, LAB, Purpose::Treatment, AccessDecision::PermittedByConsent(consent)),
        (
            "record_access (refused)",
            cast.stranger,
            LAB,
            Purpose::Research,
            AccessDecision::Denied(carechain_shared::DenyReason::NoConsent),
        ),
        (
            "record_access (emergency)",
            cast.responder,
            ES,
            Purpose::EmergencyTreatment,
            AccessDecision::PermittedByEmergencyGrant(grant_id),
        ),
    ];
    for (step, accessor, categories, purpose, promised) in accesses {
        let r = send(chain, step, &reg.record_access(cast.patient, accessor, categories, purpose))?;
        let decision = expect(step, r.value, |v| *v == Ok(promised))?.unwrap_or(promised);
        log(step, format!("{decision:?}, audited"), r.cost);
    }

    // Drugs: the regulator registers a manufacturer and approves its GTIN claim; the
    // manufacturer commissions three serialised packs.
    chain.act_as(cast.owner);
    send(chain, "register_partner", &pl.register_partner(cast.manufacturer, PartnerRole::Manufacturer, [0x4D; 32]))?;
    chain.act_as(cast.manufacturer);
    send(chain, "claim_gtin", &pl.claim_gtin(GTIN, [0x65; 32]))?;
    chain.act_as(cast.owner);
    send(chain, "approve_gtin_claim", &pl.approve_gtin_claim(GTIN, cast.manufacturer))?;
    chain.act_as(cast.manufacturer);
    let serials: Vec<Vec<u8>> = (1..=3).map(|n| format!("SN{n:08}").into_bytes()).collect();
    let r = send(chain, "commission", &pl.commission(GTIN, b"LOT-1".to_vec(), EXPIRY, serials.clone()))?;
    let n = expect("commission", r.value, |v| *v == Ok(3))?.unwrap_or_default();
    log("commission", format!("{n} packs of GTIN 09506000134352 lot LOT-1"), r.cost);
    let first = serials.first().cloned().unwrap_or_default();
    let (v, cost) = read(chain, "verify pack", &pl.verify(GTIN, first, b"LOT-1".to_vec(), EXPIRY))?;
    let v = expect("verify pack", v, |v| v.verified && v.status == Some(PackStatus::Active) && !v.recalled)?;
    log("verify (pack)", format!("verified, {:?}", v.status.unwrap_or(PackStatus::Active)), cost);
    chain.act_as(cast.owner);
    Ok(steps)
}
