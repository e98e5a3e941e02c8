//! Off-chain unit tests of the contract shell (the rules themselves are tested in `data`).
//! Every refusal test asserts the exact error, that no event was emitted, and that a
//! fingerprint of everything the getters expose is unchanged.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]

use crate::consent_registry::ConsentRegistry;
use crate::data::{self, RequestOutcome, ResearchPolicy, StudyStatus};
use crate::events::*;
use crate::Error;
use carechain_shared::testing::{emitted as events, last_event, set_caller as as_, set_time as at};
use carechain_shared::traits::ConsentCheck;
use carechain_shared::*;
use carechain_shared::{AdminError, Administration, Wiring};
use ink::env::test;
use ink::env::DefaultEnvironment as Env;
use ink::primitives::AccountId;
use ink::scale::Encode;

const T0: Timestamp = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const LAB: DataCategories = DataCategories::LAB_RESULTS;
const TREAT: PurposeSet = PurposeSet::of(Purpose::Treatment);
const DOC: Hash32 = [0xD0; 32];
const YEAR: Timestamp = 365 * MS_PER_DAY;

#[derive(Clone, Copy)]
struct Fx {
    owner: AccountId,
    patient: AccountId,
    delegate: AccountId,
    expired_delegate: AccountId,
    accessor: AccountId,
    stranger: AccountId,
    researcher: AccountId,
    custodian: AccountId,
    approver: AccountId,
    consent_id: ConsentId,
    rule_id: DenyRuleId,
    study_id: StudyId,
}

/// Owner alice deploys and appoints an ethics approver; patient bob has an active delegate
/// (charlie, for a year) and an expired one, granted django lab results for treatment, and
/// denies an unrelated accessor; researcher frank registered a study, the approver approved
/// it, and frank asked bob; a custodian is registered.
fn setup() -> (ConsentRegistry, Fx) {
    let a = test::default_accounts::<Env>();
    let (owner, patient, delegate, accessor, stranger, researcher) =
        (a.alice, a.bob, a.charlie, a.django, a.eve, a.frank);
    let (expired_delegate, custodian, approver) =
        (AccountId::from([0x11; 32]), AccountId::from([0x22; 32]), AccountId::from([0x55; 32]));
    at(T0);
    as_(owner);
    let mut c = ConsentRegistry::new();
    c.set_custodian(custodian, true).unwrap();
    c.set_ethics_approver(approver, true).unwrap();
    as_(patient);
    c.appoint_delegate(delegate, T0 + YEAR).unwrap();
    c.appoint_delegate(expired_delegate, T0 + 5).unwrap();
    let consent_id = c.grant_consent(patient, accessor, LAB, TREAT, T0, T0 + YEAR, DOC).unwrap();
    let rule_id = c
        .add_deny_rule(patient, Some(AccountId::from([0x33; 32])), DataCategories::ALL, PurposeSet::ALL, T0, T0 + YEAR)
        .unwrap();
    as_(researcher);
    let study_id = c.register_study([1; 32], LAB, T0 + YEAR).unwrap();
    as_(approver);
    c.approve_study(study_id, [2; 32]).unwrap();
    as_(researcher);
    c.request_access(study_id, patient).unwrap();
    at(T0 + 10);
    let fx = Fx {
        owner,
        patient,
        delegate,
        expired_delegate,
        accessor,
        stranger,
        researcher,
        custodian,
        approver,
        consent_id,
        rule_id,
        study_id,
    };
    (c, fx)
}

/// Everything a dApp can read about the fixture, encoded.
fn fingerprint(c: &ConsentRegistry, fx: &Fx) -> Vec<u8> {
    let p = fx.patient;
    (
        c.consents_of(p, 0, 100),
        c.deny_rules_of(p, 0, 100),
        c.delegates_of(p, 0, 100),
        c.pending_requests_of(p, 0, 100),
        c.pending_requests_of(fx.accessor, 0, 100),
        c.cooldown_until(p, fx.study_id),
        c.study(fx.study_id),
        c.is_blocked(p, fx.researcher),
        c.admin(),
        c.peer(),
        c.is_custodian(fx.custodian),
        c.is_ethics_approver(fx.approver),
        c.research_policy(),
        c.consents_of(fx.delegate, 0, 100),
    )
        .encode()
}

// ----- one test per message × unauthorized role ---------------------------------------------

