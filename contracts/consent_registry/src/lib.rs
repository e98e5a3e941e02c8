//! consent_registry: the policy decision point of carechain.
//!
//! Patients (or their delegates) grant, deny and revoke access; researchers request it; anyone
//! asks `check_access`; custodians record each access they serve. The rules live in [`data`];
//! this contract only loads, stores, authorises and emits.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod data;
pub mod errors;
pub mod events;

pub use errors::{Error, Result};

// ink!'s generated dispatcher contains `panic!`s attributed to our items; our own code is
// still held to unwrap_used, expect_used, indexing_slicing and arithmetic_side_effects.
#[ink::contract]
#[allow(clippy::panic)]
pub mod consent_registry {
    use crate::data::{self, AccessRequest, Consent, Delegation, DenyRule, PurgeReport, RequestStatus, Study};
    use crate::errors::{Error, Result};
    use crate::events::*;
    use carechain_shared::collections::{page, push_bounded, remove_first};
    use carechain_shared::events::{
        CodeUpgraded, OwnershipTransferStarted, OwnershipTransferred, PauseChanged, PeerWired,
    };
    use carechain_shared::traits::{ConsentCheck, EmergencyAccess};
    use carechain_shared::{
        AccessDecision, Admin, ConsentId, DataCategories, DenyReason, DenyRuleId, Hash32, Period, Purpose, PurposeSet,
        RequestId, StudyId,
    };
    use ink::codegen::TraitCallBuilder;
    use ink::prelude::vec::Vec;
    use ink::storage::{traits::ManualKey, Lazy, Mapping};

