//! Off-chain unit tests: every message × wrong role with its exact error, bad input, pause, and
//! the workflow as far as it runs without consent_registry. ink!'s off-chain environment cannot
//! call another contract, so what needs the registry — a delegate's authority, creating the
//! consent — is covered by the sandbox e2e tests (e2e-tests/tests/research.rs); here a
//! non-patient's claim to act for a patient stops at `RegistryNotWired`, never before.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects, clippy::indexing_slicing)]

use crate::data::{self, RequestOutcome, ResearchPolicy, StudyStatus};
use crate::events::*;
use crate::research_registry::ResearchRegistry;
use crate::Error;
use carechain_shared::testing::{emitted as events, last_event, set_caller as as_, set_time as at};
use carechain_shared::*;
use carechain_shared::{AdminError, Administration, Wiring};
use ink::env::test;
use ink::env::DefaultEnvironment as Env;
use ink::primitives::AccountId;
use ink::scale::Encode;

const T0: Timestamp = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const LAB: DataCategories = DataCategories::LAB_RESULTS;
const DOC: Hash32 = [0xD0; 32];
const YEAR: Timestamp = 365 * MS_PER_DAY;

#[derive(Clone, Copy)]
struct Fx {
    owner: AccountId,
    patient: AccountId,
    other_patient: AccountId,
    stranger: AccountId,
    researcher: AccountId,
    approver: AccountId,
    study_id: StudyId,
}

/// Owner alice deploys and appoints an ethics approver; researcher frank registered a study,
/// the approver approved it, and frank asked patient bob. No registry is wired.
fn setup() -> (ResearchRegistry, Fx) {
    let a = test::default_accounts::<Env>();
    let (owner, patient, other_patient, stranger, researcher) = (a.alice, a.bob, a.django, a.eve, a.frank);
    let approver = AccountId::from([0x55; 32]);
    at(T0);
    as_(owner);
    let mut c = ResearchRegistry::new();
    c.set_ethics_approver(approver, true).unwrap();
    as_(researcher);
    let study_id = c.register_study([1; 32], LAB, T0 + YEAR).unwrap();
    as_(approver);
    c.approve_study(study_id, [2; 32]).unwrap();
    as_(researcher);
    c.request_access(study_id, patient).unwrap();
    at(T0 + 10);
    (c, Fx { owner, patient, other_patient, stranger, researcher, approver, study_id })
}

/// Everything a dApp can read about the fixture, encoded.
fn fingerprint(c: &ResearchRegistry, fx: &Fx) -> Vec<u8> {
    let p = fx.patient;
    (
        c.pending_requests_of(p, 0, 100),
        c.pending_requests_of(fx.other_patient, 0, 100),
        c.cooldown_until(p, fx.study_id),
        c.study(fx.study_id),
        c.is_blocked(p, fx.researcher),
        c.admin(),
        c.peer(),
        c.is_ethics_approver(fx.approver),
        c.research_policy(),
    )
        .encode()
}

// ----- one test per message × unauthorized role ---------------------------------------------

