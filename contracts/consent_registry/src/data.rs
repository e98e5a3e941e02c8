//! The consent model, policy evaluation and research bookkeeping, as pure functions over plain
//! values: no storage, no environment. The contract shell loads records, calls these, and
//! stores what they return.
//!
//! Evaluation rule (FHIR R5 Consent with `decision = deny` provisions taking precedence):
//! 1. a request with no or unknown categories is denied (`InvalidRequest`);
//! 2. if any deny rule of the patient is in force, names this accessor (or everyone), this
//!    purpose, and any one of the requested categories, access is denied — deny always wins;
//! 3. otherwise access is permitted by the first unrevoked consent (the copies of their terms
//!    the patient's [`PatientPolicy`] holds) that is in its period (`from <= now < until`),
//!    names this accessor and purpose, and covers *every* requested category on its own
//!    (categories of several consents are never combined);
//! 4. otherwise it is denied (`NoConsent`); for emergency treatment the contract then asks
//!    break_glass — rule 2 still applies, so a patient's deny rule also binds responders.
//!
//! Delegates act for the patient but never beyond the patient's own grant to them: a consent a
//! delegate grants ends no later than the delegation, and a delegate lifts only deny rules (and
//! researcher blocks) it created itself, never one that covers it.

use crate::errors::{Error, Result};
use carechain_shared::collections::{dropped, push_bounded, remove_first, CapacityReached};
pub use carechain_shared::Actor;
use carechain_shared::{
    AccessDecision, ConsentId, DataCategories, DenyReason, DenyRuleId, Hash32, Period, Purpose, PurposeSet,
    ResearchTerms, StudyId, Timestamp, MS_PER_DAY, ZERO_HASH,
};
use ink::prelude::vec::Vec;
use ink::primitives::AccountId;

/// Unrevoked consents per (patient, accessor) (a check decodes the patient's whole policy cell:
/// at most `MAX_CONSENTS_PER_PATIENT` consents' terms and `MAX_DENY_RULES_PER_PATIENT` rules).
pub const MAX_ACTIVE_CONSENTS_PER_PAIR: usize = 8;
/// Consents stored per patient, revoked and expired ones included until purged.
pub const MAX_CONSENTS_PER_PATIENT: usize = 64;
pub const MAX_DENY_RULES_PER_PATIENT: usize = 16;
pub const MAX_DELEGATES_PER_PATIENT: usize = 4;
/// Ten years: longer consents are almost certainly a unit mistake (seconds for milliseconds).
pub const MAX_CONSENT_DURATION: Timestamp = 3_650 * MS_PER_DAY;
pub const MAX_DELEGATION_DURATION: Timestamp = 3_650 * MS_PER_DAY;

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
    pub fn permits(&self, categories: DataCategories, purpose: Purpose, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.terms().permits(categories, purpose, now)
    }

    /// The copy its patient's policy cell carries while it is unrevoked.
    pub fn terms(&self) -> ConsentTerms {
        ConsentTerms {
            id: self.id,
            accessor: self.accessor,
            categories: self.categories,
            purposes: self.purposes,
            period: self.period,
        }
    }

    /// Revoked or ended: it can never permit again, so its storage may be freed.
    pub fn is_spent(&self, now: Timestamp) -> bool {
        self.revoked_at.is_some() || self.period.has_ended(now)
    }

    /// Whether ending `by`'s authority at `end` must revoke this consent: it was granted by
    /// `by`, is not revoked, and would still permit at or after `end`.
    pub fn outlives_grantor(&self, by: AccountId, end: Timestamp) -> bool {
        self.granted_by == by && self.revoked_at.is_none() && self.period.until > end
    }
}

/// What the policy reads of an unrevoked consent, copied into its patient's [`PatientPolicy`]
/// when it is granted. A consent's terms never change after the grant, and revoking or purging
/// takes the copy off the list, so the copy cannot go stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct ConsentTerms {
    pub id: ConsentId,
    pub accessor: AccountId,
    pub categories: DataCategories,
    pub purposes: PurposeSet,
    pub period: Period,
}

