//! The consent model, policy evaluation and research bookkeeping, as pure functions over plain
//! values: no storage, no environment. The contract shell loads records, calls these, and
//! stores what they return.
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
//!
//! Delegates act for the patient but never beyond the patient's own grant to them: a consent a
//! delegate grants ends no later than the delegation, and a delegate lifts only deny rules (and
//! researcher blocks) it created itself, never one that covers it.

use crate::errors::{Error, Result};
use carechain_shared::{
    AccessDecision, ConsentId, DataCategories, DenyReason, DenyRuleId, Hash32, Period, Purpose, PurposeSet, StudyId,
    Timestamp, MS_PER_DAY, ZERO_HASH,
};
use ink::prelude::vec::Vec;
use ink::primitives::AccountId;

/// Consents evaluated per (patient, accessor): check_access never reads more than this.
pub const MAX_ACTIVE_CONSENTS_PER_PAIR: usize = 8;
/// Consents stored per patient, revoked and expired ones included until purged.
pub const MAX_CONSENTS_PER_PATIENT: usize = 64;
pub const MAX_DENY_RULES_PER_PATIENT: usize = 16;
pub const MAX_DELEGATES_PER_PATIENT: usize = 4;
/// Research requests awaiting one patient's answer, all researchers together.
pub const MAX_PENDING_REQUESTS_PER_PATIENT: usize = 16;
/// Studies one patient denied that are still cooling down. When full, the one that would end
/// soonest makes room: a denial must never be refused.
pub const MAX_COOLDOWNS_PER_PATIENT: usize = 16;
pub const MAX_BATCH_REQUEST: usize = 16;
/// Ten years: longer consents are almost certainly a unit mistake (seconds for milliseconds).
pub const MAX_CONSENT_DURATION: Timestamp = 3_650 * MS_PER_DAY;
pub const MAX_DELEGATION_DURATION: Timestamp = 3_650 * MS_PER_DAY;
pub const MAX_STUDY_DURATION: Timestamp = 3_650 * MS_PER_DAY;

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

    /// Whether ending `by`'s authority at `end` must revoke this consent: it was granted by
    /// `by`, is not revoked, and would still permit at or after `end`.
    pub fn outlives_grantor(&self, by: AccountId, end: Timestamp) -> bool {
        self.granted_by == by && self.revoked_at.is_none() && self.period.until > end
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

/// Who is acting for a patient: the patient, or a delegate whose appointment runs until
/// `expires_at` (and whose grants must end by then).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Patient,
    Delegate { account: AccountId, expires_at: Timestamp },
}

impl Actor {
    /// The account acting.
    pub const fn account(self, patient: AccountId) -> AccountId {
        match self {
            Actor::Patient => patient,
            Actor::Delegate { account, .. } => account,
        }
    }

    /// Ends `until` no later than this actor's authority.
    pub fn cap(self, until: Timestamp) -> Timestamp {
        match self {
            Actor::Patient => until,
            Actor::Delegate { expires_at, .. } => until.min(expires_at),
        }
    }

    /// A patient lifts any of their rules; a delegate only one it created that does not bind it.
    pub fn may_lift(self, created_by: AccountId, binds_actor: bool) -> Result<()> {
        match self {
            Actor::Patient => Ok(()),
            Actor::Delegate { account, .. } if created_by == account && !binds_actor => Ok(()),
            Actor::Delegate { .. } => Err(Error::DelegateCannotLift),
        }
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

// ----- research -------------------------------------------------------------------------------

/// Where a study stands with its ethics committee. Only an approved study may ask patients or
/// be joined; an approver (or the researcher) can suspend it at any time, an approver re-approve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum StudyStatus {
    /// Registered by its researcher, awaiting an ethics approver.
    Proposed,
    /// Approved by `approver`, who holds the approval record `approval_hash` off chain.
    Approved { approver: AccountId, approval_hash: Hash32, approved_at: Timestamp },
    /// Suspended by an ethics approver or its researcher: no requests, answers or joins.
    Suspended { by: AccountId, at: Timestamp },
}

/// A research study; its categories and end bound every consent it yields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Study {
    pub id: StudyId,
    pub researcher: AccountId,
    pub protocol_hash: Hash32,
    pub categories: DataCategories,
    pub registered_at: Timestamp,
    pub ends_at: Timestamp,
    pub status: StudyStatus,
}

