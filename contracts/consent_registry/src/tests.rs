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
use crate::data;
use crate::events::*;
use crate::Error;
use carechain_shared::testing::{emitted as events, last_event, set_caller as as_, set_time as at};
use carechain_shared::traits::{ConsentCheck, ResearchConsents};
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
    consent_id: ConsentId,
    rule_id: DenyRuleId,
}

/// Owner alice deploys; patient bob has an active delegate (charlie, for a year) and an
/// expired one, granted django lab results for treatment, and denies an unrelated accessor;
/// a custodian is registered; frank is a researcher with no standing here.
fn setup() -> (ConsentRegistry, Fx) {
    let a = test::default_accounts::<Env>();
    let (owner, patient, delegate, accessor, stranger, researcher) =
        (a.alice, a.bob, a.charlie, a.django, a.eve, a.frank);
    let (expired_delegate, custodian) = (AccountId::from([0x11; 32]), AccountId::from([0x22; 32]));
    at(T0);
    as_(owner);
    let mut c = ConsentRegistry::new();
    c.set_custodian(custodian, true).unwrap();
    as_(patient);
    c.appoint_delegate(delegate, T0 + YEAR).unwrap();
    c.appoint_delegate(expired_delegate, T0 + 5).unwrap();
    let consent_id = c.grant_consent(patient, accessor, LAB, TREAT, T0, T0 + YEAR, DOC).unwrap();
    let rule_id = c
        .add_deny_rule(patient, Some(AccountId::from([0x33; 32])), DataCategories::ALL, PurposeSet::ALL, T0, T0 + YEAR)
        .unwrap();
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
        consent_id,
        rule_id,
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
        c.admin(),
        c.peer(),
        c.research_registry(),
        c.is_custodian(fx.custodian),
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
}

// `set_research_registry` is admin wiring: it refuses with the shared `AdminError`.
carechain_shared::refused! {
    setup, fingerprint, AdminError;
    set_research_registry_refuses_stranger: stranger => NotOwner, |c, fx| c.set_research_registry(Some(peer(fx.stranger)));
    set_research_registry_refuses_researcher: researcher => NotOwner, |c, fx| c.set_research_registry(Some(peer(fx.researcher)));
    set_research_registry_refuses_patient: patient => NotOwner, |c, fx| c.set_research_registry(Some(peer(fx.stranger)));
    unwire_research_when_not_wired: owner => NotWired, |c, _fx| c.set_research_registry(None);
    wire_research_to_a_plain_account: owner => PeerNotContract, |c, fx| c.set_research_registry(Some(peer(fx.researcher)));
    trust_itself_as_research: owner => PeerIsSelf, |c, _fx| c.set_research_registry(Some(peer(test::callee::<Env>())));
}

// Only the wired research_registry (by address and pinned code) creates research consents;
// off chain nothing is a contract, so every caller is refused, the wired one included.
carechain_shared::refused! {
    setup, fingerprint, GrantRefusal;
    research_grant_refuses_researcher: researcher => NotAuthorized, |c, fx| c.grant_research_consent(fx.patient, fx.patient, terms(fx), DOC);
    research_grant_refuses_patient: patient => NotAuthorized, |c, fx| c.grant_research_consent(fx.patient, fx.patient, terms(fx), DOC);
    research_grant_refuses_owner: owner => NotAuthorized, |c, fx| c.grant_research_consent(fx.patient, fx.patient, terms(fx), DOC);
    research_grant_refuses_stranger: stranger => NotAuthorized, |c, fx| c.grant_research_consent(fx.patient, fx.delegate, terms(fx), DOC);
}