impl ConsentTerms {
    /// In its period, for this purpose, and covering every requested category.
    pub fn permits(&self, categories: DataCategories, purpose: Purpose, now: Timestamp) -> bool {
        self.period.contains(now) && self.categories.contains_all(categories) && self.purposes.contains(purpose)
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

    /// Whether the rule binds `account` (it names it, or everyone).
    pub fn covers(&self, account: AccountId) -> bool {
        self.accessor.is_none_or(|a| a == account)
    }
}

/// Everything `check_access` reads about a patient, kept in one storage cell: their deny rules
/// and the terms of their unrevoked consents. A decision is then one read (≈ 10 kB of proof on
/// the node) instead of one for the rules, one for the pair's list and one per consent. Bounded:
/// at most `MAX_DENY_RULES_PER_PATIENT` rules and, since every listed consent is stored,
/// `MAX_CONSENTS_PER_PATIENT` terms, of which at most `MAX_ACTIVE_CONSENTS_PER_PAIR` per accessor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct PatientPolicy {
    pub deny_rules: Vec<DenyRule>,
    pub live: Vec<ConsentTerms>,
}

impl PatientPolicy {
    /// Nothing left to keep: the cell can be freed.
    pub fn is_empty(&self) -> bool {
        self.deny_rules.is_empty() && self.live.is_empty()
    }

    pub fn decide(
        &self,
        accessor: AccountId,
        categories: DataCategories,
        purpose: Purpose,
        now: Timestamp,
    ) -> AccessDecision {
        evaluate(&self.live, &self.deny_rules, accessor, categories, purpose, now)
    }

    /// Lists a newly granted consent; refused when its accessor already has
    /// `MAX_ACTIVE_CONSENTS_PER_PAIR` unrevoked consents (or the patient
    /// `MAX_CONSENTS_PER_PATIENT`), leaving the list as it was.
    pub fn list(&mut self, terms: ConsentTerms) -> core::result::Result<(), CapacityReached> {
        let of_pair = self.live.iter().filter(|t| t.accessor == terms.accessor).count();
        if of_pair >= MAX_ACTIVE_CONSENTS_PER_PAIR {
            return Err(CapacityReached);
        }
        push_bounded(&mut self.live, terms, MAX_CONSENTS_PER_PATIENT)
    }

    /// Takes a consent off the list; whether it was listed.
    pub fn unlist(&mut self, id: ConsentId) -> bool {
        remove_first(&mut self.live, |t| t.id == id).is_some()
    }

    /// Adds a deny rule; refused when the patient has `MAX_DENY_RULES_PER_PATIENT`.
    pub fn add_rule(&mut self, rule: DenyRule) -> core::result::Result<(), CapacityReached> {
        push_bounded(&mut self.deny_rules, rule, MAX_DENY_RULES_PER_PATIENT)
    }

    /// Lifts rule `rule_id` if `may_lift` allows it (the actor's right over that rule); refused
    /// otherwise, or when there is no such rule, leaving the rules as they were.
    pub fn lift_rule(&mut self, rule_id: DenyRuleId, may_lift: impl FnOnce(&DenyRule) -> Result<()>) -> Result<()> {
        let rule = self.deny_rules.iter().find(|r| r.id == rule_id).ok_or(Error::UnknownDenyRule)?;
        may_lift(rule)?;
        remove_first(&mut self.deny_rules, |r| r.id == rule_id);
        Ok(())
    }

