//! The consortium chain's runtime.
//!
//! What carechain needs from a chain, and nothing a health consortium would have to explain away:
//! - `Contracts`: pallet-contracts with the API ink! 5.1 contracts are built for (the pallet's
//!   name stays `Contracts`: cargo-contract 5.0.3 hard-codes it); see `contracts_config`.
//! - Aura block production and GRANDPA finality, with the authorities coming from
//!   `pallet-session`, whose validators are the consortium's (`pallet-validator-set`, changed by
//!   governance only).
//! - Governance: the `Council` of member accounts (pallet-collective); two thirds of it is the
//!   origin that adds or removes validators, member nodes and council members. `Sudo` exists,
//!   but only the development preset gives it a key.
//! - `NodeAuthorization`: member nodes' peer ids; every node's offchain worker tells its
//!   network layer to accept only those peers (`MemberNetwork` keeps a removed node able to
//!   hear of its readmission).
//! - Balances, transaction payment and timestamps as a contracts chain needs them, with the same
//!   account, balance, block-number and transaction-extension types as substrate-contracts-node
//!   0.42, so the deploy tool, ink_e2e, polkadot.js, dedot and cargo-contract work unchanged.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime!` and `impl_runtime_apis!` recurse deeply.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

pub mod apis;
pub mod configs;
mod contracts_config;
pub mod genesis;
pub mod member_network;
#[cfg(test)]
mod tests;

use alloc::vec::Vec;
use sp_runtime::{
    generic, impl_opaque_keys,
    traits::{BlakeTwo256, IdentifyAccount, Verify},
    MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Types the node sees without knowing the runtime's calls.
pub mod opaque {
    use super::*;
    pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

    /// The block header.
    pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
    /// A block with opaque extrinsics.
    pub type Block = generic::Block<Header, UncheckedExtrinsic>;
}

impl_opaque_keys! {
    /// A validator's session keys: its Aura (block authoring) and GRANDPA (finality) keys.
    pub struct SessionKeys {
        pub aura: Aura,
        pub grandpa: Grandpa,
    }
}

/// The runtime's version; `spec_version` rises with every runtime upgrade.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
    spec_name: alloc::borrow::Cow::Borrowed("carechain"),
    impl_name: alloc::borrow::Cow::Borrowed("carechain-node"),
    authoring_version: 1,
    spec_version: 100,
    impl_version: 1,
    apis: apis::RUNTIME_API_VERSIONS,
    transaction_version: 1,
    system_version: 1,
};

/// A block every 3 s: finality (GRANDPA, a round or two behind the head) lands within seconds
/// of inclusion. A block carries at most 1 s of execution (`configs::MAXIMUM_BLOCK_WEIGHT`).
pub const MILLI_SECS_PER_BLOCK: u64 = 3000;
/// Aura's slot is the block time.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
/// Blocks in a minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// Blocks in an hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks in a day.
pub const DAYS: BlockNumber = HOURS * 24;

/// The currency's units: as on substrate-contracts-node, so deposits and fees compare 1:1.
pub const UNIT: Balance = 1_000_000_000_000;
/// A thousandth of a unit.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// Below this an account is reaped.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// An sr25519, ed25519 or ECDSA signature.
pub type Signature = MultiSignature;
/// A 32-byte account id (what ink!'s default environment uses).
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balances are u128 (ink!'s default environment).
pub type Balance = u128;
/// An account's transaction count.
pub type Nonce = u32;
/// Block and storage hashes.
pub type Hash = sp_core::H256;
/// Block numbers are u32 (ink!'s default environment).
pub type BlockNumber = u32;
/// The address format of transactions.
pub type Address = MultiAddress<AccountId, ()>;
/// The block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// A block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The checks every transaction carries: the same eight, in the same order, as
/// substrate-contracts-node 0.42, so every client that signs for that node signs for this one.
pub type TxExtension = (
    frame_system::CheckNonZeroSender<Runtime>,
    frame_system::CheckSpecVersion<Runtime>,
    frame_system::CheckTxVersion<Runtime>,
    frame_system::CheckGenesis<Runtime>,
    frame_system::CheckEra<Runtime>,
    frame_system::CheckNonce<Runtime>,
    frame_system::CheckWeight<Runtime>,
    pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
);

/// A transaction as it is submitted.
pub type UncheckedExtrinsic = generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// What a transaction's signer signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Runs blocks.
pub type Executive =
    frame_executive::Executive<Runtime, Block, frame_system::ChainContext<Runtime>, Runtime, AllPalletsWithSystem>;

#[frame_support::runtime]
mod runtime {
    #[runtime::runtime]
    #[runtime::derive(
        RuntimeCall,
        RuntimeEvent,
        RuntimeError,
        RuntimeOrigin,
        RuntimeFreezeReason,
        RuntimeHoldReason,
        RuntimeSlashReason,
        RuntimeLockId,
        RuntimeTask,
        RuntimeViewFunction
    )]
    pub struct Runtime;

    #[runtime::pallet_index(0)]
    pub type System = frame_system;
    #[runtime::pallet_index(1)]
    pub type Timestamp = pallet_timestamp;
    #[runtime::pallet_index(2)]
    pub type Balances = pallet_balances;
    #[runtime::pallet_index(3)]
    pub type TransactionPayment = pallet_transaction_payment;
    // The validator set and the session come before Aura and GRANDPA: a session change hands
    // them their new authorities in the same block.
    #[runtime::pallet_index(4)]
    pub type ValidatorSet = pallet_validator_set;
    #[runtime::pallet_index(5)]
    pub type Session = pallet_session;
    #[runtime::pallet_index(6)]
    pub type Aura = pallet_aura;
    #[runtime::pallet_index(7)]
    pub type Grandpa = pallet_grandpa;
    #[runtime::pallet_index(8)]
    pub type Council = pallet_collective<Instance1>;
    #[runtime::pallet_index(9)]
    pub type NodeAuthorization = pallet_node_authorization;
    #[runtime::pallet_index(10)]
    pub type Utility = pallet_utility;
    #[runtime::pallet_index(11)]
    pub type Sudo = pallet_sudo;
    #[runtime::pallet_index(12)]
    pub type RandomnessCollectiveFlip = pallet_insecure_randomness_collective_flip;
    #[runtime::pallet_index(13)]
    pub type Contracts = pallet_contracts;
    // After NodeAuthorization: its offchain worker runs last and may widen a removed node's view.
    #[runtime::pallet_index(14)]
    pub type MemberNetwork = crate::member_network;
}