carechain_shared::refused! {
    setup, fingerprint, Error;
    grant_refuses_stranger: stranger => NotAuthorized, |c, fx| c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + YEAR, DOC);
    grant_refuses_accessor: accessor => NotAuthorized, |c, fx| c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + YEAR, DOC);
    grant_refuses_expired_delegate: expired_delegate => NotAuthorized, |c, fx| c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + YEAR, DOC);
    grant_refuses_owner: owner => NotAuthorized, |c, fx| c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + YEAR, DOC);
    grant_refuses_researcher: researcher => NotAuthorized, |c, fx| c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + YEAR, DOC);
    grant_refuses_custodian: custodian => NotAuthorized, |c, fx| c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + YEAR, DOC);
    grant_refuses_approver: approver => NotAuthorized, |c, fx| c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + YEAR, DOC);

    revoke_refuses_stranger: stranger => NotAuthorized, |c, fx| c.revoke_consent(fx.consent_id);
    revoke_refuses_accessor: accessor => NotAuthorized, |c, fx| c.revoke_consent(fx.consent_id);
    revoke_refuses_expired_delegate: expired_delegate => NotAuthorized, |c, fx| c.revoke_consent(fx.consent_id);
    revoke_refuses_owner: owner => NotAuthorized, |c, fx| c.revoke_consent(fx.consent_id);

    add_deny_refuses_stranger: stranger => NotAuthorized, |c, fx| c.add_deny_rule(fx.patient, None, LAB, TREAT, T0, T0 + YEAR);
    add_deny_refuses_accessor: accessor => NotAuthorized, |c, fx| c.add_deny_rule(fx.patient, None, LAB, TREAT, T0, T0 + YEAR);
    add_deny_refuses_expired_delegate: expired_delegate => NotAuthorized, |c, fx| c.add_deny_rule(fx.patient, None, LAB, TREAT, T0, T0 + YEAR);
    add_deny_refuses_owner: owner => NotAuthorized, |c, fx| c.add_deny_rule(fx.patient, None, LAB, TREAT, T0, T0 + YEAR);

    remove_deny_refuses_stranger: stranger => NotAuthorized, |c, fx| c.remove_deny_rule(fx.patient, fx.rule_id);
    remove_deny_refuses_accessor: accessor => NotAuthorized, |c, fx| c.remove_deny_rule(fx.patient, fx.rule_id);
    remove_deny_refuses_expired_delegate: expired_delegate => NotAuthorized, |c, fx| c.remove_deny_rule(fx.patient, fx.rule_id);
    remove_deny_refuses_owner: owner => NotAuthorized, |c, fx| c.remove_deny_rule(fx.patient, fx.rule_id);
    remove_deny_refuses_delegate_on_the_patients_rule: delegate => DelegateCannotLift, |c, fx| c.remove_deny_rule(fx.patient, fx.rule_id);

    // Appointments are always the caller's own: another account naming bob's delegate only
    // touches its own list, and finds no such delegate.
    remove_delegate_refuses_stranger: stranger => UnknownDelegate, |c, fx| c.remove_delegate(fx.delegate);
    remove_delegate_refuses_the_delegate_itself: delegate => UnknownDelegate, |c, fx| c.remove_delegate(fx.delegate);
    remove_delegate_refuses_owner: owner => UnknownDelegate, |c, fx| c.remove_delegate(fx.delegate);

    approve_study_refuses_stranger: stranger => NotEthicsApprover, |c, fx| c.approve_study(fx.study_id, [3; 32]);
    approve_study_refuses_researcher: researcher => NotEthicsApprover, |c, fx| c.approve_study(fx.study_id, [3; 32]);
    approve_study_refuses_owner: owner => NotEthicsApprover, |c, fx| c.approve_study(fx.study_id, [3; 32]);
    approve_study_refuses_patient: patient => NotEthicsApprover, |c, fx| c.approve_study(fx.study_id, [3; 32]);

    suspend_study_refuses_stranger: stranger => NotAuthorized, |c, fx| c.suspend_study(fx.study_id);
    suspend_study_refuses_patient: patient => NotAuthorized, |c, fx| c.suspend_study(fx.study_id);
    suspend_study_refuses_owner: owner => NotAuthorized, |c, fx| c.suspend_study(fx.study_id);

    request_refuses_stranger: stranger => NotAuthorized, |c, fx| c.request_access(fx.study_id, fx.accessor);
    request_refuses_patient: patient => NotAuthorized, |c, fx| c.request_access(fx.study_id, fx.accessor);
    request_refuses_owner: owner => NotAuthorized, |c, fx| c.request_access(fx.study_id, fx.accessor);
    request_refuses_approver: approver => NotAuthorized, |c, fx| c.request_access(fx.study_id, fx.accessor);

    batch_request_refuses_stranger: stranger => NotAuthorized, |c, fx| c.request_access_batch(fx.study_id, vec![fx.accessor]);
    batch_request_refuses_patient: patient => NotAuthorized, |c, fx| c.request_access_batch(fx.study_id, vec![fx.accessor]);
    batch_request_refuses_owner: owner => NotAuthorized, |c, fx| c.request_access_batch(fx.study_id, vec![fx.accessor]);

    approve_refuses_stranger: stranger => NotAuthorized, |c, fx| c.approve_request(fx.patient, fx.study_id, DOC);
    approve_refuses_researcher: researcher => NotAuthorized, |c, fx| c.approve_request(fx.patient, fx.study_id, DOC);
    approve_refuses_expired_delegate: expired_delegate => NotAuthorized, |c, fx| c.approve_request(fx.patient, fx.study_id, DOC);
    approve_refuses_owner: owner => NotAuthorized, |c, fx| c.approve_request(fx.patient, fx.study_id, DOC);
    approve_refuses_accessor: accessor => NotAuthorized, |c, fx| c.approve_request(fx.patient, fx.study_id, DOC);
    approve_refuses_approver: approver => NotAuthorized, |c, fx| c.approve_request(fx.patient, fx.study_id, DOC);

    deny_request_refuses_stranger: stranger => NotAuthorized, |c, fx| c.deny_request(fx.patient, fx.study_id);
    deny_request_refuses_researcher: researcher => NotAuthorized, |c, fx| c.deny_request(fx.patient, fx.study_id);
    deny_request_refuses_expired_delegate: expired_delegate => NotAuthorized, |c, fx| c.deny_request(fx.patient, fx.study_id);
    deny_request_refuses_owner: owner => NotAuthorized, |c, fx| c.deny_request(fx.patient, fx.study_id);

    withdraw_refuses_patient: patient => NotAuthorized, |c, fx| c.withdraw_request(fx.study_id, fx.patient);
    withdraw_refuses_delegate: delegate => NotAuthorized, |c, fx| c.withdraw_request(fx.study_id, fx.patient);
    withdraw_refuses_stranger: stranger => NotAuthorized, |c, fx| c.withdraw_request(fx.study_id, fx.patient);
    withdraw_refuses_owner: owner => NotAuthorized, |c, fx| c.withdraw_request(fx.study_id, fx.patient);

    join_refuses_stranger: stranger => NotAuthorized, |c, fx| c.join_study(fx.patient, fx.study_id, DOC);
    join_refuses_researcher: researcher => NotAuthorized, |c, fx| c.join_study(fx.patient, fx.study_id, DOC);
    join_refuses_expired_delegate: expired_delegate => NotAuthorized, |c, fx| c.join_study(fx.patient, fx.study_id, DOC);

    block_refuses_stranger: stranger => NotAuthorized, |c, fx| c.block_researcher(fx.patient, fx.researcher);
    block_refuses_researcher: researcher => NotAuthorized, |c, fx| c.block_researcher(fx.patient, fx.researcher);
    block_refuses_owner: owner => NotAuthorized, |c, fx| c.block_researcher(fx.patient, fx.researcher);
    block_refuses_expired_delegate: expired_delegate => NotAuthorized, |c, fx| c.block_researcher(fx.patient, fx.researcher);

    unblock_refuses_stranger: stranger => NotAuthorized, |c, fx| c.unblock_researcher(fx.patient, fx.researcher);
    unblock_refuses_researcher: researcher => NotAuthorized, |c, fx| c.unblock_researcher(fx.patient, fx.researcher);

    record_refuses_stranger: stranger => NotAuthorized, |c, fx| c.record_access(fx.patient, fx.accessor, LAB, Purpose::Treatment);
    record_refuses_patient: patient => NotAuthorized, |c, fx| c.record_access(fx.patient, fx.accessor, LAB, Purpose::Treatment);
    record_refuses_accessor: accessor => NotAuthorized, |c, fx| c.record_access(fx.patient, fx.accessor, LAB, Purpose::Treatment);
    record_refuses_owner: owner => NotAuthorized, |c, fx| c.record_access(fx.patient, fx.accessor, LAB, Purpose::Treatment);

    // The storage refunds of a purge go to the caller: only the patient's side may collect them.
    purge_refuses_stranger: stranger => NotAuthorized, |c, fx| c.purge_expired(fx.patient);
    purge_refuses_owner: owner => NotAuthorized, |c, fx| c.purge_expired(fx.patient);
    purge_refuses_accessor: accessor => NotAuthorized, |c, fx| c.purge_expired(fx.patient);
    purge_refuses_expired_delegate: expired_delegate => NotAuthorized, |c, fx| c.purge_expired(fx.patient);

    set_custodian_refuses_stranger: stranger => NotOwner, |c, fx| c.set_custodian(fx.stranger, true);
    set_custodian_refuses_custodian: custodian => NotOwner, |c, fx| c.set_custodian(fx.stranger, true);
    set_approver_refuses_stranger: stranger => NotOwner, |c, fx| c.set_ethics_approver(fx.stranger, true);
    set_approver_refuses_approver: approver => NotOwner, |c, fx| c.set_ethics_approver(fx.stranger, true);
    set_policy_refuses_stranger: stranger => NotOwner, |c, _fx| c.set_research_policy(ResearchPolicy::DEFAULT);
    set_policy_refuses_researcher: researcher => NotOwner, |c, _fx| c.set_research_policy(ResearchPolicy::DEFAULT);
}

