//! The consortium's validator set.
//!
//! A health consortium knows its members: the accounts that author blocks (Aura) and vote on
//! finality (GRANDPA) are the members' validators, added and removed by the consortium's
//! governance origin (in the runtime: two thirds of the council of members, or root in the
//! development preset). This pallet keeps that list and hands it to `pallet-session` as its
//! `SessionManager`: a change takes effect when the session after next starts, like any
//! session-key change, so every node learns the new authority set from a finalized session
//! boundary.
//!
//! What a caller cannot do:
//! - anyone but the governance origin: add or remove a validator (`BadOrigin`, nothing changes);
//! - add a validator whose session keys are not registered (`NoSessionKeys`): such an account
//!   would be skipped by `pallet-session` and the set would silently shrink;
//! - remove the last `MinValidators` validators (`TooFewValidators`): a chain without authors
//!   halts for good and no governance call could ever run again to repair it.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use alloc::vec::Vec;
use sp_staking::SessionIndex;

#[frame_support::pallet]
pub mod pallet {
    use super::*;
    use frame_support::{pallet_prelude::*, traits::Contains};
    use frame_system::pallet_prelude::*;

    #[pallet::pallet]
    pub struct Pallet<T>(_);

    #[pallet::config]
    pub trait Config: frame_system::Config {
        /// The overarching event type.
        #[allow(deprecated)]
        type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
        /// Who may add and remove validators: the consortium's governance.
        type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;
        /// Accounts whose session keys are registered (`pallet-session`'s next keys).
        type HasSessionKeys: Contains<Self::AccountId>;
        /// The most validators the set may hold (bounds storage and every session's work).
        #[pallet::constant]
        type MaxValidators: Get<u32>;
        /// The fewest validators the set may shrink to: below it the chain could not go on.
        #[pallet::constant]
        type MinValidators: Get<u32>;
    }

    /// The validators of the next session to be planned, in the order they were added.
    #[pallet::storage]
    pub type Validators<T: Config> = StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

    /// Whether the set changed since the last session was planned.
    #[pallet::storage]
    pub type Changed<T: Config> = StorageValue<_, bool, ValueQuery>;

    #[pallet::genesis_config]
    #[derive(frame_support::DefaultNoBound)]
    pub struct GenesisConfig<T: Config> {
        /// The founding members' validators.
        pub validators: Vec<T::AccountId>,
    }

    #[pallet::genesis_build]
    impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
        fn build(&self) {
            let mut set = BoundedVec::<T::AccountId, T::MaxValidators>::default();
            for who in &self.validators {
                assert!(!set.contains(who), "a genesis validator is listed twice");
                assert!(set.try_push(who.clone()).is_ok(), "more genesis validators than MaxValidators");
            }
            Validators::<T>::put(set);
        }
    }

    #[pallet::event]
    #[pallet::generate_deposit(pub(super) fn deposit_event)]
    pub enum Event<T: Config> {
        /// A validator joins the set; it authors and votes from the session after next.
        ValidatorAdded {
            /// The validator's account.
            who: T::AccountId,
        },
        /// A validator leaves the set; it stops authoring and voting from the session after next.
        ValidatorRemoved {
            /// The validator's account.
            who: T::AccountId,
        },
    }

    #[pallet::error]
    pub enum Error<T> {
        /// The account is already a validator.
        AlreadyValidator,
        /// The account is not a validator.
        NotValidator,
        /// The set already holds `MaxValidators` validators.
        TooManyValidators,
        /// Removing it would leave fewer than `MinValidators` validators.
        TooFewValidators,
        /// The account has not registered session keys (`session.set_keys`) yet.
        NoSessionKeys,
    }

    #[pallet::call]
    impl<T: Config> Pallet<T> {
        /// Adds a member's validator; it takes part from the session after next.
        /// Only the governance origin may call it.
        #[pallet::call_index(0)]
        #[pallet::weight(T::DbWeight::get().reads_writes(2, 2).saturating_add(Weight::from_parts(10_000_000, 0)))]
        pub fn add_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
            T::GovernanceOrigin::ensure_origin(origin)?;
            Self::do_add(who)
        }

        /// Removes a validator; it stops taking part from the session after next.
        /// Only the governance origin may call it.
        #[pallet::call_index(1)]
        #[pallet::weight(T::DbWeight::get().reads_writes(1, 2).saturating_add(Weight::from_parts(10_000_000, 0)))]
        pub fn remove_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
            T::GovernanceOrigin::ensure_origin(origin)?;
            Self::do_remove(who)
        }
    }

    impl<T: Config> Pallet<T> {
        /// The rule of `add_validator`, without the origin check.
        pub fn do_add(who: T::AccountId) -> DispatchResult {
            let mut set = Validators::<T>::get();
            ensure!(!set.contains(&who), Error::<T>::AlreadyValidator);
            ensure!(T::HasSessionKeys::contains(&who), Error::<T>::NoSessionKeys);
            set.try_push(who.clone()).map_err(|_| Error::<T>::TooManyValidators)?;
            Validators::<T>::put(set);
            Changed::<T>::put(true);
            Self::deposit_event(Event::ValidatorAdded { who });
            Ok(())
        }

        /// The rule of `remove_validator`, without the origin check.
        pub fn do_remove(who: T::AccountId) -> DispatchResult {
            let mut set = Validators::<T>::get();
            let at = set.iter().position(|v| v == &who).ok_or(Error::<T>::NotValidator)?;
            ensure!(set.len() as u32 > T::MinValidators::get(), Error::<T>::TooFewValidators);
            set.remove(at);
            Validators::<T>::put(set);
            Changed::<T>::put(true);
            Self::deposit_event(Event::ValidatorRemoved { who });
            Ok(())
        }
    }
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
    fn new_session(_new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
        if Changed::<T>::take() {
            Some(Validators::<T>::get().into_inner())
        } else {
            None
        }
    }

    fn new_session_genesis(_new_index: SessionIndex) -> Option<Vec<T::AccountId>> {
        Some(Validators::<T>::get().into_inner())
    }

    fn end_session(_end_index: SessionIndex) {}

    fn start_session(_start_index: SessionIndex) {}
}