carechain_shared::refused! {
    setup, fingerprint, Error;
    approve_study_refuses_stranger: stranger => NotEthicsApprover, |c, fx| c.approve_study(fx.study_id, [3; 32]);
    approve_study_refuses_researcher: researcher => NotEthicsApprover, |c, fx| c.approve_study(fx.study_id, [3; 32]);
    approve_study_refuses_owner: owner => NotEthicsApprover, |c, fx| c.approve_study(fx.study_id, [3; 32]);
    approve_study_refuses_patient: patient => NotEthicsApprover, |c, fx| c.approve_study(fx.study_id, [3; 32]);

    suspend_study_refuses_stranger: stranger => NotAuthorized, |c, fx| c.suspend_study(fx.study_id);
    suspend_study_refuses_patient: patient => NotAuthorized, |c, fx| c.suspend_study(fx.study_id);
    suspend_study_refuses_owner: owner => NotAuthorized, |c, fx| c.suspend_study(fx.study_id);

    request_refuses_stranger: stranger => NotAuthorized, |c, fx| c.request_access(fx.study_id, fx.other_patient);
    request_refuses_patient: patient => NotAuthorized, |c, fx| c.request_access(fx.study_id, fx.other_patient);
    request_refuses_owner: owner => NotAuthorized, |c, fx| c.request_access(fx.study_id, fx.other_patient);
    request_refuses_approver: approver => NotAuthorized, |c, fx| c.request_access(fx.study_id, fx.other_patient);

    batch_request_refuses_stranger: stranger => NotAuthorized, |c, fx| c.request_access_batch(fx.study_id, vec![fx.other_patient]);
    batch_request_refuses_patient: patient => NotAuthorized, |c, fx| c.request_access_batch(fx.study_id, vec![fx.other_patient]);
    batch_request_refuses_owner: owner => NotAuthorized, |c, fx| c.request_access_batch(fx.study_id, vec![fx.other_patient]);

    withdraw_refuses_patient: patient => NotAuthorized, |c, fx| c.withdraw_request(fx.study_id, fx.patient);
    withdraw_refuses_stranger: stranger => NotAuthorized, |c, fx| c.withdraw_request(fx.study_id, fx.patient);
    withdraw_refuses_owner: owner => NotAuthorized, |c, fx| c.withdraw_request(fx.study_id, fx.patient);
    withdraw_refuses_approver: approver => NotAuthorized, |c, fx| c.withdraw_request(fx.study_id, fx.patient);

    // Acting for someone else is only ever taken from consent_registry's delegations: with
    // none wired, every non-patient is refused before anything is read or written (on chain,
    // with the registry wired, these are `NotAuthorized`: e2e-tests/tests/research.rs).
    approve_refuses_researcher_unwired: researcher => RegistryNotWired, |c, fx| c.approve_request(fx.patient, fx.study_id, DOC);
    approve_refuses_stranger_unwired: stranger => RegistryNotWired, |c, fx| c.approve_request(fx.patient, fx.study_id, DOC);
    deny_request_refuses_researcher_unwired: researcher => RegistryNotWired, |c, fx| c.deny_request(fx.patient, fx.study_id);
    join_refuses_owner_unwired: owner => RegistryNotWired, |c, fx| c.join_study(fx.patient, fx.study_id, DOC);
    block_refuses_researcher_unwired: researcher => RegistryNotWired, |c, fx| c.block_researcher(fx.patient, fx.researcher);
    unblock_refuses_stranger_unwired: stranger => RegistryNotWired, |c, fx| c.unblock_researcher(fx.patient, fx.researcher);
    purge_refuses_stranger_unwired: stranger => RegistryNotWired, |c, fx| c.purge_expired(fx.patient);

    set_approver_refuses_stranger: stranger => NotOwner, |c, fx| c.set_ethics_approver(fx.stranger, true);
    set_approver_refuses_approver: approver => NotOwner, |c, fx| c.set_ethics_approver(fx.stranger, true);
    set_policy_refuses_stranger: stranger => NotOwner, |c, _fx| c.set_research_policy(ResearchPolicy::DEFAULT);
    set_policy_refuses_researcher: researcher => NotOwner, |c, _fx| c.set_research_policy(ResearchPolicy::DEFAULT);
}

// The admin and wiring messages (`Administration`, `Wiring`) refuse with the shared `AdminError`.
carechain_shared::refused! {
    setup, fingerprint, AdminError;
    transfer_ownership_refuses_stranger: stranger => NotOwner, |c, fx| c.transfer_ownership(fx.stranger);
    transfer_ownership_refuses_researcher: researcher => NotOwner, |c, fx| c.transfer_ownership(fx.researcher);
    accept_ownership_refuses_unproposed: stranger => NotPendingOwner, |c, _fx| c.accept_ownership();
    set_paused_refuses_stranger: stranger => NotOwner, |c, _fx| c.set_paused(true);
    set_paused_refuses_approver: approver => NotOwner, |c, _fx| c.set_paused(true);
    set_peer_refuses_stranger: stranger => NotOwner, |c, fx| c.set_peer(Some(peer(fx.stranger)));
    set_peer_refuses_researcher: researcher => NotOwner, |c, fx| c.set_peer(Some(peer(fx.stranger)));
    set_code_hash_refuses_stranger: stranger => NotOwner, |c, _fx| c.set_code_hash([9; 32].into());
    set_code_hash_refuses_patient: patient => NotOwner, |c, _fx| c.set_code_hash([9; 32].into());
    unwire_when_not_wired: owner => NotWired, |c, _fx| c.set_peer(None);
    wire_to_a_plain_account: owner => PeerNotContract, |c, fx| c.set_peer(Some(peer(fx.stranger)));
    wire_to_itself: owner => PeerIsSelf, |c, _fx| c.set_peer(Some(peer(test::callee::<Env>())));
    unpause_when_running: owner => PauseUnchanged, |c, _fx| c.set_paused(false);
}

