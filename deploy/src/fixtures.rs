//! The values every scenario shares — the e2e suite on the sandbox and on a node, the deploy
//! tool's walkthrough, the benchmarks — so a scenario on one tier means the same on another.
//! Documents are stand-ins for salted SHA-256s: nothing here is health data.

use crate::call::{builder, Message};
use carechain_shared::{ConsentId, DataCategories, Purpose, PurposeSet, Timestamp};
use consent_registry::consent_registry::ConsentRegistry;
use ink::primitives::AccountId;
use scale::Encode;

/// 2026-01-01T00:00:00Z in milliseconds: the block time the sandbox scenarios start at.
pub const T0: u64 = 1_767_225_600_000;

/// The drug pack the pharma scenarios follow: a GS1 example GTIN (check digit valid)…
pub const GTIN: [u8; 14] = *b"09506000134352";
/// …and an expiry (YYMMDD) in force both at `T0` and on a live node's clock.
pub const EXPIRY: u32 = 301231;

/// The lot of the scenarios' packs.
pub fn lot() -> Vec<u8> {
    b"LOT-7".to_vec()
}

/// The `n`-th pack serial of a scenario.
pub fn serial(n: u32) -> Vec<u8> {
    format!("PK{n:06}").into_bytes()
}

/// The registered responder's credential and organisation (hashes of documents the
/// authority keeps).
pub const RESPONDER_CREDENTIAL: [u8; 32] = [0xC1; 32];
pub const RESPONDER_ORGANISATION: [u8; 32] = [0x0A; 32];

/// The signed consent form a grant points to.
pub const CONSENT_FORM: [u8; 32] = [0xD0; 32];

/// The consent most scenarios start from: `patient` grants `accessor` lab results for
/// treatment from `from` until `until`, signed by `patient`.
pub fn lab_for_treatment(
    registry: AccountId,
    patient: AccountId,
    accessor: AccountId,
    from: Timestamp,
    until: Timestamp,
) -> Message<impl Encode + Clone, consent_registry::Result<ConsentId>> {
    builder::<ConsentRegistry>(registry).grant_consent(
        patient,
        accessor,
        DataCategories::LAB_RESULTS,
        PurposeSet::of(Purpose::Treatment),
        from,
        until,
        CONSENT_FORM,
    )
}

/// The deny rule the consent-history tests share: the patient's genomic data never for
/// research, whoever asks, until `valid_until`; added by the patient or a delegate (`added_by`).
pub fn no_genomics_for_research(
    patient: AccountId,
    added_by: AccountId,
    valid_until: Timestamp,
) -> consent_registry::events::DenyRuleAdded {
    consent_registry::events::DenyRuleAdded {
        patient,
        rule_id: 1,
        accessor: None,
        categories: DataCategories::GENOMICS,
        purposes: PurposeSet::of(Purpose::Research),
        valid_from: 0,
        valid_until,
        added_by,
    }
}