// The admin and wiring messages (`Administration`, `Wiring`) refuse with the shared `AdminError`.
carechain_shared::refused! {
    setup, fingerprint, AdminError;
    transfer_ownership_refuses_stranger: stranger => NotOwner, |c, fx| c.transfer_ownership(fx.stranger);
    transfer_ownership_refuses_patient: patient => NotOwner, |c, fx| c.transfer_ownership(fx.patient);
    accept_ownership_refuses_unproposed: stranger => NotPendingOwner, |c, _fx| c.accept_ownership();
    set_paused_refuses_stranger: stranger => NotOwner, |c, _fx| c.set_paused(true);
    set_paused_refuses_patient: patient => NotOwner, |c, _fx| c.set_paused(true);
    set_peer_refuses_stranger: stranger => NotOwner, |c, fx| c.set_peer(Some(fx.stranger));
    set_peer_refuses_patient: patient => NotOwner, |c, fx| c.set_peer(Some(fx.stranger));
    set_code_hash_refuses_stranger: stranger => NotOwner, |c, _fx| c.set_code_hash([9; 32].into());
    set_code_hash_refuses_patient: patient => NotOwner, |c, _fx| c.set_code_hash([9; 32].into());
    unwire_when_not_wired: owner => NotWired, |c, _fx| c.set_peer(None);
    wire_to_a_plain_account: owner => PeerNotContract, |c, fx| c.set_peer(Some(fx.stranger));
    unpause_when_running: owner => PauseUnchanged, |c, _fx| c.set_paused(false);
}

// ----- bad input, each with its typed error and no change ------------------------------------

