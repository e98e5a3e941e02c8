//! The consent index: every stored consent, the per-patient list that finds them, and the
//! patient's policy cell ([`PatientPolicy`]: deny rules and the terms of unrevoked consents —
//! FHIR keeps deny provisions in Consent too), kept together so their rules hold in one place:
//! the policy cell lists exactly the patient's unrevoked stored consents, every listed id
//! resolves to a stored consent, and purging frees all three.
//!
//! `consents` and `by_patient` keep the keys they had as separate fields of the contract. The
//! per-pair id lists (`0xC000_0011`) and the deny rules (`0xC000_0013`) became the policy cell
//! under a key of its own, so an upgraded contract never decodes an old cell as a new one;
//! after such an upgrade, checks find no consent and no rule until the patient grants or
//! denies again (a rule lost that way would widen access: an upgrade from that layout needs a
//! migration, docs/threat-model.md "Known limits").

use crate::data::{self, Consent, DenyRule, PatientPolicy};
use crate::errors::Error;
use carechain_shared::collections::{dropped, page, push_bounded, CapacityReached};
use carechain_shared::{ConsentId, DenyRuleId};
use ink::prelude::vec::Vec;
use ink::primitives::AccountId;
use ink::storage::{traits::ManualKey, Mapping};

#[ink::storage_item]
#[derive(Debug, Default)]
pub struct ConsentIndex {
    consents: Mapping<ConsentId, Consent, ManualKey<0xC000_0010>>,
    /// Every stored consent of a patient, oldest first, at most `MAX_CONSENTS_PER_PATIENT`.
    by_patient: Mapping<AccountId, Vec<ConsentId>, ManualKey<0xC000_0012>>,
    /// What `check_access` reads, one cell per patient; freed once empty.
    policies: Mapping<AccountId, PatientPolicy, ManualKey<0xC000_0016>>,
}

impl ConsentIndex {
    pub fn get(&self, id: ConsentId) -> Option<Consent> {
        self.consents.get(id)
    }

    /// The patient's deny rules and the terms of their unrevoked consents: everything one
    /// decision needs, in one read.
    pub fn policy(&self, patient: AccountId) -> PatientPolicy {
        self.policies.get(patient).unwrap_or_default()
    }

    /// Stores a new consent and lists it in its patient's policy cell and consent list; when
    /// either is full, nothing is written.
    pub fn insert(&mut self, consent: &Consent) -> Result<(), CapacityReached> {
        let mut policy = self.policy(consent.patient);
        policy.list(consent.terms())?;
        let mut all = self.by_patient.get(consent.patient).unwrap_or_default();
        push_bounded(&mut all, consent.id, data::MAX_CONSENTS_PER_PATIENT)?;
        self.policies.insert(consent.patient, &policy);
        self.by_patient.insert(consent.patient, &all);
        self.consents.insert(consent.id, consent);
        Ok(())
    }

    /// Marks the consent revoked at `now` and takes it off the policy cell at once (it stays
    /// readable by id and in the patient's list until purged).
    pub fn revoke(&mut self, consent: &mut Consent, now: u64) {
        let mut policy = self.policy(consent.patient);
        if self.mark_revoked(&mut policy, consent, now) {
            self.store_policy(consent.patient, &policy);
        }
    }

    /// Stores `consent` revoked at `now` and takes it off `policy` (which the caller stores);
    /// whether it was listed.
    fn mark_revoked(&mut self, policy: &mut PatientPolicy, consent: &mut Consent, now: u64) -> bool {
        consent.revoked_at = Some(now);
        self.consents.insert(consent.id, consent);
        policy.unlist(consent.id)
    }

    /// Revokes at `now` every stored consent of the patient that `pick` selects (unrevoked
    /// ones only), writing the policy cell once; returns them.
    pub fn revoke_where(&mut self, patient: AccountId, now: u64, pick: impl Fn(&Consent) -> bool) -> Vec<Consent> {
        let mut policy = self.policy(patient);
        let mut revoked = Vec::new();
        for mut consent in self.of_patient(patient) {
            if consent.revoked_at.is_none() && pick(&consent) {
                self.mark_revoked(&mut policy, &mut consent, now);
                revoked.push(consent);
            }
        }
        if !revoked.is_empty() {
            self.store_policy(patient, &policy);
        }
        revoked
    }

    /// Adds a deny rule ([`PatientPolicy::add_rule`]); when refused, nothing is written.
    pub fn add_deny_rule(&mut self, patient: AccountId, rule: DenyRule) -> Result<(), CapacityReached> {
        let mut policy = self.policy(patient);
        policy.add_rule(rule)?;
        self.policies.insert(patient, &policy);
        Ok(())
    }

