//! The research workflow as pure functions over plain values: studies and their ethics
//! approval, each patient's inbox of requests and cool-downs, and the owner's research policy.
//! The contract shell loads records, calls these, and stores what they return; the research
//! consent itself is created by consent_registry (`ResearchConsents`), from [`Study::terms`].

use crate::errors::{Error, Result};
use carechain_shared::collections::dropped;
use carechain_shared::{
    Actor, ConsentId, DataCategories, Hash32, Period, ResearchTerms, StudyId, Timestamp, MS_PER_DAY, ZERO_HASH,
};
use ink::prelude::vec::Vec;
use ink::primitives::AccountId;

/// Research requests awaiting one patient's answer, all researchers together.
pub const MAX_PENDING_REQUESTS_PER_PATIENT: usize = 16;
pub const MAX_BATCH_REQUEST: usize = 16;
pub const MAX_STUDY_DURATION: Timestamp = 3_650 * MS_PER_DAY;

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
    /// What a consent to this study covers, as consent_registry records it.
    pub const fn terms(&self) -> ResearchTerms {
        ResearchTerms {
            study_id: self.id,
            researcher: self.researcher,
            categories: self.categories,
            ends_at: self.ends_at,
        }
    }

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

/// A protocol, approval or consent-form hash must not be all zeroes.
pub fn validate_hash(hash: &Hash32) -> Result<()> {
    if *hash == ZERO_HASH {
        Err(Error::ZeroHash)
    } else {
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
    if !categories.is_valid_nonempty() {
        return Err(Error::InvalidCategories);
    }
    Period::from_now(now, ends_at, MAX_STUDY_DURATION)?;
    Ok(())
}

/// How research requests behave, set by the owner within bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct ResearchPolicy {
    /// An unanswered request lapses after this long.
    pub request_ttl: Timestamp,
    /// After a study's request to a patient ends in any way but approval (denied, withdrawn,
    /// lapsed, or dropped by a block), that study cannot ask that patient again for this long.
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
    /// Expiry is evaluated on read: a request past its TTL can no longer be answered, and no
    /// getter shows it.
    pub const fn is_lapsed(&self, now: Timestamp) -> bool {
        now >= self.expires_at
    }

    /// The cool-down its study owes the patient once the request ends at `now` without an
    /// approval: counted from `now`, or from its lapse if that came first.
    pub fn cooldown(&self, now: Timestamp, policy: &ResearchPolicy) -> Cooldown {
        Cooldown { study_id: self.study_id, until: now.min(self.expires_at).saturating_add(policy.denial_cooldown) }
    }
}

/// A study that may not ask a patient again before `until`: its request ended without an
/// approval (denied, withdrawn, lapsed, or dropped by a block).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Cooldown {
    pub study_id: StudyId,
    pub until: Timestamp,
}

impl Cooldown {
    pub const fn is_running(&self, now: Timestamp) -> bool {
        now < self.until
    }
}

/// One patient's research inbox: the requests awaiting an answer (bounded), every rule about
/// them, and the cool-downs each way of closing one starts. The cool-downs themselves are kept
/// per (patient, study) by the contract, never in a list: no number of them can push one out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Inbox {
    pub pending: Vec<PendingRequest>,
}

impl Inbox {
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    pub fn find(&self, study_id: StudyId) -> Option<&PendingRequest> {
        self.pending.iter().find(|r| r.study_id == study_id)
    }

    /// The requests that can still be answered: what every getter shows.
    pub fn live(&self, now: Timestamp) -> impl Iterator<Item = &PendingRequest> {
        self.pending.iter().filter(move |r| !r.is_lapsed(now))
    }

    /// The cool-down a lapsed request of `study_id` still waiting to be purged implies.
    pub fn lapsed_cooldown(&self, study_id: StudyId, now: Timestamp, policy: &ResearchPolicy) -> Option<Cooldown> {
        self.find(study_id).filter(|r| r.is_lapsed(now)).map(|r| r.cooldown(now, policy))
    }