    /// Drops the rules that have ended at `now`; how many.
    pub fn drop_ended_rules(&mut self, now: Timestamp) -> u32 {
        let before = self.deny_rules.len();
        self.deny_rules.retain(|r| !r.period.has_ended(now));
        dropped(before, self.deny_rules.len())
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

/// Whether appointing `delegate` until `expires_at` shortens an appointment it already holds:
/// the only form of `appoint_delegate` that narrows access, and so the only one that works while
/// the registry is paused (a pause is judged by what the arguments do, not by the message).
pub fn shortens(delegations: &[Delegation], delegate: AccountId, expires_at: Timestamp) -> bool {
    delegations.iter().any(|d| d.delegate == delegate && expires_at < d.expires_at)
}

/// Appoints `delegate` until `expires_at`, or moves the end of its appointment: `Unchanged`
/// when it already ends then, `CapacityReached` for a fifth delegate; the list as it was on
/// refusal.
pub fn appoint(delegations: &mut Vec<Delegation>, delegate: AccountId, expires_at: Timestamp) -> Result<()> {
    match delegations.iter_mut().find(|d| d.delegate == delegate) {
        Some(existing) if existing.expires_at == expires_at => Err(Error::Unchanged),
        Some(existing) => {
            existing.expires_at = expires_at;
            Ok(())
        }
        None => Ok(push_bounded(delegations, Delegation { delegate, expires_at }, MAX_DELEGATES_PER_PATIENT)?),
    }
}

/// The caller is the patient, or one of the patient's delegates whose appointment has not expired.
pub fn actor(caller: AccountId, patient: AccountId, delegations: &[Delegation], now: Timestamp) -> Option<Actor> {
    if caller == patient {
        return Some(Actor::Patient);
    }
    delegations
        .iter()
        .find(|d| d.delegate == caller && d.is_active(now))
        .map(|d| Actor::Delegate { account: caller, expires_at: d.expires_at })
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

/// What a grant must satisfy before anything is stored. Neither the patient nor the acting
/// delegate may be the grantee (a delegate cannot consent to their own access), and a
/// delegate's grant ends no later than its delegation.
#[allow(clippy::too_many_arguments)]
pub fn validate_grant(
    actor: Actor,
    patient: AccountId,
    accessor: AccountId,
    categories: DataCategories,
    purposes: PurposeSet,
    valid_from: Timestamp,
    valid_until: Timestamp,
    document_hash: &Hash32,
    now: Timestamp,
) -> Result<Period> {
    if accessor == patient || accessor == actor.account(patient) {
        return Err(Error::GrantToSelf);
    }
    validate_categories(categories)?;
    validate_purposes(purposes)?;
    validate_hash(document_hash)?;
    let period = Period::new(valid_from, valid_until, now, MAX_CONSENT_DURATION)?;
    if actor.cap(period.until) < period.until {
        return Err(Error::ExceedsDelegation);
    }
    Ok(period)
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

/// The policy decision (see the module documentation for the rule) over the terms of a patient's
/// unrevoked consents and their deny rules.
pub fn evaluate<'a>(
    live: impl IntoIterator<Item = &'a ConsentTerms>,
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
    live.into_iter()
        .find(|c| c.accessor == accessor && c.permits(categories, purpose, now))
        .map_or(AccessDecision::Denied(DenyReason::NoConsent), |c| AccessDecision::PermittedByConsent(c.id))
}

/// The research consent a patient's approval of (or joining) a study creates, on
/// research_registry's word that the study recruits: research purpose only, the study's
/// categories only, from now until the study ends — or until the acting delegate's appointment
/// ends, if that is sooner.
pub fn research_consent(
    id: ConsentId,
    terms: &ResearchTerms,
    patient: AccountId,
    actor: Actor,
    document_hash: &Hash32,
    now: Timestamp,
) -> Result<Consent> {
    let granted_by = actor.account(patient);
    if terms.researcher == patient || terms.researcher == granted_by {
        return Err(Error::GrantToSelf);
    }
    validate_categories(terms.categories)?;
    validate_hash(document_hash)?;
    let period = Period::new(now, actor.cap(terms.ends_at), now, MAX_CONSENT_DURATION)?;
    Ok(Consent {
        id,
        patient,
        accessor: terms.researcher,
        categories: terms.categories,
        purposes: PurposeSet::of(Purpose::Research),
        period,
        document_hash: *document_hash,
        granted_by,
        study_id: Some(terms.study_id),
        revoked_at: None,
    })
}

/// How much `purge_expired` freed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct PurgeReport {
    pub consents: u32,
    pub deny_rules: u32,
    pub delegates: u32,
}

impl PurgeReport {
    pub const fn is_empty(&self) -> bool {
        self.consents == 0 && self.deny_rules == 0 && self.delegates == 0
    }
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

    /// The decision over a set of consents of one patient, as the contract makes it: from the
    /// terms of the unrevoked ones, which is what the patient's policy cell lists
    /// (index::tests proves it lists exactly those).
    fn evaluate_all(
        consents: &[Consent],
        rules: &[DenyRule],
        accessor: AccountId,
        categories: DataCategories,
        purpose: Purpose,
        now: Timestamp,
    ) -> AccessDecision {
        let live: Vec<ConsentTerms> = consents.iter().filter(|c| c.revoked_at.is_none()).map(Consent::terms).collect();
        evaluate(&live, rules, accessor, categories, purpose, now)
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
    fn only_a_shorter_appointment_narrows() {
        let (d1, d2) = (AccountId::from([4; 32]), AccountId::from([5; 32]));
        let mut list = vec![Delegation { delegate: d1, expires_at: 100 }];
        assert!(shortens(&list, d1, 99));
        assert!(!shortens(&list, d1, 100) && !shortens(&list, d1, 101), "the same or a later end widens or keeps");
        assert!(!shortens(&list, d2, 50), "a new delegate widens");
        assert_eq!(appoint(&mut list, d1, 100), Err(Error::Unchanged));
        assert_eq!(appoint(&mut list, d1, 60), Ok(()));
        assert_eq!(list, vec![Delegation { delegate: d1, expires_at: 60 }]);
        for n in 0..(MAX_DELEGATES_PER_PATIENT - 1) {
            appoint(&mut list, AccountId::from([10 + u8::try_from(n).unwrap(); 32]), 80).unwrap();
        }
        let full = list.clone();
        assert_eq!(appoint(&mut list, d2, 80), Err(Error::CapacityReached));
        assert_eq!(list, full, "a refused appointment leaves the list as it was");
    }

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
            evaluate_all(&consents, &[], acct(2), lab, Purpose::Treatment, NOW),
            AccessDecision::PermittedByConsent(7)
        );
        assert_eq!(
            evaluate_all(&consents, &[], acct(3), lab, Purpose::Treatment, NOW),
            AccessDecision::Denied(DenyReason::NoConsent),
            "another accessor"
        );
        assert_eq!(
            evaluate_all(&consents, &[], acct(2), DataCategories::NONE, Purpose::Treatment, NOW),
            AccessDecision::Denied(DenyReason::InvalidRequest)
        );
        assert_eq!(
            evaluate_all(&consents, &[], acct(2), DataCategories(1 << 15), Purpose::Treatment, NOW),
            AccessDecision::Denied(DenyReason::InvalidRequest)
        );
        // A deny rule for everyone, overlapping one requested category, wins over the consent.
        let rules = [rule(3, None, LAB | MEDS, TREAT, 0, NOW * 2)];
        assert_eq!(
            evaluate_all(&consents, &rules, acct(2), lab, Purpose::Treatment, NOW),
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
                evaluate_all(&consents, &[r.clone()], acct(2), lab, Purpose::Treatment, NOW),
                AccessDecision::PermittedByConsent(7),
                "{r:?}"
            );
        }
    }