// ----- bad input, each with its typed error and no change ------------------------------------

carechain_shared::refused! {
    setup, fingerprint, Error;
    study_rejects_zero_protocol: researcher => ZeroHash, |c, _fx| c.register_study(ZERO_HASH, LAB, T0 + YEAR);
    study_rejects_no_categories: researcher => InvalidCategories, |c, _fx| c.register_study([1; 32], DataCategories::NONE, T0 + YEAR);
    study_rejects_past_end: researcher => PeriodInPast, |c, _fx| c.register_study([1; 32], LAB, T0);
    study_rejects_overlong: researcher => PeriodTooLong, |c, _fx| c.register_study([1; 32], LAB, T0 + 11 * YEAR);
    approve_study_unknown: approver => UnknownStudy, |c, _fx| c.approve_study(999, [3; 32]);
    approve_study_twice: approver => Unchanged, |c, fx| c.approve_study(fx.study_id, [3; 32]);
    approve_study_zero_hash: approver => ZeroHash, |c, fx| c.approve_study(fx.study_id, ZERO_HASH);
    suspend_unknown_study: approver => UnknownStudy, |c, _fx| c.suspend_study(999);
    request_unknown_study: researcher => UnknownStudy, |c, fx| c.request_access(999, fx.patient);
    request_duplicate: researcher => AlreadyRequested, |c, fx| c.request_access(fx.study_id, fx.patient);
    request_for_researcher_self: researcher => GrantToSelf, |c, fx| c.request_access(fx.study_id, fx.researcher);
    batch_empty: researcher => InvalidBatch, |c, fx| c.request_access_batch(fx.study_id, vec![]);
    batch_too_large: researcher => InvalidBatch, |c, fx| c.request_access_batch(fx.study_id, vec![fx.other_patient; data::MAX_BATCH_REQUEST + 1]);
    batch_with_duplicate_is_all_or_nothing: researcher => InvalidBatch, |c, fx| c.request_access_batch(fx.study_id, vec![fx.other_patient, fx.stranger, fx.other_patient]);
    batch_with_already_requested_is_all_or_nothing: researcher => AlreadyRequested, |c, fx| c.request_access_batch(fx.study_id, vec![fx.other_patient, fx.patient]);
    approve_unknown_study: patient => UnknownStudy, |c, fx| c.approve_request(fx.patient, 999, DOC);
    approve_unrequested_study: other_patient => UnknownRequest, |c, fx| c.approve_request(fx.other_patient, fx.study_id, DOC);
    approve_zero_hash: patient => ZeroHash, |c, fx| c.approve_request(fx.patient, fx.study_id, ZERO_HASH);
    join_zero_hash: patient => ZeroHash, |c, fx| c.join_study(fx.patient, fx.study_id, ZERO_HASH);
    deny_unknown_request: patient => UnknownRequest, |c, fx| c.deny_request(fx.patient, 999);
    // Issue 27, item 5: a block binds the account it names, which can neither place nor lift it
    // (here the patient is its own researcher; a delegate that is the researcher: e2e tests).
    block_oneself: patient => SelfBlock, |c, fx| c.block_researcher(fx.patient, fx.patient);
    unblock_oneself: patient => SelfBlock, |c, fx| c.unblock_researcher(fx.patient, fx.patient);
    withdraw_unknown_request: researcher => UnknownRequest, |c, fx| c.withdraw_request(fx.study_id, fx.other_patient);
    join_unknown_study: patient => UnknownStudy, |c, fx| c.join_study(fx.patient, 999, DOC);
    unblock_when_not_blocked: patient => Unchanged, |c, fx| c.unblock_researcher(fx.patient, fx.researcher);
    add_existing_approver: owner => Unchanged, |c, fx| c.set_ethics_approver(fx.approver, true);
    remove_non_approver: owner => Unchanged, |c, fx| c.set_ethics_approver(fx.stranger, false);
    policy_out_of_bounds: owner => InvalidPolicy, |c, _fx| c.set_research_policy(ResearchPolicy { max_pending_per_researcher: 0, ..ResearchPolicy::DEFAULT });
    // Creating the consent needs the registry: a patient's approval with none wired is refused
    // whole (the request stays in the inbox).
    approve_without_a_registry: patient => RegistryNotWired, |c, fx| c.approve_request(fx.patient, fx.study_id, DOC);
    join_without_a_registry: patient => RegistryNotWired, |c, fx| c.join_study(fx.patient, fx.study_id, DOC);
}