// The admin and wiring messages (`Administration`, `Wiring`) refuse with the shared `AdminError`.
carechain_shared::refused! {
    setup, fingerprint, AdminError;
    transfer_ownership_refuses_stranger: stranger => NotOwner, |c, fx| c.transfer_ownership(fx.stranger);
    transfer_ownership_refuses_patient: patient => NotOwner, |c, fx| c.transfer_ownership(fx.patient);
    accept_ownership_refuses_unproposed: stranger => NotPendingOwner, |c, _fx| c.accept_ownership();
    set_paused_refuses_stranger: stranger => NotOwner, |c, _fx| c.set_paused(true);
    set_paused_refuses_patient: patient => NotOwner, |c, _fx| c.set_paused(true);
    set_peer_refuses_stranger: stranger => NotOwner, |c, fx| c.set_peer(Some(peer(fx.stranger)));
    set_peer_refuses_patient: patient => NotOwner, |c, fx| c.set_peer(Some(peer(fx.stranger)));
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
    // Off chain nothing is a contract; on chain, wiring an account without code is refused the same way.
    add_existing_custodian: owner => Unchanged, |c, fx| c.set_custodian(fx.custodian, true);
    remove_non_custodian: owner => Unchanged, |c, fx| c.set_custodian(fx.stranger, false);
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
    assert_eq!(c.appoint_delegate(fx.stranger, T0 + YEAR), Err(Error::Paused), "a new delegate");
    assert_eq!(c.appoint_delegate(fx.delegate, T0 + YEAR + 1), Err(Error::Paused), "a longer delegation");
    assert_eq!(fingerprint(&c, &fx), before);

    // Everything that only narrows access, or protects the patient, still works — judged by
    // what the arguments do (issue 27, item 6): a shorter delegation is a narrowing, and it
    // revokes the delegate's grant that would outlive it.
    as_(fx.owner);
    c.set_paused(false).unwrap();
    as_(fx.delegate);
    let long = c.grant_consent(fx.patient, fx.stranger, LAB, TREAT, T0, T0 + YEAR, DOC).unwrap();
    as_(fx.owner);
    c.set_paused(true).unwrap();
    as_(fx.patient);
    c.appoint_delegate(fx.delegate, T0 + MS_PER_DAY).unwrap();
    assert_eq!(last_event::<DelegateAppointed>().expires_at, T0 + MS_PER_DAY);
    assert!(c.consent(long).unwrap().revoked_at.is_some(), "the delegate's year-long grant is revoked");
    assert_eq!(
        c.appoint_delegate(fx.delegate, T0 + MS_PER_DAY),
        Err(Error::Paused),
        "the same end widens nothing, but is no narrowing either"
    );
    as_(fx.patient);
    c.add_deny_rule(fx.patient, Some(fx.stranger), LAB, TREAT, T0 + 10, T0 + YEAR).unwrap();
    c.remove_delegate(fx.delegate).unwrap();
    c.purge_expired(fx.patient).unwrap();
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
    // All 8 plus the fixture's consent, its deny rule and the remaining delegation.
    assert_eq!(report.consents, 9);
    assert_eq!(report.deny_rules, 1);
    assert_eq!(report.delegates, 1);
    let ev: Purged = last_event();
    assert_eq!((ev.patient, ev.consents, ev.delegates), (fx.patient, 9, 1));
    assert!(c.consents_of(fx.patient, 0, 100).is_empty());
    assert!(c.consent(ids[0]).is_none(), "record freed");
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

fn terms(fx: &Fx) -> ResearchTerms {
    ResearchTerms { study_id: 1, researcher: fx.researcher, categories: LAB, ends_at: T0 + YEAR }
}

#[ink::test]
fn acting_for_answers_from_the_registrys_own_delegations() {
    let (c, fx) = setup();
    assert_eq!(c.acting_for(fx.patient, fx.patient), Some(Actor::Patient));
    assert_eq!(
        c.acting_for(fx.patient, fx.delegate),
        Some(Actor::Delegate { account: fx.delegate, expires_at: T0 + YEAR })
    );
    assert_eq!(c.acting_for(fx.patient, fx.expired_delegate), None);
    assert_eq!(c.acting_for(fx.patient, fx.stranger), None);
    assert_eq!(c.acting_for(fx.delegate, fx.patient), None, "delegation is one way");
}

/// A peer to wire: an address and the code hash the owner states for it.
fn peer(address: AccountId) -> Peer {
    Peer { address, code_hash: [7; 32].into() }
}