    /// Files `study`'s request (`cooling_until`: the study's cool-down for this patient, kept
    /// by the contract). Refused while the study cools down after an earlier request ended
    /// unapproved, while it has a live request here, when its researcher holds its share of the
    /// inbox, or when the inbox is full. Admitted, it drops the lapsed requests and returns it
    /// with the cool-downs they still owe, which the contract must keep.
    pub fn request(
        &mut self,
        study: &Study,
        now: Timestamp,
        policy: &ResearchPolicy,
        cooling_until: Option<Timestamp>,
    ) -> Result<(PendingRequest, Vec<Cooldown>)> {
        if cooling_until.is_some_and(|until| now < until)
            || self.lapsed_cooldown(study.id, now, policy).is_some_and(|c| c.is_running(now))
        {
            return Err(Error::CoolingDown);
        }
        let live = || self.live(now);
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
        // Admitted: only now drop what lapsed (a lapsed request of this study too, whose
        // cool-down has ended), keeping the cool-downs they owe.
        let owed = self.drop_lapsed(now, policy);
        let request = PendingRequest {
            study_id: study.id,
            researcher: study.researcher,
            requested_at: now,
            expires_at: now.saturating_add(policy.request_ttl),
        };
        self.pending.push(request);
        Ok((request, owed))
    }

    /// Removes the lapsed requests; the cool-downs they still owe.
    fn drop_lapsed(&mut self, now: Timestamp, policy: &ResearchPolicy) -> Vec<Cooldown> {
        let owed = self.pending.iter().filter(|r| r.is_lapsed(now)).map(|r| r.cooldown(now, policy));
        let owed = owed.filter(|c| c.is_running(now)).collect();
        self.pending.retain(|r| !r.is_lapsed(now));
        owed
    }

    /// Takes `study_id`'s request out to answer it; a lapsed one stays (to be purged).
    pub fn take_answerable(&mut self, study_id: StudyId, now: Timestamp) -> Result<PendingRequest> {
        let pos = self.pending.iter().position(|r| r.study_id == study_id).ok_or(Error::UnknownRequest)?;
        if self.pending.get(pos).is_some_and(|r| r.is_lapsed(now)) {
            return Err(Error::RequestExpired);
        }
        Ok(self.pending.remove(pos))
    }

    /// The patient denies `study_id`'s request: it leaves the inbox, and the study cools down.
    pub fn deny(
        &mut self,
        study_id: StudyId,
        now: Timestamp,
        policy: &ResearchPolicy,
    ) -> Result<(PendingRequest, Cooldown)> {
        let request = self.take_answerable(study_id, now)?;
        Ok((request, request.cooldown(now, policy)))
    }

    /// The researcher takes back `study_id`'s request, lapsed or not: it leaves the inbox, and
    /// the study cools down as after a denial — so withdrawing first never dodges one. Returns
    /// the cool-down if it still runs (a request lapsed long ago owes none any more).
    pub fn withdraw(
        &mut self,
        study_id: StudyId,
        now: Timestamp,
        policy: &ResearchPolicy,
    ) -> Result<(PendingRequest, Option<Cooldown>)> {
        let pos = self.pending.iter().position(|r| r.study_id == study_id).ok_or(Error::UnknownRequest)?;
        let request = self.pending.remove(pos);
        Ok((request, Some(request.cooldown(now, policy)).filter(|c| c.is_running(now))))
    }

    /// Removes every request of `researcher` (the patient blocked them); how many, and the
    /// cool-downs their studies now owe.
    pub fn drop_researcher(
        &mut self,
        researcher: AccountId,
        now: Timestamp,
        policy: &ResearchPolicy,
    ) -> (u32, Vec<Cooldown>) {
        let before = self.pending.len();
        let owed = self.pending.iter().filter(|r| r.researcher == researcher).map(|r| r.cooldown(now, policy));
        let owed = owed.filter(|c| c.is_running(now)).collect();
        self.pending.retain(|r| r.researcher != researcher);
        (dropped(before, self.pending.len()), owed)
    }

