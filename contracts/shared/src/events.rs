//! Admin events every carechain contract emits, defined once (ink! 5 events may live outside
//! a contract; each contract's metadata picks them up).

use crate::peer::Peer;
use ink::primitives::{AccountId, Hash};

/// Step one of an ownership transfer: `pending_owner` may now accept.
#[ink::event]
pub struct OwnershipTransferStarted {
    #[ink(topic)]
    pub owner: AccountId,
    #[ink(topic)]
    pub pending_owner: AccountId,
}

/// Step two of an ownership transfer: `new_owner` accepted and now administers the contract.
#[ink::event]
pub struct OwnershipTransferred {
    #[ink(topic)]
    pub previous_owner: AccountId,
    #[ink(topic)]
    pub new_owner: AccountId,
}

/// The owner paused (or resumed) what creates access or new records; narrowing actions and
/// reads keep working while paused.
#[ink::event]
pub struct PauseChanged {
    pub paused: bool,
}

/// The contract's code was replaced through `set_code_hash`; its storage carries over.
#[ink::event]
pub struct CodeUpgraded {
    pub code_hash: Hash,
}

/// The peer contract was wired (its address and the code hash now trusted), re-pinned after
/// the peer's upgrade, or unwired (`None`).
#[ink::event]
pub struct PeerWired {
    pub peer: Option<Peer>,
}
