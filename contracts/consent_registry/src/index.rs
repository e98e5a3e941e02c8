//! The consent index: every stored consent and the two id lists that find them, kept together so
//! their rules hold in one place — the pair list (what `check_access` reads) holds only
//! unrevoked ids, every listed id resolves to a stored consent, and purging frees all three.
//!
//! The keys are the ones the three cells had as separate fields of the contract, so a
//! `set_code_hash` upgrade from that layout reads the same storage.

use crate::data::{self, Consent};
use carechain_shared::collections::{dropped, page, push_bounded, remove_first, CapacityReached};
use carechain_shared::ConsentId;
use ink::prelude::vec::Vec;
use ink::primitives::AccountId;
use ink::storage::{traits::ManualKey, Mapping};

/// (patient, accessor)
pub type Pair = (AccountId, AccountId);

#[ink::storage_item]
#[derive(Debug, Default)]
pub struct ConsentIndex {
    consents: Mapping<ConsentId, Consent, ManualKey<0xC000_0010>>,
    /// Unrevoked consents per (patient, accessor), at most `MAX_ACTIVE_CONSENTS_PER_PAIR`; ended
    /// ones stay until purged (the policy checks the period on every read).
    by_pair: Mapping<Pair, Vec<ConsentId>, ManualKey<0xC000_0011>>,
    /// Every stored consent of a patient, oldest first, at most `MAX_CONSENTS_PER_PATIENT`.
    by_patient: Mapping<AccountId, Vec<ConsentId>, ManualKey<0xC000_0012>>,
}

impl ConsentIndex {
    pub fn get(&self, id: ConsentId) -> Option<Consent> {
        self.consents.get(id)
    }

    /// Stores a new consent and lists it for its pair and patient; when either list is full,
    /// nothing is written.
    pub fn insert(&mut self, consent: &Consent) -> Result<(), CapacityReached> {
        let pair = (consent.patient, consent.accessor);
        let mut live = self.by_pair.get(pair).unwrap_or_default();
        push_bounded(&mut live, consent.id, data::MAX_ACTIVE_CONSENTS_PER_PAIR)?;
        let mut all = self.by_patient.get(consent.patient).unwrap_or_default();
        push_bounded(&mut all, consent.id, data::MAX_CONSENTS_PER_PATIENT)?;
        self.by_pair.insert(pair, &live);
        self.by_patient.insert(consent.patient, &all);
        self.consents.insert(consent.id, consent);
        Ok(())
    }

    /// Marks the consent revoked at `now` and takes it off its pair's list at once (it stays
    /// readable by id and in the patient's list until purged).
    pub fn revoke(&mut self, consent: &mut Consent, now: u64) {
        consent.revoked_at = Some(now);
        let pair = (consent.patient, consent.accessor);
        let mut live = self.by_pair.get(pair).unwrap_or_default();
        if remove_first(&mut live, |id| *id == consent.id).is_some() {
            store_list(&mut self.by_pair, pair, live);
        }
        self.consents.insert(consent.id, consent);
    }

    /// The unrevoked consents of a pair: everything the policy needs for one decision.
    pub fn live(&self, patient: AccountId, accessor: AccountId) -> Vec<Consent> {
        self.by_pair
            .get((patient, accessor))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|id| self.consents.get(id))
            .collect()
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

    /// Frees every consent of the patient that can never permit again (revoked or ended) from
    /// all three cells; returns how many.
    pub fn purge(&mut self, patient: AccountId, now: u64) -> u32 {
        let ids = self.by_patient.get(patient).unwrap_or_default();
        let mut kept = Vec::with_capacity(ids.len());
        for id in ids.iter().copied() {
            match self.consents.get(id) {
                Some(c) if c.is_spent(now) => {
                    let pair = (c.patient, c.accessor);
                    let mut live = self.by_pair.get(pair).unwrap_or_default();
                    if remove_first(&mut live, |i| *i == id).is_some() {
                        store_list(&mut self.by_pair, pair, live);
                    }
                    self.consents.remove(id);
                }
                Some(_) => kept.push(id),
                None => {}
            }
        }
        let dropped = dropped(ids.len(), kept.len());
        if dropped > 0 {
            store_list(&mut self.by_patient, patient, kept);
        }
        dropped
    }
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