    /// Next ids, one read and one write per message that creates records.
    #[derive(Debug, Clone, Default)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct Counters {
        pub consent: ConsentId,
        pub deny_rule: DenyRuleId,
        pub study: StudyId,
        pub request: RequestId,
    }

    /// Stores a bounded list, or frees its cell once it is empty.
    fn store_list<Key, T, K>(map: &mut Mapping<Key, Vec<T>, K>, key: Key, list: Vec<T>)
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

    fn next(id: &mut u64) -> Result<u64> {
        *id = id.checked_add(1).ok_or(Error::CapacityReached)?;
        Ok(*id)
    }

    /// (patient, accessor)
    type Pair = (AccountId, AccountId);

    /// Every field has a fixed `ManualKey`, so `set_code_hash` upgrades keep reading the same
    /// cells whatever fields later versions add.
    #[ink(storage)]
    pub struct ConsentRegistry {
        admin: Lazy<Admin, ManualKey<0xC000_0001>>,
        break_glass: Lazy<Option<AccountId>, ManualKey<0xC000_0002>>,
        counters: Lazy<Counters, ManualKey<0xC000_0003>>,
        consents: Mapping<ConsentId, Consent, ManualKey<0xC000_0010>>,
        /// Not-revoked consent ids per (patient, accessor): all check_access ever reads.
        pair_consents: Mapping<Pair, Vec<ConsentId>, ManualKey<0xC000_0011>>,
        /// Every stored consent id per patient, for listing and purging.
        patient_consents: Mapping<AccountId, Vec<ConsentId>, ManualKey<0xC000_0012>>,
        deny_rules: Mapping<AccountId, Vec<DenyRule>, ManualKey<0xC000_0013>>,
        delegates: Mapping<AccountId, Vec<Delegation>, ManualKey<0xC000_0014>>,
        custodians: Mapping<AccountId, (), ManualKey<0xC000_0015>>,
        studies: Mapping<StudyId, Study, ManualKey<0xC000_0020>>,
        requests: Mapping<RequestId, AccessRequest, ManualKey<0xC000_0021>>,
        pending_requests: Mapping<AccountId, Vec<RequestId>, ManualKey<0xC000_0022>>,
        /// The pending request of a study for a patient, so a study cannot queue duplicates.
        open_request: Mapping<(StudyId, AccountId), RequestId, ManualKey<0xC000_0023>>,
    }

    impl ConsentRegistry {
        /// The deployer becomes owner. `break_glass` may be wired now or later.
        #[ink(constructor)]
        pub fn new(break_glass: Option<AccountId>) -> Self {
            let mut this = Self {
                admin: Lazy::new(),
                break_glass: Lazy::new(),
                counters: Lazy::new(),
                consents: Mapping::new(),
                pair_consents: Mapping::new(),
                patient_consents: Mapping::new(),
                deny_rules: Mapping::new(),
                delegates: Mapping::new(),
                custodians: Mapping::new(),
                studies: Mapping::new(),
                requests: Mapping::new(),
                pending_requests: Mapping::new(),
                open_request: Mapping::new(),
            };
            this.admin.set(&Admin::new(Self::env().caller()));
            this.break_glass.set(&break_glass);
            this.counters.set(&Counters::default());
            this
        }

        // ----- patient side -------------------------------------------------------------

        /// Grants `accessor` access to `categories` of `patient`'s data for `purposes` during
        /// `[valid_from, valid_until)`. Callable by the patient or an active delegate.
        #[ink(message)]
        #[allow(clippy::too_many_arguments)]
        pub fn grant_consent(
            &mut self,
            patient: AccountId,
            accessor: AccountId,
            categories: DataCategories,
            purposes: PurposeSet,
            valid_from: Timestamp,
            valid_until: Timestamp,
            document_hash: Hash32,
        ) -> Result<ConsentId> {
            let (caller, now) = self.ensure_acts_for(patient)?;
            let period = data::validate_grant(
                caller,
                patient,
                accessor,
                categories,
                purposes,
                valid_from,
                valid_until,
                &document_hash,
                now,
            )?;
            let mut counters = self.counters.get_or_default();
            let id = next(&mut counters.consent)?;
            let consent = Consent {
                id,
                patient,
                accessor,
                categories,
                purposes,
                period,
                document_hash,
                granted_by: caller,
                study_id: None,
                revoked_at: None,
            };
            self.store_consent(&consent)?;
            self.counters.set(&counters);
            Ok(id)
        }

        /// Revokes a consent at once. Callable by the patient or an active delegate.
        #[ink(message)]
        pub fn revoke_consent(&mut self, consent_id: ConsentId) -> Result<()> {
            let mut consent = self.consents.get(consent_id).ok_or(Error::UnknownConsent)?;
            let (caller, now) = self.ensure_acts_for(consent.patient)?;
            if consent.revoked_at.is_some() {
                return Err(Error::AlreadyRevoked);
            }
            consent.revoked_at = Some(now);
            let pair = (consent.patient, consent.accessor);
            let mut ids = self.pair_consents.get(pair).unwrap_or_default();
            remove_first(&mut ids, |i| *i == consent_id);
            store_list(&mut self.pair_consents, pair, ids);
            self.consents.insert(consent_id, &consent);
            self.env().emit_event(ConsentRevoked {
                patient: consent.patient,
                accessor: consent.accessor,
                consent_id,
                revoked_by: caller,
            });
            Ok(())
        }

        /// Adds a deny rule (`accessor: None` denies everyone). Deny always wins over consent.
        #[ink(message)]
        pub fn add_deny_rule(
            &mut self,
            patient: AccountId,
            accessor: Option<AccountId>,
            categories: DataCategories,
            purposes: PurposeSet,
            valid_from: Timestamp,
            valid_until: Timestamp,
        ) -> Result<DenyRuleId> {
            let (caller, now) = self.ensure_acts_for(patient)?;
            let period = data::validate_deny_rule(categories, purposes, valid_from, valid_until, now)?;
            let mut counters = self.counters.get_or_default();
            let id = next(&mut counters.deny_rule)?;
            let mut rules = self.deny_rules.get(patient).unwrap_or_default();
            let rule = DenyRule { id, accessor, categories, purposes, period, created_by: caller };
            push_bounded(&mut rules, rule, data::MAX_DENY_RULES_PER_PATIENT)?;
            self.deny_rules.insert(patient, &rules);
            self.counters.set(&counters);
            self.env().emit_event(DenyRuleAdded {
                patient,
                rule_id: id,
                accessor,
                categories,
                purposes,
                valid_from: period.from,
                valid_until: period.until,
                added_by: caller,
            });
            Ok(id)
        }

        #[ink(message)]
        pub fn remove_deny_rule(&mut self, patient: AccountId, rule_id: DenyRuleId) -> Result<()> {
            let (caller, _) = self.ensure_acts_for(patient)?;
            let mut rules = self.deny_rules.get(patient).unwrap_or_default();
            remove_first(&mut rules, |r| r.id == rule_id).ok_or(Error::UnknownDenyRule)?;
            store_list(&mut self.deny_rules, patient, rules);
            self.env().emit_event(DenyRuleRemoved { patient, rule_id, removed_by: caller });
            Ok(())
        }

        /// The caller (a patient) appoints `delegate` until `expires_at`, or moves the expiry of
        /// an existing appointment. Only patients themselves appoint: delegates cannot.
        #[ink(message)]
        pub fn appoint_delegate(&mut self, delegate: AccountId, expires_at: Timestamp) -> Result<()> {
            let (patient, now) = self.ensure_running_caller()?;
            if delegate == patient {
                return Err(Error::GrantToSelf);
            }
            Period::from_now(now, expires_at, data::MAX_DELEGATION_DURATION)?;
            let mut list = self.delegates.get(patient).unwrap_or_default();
            match list.iter_mut().find(|d| d.delegate == delegate) {
                Some(existing) => existing.expires_at = expires_at,
                None => push_bounded(&mut list, Delegation { delegate, expires_at }, data::MAX_DELEGATES_PER_PATIENT)?,
            }
            self.delegates.insert(patient, &list);
            self.env().emit_event(DelegateAppointed { patient, delegate, expires_at });
            Ok(())
        }

        #[ink(message)]
        pub fn remove_delegate(&mut self, delegate: AccountId) -> Result<()> {
            let (patient, _) = self.ensure_running_caller()?;
            let mut list = self.delegates.get(patient).unwrap_or_default();
            remove_first(&mut list, |d| d.delegate == delegate).ok_or(Error::UnknownDelegate)?;
            store_list(&mut self.delegates, patient, list);
            self.env().emit_event(DelegateRemoved { patient, delegate });
            Ok(())
        }

        // ----- research -----------------------------------------------------------------

        /// The caller registers a study as its researcher.
        #[ink(message)]
        pub fn register_study(
            &mut self,
            protocol_hash: Hash32,
            ethics_approval_hash: Hash32,
            categories: DataCategories,
            ends_at: Timestamp,
        ) -> Result<StudyId> {
            let (researcher, now) = self.ensure_running_caller()?;
            data::validate_study(&protocol_hash, &ethics_approval_hash, categories, ends_at, now)?;
            let mut counters = self.counters.get_or_default();
            let id = next(&mut counters.study)?;
            let study =
                Study { id, researcher, protocol_hash, ethics_approval_hash, categories, registered_at: now, ends_at };
            self.studies.insert(id, &study);
            self.counters.set(&counters);
            self.env().emit_event(StudyRegistered {
                researcher,
                study_id: id,
                protocol_hash,
                ethics_approval_hash,
                categories,
                ends_at,
            });
            Ok(id)
        }

        /// The study's researcher asks `patient` to consent to the study.
        #[ink(message)]
        pub fn request_access(&mut self, study_id: StudyId, patient: AccountId) -> Result<RequestId> {
            let (study, now) = self.ensure_researcher_of(study_id)?;
            self.check_request(&study, patient, now)?;
            let mut counters = self.counters.get_or_default();
            let id = self.open_access_request(&study, patient, &mut counters, now)?;
            self.counters.set(&counters);
            Ok(id)
        }

        /// `request_access` for up to `MAX_BATCH_REQUEST` patients, all or nothing.
        #[ink(message)]
        pub fn request_access_batch(&mut self, study_id: StudyId, patients: Vec<AccountId>) -> Result<Vec<RequestId>> {
            let (study, now) = self.ensure_researcher_of(study_id)?;
            if patients.is_empty() || patients.len() > data::MAX_BATCH_REQUEST {
                return Err(Error::InvalidBatch);
            }
            // Every patient is checked before anything is written: all or nothing.
            for (i, patient) in patients.iter().enumerate() {
                if patients.iter().take(i).any(|p| p == patient) {
                    return Err(Error::AlreadyRequested);
                }
                self.check_request(&study, *patient, now)?;
            }
            let mut counters = self.counters.get_or_default();
            let mut ids = Vec::with_capacity(patients.len());
            for patient in patients {
                ids.push(self.open_access_request(&study, patient, &mut counters, now)?);
            }
            self.counters.set(&counters);
            Ok(ids)
        }

        /// The patient (or a delegate) approves: a research consent for the study is created.
        #[ink(message)]
        pub fn approve_request(&mut self, request_id: RequestId, document_hash: Hash32) -> Result<ConsentId> {
            let (mut request, caller, now) = self.answerable_request(request_id)?;
            let study = self.studies.get(request.study_id).ok_or(Error::UnknownStudy)?;
            let mut counters = self.counters.get_or_default();
            let consent_id = next(&mut counters.consent)?;
            let consent = data::research_consent(consent_id, &study, request.patient, caller, &document_hash, now)?;
            self.store_consent(&consent)?;
            self.counters.set(&counters);
            request.status = RequestStatus::Approved(consent_id);
            self.close_request(&request, caller);
            Ok(consent_id)
        }

        #[ink(message)]
        pub fn deny_request(&mut self, request_id: RequestId) -> Result<()> {
            let (mut request, caller, _) = self.answerable_request(request_id)?;
            request.status = RequestStatus::Denied;
            self.close_request(&request, caller);
            Ok(())
        }

        /// The researcher takes back a pending request (expired ones too, to free the slot).
        #[ink(message)]
        pub fn withdraw_request(&mut self, request_id: RequestId) -> Result<()> {
            let (caller, _) = self.ensure_running_caller()?;
            let mut request = self.requests.get(request_id).ok_or(Error::UnknownRequest)?;
            if caller != request.researcher {
                return Err(Error::NotAuthorized);
            }
            if request.status != RequestStatus::Pending {
                return Err(Error::RequestNotPending);
            }
            request.status = RequestStatus::Withdrawn;
            self.close_request(&request, caller);
            Ok(())
        }

        /// The patient (or a delegate) joins a study without having been asked.
        #[ink(message)]
        pub fn join_study(
            &mut self,
            patient: AccountId,
            study_id: StudyId,
            document_hash: Hash32,
        ) -> Result<ConsentId> {
            let (caller, now) = self.ensure_acts_for(patient)?;
            let study = self.studies.get(study_id).ok_or(Error::UnknownStudy)?;
            let mut counters = self.counters.get_or_default();
            let consent_id = next(&mut counters.consent)?;
            let consent = data::research_consent(consent_id, &study, patient, caller, &document_hash, now)?;
            self.store_consent(&consent)?;
            self.counters.set(&counters);
            Ok(consent_id)
        }

        // ----- custodians and housekeeping ----------------------------------------------

        /// A registered custodian records an access it is about to serve. The decision is
        /// re-evaluated and audited whether permitted or not; the call succeeds either way.
        /// Works while paused, so the audit trail never has a gap.
        #[ink(message)]
        pub fn record_access(
            &mut self,
            patient: AccountId,
            accessor: AccountId,
            categories: DataCategories,
            purpose: Purpose,
        ) -> Result<AccessDecision> {
            let custodian = self.env().caller();
            if !self.custodians.contains(custodian) {
                return Err(Error::NotAuthorized);
            }
            let decision = self.decide(patient, accessor, categories, purpose);
            self.env().emit_event(AccessRecorded { patient, accessor, custodian, categories, purpose, decision });
            Ok(decision)
        }

        /// Frees what can never apply again for `patient`: revoked or ended consents, ended deny
        /// rules, expired delegations and lapsed requests. Anyone may call it.
        #[ink(message)]
        pub fn purge_expired(&mut self, patient: AccountId) -> Result<PurgeReport> {
            let (_, now) = self.ensure_running_caller()?;
            let mut report = PurgeReport::default();

            let ids = self.patient_consents.get(patient).unwrap_or_default();
            let mut kept = Vec::with_capacity(ids.len());
            for id in ids.iter().copied() {
                match self.consents.get(id) {
                    Some(c) if c.is_spent(now) => {
                        let pair = (c.patient, c.accessor);
                        let mut live = self.pair_consents.get(pair).unwrap_or_default();
                        if remove_first(&mut live, |i| *i == id).is_some() {
                            store_list(&mut self.pair_consents, pair, live);
                        }
                        self.consents.remove(id);
                    }
                    Some(_) => kept.push(id),
                    None => {}
                }
            }
            report.consents = data::dropped(ids.len(), kept.len());
            if report.consents > 0 {
                store_list(&mut self.patient_consents, patient, kept);
            }

            let mut rules = self.deny_rules.get(patient).unwrap_or_default();
            let before = rules.len();
            rules.retain(|r| !r.period.has_ended(now));
            report.deny_rules = data::dropped(before, rules.len());
            if report.deny_rules > 0 {
                store_list(&mut self.deny_rules, patient, rules);
            }

            let mut delegations = self.delegates.get(patient).unwrap_or_default();
            let before = delegations.len();
            delegations.retain(|d| d.is_active(now));
            report.delegates = data::dropped(before, delegations.len());
            if report.delegates > 0 {
                store_list(&mut self.delegates, patient, delegations);
            }

            let pending = self.pending_requests.get(patient).unwrap_or_default();
            let mut still = Vec::with_capacity(pending.len());
            for id in pending.iter().copied() {
                match self.requests.get(id) {
                    Some(r) if r.is_lapsed(now) => {
                        self.open_request.remove((r.study_id, r.patient));
                        self.requests.remove(id);
                    }
                    Some(_) => still.push(id),
                    None => {}
                }
            }
            report.requests = data::dropped(pending.len(), still.len());
            if report.requests > 0 {
                store_list(&mut self.pending_requests, patient, still);
            }

            if !report.is_empty() {
                self.env().emit_event(Purged {
                    patient,
                    consents: report.consents,
                    deny_rules: report.deny_rules,
                    delegates: report.delegates,
                    requests: report.requests,
                });
            }
            Ok(report)
        }

        // ----- reads for dApps (bounded, paginated) -------------------------------------

        #[ink(message)]
        pub fn consent(&self, consent_id: ConsentId) -> Option<Consent> {
            self.consents.get(consent_id)
        }

        #[ink(message)]
        pub fn consents_of(&self, patient: AccountId, offset: u32, limit: u32) -> Vec<Consent> {
            let ids = self.patient_consents.get(patient).unwrap_or_default();
            page(&ids, offset, limit).into_iter().filter_map(|id| self.consents.get(id)).collect()
        }

        #[ink(message)]
        pub fn deny_rules_of(&self, patient: AccountId, offset: u32, limit: u32) -> Vec<DenyRule> {
            page(&self.deny_rules.get(patient).unwrap_or_default(), offset, limit)
        }

        #[ink(message)]
        pub fn delegates_of(&self, patient: AccountId, offset: u32, limit: u32) -> Vec<Delegation> {
            page(&self.delegates.get(patient).unwrap_or_default(), offset, limit)
        }

        #[ink(message)]
        pub fn pending_requests_of(&self, patient: AccountId, offset: u32, limit: u32) -> Vec<AccessRequest> {
            let ids = self.pending_requests.get(patient).unwrap_or_default();
            page(&ids, offset, limit).into_iter().filter_map(|id| self.requests.get(id)).collect()
        }

        #[ink(message)]
        pub fn request(&self, request_id: RequestId) -> Option<AccessRequest> {
            self.requests.get(request_id)
        }

        #[ink(message)]
        pub fn study(&self, study_id: StudyId) -> Option<Study> {
            self.studies.get(study_id)
        }

        #[ink(message)]
        pub fn is_custodian(&self, account: AccountId) -> bool {
            self.custodians.contains(account)
        }

        #[ink(message)]
        pub fn break_glass(&self) -> Option<AccountId> {
            self.break_glass.get().flatten()
        }

        #[ink(message)]
        pub fn admin(&self) -> Admin {
            self.load_admin()
        }

        // ----- admin --------------------------------------------------------------------

        #[ink(message)]
        pub fn transfer_ownership(&mut self, new_owner: AccountId) -> Result<()> {
            let mut admin = self.load_admin();
            admin.propose_owner(self.env().caller(), new_owner)?;
            self.admin.set(&admin);
            self.env().emit_event(OwnershipTransferStarted { owner: admin.owner, pending_owner: new_owner });
            Ok(())
        }

        #[ink(message)]
        pub fn accept_ownership(&mut self) -> Result<()> {
            let mut admin = self.load_admin();
            let previous_owner = admin.accept_owner(self.env().caller())?;
            self.admin.set(&admin);
            self.env().emit_event(OwnershipTransferred { previous_owner, new_owner: admin.owner });
            Ok(())
        }

        #[ink(message)]
        pub fn set_paused(&mut self, paused: bool) -> Result<()> {
            let mut admin = self.load_admin();
            admin.set_paused(self.env().caller(), paused)?;
            self.admin.set(&admin);
            self.env().emit_event(PauseChanged { paused });
            Ok(())
        }

        /// Wires (or with `None`, unwires) the break_glass contract asked for emergency treatment.
        #[ink(message)]
        pub fn set_break_glass(&mut self, break_glass: Option<AccountId>) -> Result<()> {
            self.load_admin().ensure_owner(self.env().caller())?;
            if break_glass.is_none() && self.break_glass().is_none() {
                return Err(Error::NotWired);
            }
            self.break_glass.set(&break_glass);
            self.env().emit_event(PeerWired { peer: break_glass });
            Ok(())
        }

        /// Registers or removes a data custodian allowed to record accesses.
        #[ink(message)]
        pub fn set_custodian(&mut self, custodian: AccountId, active: bool) -> Result<()> {
            self.load_admin().ensure_owner(self.env().caller())?;
            if self.custodians.contains(custodian) == active {
                return Err(Error::Unchanged);
            }
            if active {
                self.custodians.insert(custodian, &());
            } else {
                self.custodians.remove(custodian);
            }
            self.env().emit_event(CustodianChanged { custodian, active });
            Ok(())
        }

        /// Replaces this contract's code, keeping its storage (every field has a `ManualKey`).
        #[ink(message)]
        pub fn set_code_hash(&mut self, code_hash: Hash) -> Result<()> {
            self.load_admin().ensure_owner(self.env().caller())?;
            self.env().set_code_hash(&code_hash).map_err(|_| Error::UpgradeFailed)?;
            self.env().emit_event(CodeUpgraded { code_hash });
            Ok(())
        }

        /// Exists only in the second build the e2e upgrade scenario installs over the first
        /// (feature `upgrade-probe`), so the scenario can tell which code is answering.
        #[cfg(feature = "upgrade-probe")]
        #[ink(message)]
        pub fn upgrade_probe(&self) -> u32 {
            2
        }

        // ----- internals ----------------------------------------------------------------

        fn load_admin(&self) -> Admin {
            // Set in the constructor and never removed; the fallback is unreachable on chain.
            self.admin.get().unwrap_or_else(|| Admin::new(AccountId::from([0u8; 32])))
        }

        /// Not paused; returns the caller and the block time.
        fn ensure_running_caller(&self) -> Result<(AccountId, Timestamp)> {
            self.load_admin().ensure_running()?;
            Ok((self.env().caller(), self.env().block_timestamp()))
        }

        /// Not paused, and the caller is the patient or an active delegate of the patient.
        fn ensure_acts_for(&self, patient: AccountId) -> Result<(AccountId, Timestamp)> {
            let (caller, now) = self.ensure_running_caller()?;
            let delegations =
                if caller == patient { Vec::new() } else { self.delegates.get(patient).unwrap_or_default() };
            if data::acts_for(caller, patient, &delegations, now) {
                Ok((caller, now))
            } else {
                Err(Error::NotAuthorized)
            }
        }

        fn ensure_researcher_of(&self, study_id: StudyId) -> Result<(Study, Timestamp)> {
            let (caller, now) = self.ensure_running_caller()?;
            let study = self.studies.get(study_id).ok_or(Error::UnknownStudy)?;
            if study.researcher != caller {
                return Err(Error::NotAuthorized);
            }
            if study.has_ended(now) {
                return Err(Error::StudyEnded);
            }
            Ok((study, now))
        }

        fn answerable_request(&self, request_id: RequestId) -> Result<(AccessRequest, AccountId, Timestamp)> {
            let request = self.requests.get(request_id).ok_or(Error::UnknownRequest)?;
            let (caller, now) = self.ensure_acts_for(request.patient)?;
            request.ensure_answerable(now)?;
            Ok((request, caller, now))
        }

        /// Whether `study` may ask `patient` now; writes nothing.
        fn check_request(&self, study: &Study, patient: AccountId, now: Timestamp) -> Result<()> {
            if patient == study.researcher {
                return Err(Error::GrantToSelf);
            }
            if let Some(existing) = self.open_request.get((study.id, patient)).and_then(|id| self.requests.get(id)) {
                if !existing.is_lapsed(now) {
                    return Err(Error::AlreadyRequested);
                }
            }
            if self.pending_requests.get(patient).unwrap_or_default().len() >= data::MAX_PENDING_REQUESTS_PER_PATIENT {
                return Err(Error::CapacityReached);
            }
            Ok(())
        }

        /// Writes a request `check_request` admitted.
        fn open_access_request(
            &mut self,
            study: &Study,
            patient: AccountId,
            counters: &mut Counters,
            now: Timestamp,
        ) -> Result<RequestId> {
            let key = (study.id, patient);
            let id = next(&mut counters.request)?;
            let mut pending = self.pending_requests.get(patient).unwrap_or_default();
            push_bounded(&mut pending, id, data::MAX_PENDING_REQUESTS_PER_PATIENT)?;
            let expires_at = now.saturating_add(data::REQUEST_TTL);
            let request = AccessRequest {
                id,
                study_id: study.id,
                researcher: study.researcher,
                patient,
                requested_at: now,
                expires_at,
                status: RequestStatus::Pending,
            };
            self.requests.insert(id, &request);
            self.pending_requests.insert(patient, &pending);
            self.open_request.insert(key, &id);
            self.env().emit_event(AccessRequested {
                patient,
                researcher: study.researcher,
                request_id: id,
                study_id: study.id,
                expires_at,
            });
            Ok(id)
        }

        fn close_request(&mut self, request: &AccessRequest, closed_by: AccountId) {
            let mut pending = self.pending_requests.get(request.patient).unwrap_or_default();
            remove_first(&mut pending, |i| *i == request.id);
            store_list(&mut self.pending_requests, request.patient, pending);
            self.open_request.remove((request.study_id, request.patient));
            self.requests.insert(request.id, request);
            self.env().emit_event(RequestClosed {
                patient: request.patient,
                researcher: request.researcher,
                request_id: request.id,
                status: request.status,
                closed_by,
            });
        }

        fn store_consent(&mut self, consent: &Consent) -> Result<()> {
            let pair = (consent.patient, consent.accessor);
            let mut live = self.pair_consents.get(pair).unwrap_or_default();
            push_bounded(&mut live, consent.id, data::MAX_ACTIVE_CONSENTS_PER_PAIR)?;
            let mut all = self.patient_consents.get(consent.patient).unwrap_or_default();
            push_bounded(&mut all, consent.id, data::MAX_CONSENTS_PER_PATIENT)?;
            self.pair_consents.insert(pair, &live);
            self.patient_consents.insert(consent.patient, &all);
            self.consents.insert(consent.id, consent);
            self.env().emit_event(ConsentGranted {
                patient: consent.patient,
                accessor: consent.accessor,
                consent_id: consent.id,
                categories: consent.categories,
                purposes: consent.purposes,
                valid_from: consent.period.from,
                valid_until: consent.period.until,
                document_hash: consent.document_hash,
                granted_by: consent.granted_by,
                study_id: consent.study_id,
            });
            Ok(())
        }

        fn decide(
            &self,
            patient: AccountId,
            accessor: AccountId,
            categories: DataCategories,
            purpose: Purpose,
        ) -> AccessDecision {
            let now = self.env().block_timestamp();
            let rules = self.deny_rules.get(patient).unwrap_or_default();
            let ids = self.pair_consents.get((patient, accessor)).unwrap_or_default();
            let consents: Vec<Consent> = ids.into_iter().filter_map(|id| self.consents.get(id)).collect();
            let decision = data::evaluate(&consents, &rules, accessor, categories, purpose, now);
            match decision {
                AccessDecision::Denied(DenyReason::NoConsent) if purpose == Purpose::EmergencyTreatment => {
                    self.ask_break_glass(patient, accessor, categories)
                }
                other => other,
            }
        }

        /// Emergency path: never traps, whatever the wired address holds.
        fn ask_break_glass(
            &self,
            patient: AccountId,
            accessor: AccountId,
            categories: DataCategories,
        ) -> AccessDecision {
            let Some(address) = self.break_glass() else {
                return AccessDecision::Denied(DenyReason::BreakGlassNotWired);
            };
            let break_glass: ink::contract_ref!(EmergencyAccess) = address.into();
            match break_glass.call().active_emergency_grant(patient, accessor, categories).try_invoke() {
                Ok(Ok(Some(grant_id))) => AccessDecision::PermittedByEmergencyGrant(grant_id),
                Ok(Ok(None)) => AccessDecision::Denied(DenyReason::NoEmergencyGrant),
                _ => AccessDecision::Denied(DenyReason::BreakGlassUnavailable),
            }
        }
    }

    impl ConsentCheck for ConsentRegistry {
        /// Read only; answered even while paused.
        #[ink(message)]
        fn check_access(
            &self,
            patient: AccountId,
            accessor: AccountId,
            categories: DataCategories,
            purpose: Purpose,
        ) -> AccessDecision {
            self.decide(patient, accessor, categories, purpose)
        }
    }
}

#[cfg(test)]
mod tests;
