//! Off-chain unit tests of the break_glass shell (rules are tested in `data`). Every refusal
//! asserts the exact error, no event, and an unchanged fingerprint of the readable state.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]

use crate::break_glass::{BreakGlass, PendingReview};
use crate::data::{self, Policy, Reinstatement, ResponderStatus, ReviewStatus};
use crate::events::*;
use crate::Error;
use carechain_shared::testing::{emitted as events, last_event, nth_last_event, set_caller as as_, set_time as at};
use carechain_shared::traits::EmergencyAccess;
use carechain_shared::*;
use carechain_shared::{AdminError, Administration};
use ink::env::test;
use ink::env::DefaultEnvironment as Env;
use ink::primitives::AccountId;
use ink::scale::{Decode, Encode};

const T0: Timestamp = 1_767_225_600_000;
const ES: DataCategories = DataCategories::EMERGENCY_SUMMARY;
const WHY: Hash32 = [0x77; 32];
const REVIEW: Hash32 = [0x88; 32];

#[derive(Clone, Copy)]
struct Fx {
    owner: AccountId,
    /// Registered both responders: may suspend them, never review or reinstate them.
    authority: AccountId,
    authority2: AccountId,
    authority3: AccountId,
    responder: AccountId,
    suspended: AccountId,
    patient: AccountId,
    stranger: AccountId,
    grant_id: GrantId,
}

/// Owner alice; authorities bob, charlie and a third; bob registered responder django and a
/// second responder he suspended; django broke the glass for eve at T0.
fn setup() -> (BreakGlass, Fx) {
    let a = test::default_accounts::<Env>();
    let (suspended, authority3) = (AccountId::from([0x11; 32]), AccountId::from([0x33; 32]));
    at(T0);
    as_(a.alice);
    let mut c = BreakGlass::with_default_policy();
    c.set_authority(a.bob, true).unwrap();
    c.set_authority(a.charlie, true).unwrap();
    c.set_authority(authority3, true).unwrap();
    as_(a.bob);
    c.register_responder(a.django, [1; 32], [2; 32]).unwrap();
    c.register_responder(suspended, [3; 32], [2; 32]).unwrap();
    c.suspend_responder(suspended).unwrap();
    as_(a.django);
    let grant_id = c.break_glass(a.eve, ES, WHY).unwrap();
    at(T0 + 10);
    let fx = Fx {
        owner: a.alice,
        authority: a.bob,
        authority2: a.charlie,
        authority3,
        responder: a.django,
        suspended,
        patient: a.eve,
        stranger: a.frank,
        grant_id,
    };
    (c, fx)
}

fn fingerprint(c: &BreakGlass, fx: &Fx) -> Vec<u8> {
    (
        c.grant(fx.grant_id),
        c.responder(fx.responder),
        c.responder(fx.suspended),
        c.is_authority(fx.authority),
        c.is_authority(fx.stranger),
        c.emergency_preferences(fx.patient),
        c.policy(),
        c.pending_reviews(0, 100),
        c.admin(),
    )
        .encode()
}