impl Study {
    pub const fn has_ended(&self, now: Timestamp) -> bool {
        now >= self.ends_at
    }

    /// May patients be asked about, answer, or join this study now?
    pub fn ensure_recruiting(&self, now: Timestamp) -> Result<()> {
        if self.has_ended(now) {
            return Err(Error::StudyEnded);
        }
        match self.status {
            StudyStatus::Approved { .. } => Ok(()),
            _ => Err(Error::StudyNotApproved),
        }
    }

    /// An ethics approver other than the researcher approves (or re-approves after a suspension).
    pub fn approve(&mut self, approver: AccountId, approval_hash: Hash32, now: Timestamp) -> Result<()> {
        if approver == self.researcher {
            return Err(Error::ConflictOfInterest);
        }
        validate_hash(&approval_hash)?;
        if self.has_ended(now) {
            return Err(Error::StudyEnded);
        }
        if matches!(self.status, StudyStatus::Approved { .. }) {
            return Err(Error::Unchanged);
        }
        self.status = StudyStatus::Approved { approver, approval_hash, approved_at: now };
        Ok(())
    }

    pub fn suspend(&mut self, by: AccountId, now: Timestamp) -> Result<()> {
        if matches!(self.status, StudyStatus::Suspended { .. }) {
            return Err(Error::Unchanged);
        }
        self.status = StudyStatus::Suspended { by, at: now };
        Ok(())
    }
}

pub fn validate_study(
    protocol_hash: &Hash32,
    categories: DataCategories,
    ends_at: Timestamp,
    now: Timestamp,
) -> Result<()> {
    validate_hash(protocol_hash)?;
    validate_categories(categories)?;
    Period::from_now(now, ends_at, MAX_STUDY_DURATION)?;
    Ok(())
}

/// The research consent a patient's approval (or joining) creates: research purpose only, the
/// study's categories only, from now until the study ends — or until the acting delegate's
/// appointment ends, if that is sooner.
pub fn research_consent(
    id: ConsentId,
    study: &Study,
    patient: AccountId,
    actor: Actor,
    document_hash: &Hash32,
    now: Timestamp,
) -> Result<Consent> {
    study.ensure_recruiting(now)?;
    let granted_by = actor.account(patient);
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
        period: Period { from: now, until: actor.cap(study.ends_at) },
        document_hash: *document_hash,
        granted_by,
        study_id: Some(study.id),
        revoked_at: None,
    })
}

/// How research requests behave, set by the owner within bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct ResearchPolicy {
    /// An unanswered request lapses after this long.
    pub request_ttl: Timestamp,
    /// After a patient denies a study, that study cannot ask that patient again for this long.
    pub denial_cooldown: Timestamp,
    /// Pending requests one researcher may hold in one patient's inbox, all studies together.
    pub max_pending_per_researcher: u8,
}

pub const MIN_REQUEST_TTL: Timestamp = MS_PER_DAY;
pub const MAX_REQUEST_TTL: Timestamp = 90 * MS_PER_DAY;
pub const MIN_DENIAL_COOLDOWN: Timestamp = 30 * MS_PER_DAY;
pub const MAX_DENIAL_COOLDOWN: Timestamp = 3 * 365 * MS_PER_DAY;

impl ResearchPolicy {
    /// 30 days to answer, 180 days of quiet after a denial, 4 of the 16 inbox slots per researcher.
    pub const DEFAULT: ResearchPolicy = ResearchPolicy {
        request_ttl: 30 * MS_PER_DAY,
        denial_cooldown: 180 * MS_PER_DAY,
        max_pending_per_researcher: 4,
    };

    /// A share of at most half the inbox, so no single researcher can fill it.
    pub fn validate(&self) -> Result<()> {
        let half = MAX_PENDING_REQUESTS_PER_PATIENT / 2;
        let ok = (MIN_REQUEST_TTL..=MAX_REQUEST_TTL).contains(&self.request_ttl)
            && (MIN_DENIAL_COOLDOWN..=MAX_DENIAL_COOLDOWN).contains(&self.denial_cooldown)
            && (1..=half).contains(&usize::from(self.max_pending_per_researcher));
        if ok {
            Ok(())
        } else {
            Err(Error::InvalidPolicy)
        }
    }
}

