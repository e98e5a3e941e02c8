//! Emergency access as pure state logic: policy bounds, responder rate limits and strikes, the
//! grant lifecycle and its review. No storage, no environment: the contract shell loads,
//! calls these, stores, and emits.
//!
//! Grant lifecycle: a grant is *active* from `started_at` until `expires_at` or until ended
//! (by its responder, by an unjustified review, or by the responder's suspension); expiry is
//! evaluated on read. Its review is independent: *pending* → *justified* | *unjustified*; a
//! patient may dispute a justified review once, which re-opens it for another authority.
//!
//! Separation of duties: no account is both authority and responder (the shell enforces it at
//! registration), and the authority that registered a responder never reviews that
//! responder's grants nor reinstates it — it vouched for the responder, so it cannot judge it.
//!
//! The medical reason for breaking the glass is part of the justification document, held off
//! chain by the responder's organisation: only its hash is stored and published.

use crate::errors::{Error, Result};
use carechain_shared::{DataCategories, GrantId, Hash32, Timestamp, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, ZERO_HASH};
use ink::prelude::vec::Vec;
use ink::primitives::AccountId;

/// Hard ceilings on what the owner may configure; the per-responder lists are sized by them.
pub const MAX_ACTIVE_GRANTS_CEILING: u8 = 8;
pub const MAX_GRANTS_PER_DAY_CEILING: u8 = 32;
pub const MIN_GRANT_DURATION: Timestamp = 5 * MS_PER_MINUTE;
pub const MAX_GRANT_DURATION: Timestamp = 72 * MS_PER_HOUR;
pub const MIN_REVIEW_WINDOW: Timestamp = MS_PER_HOUR;
pub const MAX_REVIEW_WINDOW: Timestamp = 90 * MS_PER_DAY;
pub const MAX_STRIKE_LIMIT: u8 = 10;
/// The rate limit's rolling window.
pub const RATE_WINDOW: Timestamp = MS_PER_DAY;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Policy {
    /// How long a grant lasts unless ended early.
    pub grant_duration: Timestamp,
    /// Time from a grant (or a dispute) until its review is overdue.
    pub review_window: Timestamp,
    /// N: active grants one responder may hold at once.
    pub max_active_grants: u8,
    /// M: grants one responder may open per rolling 24 hours.
    pub max_grants_per_day: u8,
    /// Unjustified reviews after which a responder is suspended automatically.
    pub strike_limit: u8,
}

impl Policy {
    /// Four hours of access, a week to review, 3 concurrent / 10 daily grants, 3 strikes.
    pub const DEFAULT: Policy = Policy {
        grant_duration: 4 * MS_PER_HOUR,
        review_window: 7 * MS_PER_DAY,
        max_active_grants: 3,
        max_grants_per_day: 10,
        strike_limit: 3,
    };

    pub fn validate(&self) -> Result<()> {
        let ok = (MIN_GRANT_DURATION..=MAX_GRANT_DURATION).contains(&self.grant_duration)
            && (MIN_REVIEW_WINDOW..=MAX_REVIEW_WINDOW).contains(&self.review_window)
            && (1..=MAX_ACTIVE_GRANTS_CEILING).contains(&self.max_active_grants)
            && (1..=MAX_GRANTS_PER_DAY_CEILING).contains(&self.max_grants_per_day)
            && self.max_active_grants <= self.max_grants_per_day
            && (1..=MAX_STRIKE_LIMIT).contains(&self.strike_limit);
        if ok {
            Ok(())
        } else {
            Err(Error::InvalidPolicy)
        }
    }
}

/// What break-glass may open for a patient. Without a stored preference only the emergency
/// summary is open, which is what an unconscious patient's clinicians need first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct EmergencyPreferences {
    pub allowed: DataCategories,
    pub opted_out: bool,
}

