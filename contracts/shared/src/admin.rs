//! Ownership and pause, the same on every contract: two-step transfer so a typo in the new
//! owner's address cannot orphan a contract, and a pause that freezes state changes.

use ink::primitives::AccountId;

/// Who administers a contract, and whether it is paused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Admin {
    /// May pause, upgrade, wire and transfer the contract, and run its owner-only messages.
    pub owner: AccountId,
    /// The successor named by `transfer_ownership`, until it accepts.
    pub pending_owner: Option<AccountId>,
    /// Paused: what widens access or creates records refuses; narrowing and reads still work.
    pub paused: bool,
}

/// Every way an admin or wiring message (`traits::Administration`, `traits::Wiring`) refuses,
/// the same on every contract. A refused call changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum AdminError {
    /// The caller is not the contract's owner.
    NotOwner,
    /// The caller is not the proposed new owner (or none was proposed).
    NotPendingOwner,
    /// Pausing a paused contract or resuming a running one.
    PauseUnchanged,
    /// The runtime refused the new code (no code uploaded under that hash).
    UpgradeFailed,
    /// Unwiring a contract that has no peer.
    NotWired,
    /// Wiring a peer address where no contract lives: there is no code to pin.
    PeerNotContract,
    /// The code at the peer's address is not the code hash the owner stated: it changed since
    /// the owner looked (perhaps swapped by whoever controls the peer), so nothing is pinned.
    PeerCodeMismatch,
    /// Wiring a contract to itself: every call through that hop would re-enter the contract,
    /// which the runtime refuses by trapping the caller.
    PeerIsSelf,
}

/// What a contract's own owner-only messages refuse with (mapped into its error enum by
/// `impl_admin_refusals!`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotOwner;

/// What a contract's own widening messages refuse with while it is paused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paused;

impl From<NotOwner> for AdminError {
    fn from(_: NotOwner) -> Self {
        AdminError::NotOwner
    }
}

impl Admin {
    pub const fn new(owner: AccountId) -> Self {
        Self { owner, pending_owner: None, paused: false }
    }

    pub fn ensure_owner(&self, caller: AccountId) -> Result<(), NotOwner> {
        if caller == self.owner {
            Ok(())
        } else {
            Err(NotOwner)
        }
    }

    pub const fn ensure_running(&self) -> Result<(), Paused> {
        if self.paused {
            Err(Paused)
        } else {
            Ok(())
        }
    }

    /// Step one: the owner names a successor (replacing any earlier proposal).
    pub fn propose_owner(&mut self, caller: AccountId, new_owner: AccountId) -> Result<(), AdminError> {
        self.ensure_owner(caller)?;
        self.pending_owner = Some(new_owner);
        Ok(())
    }

    /// Step two: the successor accepts. Returns the previous owner.
    pub fn accept_owner(&mut self, caller: AccountId) -> Result<AccountId, AdminError> {
        if self.pending_owner != Some(caller) {
            return Err(AdminError::NotPendingOwner);
        }
        let previous = core::mem::replace(&mut self.owner, caller);
        self.pending_owner = None;
        Ok(previous)
    }

    pub fn set_paused(&mut self, caller: AccountId, paused: bool) -> Result<(), AdminError> {
        self.ensure_owner(caller)?;
        if self.paused == paused {
            return Err(AdminError::PauseUnchanged);
        }
        self.paused = paused;
        Ok(())
    }
}

/// `From<NotOwner>` and `From<Paused>` for a contract's error enum, which has variants of the
/// same names, so its own messages refuse with `?` on `Admin::ensure_owner/ensure_running`.
#[macro_export]
macro_rules! impl_admin_refusals {
    ($error:ty) => {
        impl From<$crate::admin::NotOwner> for $error {
            fn from(_: $crate::admin::NotOwner) -> Self {
                <$error>::NotOwner
            }
        }
        impl From<$crate::admin::Paused> for $error {
            fn from(_: $crate::admin::Paused) -> Self {
                <$error>::Paused
            }
        }
    };
}

/// `From` the shared helpers' refusals — `PeriodError`, `CapacityReached`, `CounterOverflow`,
/// `DelegateCannotLift` — for a contract's error enum with variants `InvalidPeriod`,
/// `PeriodInPast`, `PeriodTooLong`, `CapacityReached`, `CounterOverflow`, `DelegateCannotLift`.
#[macro_export]
macro_rules! impl_helper_refusals {
    ($error:ty) => {
        impl From<$crate::PeriodError> for $error {
            fn from(e: $crate::PeriodError) -> Self {
                match e {
                    $crate::PeriodError::Empty => <$error>::InvalidPeriod,
                    $crate::PeriodError::InPast => <$error>::PeriodInPast,
                    $crate::PeriodError::TooLong => <$error>::PeriodTooLong,
                }
            }
        }
        impl From<$crate::collections::CapacityReached> for $error {
            fn from(_: $crate::collections::CapacityReached) -> Self {
                <$error>::CapacityReached
            }
        }
        impl From<$crate::collections::CounterOverflow> for $error {
            fn from(_: $crate::collections::CounterOverflow) -> Self {
                <$error>::CounterOverflow
            }
        }
        impl From<$crate::DelegateCannotLift> for $error {
            fn from(_: $crate::DelegateCannotLift) -> Self {
                <$error>::DelegateCannotLift
            }
        }
    };
}

