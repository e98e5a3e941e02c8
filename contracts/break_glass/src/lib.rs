//! break_glass: audited emergency access with mandatory review (HIPAA 164.312(a)(2)(ii)).
//!
//! Authorities register responders; a responder breaks the glass for a patient who cannot
//! consent and gets a short grant limited by the patient's emergency preferences; every grant
//! is reviewed afterwards, and unjustified ones cost strikes up to suspension. The rules live
//! in [`data`]; consent_registry asks [`EmergencyAccess::active_emergency_grant`] by address.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub mod data;
pub mod errors;
pub mod events;

pub use errors::{Error, Result};

// ink!'s generated dispatcher contains `panic!`s attributed to our items; our own code is
// still held to unwrap_used, expect_used, indexing_slicing and arithmetic_side_effects.
#[ink::contract]
#[allow(clippy::panic)]
pub mod break_glass {
    use crate::data::{self, EmergencyPreferences, Grant, Policy, Responder};
    use crate::errors::{Error, Result};
    use crate::events::*;
    use carechain_shared::collections::{next_id, set_member, SwapQueue};
    use carechain_shared::traits::EmergencyAccess;
    use carechain_shared::{Admin, DataCategories, GrantId, Hash32};
    use carechain_shared::{AdminError, Administration};
    use ink::prelude::vec::Vec;
    use ink::storage::{traits::ManualKey, Mapping};