carechain_shared::refused! {
    setup, fingerprint, Error;
    grant_rejects_self: patient => GrantToSelf, |c, fx| c.grant_consent(fx.patient, fx.patient, LAB, TREAT, T0, T0 + YEAR, DOC);
    grant_rejects_delegate_to_itself: delegate => GrantToSelf, |c, fx| c.grant_consent(fx.patient, fx.delegate, LAB, TREAT, T0, T0 + YEAR, DOC);
    grant_rejects_delegate_beyond_its_delegation: delegate => ExceedsDelegation, |c, fx| c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + YEAR + 1, DOC);
    grant_rejects_empty_categories: patient => InvalidCategories, |c, fx| c.grant_consent(fx.patient, fx.stranger, DataCategories::NONE, TREAT, T0, T0 + YEAR, DOC);
    grant_rejects_unknown_category_bits: patient => InvalidCategories, |c, fx| c.grant_consent(fx.patient, fx.stranger, DataCategories(0x8000), TREAT, T0, T0 + YEAR, DOC);
    grant_rejects_empty_purposes: patient => InvalidPurposes, |c, fx| c.grant_consent(fx.patient, fx.stranger, LAB, PurposeSet::EMPTY, T0, T0 + YEAR, DOC);
    grant_rejects_zero_hash: patient => ZeroHash, |c, fx| c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + YEAR, ZERO_HASH);
    grant_rejects_inverted_period: patient => InvalidPeriod, |c, fx| c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0 + YEAR, T0, DOC);
    grant_rejects_past_period: patient => PeriodInPast, |c, fx| c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0 - 100, T0, DOC);
    grant_rejects_overlong_period: patient => PeriodTooLong, |c, fx| c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + 11 * YEAR, DOC);
    revoke_unknown: patient => UnknownConsent, |c, _fx| c.revoke_consent(999);
    remove_unknown_rule: patient => UnknownDenyRule, |c, fx| c.remove_deny_rule(fx.patient, 999);
    deny_rule_rejects_empty_purposes: patient => InvalidPurposes, |c, fx| c.add_deny_rule(fx.patient, None, LAB, PurposeSet::EMPTY, T0, T0 + YEAR);
    deny_rule_rejects_past_period: patient => PeriodInPast, |c, fx| c.add_deny_rule(fx.patient, None, LAB, TREAT, T0 - 100, T0);
    appoint_rejects_self: patient => GrantToSelf, |c, fx| c.appoint_delegate(fx.patient, T0 + YEAR);
    appoint_rejects_past_expiry: patient => PeriodInPast, |c, fx| c.appoint_delegate(fx.stranger, T0);
    study_rejects_zero_protocol: researcher => ZeroHash, |c, _fx| c.register_study(ZERO_HASH, LAB, T0 + YEAR);
    study_rejects_past_end: researcher => PeriodInPast, |c, _fx| c.register_study([1; 32], LAB, T0);
    approve_study_unknown: approver => UnknownStudy, |c, _fx| c.approve_study(999, [3; 32]);
    approve_study_twice: approver => Unchanged, |c, fx| c.approve_study(fx.study_id, [3; 32]);
    approve_study_zero_hash: approver => ZeroHash, |c, fx| c.approve_study(fx.study_id, ZERO_HASH);
    suspend_unknown_study: approver => UnknownStudy, |c, _fx| c.suspend_study(999);
    request_unknown_study: researcher => UnknownStudy, |c, fx| c.request_access(999, fx.patient);
    request_duplicate: researcher => AlreadyRequested, |c, fx| c.request_access(fx.study_id, fx.patient);
    request_for_researcher_self: researcher => GrantToSelf, |c, fx| c.request_access(fx.study_id, fx.researcher);
    batch_empty: researcher => InvalidBatch, |c, fx| c.request_access_batch(fx.study_id, vec![]);
    batch_too_large: researcher => InvalidBatch, |c, fx| c.request_access_batch(fx.study_id, vec![fx.accessor; data::MAX_BATCH_REQUEST + 1]);
    batch_with_duplicate_is_all_or_nothing: researcher => InvalidBatch, |c, fx| c.request_access_batch(fx.study_id, vec![fx.accessor, fx.stranger, fx.accessor]);
    batch_with_already_requested_is_all_or_nothing: researcher => AlreadyRequested, |c, fx| c.request_access_batch(fx.study_id, vec![fx.accessor, fx.patient]);
    approve_unknown_study: patient => UnknownStudy, |c, fx| c.approve_request(fx.patient, 999, DOC);
    approve_unrequested_study: accessor => UnknownRequest, |c, fx| c.approve_request(fx.accessor, fx.study_id, DOC);
    approve_zero_hash: patient => ZeroHash, |c, fx| c.approve_request(fx.patient, fx.study_id, ZERO_HASH);
    deny_unknown_request: patient => UnknownRequest, |c, fx| c.deny_request(fx.patient, 999);
    withdraw_unknown_request: researcher => UnknownRequest, |c, fx| c.withdraw_request(fx.study_id, fx.accessor);
    join_unknown_study: patient => UnknownStudy, |c, fx| c.join_study(fx.patient, 999, DOC);
    unblock_when_not_blocked: patient => Unchanged, |c, fx| c.unblock_researcher(fx.patient, fx.researcher);
    // Off chain nothing is a contract; on chain, wiring an account without code is refused the same way.
    add_existing_custodian: owner => Unchanged, |c, fx| c.set_custodian(fx.custodian, true);
    remove_non_custodian: owner => Unchanged, |c, fx| c.set_custodian(fx.stranger, false);
    add_existing_approver: owner => Unchanged, |c, fx| c.set_ethics_approver(fx.approver, true);
    policy_out_of_bounds: owner => InvalidPolicy, |c, _fx| c.set_research_policy(ResearchPolicy { max_pending_per_researcher: 0, ..ResearchPolicy::DEFAULT });
}

// ----- pause ---------------------------------------------------------------------------------

fn paused() -> (ConsentRegistry, Fx) {
    let (mut c, fx) = setup();
    as_(fx.owner);
    c.set_paused(true).unwrap();
    (c, fx)
}

