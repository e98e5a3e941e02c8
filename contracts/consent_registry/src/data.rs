//! The consent model and policy evaluation, as pure functions over plain values: no storage,
//! no environment. The contract shell loads records, calls these, and stores what they return.
//!
//! Evaluation rule (FHIR R5 Consent with `decision = deny` provisions taking precedence):
//! 1. a request with no or unknown categories is denied (`InvalidRequest`);
//! 2. if any deny rule of the patient is in force, names this accessor (or everyone), this
//!    purpose, and any one of the requested categories, access is denied — deny always wins;
//! 3. otherwise access is permitted by the first consent that is in force (not revoked,
//!    `from <= now < until`), names this accessor and purpose, and covers *every* requested
//!    category on its own (categories of several consents are never combined);
//! 4. otherwise it is denied (`NoConsent`); for emergency treatment the contract then asks
//!    break_glass — rule 2 still applies, so a patient's deny rule also binds responders.

use crate::errors::{Error, Result};
use carechain_shared::{
    AccessDecision, ConsentId, DataCategories, DenyReason, DenyRuleId, Hash32, Period, Purpose, PurposeSet, RequestId,
    StudyId, Timestamp, MS_PER_DAY, ZERO_HASH,
};
use ink::primitives::AccountId;

/// Consents evaluated per (patient, accessor): check_access never reads more than this.
pub const MAX_ACTIVE_CONSENTS_PER_PAIR: usize = 8;
/// Consents stored per patient, revoked and expired ones included until purged.
pub const MAX_CONSENTS_PER_PATIENT: usize = 64;
pub const MAX_DENY_RULES_PER_PATIENT: usize = 16;
pub const MAX_DELEGATES_PER_PATIENT: usize = 4;
pub const MAX_PENDING_REQUESTS_PER_PATIENT: usize = 16;
pub const MAX_BATCH_REQUEST: usize = 16;
/// Ten years: longer consents are almost certainly a unit mistake (seconds for milliseconds).
pub const MAX_CONSENT_DURATION: Timestamp = 3_650 * MS_PER_DAY;
pub const MAX_DELEGATION_DURATION: Timestamp = 3_650 * MS_PER_DAY;
pub const MAX_STUDY_DURATION: Timestamp = 3_650 * MS_PER_DAY;
/// An unanswered research request lapses after this long.
pub const REQUEST_TTL: Timestamp = 30 * MS_PER_DAY;

/// A FHIR-style permit provision: who may see which categories, why, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Consent {
    pub id: ConsentId,
    pub patient: AccountId,
    pub accessor: AccountId,
    pub categories: DataCategories,
    pub purposes: PurposeSet,
    pub period: Period,
    /// Hash of the signed consent document, which stays off chain.
    pub document_hash: Hash32,
    /// The patient, or the delegate who granted for them.
    pub granted_by: AccountId,
    /// Set when the consent came from a research request or joining a study.
    pub study_id: Option<StudyId>,
    pub revoked_at: Option<Timestamp>,
}

impl Consent {
    pub fn is_in_force(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.period.contains(now)
    }

    pub fn permits(&self, categories: DataCategories, purpose: Purpose, now: Timestamp) -> bool {
        self.is_in_force(now) && self.categories.contains_all(categories) && self.purposes.contains(purpose)
    }

    /// Revoked or ended: it can never permit again, so its storage may be freed.
    pub fn is_spent(&self, now: Timestamp) -> bool {
        self.revoked_at.is_some() || self.period.has_ended(now)
    }
}

/// A deny provision. `accessor: None` denies everyone.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct DenyRule {
    pub id: DenyRuleId,
    pub accessor: Option<AccountId>,
    pub categories: DataCategories,
    pub purposes: PurposeSet,
    pub period: Period,
    pub created_by: AccountId,
}

impl DenyRule {
    pub fn hits(&self, accessor: AccountId, categories: DataCategories, purpose: Purpose, now: Timestamp) -> bool {
        self.period.contains(now)
            && self.accessor.is_none_or(|a| a == accessor)
            && self.purposes.contains(purpose)
            && self.categories.intersects(categories)
    }
}

/// A delegate (guardian, proxy) who may grant, revoke, deny and answer requests for a patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Delegation {
    pub delegate: AccountId,
    pub expires_at: Timestamp,
}

