//! Ownership and pause, the same on every contract: two-step transfer so a typo in the new
//! owner's address cannot orphan a contract, and a pause that freezes state changes.

use ink::primitives::AccountId;

#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Admin {
    pub owner: AccountId,
    pub pending_owner: Option<AccountId>,
    pub paused: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminError {
    /// The caller is not the owner.
    NotOwner,
    /// The caller is not the proposed new owner (or none was proposed).
    NotPendingOwner,
    /// State changes are frozen.
    Paused,
    /// Pausing a paused contract or unpausing a running one.
    PauseUnchanged,
}

impl Admin {
    pub const fn new(owner: AccountId) -> Self {
        Self { owner, pending_owner: None, paused: false }
    }

    pub fn ensure_owner(&self, caller: AccountId) -> Result<(), AdminError> {
        if caller == self.owner {
            Ok(())
        } else {
            Err(AdminError::NotOwner)
        }
    }

    pub const fn ensure_running(&self) -> Result<(), AdminError> {
        if self.paused {
            Err(AdminError::Paused)
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

/// `impl From<AdminError> for $error`, for an error enum with the four same-named variants.
#[macro_export]
macro_rules! impl_from_admin_error {
    ($error:ty) => {
        impl From<$crate::AdminError> for $error {
            fn from(e: $crate::AdminError) -> Self {
                match e {
                    $crate::AdminError::NotOwner => <$error>::NotOwner,
                    $crate::AdminError::NotPendingOwner => <$error>::NotPendingOwner,
                    $crate::AdminError::Paused => <$error>::Paused,
                    $crate::AdminError::PauseUnchanged => <$error>::PauseUnchanged,
                }
            }
        }
    };
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
        assert_eq!(a.ensure_running(), Err(AdminError::Paused));
        assert_eq!(a.set_paused(acct(1), true), Err(AdminError::PauseUnchanged));
        a.set_paused(acct(1), false).unwrap();
        assert_eq!(a.ensure_running(), Ok(()));
    }
}
