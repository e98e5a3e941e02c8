//! research_registry: the research workflow of carechain.
//!
//! Researchers register studies, ethics approvers approve or suspend them, researchers ask
//! patients, and patients (or their delegates) answer, join, deny or block. An approval creates
//! a research consent in consent_registry through `ResearchConsents`, which only this contract
//! (wired there by the registry's owner) may call; every `check_access` stays in the registry.
//! A patient acting for themself never needs the registry to deny, block or purge. The rules
//! live in [`data`]; this contract only loads, stores, authorises and emits.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod data;
pub mod errors;
pub mod events;

pub use errors::{Error, Result};

// ink!'s generated dispatcher contains `panic!`s attributed to our items; our own code is
// still held to unwrap_used, expect_used, indexing_slicing and arithmetic_side_effects.
#[ink::contract]
#[allow(clippy::panic)]
pub mod research_registry {
    use crate::data::{
        self, Cooldown, Inbox, PendingRequest, Placing, RequestOutcome, ResearchPolicy, Study, StudyStatus,
    };
    use crate::errors::{Error, Result};
    use crate::events::*;
    use carechain_shared::collections::{next_id, page, set_member};
    use carechain_shared::peer::{self, Peer, Reply};
    use carechain_shared::traits::ResearchConsents;
    use carechain_shared::{Actor, Admin, ConsentId, DataCategories, Hash32, StudyId};
    use carechain_shared::{AdminError, Administration, Wiring};
    use ink::codegen::TraitCallBuilder;
    use ink::prelude::vec::Vec;
    use ink::storage::{traits::ManualKey, Lazy, Mapping};

    /// (patient, researcher)
    type Pair = (AccountId, AccountId);

    /// `admin`, `study_counter` and `research_policy` live in the contract's root cell, which
    /// ink! reads before every message anyway: the pause and owner checks, the policy and the
    /// next study id cost no storage access of their own (each ≈ 10 kB of proof on a node).
    /// Every other field has a fixed `ManualKey`, so `set_code_hash` upgrades keep reading the
    /// same cells; a later version may change the root only with a migration.
    #[ink(storage)]
    pub struct ResearchRegistry {
        admin: Admin,
        registry: Lazy<Option<Peer>, ManualKey<0xD000_0002>>,
        /// The last study id handed out.
        study_counter: StudyId,
        research_policy: ResearchPolicy,
        ethics_approvers: Mapping<AccountId, (), ManualKey<0xD000_0010>>,
        studies: Mapping<StudyId, Study, ManualKey<0xD000_0020>>,
        /// Each patient's research inbox: pending requests, one per study.
        inboxes: Mapping<AccountId, Inbox, ManualKey<0xD000_0021>>,
        /// (patient, researcher) → who blocked. Never iterated; the patient pays for each entry.
        blocked: Mapping<Pair, AccountId, ManualKey<0xD000_0022>>,
        /// (patient, study) → until when the study may not ask the patient again, after its
        /// request ended unapproved. Never iterated, so no number of them pushes one out; whoever
        /// ended the request pays for the entry.
        cooldowns: Mapping<(AccountId, StudyId), Timestamp, ManualKey<0xD000_0023>>,
    }

    // A contract comes into being through its constructor only, never through `Default`.
    #[allow(clippy::new_without_default)]
    impl ResearchRegistry {
        /// The deployer becomes owner. The consent_registry peer is wired (and its code pinned)
        /// with `Wiring::set_peer` once it is deployed; the registry's owner then wires this
        /// contract into the registry (`set_research_registry`) so approvals can create consents.
        #[ink(constructor)]
        pub fn new() -> Self {
            Self {
                admin: Admin::new(Self::env().caller()),
                registry: Lazy::new(),
                study_counter: 0,
                research_policy: ResearchPolicy::DEFAULT,
                ethics_approvers: Mapping::new(),
                studies: Mapping::new(),
                inboxes: Mapping::new(),
                blocked: Mapping::new(),
                cooldowns: Mapping::new(),
            }
        }