carechain_shared::refused! {
    setup, fingerprint, Error;
    set_authority_refuses_stranger: stranger => NotOwner, |c, fx| c.set_authority(fx.stranger, true);
    set_authority_refuses_authority: authority => NotOwner, |c, fx| c.set_authority(fx.stranger, true);
    set_authority_refuses_responder: responder => NotOwner, |c, fx| c.set_authority(fx.responder, true);

    register_refuses_stranger: stranger => NotAuthority, |c, fx| c.register_responder(fx.stranger, [1; 32], [2; 32]);
    register_refuses_owner: owner => NotAuthority, |c, fx| c.register_responder(fx.stranger, [1; 32], [2; 32]);
    register_refuses_responder: responder => NotAuthority, |c, fx| c.register_responder(fx.stranger, [1; 32], [2; 32]);
    register_refuses_patient: patient => NotAuthority, |c, fx| c.register_responder(fx.stranger, [1; 32], [2; 32]);

    suspend_refuses_stranger: stranger => NotAuthority, |c, fx| c.suspend_responder(fx.responder);
    suspend_refuses_owner: owner => NotAuthority, |c, fx| c.suspend_responder(fx.responder);
    suspend_refuses_responder: responder => NotAuthority, |c, fx| c.suspend_responder(fx.responder);
    suspend_refuses_patient: patient => NotAuthority, |c, fx| c.suspend_responder(fx.responder);

    reinstate_refuses_stranger: stranger => NotAuthority, |c, fx| c.reinstate_responder(fx.suspended);
    reinstate_refuses_owner: owner => NotAuthority, |c, fx| c.reinstate_responder(fx.suspended);
    reinstate_refuses_suspended_self: suspended => NotAuthority, |c, fx| c.reinstate_responder(fx.suspended);

    dispute_refuses_stranger: stranger => NotAuthorized, |c, fx| c.dispute_grant(fx.grant_id);
    dispute_refuses_responder: responder => NotAuthorized, |c, fx| c.dispute_grant(fx.grant_id);
    dispute_refuses_authority: authority => NotAuthorized, |c, fx| c.dispute_grant(fx.grant_id);
    dispute_refuses_owner: owner => NotAuthorized, |c, fx| c.dispute_grant(fx.grant_id);

    break_refuses_stranger: stranger => NotResponder, |c, fx| c.break_glass(fx.owner, ES, WHY);
    break_refuses_patient: patient => NotResponder, |c, fx| c.break_glass(fx.owner, ES, WHY);
    break_refuses_authority: authority => NotResponder, |c, fx| c.break_glass(fx.patient, ES, WHY);
    break_refuses_owner: owner => NotResponder, |c, fx| c.break_glass(fx.patient, ES, WHY);
    break_refuses_suspended_responder: suspended => ResponderSuspended, |c, fx| c.break_glass(fx.patient, ES, WHY);

    end_refuses_stranger: stranger => NotAuthorized, |c, fx| c.end_grant(fx.grant_id);
    end_refuses_patient: patient => NotAuthorized, |c, fx| c.end_grant(fx.grant_id);
    end_refuses_authority: authority => NotAuthorized, |c, fx| c.end_grant(fx.grant_id);
    end_refuses_other_responder: suspended => NotAuthorized, |c, fx| c.end_grant(fx.grant_id);

    review_refuses_stranger: stranger => NotAuthority, |c, fx| c.review_grant(fx.grant_id, true, REVIEW);
    review_refuses_owner: owner => NotAuthority, |c, fx| c.review_grant(fx.grant_id, true, REVIEW);
    review_refuses_patient: patient => NotAuthority, |c, fx| c.review_grant(fx.grant_id, false, REVIEW);
    review_refuses_responder: responder => NotAuthority, |c, fx| c.review_grant(fx.grant_id, true, REVIEW);
    review_refuses_the_responders_registrar: authority => ConflictOfInterest, |c, fx| c.review_grant(fx.grant_id, true, REVIEW);
    reinstate_refuses_the_responders_registrar: authority => ConflictOfInterest, |c, fx| c.reinstate_responder(fx.suspended);

    set_policy_refuses_stranger: stranger => NotOwner, |c, _fx| c.set_policy(Policy::DEFAULT);
    set_policy_refuses_authority: authority => NotOwner, |c, _fx| c.set_policy(Policy::DEFAULT);
}

// The admin and wiring messages (`Administration`, `Wiring`) refuse with the shared `AdminError`.
carechain_shared::refused! {
    setup, fingerprint, AdminError;
    transfer_ownership_refuses_stranger: stranger => NotOwner, |c, fx| c.transfer_ownership(fx.stranger);
    transfer_ownership_refuses_authority: authority => NotOwner, |c, fx| c.transfer_ownership(fx.authority);
    accept_ownership_refuses_unproposed: stranger => NotPendingOwner, |c, _fx| c.accept_ownership();
    set_paused_refuses_stranger: stranger => NotOwner, |c, _fx| c.set_paused(true);
    set_paused_refuses_authority: authority => NotOwner, |c, _fx| c.set_paused(true);
    set_code_hash_refuses_stranger: stranger => NotOwner, |c, _fx| c.set_code_hash([9; 32].into());
    set_code_hash_refuses_authority: authority => NotOwner, |c, _fx| c.set_code_hash([9; 32].into());
}

// ----- bad input ------------------------------------------------------------------------------