    /// Lifts a deny rule ([`PatientPolicy::lift_rule`]); when refused, nothing is written.
    pub fn remove_deny_rule(
        &mut self,
        patient: AccountId,
        rule_id: DenyRuleId,
        may_lift: impl FnOnce(&DenyRule) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut policy = self.policy(patient);
        policy.lift_rule(rule_id, may_lift)?;
        self.store_policy(patient, &policy);
        Ok(())
    }

    /// A page of the patient's deny rules.
    pub fn deny_rules_page(&self, patient: AccountId, offset: u32, limit: u32) -> Vec<DenyRule> {
        page(&self.policy(patient).deny_rules, offset, limit)
    }

    /// Every stored consent of the patient, oldest first (bounded by `MAX_CONSENTS_PER_PATIENT`).
    pub fn of_patient(&self, patient: AccountId) -> Vec<Consent> {
        self.by_patient.get(patient).unwrap_or_default().into_iter().filter_map(|id| self.consents.get(id)).collect()
    }

    /// A page of the patient's stored consents, oldest first.
    pub fn page_of(&self, patient: AccountId, offset: u32, limit: u32) -> Vec<Consent> {
        let ids = self.by_patient.get(patient).unwrap_or_default();
        page(&ids, offset, limit).into_iter().filter_map(|id| self.consents.get(id)).collect()
    }

    /// Frees every consent of the patient that can never permit again (revoked or ended) and
    /// every deny rule that has ended, from all three cells; returns how many of each.
    pub fn purge(&mut self, patient: AccountId, now: u64) -> Purged {
        let mut policy = self.policy(patient);
        let ids = self.by_patient.get(patient).unwrap_or_default();
        let mut kept = Vec::with_capacity(ids.len());
        let mut unlisted = false;
        for id in ids.iter().copied() {
            match self.consents.get(id) {
                Some(c) if c.is_spent(now) => {
                    unlisted |= policy.unlist(id);
                    self.consents.remove(id);
                }
                Some(_) => kept.push(id),
                None => {}
            }
        }
        let purged = Purged { consents: dropped(ids.len(), kept.len()), deny_rules: policy.drop_ended_rules(now) };
        if purged.consents > 0 {
            store_list(&mut self.by_patient, patient, kept);
        }
        if unlisted || purged.deny_rules > 0 {
            self.store_policy(patient, &policy);
        }
        purged
    }

    fn store_policy(&mut self, patient: AccountId, policy: &PatientPolicy) {
        if policy.is_empty() {
            self.policies.remove(patient);
        } else {
            self.policies.insert(patient, policy);
        }
    }
}

/// What one `purge` freed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub consents: u32,
    pub deny_rules: u32,
}