    /// Removes lapsed requests; how many, and the cool-downs they still owe.
    pub fn purge(&mut self, now: Timestamp, policy: &ResearchPolicy) -> (u32, Vec<Cooldown>) {
        let before = self.pending.len();
        let owed = self.drop_lapsed(now, policy);
        (dropped(before, self.pending.len()), owed)
    }
}

/// What placing a researcher block does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placing {
    /// No block was in place: a new one, which drops the researcher's pending requests.
    New,
    /// The patient makes a delegate's block its own (the requests are gone already).
    TakeOver,
}

/// May `actor` (acting for `patient`) block `researcher`, given who blocked it already? A block
/// binds the account it names, which can never place one on itself (`SelfBlock`) — else a
/// researcher that is also a delegate would block itself first, so that the patient's block is
/// `Unchanged`, and lift it later. A block in place is `Unchanged`, except that the patient
/// always makes a block its own: a patient's block is the patient's, which no delegate lifts.
pub fn place_block(
    actor: Actor,
    patient: AccountId,
    researcher: AccountId,
    blocked_by: Option<AccountId>,
) -> Result<Placing> {
    let by = actor.account(patient);
    if by == researcher {
        return Err(Error::SelfBlock);
    }
    match blocked_by {
        None => Ok(Placing::New),
        Some(placed) if placed == by || actor != Actor::Patient => Err(Error::Unchanged),
        Some(_) => Ok(Placing::TakeOver),
    }
}

