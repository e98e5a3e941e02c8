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
    use crate::data::{self, Consent, Delegation, DenyRule, PurgeReport};
    use crate::errors::{Error, Result};
    use crate::events::*;
    use crate::index::{store_list, ConsentIndex};
    use carechain_shared::collections::{dropped, next_id, page, remove_first, set_member};
    use carechain_shared::peer::{self, Peer, Reply};
    use carechain_shared::traits::{ConsentCheck, EmergencyAccess, ResearchConsents};
    use carechain_shared::{
        AccessDecision, Actor, Admin, ConsentId, DataCategories, DenyReason, DenyRuleId, GrantRefusal, Hash32, Period,
        Purpose, PurposeSet, ResearchTerms,
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
    }

    /// `admin` and `counters` live in the contract's root cell, which ink! reads before every
    /// message anyway: checking the pause or the owner, or taking the next id, costs no storage
    /// access of its own (each ≈ 10 kB of proof on a node). The root holds nothing else, as
    /// every byte in it is decoded by every call (checks included). Every other field has a
    /// fixed `ManualKey`, so `set_code_hash` upgrades keep reading the same cells; a later
    /// version may change the root only with a migration.
    #[ink(storage)]
    pub struct ConsentRegistry {
        admin: Admin,
        break_glass: Lazy<Option<Peer>, ManualKey<0xC000_0002>>,
        counters: Counters,
        /// The research_registry allowed to create research consents, pinned by code hash.
        research: Lazy<Option<Peer>, ManualKey<0xC000_0005>>,
        /// Consents, each patient's consent list and policy cell (deny rules and the terms of
        /// unrevoked consents: what a check reads), keys 0xC000_0010, 12 and 16.
        consents: ConsentIndex,
        delegates: Mapping<AccountId, Vec<Delegation>, ManualKey<0xC000_0014>>,
        custodians: Mapping<AccountId, (), ManualKey<0xC000_0015>>,
    }

    // A contract comes into being through its constructor only, never through `Default`.
    #[allow(clippy::new_without_default)]
    impl ConsentRegistry {
        /// The deployer becomes owner. The break_glass peer is wired (and its code pinned) with
        /// `Wiring::set_peer` once it is deployed.
        #[ink(constructor)]
        pub fn new() -> Self {
            Self {
                admin: Admin::new(Self::env().caller()),
                break_glass: Lazy::new(),
                counters: Counters::default(),
                research: Lazy::new(),
                consents: ConsentIndex::default(),
                delegates: Mapping::new(),
                custodians: Mapping::new(),
            }
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
            let (actor, now) = self.caller_acting_for(patient)?;
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
            let mut counters = self.counters.clone();
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
            self.counters = counters;
            Ok(id)
        }

        /// Revokes a consent at once. Callable by the patient or an active delegate; works
        /// while paused (it only narrows access).
        #[ink(message)]
        pub fn revoke_consent(&mut self, consent_id: ConsentId) -> Result<()> {
            let consent = self.consents.get(consent_id).ok_or(Error::UnknownConsent)?;
            let (actor, now) = self.caller_acting_for(consent.patient)?;
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
            let (actor, now) = self.caller_acting_for(patient)?;
            let caller = actor.account(patient);
            let period = data::validate_deny_rule(categories, purposes, valid_from, valid_until, now)?;
            let mut counters = self.counters.clone();
            let id = next_id(&mut counters.deny_rule)?;
            let rule = DenyRule { id, accessor, categories, purposes, period, created_by: caller };
            self.consents.add_deny_rule(patient, rule)?;
            self.counters = counters;
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
            let (actor, _) = self.caller_acting_for(patient)?;
            let caller = actor.account(patient);
            self.consents
                .remove_deny_rule(patient, rule_id, |rule| Ok(actor.may_lift(rule.created_by, rule.covers(caller))?))?;
            self.env().emit_event(DenyRuleRemoved { patient, rule_id, removed_by: caller });
            Ok(())
        }

        /// The caller (a patient) appoints `delegate` until `expires_at`, or moves the expiry of
        /// an existing appointment; moving it earlier revokes the delegate's consents that would
        /// outlive it. Only patients themselves appoint. A new appointment or a later expiry is
        /// refused while paused; an earlier expiry works while paused (it only narrows).
        #[ink(message)]
        pub fn appoint_delegate(&mut self, delegate: AccountId, expires_at: Timestamp) -> Result<()> {
            let (patient, now) = self.caller_and_time();
            let mut list = self.delegates.get(patient).unwrap_or_default();
            let shortened = data::shortens(&list, delegate, expires_at);
            if !shortened {
                self.ensure_running()?;
            }
            if delegate == patient {
                return Err(Error::GrantToSelf);
            }
            Period::from_now(now, expires_at, data::MAX_DELEGATION_DURATION)?;
            data::appoint(&mut list, delegate, expires_at)?;
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
        /// rules and expired delegations (research_registry purges research requests). Only the patient
        /// or an active delegate may call it, since the storage refunds go to the caller.
        /// Works while paused.
        #[ink(message)]
        pub fn purge_expired(&mut self, patient: AccountId) -> Result<PurgeReport> {
            let (_, now) = self.caller_acting_for(patient)?;
            let purged = self.consents.purge(patient, now);
            let mut report =
                PurgeReport { consents: purged.consents, deny_rules: purged.deny_rules, ..PurgeReport::default() };

            let mut delegations = self.delegates.get(patient).unwrap_or_default();
            let before = delegations.len();
            delegations.retain(|d| d.is_active(now));
            report.delegates = dropped(before, delegations.len());
            if report.delegates > 0 {
                store_list(&mut self.delegates, patient, delegations);
            }

            if !report.is_empty() {
                self.env().emit_event(Purged {
                    patient,
                    consents: report.consents,
                    deny_rules: report.deny_rules,
                    delegates: report.delegates,
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
            self.consents.deny_rules_page(patient, offset, limit)
        }

        /// A page of the patient's delegates (expired ones until purged).
        #[ink(message)]
        pub fn delegates_of(&self, patient: AccountId, offset: u32, limit: u32) -> Vec<Delegation> {
            page(&self.delegates.get(patient).unwrap_or_default(), offset, limit)
        }

        /// Whether `account` is a registered custodian.
        #[ink(message)]
        pub fn is_custodian(&self, account: AccountId) -> bool {
            self.custodians.contains(account)
        }

        // ----- admin --------------------------------------------------------------------

        /// Registers or removes a data custodian allowed to record accesses (owner only).
        #[ink(message)]
        pub fn set_custodian(&mut self, custodian: AccountId, active: bool) -> Result<()> {
            self.admin.ensure_owner(self.env().caller())?;
            if !set_member(&mut self.custodians, custodian, active) {
                return Err(Error::Unchanged);
            }
            self.env().emit_event(CustodianChanged { custodian, active });
            Ok(())
        }

        /// Exists only in the second build the e2e upgrade scenario installs over the first
        /// (feature `upgrade-probe`), so the scenario can tell which code is answering.
        #[cfg(feature = "upgrade-probe")]
        #[ink(message)]
        pub fn upgrade_probe(&self) -> u32 {
            2
        }

        /// Wires (or with `None`, unwires) the research_registry that may create research
        /// consents through `ResearchConsents`: its address and the code hash the owner means to
        /// trust, which must be the code there when the call runs (`PeerCodeMismatch`). If that
        /// code ever changes, its grants are refused until the owner wires it again (owner only).
        #[ink(message)]
        pub fn set_research_registry(&mut self, research: Option<Peer>) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::set_peer(&self.admin, &mut self.research, research)
        }

        /// The research_registry allowed to create research consents, and its pinned code hash.
        #[ink(message)]
        pub fn research_registry(&self) -> Option<Peer> {
            self.research.get().flatten()
        }

        // ----- internals ----------------------------------------------------------------

        /// Refuses while paused: for what creates access or new records.
        fn ensure_running(&self) -> Result<()> {
            Ok(self.admin.ensure_running()?)
        }

        fn caller_and_time(&self) -> (AccountId, Timestamp) {
            (self.env().caller(), self.env().block_timestamp())
        }

        /// The caller is the patient or an active delegate of the patient.
        fn caller_acting_for(&self, patient: AccountId) -> Result<(Actor, Timestamp)> {
            let (caller, now) = self.caller_and_time();
            self.actor_of(patient, caller, now).map(|a| (a, now)).ok_or(Error::NotAuthorized)
        }

        fn actor_of(&self, patient: AccountId, account: AccountId, now: Timestamp) -> Option<Actor> {
            let delegations =
                if account == patient { Vec::new() } else { self.delegates.get(patient).unwrap_or_default() };
            data::actor(account, patient, &delegations, now)
        }

        /// The research consent `grant_research_consent` creates, or why not.
        fn grant_research(
            &mut self,
            patient: AccountId,
            acting: AccountId,
            terms: &ResearchTerms,
            document_hash: &Hash32,
        ) -> Result<ConsentId> {
            let caller = self.env().caller();
            let trusted = self.research_registry().is_some_and(|research| {
                research.address == caller && peer::code_hash_at(&caller) == Some(research.code_hash)
            });
            if !trusted {
                return Err(Error::NotAuthorized);
            }
            self.ensure_running()?;
            let now = self.env().block_timestamp();
            let actor = self.actor_of(patient, acting, now).ok_or(Error::NotAuthorized)?;
            let mut counters = self.counters.clone();
            let consent_id = next_id(&mut counters.consent)?;
            let consent = data::research_consent(consent_id, terms, patient, actor, document_hash, now)?;
            self.store_consent(&consent)?;
            self.counters = counters;
            Ok(consent_id)
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

        /// Marks a consent revoked, takes it out of the policy cell `check_access` reads, and
        /// emits.
        fn revoke(&mut self, mut consent: Consent, now: Timestamp, by: AccountId) {
            self.consents.revoke(&mut consent, now);
            self.emit_revoked(&consent, by);
        }

        fn emit_revoked(&self, consent: &Consent, by: AccountId) {
            self.env().emit_event(ConsentRevoked {
                patient: consent.patient,
                accessor: consent.accessor,
                consent_id: consent.id,
                revoked_by: by,
            });
        }

        /// Revokes every consent `delegate` granted for `patient` that would still permit at or
        /// after `end` (at most `MAX_CONSENTS_PER_PATIENT` reads, the policy cell written once).
        fn revoke_granted_by(&mut self, patient: AccountId, delegate: AccountId, end: Timestamp, now: Timestamp) {
            for consent in self.consents.revoke_where(patient, now, |c| c.outlives_grantor(delegate, end)) {
                self.emit_revoked(&consent, patient);
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
            match self.consents.policy(patient).decide(accessor, categories, purpose, now) {
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

        /// Wires (or with `None`, unwires) the break_glass contract asked in emergency treatment, with the code hash the owner means to trust (it must be the code there now: `PeerCodeMismatch`; never this contract: `PeerIsSelf`). If that code ever changes, emergency checks answer `BreakGlassUnavailable` until the owner wires it again (owner only).
        #[ink(message)]
        fn set_peer(&mut self, peer: Option<Peer>) -> core::result::Result<(), AdminError> {
            carechain_shared::admin::messages::set_peer(&self.admin, &mut self.break_glass, peer)
        }
    }

    impl ResearchConsents for ConsentRegistry {
        /// Read only; answered even while paused, so delegates can keep denying and blocking.
        #[ink(message)]
        fn acting_for(&self, patient: AccountId, account: AccountId) -> Option<Actor> {
            self.actor_of(patient, account, self.env().block_timestamp())
        }

        /// Only the wired research_registry (address and pinned code) may call; refused while paused.
        #[ink(message)]
        fn grant_research_consent(
            &mut self,
            patient: AccountId,
            acting: AccountId,
            terms: ResearchTerms,
            document_hash: Hash32,
        ) -> core::result::Result<ConsentId, GrantRefusal> {
            self.grant_research(patient, acting, &terms, &document_hash).map_err(GrantRefusal::from)
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