impl Delegation {
    pub const fn is_active(&self, now: Timestamp) -> bool {
        now < self.expires_at
    }
}

/// The caller is the patient, or one of the patient's delegates whose appointment has not expired.
pub fn acts_for(caller: AccountId, patient: AccountId, delegations: &[Delegation], now: Timestamp) -> bool {
    caller == patient || delegations.iter().any(|d| d.delegate == caller && d.is_active(now))
}

pub fn validate_categories(categories: DataCategories) -> Result<()> {
    if categories.is_valid_nonempty() {
        Ok(())
    } else {
        Err(Error::InvalidCategories)
    }
}

pub fn validate_purposes(purposes: PurposeSet) -> Result<()> {
    if !purposes.is_empty() && purposes.is_valid() {
        Ok(())
    } else {
        Err(Error::InvalidPurposes)
    }
}

pub fn validate_hash(hash: &Hash32) -> Result<()> {
    if *hash == ZERO_HASH {
        Err(Error::ZeroHash)
    } else {
        Ok(())
    }
}

/// What a grant must satisfy before anything is stored. `granter` is the caller (patient or
/// delegate): neither may be the grantee, so a delegate cannot consent to their own access.
#[allow(clippy::too_many_arguments)]
pub fn validate_grant(
    granter: AccountId,
    patient: AccountId,
    accessor: AccountId,
    categories: DataCategories,
    purposes: PurposeSet,
    valid_from: Timestamp,
    valid_until: Timestamp,
    document_hash: &Hash32,
    now: Timestamp,
) -> Result<Period> {
    if accessor == patient || accessor == granter {
        return Err(Error::GrantToSelf);
    }
    validate_categories(categories)?;
    validate_purposes(purposes)?;
    validate_hash(document_hash)?;
    Ok(Period::new(valid_from, valid_until, now, MAX_CONSENT_DURATION)?)
}

pub fn validate_deny_rule(
    categories: DataCategories,
    purposes: PurposeSet,
    valid_from: Timestamp,
    valid_until: Timestamp,
    now: Timestamp,
) -> Result<Period> {
    validate_categories(categories)?;
    validate_purposes(purposes)?;
    Ok(Period::new(valid_from, valid_until, now, MAX_CONSENT_DURATION)?)
}

/// The policy decision (see the module documentation for the rule).
pub fn evaluate<'a>(
    consents: impl IntoIterator<Item = &'a Consent>,
    deny_rules: &[DenyRule],
    accessor: AccountId,
    categories: DataCategories,
    purpose: Purpose,
    now: Timestamp,
) -> AccessDecision {
    if !categories.is_valid_nonempty() {
        return AccessDecision::Denied(DenyReason::InvalidRequest);
    }
    if let Some(rule) = deny_rules.iter().find(|r| r.hits(accessor, categories, purpose, now)) {
        return AccessDecision::Denied(DenyReason::DeniedByRule(rule.id));
    }
    consents
        .into_iter()
        .find(|c| c.accessor == accessor && c.permits(categories, purpose, now))
        .map_or(AccessDecision::Denied(DenyReason::NoConsent), |c| AccessDecision::PermittedByConsent(c.id))
}

/// A research study a researcher registered; its categories and end bound every consent it yields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Study {
    pub id: StudyId,
    pub researcher: AccountId,
    pub protocol_hash: Hash32,
    pub ethics_approval_hash: Hash32,
    pub categories: DataCategories,
    pub registered_at: Timestamp,
    pub ends_at: Timestamp,
}

impl Study {
    pub const fn has_ended(&self, now: Timestamp) -> bool {
        now >= self.ends_at
    }
}

pub fn validate_study(
    protocol_hash: &Hash32,
    ethics_approval_hash: &Hash32,
    categories: DataCategories,
    ends_at: Timestamp,
    now: Timestamp,
) -> Result<()> {
    validate_hash(protocol_hash)?;
    validate_hash(ethics_approval_hash)?;
    validate_categories(categories)?;
    Period::from_now(now, ends_at, MAX_STUDY_DURATION)?;
    Ok(())
}

