//! consent_registry: the policy decision point of carechain.
//!
//! Patients (or their delegates) grant, deny and revoke access; researchers request it; anyone
//! asks `check_access`; custodians record each access they serve. The rules live in [`data`];
//! this contract only loads, stores, authorises and emits.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod data;
pub mod errors;
pub mod events;
pub mod index;

pub use errors::{Error, Result};

// ink!'s generated dispatcher contains `panic!`s attributed to our items; our own code is
// still held to unwrap_used, expect_used, indexing_slicing and arithmetic_side_effects.
#[ink::contract]
#[allow(clippy::panic)]
pub mod consent_registry {
    use crate::data::{
        self, Actor, Consent, Delegation, DenyRule, Inbox, PendingRequest, PurgeReport, RequestOutcome, ResearchPolicy,
        Study, StudyStatus,
    };
    use crate::errors::{Error, Result};
    use crate::events::*;
    use crate::index::{store_list, ConsentIndex};
    use carechain_shared::collections::{next_id, page, push_bounded, remove_first, set_member};
    use carechain_shared::peer::{self, Peer, Reply};
    use carechain_shared::traits::{ConsentCheck, EmergencyAccess};
    use carechain_shared::{
        AccessDecision, Admin, ConsentId, DataCategories, DenyReason, DenyRuleId, Hash32, Period, Purpose, PurposeSet,
        StudyId,
    };
    use carechain_shared::{AdminError, Administration, Wiring};
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
    }

    /// (patient, accessor) or (patient, researcher)
    type Pair = (AccountId, AccountId);

    /// Every field has a fixed `ManualKey`, so `set_code_hash` upgrades keep reading the same
    /// cells whatever fields later versions add.
    #[ink(storage)]
    pub struct ConsentRegistry {
        admin: Lazy<Admin, ManualKey<0xC000_0001>>,
        break_glass: Lazy<Option<Peer>, ManualKey<0xC000_0002>>,
        counters: Lazy<Counters, ManualKey<0xC000_0003>>,
        research_policy: Lazy<ResearchPolicy, ManualKey<0xC000_0004>>,
        /// Consents with their per-pair and per-patient lists (keys 0xC000_0010..12).
        consents: ConsentIndex,
        deny_rules: Mapping<AccountId, Vec<DenyRule>, ManualKey<0xC000_0013>>,
        delegates: Mapping<AccountId, Vec<Delegation>, ManualKey<0xC000_0014>>,
        custodians: Mapping<AccountId, (), ManualKey<0xC000_0015>>,
        ethics_approvers: Mapping<AccountId, (), ManualKey<0xC000_0016>>,
        studies: Mapping<StudyId, Study, ManualKey<0xC000_0020>>,
        /// Each patient's research inbox: pending requests (one per study) and cool-downs.
        inboxes: Mapping<AccountId, Inbox, ManualKey<0xC000_0021>>,
        /// (patient, researcher) → who blocked. Never iterated; the patient pays for each entry.
        blocked: Mapping<Pair, AccountId, ManualKey<0xC000_0022>>,
    }

    // A contract comes into being through its constructor only, never through `Default`.
    #[allow(clippy::new_without_default)]
    impl ConsentRegistry {
        /// The deployer becomes owner. The break_glass peer is wired (and its code pinned) with
        /// `Wiring::set_peer` once it is deployed.
        #[ink(constructor)]
        pub fn new() -> Self {
            let mut this = Self {
                admin: Lazy::new(),
                break_glass: Lazy::new(),
                counters: Lazy::new(),
                research_policy: Lazy::new(),
                consents: ConsentIndex::default(),
                deny_rules: Mapping::new(),
                delegates: Mapping::new(),
                custodians: Mapping::new(),
                ethics_approvers: Mapping::new(),
                studies: Mapping::new(),
                inboxes: Mapping::new(),
                blocked: Mapping::new(),
            };
            this.admin.set(&Admin::new(Self::env().caller()));
            this.counters.set(&Counters::default());
            this.research_policy.set(&ResearchPolicy::DEFAULT);
            this
        }

        // ----- patient side -------------------------------------------------------------

        /// Grants `accessor` access to `categories` of `patient`'s data for `purposes` during
        /// `[valid_from, valid_until)`. Callable by the patient or an active delegate (whose
        /// grant must end by the end of its delegation). Refused while paused.
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
            self.ensure_running()?;
            let (actor, now) = self.acting_for(patient)?;
            let period = data::validate_grant(
                actor,
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
            let id = next_id(&mut counters.consent)?;
            let consent = Consent {
                id,
                patient,
                accessor,
                categories,
                purposes,
                period,
                document_hash,
                granted_by: actor.account(patient),
                study_id: None,
                revoked_at: None,
            };
            self.store_consent(&consent)?;
            self.counters.set(&counters);
            Ok(id)
        }

        /// Revokes a consent at once. Callable by the patient or an active delegate; works
        /// while paused (it only narrows access).
        #[ink(message)]
        pub fn revoke_consent(&mut self, consent_id: ConsentId) -> Result<()> {
            let consent = self.consents.get(consent_id).ok_or(Error::UnknownConsent)?;
            let (actor, now) = self.acting_for(consent.patient)?;
            if consent.revoked_at.is_some() {
                return Err(Error::AlreadyRevoked);
            }
            let by = actor.account(consent.patient);
            self.revoke(consent, now, by);
            Ok(())
        }

        /// Adds a deny rule (`accessor: None` denies everyone). Deny always wins over consent.
        /// Callable by the patient or an active delegate; works while paused. A delegate's rule
        /// may outlive its delegation: it only narrows access.
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
            let (actor, now) = self.acting_for(patient)?;
            let caller = actor.account(patient);
            let period = data::validate_deny_rule(categories, purposes, valid_from, valid_until, now)?;
            let mut counters = self.counters.get_or_default();
            let id = next_id(&mut counters.deny_rule)?;
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

        /// Lifts a deny rule. The patient lifts any; a delegate only one it created that does
        /// not bind it (`DelegateCannotLift`). Refused while paused.
        #[ink(message)]
        pub fn remove_deny_rule(&mut self, patient: AccountId, rule_id: DenyRuleId) -> Result<()> {
            self.ensure_running()?;
            let (actor, _) = self.acting_for(patient)?;
            let caller = actor.account(patient);
            let mut rules = self.deny_rules.get(patient).unwrap_or_default();
            let rule = rules.iter().find(|r| r.id == rule_id).ok_or(Error::UnknownDenyRule)?;
            actor.may_lift(rule.created_by, rule.covers(caller))?;
            remove_first(&mut rules, |r| r.id == rule_id);
            store_list(&mut self.deny_rules, patient, rules);
            self.env().emit_event(DenyRuleRemoved { patient, rule_id, removed_by: caller });
            Ok(())
        }

        /// The caller (a patient) appoints `delegate` until `expires_at`, or moves the expiry of
        /// an existing appointment; moving it earlier revokes the delegate's consents that would
        /// outlive it. Only patients themselves appoint. Refused while paused.
        #[ink(message)]
        pub fn appoint_delegate(&mut self, delegate: AccountId, expires_at: Timestamp) -> Result<()> {
            self.ensure_running()?;
            let (patient, now) = self.caller_and_time();
            if delegate == patient {
                return Err(Error::GrantToSelf);
            }
            Period::from_now(now, expires_at, data::MAX_DELEGATION_DURATION)?;
            let mut list = self.delegates.get(patient).unwrap_or_default();
            let shortened = match list.iter_mut().find(|d| d.delegate == delegate) {
                Some(existing) => {
                    let shortened = expires_at < existing.expires_at;
                    existing.expires_at = expires_at;
                    shortened
                }
                None => {
                    push_bounded(&mut list, Delegation { delegate, expires_at }, data::MAX_DELEGATES_PER_PATIENT)?;
                    false
                }
            };
            self.delegates.insert(patient, &list);
            if shortened {
                self.revoke_granted_by(patient, delegate, expires_at, now);
            }
            self.env().emit_event(DelegateAppointed { patient, delegate, expires_at });
            Ok(())
        }

        /// The caller (a patient) removes a delegate; every consent the delegate granted that is
        /// still in force or yet to start is revoked with it. Works while paused.
        #[ink(message)]
        pub fn remove_delegate(&mut self, delegate: AccountId) -> Result<()> {
            let (patient, now) = self.caller_and_time();
            let mut list = self.delegates.get(patient).unwrap_or_default();
            remove_first(&mut list, |d| d.delegate == delegate).ok_or(Error::UnknownDelegate)?;
            store_list(&mut self.delegates, patient, list);
            self.revoke_granted_by(patient, delegate, now, now);
            self.env().emit_event(DelegateRemoved { patient, delegate });
            Ok(())
        }

        // ----- research -----------------------------------------------------------------

        /// The caller proposes a study as its researcher. It may ask patients only after an
        /// ethics approver approves it. Refused while paused.
        #[ink(message)]
        pub fn register_study(
            &mut self,
            protocol_hash: Hash32,
            categories: DataCategories,
            ends_at: Timestamp,
        ) -> Result<StudyId> {
            self.ensure_running()?;
            let (researcher, now) = self.caller_and_time();
            data::validate_study(&protocol_hash, categories, ends_at, now)?;
            let mut counters = self.counters.get_or_default();
            let id = next_id(&mut counters.study)?;
            let study = Study {
                id,
                researcher,
                protocol_hash,
                categories,
                registered_at: now,
                ends_at,
                status: StudyStatus::Proposed,
            };
            self.studies.insert(id, &study);
            self.counters.set(&counters);
            self.env().emit_event(StudyRegistered { researcher, study_id: id, protocol_hash, categories, ends_at });
            Ok(id)
        }

        /// An ethics approver (not the study's researcher) approves a study, or re-approves a
        /// suspended one, with the hash of its approval record. Refused while paused.
        #[ink(message)]
        pub fn approve_study(&mut self, study_id: StudyId, approval_hash: Hash32) -> Result<()> {
            self.ensure_running()?;
            let (approver, now) = self.caller_and_time();
            if !self.ethics_approvers.contains(approver) {
                return Err(Error::NotEthicsApprover);
            }
            let mut study = self.studies.get(study_id).ok_or(Error::UnknownStudy)?;
            study.approve(approver, approval_hash, now)?;
            self.studies.insert(study_id, &study);
            self.env().emit_event(StudyApproved { researcher: study.researcher, approver, study_id, approval_hash });
            Ok(())
        }

        /// An ethics approver or the study's researcher suspends a study: no new requests,
        /// answers or joins (consents already given stay until revoked). Works while paused.
        #[ink(message)]
        pub fn suspend_study(&mut self, study_id: StudyId) -> Result<()> {
            let (by, now) = self.caller_and_time();
            let mut study = self.studies.get(study_id).ok_or(Error::UnknownStudy)?;
            if by != study.researcher && !self.ethics_approvers.contains(by) {
                return Err(Error::NotAuthorized);
            }
            study.suspend(by, now)?;
            self.studies.insert(study_id, &study);
            self.env().emit_event(StudySuspended { researcher: study.researcher, study_id, by });
            Ok(())
        }

        /// The researcher of an approved study asks `patient` to consent to it. Refused while
        /// paused, while the study cools down after the patient's denial, when the patient
        /// blocked the researcher or the researcher holds its share of the patient's inbox.
        #[ink(message)]
        pub fn request_access(&mut self, study_id: StudyId, patient: AccountId) -> Result<()> {
            self.request_access_batch(study_id, ink::prelude::vec![patient])
        }

        /// `request_access` for up to `MAX_BATCH_REQUEST` distinct patients, all or nothing.
        #[ink(message)]
        pub fn request_access_batch(&mut self, study_id: StudyId, patients: Vec<AccountId>) -> Result<()> {
            self.ensure_running()?;
            let (study, now) = self.researcher_of(study_id)?;
            study.ensure_recruiting(now)?;
            if patients.is_empty() || patients.len() > data::MAX_BATCH_REQUEST {
                return Err(Error::InvalidBatch);
            }
            let policy = self.research_policy.get().unwrap_or(ResearchPolicy::DEFAULT);
            // Every patient is checked before anything is written: all or nothing.
            let mut filed = Vec::with_capacity(patients.len());
            let mut expires_at = now;
            for (i, patient) in patients.iter().enumerate() {
                if patients.iter().take(i).any(|p| p == patient) {
                    return Err(Error::InvalidBatch);
                }
                if *patient == study.researcher {
                    return Err(Error::GrantToSelf);
                }
                if self.blocked.contains((*patient, study.researcher)) {
                    return Err(Error::ResearcherBlocked);
                }
                let mut inbox = self.inboxes.get(patient).unwrap_or_default();
                expires_at = inbox.request(&study, now, &policy)?.expires_at;
                filed.push((*patient, inbox));
            }
            let count = u32::try_from(filed.len()).unwrap_or(u32::MAX);
            for (patient, inbox) in filed {
                self.inboxes.insert(patient, &inbox);
            }
            self.env().emit_event(AccessRequested { researcher: study.researcher, study_id, count, expires_at });
            Ok(())
        }

        /// The patient (or a delegate) approves a study's request: a research consent for the
        /// study's categories until it ends (or the delegation ends) is created. Refused while
        /// paused.
        #[ink(message)]
        pub fn approve_request(
            &mut self,
            patient: AccountId,
            study_id: StudyId,
            document_hash: Hash32,
        ) -> Result<ConsentId> {
            self.ensure_running()?;
            let (actor, now) = self.acting_for(patient)?;
            let study = self.studies.get(study_id).ok_or(Error::UnknownStudy)?;
            let mut inbox = self.inboxes.get(patient).unwrap_or_default();
            let request = inbox.take_answerable(study_id, now)?;
            let mut counters = self.counters.get_or_default();
            let consent_id = next_id(&mut counters.consent)?;
            let consent = data::research_consent(consent_id, &study, patient, actor, &document_hash, now)?;
            self.store_consent(&consent)?;
            self.counters.set(&counters);
            self.store_inbox(patient, &inbox);
            self.emit_closed(&request, patient, RequestOutcome::Approved(consent_id), actor.account(patient));
            Ok(consent_id)
        }

        /// The patient (or a delegate) denies a study's request; the study may not ask this
        /// patient again before the policy's cool-down ends. Works while paused.
        #[ink(message)]
        pub fn deny_request(&mut self, patient: AccountId, study_id: StudyId) -> Result<()> {
            let (actor, now) = self.acting_for(patient)?;
            let policy = self.research_policy.get().unwrap_or(ResearchPolicy::DEFAULT);
            let mut inbox = self.inboxes.get(patient).unwrap_or_default();
            let request = inbox.deny(study_id, now, &policy)?;
            self.store_inbox(patient, &inbox);
            self.emit_closed(&request, patient, RequestOutcome::Denied, actor.account(patient));
            Ok(())
        }

        /// The study's researcher takes back its request to `patient` (a lapsed one too, to
        /// free the slot). Works while paused.
        #[ink(message)]
        pub fn withdraw_request(&mut self, study_id: StudyId, patient: AccountId) -> Result<()> {
            let researcher = self.env().caller();
            let study = self.studies.get(study_id).ok_or(Error::UnknownStudy)?;
            if study.researcher != researcher {
                return Err(Error::NotAuthorized);
            }
            let mut inbox = self.inboxes.get(patient).unwrap_or_default();
            let request = inbox.withdraw(study_id)?;
            self.store_inbox(patient, &inbox);
            self.emit_closed(&request, patient, RequestOutcome::Withdrawn, researcher);
            Ok(())
        }

        /// The patient (or a delegate) joins an approved study without having been asked.
        /// Refused while paused.
        #[ink(message)]
        pub fn join_study(
            &mut self,
            patient: AccountId,
            study_id: StudyId,
            document_hash: Hash32,
        ) -> Result<ConsentId> {
            self.ensure_running()?;
            let (actor, now) = self.acting_for(patient)?;
            let study = self.studies.get(study_id).ok_or(Error::UnknownStudy)?;
            let mut counters = self.counters.get_or_default();
            let consent_id = next_id(&mut counters.consent)?;
            let consent = data::research_consent(consent_id, &study, patient, actor, &document_hash, now)?;
            self.store_consent(&consent)?;
            self.counters.set(&counters);
            Ok(consent_id)
        }

        /// The patient (or a delegate) blocks a researcher: its pending requests to the patient
        /// are withdrawn and it cannot ask again until unblocked. Works while paused.
        #[ink(message)]
        pub fn block_researcher(&mut self, patient: AccountId, researcher: AccountId) -> Result<()> {
            let (actor, _) = self.acting_for(patient)?;
            let by = actor.account(patient);
            if self.blocked.contains((patient, researcher)) {
                return Err(Error::Unchanged);
            }
            self.blocked.insert((patient, researcher), &by);
            let mut inbox = self.inboxes.get(patient).unwrap_or_default();
            let withdrawn_requests = inbox.drop_researcher(researcher);
            if withdrawn_requests > 0 {
                self.store_inbox(patient, &inbox);
            }
            self.env().emit_event(ResearcherBlocked { patient, researcher, withdrawn_requests, by });
            Ok(())
        }

        /// Lifts a researcher block: the patient lifts any, a delegate only one it set itself.
        /// Refused while paused.
        #[ink(message)]
        pub fn unblock_researcher(&mut self, patient: AccountId, researcher: AccountId) -> Result<()> {
            self.ensure_running()?;
            let (actor, _) = self.acting_for(patient)?;
            let by = actor.account(patient);
            let blocked_by = self.blocked.get((patient, researcher)).ok_or(Error::Unchanged)?;
            actor.may_lift(blocked_by, false)?;
            self.blocked.remove((patient, researcher));
            self.env().emit_event(ResearcherUnblocked { patient, researcher, by });
            Ok(())
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
        /// rules, expired delegations, lapsed requests and ended cool-downs. Only the patient
        /// or an active delegate may call it, since the storage refunds go to the caller.
        /// Works while paused.
        #[ink(message)]
        pub fn purge_expired(&mut self, patient: AccountId) -> Result<PurgeReport> {
            let (_, now) = self.acting_for(patient)?;
            let mut report = PurgeReport { consents: self.consents.purge(patient, now), ..PurgeReport::default() };

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

            let mut inbox = self.inboxes.get(patient).unwrap_or_default();
            let (requests, cooldowns) = inbox.purge(now);
            report.requests = requests.saturating_add(cooldowns);
            if report.requests > 0 {
                self.store_inbox(patient, &inbox);
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

        /// One consent by id (revoked and expired ones until purged).
        #[ink(message)]
        pub fn consent(&self, consent_id: ConsentId) -> Option<Consent> {
            self.consents.get(consent_id)
        }

        /// A page of the patient's stored consents, oldest first.
        #[ink(message)]
        pub fn consents_of(&self, patient: AccountId, offset: u32, limit: u32) -> Vec<Consent> {
            self.consents.page_of(patient, offset, limit)
        }

        /// A page of the patient's deny rules.
        #[ink(message)]
        pub fn deny_rules_of(&self, patient: AccountId, offset: u32, limit: u32) -> Vec<DenyRule> {
            page(&self.deny_rules.get(patient).unwrap_or_default(), offset, limit)
        }

        /// A page of the patient's delegates (expired ones until purged).
        #[ink(message)]
        pub fn delegates_of(&self, patient: AccountId, offset: u32, limit: u32) -> Vec<Delegation> {
            page(&self.delegates.get(patient).unwrap_or_default(), offset, limit)
        }

        /// A page of the research requests in the patient's inbox (lapsed ones until purged).
        #[ink(message)]
        pub fn pending_requests_of(&self, patient: AccountId, offset: u32, limit: u32) -> Vec<PendingRequest> {
            page(&self.inboxes.get(patient).unwrap_or_default().pending, offset, limit)
        }

        /// The study's request in the patient's inbox, if any.
        #[ink(message)]
        pub fn request(&self, patient: AccountId, study_id: StudyId) -> Option<PendingRequest> {
            self.inboxes.get(patient).and_then(|inbox| inbox.find(study_id).copied())
        }

        /// Until when the study may not ask the patient again after a denial, if it is cooling down.
        #[ink(message)]
        pub fn cooldown_until(&self, patient: AccountId, study_id: StudyId) -> Option<Timestamp> {
            let now = self.env().block_timestamp();
            let inbox = self.inboxes.get(patient)?;
            inbox.cooldowns.iter().find(|c| c.study_id == study_id && now < c.until).map(|c| c.until)
        }

        /// Whether the patient blocked the researcher.
        #[ink(message)]
        pub fn is_blocked(&self, patient: AccountId, researcher: AccountId) -> bool {
            self.blocked.contains((patient, researcher))
        }

        /// One study by id.
        #[ink(message)]
        pub fn study(&self, study_id: StudyId) -> Option<Study> {
            self.studies.get(study_id)
        }

        /// How research requests behave (time to live, denial cool-down, per-researcher share).
        #[ink(message)]
        pub fn research_policy(&self) -> ResearchPolicy {
            self.research_policy.get().unwrap_or(ResearchPolicy::DEFAULT)
        }

        /// Whether `account` is a registered custodian.
        #[ink(message)]
        pub fn is_custodian(&self, account: AccountId) -> bool {
            self.custodians.contains(account)
        }

        /// Whether `account` is an ethics approver.
        #[ink(message)]
        pub fn is_ethics_approver(&self, account: AccountId) -> bool {
            self.ethics_approvers.contains(account)
        }

        // ----- admin --------------------------------------------------------------------

        /// Registers or removes a data custodian allowed to record accesses (owner only).
        #[ink(message)]
        pub fn set_custodian(&mut self, custodian: AccountId, active: bool) -> Result<()> {
            self.load_admin().ensure_owner(self.env().caller())?;
            if !set_member(&mut self.custodians, custodian, active) {
                return Err(Error::Unchanged);
            }
            self.env().emit_event(CustodianChanged { custodian, active });
            Ok(())
        }

        /// Appoints or removes an ethics approver (owner only).
        #[ink(message)]
        pub fn set_ethics_approver(&mut self, approver: AccountId, active: bool) -> Result<()> {
            self.load_admin().ensure_owner(self.env().caller())?;
            if !set_member(&mut self.ethics_approvers, approver, active) {
                return Err(Error::Unchanged);
            }
            self.env().emit_event(EthicsApproverChanged { approver, active });
            Ok(())
        }

        /// Sets how research requests behave, within `ResearchPolicy::validate`'s bounds (owner only).
        #[ink(message)]
        pub fn set_research_policy(&mut self, policy: ResearchPolicy) -> Result<()> {
            self.load_admin().ensure_owner(self.env().caller())?;
            policy.validate()?;
            self.research_policy.set(&policy);
            self.env().emit_event(ResearchPolicyChanged { policy });
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
            carechain_shared::admin::messages::load(&self.admin)
        }

        /// Refuses while paused: for what creates access or new records.
        fn ensure_running(&self) -> Result<()> {
            Ok(self.load_admin().ensure_running()?)
        }

        fn caller_and_time(&self) -> (AccountId, Timestamp) {
            (self.env().caller(), self.env().block_timestamp())
        }

        /// The caller is the patient or an active delegate of the patient.
        fn acting_for(&self, patient: AccountId) -> Result<(Actor, Timestamp)> {
            let (caller, now) = self.caller_and_time();
            let delegations =
                if caller == patient { Vec::new() } else { self.delegates.get(patient).unwrap_or_default() };
            data::actor(caller, patient, &delegations, now).map(|a| (a, now)).ok_or(Error::NotAuthorized)
        }

        fn researcher_of(&self, study_id: StudyId) -> Result<(Study, Timestamp)> {
            let (caller, now) = self.caller_and_time();
            let study = self.studies.get(study_id).ok_or(Error::UnknownStudy)?;
            if study.researcher != caller {
                return Err(Error::NotAuthorized);
            }
            Ok((study, now))
        }

        fn store_inbox(&mut self, patient: AccountId, inbox: &Inbox) {
            if inbox.is_empty() {
                self.inboxes.remove(patient);
            } else {
                self.inboxes.insert(patient, inbox);
            }
        }

        fn emit_closed(&self, request: &PendingRequest, patient: AccountId, outcome: RequestOutcome, by: AccountId) {
            self.env().emit_event(RequestClosed {
                researcher: request.researcher,
                study_id: request.study_id,
                patient,
                outcome,
                closed_by: by,
            });
        }

        fn store_consent(&mut self, consent: &Consent) -> Result<()> {
            self.consents.insert(consent)?;
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

        /// Marks a consent revoked, drops it from the lists `check_access` reads, and emits.
        fn revoke(&mut self, mut consent: Consent, now: Timestamp, by: AccountId) {
            self.consents.revoke(&mut consent, now);
            self.env().emit_event(ConsentRevoked {
                patient: consent.patient,
                accessor: consent.accessor,
                consent_id: consent.id,
                revoked_by: by,
            });
        }

        /// Revokes every consent `delegate` granted for `patient` that would still permit at or
        /// after `end` (at most `MAX_CONSENTS_PER_PATIENT` reads).
        fn revoke_granted_by(&mut self, patient: AccountId, delegate: AccountId, end: Timestamp, now: Timestamp) {
            for consent in self.consents.of_patient(patient) {
                if consent.outlives_grantor(delegate, end) {
                    self.revoke(consent, now, patient);
                }
            }
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
            let consents = self.consents.live(patient, accessor);
            let decision = data::evaluate(&consents, &rules, accessor, categories, purpose, now);
            match decision {
                AccessDecision::Denied(DenyReason::NoConsent) if purpose == Purpose::EmergencyTreatment => {
                    self.ask_break_glass(patient, accessor, categories)
                }
                other => other,
            }
        }

        /// Emergency path: only the pinned break_glass code is asked, within its call limits,
        /// and only an answer it returned without reverting counts. Never traps on a reply
        /// that fits `peer::MAX_REPLY`.
        fn ask_break_glass(
            &self,
            patient: AccountId,
            accessor: AccountId,
            categories: DataCategories,
        ) -> AccessDecision {
            let Some(peer) = self.peer() else {
                return AccessDecision::Denied(DenyReason::BreakGlassNotWired);
            };
            let break_glass: ink::contract_ref!(EmergencyAccess) = peer.address.into();
            let params = break_glass.call().active_emergency_grant(patient, accessor, categories).params();
            match peer::call(&peer, &params, peer::EMERGENCY_LOOKUP).and_then(Reply::returned) {
                Ok(Some(grant_id)) => AccessDecision::PermittedByEmergencyGrant(grant_id),
                Ok(None) => AccessDecision::Denied(DenyReason::NoEmergencyGrant),
                Err(_) => AccessDecision::Denied(DenyReason::BreakGlassUnavailable),
            }
        }
    }

    impl Administration for ConsentRegistry {
        /// The owner, the proposed owner (until it accepts) and the pause flag.
        #[ink(message)]
        fn admin(&self) -> Admin {
            self.load_admin()
        }

        /// Step one of an ownership transfer: names the successor (owner only).
        #[ink(message)]
        fn transfer_ownership(&mut self, new_owner: AccountId) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::transfer_ownership(&mut self.admin, new_owner)
        }

        /// Step two of an ownership transfer (the proposed owner only).
        #[ink(message)]
        fn accept_ownership(&mut self) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::accept_ownership(&mut self.admin)
        }

        /// Pauses or resumes what widens access; revoking, denying, purging and checks keep working (owner only).
        #[ink(message)]
        fn set_paused(&mut self, paused: bool) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::set_paused(&mut self.admin, paused)
        }

        /// Replaces this contract's code, keeping its storage; record_anchor must then re-pin it (owner only).
        #[ink(message)]
        fn set_code_hash(&mut self, code_hash: Hash) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::set_code_hash(&self.admin, code_hash)
        }
    }

    impl Wiring for ConsentRegistry {
        /// The wired break_glass contract and the code hash pinned for it.
        #[ink(message)]
        fn peer(&self) -> Option<Peer> {
            self.break_glass.get().flatten()
        }

        /// Wires (or with `None`, unwires) the break_glass contract asked in emergency treatment, pinning the code it runs now: if that code ever changes, emergency checks answer `BreakGlassUnavailable` until the owner wires it again (owner only).
        #[ink(message)]
        fn set_peer(&mut self, address: Option<AccountId>) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::set_peer(&self.admin, &mut self.break_glass, address)
        }
    }

    impl ConsentCheck for ConsentRegistry {
        /// Read only; answered even while paused, from the consents and rules in force.
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