#[ink::test]
fn pause_refuses_what_creates_access_and_nothing_else() {
    let (mut c, fx) = paused();
    let before = fingerprint(&c, &fx);
    as_(fx.patient);
    assert_eq!(c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + YEAR, DOC), Err(Error::Paused));
    assert_eq!(c.remove_deny_rule(fx.patient, fx.rule_id), Err(Error::Paused));
    assert_eq!(c.appoint_delegate(fx.stranger, T0 + YEAR), Err(Error::Paused));
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

    // Everything that only narrows access, or protects the patient, still works.
    as_(fx.patient);
    c.add_deny_rule(fx.patient, Some(fx.stranger), LAB, TREAT, T0 + 10, T0 + YEAR).unwrap();
    c.deny_request(fx.patient, fx.study_id).unwrap();
    c.block_researcher(fx.patient, fx.researcher).unwrap();
    c.remove_delegate(fx.delegate).unwrap();
    c.purge_expired(fx.patient).unwrap();
    as_(fx.approver);
    c.suspend_study(fx.study_id).unwrap();
    // Checks and the audit trail keep working, and a revocation takes effect at once.
    assert_eq!(
        c.check_access(fx.patient, fx.accessor, LAB, Purpose::Treatment),
        AccessDecision::PermittedByConsent(fx.consent_id)
    );
    as_(fx.custodian);
    assert_eq!(
        c.record_access(fx.patient, fx.accessor, LAB, Purpose::Treatment),
        Ok(AccessDecision::PermittedByConsent(fx.consent_id))
    );
    as_(fx.patient);
    c.revoke_consent(fx.consent_id).unwrap();
    assert_eq!(
        c.check_access(fx.patient, fx.accessor, LAB, Purpose::Treatment),
        AccessDecision::Denied(DenyReason::NoConsent)
    );
    as_(fx.owner);
    assert_eq!(c.set_paused(true), Err(AdminError::PauseUnchanged));
    c.set_paused(false).unwrap();
    assert!(!last_event::<carechain_shared::events::PauseChanged>().paused);
}

// ----- behaviour -----------------------------------------------------------------------------

#[ink::test]
fn grant_then_check_then_revoke() {
    let (mut c, fx) = setup();
    as_(fx.patient);
    let id = c
        .grant_consent(fx.patient, fx.stranger, LAB.union(DataCategories::MEDICATIONS), TREAT, T0, T0 + MS_PER_DAY, DOC)
        .unwrap();
    let ev: ConsentGranted = last_event();
    assert_eq!((ev.patient, ev.accessor, ev.consent_id, ev.granted_by), (fx.patient, fx.stranger, id, fx.patient));
    assert_eq!(ev.document_hash, DOC);
    assert_eq!(
        c.check_access(fx.patient, fx.stranger, LAB, Purpose::Treatment),
        AccessDecision::PermittedByConsent(id)
    );
    assert_eq!(
        c.check_access(fx.patient, fx.stranger, LAB, Purpose::Research),
        AccessDecision::Denied(DenyReason::NoConsent)
    );
    assert_eq!(
        c.check_access(fx.patient, fx.stranger, DataCategories::GENOMICS, Purpose::Treatment),
        AccessDecision::Denied(DenyReason::NoConsent)
    );
    c.revoke_consent(id).unwrap();
    let ev: ConsentRevoked = last_event();
    assert_eq!((ev.consent_id, ev.revoked_by), (id, fx.patient));
    assert_eq!(
        c.check_access(fx.patient, fx.stranger, LAB, Purpose::Treatment),
        AccessDecision::Denied(DenyReason::NoConsent)
    );
    assert_eq!(c.consent(id).unwrap().revoked_at, Some(T0 + 10));
    assert_eq!(c.revoke_consent(id), Err(Error::AlreadyRevoked));
}

#[ink::test]
fn consent_expires_and_only_starts_at_from() {
    let (mut c, fx) = setup();
    as_(fx.patient);
    let id = c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0 + 100, T0 + 200, DOC).unwrap();
    let check = |c: &ConsentRegistry| c.check_access(fx.patient, fx.stranger, LAB, Purpose::Treatment);
    assert_eq!(check(&c), AccessDecision::Denied(DenyReason::NoConsent));
    at(T0 + 100);
    assert_eq!(check(&c), AccessDecision::PermittedByConsent(id));
    at(T0 + 200);
    assert_eq!(check(&c), AccessDecision::Denied(DenyReason::NoConsent));
}

#[ink::test]
fn deny_rule_overrides_consent_until_removed() {
    let (mut c, fx) = setup();
    as_(fx.patient);
    let rule = c.add_deny_rule(fx.patient, Some(fx.accessor), LAB, PurposeSet::ALL, T0, T0 + YEAR).unwrap();
    let ev: DenyRuleAdded = last_event();
    assert_eq!((ev.patient, ev.rule_id, ev.accessor, ev.added_by), (fx.patient, rule, Some(fx.accessor), fx.patient));
    assert_eq!(
        c.check_access(fx.patient, fx.accessor, LAB, Purpose::Treatment),
        AccessDecision::Denied(DenyReason::DeniedByRule(rule))
    );
    c.remove_deny_rule(fx.patient, rule).unwrap();
    assert_eq!(last_event::<DenyRuleRemoved>().rule_id, rule);
    assert_eq!(
        c.check_access(fx.patient, fx.accessor, LAB, Purpose::Treatment),
        AccessDecision::PermittedByConsent(fx.consent_id)
    );
}