impl EmergencyPreferences {
    pub const DEFAULT: EmergencyPreferences =
        EmergencyPreferences { allowed: DataCategories::EMERGENCY_SUMMARY, opted_out: false };

    /// Whether `self` opens no more than `old` does: such a change only protects the patient
    /// and is accepted even while the contract is paused.
    pub fn narrows(&self, old: &EmergencyPreferences) -> bool {
        self.opted_out || (!old.opted_out && old.allowed.contains_all(self.allowed))
    }

    pub fn validate(&self) -> Result<()> {
        let ok = self.allowed.is_valid() && (self.opted_out || !self.allowed.is_empty());
        if ok {
            Ok(())
        } else {
            Err(Error::InvalidCategories)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum ResponderStatus {
    Active,
    Suspended,
}

/// The last time a suspended responder was reinstated: by whom, when, and how many strikes
/// it had then. Strikes restart from zero; `total_strikes` keeps the whole record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Reinstatement {
    pub by: AccountId,
    pub at: Timestamp,
    pub strikes_cleared: u8,
}

/// A pre-registered emergency clinician. Credential and organisation are hashes of documents
/// held by the registering authority.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Responder {
    pub credential_hash: Hash32,
    pub organisation_hash: Hash32,
    pub registered_by: AccountId,
    pub status: ResponderStatus,
    /// Unjustified reviews since registration or the last reinstatement, toward the limit.
    pub strikes: u8,
    /// Every unjustified review ever: reinstatement never clears it.
    pub total_strikes: u16,
    pub last_reinstatement: Option<Reinstatement>,
    /// Grants not ended early, with their expiry: at most `MAX_ACTIVE_GRANTS_CEILING`.
    pub open_grants: Vec<(GrantId, Timestamp)>,
    /// Start times of grants within the rate window: at most `MAX_GRANTS_PER_DAY_CEILING`.
    pub recent_breaks: Vec<Timestamp>,
}

impl Responder {
    pub fn new(credential_hash: Hash32, organisation_hash: Hash32, registered_by: AccountId) -> Result<Self> {
        if credential_hash == ZERO_HASH || organisation_hash == ZERO_HASH {
            return Err(Error::ZeroHash);
        }
        Ok(Self {
            credential_hash,
            organisation_hash,
            registered_by,
            status: ResponderStatus::Active,
            strikes: 0,
            total_strikes: 0,
            last_reinstatement: None,
            open_grants: Vec::new(),
            recent_breaks: Vec::new(),
        })
    }

    pub fn ensure_active(&self) -> Result<()> {
        match self.status {
            ResponderStatus::Active => Ok(()),
            ResponderStatus::Suspended => Err(Error::ResponderSuspended),
        }
    }

    /// Forgets expired grants and breaks outside the rate window, then checks both limits.
    pub fn admit_break(&mut self, policy: &Policy, now: Timestamp) -> Result<()> {
        self.ensure_active()?;
        self.open_grants.retain(|(_, expires_at)| now < *expires_at);
        self.recent_breaks.retain(|t| now < t.saturating_add(RATE_WINDOW));
        if self.open_grants.len() >= usize::from(policy.max_active_grants) {
            return Err(Error::ActiveGrantLimit);
        }
        if self.recent_breaks.len() >= usize::from(policy.max_grants_per_day) {
            return Err(Error::DailyGrantLimit);
        }
        Ok(())
    }

    /// Call only after `admit_break` succeeded at the same `now`, so the lists stay bounded.
    pub fn record_break(&mut self, grant_id: GrantId, expires_at: Timestamp, now: Timestamp) {
        self.open_grants.push((grant_id, expires_at));
        self.recent_breaks.push(now);
    }

    pub fn release(&mut self, grant_id: GrantId) {
        self.open_grants.retain(|(id, _)| *id != grant_id);
    }