carechain_shared::refused! {
    setup, fingerprint, Error;
    register_twice: authority => AlreadyRegistered, |c, fx| c.register_responder(fx.responder, [1; 32], [2; 32]);
    register_zero_credential: authority => ZeroHash, |c, fx| c.register_responder(fx.stranger, ZERO_HASH, [2; 32]);
    suspend_unknown: authority => NotResponder, |c, fx| c.suspend_responder(fx.stranger);
    suspend_twice: authority => ResponderSuspended, |c, fx| c.suspend_responder(fx.suspended);
    reinstate_active: authority2 => ResponderNotSuspended, |c, fx| c.reinstate_responder(fx.responder);
    authority_cannot_become_responder: authority => RoleConflict, |c, fx| c.register_responder(fx.authority2, [1; 32], [2; 32]);
    responder_cannot_become_authority: owner => RoleConflict, |c, fx| c.set_authority(fx.responder, true);
    preferences_empty_without_opt_out: patient => InvalidCategories, |c, _fx| c.set_emergency_preferences(DataCategories::NONE, false);
    preferences_unknown_bits: patient => InvalidCategories, |c, _fx| c.set_emergency_preferences(DataCategories(0x4000), false);
    break_own_record: responder => SelfAccess, |c, fx| c.break_glass(fx.responder, ES, WHY);
    break_empty_categories: responder => InvalidCategories, |c, fx| c.break_glass(fx.stranger, DataCategories::NONE, WHY);
    break_beyond_preferences: responder => CategoriesNotAllowed, |c, fx| c.break_glass(fx.stranger, DataCategories::MEDICATIONS, WHY);
    break_zero_justification: responder => ZeroHash, |c, fx| c.break_glass(fx.stranger, ES, ZERO_HASH);
    break_while_grant_active: responder => GrantAlreadyActive, |c, fx| c.break_glass(fx.patient, ES, WHY);
    end_unknown: responder => UnknownGrant, |c, _fx| c.end_grant(999);
    review_unknown: authority2 => UnknownGrant, |c, _fx| c.review_grant(999, true, REVIEW);
    review_zero_hash: authority2 => ZeroHash, |c, fx| c.review_grant(fx.grant_id, true, ZERO_HASH);
    flag_not_overdue: stranger => ReviewNotOverdue, |c, fx| c.flag_overdue(fx.grant_id);
    flag_unknown: stranger => UnknownGrant, |c, _fx| c.flag_overdue(999);
    dispute_pending: patient => NotDisputable, |c, fx| c.dispute_grant(fx.grant_id);
    invalid_policy: owner => InvalidPolicy, |c, _fx| c.set_policy(Policy { strike_limit: 0, ..Policy::DEFAULT });
    add_existing_authority: owner => Unchanged, |c, fx| c.set_authority(fx.authority, true);
    remove_non_authority: owner => Unchanged, |c, fx| c.set_authority(fx.stranger, false);
}

#[ink::test]
fn constructor_validates_policy() {
    as_(AccountId::from([1; 32]));
    assert!(matches!(BreakGlass::new(Policy { max_active_grants: 0, ..Policy::DEFAULT }), Err(Error::InvalidPolicy)));
    assert_eq!(BreakGlass::new(Policy::DEFAULT).map(|c| c.policy()).ok(), Some(Policy::DEFAULT));
}

#[ink::test]
fn break_glass_opens_a_short_pending_grant_and_tells_the_patient() {
    let (c, fx) = setup();
    let g = c.grant(fx.grant_id).unwrap();
    assert_eq!(g.expires_at, T0 + Policy::DEFAULT.grant_duration);
    assert_eq!(g.review, ReviewStatus::Pending);
    assert_eq!(g.review_due, T0 + Policy::DEFAULT.review_window);
    // The GlassBroken event was emitted by setup at T0 (the last event of setup).
    let all = events();
    let ev = GlassBroken::decode(&mut &all.last().unwrap().data[..]).unwrap();
    assert_eq!(
        (ev.patient, ev.responder, ev.grant_id, ev.justification_hash),
        (fx.patient, fx.responder, fx.grant_id, WHY)
    );
    // Topics: signature, patient, responder — the patient's wallet filters on its own id.
    assert_eq!(all.last().unwrap().topics.len(), 3);
    assert_eq!(c.active_emergency_grant(fx.patient, fx.responder, ES), Some(fx.grant_id));
    assert_eq!(c.active_emergency_grant(fx.patient, fx.responder, ES.union(DataCategories::GENOMICS)), None);
    assert_eq!(c.active_emergency_grant(fx.patient, fx.stranger, ES), None);
    assert_eq!(c.active_emergency_grant(fx.stranger, fx.responder, ES), None);
    at(T0 + Policy::DEFAULT.grant_duration);
    assert_eq!(c.active_emergency_grant(fx.patient, fx.responder, ES), None, "expiry is evaluated on read");
}