/// A researcher's request for one patient's consent to a study (FHIR R4 Consent `proposed`).
/// There is at most one per (study, patient): it lives in the patient's inbox, keyed by study.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct PendingRequest {
    pub study_id: StudyId,
    pub researcher: AccountId,
    pub requested_at: Timestamp,
    pub expires_at: Timestamp,
}

impl PendingRequest {
    /// Expiry is evaluated on read: a request past its TTL can no longer be answered.
    pub const fn is_lapsed(&self, now: Timestamp) -> bool {
        now >= self.expires_at
    }
}

/// A study the patient denied, which may not ask again before `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Cooldown {
    pub study_id: StudyId,
    pub until: Timestamp,
}

/// One patient's research inbox: the requests awaiting an answer and the studies cooling
/// down after a denial. Both lists are bounded; every rule about requests is here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Inbox {
    pub pending: Vec<PendingRequest>,
    pub cooldowns: Vec<Cooldown>,
}

impl Inbox {
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty() && self.cooldowns.is_empty()
    }

    pub fn find(&self, study_id: StudyId) -> Option<&PendingRequest> {
        self.pending.iter().find(|r| r.study_id == study_id)
    }

    /// Files `study`'s request, dropping lapsed requests and ended cool-downs on the way.
    /// Refused while the study cools down after a denial, while it already has a live request
    /// here, when its researcher holds its share of the inbox, or when the inbox is full.
    pub fn request(&mut self, study: &Study, now: Timestamp, policy: &ResearchPolicy) -> Result<PendingRequest> {
        if self.cooldowns.iter().any(|c| c.study_id == study.id && now < c.until) {
            return Err(Error::CoolingDown);
        }
        let live = || self.pending.iter().filter(|r| !r.is_lapsed(now));
        if live().any(|r| r.study_id == study.id) {
            return Err(Error::AlreadyRequested);
        }
        if live().filter(|r| r.researcher == study.researcher).count() >= usize::from(policy.max_pending_per_researcher)
        {
            return Err(Error::ResearcherShareReached);
        }
        if live().count() >= MAX_PENDING_REQUESTS_PER_PATIENT {
            return Err(Error::CapacityReached);
        }
        // Admitted: only now drop what lapsed or ended (a lapsed request of this study too).
        self.cooldowns.retain(|c| now < c.until);
        self.pending.retain(|r| !r.is_lapsed(now));
        let request = PendingRequest {
            study_id: study.id,
            researcher: study.researcher,
            requested_at: now,
            expires_at: now.saturating_add(policy.request_ttl),
        };
        self.pending.push(request);
        Ok(request)
    }

    /// Takes `study_id`'s request out to answer it; a lapsed one stays (to be purged).
    pub fn take_answerable(&mut self, study_id: StudyId, now: Timestamp) -> Result<PendingRequest> {
        let pos = self.pending.iter().position(|r| r.study_id == study_id).ok_or(Error::UnknownRequest)?;
        if self.pending.get(pos).is_some_and(|r| r.is_lapsed(now)) {
            return Err(Error::RequestExpired);
        }
        Ok(self.pending.remove(pos))
    }

    /// The patient denies `study_id`'s request: it leaves the inbox and the study cools down.
    /// Never refused for want of room: the cool-down ending soonest makes way.
    pub fn deny(&mut self, study_id: StudyId, now: Timestamp, policy: &ResearchPolicy) -> Result<PendingRequest> {
        let request = self.take_answerable(study_id, now)?;
        self.cooldowns.retain(|c| now < c.until && c.study_id != study_id);
        if self.cooldowns.len() >= MAX_COOLDOWNS_PER_PATIENT {
            if let Some(pos) = self.cooldowns.iter().enumerate().min_by_key(|(_, c)| c.until).map(|(i, _)| i) {
                self.cooldowns.remove(pos);
            }
        }
        self.cooldowns.push(Cooldown { study_id, until: now.saturating_add(policy.denial_cooldown) });
        Ok(request)
    }

    /// Removes `study_id`'s request, lapsed or not (the researcher withdrawing it).
    pub fn withdraw(&mut self, study_id: StudyId) -> Result<PendingRequest> {
        let pos = self.pending.iter().position(|r| r.study_id == study_id).ok_or(Error::UnknownRequest)?;
        Ok(self.pending.remove(pos))
    }

    /// Removes every request of `researcher` (the patient blocked them); returns how many.
    pub fn drop_researcher(&mut self, researcher: AccountId) -> u32 {
        let before = self.pending.len();
        self.pending.retain(|r| r.researcher != researcher);
        dropped(before, self.pending.len())
    }

    /// Removes lapsed requests and ended cool-downs; returns how many of each.
    pub fn purge(&mut self, now: Timestamp) -> (u32, u32) {
        let (requests, cooldowns) = (self.pending.len(), self.cooldowns.len());
        self.pending.retain(|r| !r.is_lapsed(now));
        self.cooldowns.retain(|c| now < c.until);
        (dropped(requests, self.pending.len()), dropped(cooldowns, self.cooldowns.len()))
    }
}