        // ----- researchers and ethics approvers --------------------------------------------

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
            let mut counter = self.study_counter;
            let id = next_id(&mut counter)?;
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
            self.study_counter = counter;
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
        /// paused, while the study cools down after its last request to the patient ended
        /// unapproved (denied, withdrawn, lapsed or dropped by a block), when the patient blocked
        /// the researcher or the researcher holds its share of the patient's inbox.
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
            let policy = self.research_policy();
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
                let cooling = self.cooldowns.get((*patient, study_id));
                let (request, owed) = inbox.request(&study, now, &policy, cooling)?;
                expires_at = request.expires_at;
                filed.push((*patient, inbox, owed));
            }
            let count = u32::try_from(filed.len()).unwrap_or(u32::MAX);
            for (patient, inbox, owed) in filed {
                self.inboxes.insert(patient, &inbox);
                self.keep_cooldowns(patient, &owed);
            }
            self.env().emit_event(AccessRequested { researcher: study.researcher, study_id, count, expires_at });
            Ok(())
        }

        /// The study's researcher takes back its request to `patient` (a lapsed one too, to
        /// free the slot). The study then cools down for the patient as after a denial, so a
        /// withdrawal never dodges one. Works while paused.
        #[ink(message)]
        pub fn withdraw_request(&mut self, study_id: StudyId, patient: AccountId) -> Result<()> {
            let (study, now) = self.researcher_of(study_id)?;
            let policy = self.research_policy();
            let mut inbox = self.inboxes.get(patient).unwrap_or_default();
            let (request, cooldown) = inbox.withdraw(study_id, now, &policy)?;
            self.store_inbox(patient, &inbox);
            self.keep_cooldowns(patient, cooldown.as_slice());
            self.emit_closed(&request, patient, RequestOutcome::Withdrawn, study.researcher);
            Ok(())
        }

        // ----- patients and their delegates -----------------------------------------------

        /// The patient (or a delegate) approves a study's request: consent_registry creates a
        /// research consent for the study's categories until it ends (or the delegation ends).
        /// Refused while this contract or the registry is paused.
        #[ink(message)]
        pub fn approve_request(
            &mut self,
            patient: AccountId,
            study_id: StudyId,
            document_hash: Hash32,
        ) -> Result<ConsentId> {
            let (actor, study, now) = self.consenting(patient, study_id, &document_hash)?;
            let mut inbox = self.inboxes.get(patient).unwrap_or_default();
            let request = inbox.take_answerable(study_id, now)?;
            let by = actor.account(patient);
            let consent_id = self.grant(patient, by, &study, document_hash)?;
            self.store_inbox(patient, &inbox);
            self.emit_closed(&request, patient, RequestOutcome::Approved(consent_id), by);
            Ok(consent_id)
        }

        /// The patient (or a delegate) denies a study's request; the study may not ask this
        /// patient again before the policy's cool-down ends. Works while paused.
        #[ink(message)]
        pub fn deny_request(&mut self, patient: AccountId, study_id: StudyId) -> Result<()> {
            let (actor, now) = self.acting_for(patient)?;
            let policy = self.research_policy();
            let mut inbox = self.inboxes.get(patient).unwrap_or_default();
            let (request, cooldown) = inbox.deny(study_id, now, &policy)?;
            self.store_inbox(patient, &inbox);
            self.keep_cooldowns(patient, &[cooldown]);
            self.emit_closed(&request, patient, RequestOutcome::Denied, actor.account(patient));
            Ok(())
        }

        /// The patient (or a delegate) joins an approved study without having been asked:
        /// consent_registry creates the research consent. Refused while this contract or the
        /// registry is paused.
        #[ink(message)]
        pub fn join_study(
            &mut self,
            patient: AccountId,
            study_id: StudyId,
            document_hash: Hash32,
        ) -> Result<ConsentId> {
            let (actor, study, _) = self.consenting(patient, study_id, &document_hash)?;
            self.grant(patient, actor.account(patient), &study, document_hash)
        }

        /// The patient (or a delegate) blocks a researcher: its pending requests to the patient
        /// are withdrawn (their studies cool down) and it cannot ask again until unblocked. A
        /// block binds the researcher it names, which can neither place nor lift it
        /// (`SelfBlock`). The patient blocking a researcher someone else blocked makes the
        /// block the patient's, so no delegate can lift it. Works while paused.
        #[ink(message)]
        pub fn block_researcher(&mut self, patient: AccountId, researcher: AccountId) -> Result<()> {
            let (actor, now) = self.acting_for(patient)?;
            let by = actor.account(patient);
            let withdrawn_requests =
                match data::place_block(actor, patient, researcher, self.blocked.get((patient, researcher)))? {
                    // Taking over a delegate's block: it already dropped the requests.
                    Placing::TakeOver => 0,
                    Placing::New => {
                        let policy = self.research_policy();
                        let mut inbox = self.inboxes.get(patient).unwrap_or_default();
                        let (withdrawn, owed) = inbox.drop_researcher(researcher, now, &policy);
                        if withdrawn > 0 {
                            self.store_inbox(patient, &inbox);
                            self.keep_cooldowns(patient, &owed);
                        }
                        withdrawn
                    }
                };
            self.blocked.insert((patient, researcher), &by);
            self.env().emit_event(ResearcherBlocked { patient, researcher, withdrawn_requests, by });
            Ok(())
        }

        /// Lifts a researcher block: the patient lifts any, a delegate only one it set itself
        /// and never one naming itself. Refused while paused.
        #[ink(message)]
        pub fn unblock_researcher(&mut self, patient: AccountId, researcher: AccountId) -> Result<()> {
            self.ensure_running()?;
            let (actor, _) = self.acting_for(patient)?;
            let by = actor.account(patient);
            data::lift_block(actor, patient, researcher, self.blocked.get((patient, researcher)))?;
            self.blocked.remove((patient, researcher));
            self.env().emit_event(ResearcherUnblocked { patient, researcher, by });
            Ok(())
        }

        /// Frees the patient's lapsed requests (keeping the cool-downs they owe); returns how
        /// many. Only the patient or an active delegate may call it, since the storage refunds go
        /// to the caller. Works while paused.
        #[ink(message)]
        pub fn purge_expired(&mut self, patient: AccountId) -> Result<u32> {
            let (_, now) = self.acting_for(patient)?;
            let policy = self.research_policy();
            let mut inbox = self.inboxes.get(patient).unwrap_or_default();
            let (requests, owed) = inbox.purge(now, &policy);
            if requests > 0 {
                self.store_inbox(patient, &inbox);
                self.keep_cooldowns(patient, &owed);
                self.env().emit_event(InboxPurged { patient, requests });
            }
            Ok(requests)
        }

        // ----- reads for dApps (bounded, paginated) -------------------------------------

        /// A page of the research requests awaiting the patient's answer; a lapsed request is
        /// never shown.
        #[ink(message)]
        pub fn pending_requests_of(&self, patient: AccountId, offset: u32, limit: u32) -> Vec<PendingRequest> {
            let now = self.env().block_timestamp();
            let live: Vec<PendingRequest> = self.inboxes.get(patient).unwrap_or_default().live(now).copied().collect();
            page(&live, offset, limit)
        }

        /// The study's request awaiting the patient's answer, if any (a lapsed one is not shown).
        #[ink(message)]
        pub fn request(&self, patient: AccountId, study_id: StudyId) -> Option<PendingRequest> {
            let now = self.env().block_timestamp();
            self.inboxes.get(patient)?.find(study_id).filter(|r| !r.is_lapsed(now)).copied()
        }

        /// Until when the study may not ask the patient again after its last request ended
        /// unapproved, if it is cooling down.
        #[ink(message)]
        pub fn cooldown_until(&self, patient: AccountId, study_id: StudyId) -> Option<Timestamp> {
            let now = self.env().block_timestamp();
            let kept = self.cooldowns.get((patient, study_id));
            let lapsed =
                self.inboxes.get(patient).and_then(|i| i.lapsed_cooldown(study_id, now, &self.research_policy));
            kept.into_iter().chain(lapsed.map(|c| c.until)).filter(|until| now < *until).max()
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
            self.research_policy
        }

        /// Whether `account` is an ethics approver.
        #[ink(message)]
        pub fn is_ethics_approver(&self, account: AccountId) -> bool {
            self.ethics_approvers.contains(account)
        }

        // ----- admin --------------------------------------------------------------------

        /// Appoints or removes an ethics approver (owner only).
        #[ink(message)]
        pub fn set_ethics_approver(&mut self, approver: AccountId, active: bool) -> Result<()> {
            self.admin.ensure_owner(self.env().caller())?;
            if !set_member(&mut self.ethics_approvers, approver, active) {
                return Err(Error::Unchanged);
            }
            self.env().emit_event(EthicsApproverChanged { approver, active });
            Ok(())
        }

        /// Sets how research requests behave, within `ResearchPolicy::validate`'s bounds (owner only).
        #[ink(message)]
        pub fn set_research_policy(&mut self, policy: ResearchPolicy) -> Result<()> {
            self.admin.ensure_owner(self.env().caller())?;
            policy.validate()?;
            self.research_policy = policy;
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

        /// Refuses while paused: for what creates access or new records.
        fn ensure_running(&self) -> Result<()> {
            Ok(self.admin.ensure_running()?)
        }

        fn caller_and_time(&self) -> (AccountId, Timestamp) {
            (self.env().caller(), self.env().block_timestamp())
        }

        fn researcher_of(&self, study_id: StudyId) -> Result<(Study, Timestamp)> {
            let (caller, now) = self.caller_and_time();
            let study = self.studies.get(study_id).ok_or(Error::UnknownStudy)?;
            if study.researcher != caller {
                return Err(Error::NotAuthorized);
            }
            Ok((study, now))
        }

        /// The caller is the patient, or (asked of consent_registry, which holds delegations)
        /// an active delegate of the patient. The patient acting for themself needs no call,
        /// so their denials and blocks work whatever state the registry is in.
        fn acting_for(&self, patient: AccountId) -> Result<(Actor, Timestamp)> {
            let (caller, now) = self.caller_and_time();
            if caller == patient {
                return Ok((Actor::Patient, now));
            }
            let peer = self.peer().ok_or(Error::RegistryNotWired)?;
            let registry: ink::contract_ref!(ResearchConsents) = peer.address.into();
            let params = registry.call().acting_for(patient, caller).params();
            let actor = peer::call(&peer, &params, peer::DELEGATE_LOOKUP)
                .and_then(Reply::returned)
                .map_err(|_| Error::RegistryUnavailable)?;
            actor.map(|a| (a, now)).ok_or(Error::NotAuthorized)
        }

        /// What approving or joining checks before asking the registry, in this order: running,
        /// a consent-form hash, the caller's authority for the patient, a study that recruits.
        fn consenting(
            &self,
            patient: AccountId,
            study_id: StudyId,
            document_hash: &Hash32,
        ) -> Result<(Actor, Study, Timestamp)> {
            self.ensure_running()?;
            data::validate_hash(document_hash)?;
            let (actor, now) = self.acting_for(patient)?;
            let study = self.studies.get(study_id).ok_or(Error::UnknownStudy)?;
            study.ensure_recruiting(now)?;
            Ok((actor, study, now))
        }

        /// Asks consent_registry to create the research consent. A refusal it reverts with is
        /// believed (it grants nothing); any other failure is `RegistryUnavailable`.
        fn grant(&self, patient: AccountId, by: AccountId, study: &Study, document_hash: Hash32) -> Result<ConsentId> {
            let peer = self.peer().ok_or(Error::RegistryNotWired)?;
            let mut registry: ink::contract_ref!(ResearchConsents) = peer.address.into();
            let params = registry.call_mut().grant_research_consent(patient, by, study.terms(), document_hash).params();
            match peer::call(&peer, &params, peer::RESEARCH_GRANT) {
                Ok(Reply::Returned(Ok(consent_id))) => Ok(consent_id),
                Ok(Reply::Reverted(Err(refusal))) => Err(refusal.into()),
                _ => Err(Error::RegistryUnavailable),
            }
        }

        /// Keeps the cool-downs requests to `patient` owe now that they ended unapproved. A new
        /// one always ends later than the study's earlier one (the study could only ask again
        /// once that had ended), so each is a plain write.
        fn keep_cooldowns(&mut self, patient: AccountId, owed: &[Cooldown]) {
            for cooldown in owed {
                self.cooldowns.insert((patient, cooldown.study_id), &cooldown.until);
            }
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
    }

    impl Administration for ResearchRegistry {
        /// The owner, the proposed owner (until it accepts) and the pause flag.
        #[ink(message)]
        fn admin(&self) -> Admin {
            self.admin.clone()
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

        /// Pauses or resumes what widens access; denying, blocking, withdrawing, suspending and purging keep working (owner only).
        #[ink(message)]
        fn set_paused(&mut self, paused: bool) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::set_paused(&mut self.admin, paused)
        }

        /// Replaces this contract's code, keeping its storage; consent_registry must then re-pin it (owner only).
        #[ink(message)]
        fn set_code_hash(&mut self, code_hash: Hash) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::set_code_hash(&self.admin, code_hash)
        }
    }

    impl Wiring for ResearchRegistry {
        /// The wired consent_registry and the code hash pinned for it.
        #[ink(message)]
        fn peer(&self) -> Option<Peer> {
            self.registry.get().flatten()
        }

        /// Wires (or with `None`, unwires) the consent_registry asked about delegates and asked to create research consents, with the code hash the owner means to trust (it must be the code there now: `PeerCodeMismatch`; never this contract: `PeerIsSelf`). If that code ever changes, delegates' answers and approvals fail with `RegistryUnavailable` until the owner wires it again; patients acting for themselves are not affected (owner only).
        #[ink(message)]
        fn set_peer(&mut self, peer: Option<Peer>) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::set_peer(&self.admin, &mut self.registry, peer)
        }
    }
}

#[cfg(test)]
mod tests;