    /// Adds a strike; returns true when it reaches the limit and suspends the responder.
    pub fn add_strike(&mut self, policy: &Policy) -> bool {
        self.strikes = self.strikes.saturating_add(1);
        self.total_strikes = self.total_strikes.saturating_add(1);
        if self.strikes >= policy.strike_limit && self.status == ResponderStatus::Active {
            self.status = ResponderStatus::Suspended;
            return true;
        }
        false
    }

    pub fn suspend(&mut self) -> Result<()> {
        self.ensure_active()?;
        self.status = ResponderStatus::Suspended;
        Ok(())
    }

    /// Back to active, its strikes toward the limit cleared but its record kept: by an
    /// authority that is neither `responder` itself nor the one that registered it.
    pub fn reinstate(&mut self, responder: AccountId, by: AccountId, now: Timestamp) -> Result<()> {
        if by == responder || by == self.registered_by {
            return Err(Error::ConflictOfInterest);
        }
        if self.status != ResponderStatus::Suspended {
            return Err(Error::ResponderNotSuspended);
        }
        self.last_reinstatement = Some(Reinstatement { by, at: now, strikes_cleared: self.strikes });
        self.status = ResponderStatus::Active;
        self.strikes = 0;
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum ReviewStatus {
    Pending,
    Justified,
    Unjustified,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Grant {
    pub id: GrantId,
    pub patient: AccountId,
    pub responder: AccountId,
    pub categories: DataCategories,
    /// Hash of the off-chain justification (which records the medical reason).
    pub justification_hash: Hash32,
    pub started_at: Timestamp,
    pub expires_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub review: ReviewStatus,
    pub review_due: Timestamp,
    /// The last authority who reviewed it, with the hash of their review record.
    pub reviewer: Option<AccountId>,
    pub review_hash: Option<Hash32>,
    pub disputed: bool,
    pub overdue_flagged: bool,
}

/// Everything a break-glass request must satisfy apart from the responder's own standing.
pub fn validate_break(
    prefs: &EmergencyPreferences,
    patient: AccountId,
    responder: AccountId,
    categories: DataCategories,
    justification_hash: &Hash32,
) -> Result<()> {
    if patient == responder {
        return Err(Error::SelfAccess);
    }
    if prefs.opted_out {
        return Err(Error::PatientOptedOut);
    }
    if !categories.is_valid_nonempty() {
        return Err(Error::InvalidCategories);
    }
    if !prefs.allowed.contains_all(categories) {
        return Err(Error::CategoriesNotAllowed);
    }
    if *justification_hash == ZERO_HASH {
        return Err(Error::ZeroHash);
    }
    Ok(())
}

impl Grant {
    pub fn open(
        id: GrantId,
        patient: AccountId,
        responder: AccountId,
        categories: DataCategories,
        justification_hash: Hash32,
        policy: &Policy,
        now: Timestamp,
    ) -> Self {
        Self {
            id,
            patient,
            responder,
            categories,
            justification_hash,
            started_at: now,
            expires_at: now.saturating_add(policy.grant_duration),
            ended_at: None,
            review: ReviewStatus::Pending,
            review_due: now.saturating_add(policy.review_window),
            reviewer: None,
            review_hash: None,
            disputed: false,
            overdue_flagged: false,
        }
    }

    pub fn is_active(&self, now: Timestamp) -> bool {
        self.ended_at.is_none() && now < self.expires_at
    }

    pub fn covers(&self, categories: DataCategories, now: Timestamp) -> bool {
        self.is_active(now) && categories.is_valid_nonempty() && self.categories.contains_all(categories)
    }

    pub fn end(&mut self, now: Timestamp) -> Result<()> {
        if !self.is_active(now) {
            return Err(Error::GrantNotActive);
        }
        self.ended_at = Some(now);
        Ok(())
    }

    /// Records a review by `reviewer`, an authority that is neither the responder nor the one
    /// that registered it (`registered_by`). An unjustified verdict also ends the grant if it
    /// is still active. Returns whether a strike is due. Late reviews are accepted: the window
    /// only decides when a review becomes overdue, and an overdue grant must still be reviewable.
    pub fn review(
        &mut self,
        reviewer: AccountId,
        registered_by: AccountId,
        justified: bool,
        review_hash: Hash32,
        now: Timestamp,
    ) -> Result<bool> {
        if reviewer == self.responder {
            return Err(Error::SelfReview);
        }
        if reviewer == registered_by {
            return Err(Error::ConflictOfInterest);
        }
        if self.review != ReviewStatus::Pending {
            return Err(Error::AlreadyReviewed);
        }
        if self.disputed && self.reviewer == Some(reviewer) {
            return Err(Error::SameReviewer);
        }
        if review_hash == ZERO_HASH {
            return Err(Error::ZeroHash);
        }
        self.reviewer = Some(reviewer);
        self.review_hash = Some(review_hash);
        self.overdue_flagged = false;
        if justified {
            self.review = ReviewStatus::Justified;
            return Ok(false);
        }
        self.review = ReviewStatus::Unjustified;
        if self.is_active(now) {
            self.ended_at = Some(now);
        }
        Ok(true)
    }

    pub fn is_overdue(&self, now: Timestamp) -> bool {
        self.review == ReviewStatus::Pending && now >= self.review_due
    }

    pub fn flag_overdue(&mut self, now: Timestamp) -> Result<()> {
        if !self.is_overdue(now) {
            return Err(Error::ReviewNotOverdue);
        }
        if self.overdue_flagged {
            return Err(Error::AlreadyFlagged);
        }
        self.overdue_flagged = true;
        Ok(())
    }

    /// The patient disputes a justified review once; the review re-opens with a fresh window.
    pub fn dispute(&mut self, review_window: Timestamp, now: Timestamp) -> Result<()> {
        if self.disputed {
            return Err(Error::AlreadyDisputed);
        }
        if self.review != ReviewStatus::Justified {
            return Err(Error::NotDisputable);
        }
        self.disputed = true;
        self.review = ReviewStatus::Pending;
        self.review_due = now.saturating_add(review_window);
        self.overdue_flagged = false;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::arithmetic_side_effects, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NOW: Timestamp = 1_700_000_000_000;
    /// The authority that registered the test responder.
    const REG: AccountId = AccountId([9; 32]);

    fn acct(b: u8) -> AccountId {
        AccountId::from([b; 32])
    }

    fn grant(now: Timestamp) -> Grant {
        Grant::open(1, acct(1), acct(2), DataCategories::EMERGENCY_SUMMARY, [5; 32], &Policy::DEFAULT, now)
    }

    #[test]
    fn default_policy_is_valid_and_bounds_hold() {
        assert_eq!(Policy::DEFAULT.validate(), Ok(()));
        let bad = [
            Policy { grant_duration: MIN_GRANT_DURATION - 1, ..Policy::DEFAULT },
            Policy { grant_duration: MAX_GRANT_DURATION + 1, ..Policy::DEFAULT },
            Policy { review_window: MIN_REVIEW_WINDOW - 1, ..Policy::DEFAULT },
            Policy { review_window: MAX_REVIEW_WINDOW + 1, ..Policy::DEFAULT },
            Policy { max_active_grants: 0, ..Policy::DEFAULT },
            Policy { max_active_grants: MAX_ACTIVE_GRANTS_CEILING + 1, max_grants_per_day: 32, ..Policy::DEFAULT },
            Policy { max_grants_per_day: 0, ..Policy::DEFAULT },
            Policy { max_grants_per_day: MAX_GRANTS_PER_DAY_CEILING + 1, ..Policy::DEFAULT },
            Policy { max_active_grants: 5, max_grants_per_day: 4, ..Policy::DEFAULT },
            Policy { strike_limit: 0, ..Policy::DEFAULT },
            Policy { strike_limit: MAX_STRIKE_LIMIT + 1, ..Policy::DEFAULT },
        ];
        for p in bad {
            assert_eq!(p.validate(), Err(Error::InvalidPolicy), "{p:?}");
        }
    }

    #[test]
    fn preferences_default_to_emergency_summary() {
        let d = EmergencyPreferences::DEFAULT;
        assert_eq!(validate_break(&d, acct(1), acct(2), DataCategories::EMERGENCY_SUMMARY, &[1; 32]), Ok(()));
        assert_eq!(
            validate_break(&d, acct(1), acct(2), DataCategories::MEDICATIONS, &[1; 32]),
            Err(Error::CategoriesNotAllowed)
        );
        let out = EmergencyPreferences { opted_out: true, ..d };
        assert_eq!(
            validate_break(&out, acct(1), acct(2), DataCategories::EMERGENCY_SUMMARY, &[1; 32]),
            Err(Error::PatientOptedOut)
        );
        assert_eq!(
            validate_break(&d, acct(1), acct(1), DataCategories::EMERGENCY_SUMMARY, &[1; 32]),
            Err(Error::SelfAccess)
        );
        assert_eq!(validate_break(&d, acct(1), acct(2), DataCategories::NONE, &[1; 32]), Err(Error::InvalidCategories));
        assert_eq!(
            validate_break(&d, acct(1), acct(2), DataCategories::EMERGENCY_SUMMARY, &ZERO_HASH),
            Err(Error::ZeroHash)
        );
        assert_eq!(
            EmergencyPreferences { allowed: DataCategories::NONE, opted_out: false }.validate(),
            Err(Error::InvalidCategories)
        );
        assert_eq!(
            EmergencyPreferences { allowed: DataCategories(1 << 15), opted_out: true }.validate(),
            Err(Error::InvalidCategories)
        );
        assert_eq!(EmergencyPreferences { allowed: DataCategories::NONE, opted_out: true }.validate(), Ok(()));
    }

    #[test]
    fn preferences_narrow_or_widen() {
        let d = EmergencyPreferences::DEFAULT;
        let wider = EmergencyPreferences {
            allowed: DataCategories::EMERGENCY_SUMMARY.union(DataCategories::ALLERGIES),
            opted_out: false,
        };
        let out = EmergencyPreferences { allowed: DataCategories::NONE, opted_out: true };
        assert!(d.narrows(&wider) && out.narrows(&d) && out.narrows(&out) && d.narrows(&d));
        assert!(!wider.narrows(&d), "more categories");
        assert!(!d.narrows(&out), "opting back in");
    }

    #[test]
    fn grant_expires_on_read_and_ends_once() {
        let mut g = grant(NOW);
        let d = Policy::DEFAULT.grant_duration;
        assert!(g.covers(DataCategories::EMERGENCY_SUMMARY, NOW + d - 1));
        assert!(!g.covers(DataCategories::EMERGENCY_SUMMARY, NOW + d));
        assert!(!g.covers(DataCategories::EMERGENCY_SUMMARY.union(DataCategories::GENOMICS), NOW));
        assert!(!g.covers(DataCategories::NONE, NOW));
        assert_eq!(g.end(NOW + d), Err(Error::GrantNotActive));
        assert_eq!(g.end(NOW + 1), Ok(()));
        assert!(!g.is_active(NOW + 2));
        assert_eq!(g.end(NOW + 2), Err(Error::GrantNotActive));
    }

    #[test]
    fn review_rules() {
        let mut g = grant(NOW);
        assert_eq!(g.review(acct(2), REG, true, [1; 32], NOW), Err(Error::SelfReview));
        assert_eq!(g.review(REG, REG, true, [1; 32], NOW), Err(Error::ConflictOfInterest), "its own registrar");
        assert_eq!(g.review(acct(3), REG, true, ZERO_HASH, NOW), Err(Error::ZeroHash));
        assert_eq!(g.review(acct(3), REG, false, [1; 32], NOW + 1), Ok(true));
        assert_eq!(g.ended_at, Some(NOW + 1), "unjustified ends the grant");
        assert_eq!(g.review(acct(4), REG, true, [1; 32], NOW), Err(Error::AlreadyReviewed));
        assert_eq!(g.dispute(MS_PER_DAY, NOW), Err(Error::NotDisputable));
    }

    #[test]
    fn dispute_reopens_once_for_another_reviewer() {
        let mut g = grant(NOW);
        assert_eq!(g.dispute(MS_PER_DAY, NOW), Err(Error::NotDisputable), "pending cannot be disputed");
        assert_eq!(g.review(acct(3), REG, true, [1; 32], NOW), Ok(false));
        assert_eq!(g.dispute(MS_PER_DAY, NOW + 10), Ok(()));
        assert_eq!(g.review, ReviewStatus::Pending);
        assert_eq!(g.review_due, NOW + 10 + MS_PER_DAY);
        assert_eq!(g.review(acct(3), REG, true, [1; 32], NOW), Err(Error::SameReviewer));
        assert_eq!(g.review(acct(4), REG, false, [2; 32], NOW + 20), Ok(true));
        assert_eq!(g.dispute(MS_PER_DAY, NOW), Err(Error::AlreadyDisputed));
    }

    #[test]
    fn overdue_flagging() {
        let mut g = grant(NOW);
        let due = NOW + Policy::DEFAULT.review_window;
        assert_eq!(g.flag_overdue(due - 1), Err(Error::ReviewNotOverdue));
        assert_eq!(g.flag_overdue(due), Ok(()));
        assert_eq!(g.flag_overdue(due), Err(Error::AlreadyFlagged));
        g.review(acct(3), REG, true, [1; 32], due).unwrap();
        assert_eq!(g.flag_overdue(due + 1), Err(Error::ReviewNotOverdue));
    }

    #[test]
    fn rate_limits() {
        let policy = Policy { max_active_grants: 2, max_grants_per_day: 3, ..Policy::DEFAULT };
        let mut r = Responder::new([1; 32], [2; 32], acct(9)).unwrap();
        let d = policy.grant_duration;
        for i in 0..2 {
            r.admit_break(&policy, NOW + i).unwrap();
            r.record_break(i, NOW + i + d, NOW + i);
        }
        assert_eq!(r.admit_break(&policy, NOW + 2), Err(Error::ActiveGrantLimit));
        r.release(0);
        r.admit_break(&policy, NOW + 2).unwrap();
        r.record_break(2, NOW + 2 + d, NOW + 2);
        r.release(1);
        assert_eq!(r.admit_break(&policy, NOW + 3), Err(Error::DailyGrantLimit));
        // The window rolls: a day after the first break, one slot frees.
        assert_eq!(r.admit_break(&policy, NOW + RATE_WINDOW), Ok(()));
        assert_eq!(r.recent_breaks.len(), 2);
        assert!(r.open_grants.is_empty(), "expired grants are forgotten");
    }

    #[test]
    fn strikes_suspend_and_reinstate_resets() {
        let mut r = Responder::new([1; 32], [2; 32], acct(9)).unwrap();
        assert!(!r.add_strike(&Policy::DEFAULT));
        assert!(!r.add_strike(&Policy::DEFAULT));
        assert!(r.add_strike(&Policy::DEFAULT));
        assert_eq!(r.status, ResponderStatus::Suspended);
        assert_eq!(r.admit_break(&Policy::DEFAULT, NOW), Err(Error::ResponderSuspended));
        assert_eq!(r.suspend(), Err(Error::ResponderSuspended));
        let me = acct(2);
        assert_eq!(r.reinstate(me, me, NOW), Err(Error::ConflictOfInterest), "itself");
        assert_eq!(r.reinstate(me, acct(9), NOW), Err(Error::ConflictOfInterest), "its registrar");
        r.reinstate(me, acct(4), NOW).unwrap();
        assert_eq!((r.status, r.strikes, r.total_strikes), (ResponderStatus::Active, 0, 3));
        assert_eq!(r.last_reinstatement, Some(Reinstatement { by: acct(4), at: NOW, strikes_cleared: 3 }));
        assert_eq!(r.reinstate(me, acct(4), NOW), Err(Error::ResponderNotSuspended));
        r.add_strike(&Policy::DEFAULT);
        assert_eq!((r.strikes, r.total_strikes), (1, 4), "the record keeps counting");
        assert_eq!(Responder::new(ZERO_HASH, [2; 32], acct(9)), Err(Error::ZeroHash));
    }

    #[derive(Debug, Clone)]
    enum Op {
        End(u64),
        Review(u8, bool, u64),
        Flag(u64),
        Dispute(u64),
    }

    fn arb_op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u64..MS_PER_DAY * 20).prop_map(Op::End),
            (1u8..5, any::<bool>(), 0u64..MS_PER_DAY * 20).prop_map(|(r, j, t)| Op::Review(r, j, t)),
            (0u64..MS_PER_DAY * 20).prop_map(Op::Flag),
            (0u64..MS_PER_DAY * 20).prop_map(Op::Dispute),
        ]
    }

    proptest! {
        /// Whatever sequence of operations is tried (failures leave the grant untouched):
        /// a grant never outlives its expiry, never re-activates once ended, is never
        /// reviewed by its responder, and is disputed at most once.
        #[test]
        fn grant_invariants(ops in proptest::collection::vec(arb_op(), 0..20), probe in 0u64..MS_PER_DAY * 20) {
            let mut g = grant(NOW);
            let mut was_ended_at: Option<Timestamp> = None;
            for op in ops {
                let before = g.clone();
                let result = match op {
                    Op::End(t) => g.end(NOW + t),
                    Op::Review(r, j, t) => g.review(acct(r), REG, j, [7; 32], NOW + t).map(|strike| {
                        // An unjustified verdict leaves no access behind, from the moment it is given.
                        assert_eq!(strike, !j);
                        assert!(j || !g.is_active(NOW + t));
                    }),
                    Op::Flag(t) => g.flag_overdue(NOW + t),
                    Op::Dispute(t) => g.dispute(MS_PER_DAY, NOW + t),
                };
                if result.is_err() {
                    prop_assert_eq!(&g, &before, "a refused operation changed the grant");
                }
                if let Some(e) = was_ended_at {
                    prop_assert_eq!(g.ended_at, Some(e), "ended_at never changes once set");
                }
                was_ended_at = g.ended_at;
                prop_assert_ne!(g.reviewer, Some(acct(2)));
            }
            prop_assert!(!g.is_active(g.expires_at + probe));
            if let Some(e) = g.ended_at {
                prop_assert!(!g.is_active(e + probe));
            }
        }

        /// The responder's lists never exceed the policy's limits, whatever the timing.
        #[test]
        fn responder_lists_stay_bounded(steps in proptest::collection::vec((0u64..MS_PER_HOUR * 6, any::<bool>()), 0..80)) {
            let policy = Policy::DEFAULT;
            let mut r = Responder::new([1; 32], [2; 32], acct(9)).unwrap();
            let mut now = NOW;
            for (i, (dt, end_one)) in steps.into_iter().enumerate() {
                now += dt;
                if end_one {
                    if let Some((id, _)) = r.open_grants.first().copied() { r.release(id); }
                }
                if r.admit_break(&policy, now).is_ok() {
                    r.record_break(i as u64, now + policy.grant_duration, now);
                }
                prop_assert!(r.open_grants.len() <= usize::from(policy.max_active_grants));
                prop_assert!(r.recent_breaks.len() <= usize::from(policy.max_grants_per_day));
            }
        }
    }
}