    fn fresh(f: impl FnOnce(&mut ConsentIndex)) {
        ink::env::test::run_test::<ink::env::DefaultEnvironment, _>(|_| {
            f(&mut ConsentIndex::default());
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn a_revoked_consent_leaves_its_pair_list_at_once() {
        fresh(|ix| {
            ix.insert(&consent(1, 1, 2, YEAR)).unwrap();
            ix.insert(&consent(2, 1, 2, YEAR)).unwrap();
            let mut first = ix.get(1).unwrap();
            ix.revoke(&mut first, 5);
            assert_eq!(ix.live(account(1), account(2)).iter().map(|c| c.id).collect::<Vec<_>>(), [2]);
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
            let extra = consent(100, 1, 2, YEAR);
            assert_eq!(ix.insert(&extra), Err(CapacityReached));
            assert_eq!(ix.get(100), None);
            assert_eq!(ix.of_patient(account(1)).len(), data::MAX_ACTIVE_CONSENTS_PER_PAIR);
        });
    }

    #[test]
    fn purge_frees_all_three_cells() {
        fresh(|ix| {
            ix.insert(&consent(1, 1, 2, 10)).unwrap();
            ix.insert(&consent(2, 1, 3, YEAR)).unwrap();
            let mut second = ix.get(2).unwrap();
            ix.revoke(&mut second, 5);
            assert_eq!(ix.purge(account(1), 11), 2);
            assert_eq!(ix.get(1), None);
            assert_eq!(ix.get(2), None);
            assert!(!ix.by_pair.contains((account(1), account(2))), "an emptied list frees its cell");
            assert!(!ix.by_patient.contains(account(1)));
            assert_eq!(ix.purge(account(1), 11), 0);
        });
    }

    #[derive(Debug, Clone)]
    enum Op {
        /// patient, accessor, lifetime
        Grant(u8, u8, u64),
        /// the n-th consent ever granted (if any)
        Revoke(usize),
        /// patient, at this time
        Purge(u8, u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (1u8..4, 10u8..13, 1u64..100).prop_map(|(p, a, life)| Op::Grant(p, a, life)),
            2 => (0usize..40).prop_map(Op::Revoke),
            1 => (1u8..4, 0u64..120).prop_map(|(p, t)| Op::Purge(p, t)),
        ]
    }

    proptest! {
        /// After any sequence: the pair lists hold only stored, unrevoked ids of their own pair,
        /// listed once, each also in its patient's list; every patient list resolves; a refused
        /// insert changed nothing; purge left no spent consent behind.
        #[test]
        fn the_index_rules_hold_after_any_sequence(ops in proptest::collection::vec(op(), 0..80)) {
            fresh(|ix| {
                let mut granted: Vec<Consent> = Vec::new();
                let mut next: ConsentId = 0;
                for op in ops {
                    match op {
                        Op::Grant(p, a, life) => {
                            next += 1;
                            let c = consent(next, p, a, life);
                            let before = ix.of_patient(account(p)).len();
                            match ix.insert(&c) {
                                Ok(()) => granted.push(c),
                                Err(CapacityReached) => {
                                    assert_eq!(ix.get(next), None);
                                    assert_eq!(ix.of_patient(account(p)).len(), before);
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
                        Op::Purge(p, now) => {
                            ix.purge(account(p), now);
                            assert!(ix.of_patient(account(p)).iter().all(|c| !c.is_spent(now)));
                        }
                    }
                    for p in 1u8..4 {
                        let all: Vec<ConsentId> = ix.by_patient.get(account(p)).unwrap_or_default();
                        assert!(all.iter().all(|id| ix.get(*id).is_some_and(|c| c.patient == account(p))));
                        for a in 10u8..13 {
                            let ids = ix.by_pair.get((account(p), account(a))).unwrap_or_default();
                            let mut sorted = ids.clone();
                            sorted.sort();
                            sorted.dedup();
                            assert_eq!(sorted.len(), ids.len(), "an id is listed once");
                            for id in ids {
                                let c = ix.get(id).unwrap();
                                assert_eq!((c.patient, c.accessor), (account(p), account(a)));
                                assert_eq!(c.revoked_at, None, "a revoked consent left the pair list");
                                assert!(all.contains(&id));
                            }
                        }
                    }
                }
            });
        }
    }
}