#[ink::test]
fn a_delegate_lifts_its_own_rules_but_never_one_that_binds_it() {
    let (mut c, fx) = setup();
    as_(fx.patient);
    let names_delegate = c.add_deny_rule(fx.patient, Some(fx.delegate), LAB, PurposeSet::ALL, T0, T0 + YEAR).unwrap();
    as_(fx.delegate);
    let own = c.add_deny_rule(fx.patient, Some(fx.accessor), LAB, PurposeSet::ALL, T0, T0 + YEAR).unwrap();
    let own_for_everyone = c.add_deny_rule(fx.patient, None, LAB, PurposeSet::ALL, T0, T0 + YEAR).unwrap();
    assert_eq!(c.remove_deny_rule(fx.patient, names_delegate), Err(Error::DelegateCannotLift));
    assert_eq!(c.remove_deny_rule(fx.patient, own_for_everyone), Err(Error::DelegateCannotLift));
    c.remove_deny_rule(fx.patient, own).unwrap();
    assert_eq!(last_event::<DenyRuleRemoved>().removed_by, fx.delegate);
    // The delegate stays denied by the rule naming it.
    assert_eq!(
        c.check_access(fx.patient, fx.delegate, LAB, Purpose::Treatment),
        AccessDecision::Denied(DenyReason::DeniedByRule(names_delegate))
    );
}

#[ink::test]
fn delegate_acts_for_patient_until_expiry() {
    let (mut c, fx) = setup();
    as_(fx.delegate);
    let id = c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + YEAR, DOC).unwrap();
    assert_eq!(c.consent(id).unwrap().granted_by, fx.delegate);
    c.revoke_consent(id).unwrap();
    assert_eq!(last_event::<ConsentRevoked>().revoked_by, fx.delegate);
    // A delegate cannot appoint delegates for the patient: appoint_delegate acts for the caller.
    c.appoint_delegate(fx.stranger, T0 + YEAR).unwrap();
    assert_eq!(c.delegates_of(fx.patient, 0, 10).len(), 2);
    assert_eq!(c.delegates_of(fx.delegate, 0, 10)[0].delegate, fx.stranger);
    at(T0 + YEAR);
    assert_eq!(c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + 2 * YEAR, DOC), Err(Error::NotAuthorized));
}

#[ink::test]
fn removing_or_shortening_a_delegation_revokes_what_it_granted() {
    let (mut c, fx) = setup();
    let other = AccountId::from([0x66; 32]);
    as_(fx.delegate);
    let long = c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + YEAR, DOC).unwrap();
    let short = c.grant_consent(fx.patient, other, LAB, TREAT, T0, T0 + MS_PER_DAY, DOC).unwrap();
    // Shortening to two days ends the year-long consent, not the one-day one.
    as_(fx.patient);
    c.appoint_delegate(fx.delegate, T0 + 2 * MS_PER_DAY).unwrap();
    assert!(c.consent(long).unwrap().revoked_at.is_some());
    assert!(c.consent(short).unwrap().revoked_at.is_none());
    assert_eq!(c.consent(fx.consent_id).unwrap().revoked_at, None, "the patient's own consent stays");
    // Removing the delegate ends the rest at once.
    c.remove_delegate(fx.delegate).unwrap();
    assert_eq!(last_event::<DelegateRemoved>().delegate, fx.delegate);
    let revoked: ConsentRevoked = carechain_shared::testing::nth_last_event(1);
    assert_eq!((revoked.consent_id, revoked.revoked_by), (short, fx.patient));
    assert_eq!(
        c.check_access(fx.patient, other, LAB, Purpose::Treatment),
        AccessDecision::Denied(DenyReason::NoConsent)
    );
}

#[ink::test]
fn appoint_and_remove_delegate_emit_events() {
    let (mut c, fx) = setup();
    as_(fx.patient);
    c.appoint_delegate(fx.stranger, T0 + MS_PER_DAY).unwrap();
    let ev: DelegateAppointed = last_event();
    assert_eq!((ev.patient, ev.delegate, ev.expires_at), (fx.patient, fx.stranger, T0 + MS_PER_DAY));
    c.appoint_delegate(fx.stranger, T0 + 2 * MS_PER_DAY).unwrap();
    assert_eq!(c.delegates_of(fx.patient, 0, 10).len(), 3, "re-appointing moves the expiry");
    c.remove_delegate(fx.stranger).unwrap();
    assert_eq!(last_event::<DelegateRemoved>().delegate, fx.stranger);
    c.appoint_delegate(AccountId::from([0x44; 32]), T0 + YEAR).unwrap();
    c.appoint_delegate(AccountId::from([0x45; 32]), T0 + YEAR).unwrap();
    assert_eq!(c.appoint_delegate(AccountId::from([0x46; 32]), T0 + YEAR), Err(Error::CapacityReached));
}

#[ink::test]
fn custodian_records_permitted_and_refused_access() {
    let (mut c, fx) = setup();
    as_(fx.custodian);
    let d = c.record_access(fx.patient, fx.accessor, LAB, Purpose::Treatment).unwrap();
    assert_eq!(d, AccessDecision::PermittedByConsent(fx.consent_id));
    let ev: AccessRecorded = last_event();
    assert_eq!((ev.patient, ev.accessor, ev.custodian, ev.decision), (fx.patient, fx.accessor, fx.custodian, d));
    let d = c.record_access(fx.patient, fx.stranger, LAB, Purpose::Treatment).unwrap();
    assert_eq!(d, AccessDecision::Denied(DenyReason::NoConsent));
    assert_eq!(last_event::<AccessRecorded>().decision, d, "refusals are audited too");
    as_(fx.owner);
    c.set_custodian(fx.custodian, false).unwrap();
    assert!(!last_event::<CustodianChanged>().active);
    as_(fx.custodian);
    assert_eq!(c.record_access(fx.patient, fx.accessor, LAB, Purpose::Treatment), Err(Error::NotAuthorized));
}