// ----- pause ---------------------------------------------------------------------------------

#[ink::test]
fn pause_refuses_what_creates_access_and_nothing_else() {
    let (mut c, fx) = setup();
    as_(fx.owner);
    c.set_paused(true).unwrap();
    assert!(last_event::<carechain_shared::events::PauseChanged>().paused);
    let before = fingerprint(&c, &fx);
    as_(fx.patient);
    assert_eq!(c.approve_request(fx.patient, fx.study_id, DOC), Err(Error::Paused));
    assert_eq!(c.join_study(fx.patient, fx.study_id, DOC), Err(Error::Paused));
    assert_eq!(c.unblock_researcher(fx.patient, fx.researcher), Err(Error::Paused));
    as_(fx.researcher);
    assert_eq!(c.register_study([1; 32], LAB, T0 + YEAR), Err(Error::Paused));
    assert_eq!(c.request_access(fx.study_id, fx.stranger), Err(Error::Paused));
    assert_eq!(c.request_access_batch(fx.study_id, vec![fx.stranger]), Err(Error::Paused));
    as_(fx.approver);
    assert_eq!(c.approve_study(fx.study_id, [3; 32]), Err(Error::Paused));
    assert_eq!(fingerprint(&c, &fx), before);

    // Everything that only narrows access, or protects the patient, still works — and a patient
    // acting for themself needs no registry for any of it.
    as_(fx.patient);
    c.deny_request(fx.patient, fx.study_id).unwrap();
    c.block_researcher(fx.patient, fx.researcher).unwrap();
    c.purge_expired(fx.patient).unwrap();
    as_(fx.approver);
    c.suspend_study(fx.study_id).unwrap();
    as_(fx.owner);
    c.set_paused(false).unwrap();
}

// ----- behaviour -----------------------------------------------------------------------------

#[ink::test]
fn studies_need_an_ethics_approval_to_recruit() {
    let (mut c, fx) = setup();
    as_(fx.stranger);
    let id = c.register_study([7; 32], DataCategories::GENOMICS, T0 + YEAR).unwrap();
    let ev: StudyRegistered = last_event();
    assert_eq!((ev.researcher, ev.study_id, ev.protocol_hash, ev.ends_at), (fx.stranger, id, [7; 32], T0 + YEAR));
    assert_eq!(c.study(id).unwrap().status, StudyStatus::Proposed);
    assert_eq!(c.request_access(id, fx.patient), Err(Error::StudyNotApproved));
    as_(fx.patient);
    assert_eq!(c.join_study(fx.patient, id, DOC), Err(Error::StudyNotApproved));
    // The approver cannot approve a study it runs itself.
    as_(fx.approver);
    let own = c.register_study([8; 32], LAB, T0 + YEAR).unwrap();
    assert_eq!(c.approve_study(own, [3; 32]), Err(Error::ConflictOfInterest));
    c.approve_study(id, [3; 32]).unwrap();
    let ev: StudyApproved = last_event();
    assert_eq!((ev.researcher, ev.approver, ev.study_id, ev.approval_hash), (fx.stranger, fx.approver, id, [3; 32]));
    as_(fx.stranger);
    c.request_access(id, fx.patient).unwrap();
    // Suspension stops answers too; re-approval resumes.
    as_(fx.approver);
    c.suspend_study(id).unwrap();
    assert_eq!(last_event::<StudySuspended>().by, fx.approver);
    as_(fx.patient);
    assert_eq!(c.approve_request(fx.patient, id, DOC), Err(Error::StudyNotApproved));
    as_(fx.approver);
    c.approve_study(id, [4; 32]).unwrap();
    as_(fx.patient);
    assert_eq!(c.approve_request(fx.patient, id, DOC), Err(Error::RegistryNotWired), "recruiting again");
}