/// May `actor` (acting for `patient`) lift the block on `researcher`? Never the researcher it
/// names (`SelfBlock`); the patient any other, a delegate only one it placed itself
/// (`DelegateCannotLift`); no block to lift is `Unchanged`.
pub fn lift_block(
    actor: Actor,
    patient: AccountId,
    researcher: AccountId,
    blocked_by: Option<AccountId>,
) -> Result<()> {
    if actor.account(patient) == researcher {
        return Err(Error::SelfBlock);
    }
    let placed = blocked_by.ok_or(Error::Unchanged)?;
    Ok(actor.may_lift(placed, false)?)
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
    /// The researcher took the request back; the study cools down for this patient all the same.
    Withdrawn,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::arithmetic_side_effects, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NOW: Timestamp = 1_000_000;
    const LAB: u16 = DataCategories::LAB_RESULTS.0;

    fn acct(b: u8) -> AccountId {
        AccountId::from([b; 32])
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
    fn only_an_approved_running_study_recruits() {
        assert_eq!(study(approved()).ensure_recruiting(NOW), Ok(()));
        assert_eq!(study(approved()).ensure_recruiting(NOW + 100), Err(Error::StudyEnded));
        for status in [StudyStatus::Proposed, StudyStatus::Suspended { by: acct(20), at: 0 }] {
            assert_eq!(study(status).ensure_recruiting(NOW), Err(Error::StudyNotApproved));
        }
        let terms = study(approved()).terms();
        assert_eq!((terms.study_id, terms.researcher, terms.ends_at), (4, acct(8), NOW + 100));
        assert_eq!(terms.categories, DataCategories(LAB));
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

    /// A request filed with no cool-down kept for its study.
    fn file(inbox: &mut Inbox, study: &Study, now: Timestamp) -> Result<PendingRequest> {
        inbox.request(study, now, &POLICY, None).map(|(r, _)| r)
    }

    #[test]
    fn one_request_per_study_and_a_lapse_cools_down_like_a_denial() {
        let mut inbox = Inbox::default();
        let r = file(&mut inbox, &study_of(1, 8), NOW).unwrap();
        assert_eq!(r.expires_at, NOW + POLICY.request_ttl);
        assert_eq!(file(&mut inbox, &study_of(1, 8), NOW + 1), Err(Error::AlreadyRequested));
        let lapse = NOW + POLICY.request_ttl;
        assert_eq!(inbox.clone().take_answerable(1, lapse), Err(Error::RequestExpired));
        assert_eq!(inbox.live(lapse).count(), 0, "a lapsed request is never shown");
        // Issue 27, item 4: a lapse ends the request unapproved: no re-asking before the
        // cool-down, counted from the lapse.
        assert_eq!(file(&mut inbox, &study_of(1, 8), lapse), Err(Error::CoolingDown));
        let over = lapse + POLICY.denial_cooldown;
        assert_eq!(inbox.lapsed_cooldown(1, lapse, &POLICY), Some(Cooldown { study_id: 1, until: over }));
        assert_eq!(file(&mut inbox, &study_of(1, 8), over - 1), Err(Error::CoolingDown));
        // Once it has ended, the lapsed request is replaced: still one per study.
        file(&mut inbox, &study_of(1, 8), over).unwrap();
        assert_eq!(inbox.pending.len(), 1);
        assert_eq!(inbox.find(1).map(|r| r.requested_at), Some(over));
    }

    #[test]
    fn every_unapproved_ending_starts_the_cool_down() {
        let policy = POLICY;
        let cd = policy.denial_cooldown;
        // Denied, withdrawn, dropped by a block: each owes the full cool-down from now.
        let mut inbox = Inbox::default();
        for id in 1..=3 {
            file(&mut inbox, &study_of(id, 8), NOW).unwrap();
        }
        let (_, denied) = inbox.deny(1, NOW + 1, &policy).unwrap();
        assert_eq!(denied, Cooldown { study_id: 1, until: NOW + 1 + cd });
        let (_, withdrawn) = inbox.withdraw(2, NOW + 2, &policy).unwrap();
        assert_eq!(withdrawn, Some(Cooldown { study_id: 2, until: NOW + 2 + cd }));
        assert_eq!(inbox.withdraw(2, NOW + 2, &policy), Err(Error::UnknownRequest));
        assert_eq!(
            inbox.drop_researcher(acct(8), NOW + 3, &policy),
            (1, vec![Cooldown { study_id: 3, until: NOW + 3 + cd }])
        );
        assert!(inbox.is_empty());
        // The contract keeps them; a study with a running one is refused.
        assert_eq!(inbox.request(&study_of(1, 8), NOW + 4, &policy, Some(denied.until)), Err(Error::CoolingDown));
        assert!(inbox.request(&study_of(1, 8), denied.until, &policy, Some(denied.until)).is_ok());
        // A withdrawn or purged lapsed request owes its cool-down from the lapse.
        let mut inbox = Inbox::default();
        let r = file(&mut inbox, &study_of(4, 8), NOW).unwrap();
        let later = r.expires_at + 5;
        assert_eq!(
            inbox.clone().withdraw(4, later, &policy).map(|(_, c)| c),
            Ok(Some(Cooldown { study_id: 4, until: r.expires_at + cd }))
        );
        assert_eq!(
            inbox.clone().withdraw(4, r.expires_at + cd, &policy).map(|(_, c)| c),
            Ok(None),
            "owed nothing any more"
        );
        assert_eq!(inbox.purge(later, &policy), (1, vec![Cooldown { study_id: 4, until: r.expires_at + cd }]));
        // Dropped on admission, a lapsed request hands its cool-down over.
        let mut inbox = Inbox::default();
        file(&mut inbox, &study_of(5, 8), NOW).unwrap();
        let (_, owed) = inbox.request(&study_of(6, 9), later, &policy, None).unwrap();
        assert_eq!(owed, vec![Cooldown { study_id: 5, until: r.expires_at + cd }]);
        assert_eq!(inbox.pending.len(), 1);
    }

    #[test]
    fn one_researcher_holds_at_most_its_share() {
        let mut inbox = Inbox::default();
        for id in 0..u64::from(POLICY.max_pending_per_researcher) {
            file(&mut inbox, &study_of(id, 8), NOW).unwrap();
        }
        assert_eq!(file(&mut inbox, &study_of(99, 8), NOW), Err(Error::ResearcherShareReached));
        // Others still get through until the inbox is full.
        let mut n = 100;
        while inbox.pending.len() < MAX_PENDING_REQUESTS_PER_PATIENT {
            let researcher = 30 + u8::try_from(n % 20).unwrap();
            if file(&mut inbox, &study_of(n, researcher), NOW).is_err() {
                break;
            }
            n += 1;
        }
        assert_eq!(inbox.pending.len(), MAX_PENDING_REQUESTS_PER_PATIENT);
        assert_eq!(file(&mut inbox, &study_of(999, 77), NOW), Err(Error::CapacityReached));
        let (dropped, owed) = inbox.drop_researcher(acct(8), NOW, &POLICY);
        assert_eq!(dropped, u32::from(POLICY.max_pending_per_researcher));
        assert_eq!(owed.len(), usize::from(POLICY.max_pending_per_researcher));
        assert!(file(&mut inbox, &study_of(999, 77), NOW).is_ok());
    }

    #[test]
    fn a_block_binds_the_researcher_it_names_and_the_patients_block_is_the_patients() {
        let (patient, researcher, other) = (acct(1), acct(8), acct(3));
        let delegate = |a: AccountId| Actor::Delegate { account: a, expires_at: NOW };
        let me = delegate(researcher);
        // The researcher, as a delegate, can neither place nor lift a block on itself.
        assert_eq!(place_block(me, patient, researcher, None), Err(Error::SelfBlock));
        assert_eq!(lift_block(me, patient, researcher, Some(patient)), Err(Error::SelfBlock));
        assert_eq!(lift_block(me, patient, researcher, Some(researcher)), Err(Error::SelfBlock));
        // A colluding delegate's block is taken over by the patient, never the other way.
        assert_eq!(place_block(delegate(other), patient, researcher, None), Ok(Placing::New));
        assert_eq!(place_block(Actor::Patient, patient, researcher, Some(other)), Ok(Placing::TakeOver));
        assert_eq!(place_block(delegate(other), patient, researcher, Some(patient)), Err(Error::Unchanged));
        assert_eq!(place_block(Actor::Patient, patient, researcher, Some(patient)), Err(Error::Unchanged));
        assert_eq!(place_block(delegate(other), patient, researcher, Some(other)), Err(Error::Unchanged));
        // Lifting: the patient any, a delegate its own only.
        assert_eq!(lift_block(Actor::Patient, patient, researcher, Some(other)), Ok(()));
        assert_eq!(lift_block(delegate(other), patient, researcher, Some(other)), Ok(()));
        assert_eq!(lift_block(delegate(other), patient, researcher, Some(patient)), Err(Error::DelegateCannotLift));
        assert_eq!(lift_block(Actor::Patient, patient, researcher, None), Err(Error::Unchanged));
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
        /// Whatever happens, an inbox holds at most one request per study and at most a share
        /// per researcher, stays within its cap, and no study asks a patient again before the
        /// cool-down of its last unapproved ending (denied, withdrawn, lapsed, dropped by a
        /// block) — checked against a model that knows nothing of how the inbox keeps them.
        #[test]
        fn inbox_invariants(ops in proptest::collection::vec(arb_inbox_op(), 1..80)) {
            use std::collections::BTreeMap;
            let mut inbox = Inbox::default();
            // What the contract keeps per (patient, study), from what the inbox returns.
            let mut kept: BTreeMap<StudyId, Timestamp> = BTreeMap::new();
            // The model: open requests (study → expiry) and the end of each study's cool-down.
            let mut open: BTreeMap<StudyId, Timestamp> = BTreeMap::new();
            let mut quiet_until: BTreeMap<StudyId, Timestamp> = BTreeMap::new();
            let mut now = NOW;
            let cd = POLICY.denial_cooldown;
            // Each study belongs to one researcher, as in the contract.
            let researcher_of = |study: u64, default: u8| if study < 12 { 8 + u8::try_from(study % 5).unwrap() } else { default };
            let keep = |kept: &mut BTreeMap<StudyId, Timestamp>, owed: &[Cooldown]| {
                for c in owed {
                    kept.insert(c.study_id, c.until);
                }
            };
            for op in ops {
                // The model's lapses: a request unanswered at its expiry ended then.
                for (study, expires) in open.clone() {
                    if expires <= now {
                        open.remove(&study);
                        quiet_until.insert(study, expires + cd);
                    }
                }
                let before = inbox.clone();
                let result = match op {
                    InboxOp::Request { study, researcher } => {
                        let s = study_of(study, researcher_of(study, researcher));
                        let r = inbox.request(&s, now, &POLICY, kept.get(&study).copied());
                        if quiet_until.get(&study).is_some_and(|u| now < *u) {
                            prop_assert_eq!(r.clone().map(|_| ()), Err(Error::CoolingDown), "asked again within the cool-down");
                        }
                        if let Ok((req, owed)) = &r {
                            open.insert(study, req.expires_at);
                            keep(&mut kept, owed);
                        }
                        r.map(|_| ())
                    }
                    InboxOp::Deny(study) => {
                        let answerable = before.find(study).is_some_and(|r| !r.is_lapsed(now));
                        let r = inbox.deny(study, now, &POLICY);
                        prop_assert_eq!(r.is_ok(), answerable, "a denial of a live request always succeeds");
                        if let Ok((_, c)) = r {
                            keep(&mut kept, &[c]);
                            open.remove(&study);
                            quiet_until.insert(study, now + cd);
                        }
                        r.map(|_| ())
                    }
                    InboxOp::Approve(study) => {
                        let r = inbox.take_answerable(study, now);
                        if r.is_ok() {
                            open.remove(&study);
                        }
                        r.map(|_| ())
                    }
                    InboxOp::Withdraw(study) => {
                        let r = inbox.withdraw(study, now, &POLICY);
                        if let Ok((_, c)) = r {
                            keep(&mut kept, c.as_slice());
                            if open.remove(&study).is_some() {
                                quiet_until.insert(study, now + cd);
                            }
                        }
                        r.map(|_| ())
                    }
                    InboxOp::Block(researcher) => {
                        let (_, owed) = inbox.drop_researcher(acct(researcher), now, &POLICY);
                        keep(&mut kept, &owed);
                        for r in before.pending.iter().filter(|r| r.researcher == acct(researcher)) {
                            if open.remove(&r.study_id).is_some() {
                                quiet_until.insert(r.study_id, now + cd);
                            }
                        }
                        Ok(())
                    }
                    InboxOp::Purge => {
                        let (_, owed) = inbox.purge(now, &POLICY);
                        keep(&mut kept, &owed);
                        Ok(())
                    }
                    InboxOp::Wait(d) => { now += d; Ok(()) }
                };
                if result.is_err() {
                    prop_assert_eq!(&inbox, &before, "a refused operation changed the inbox");
                }
                prop_assert!(inbox.pending.len() <= MAX_PENDING_REQUESTS_PER_PATIENT);
                for r in &inbox.pending {
                    prop_assert_eq!(inbox.pending.iter().filter(|x| x.study_id == r.study_id).count(), 1);
                    let live = inbox.live(now).filter(|x| x.researcher == r.researcher).count();
                    prop_assert!(live <= usize::from(POLICY.max_pending_per_researcher));
                }
            }
        }
    }
}