#[ink::test]
fn emergency_purpose_without_break_glass_is_a_clear_denial() {
    let (c, fx) = setup();
    assert_eq!(
        c.check_access(fx.patient, fx.stranger, DataCategories::EMERGENCY_SUMMARY, Purpose::EmergencyTreatment),
        AccessDecision::Denied(DenyReason::BreakGlassNotWired)
    );
    assert_eq!(
        c.check_access(fx.patient, fx.stranger, DataCategories::NONE, Purpose::EmergencyTreatment),
        AccessDecision::Denied(DenyReason::InvalidRequest)
    );
}

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
    assert!(c.approve_request(fx.patient, id, DOC).is_ok());
}

#[ink::test]
fn research_request_approved_creates_narrow_consent() {
    let (mut c, fx) = setup();
    as_(fx.delegate);
    let consent_id = c.approve_request(fx.patient, fx.study_id, DOC).unwrap();
    let closed: RequestClosed = last_event();
    assert_eq!(
        (closed.study_id, closed.patient, closed.outcome, closed.closed_by),
        (fx.study_id, fx.patient, RequestOutcome::Approved(consent_id), fx.delegate)
    );
    let consent = c.consent(consent_id).unwrap();
    assert_eq!((consent.accessor, consent.categories, consent.study_id), (fx.researcher, LAB, Some(fx.study_id)));
    assert_eq!(consent.period.until, T0 + YEAR);
    assert_eq!(
        c.check_access(fx.patient, fx.researcher, LAB, Purpose::Research),
        AccessDecision::PermittedByConsent(consent_id)
    );
    assert_eq!(
        c.check_access(fx.patient, fx.researcher, LAB, Purpose::Treatment),
        AccessDecision::Denied(DenyReason::NoConsent)
    );
    assert!(c.pending_requests_of(fx.patient, 0, 10).is_empty());
    assert_eq!(c.approve_request(fx.patient, fx.study_id, DOC), Err(Error::UnknownRequest));
    // The study's consent ends with the study.
    at(T0 + YEAR);
    assert_eq!(
        c.check_access(fx.patient, fx.researcher, LAB, Purpose::Research),
        AccessDecision::Denied(DenyReason::NoConsent)
    );
}

#[ink::test]
fn a_denied_study_cools_down_and_a_lapsed_one_asks_again() {
    let (mut c, fx) = setup();
    as_(fx.patient);
    c.deny_request(fx.patient, fx.study_id).unwrap();
    assert_eq!(last_event::<RequestClosed>().outcome, RequestOutcome::Denied);
    let policy = c.research_policy();
    assert_eq!(c.cooldown_until(fx.patient, fx.study_id), Some(T0 + 10 + policy.denial_cooldown));
    as_(fx.researcher);
    assert_eq!(c.request_access(fx.study_id, fx.patient), Err(Error::CoolingDown));
    // Another patient is unaffected; the event names the researcher and the study only.
    c.request_access(fx.study_id, fx.accessor).unwrap();
    let ev: AccessRequested = last_event();
    assert_eq!((ev.researcher, ev.study_id, ev.count), (fx.researcher, fx.study_id, 1));
    assert_eq!(events().last().unwrap().topics.len(), 2, "signature and researcher, no patient");
    c.withdraw_request(fx.study_id, fx.accessor).unwrap();
    assert_eq!(last_event::<RequestClosed>().outcome, RequestOutcome::Withdrawn);
    c.request_access(fx.study_id, fx.accessor).unwrap();
    at(T0 + 10 + policy.request_ttl);
    as_(fx.accessor);
    assert_eq!(c.approve_request(fx.accessor, fx.study_id, DOC), Err(Error::RequestExpired));
    as_(fx.researcher);
    c.request_access(fx.study_id, fx.accessor).unwrap();
    assert_eq!(c.pending_requests_of(fx.accessor, 0, 10).len(), 1, "the lapsed request was replaced, not added");
    at(T0 + 10 + policy.denial_cooldown);
    assert!(c.request_access(fx.study_id, fx.patient).is_ok(), "after the cool-down the study may ask again");
}

#[ink::test]
fn a_blocked_researcher_loses_its_requests_and_cannot_ask() {
    let (mut c, fx) = setup();
    as_(fx.delegate);
    c.block_researcher(fx.patient, fx.researcher).unwrap();
    let ev: ResearcherBlocked = last_event();
    assert_eq!((ev.patient, ev.researcher, ev.withdrawn_requests, ev.by), (fx.patient, fx.researcher, 1, fx.delegate));
    assert!(c.pending_requests_of(fx.patient, 0, 10).is_empty());
    assert_eq!(c.block_researcher(fx.patient, fx.researcher), Err(Error::Unchanged));
    as_(fx.researcher);
    assert_eq!(c.request_access(fx.study_id, fx.patient), Err(Error::ResearcherBlocked));
    assert_eq!(c.request_access_batch(fx.study_id, vec![fx.accessor, fx.patient]), Err(Error::ResearcherBlocked));
    // The patient lifts it; a delegate could not lift a block the patient set.
    as_(fx.patient);
    c.unblock_researcher(fx.patient, fx.researcher).unwrap();
    c.block_researcher(fx.patient, fx.researcher).unwrap();
    as_(fx.delegate);
    assert_eq!(c.unblock_researcher(fx.patient, fx.researcher), Err(Error::DelegateCannotLift));
    as_(fx.patient);
    c.unblock_researcher(fx.patient, fx.researcher).unwrap();
    assert_eq!(last_event::<ResearcherUnblocked>().by, fx.patient);
    as_(fx.researcher);
    assert!(c.request_access(fx.study_id, fx.patient).is_ok());
}