    /// One row of the review work list.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    pub struct PendingReview {
        pub grant_id: GrantId,
        pub patient: AccountId,
        pub responder: AccountId,
        pub review_due: Timestamp,
        pub overdue: bool,
    }

    /// `admin`, `policy` and `last_grant_id` live in the contract's root cell, which ink! reads
    /// before every message anyway: the pause, owner and policy checks and the next grant id
    /// cost no storage access of their own (each ≈ 10 kB of proof on a node). Every other
    /// field has a fixed `ManualKey`; a later version may change the root only with a
    /// migration.
    #[ink(storage)]
    pub struct BreakGlass {
        admin: Admin,
        policy: Policy,
        last_grant_id: GrantId,
        authorities: Mapping<AccountId, (), ManualKey<0xB600_0010>>,
        responders: Mapping<AccountId, Responder, ManualKey<0xB600_0011>>,
        /// Only patients who changed the default have an entry.
        preferences: Mapping<AccountId, EmergencyPreferences, ManualKey<0xB600_0012>>,
        grants: Mapping<GrantId, Grant, ManualKey<0xB600_0020>>,
        /// The latest grant per (patient, responder): the lookup reads this and the grant only.
        open_grant: Mapping<(AccountId, AccountId), GrantId, ManualKey<0xB600_0021>>,
        /// Grants awaiting review (keys 0xB600_0030..32, as before the collection existed).
        review_queue: SwapQueue<GrantId, ManualKey<0xB600_0030>, ManualKey<0xB600_0031>, ManualKey<0xB600_0032>>,
    }

    impl BreakGlass {
        /// The deployer becomes owner; `policy` is validated like `set_policy`.
        #[ink(constructor)]
        pub fn new(policy: Policy) -> Result<Self> {
            policy.validate()?;
            Ok(Self::init(policy))
        }

        /// The deployer becomes owner, with [`Policy::DEFAULT`].
        #[ink(constructor)]
        pub fn with_default_policy() -> Self {
            Self::init(Policy::DEFAULT)
        }

        fn init(policy: Policy) -> Self {
            Self {
                admin: Admin::new(Self::env().caller()),
                policy,
                last_grant_id: 0,
                authorities: Mapping::new(),
                responders: Mapping::new(),
                preferences: Mapping::new(),
                grants: Mapping::new(),
                open_grant: Mapping::new(),
                review_queue: SwapQueue::new(),
            }
        }

        // ----- authorities and responders ----------------------------------------------

        /// Appoints or removes an authority (owner only). A registered responder can never be
        /// an authority (`RoleConflict`).
        #[ink(message)]
        pub fn set_authority(&mut self, authority: AccountId, active: bool) -> Result<()> {
            self.admin.ensure_owner(self.env().caller())?;
            if active && self.responders.contains(authority) {
                return Err(Error::RoleConflict);
            }
            if !set_member(&mut self.authorities, authority, active) {
                return Err(Error::Unchanged);
            }
            self.env().emit_event(AuthorityChanged { authority, active });
            Ok(())
        }

        /// An authority registers a responder with the hashes of its credential and
        /// organisation records. No authority can be a responder (`RoleConflict`), so no one
        /// can register itself. Refused while paused.
        #[ink(message)]
        pub fn register_responder(
            &mut self,
            responder: AccountId,
            credential_hash: Hash32,
            organisation_hash: Hash32,
        ) -> Result<()> {
            self.ensure_running()?;
            let authority = self.ensure_authority()?;
            if self.responders.contains(responder) {
                return Err(Error::AlreadyRegistered);
            }
            if self.authorities.contains(responder) {
                return Err(Error::RoleConflict);
            }
            let record = Responder::new(credential_hash, organisation_hash, authority)?;
            self.responders.insert(responder, &record);
            self.env().emit_event(ResponderRegistered {
                responder,
                credential_hash,
                organisation_hash,
                registered_by: authority,
            });
            Ok(())
        }

        /// An authority suspends a responder and ends every grant they hold at once. Works
        /// while paused.
        #[ink(message)]
        pub fn suspend_responder(&mut self, responder: AccountId) -> Result<()> {
            let authority = self.ensure_authority()?;
            let mut record = self.responders.get(responder).ok_or(Error::NotResponder)?;
            record.suspend()?;
            self.end_all_grants(&mut record, authority);
            self.responders.insert(responder, &record);
            self.env().emit_event(ResponderSuspended { responder, by: Some(authority), strikes: record.strikes });
            Ok(())
        }

        /// An authority other than the one that registered the responder reinstates a
        /// suspended responder; its strike record stays visible. Refused while paused.
        #[ink(message)]
        pub fn reinstate_responder(&mut self, responder: AccountId) -> Result<()> {
            self.ensure_running()?;
            let authority = self.ensure_authority()?;
            let mut record = self.responders.get(responder).ok_or(Error::NotResponder)?;
            let strikes_cleared = record.strikes;
            record.reinstate(responder, authority, self.env().block_timestamp())?;
            self.responders.insert(responder, &record);
            self.env().emit_event(ResponderReinstated {
                responder,
                by: authority,
                strikes_cleared,
                total_strikes: record.total_strikes,
            });
            Ok(())
        }

        // ----- patients -----------------------------------------------------------------

        /// The caller sets which categories break-glass may open on their data, or opts out.
        /// While paused, only a change that opens less is accepted.
        #[ink(message)]
        pub fn set_emergency_preferences(&mut self, allowed: DataCategories, opted_out: bool) -> Result<()> {
            let patient = self.env().caller();
            let prefs = EmergencyPreferences { allowed, opted_out };
            prefs.validate()?;
            if !prefs.narrows(&self.emergency_preferences(patient)) {
                self.ensure_running()?;
            }
            if prefs == EmergencyPreferences::DEFAULT {
                self.preferences.remove(patient);
            } else {
                self.preferences.insert(patient, &prefs);
            }
            self.env().emit_event(PreferencesSet { patient, allowed, opted_out });
            Ok(())
        }

        /// The patient disputes a grant reviewed as justified; its review re-opens. Works while
        /// paused.
        #[ink(message)]
        pub fn dispute_grant(&mut self, grant_id: GrantId) -> Result<()> {
            let mut grant = self.grants.get(grant_id).ok_or(Error::UnknownGrant)?;
            if self.env().caller() != grant.patient {
                return Err(Error::NotAuthorized);
            }
            grant.dispute(self.policy.review_window, self.env().block_timestamp())?;
            self.review_queue.push(grant_id)?;
            self.grants.insert(grant_id, &grant);
            self.env().emit_event(GrantDisputed {
                patient: grant.patient,
                responder: grant.responder,
                grant_id,
                review_due: grant.review_due,
            });
            Ok(())
        }

        // ----- responders ---------------------------------------------------------------

        /// An active responder opens a grant on `patient`'s `categories` for the policy's
        /// duration, with the hash of its off-chain justification (which holds the medical
        /// reason). The grant starts pending review. Refused while paused.
        #[ink(message)]
        pub fn break_glass(
            &mut self,
            patient: AccountId,
            categories: DataCategories,
            justification_hash: Hash32,
        ) -> Result<GrantId> {
            self.ensure_running()?;
            let responder = self.env().caller();
            let now = self.env().block_timestamp();
            let mut record = self.responders.get(responder).ok_or(Error::NotResponder)?;
            let prefs = self.preferences.get(patient).unwrap_or(EmergencyPreferences::DEFAULT);
            data::validate_break(&prefs, patient, responder, categories, &justification_hash)?;
            if let Some(existing) = self.open_grant.get((patient, responder)).and_then(|id| self.grants.get(id)) {
                if existing.is_active(now) {
                    return Err(Error::GrantAlreadyActive);
                }
            }
            let policy = self.policy;
            record.admit_break(&policy, now)?;
            let mut last_grant_id = self.last_grant_id;
            let grant_id = next_id(&mut last_grant_id)?;
            let grant = Grant::open(grant_id, patient, responder, categories, justification_hash, &policy, now);
            record.record_break(grant_id, grant.expires_at, now);
            self.review_queue.push(grant_id)?;
            self.last_grant_id = last_grant_id;
            self.responders.insert(responder, &record);
            self.grants.insert(grant_id, &grant);
            self.open_grant.insert((patient, responder), &grant_id);
            self.env().emit_event(GlassBroken {
                patient,
                responder,
                grant_id,
                categories,
                justification_hash,
                expires_at: grant.expires_at,
                review_due: grant.review_due,
            });
            Ok(grant_id)
        }

        /// The responder ends their own grant before it expires. Works while paused.
        #[ink(message)]
        pub fn end_grant(&mut self, grant_id: GrantId) -> Result<()> {
            let caller = self.env().caller();
            let mut grant = self.grants.get(grant_id).ok_or(Error::UnknownGrant)?;
            if caller != grant.responder {
                return Err(Error::NotAuthorized);
            }
            grant.end(self.env().block_timestamp())?;
            let mut record = self.responders.get(caller).ok_or(Error::NotResponder)?;
            record.release(grant_id);
            self.responders.insert(caller, &record);
            self.close_grant(&grant, caller);
            Ok(())
        }

        // ----- review -------------------------------------------------------------------

        /// An authority other than the responder and the responder's registrar reviews a
        /// grant. Unjustified: the grant ends, the responder gets a strike, and at the strike
        /// limit is suspended. Works while paused.
        #[ink(message)]
        pub fn review_grant(&mut self, grant_id: GrantId, justified: bool, review_hash: Hash32) -> Result<()> {
            let reviewer = self.ensure_authority()?;
            let now = self.env().block_timestamp();
            let mut grant = self.grants.get(grant_id).ok_or(Error::UnknownGrant)?;
            let was_active = grant.is_active(now);
            let mut record = self.responders.get(grant.responder).ok_or(Error::NotResponder)?;
            let strike = grant.review(reviewer, record.registered_by, justified, review_hash, now)?;
            let mut suspended = false;
            if strike {
                suspended = record.add_strike(&self.policy);
                if was_active {
                    record.release(grant_id);
                    self.close_grant(&grant, reviewer);
                } else {
                    self.grants.insert(grant_id, &grant);
                }
                if suspended {
                    self.end_all_grants(&mut record, reviewer);
                }
                self.responders.insert(grant.responder, &record);
            } else {
                self.grants.insert(grant_id, &grant);
            }
            self.review_queue.remove(grant_id);
            self.env().emit_event(GrantReviewed {
                patient: grant.patient,
                responder: grant.responder,
                grant_id,
                justified,
                review_hash,
                reviewer,
                strikes: record.strikes,
            });
            if suspended {
                self.env().emit_event(ResponderSuspended {
                    responder: grant.responder,
                    by: None,
                    strikes: record.strikes,
                });
            }
            Ok(())
        }

        /// Anyone flags a grant whose review is overdue, once, so the lapse is on record.
        /// Works while paused.
        #[ink(message)]
        pub fn flag_overdue(&mut self, grant_id: GrantId) -> Result<()> {
            let mut grant = self.grants.get(grant_id).ok_or(Error::UnknownGrant)?;
            grant.flag_overdue(self.env().block_timestamp())?;
            self.grants.insert(grant_id, &grant);
            self.env().emit_event(ReviewOverdue {
                responder: grant.responder,
                grant_id,
                review_due: grant.review_due,
                flagged_by: self.env().caller(),
            });
            Ok(())
        }

        // ----- reads --------------------------------------------------------------------

        /// One grant by id.
        #[ink(message)]
        pub fn grant(&self, grant_id: GrantId) -> Option<Grant> {
            self.grants.get(grant_id)
        }

        /// A responder's record: status, strikes, reinstatement, rate-limit state.
        #[ink(message)]
        pub fn responder(&self, responder: AccountId) -> Option<Responder> {
            self.responders.get(responder)
        }

        /// Whether `account` is an authority.
        #[ink(message)]
        pub fn is_authority(&self, account: AccountId) -> bool {
            self.authorities.contains(account)
        }

        /// What break-glass may open on the patient's data (the default unless they chose).
        #[ink(message)]
        pub fn emergency_preferences(&self, patient: AccountId) -> EmergencyPreferences {
            self.preferences.get(patient).unwrap_or(EmergencyPreferences::DEFAULT)
        }

        /// Grant duration, review window, rate limits and strike limit.
        #[ink(message)]
        pub fn policy(&self) -> Policy {
            self.policy
        }

        /// How many grants await review.
        #[ink(message)]
        pub fn pending_review_count(&self) -> u32 {
            self.review_queue.len()
        }

        /// Grants awaiting review, `offset..offset + limit` (at most `MAX_PAGE`), each marked
        /// overdue or not at the current block time.
        #[ink(message)]
        pub fn pending_reviews(&self, offset: u32, limit: u32) -> Vec<PendingReview> {
            let now = self.env().block_timestamp();
            self.review_queue
                .page(offset, limit)
                .filter_map(|id| self.grants.get(id))
                .map(|g| PendingReview {
                    grant_id: g.id,
                    patient: g.patient,
                    responder: g.responder,
                    review_due: g.review_due,
                    overdue: g.is_overdue(now),
                })
                .collect()
        }

        // ----- admin --------------------------------------------------------------------

        /// Sets the policy within `Policy::validate`'s bounds (owner only).
        #[ink(message)]
        pub fn set_policy(&mut self, policy: Policy) -> Result<()> {
            self.admin.ensure_owner(self.env().caller())?;
            policy.validate()?;
            self.policy = policy;
            self.env().emit_event(PolicyChanged { policy });
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

        /// The caller is an authority.
        fn ensure_authority(&self) -> Result<AccountId> {
            let caller = self.env().caller();
            if self.authorities.contains(caller) {
                Ok(caller)
            } else {
                Err(Error::NotAuthority)
            }
        }

        /// Stores an ended grant, frees its lookup slot and emits the override-stopped event.
        fn close_grant(&mut self, grant: &Grant, ended_by: AccountId) {
            self.grants.insert(grant.id, grant);
            if self.open_grant.get((grant.patient, grant.responder)) == Some(grant.id) {
                self.open_grant.remove((grant.patient, grant.responder));
            }
            self.env().emit_event(GrantEnded {
                patient: grant.patient,
                responder: grant.responder,
                grant_id: grant.id,
                ended_by,
            });
        }

        /// Ends every still-active grant of a responder (at most `MAX_ACTIVE_GRANTS_CEILING`).
        fn end_all_grants(&mut self, record: &mut Responder, ended_by: AccountId) {
            let now = self.env().block_timestamp();
            for (id, _) in core::mem::take(&mut record.open_grants) {
                if let Some(mut grant) = self.grants.get(id) {
                    if grant.end(now).is_ok() {
                        self.close_grant(&grant, ended_by);
                    }
                }
            }
        }
    }

    impl Administration for BreakGlass {
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

        /// Pauses or resumes what creates access: new grants, responders and reinstatements; ending, reviewing and suspending keep working (owner only).
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

    impl EmergencyAccess for BreakGlass {
        /// Read only; answered even while paused, so emergency care never waits on an admin.
        #[ink(message)]
        fn active_emergency_grant(
            &self,
            patient: AccountId,
            accessor: AccountId,
            categories: DataCategories,
        ) -> Option<GrantId> {
            let grant = self.grants.get(self.open_grant.get((patient, accessor))?)?;
            grant.covers(categories, self.env().block_timestamp()).then_some(grant.id)
        }
    }
}

#[cfg(test)]
mod tests;