    #[test]
    fn a_policy_adds_rules_up_to_its_cap_and_lifts_only_what_may_be_lifted() {
        let mut policy = PatientPolicy::default();
        for id in 1..=MAX_DENY_RULES_PER_PATIENT as u64 {
            policy.add_rule(rule(id, None, LAB, TREAT, 0, NOW)).unwrap();
        }
        let full = policy.clone();
        assert_eq!(policy.add_rule(rule(99, None, LAB, TREAT, 0, NOW)), Err(CapacityReached));
        assert_eq!(policy, full, "a refused rule changes nothing");
        assert_eq!(policy.lift_rule(99, |_| Ok(())), Err(Error::UnknownDenyRule));
        assert_eq!(policy.lift_rule(2, |_| Err(Error::DelegateCannotLift)), Err(Error::DelegateCannotLift));
        assert_eq!(policy, full, "a refused lift changes nothing");
        policy.lift_rule(2, |r| if r.id == 2 { Ok(()) } else { Err(Error::UnknownDenyRule) }).unwrap();
        assert_eq!(policy.deny_rules.len(), MAX_DENY_RULES_PER_PATIENT - 1);
        assert!(policy.deny_rules.iter().all(|r| r.id != 2), "only that rule went");
    }

    #[test]
    fn categories_of_several_consents_are_never_combined() {
        let consents = [consent(1, 2, LAB, TREAT, 0, NOW * 2), consent(2, 2, MEDS, TREAT, 0, NOW * 2)];
        assert_eq!(
            evaluate_all(&consents, &[], acct(2), DataCategories(LAB | MEDS), Purpose::Treatment, NOW),
            AccessDecision::Denied(DenyReason::NoConsent)
        );
    }