#[ink::test]
fn patient_preferences_widen_narrow_or_opt_out() {
    let (mut c, fx) = setup();
    as_(fx.stranger);
    c.set_emergency_preferences(ES.union(DataCategories::MEDICATIONS), false).unwrap();
    let ev: PreferencesSet = last_event();
    assert_eq!((ev.patient, ev.opted_out), (fx.stranger, false));
    as_(fx.responder);
    let g = c.break_glass(fx.stranger, DataCategories::MEDICATIONS, WHY).unwrap();
    c.end_grant(g).unwrap();
    as_(fx.stranger);
    c.set_emergency_preferences(DataCategories::NONE, true).unwrap();
    assert!(c.emergency_preferences(fx.stranger).opted_out);
    as_(fx.responder);
    assert_eq!(c.break_glass(fx.stranger, ES, WHY), Err(Error::PatientOptedOut));
    as_(fx.stranger);
    c.set_emergency_preferences(ES, false).unwrap();
    assert_eq!(c.emergency_preferences(fx.stranger), data::EmergencyPreferences::DEFAULT);
}

#[ink::test]
fn responder_ends_grant_early() {
    let (mut c, fx) = setup();
    as_(fx.responder);
    c.end_grant(fx.grant_id).unwrap();
    let ev: GrantEnded = last_event();
    assert_eq!((ev.grant_id, ev.ended_by), (fx.grant_id, fx.responder));
    assert_eq!(c.active_emergency_grant(fx.patient, fx.responder, ES), None);
    assert_eq!(c.end_grant(fx.grant_id), Err(Error::GrantNotActive));
    assert!(c.responder(fx.responder).unwrap().open_grants.is_empty());
    // A new grant for the same patient is possible once the old one ended.
    assert!(c.break_glass(fx.patient, ES, WHY).is_ok());
}

#[ink::test]
fn rate_limits_apply_per_responder() {
    let (mut c, fx) = setup();
    as_(fx.responder);
    for i in 1..Policy::DEFAULT.max_active_grants {
        c.break_glass(AccountId::from([0x50 + i; 32]), ES, WHY).unwrap();
    }
    assert_eq!(c.break_glass(AccountId::from([0x60; 32]), ES, WHY), Err(Error::ActiveGrantLimit));
    // After the grants expire the concurrent limit frees, but the daily limit still counts them.
    let mut t = T0 + 10 + Policy::DEFAULT.grant_duration;
    let mut opened = u32::from(Policy::DEFAULT.max_active_grants);
    while opened < u32::from(Policy::DEFAULT.max_grants_per_day) {
        at(t);
        for _ in 0..Policy::DEFAULT.max_active_grants {
            if opened == u32::from(Policy::DEFAULT.max_grants_per_day) {
                break;
            }
            c.break_glass(AccountId::from([0x70 + opened as u8; 32]), ES, WHY).unwrap();
            opened += 1;
        }
        t += Policy::DEFAULT.grant_duration;
    }
    at(t);
    assert_eq!(c.break_glass(AccountId::from([0x99; 32]), ES, WHY), Err(Error::DailyGrantLimit));
    at(T0 + MS_PER_DAY);
    assert!(c.break_glass(AccountId::from([0x99; 32]), ES, WHY).is_ok(), "the window rolls");
}

#[ink::test]
fn justified_review_leaves_access_and_removes_from_queue() {
    let (mut c, fx) = setup();
    assert_eq!(c.pending_review_count(), 1);
    as_(fx.authority2);
    c.review_grant(fx.grant_id, true, REVIEW).unwrap();
    let ev: GrantReviewed = last_event();
    assert_eq!((ev.grant_id, ev.justified, ev.reviewer, ev.strikes), (fx.grant_id, true, fx.authority2, 0));
    assert_eq!(c.active_emergency_grant(fx.patient, fx.responder, ES), Some(fx.grant_id));
    assert_eq!(c.pending_review_count(), 0);
    assert_eq!(c.review_grant(fx.grant_id, false, REVIEW), Err(Error::AlreadyReviewed));
}

#[ink::test]
fn no_account_holds_both_roles() {
    let (mut c, fx) = setup();
    as_(fx.owner);
    assert_eq!(c.set_authority(fx.responder, true), Err(Error::RoleConflict));
    assert_eq!(c.set_authority(fx.suspended, true), Err(Error::RoleConflict), "suspended responders too");
    as_(fx.authority);
    assert_eq!(c.register_responder(fx.authority, [1; 32], [2; 32]), Err(Error::RoleConflict), "itself");
    // A removed authority may become a responder: it can no longer review anyone.
    as_(fx.owner);
    c.set_authority(fx.authority3, false).unwrap();
    as_(fx.authority);
    c.register_responder(fx.authority3, [1; 32], [2; 32]).unwrap();
    as_(fx.owner);
    assert_eq!(c.set_authority(fx.authority3, true), Err(Error::RoleConflict));
}