#[ink::test]
fn a_denied_study_cools_down() {
    let (mut c, fx) = setup();
    as_(fx.patient);
    c.deny_request(fx.patient, fx.study_id).unwrap();
    let closed: RequestClosed = last_event();
    assert_eq!((closed.patient, closed.outcome, closed.closed_by), (fx.patient, RequestOutcome::Denied, fx.patient));
    let policy = c.research_policy();
    assert_eq!(c.cooldown_until(fx.patient, fx.study_id), Some(T0 + 10 + policy.denial_cooldown));
    as_(fx.researcher);
    assert_eq!(c.request_access(fx.study_id, fx.patient), Err(Error::CoolingDown));
    // Another patient is unaffected; the event names the researcher and the study only.
    c.request_access(fx.study_id, fx.other_patient).unwrap();
    let ev: AccessRequested = last_event();
    assert_eq!((ev.researcher, ev.study_id, ev.count), (fx.researcher, fx.study_id, 1));
    assert_eq!(events().last().unwrap().topics.len(), 2, "signature and researcher, no patient");
    at(T0 + 10 + policy.denial_cooldown);
    assert!(c.request_access(fx.study_id, fx.patient).is_ok(), "after the cool-down the study may ask again");
}

/// Issue 27, item 4: a request that ends in any way but approval — withdrawn (e.g. ahead of
/// the patient's denial), lapsed, or dropped by a block — cannot be asked again before the
/// cool-down.
#[ink::test]
fn every_way_a_request_ends_unapproved_starts_the_cool_down() {
    let (mut c, fx) = setup();
    let policy = c.research_policy();
    as_(fx.researcher);
    c.withdraw_request(fx.study_id, fx.patient).unwrap();
    assert_eq!(last_event::<RequestClosed>().outcome, RequestOutcome::Withdrawn);
    as_(fx.patient);
    assert_eq!(c.deny_request(fx.patient, fx.study_id), Err(Error::UnknownRequest), "the denial came second");
    as_(fx.researcher);
    assert_eq!(c.request_access(fx.study_id, fx.patient), Err(Error::CoolingDown), "no dodging the denial");
    assert_eq!(c.cooldown_until(fx.patient, fx.study_id), Some(T0 + 10 + policy.denial_cooldown));
    // A lapse, counted from the lapse; the lapsed request is shown nowhere (item 8).
    c.request_access(fx.study_id, fx.other_patient).unwrap();
    let lapse = T0 + 10 + policy.request_ttl;
    at(lapse);
    assert!(c.pending_requests_of(fx.other_patient, 0, 10).is_empty(), "lapsed: not shown");
    assert_eq!(c.request(fx.other_patient, fx.study_id), None, "lapsed: not shown");
    as_(fx.other_patient);
    assert_eq!(c.approve_request(fx.other_patient, fx.study_id, DOC), Err(Error::RequestExpired));
    as_(fx.researcher);
    assert_eq!(c.request_access(fx.study_id, fx.other_patient), Err(Error::CoolingDown));
    assert_eq!(c.cooldown_until(fx.other_patient, fx.study_id), Some(lapse + policy.denial_cooldown));
    // Purging the lapsed request keeps the cool-down it owes.
    as_(fx.other_patient);
    assert_eq!(c.purge_expired(fx.other_patient), Ok(1));
    assert_eq!(c.cooldown_until(fx.other_patient, fx.study_id), Some(lapse + policy.denial_cooldown));
    as_(fx.researcher);
    assert_eq!(c.request_access(fx.study_id, fx.other_patient), Err(Error::CoolingDown));
    at(lapse + policy.denial_cooldown);
    c.request_access(fx.study_id, fx.other_patient).unwrap();
    assert_eq!(c.pending_requests_of(fx.other_patient, 0, 10).len(), 1);
    // Dropped by a block: the study still cools down once the researcher is unblocked.
    as_(fx.other_patient);
    c.block_researcher(fx.other_patient, fx.researcher).unwrap();
    c.unblock_researcher(fx.other_patient, fx.researcher).unwrap();
    as_(fx.researcher);
    assert_eq!(c.request_access(fx.study_id, fx.other_patient), Err(Error::CoolingDown));
}