#[ink::test]
fn batch_request_and_join_study() {
    let (mut c, fx) = setup();
    as_(fx.researcher);
    c.request_access_batch(fx.study_id, vec![fx.accessor, fx.stranger]).unwrap();
    assert_eq!(last_event::<AccessRequested>().count, 2);
    assert_eq!(c.pending_requests_of(fx.stranger, 0, 10)[0].study_id, fx.study_id);
    as_(fx.stranger);
    let consent = c.join_study(fx.stranger, fx.study_id, DOC).unwrap();
    assert_eq!(last_event::<ConsentGranted>().study_id, Some(fx.study_id));
    assert_eq!(
        c.check_access(fx.stranger, fx.researcher, LAB, Purpose::Research),
        AccessDecision::PermittedByConsent(consent)
    );
    at(T0 + YEAR);
    assert_eq!(c.join_study(fx.stranger, fx.study_id, DOC), Err(Error::StudyEnded));
    as_(fx.researcher);
    assert_eq!(c.request_access(fx.study_id, fx.owner), Err(Error::StudyEnded));
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
fn capacity_per_pair_and_purge_frees_storage() {
    let (mut c, fx) = setup();
    as_(fx.patient);
    let mut ids = vec![];
    for i in 0..data::MAX_ACTIVE_CONSENTS_PER_PAIR {
        ids.push(c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + 20 + i as u64, DOC).unwrap());
    }
    assert_eq!(c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + YEAR, DOC), Err(Error::CapacityReached));
    // Only the fixture's expired delegation can go yet.
    assert_eq!(c.purge_expired(fx.patient), Ok(data::PurgeReport { delegates: 1, ..Default::default() }));
    assert_eq!(last_event::<Purged>().delegates, 1);
    // Nothing left to free: purge reports nothing and emits nothing.
    let n = events().len();
    assert!(c.purge_expired(fx.patient).unwrap().is_empty());
    assert_eq!(events().len(), n);
    at(T0 + YEAR + 1);
    let report = c.purge_expired(fx.patient).unwrap();
    // All 8 plus the fixture's consent, its deny rule, the remaining delegation, and the request.
    assert_eq!(report.consents, 9);
    assert_eq!(report.deny_rules, 1);
    assert_eq!(report.delegates, 1);
    assert_eq!(report.requests, 1);
    let ev: Purged = last_event();
    assert_eq!((ev.patient, ev.consents, ev.requests), (fx.patient, 9, 1));
    assert!(c.consents_of(fx.patient, 0, 100).is_empty());
    assert!(c.consent(ids[0]).is_none(), "record freed");
    assert!(c.request(fx.patient, fx.study_id).is_none(), "lapsed request freed");
    at(T0 + YEAR + 2);
    assert!(c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0 + YEAR + 2, T0 + 2 * YEAR, DOC).is_ok());
}

#[ink::test]
fn a_delegate_may_purge_for_the_patient() {
    let (mut c, fx) = setup();
    as_(fx.delegate);
    assert_eq!(c.purge_expired(fx.patient).map(|r| r.delegates), Ok(1));
}

#[ink::test]
fn revoked_consents_are_purged_while_live_ones_stay() {
    let (mut c, fx) = setup();
    as_(fx.patient);
    let id = c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + YEAR, DOC).unwrap();
    c.revoke_consent(id).unwrap();
    let report = c.purge_expired(fx.patient).unwrap();
    assert_eq!(report.consents, 1);
    assert_eq!(c.consents_of(fx.patient, 0, 10).len(), 1);
    assert_eq!(c.consents_of(fx.patient, 0, 10)[0].id, fx.consent_id);
    assert_eq!(c.revoke_consent(id), Err(Error::UnknownConsent));
}

#[ink::test]
fn pagination_is_bounded() {
    let (mut c, fx) = setup();
    as_(fx.patient);
    for i in 0..40u8 {
        c.grant_consent(fx.patient, AccountId::from([100 + i; 32]), LAB, TREAT, T0, T0 + YEAR, DOC).unwrap();
    }
    assert_eq!(c.consents_of(fx.patient, 0, 1000).len(), 32);
    assert_eq!(c.consents_of(fx.patient, 32, 1000).len(), 9);
    assert_eq!(c.consents_of(fx.patient, 5, 2)[0].accessor, AccountId::from([104; 32]));
    assert!(c.consents_of(fx.patient, 100, 10).is_empty());
}

#[ink::test]
fn two_step_ownership_transfer() {
    let (mut c, fx) = setup();
    as_(fx.owner);
    c.transfer_ownership(fx.stranger).unwrap();
    let ev: carechain_shared::events::OwnershipTransferStarted = last_event();
    assert_eq!((ev.owner, ev.pending_owner), (fx.owner, fx.stranger));
    as_(fx.patient);
    assert_eq!(c.accept_ownership(), Err(AdminError::NotPendingOwner));
    as_(fx.stranger);
    c.accept_ownership().unwrap();
    let ev: carechain_shared::events::OwnershipTransferred = last_event();
    assert_eq!((ev.previous_owner, ev.new_owner), (fx.owner, fx.stranger));
    assert_eq!(c.admin().owner, fx.stranger);
    as_(fx.owner);
    assert_eq!(c.set_paused(true), Err(AdminError::NotOwner));
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