/// Stores a bounded list, or frees its cell once it is empty.
pub fn store_list<Key, T, K>(map: &mut Mapping<Key, Vec<T>, K>, key: Key, list: Vec<T>)
where
    Key: ink::scale::Encode + ink::scale::EncodeLike,
    T: ink::scale::Encode + ink::scale::EncodeLike,
    Vec<T>: ink::storage::traits::Packed,
    K: ink::storage::traits::StorageKey,
{
    if list.is_empty() {
        map.remove(key);
    } else {
        map.insert(key, &list);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::arithmetic_side_effects, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use carechain_shared::{DataCategories, Period, PurposeSet};
    use proptest::prelude::*;

    const YEAR: u64 = 365 * 24 * 3_600_000;

    fn account(n: u8) -> AccountId {
        AccountId::from([n; 32])
    }

    fn consent(id: ConsentId, patient: u8, accessor: u8, until: u64) -> Consent {
        Consent {
            id,
            patient: account(patient),
            accessor: account(accessor),
            categories: DataCategories::ALL,
            purposes: PurposeSet::ALL,
            period: Period { from: 0, until },
            document_hash: [0; 32],
            granted_by: account(patient),
            study_id: None,
            revoked_at: None,
        }
    }

    fn rule(id: DenyRuleId, until: u64) -> DenyRule {
        DenyRule {
            id,
            accessor: None,
            categories: DataCategories::ALL,
            purposes: PurposeSet::ALL,
            period: Period { from: 0, until },
            created_by: account(1),
        }
    }

    fn fresh(f: impl FnOnce(&mut ConsentIndex)) {
        ink::env::test::run_test::<ink::env::DefaultEnvironment, _>(|_| {
            f(&mut ConsentIndex::default());
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn a_revoked_consent_leaves_the_policy_cell_at_once() {
        fresh(|ix| {
            ix.insert(&consent(1, 1, 2, YEAR)).unwrap();
            ix.insert(&consent(2, 1, 2, YEAR)).unwrap();
            let mut first = ix.get(1).unwrap();
            ix.revoke(&mut first, 5);
            assert_eq!(ix.policy(account(1)).live.iter().map(|c| c.id).collect::<Vec<_>>(), [2]);
            assert_eq!(ix.get(1).unwrap().revoked_at, Some(5), "still readable by id until purged");
            assert_eq!(ix.of_patient(account(1)).len(), 2);
        });
    }

    #[test]
    fn a_full_list_writes_nothing() {
        fresh(|ix| {
            for id in 1..=data::MAX_ACTIVE_CONSENTS_PER_PAIR as u64 {
                ix.insert(&consent(id, 1, 2, YEAR)).unwrap();
            }
            let (before, extra) = (ix.policy(account(1)), consent(100, 1, 2, YEAR));
            assert_eq!(ix.insert(&extra), Err(CapacityReached));
            assert_eq!(ix.get(100), None);
            assert_eq!(ix.of_patient(account(1)).len(), data::MAX_ACTIVE_CONSENTS_PER_PAIR);
            assert_eq!(ix.policy(account(1)), before);
        });
    }

    /// The per-patient caps, which the random sequences below never reach: a 65th consent
    /// (of a ninth accessor) and a 17th deny rule are refused and change nothing.
    #[test]
    fn a_full_patient_writes_nothing() {
        fresh(|ix| {
            let per_pair = data::MAX_ACTIVE_CONSENTS_PER_PAIR as u64;
            for id in 1..=data::MAX_CONSENTS_PER_PATIENT as u64 {
                let accessor = 10 + u8::try_from((id - 1) / per_pair).unwrap();
                ix.insert(&consent(id, 1, accessor, YEAR)).unwrap();
            }
            for id in 1..=data::MAX_DENY_RULES_PER_PATIENT as u64 {
                ix.add_deny_rule(account(1), rule(id, YEAR)).unwrap();
            }
            let (policy, listed) = (ix.policy(account(1)), ix.of_patient(account(1)));
            assert_eq!(policy.live.len(), data::MAX_CONSENTS_PER_PATIENT);
            assert_eq!(ix.insert(&consent(100, 1, 99, YEAR)), Err(CapacityReached));
            assert_eq!(ix.add_deny_rule(account(1), rule(100, YEAR)), Err(CapacityReached));
            assert_eq!(ix.get(100), None);
            assert_eq!((ix.policy(account(1)), ix.of_patient(account(1))), (policy, listed));
        });
    }

    #[test]
    fn purge_frees_all_three_cells() {
        fresh(|ix| {
            ix.insert(&consent(1, 1, 2, 10)).unwrap();
            ix.insert(&consent(2, 1, 3, YEAR)).unwrap();
            let mut second = ix.get(2).unwrap();
            ix.revoke(&mut second, 5);
            ix.add_deny_rule(account(1), rule(1, 10)).unwrap();
            ix.add_deny_rule(account(1), rule(2, YEAR)).unwrap();
            assert_eq!(ix.purge(account(1), 11), Purged { consents: 2, deny_rules: 1 });
            assert_eq!(ix.get(1), None);
            assert_eq!(ix.get(2), None);
            assert!(!ix.by_patient.contains(account(1)), "an emptied list frees its cell");
            assert_eq!(ix.policy(account(1)).live, []);
            assert!(ix.policies.contains(account(1)), "a rule in force keeps the policy cell");
            assert_eq!(ix.purge(account(1), 11), Purged { consents: 0, deny_rules: 0 });
            ix.remove_deny_rule(account(1), 2, |_| Ok(())).unwrap();
            assert!(!ix.policies.contains(account(1)), "an emptied policy frees its cell");
        });
    }

    #[derive(Debug, Clone)]
    enum Op {
        /// patient, accessor, lifetime
        Grant(u8, u8, u64),
        /// the n-th consent ever granted (if any)
        Revoke(usize),
        /// patient, accessor: every consent of the pair at once (as ending a delegation does)
        RevokeAll(u8, u8),
        /// patient, rule lifetime
        Deny(u8, u64),
        /// patient, the n-th rule ever added (if any)
        Lift(u8, u64),
        /// patient, at this time
        Purge(u8, u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (1u8..4, 10u8..13, 1u64..100).prop_map(|(p, a, life)| Op::Grant(p, a, life)),
            2 => (0usize..40).prop_map(Op::Revoke),
            1 => (1u8..4, 10u8..13).prop_map(|(p, a)| Op::RevokeAll(p, a)),
            1 => (1u8..4, 1u64..100).prop_map(|(p, life)| Op::Deny(p, life)),
            1 => (1u8..4, 1u64..30).prop_map(|(p, n)| Op::Lift(p, n)),
            1 => (1u8..4, 0u64..120).prop_map(|(p, t)| Op::Purge(p, t)),
        ]
    }

    proptest! {
        /// After any sequence: each patient's policy cell lists the terms of exactly their
        /// stored, unrevoked consents, each once, at most `MAX_ACTIVE_CONSENTS_PER_PAIR` per
        /// accessor and each also in the patient's list; every patient list resolves; a refused
        /// insert changed nothing; purge left no spent consent and no ended rule behind; an empty
        /// policy has no cell.
        #[test]
        fn the_index_rules_hold_after_any_sequence(ops in proptest::collection::vec(op(), 0..80)) {
            fresh(|ix| {
                let mut granted: Vec<Consent> = Vec::new();
                let mut next: ConsentId = 0;
                let mut next_rule: DenyRuleId = 0;
                for op in ops {
                    match op {
                        Op::Grant(p, a, life) => {
                            next += 1;
                            let c = consent(next, p, a, life);
                            let before = (ix.of_patient(account(p)).len(), ix.policy(account(p)));
                            match ix.insert(&c) {
                                Ok(()) => granted.push(c),
                                Err(CapacityReached) => {
                                    assert_eq!(ix.get(next), None);
                                    assert_eq!((ix.of_patient(account(p)).len(), ix.policy(account(p))), before);
                                }
                            }
                        }
                        Op::Revoke(n) => {
                            if let Some(mut c) = granted.get(n).and_then(|c| ix.get(c.id)) {
                                if c.revoked_at.is_none() {
                                    ix.revoke(&mut c, 1);
                                }
                            }
                        }
                        Op::RevokeAll(p, a) => {
                            let revoked = ix.revoke_where(account(p), 1, |c| c.accessor == account(a));
                            assert!(revoked.iter().all(|c| c.revoked_at == Some(1) && ix.get(c.id) == Some(c.clone())));
                            assert!(!ix.policy(account(p)).live.iter().any(|t| t.accessor == account(a)));
                        }
                        Op::Deny(p, life) => {
                            next_rule += 1;
                            let before = ix.policy(account(p));
                            if ix.add_deny_rule(account(p), rule(next_rule, life)).is_err() {
                                assert_eq!(before.deny_rules.len(), data::MAX_DENY_RULES_PER_PATIENT);
                                assert_eq!(ix.policy(account(p)), before, "a refused rule changed nothing");
                            }
                        }
                        Op::Lift(p, id) => {
                            let before = ix.policy(account(p));
                            let listed = before.deny_rules.iter().any(|r| r.id == id);
                            assert_eq!(ix.remove_deny_rule(account(p), id, |_| Ok(())).is_ok(), listed);
                            assert!(!ix.policy(account(p)).deny_rules.iter().any(|r| r.id == id));
                            assert_eq!(ix.policy(account(p)).live, before.live);
                        }
                        Op::Purge(p, now) => {
                            ix.purge(account(p), now);
                            assert!(ix.of_patient(account(p)).iter().all(|c| !c.is_spent(now)));
                            assert!(ix.policy(account(p)).deny_rules.iter().all(|r| !r.period.has_ended(now)));
                        }
                    }
                    for p in 1u8..4 {
                        let all: Vec<ConsentId> = ix.by_patient.get(account(p)).unwrap_or_default();
                        assert!(all.iter().all(|id| ix.get(*id).is_some_and(|c| c.patient == account(p))));
                        let policy = ix.policy(account(p));
                        assert_eq!(ix.policies.contains(account(p)), !policy.is_empty(), "an empty policy has no cell");
                        let mut ids: Vec<ConsentId> = policy.live.iter().map(|t| t.id).collect();
                        ids.sort();
                        ids.dedup();
                        assert_eq!(ids.len(), policy.live.len(), "an id is listed once");
                        for terms in &policy.live {
                            let c = ix.get(terms.id).unwrap();
                            assert_eq!(c.patient, account(p));
                            assert_eq!(c.revoked_at, None, "a revoked consent left the policy cell");
                            assert_eq!(*terms, c.terms(), "the copy is the stored consent's terms");
                            assert!(all.contains(&terms.id));
                        }
                        let unrevoked =
                            all.iter().filter_map(|id| ix.get(*id)).filter(|c| c.revoked_at.is_none()).count();
                        assert_eq!(unrevoked, policy.live.len(), "every stored unrevoked consent is listed");
                        for a in 10u8..13 {
                            let of_pair = policy.live.iter().filter(|t| t.accessor == account(a)).count();
                            assert!(of_pair <= data::MAX_ACTIVE_CONSENTS_PER_PAIR);
                        }
                        assert!(policy.deny_rules.len() <= data::MAX_DENY_RULES_PER_PATIENT);
                    }
                }
            });
        }
    }
}