#[ink::test]
fn a_blocked_researcher_loses_its_requests_and_cannot_ask() {
    let (mut c, fx) = setup();
    as_(fx.patient);
    c.block_researcher(fx.patient, fx.researcher).unwrap();
    let ev: ResearcherBlocked = last_event();
    assert_eq!((ev.patient, ev.researcher, ev.withdrawn_requests, ev.by), (fx.patient, fx.researcher, 1, fx.patient));
    assert!(c.pending_requests_of(fx.patient, 0, 10).is_empty());
    assert!(c.is_blocked(fx.patient, fx.researcher));
    assert_eq!(c.block_researcher(fx.patient, fx.researcher), Err(Error::Unchanged));
    as_(fx.researcher);
    assert_eq!(c.request_access(fx.study_id, fx.patient), Err(Error::ResearcherBlocked));
    assert_eq!(c.request_access_batch(fx.study_id, vec![fx.other_patient, fx.patient]), Err(Error::ResearcherBlocked));
    as_(fx.patient);
    c.unblock_researcher(fx.patient, fx.researcher).unwrap();
    assert_eq!(last_event::<ResearcherUnblocked>().by, fx.patient);
    as_(fx.researcher);
    let second = c.register_study([9; 32], LAB, T0 + YEAR).unwrap();
    as_(fx.approver);
    c.approve_study(second, [3; 32]).unwrap();
    as_(fx.researcher);
    assert!(c.request_access(second, fx.patient).is_ok(), "unblocked; the dropped study still cools down");
}

#[ink::test]
fn batch_request_files_every_patient() {
    let (mut c, fx) = setup();
    as_(fx.researcher);
    c.request_access_batch(fx.study_id, vec![fx.other_patient, fx.stranger]).unwrap();
    assert_eq!(last_event::<AccessRequested>().count, 2);
    assert_eq!(c.pending_requests_of(fx.stranger, 0, 10)[0].study_id, fx.study_id);
    assert_eq!(c.request(fx.other_patient, fx.study_id).unwrap().expires_at, T0 + 10 + c.research_policy().request_ttl);
    at(T0 + YEAR);
    assert_eq!(c.request_access(fx.study_id, fx.owner), Err(Error::StudyEnded));
    as_(fx.stranger);
    assert_eq!(c.join_study(fx.stranger, fx.study_id, DOC), Err(Error::StudyEnded));
}

#[ink::test]
fn research_policy_is_the_owners() {
    let (mut c, fx) = setup();
    let policy = ResearchPolicy { max_pending_per_researcher: 1, ..ResearchPolicy::DEFAULT };
    as_(fx.owner);
    c.set_research_policy(policy).unwrap();
    assert_eq!(last_event::<ResearchPolicyChanged>().policy, policy);
    as_(fx.researcher);
    let second = c.register_study([9; 32], LAB, T0 + YEAR).unwrap();
    as_(fx.approver);
    c.approve_study(second, [3; 32]).unwrap();
    as_(fx.researcher);
    assert_eq!(c.request_access(second, fx.patient), Err(Error::ResearcherShareReached));
}

#[ink::test]
fn purge_frees_lapsed_requests() {
    let (mut c, fx) = setup();
    as_(fx.patient);
    let n = events().len();
    assert_eq!(c.purge_expired(fx.patient), Ok(0), "a live request stays");
    assert_eq!(events().len(), n, "nothing freed, nothing emitted");
    at(T0 + 10 + c.research_policy().request_ttl);
    assert_eq!(c.purge_expired(fx.patient), Ok(1));
    let ev: InboxPurged = last_event();
    assert_eq!((ev.patient, ev.requests), (fx.patient, 1));
    assert!(c.request(fx.patient, fx.study_id).is_none(), "lapsed request freed");
}

#[ink::test]
fn two_step_ownership_transfer() {
    let (mut c, fx) = setup();
    as_(fx.owner);
    c.transfer_ownership(fx.stranger).unwrap();
    as_(fx.stranger);
    c.accept_ownership().unwrap();
    let ev: carechain_shared::events::OwnershipTransferred = last_event();
    assert_eq!((ev.previous_owner, ev.new_owner), (fx.owner, fx.stranger));
    as_(fx.owner);
    assert_eq!(c.set_ethics_approver(fx.owner, true), Err(Error::NotOwner));
}

#[ink::test]
fn ethics_approvers_are_appointed_and_removed() {
    let (mut c, fx) = setup();
    as_(fx.owner);
    c.set_ethics_approver(fx.approver, false).unwrap();
    let ev: EthicsApproverChanged = last_event();
    assert_eq!((ev.approver, ev.active), (fx.approver, false));
    as_(fx.approver);
    assert_eq!(c.approve_study(fx.study_id, [3; 32]), Err(Error::NotEthicsApprover));
}

/// A peer to wire: an address and the code hash the owner states for it.
fn peer(address: AccountId) -> Peer {
    Peer { address, code_hash: [7; 32].into() }
}