#[ink::test]
fn three_unjustified_reviews_suspend_the_responder() {
    let (mut c, fx) = setup();
    let mut grants = vec![fx.grant_id];
    as_(fx.responder);
    grants.push(c.break_glass(AccountId::from([0x51; 32]), ES, WHY).unwrap());
    grants.push(c.break_glass(AccountId::from([0x52; 32]), ES, WHY).unwrap());
    as_(fx.authority2);
    c.review_grant(grants[0], false, REVIEW).unwrap();
    let ended: GrantEnded = nth_last_event(1);
    assert_eq!((ended.grant_id, ended.ended_by), (grants[0], fx.authority2), "unjustified ends the grant");
    assert_eq!(c.active_emergency_grant(fx.patient, fx.responder, ES), None);
    c.review_grant(grants[1], false, REVIEW).unwrap();
    assert_eq!(c.responder(fx.responder).unwrap().strikes, 2);
    c.review_grant(grants[2], false, REVIEW).unwrap();
    let ev: ResponderSuspended = last_event();
    assert_eq!((ev.responder, ev.by, ev.strikes), (fx.responder, None, 3));
    assert_eq!(c.responder(fx.responder).unwrap().status, ResponderStatus::Suspended);
    as_(fx.responder);
    assert_eq!(c.break_glass(AccountId::from([0x53; 32]), ES, WHY), Err(Error::ResponderSuspended));
    as_(fx.authority);
    assert_eq!(c.reinstate_responder(fx.responder), Err(Error::ConflictOfInterest), "its registrar");
    as_(fx.authority3);
    at(T0 + 20);
    c.reinstate_responder(fx.responder).unwrap();
    let ev: ResponderReinstated = last_event();
    assert_eq!((ev.responder, ev.by, ev.strikes_cleared, ev.total_strikes), (fx.responder, fx.authority3, 3, 3));
    let record = c.responder(fx.responder).unwrap();
    assert_eq!((record.strikes, record.total_strikes), (0, 3), "the record stays visible");
    assert_eq!(record.last_reinstatement, Some(Reinstatement { by: fx.authority3, at: T0 + 20, strikes_cleared: 3 }));
}

#[ink::test]
fn suspension_ends_every_active_grant() {
    let (mut c, fx) = setup();
    as_(fx.responder);
    let g2 = c.break_glass(AccountId::from([0x51; 32]), ES, WHY).unwrap();
    as_(fx.authority);
    c.suspend_responder(fx.responder).unwrap();
    assert_eq!(last_event::<ResponderSuspended>().by, Some(fx.authority));
    assert_eq!(c.active_emergency_grant(fx.patient, fx.responder, ES), None);
    assert_eq!(c.active_emergency_grant(AccountId::from([0x51; 32]), fx.responder, ES), None);
    assert!(c.grant(g2).unwrap().ended_at.is_some());
}

#[ink::test]
fn overdue_reviews_are_listed_and_flagged_once() {
    let (mut c, fx) = setup();
    let due = T0 + Policy::DEFAULT.review_window;
    let row = |c: &BreakGlass| c.pending_reviews(0, 10);
    assert_eq!(
        row(&c),
        vec![PendingReview {
            grant_id: fx.grant_id,
            patient: fx.patient,
            responder: fx.responder,
            review_due: due,
            overdue: false
        }]
    );
    at(due);
    assert!(row(&c)[0].overdue);
    as_(fx.stranger);
    c.flag_overdue(fx.grant_id).unwrap();
    let ev: ReviewOverdue = last_event();
    assert_eq!((ev.grant_id, ev.flagged_by, ev.review_due), (fx.grant_id, fx.stranger, due));
    assert_eq!(c.flag_overdue(fx.grant_id), Err(Error::AlreadyFlagged));
    // A late review is still accepted and clears the queue.
    as_(fx.authority2);
    c.review_grant(fx.grant_id, true, REVIEW).unwrap();
    assert!(row(&c).is_empty());
}