    #[test]
    fn grant_validation_errors() {
        let delegate = |expires_at| Actor::Delegate { account: acct(3), expires_at };
        let ok = |actor: Actor, accessor: u8, until: u64| {
            validate_grant(
                actor,
                acct(1),
                acct(accessor),
                DataCategories(LAB),
                PurposeSet(TREAT),
                NOW,
                until,
                &[1; 32],
                NOW,
            )
        };
        assert_eq!(ok(Actor::Patient, 2, NOW + 5), Ok(Period { from: NOW, until: NOW + 5 }));
        assert_eq!(ok(Actor::Patient, 1, NOW + 5), Err(Error::GrantToSelf));
        assert_eq!(ok(delegate(NOW + 9), 3, NOW + 5), Err(Error::GrantToSelf), "delegate granting to themselves");
        assert_eq!(
            ok(delegate(NOW + 5), 2, NOW + 5),
            Ok(Period { from: NOW, until: NOW + 5 }),
            "up to the delegation's end"
        );
        assert_eq!(ok(delegate(NOW + 5), 2, NOW + 6), Err(Error::ExceedsDelegation), "not a moment past it");
        let v = |c: u16, p: u8, from: u64, until: u64, h: Hash32| {
            validate_grant(Actor::Patient, acct(1), acct(2), DataCategories(c), PurposeSet(p), from, until, &h, NOW)
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
        assert_eq!(actor(acct(1), acct(1), &[], NOW), Some(Actor::Patient));
        assert_eq!(actor(acct(5), acct(1), &d, NOW), Some(Actor::Delegate { account: acct(5), expires_at: NOW + 1 }));
        assert_eq!(actor(acct(5), acct(1), &d, NOW + 1), None);
        assert_eq!(actor(acct(6), acct(1), &d, NOW), None);
    }

    #[test]
    fn a_delegate_lifts_only_its_own_rules_that_do_not_bind_it() {
        let me = acct(5);
        let delegate = Actor::Delegate { account: me, expires_at: NOW + 10 };
        let mine_for_other = rule(1, Some(7), LAB, TREAT, 0, NOW * 2);
        let by = |r: &DenyRule, who: u8| DenyRule { created_by: acct(who), ..r.clone() };
        let lift = |r: &DenyRule| delegate.may_lift(r.created_by, r.covers(me)).map_err(Error::from);
        assert_eq!(lift(&by(&mine_for_other, 5)), Ok(()));
        assert_eq!(lift(&by(&mine_for_other, 1)), Err(Error::DelegateCannotLift), "the patient's rule");
        assert_eq!(lift(&by(&rule(2, Some(5), LAB, TREAT, 0, 9), 5)), Err(Error::DelegateCannotLift), "names it");
        assert_eq!(lift(&by(&rule(3, None, LAB, TREAT, 0, 9), 5)), Err(Error::DelegateCannotLift), "binds everyone");
        assert_eq!(Actor::Patient.may_lift(acct(5), true), Ok(()), "the patient lifts anything");
    }

    #[test]
    fn consents_outlive_their_grantor_only_if_they_run_past_its_end() {
        let mut c = consent(1, 2, LAB, TREAT, 0, NOW + 100);
        c.granted_by = acct(5);
        assert!(c.outlives_grantor(acct(5), NOW));
        assert!(c.outlives_grantor(acct(5), NOW + 99));
        assert!(!c.outlives_grantor(acct(5), NOW + 100));
        assert!(!c.outlives_grantor(acct(1), NOW), "granted by someone else");
        assert!(!Consent { revoked_at: Some(1), ..c }.outlives_grantor(acct(5), NOW));
    }

    #[test]
    fn research_consent_is_narrow_and_ends_with_the_study_or_the_delegation() {
        let terms =
            ResearchTerms { study_id: 4, researcher: acct(8), categories: DataCategories(LAB), ends_at: NOW + 100 };
        let c = research_consent(11, &terms, acct(1), Actor::Patient, &[3; 32], NOW).unwrap();
        assert_eq!(c.accessor, acct(8));
        assert_eq!(c.purposes, PurposeSet::of(Purpose::Research));
        assert_eq!(c.categories, DataCategories(LAB));
        assert_eq!(c.period, Period { from: NOW, until: NOW + 100 });
        assert_eq!(c.study_id, Some(4));
        let by_delegate = Actor::Delegate { account: acct(5), expires_at: NOW + 30 };
        let d = research_consent(12, &terms, acct(1), by_delegate, &[3; 32], NOW).unwrap();
        assert_eq!((d.period.until, d.granted_by), (NOW + 30, acct(5)), "ends with the delegation");
        assert_eq!(
            research_consent(11, &terms, acct(1), Actor::Patient, &[3; 32], NOW + 100),
            Err(Error::InvalidPeriod)
        );
        assert_eq!(research_consent(11, &terms, acct(8), Actor::Patient, &[3; 32], NOW), Err(Error::GrantToSelf));
        let researcher_as_delegate = Actor::Delegate { account: acct(8), expires_at: NOW + 30 };
        assert_eq!(
            research_consent(11, &terms, acct(1), researcher_as_delegate, &[3; 32], NOW),
            Err(Error::GrantToSelf)
        );
        assert_eq!(research_consent(11, &terms, acct(1), Actor::Patient, &ZERO_HASH, NOW), Err(Error::ZeroHash));
        let no_categories = ResearchTerms { categories: DataCategories::NONE, ..terms };
        assert_eq!(
            research_consent(11, &no_categories, acct(1), Actor::Patient, &[3; 32], NOW),
            Err(Error::InvalidCategories)
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
            let decision = evaluate_all(&consents, &rules, acct(accessor), cats, purpose, now);
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
            if let AccessDecision::PermittedByConsent(id) = evaluate_all(&consents, &rules, acct(accessor), cats, purpose, now) {
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
