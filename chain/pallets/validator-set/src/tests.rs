use crate::{mock::*, Changed, Error, Event, Validators};
use frame_support::{assert_noop, assert_ok};
use pallet_session::SessionManager;
use sp_runtime::DispatchError;

fn set() -> Vec<u64> {
    Validators::<Test>::get().into_inner()
}

#[test]
fn genesis_validators_are_the_first_session() {
    new_test_ext(vec![1, 2, 3, 4]).execute_with(|| {
        assert_eq!(ValidatorSet::new_session_genesis(0), Some(vec![1, 2, 3, 4]));
        // Nothing changed since genesis: the session keeps its validators.
        assert_eq!(ValidatorSet::new_session(1), None);
    });
}

#[test]
fn governance_adds_a_validator_for_the_next_planned_session() {
    new_test_ext(vec![1, 2, 3, 4]).execute_with(|| {
        assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 5));
        assert_eq!(set(), vec![1, 2, 3, 4, 5]);
        System::assert_last_event(Event::ValidatorAdded { who: 5 }.into());
        assert_eq!(ValidatorSet::new_session(1), Some(vec![1, 2, 3, 4, 5]));
        // Planned once: the next session is unchanged.
        assert_eq!(ValidatorSet::new_session(2), None);
        assert!(!Changed::<Test>::get());
    });
}

#[test]
fn governance_removes_a_validator() {
    new_test_ext(vec![1, 2, 3, 4]).execute_with(|| {
        assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 2));
        System::assert_last_event(Event::ValidatorRemoved { who: 2 }.into());
        assert_eq!(ValidatorSet::new_session(1), Some(vec![1, 3, 4]));
    });
}

#[test]
fn a_signed_account_cannot_change_the_set() {
    new_test_ext(vec![1, 2, 3, 4]).execute_with(|| {
        // Not even a validator: membership is changed by governance only.
        for who in [1u64, 5, 99] {
            assert_noop!(ValidatorSet::add_validator(RuntimeOrigin::signed(who), 5), DispatchError::BadOrigin);
            assert_noop!(ValidatorSet::remove_validator(RuntimeOrigin::signed(who), 2), DispatchError::BadOrigin);
        }
        assert_noop!(ValidatorSet::add_validator(RuntimeOrigin::none(), 5), DispatchError::BadOrigin);
        assert_eq!(set(), vec![1, 2, 3, 4]);
        assert_eq!(ValidatorSet::new_session(1), None);
    });
}

#[test]
fn refused_additions_change_nothing() {
    new_test_ext(vec![1, 2, 3, 4]).execute_with(|| {
        assert_noop!(ValidatorSet::add_validator(RuntimeOrigin::root(), 3), Error::<Test>::AlreadyValidator);
        assert_noop!(ValidatorSet::add_validator(RuntimeOrigin::root(), 95), Error::<Test>::NoSessionKeys);
        assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 5));
        assert_noop!(ValidatorSet::add_validator(RuntimeOrigin::root(), 6), Error::<Test>::TooManyValidators);
        assert_eq!(set(), vec![1, 2, 3, 4, 5]);
    });
}

#[test]
fn refused_removals_change_nothing() {
    new_test_ext(vec![1, 2]).execute_with(|| {
        assert_noop!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 7), Error::<Test>::NotValidator);
        assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 1));
        // The last validator stays: without one the chain halts and no call could repair it.
        assert_noop!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 2), Error::<Test>::TooFewValidators);
        assert_eq!(set(), vec![2]);
    });
}

#[test]
fn a_removed_validator_can_be_added_again() {
    new_test_ext(vec![1, 2, 3]).execute_with(|| {
        assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 3));
        assert_ok!(ValidatorSet::add_validator(RuntimeOrigin::root(), 3));
        assert_eq!(ValidatorSet::new_session(1), Some(vec![1, 2, 3]));
    });
}

#[test]
#[should_panic(expected = "listed twice")]
fn genesis_refuses_a_duplicate() {
    new_test_ext(vec![1, 1]);
}

#[test]
fn the_default_genesis_has_no_validators() {
    // The runtime's default genesis (never a real chain's: every preset lists validators) builds.
    new_test_ext(vec![]).execute_with(|| assert_eq!(ValidatorSet::new_session_genesis(0), Some(vec![])));
}