#[ink::test]
fn patient_dispute_reopens_review_for_another_authority() {
    let (mut c, fx) = setup();
    as_(fx.authority2);
    c.review_grant(fx.grant_id, true, REVIEW).unwrap();
    at(T0 + 100);
    as_(fx.patient);
    c.dispute_grant(fx.grant_id).unwrap();
    let ev: GrantDisputed = last_event();
    assert_eq!((ev.grant_id, ev.review_due), (fx.grant_id, T0 + 100 + Policy::DEFAULT.review_window));
    assert_eq!(c.pending_review_count(), 1);
    assert_eq!(c.dispute_grant(fx.grant_id), Err(Error::AlreadyDisputed));
    as_(fx.authority2);
    assert_eq!(c.review_grant(fx.grant_id, false, REVIEW), Err(Error::SameReviewer));
    as_(fx.authority3);
    c.review_grant(fx.grant_id, false, REVIEW).unwrap();
    assert_eq!(c.responder(fx.responder).unwrap().strikes, 1);
    assert_eq!(c.pending_review_count(), 0);
}

#[ink::test]
fn review_queue_swap_remove_keeps_every_pending_grant() {
    let (mut c, fx) = setup();
    as_(fx.responder);
    let g2 = c.break_glass(AccountId::from([0x51; 32]), ES, WHY).unwrap();
    let g3 = c.break_glass(AccountId::from([0x52; 32]), ES, WHY).unwrap();
    as_(fx.authority2);
    c.review_grant(fx.grant_id, true, REVIEW).unwrap();
    let mut ids: Vec<GrantId> = c.pending_reviews(0, 10).into_iter().map(|r| r.grant_id).collect();
    ids.sort();
    assert_eq!(ids, vec![g2, g3]);
    c.review_grant(g3, true, REVIEW).unwrap();
    assert_eq!(c.pending_reviews(0, 10).into_iter().map(|r| r.grant_id).collect::<Vec<_>>(), vec![g2]);
    assert_eq!(c.pending_reviews(1, 10), vec![]);
}

#[ink::test]
fn policy_changes_are_validated_and_emitted() {
    let (mut c, fx) = setup();
    as_(fx.owner);
    let p = Policy { grant_duration: data::MIN_GRANT_DURATION, ..Policy::DEFAULT };
    c.set_policy(p).unwrap();
    assert_eq!(last_event::<PolicyChanged>().policy, p);
    assert_eq!(c.policy(), p);
}

#[ink::test]
fn pause_stops_new_access_but_never_what_ends_or_reviews_it() {
    let (mut c, fx) = setup();
    as_(fx.owner);
    c.set_paused(true).unwrap();
    let before = fingerprint(&c, &fx);
    as_(fx.responder);
    assert_eq!(c.break_glass(fx.stranger, ES, WHY), Err(Error::Paused));
    as_(fx.authority);
    assert_eq!(c.register_responder(fx.stranger, [1; 32], [2; 32]), Err(Error::Paused));
    as_(fx.authority2);
    assert_eq!(c.reinstate_responder(fx.suspended), Err(Error::Paused));
    as_(fx.patient);
    assert_eq!(c.set_emergency_preferences(ES.union(DataCategories::ALLERGIES), false), Err(Error::Paused), "widening");
    assert_eq!(fingerprint(&c, &fx), before);
    // The lookup answers, and everything that ends, reviews or narrows access still works.
    assert_eq!(c.active_emergency_grant(fx.patient, fx.responder, ES), Some(fx.grant_id));
    c.set_emergency_preferences(DataCategories::NONE, true).unwrap();
    as_(fx.authority2);
    c.review_grant(fx.grant_id, true, REVIEW).unwrap();
    as_(fx.patient);
    c.dispute_grant(fx.grant_id).unwrap();
    as_(fx.responder);
    c.end_grant(fx.grant_id).unwrap();
    assert_eq!(c.active_emergency_grant(fx.patient, fx.responder, ES), None);
    as_(fx.authority);
    c.suspend_responder(fx.responder).unwrap();
    at(T0 + 100 + Policy::DEFAULT.review_window);
    as_(fx.stranger);
    c.flag_overdue(fx.grant_id).unwrap();
}

#[ink::test]
fn two_step_ownership_transfer() {
    let (mut c, fx) = setup();
    as_(fx.owner);
    c.transfer_ownership(fx.stranger).unwrap();
    as_(fx.authority);
    assert_eq!(c.accept_ownership(), Err(AdminError::NotPendingOwner));
    as_(fx.stranger);
    c.accept_ownership().unwrap();
    assert_eq!(c.admin().owner, fx.stranger);
    let ev: carechain_shared::events::OwnershipTransferred = last_event();
    assert_eq!((ev.previous_owner, ev.new_owner), (fx.owner, fx.stranger));
}