/// The bodies of the `Administration` and `Wiring` messages, identical on every contract
/// (ink!'s contract macro needs each contract to spell out its trait impl; the rules live here):
/// check the caller, change the record, emit the shared event. A refusal returns before any
/// change. The admin record lives in each contract's root storage cell, which ink! reads
/// before every message and writes back after every `&mut self` one that succeeds: a pause or
/// owner check costs no storage access of its own (on a node, ≈ 10 kB of proof each;
/// docs/capacity.md).
pub mod messages {
    use super::{Admin, AdminError};
    use crate::events::{CodeUpgraded, OwnershipTransferStarted, OwnershipTransferred, PauseChanged, PeerWired};
    use crate::peer::{self, Peer};
    use ink::env::DefaultEnvironment as Env;
    use ink::primitives::{AccountId, Hash};
    use ink::storage::{traits::StorageKey, Lazy};

    fn caller() -> AccountId {
        ink::env::caller::<Env>()
    }

    pub fn transfer_ownership(admin: &mut Admin, new_owner: AccountId) -> Result<(), AdminError> {
        admin.propose_owner(caller(), new_owner)?;
        ink::env::emit_event::<Env, _>(OwnershipTransferStarted { owner: admin.owner, pending_owner: new_owner });
        Ok(())
    }

    pub fn accept_ownership(admin: &mut Admin) -> Result<(), AdminError> {
        let previous_owner = admin.accept_owner(caller())?;
        ink::env::emit_event::<Env, _>(OwnershipTransferred { previous_owner, new_owner: admin.owner });
        Ok(())
    }

    pub fn set_paused(admin: &mut Admin, paused: bool) -> Result<(), AdminError> {
        admin.set_paused(caller(), paused)?;
        ink::env::emit_event::<Env, _>(PauseChanged { paused });
        Ok(())
    }

    pub fn set_code_hash(admin: &Admin, code_hash: Hash) -> Result<(), AdminError> {
        admin.ensure_owner(caller())?;
        ink::env::set_code_hash::<Env>(&code_hash).map_err(|_| AdminError::UpgradeFailed)?;
        ink::env::emit_event::<Env, _>(CodeUpgraded { code_hash });
        Ok(())
    }

    /// Wires `peer` — its address and the code hash the owner means to trust — or with `None`
    /// unwires it. The code at the address must be that code when the call runs, so whoever
    /// controls the peer cannot slip other code in between the owner's look and the wiring
    /// (front-running the owner's transaction with a `set_code_hash`). A peer is read only by
    /// the calls that call it, so it keeps a cell of its own.
    pub fn set_peer<K: StorageKey>(
        admin: &Admin,
        slot: &mut Lazy<Option<Peer>, K>,
        peer: Option<Peer>,
    ) -> Result<(), AdminError> {
        admin.ensure_owner(caller())?;
        match peer {
            None if slot.get().flatten().is_none() => return Err(AdminError::NotWired),
            None => {}
            Some(p) => peer::check_pin(&p, &ink::env::account_id::<Env>())?,
        }
        slot.set(&peer);
        ink::env::emit_event::<Env, _>(PeerWired { peer });
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    fn acct(b: u8) -> AccountId {
        AccountId::from([b; 32])
    }

    #[test]
    fn two_step_transfer() {
        let mut a = Admin::new(acct(1));
        assert_eq!(a.propose_owner(acct(2), acct(3)), Err(AdminError::NotOwner));
        assert_eq!(a.accept_owner(acct(3)), Err(AdminError::NotPendingOwner));
        a.propose_owner(acct(1), acct(3)).unwrap();
        assert_eq!(a.accept_owner(acct(2)), Err(AdminError::NotPendingOwner));
        assert_eq!(a.owner, acct(1));
        assert_eq!(a.accept_owner(acct(3)), Ok(acct(1)));
        assert_eq!(a.owner, acct(3));
        assert_eq!(a.pending_owner, None);
        assert_eq!(a.accept_owner(acct(3)), Err(AdminError::NotPendingOwner));
    }

    #[test]
    fn pause_is_owner_only_and_must_change() {
        let mut a = Admin::new(acct(1));
        assert_eq!(a.set_paused(acct(2), true), Err(AdminError::NotOwner));
        assert_eq!(a.set_paused(acct(1), false), Err(AdminError::PauseUnchanged));
        a.set_paused(acct(1), true).unwrap();
        assert_eq!(a.ensure_running(), Err(Paused));
        assert_eq!(a.set_paused(acct(1), true), Err(AdminError::PauseUnchanged));
        a.set_paused(acct(1), false).unwrap();
        assert_eq!(a.ensure_running(), Ok(()));
    }
}