/// How a research request left the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub enum RequestOutcome {
    /// The patient (or a delegate) approved; this research consent was created.
    Approved(ConsentId),
    /// The patient (or a delegate) denied; the study cools down for this patient.
    Denied,
    /// The researcher took the request back.
    Withdrawn,
}

/// How much `purge_expired` freed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct PurgeReport {
    pub consents: u32,
    pub deny_rules: u32,
    pub delegates: u32,
    /// Lapsed research requests and ended cool-downs.
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
        let lift = |r: &DenyRule| delegate.may_lift(r.created_by, r.covers(me));
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

    fn study(status: StudyStatus) -> Study {
        Study {
            id: 4,
            researcher: acct(8),
            protocol_hash: [1; 32],
            categories: DataCategories(LAB),
            registered_at: 0,
            ends_at: NOW + 100,
            status,
        }
    }

    fn approved() -> StudyStatus {
        StudyStatus::Approved { approver: acct(20), approval_hash: [2; 32], approved_at: 0 }
    }

    #[test]
    fn research_consent_is_narrow_and_needs_an_approved_study() {
        let s = study(approved());
        let c = research_consent(11, &s, acct(1), Actor::Patient, &[3; 32], NOW).unwrap();
        assert_eq!(c.accessor, acct(8));
        assert_eq!(c.purposes, PurposeSet::of(Purpose::Research));
        assert_eq!(c.categories, DataCategories(LAB));
        assert_eq!(c.period, Period { from: NOW, until: NOW + 100 });
        assert_eq!(c.study_id, Some(4));
        let by_delegate = Actor::Delegate { account: acct(5), expires_at: NOW + 30 };
        let d = research_consent(12, &s, acct(1), by_delegate, &[3; 32], NOW).unwrap();
        assert_eq!((d.period.until, d.granted_by), (NOW + 30, acct(5)), "ends with the delegation");
        assert_eq!(research_consent(11, &s, acct(1), Actor::Patient, &[3; 32], NOW + 100), Err(Error::StudyEnded));
        assert_eq!(research_consent(11, &s, acct(8), Actor::Patient, &[3; 32], NOW), Err(Error::GrantToSelf));
        assert_eq!(research_consent(11, &s, acct(1), Actor::Patient, &ZERO_HASH, NOW), Err(Error::ZeroHash));
        for status in [StudyStatus::Proposed, StudyStatus::Suspended { by: acct(20), at: 0 }] {
            assert_eq!(
                research_consent(11, &study(status), acct(1), Actor::Patient, &[3; 32], NOW),
                Err(Error::StudyNotApproved)
            );
        }
    }

    #[test]
    fn ethics_approval_rules() {
        let mut s = study(StudyStatus::Proposed);
        assert_eq!(s.approve(acct(8), [2; 32], NOW), Err(Error::ConflictOfInterest), "researcher approving itself");
        assert_eq!(s.approve(acct(20), ZERO_HASH, NOW), Err(Error::ZeroHash));
        assert_eq!(s.approve(acct(20), [2; 32], NOW + 100), Err(Error::StudyEnded));
        assert_eq!(s.approve(acct(20), [2; 32], NOW), Ok(()));
        assert_eq!(s.ensure_recruiting(NOW), Ok(()));
        assert_eq!(s.approve(acct(21), [3; 32], NOW), Err(Error::Unchanged));
        assert_eq!(s.suspend(acct(21), NOW), Ok(()));
        assert_eq!(s.ensure_recruiting(NOW), Err(Error::StudyNotApproved));
        assert_eq!(s.suspend(acct(21), NOW), Err(Error::Unchanged));
        assert_eq!(s.approve(acct(21), [3; 32], NOW), Ok(()), "re-approval after a suspension");
    }

    const POLICY: ResearchPolicy = ResearchPolicy::DEFAULT;

    fn study_of(id: u64, researcher: u8) -> Study {
        Study { id, researcher: acct(researcher), ..study(approved()) }
    }

    #[test]
    fn one_request_per_study_lapses_and_can_be_renewed() {
        let mut inbox = Inbox::default();
        let r = inbox.request(&study_of(1, 8), NOW, &POLICY).unwrap();
        assert_eq!(r.expires_at, NOW + POLICY.request_ttl);
        assert_eq!(inbox.request(&study_of(1, 8), NOW + 1, &POLICY), Err(Error::AlreadyRequested));
        let lapse = NOW + POLICY.request_ttl;
        assert_eq!(inbox.clone().take_answerable(1, lapse), Err(Error::RequestExpired));
        // Re-requesting after the lapse replaces the lapsed request: still one per study.
        inbox.request(&study_of(1, 8), lapse, &POLICY).unwrap();
        assert_eq!(inbox.pending.len(), 1);
        assert_eq!(inbox.find(1).map(|r| r.requested_at), Some(lapse));
        assert_eq!(inbox.withdraw(1).map(|r| r.study_id), Ok(1));
        assert_eq!(inbox.withdraw(1), Err(Error::UnknownRequest));
    }

    #[test]
    fn a_denied_study_cools_down() {
        let mut inbox = Inbox::default();
        inbox.request(&study_of(1, 8), NOW, &POLICY).unwrap();
        assert_eq!(inbox.deny(1, NOW + 1, &POLICY).map(|r| r.study_id), Ok(1));
        assert_eq!(inbox.request(&study_of(1, 8), NOW + 2, &POLICY), Err(Error::CoolingDown));
        let over = NOW + 1 + POLICY.denial_cooldown;
        assert_eq!(inbox.request(&study_of(1, 8), over - 1, &POLICY), Err(Error::CoolingDown));
        assert!(inbox.request(&study_of(1, 8), over, &POLICY).is_ok());
        assert!(inbox.cooldowns.is_empty(), "the ended cool-down was dropped on the way");
    }

    #[test]
    fn one_researcher_holds_at_most_its_share() {
        let mut inbox = Inbox::default();
        for id in 0..u64::from(POLICY.max_pending_per_researcher) {
            inbox.request(&study_of(id, 8), NOW, &POLICY).unwrap();
        }
        assert_eq!(inbox.request(&study_of(99, 8), NOW, &POLICY), Err(Error::ResearcherShareReached));
        // Others still get through until the inbox is full.
        let mut n = 100;
        while inbox.pending.len() < MAX_PENDING_REQUESTS_PER_PATIENT {
            let researcher = 30 + u8::try_from(n % 20).unwrap();
            if inbox.request(&study_of(n, researcher), NOW, &POLICY).is_err() {
                break;
            }
            n += 1;
        }
        assert_eq!(inbox.pending.len(), MAX_PENDING_REQUESTS_PER_PATIENT);
        assert_eq!(inbox.request(&study_of(999, 77), NOW, &POLICY), Err(Error::CapacityReached));
        assert_eq!(inbox.drop_researcher(acct(8)), u32::from(POLICY.max_pending_per_researcher));
        assert!(inbox.request(&study_of(999, 77), NOW, &POLICY).is_ok());
    }

    #[test]
    fn policy_bounds() {
        assert_eq!(ResearchPolicy::DEFAULT.validate(), Ok(()));
        for bad in [
            ResearchPolicy { request_ttl: MIN_REQUEST_TTL - 1, ..POLICY },
            ResearchPolicy { request_ttl: MAX_REQUEST_TTL + 1, ..POLICY },
            ResearchPolicy { denial_cooldown: MIN_DENIAL_COOLDOWN - 1, ..POLICY },
            ResearchPolicy { denial_cooldown: MAX_DENIAL_COOLDOWN + 1, ..POLICY },
            ResearchPolicy { max_pending_per_researcher: 0, ..POLICY },
            ResearchPolicy { max_pending_per_researcher: 9, ..POLICY },
        ] {
            assert_eq!(bad.validate(), Err(Error::InvalidPolicy), "{bad:?}");
        }
    }

    #[test]
    fn study_validation() {
        assert_eq!(validate_study(&[1; 32], DataCategories(LAB), NOW + 1, NOW), Ok(()));
        assert_eq!(validate_study(&ZERO_HASH, DataCategories(LAB), NOW + 1, NOW), Err(Error::ZeroHash));
        assert_eq!(validate_study(&[1; 32], DataCategories(0), NOW + 1, NOW), Err(Error::InvalidCategories));
        assert_eq!(validate_study(&[1; 32], DataCategories(LAB), NOW, NOW), Err(Error::PeriodInPast));
        assert_eq!(
            validate_study(&[1; 32], DataCategories(LAB), NOW + MAX_STUDY_DURATION + 1, NOW),
            Err(Error::PeriodTooLong)
        );
    }

    #[derive(Debug, Clone)]
    enum InboxOp {
        Request { study: u64, researcher: u8 },
        Deny(u64),
        Approve(u64),
        Withdraw(u64),
        Block(u8),
        Purge,
        Wait(u64),
    }

    fn arb_inbox_op() -> impl Strategy<Value = InboxOp> {
        prop_oneof![
            4 => (0u64..24, 8u8..13).prop_map(|(study, researcher)| InboxOp::Request { study, researcher }),
            1 => (0u64..24).prop_map(InboxOp::Deny),
            1 => (0u64..24).prop_map(InboxOp::Approve),
            1 => (0u64..24).prop_map(InboxOp::Withdraw),
            1 => (8u8..13).prop_map(InboxOp::Block),
            1 => Just(InboxOp::Purge),
            2 => (0u64..60).prop_map(|d| InboxOp::Wait(d * MS_PER_DAY)),
        ]
    }

    proptest! {
        /// Whatever happens, an inbox holds at most one request per study, at most a share per
        /// researcher, stays within its caps, never lets a cooling-down study in, and a denial
        /// is never refused for room.
        #[test]
        fn inbox_invariants(ops in proptest::collection::vec(arb_inbox_op(), 1..80)) {
            let mut inbox = Inbox::default();
            let mut now = NOW;
            // Each study belongs to one researcher, as in the contract.
            let researcher_of = |study: u64, default: u8| if study < 12 { 8 + u8::try_from(study % 5).unwrap() } else { default };
            for op in ops {
                let before = inbox.clone();
                let result = match op {
                    InboxOp::Request { study, researcher } => {
                        let s = study_of(study, researcher_of(study, researcher));
                        let cooling = before.cooldowns.iter().any(|c| c.study_id == study && now < c.until);
                        let r = inbox.request(&s, now, &POLICY).map(|_| ());
                        if cooling { prop_assert_eq!(r, Err(Error::CoolingDown)); }
                        r
                    }
                    InboxOp::Deny(study) => {
                        let answerable = before.find(study).is_some_and(|r| !r.is_lapsed(now));
                        let r = inbox.deny(study, now, &POLICY).map(|_| ());
                        prop_assert_eq!(r.is_ok(), answerable, "a denial of a live request always succeeds");
                        r
                    }
                    InboxOp::Approve(study) => inbox.take_answerable(study, now).map(|_| ()),
                    InboxOp::Withdraw(study) => inbox.withdraw(study).map(|_| ()),
                    InboxOp::Block(r) => { inbox.drop_researcher(acct(r)); Ok(()) }
                    InboxOp::Purge => { inbox.purge(now); Ok(()) }
                    InboxOp::Wait(d) => { now += d; Ok(()) }
                };
                if result.is_err() {
                    prop_assert_eq!(&inbox, &before, "a refused operation changed the inbox");
                }
                prop_assert!(inbox.pending.len() <= MAX_PENDING_REQUESTS_PER_PATIENT);
                prop_assert!(inbox.cooldowns.len() <= MAX_COOLDOWNS_PER_PATIENT);
                for r in &inbox.pending {
                    prop_assert_eq!(inbox.pending.iter().filter(|x| x.study_id == r.study_id).count(), 1);
                    let live = inbox.pending.iter().filter(|x| x.researcher == r.researcher && !x.is_lapsed(now)).count();
                    prop_assert!(live <= usize::from(POLICY.max_pending_per_researcher));
                }
            }
        }
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