/// The research consent a patient's approval (or joining) creates: research purpose only, the
/// study's categories only, from now until the study ends.
pub fn research_consent(
    id: ConsentId,
    study: &Study,
    patient: AccountId,
    granted_by: AccountId,
    document_hash: &Hash32,
    now: Timestamp,
) -> Result<Consent> {
    if study.has_ended(now) {
        return Err(Error::StudyEnded);
    }
    if study.researcher == patient || study.researcher == granted_by {
        return Err(Error::GrantToSelf);
    }
    validate_hash(document_hash)?;
    Ok(Consent {
        id,
        patient,
        accessor: study.researcher,
        categories: study.categories,
        purposes: PurposeSet::of(Purpose::Research),
        period: Period { from: now, until: study.ends_at },
        document_hash: *document_hash,
        granted_by,
        study_id: Some(study.id),
        revoked_at: None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum RequestStatus {
    Pending,
    Approved(ConsentId),
    Denied,
    Withdrawn,
}

/// A researcher's request for one patient's consent to a study (FHIR R4 `proposed`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct AccessRequest {
    pub id: RequestId,
    pub study_id: StudyId,
    pub researcher: AccountId,
    pub patient: AccountId,
    pub requested_at: Timestamp,
    pub expires_at: Timestamp,
    pub status: RequestStatus,
}

impl AccessRequest {
    /// Expiry is evaluated on read: a pending request past its TTL can no longer be answered.
    pub fn ensure_answerable(&self, now: Timestamp) -> Result<()> {
        if self.status != RequestStatus::Pending {
            return Err(Error::RequestNotPending);
        }
        if now >= self.expires_at {
            return Err(Error::RequestExpired);
        }
        Ok(())
    }

    pub fn is_lapsed(&self, now: Timestamp) -> bool {
        self.status == RequestStatus::Pending && now >= self.expires_at
    }
}

/// How much `purge_expired` freed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct PurgeReport {
    pub consents: u32,
    pub deny_rules: u32,
    pub delegates: u32,
    pub requests: u32,
}

impl PurgeReport {
    pub const fn is_empty(&self) -> bool {
        self.consents == 0 && self.deny_rules == 0 && self.delegates == 0 && self.requests == 0
    }
}

/// Count of items a bounded list dropped; lists are capped far below `u32::MAX`.
pub fn dropped(before: usize, after: usize) -> u32 {
    u32::try_from(before.saturating_sub(after)).unwrap_or(u32::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::arithmetic_side_effects, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NOW: Timestamp = 1_000_000;

    fn acct(b: u8) -> AccountId {
        AccountId::from([b; 32])
    }

    fn consent(id: u64, accessor: u8, categories: u16, purposes: u8, from: u64, until: u64) -> Consent {
        Consent {
            id,
            patient: acct(1),
            accessor: acct(accessor),
            categories: DataCategories(categories),
            purposes: PurposeSet(purposes),
            period: Period { from, until },
            document_hash: [9; 32],
            granted_by: acct(1),
            study_id: None,
            revoked_at: None,
        }
    }

    fn rule(id: u64, accessor: Option<u8>, categories: u16, purposes: u8, from: u64, until: u64) -> DenyRule {
        DenyRule {
            id,
            accessor: accessor.map(acct),
            categories: DataCategories(categories),
            purposes: PurposeSet(purposes),
            period: Period { from, until },
            created_by: acct(1),
        }
    }

    const LAB: u16 = DataCategories::LAB_RESULTS.0;
    const MEDS: u16 = DataCategories::MEDICATIONS.0;
    const TREAT: u8 = PurposeSet::of(Purpose::Treatment).0;
    const RESEARCH: u8 = PurposeSet::of(Purpose::Research).0;

    #[test]
    fn consent_permits_only_within_its_terms() {
        let c = consent(1, 2, LAB | MEDS, TREAT, NOW, NOW + 10);
        let lab = DataCategories(LAB);
        assert!(c.permits(lab, Purpose::Treatment, NOW));
        assert!(c.permits(DataCategories(LAB | MEDS), Purpose::Treatment, NOW + 9));
        assert!(!c.permits(lab, Purpose::Treatment, NOW - 1), "before from");
        assert!(!c.permits(lab, Purpose::Treatment, NOW + 10), "at until");
        assert!(!c.permits(lab, Purpose::Research, NOW), "other purpose");
        assert!(!c.permits(DataCategories(LAB | DataCategories::IMAGING.0), Purpose::Treatment, NOW), "superset");
        let revoked = Consent { revoked_at: Some(NOW), ..c };
        assert!(!revoked.permits(lab, Purpose::Treatment, NOW));
        assert!(revoked.is_spent(NOW));
    }

    #[test]
    fn evaluation_follows_the_documented_order() {
        let consents = [consent(7, 2, LAB, TREAT, 0, NOW * 2)];
        let lab = DataCategories(LAB);
        assert_eq!(
            evaluate(&consents, &[], acct(2), lab, Purpose::Treatment, NOW),
            AccessDecision::PermittedByConsent(7)
        );
        assert_eq!(
            evaluate(&consents, &[], acct(3), lab, Purpose::Treatment, NOW),
            AccessDecision::Denied(DenyReason::NoConsent),
            "another accessor"
        );
        assert_eq!(
            evaluate(&consents, &[], acct(2), DataCategories::NONE, Purpose::Treatment, NOW),
            AccessDecision::Denied(DenyReason::InvalidRequest)
        );
        assert_eq!(
            evaluate(&consents, &[], acct(2), DataCategories(1 << 15), Purpose::Treatment, NOW),
            AccessDecision::Denied(DenyReason::InvalidRequest)
        );
        // A deny rule for everyone, overlapping one requested category, wins over the consent.
        let rules = [rule(3, None, LAB | MEDS, TREAT, 0, NOW * 2)];
        assert_eq!(
            evaluate(&consents, &rules, acct(2), lab, Purpose::Treatment, NOW),
            AccessDecision::Denied(DenyReason::DeniedByRule(3))
        );
        // A rule for another accessor, another purpose, disjoint categories or outside its
        // period does not hit.
        for r in [
            rule(4, Some(9), LAB, TREAT, 0, NOW * 2),
            rule(5, Some(2), LAB, RESEARCH, 0, NOW * 2),
            rule(6, Some(2), MEDS, TREAT, 0, NOW * 2),
            rule(8, Some(2), LAB, TREAT, NOW + 1, NOW * 2),
        ] {
            assert_eq!(
                evaluate(&consents, &[r.clone()], acct(2), lab, Purpose::Treatment, NOW),
                AccessDecision::PermittedByConsent(7),
                "{r:?}"
            );
        }
    }

    #[test]
    fn categories_of_several_consents_are_never_combined() {
        let consents = [consent(1, 2, LAB, TREAT, 0, NOW * 2), consent(2, 2, MEDS, TREAT, 0, NOW * 2)];
        assert_eq!(
            evaluate(&consents, &[], acct(2), DataCategories(LAB | MEDS), Purpose::Treatment, NOW),
            AccessDecision::Denied(DenyReason::NoConsent)
        );
    }

    #[test]
    fn grant_validation_errors() {
        let ok = |granter: u8, accessor: u8| {
            validate_grant(
                acct(granter),
                acct(1),
                acct(accessor),
                DataCategories(LAB),
                PurposeSet(TREAT),
                NOW,
                NOW + 5,
                &[1; 32],
                NOW,
            )
        };
        assert_eq!(ok(1, 2), Ok(Period { from: NOW, until: NOW + 5 }));
        assert_eq!(ok(1, 1), Err(Error::GrantToSelf));
        assert_eq!(ok(3, 3), Err(Error::GrantToSelf), "delegate granting to themselves");
        let v = |c: u16, p: u8, from: u64, until: u64, h: Hash32| {
            validate_grant(acct(1), acct(1), acct(2), DataCategories(c), PurposeSet(p), from, until, &h, NOW)
        };
        assert_eq!(v(0, TREAT, NOW, NOW + 5, [1; 32]), Err(Error::InvalidCategories));
        assert_eq!(v(1 << 14, TREAT, NOW, NOW + 5, [1; 32]), Err(Error::InvalidCategories));
        assert_eq!(v(LAB, 0, NOW, NOW + 5, [1; 32]), Err(Error::InvalidPurposes));
        assert_eq!(v(LAB, 1 << 7, NOW, NOW + 5, [1; 32]), Err(Error::InvalidPurposes));
        assert_eq!(v(LAB, TREAT, NOW, NOW + 5, ZERO_HASH), Err(Error::ZeroHash));
        assert_eq!(v(LAB, TREAT, NOW, NOW, [1; 32]), Err(Error::InvalidPeriod));
        assert_eq!(v(LAB, TREAT, 0, NOW, [1; 32]), Err(Error::PeriodInPast));
        assert_eq!(v(LAB, TREAT, NOW, NOW + MAX_CONSENT_DURATION + 1, [1; 32]), Err(Error::PeriodTooLong));
    }

    #[test]
    fn delegation_expires() {
        let d = [Delegation { delegate: acct(5), expires_at: NOW + 1 }];
        assert!(acts_for(acct(1), acct(1), &[], NOW));
        assert!(acts_for(acct(5), acct(1), &d, NOW));
        assert!(!acts_for(acct(5), acct(1), &d, NOW + 1));
        assert!(!acts_for(acct(6), acct(1), &d, NOW));
    }

    #[test]
    fn research_consent_is_narrow() {
        let study = Study {
            id: 4,
            researcher: acct(8),
            protocol_hash: [1; 32],
            ethics_approval_hash: [2; 32],
            categories: DataCategories(LAB),
            registered_at: 0,
            ends_at: NOW + 100,
        };
        let c = research_consent(11, &study, acct(1), acct(1), &[3; 32], NOW).unwrap();
        assert_eq!(c.accessor, acct(8));
        assert_eq!(c.purposes, PurposeSet::of(Purpose::Research));
        assert_eq!(c.categories, DataCategories(LAB));
        assert_eq!(c.period, Period { from: NOW, until: NOW + 100 });
        assert_eq!(c.study_id, Some(4));
        assert_eq!(research_consent(11, &study, acct(1), acct(1), &[3; 32], NOW + 100), Err(Error::StudyEnded));
        assert_eq!(research_consent(11, &study, acct(8), acct(8), &[3; 32], NOW), Err(Error::GrantToSelf));
        assert_eq!(research_consent(11, &study, acct(1), acct(1), &ZERO_HASH, NOW), Err(Error::ZeroHash));
    }

    #[test]
    fn requests_expire_on_read() {
        let r = AccessRequest {
            id: 1,
            study_id: 1,
            researcher: acct(8),
            patient: acct(1),
            requested_at: NOW,
            expires_at: NOW + REQUEST_TTL,
            status: RequestStatus::Pending,
        };
        assert_eq!(r.ensure_answerable(NOW), Ok(()));
        assert_eq!(r.ensure_answerable(NOW + REQUEST_TTL), Err(Error::RequestExpired));
        assert!(r.is_lapsed(NOW + REQUEST_TTL));
        let done = AccessRequest { status: RequestStatus::Denied, ..r };
        assert_eq!(done.ensure_answerable(NOW), Err(Error::RequestNotPending));
        assert!(!done.is_lapsed(NOW + REQUEST_TTL));
    }

    #[test]
    fn study_validation() {
        assert_eq!(validate_study(&[1; 32], &[2; 32], DataCategories(LAB), NOW + 1, NOW), Ok(()));
        assert_eq!(validate_study(&ZERO_HASH, &[2; 32], DataCategories(LAB), NOW + 1, NOW), Err(Error::ZeroHash));
        assert_eq!(validate_study(&[1; 32], &ZERO_HASH, DataCategories(LAB), NOW + 1, NOW), Err(Error::ZeroHash));
        assert_eq!(validate_study(&[1; 32], &[2; 32], DataCategories(0), NOW + 1, NOW), Err(Error::InvalidCategories));
        assert_eq!(validate_study(&[1; 32], &[2; 32], DataCategories(LAB), NOW, NOW), Err(Error::PeriodInPast));
        assert_eq!(
            validate_study(&[1; 32], &[2; 32], DataCategories(LAB), NOW + MAX_STUDY_DURATION + 1, NOW),
            Err(Error::PeriodTooLong)
        );
    }

    fn arb_consent() -> impl Strategy<Value = Consent> {
        (1u64..50, 2u8..5, 0u16..0x2000, 0u8..64, 0u64..200, 0u64..200)
            .prop_map(|(id, accessor, cats, purposes, from, len)| Consent {
                id,
                patient: acct(1),
                accessor: acct(accessor),
                categories: DataCategories(cats),
                purposes: PurposeSet(purposes),
                period: Period { from, until: from + len },
                document_hash: [1; 32],
                granted_by: acct(1),
                study_id: None,
                revoked_at: None,
            })
            .prop_flat_map(|c| (Just(c), proptest::option::of(0u64..400)))
            .prop_map(|(c, revoked_at)| Consent { revoked_at, ..c })
    }

    fn arb_rule() -> impl Strategy<Value = DenyRule> {
        (1u64..50, proptest::option::of(2u8..5), 0u16..0x2000, 0u8..64, 0u64..200, 0u64..200).prop_map(
            |(id, accessor, cats, purposes, from, len)| DenyRule {
                id,
                accessor: accessor.map(acct),
                categories: DataCategories(cats),
                purposes: PurposeSet(purposes),
                period: Period { from, until: from + len },
                created_by: acct(1),
            },
        )
    }

    fn arb_purpose() -> impl Strategy<Value = Purpose> {
        proptest::sample::select(Purpose::ALL.to_vec())
    }

    proptest! {
        /// Deny always wins: whenever a rule hits, no consent can permit.
        #[test]
        fn deny_always_wins(
            consents in proptest::collection::vec(arb_consent(), 0..8),
            rules in proptest::collection::vec(arb_rule(), 0..6),
            accessor in 2u8..5, cats in 1u16..0x2000, purpose in arb_purpose(), now in 0u64..400,
        ) {
            let cats = DataCategories(cats);
            let decision = evaluate(&consents, &rules, acct(accessor), cats, purpose, now);
            let hit = rules.iter().any(|r| r.hits(acct(accessor), cats, purpose, now));
            if hit {
                prop_assert!(matches!(decision, AccessDecision::Denied(DenyReason::DeniedByRule(_))));
            }
        }

        /// A permit always comes from one consent that is in force (not revoked, not expired),
        /// names this accessor and purpose, and covers every requested category.
        #[test]
        fn permit_is_always_grounded(
            consents in proptest::collection::vec(arb_consent(), 0..8),
            rules in proptest::collection::vec(arb_rule(), 0..3),
            accessor in 2u8..5, cats in 0u16..0x2000, purpose in arb_purpose(), now in 0u64..400,
        ) {
            let cats = DataCategories(cats);
            if let AccessDecision::PermittedByConsent(id) = evaluate(&consents, &rules, acct(accessor), cats, purpose, now) {
                let c = consents.iter().find(|c| c.id == id && c.accessor == acct(accessor) && c.permits(cats, purpose, now));
                prop_assert!(c.is_some());
                let c = c.unwrap();
                prop_assert!(c.revoked_at.is_none());
                prop_assert!(now < c.period.until && now >= c.period.from);
                prop_assert!(c.categories.contains_all(cats) && !cats.is_empty());
                prop_assert!(c.purposes.contains(purpose));
            }
        }

        /// After revocation or expiry a consent never permits again, at any later time.
        #[test]
        fn no_permit_after_expiry_or_revocation(c in arb_consent(), cats in 1u16..0x2000, purpose in arb_purpose(), later in 0u64..1000) {
            let revoked = Consent { revoked_at: Some(0), ..c.clone() };
            prop_assert!(!revoked.permits(DataCategories(cats), purpose, later));
            let at = c.period.until + later;
            prop_assert!(!c.permits(DataCategories(cats), purpose, at));
        }

        /// Permission is monotone in the request: a permitted request stays permitted when it
        /// asks for fewer categories, and never extends beyond the consent's own categories.
        #[test]
        fn consent_never_covers_more_than_it_says(c in arb_consent(), cats in 1u16..0x2000, purpose in arb_purpose(), now in 0u64..400) {
            let cats = DataCategories(cats);
            if c.permits(cats, purpose, now) {
                prop_assert!(c.categories.contains_all(cats));
                prop_assert!(c.purposes.contains(purpose));
                let extra = DataCategories(!c.categories.0 & DataCategories::ALL.0);
                if !extra.is_empty() {
                    prop_assert!(!c.permits(cats.union(extra), purpose, now));
                }
            }
        }
    }
}
