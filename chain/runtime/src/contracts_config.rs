//! pallet-contracts, configured for carechain.
//!
//! pallet-contracts 51 (polkadot-sdk stable2609) has the same host functions, `ContractsApi`
//! version and storage version as the 38.0.0 inside substrate-contracts-node 0.42, for which the
//! contracts are built and measured. The choices, and why:
//! - Deposits as on contracts-node (0.1 unit per storage item, 0.005 milli-unit per byte), so
//!   the deposits the deploy tool, the dApp and docs/capacity.md report hold on either chain.
//! - `CallStack` 5 nested frames: the deepest carechain call is pharma_ledger → record_anchor →
//!   consent_registry → break_glass (4 frames in all).
//! - `MaxCodeLen` 96 KiB: the largest carechain contract is 49,752 B of Wasm. The pallet's
//!   integrity check bounds code size by call-stack height within the default schedule's
//!   128 MiB of runtime memory (every frame may hold its code, compiled): 6 frames allow
//!   < 113 kB, 9 would allow only 75 kB. substrate-contracts-node instead raises the memory the
//!   schedule assumes to 1 GiB; a production runtime keeps the default and sizes the limits
//!   (`pallets_pass_their_integrity_checks` runs the check).
//! - No runtime calls from contracts (`CallFilter = Nothing`), no chain extension, no unstable
//!   host functions (`UnsafeUnstableInterface = false`): a production chain runs only the
//!   stable API, and no carechain contract imports anything else (the deploy tool's upload
//!   would be refused otherwise).
//! - Anyone may upload and instantiate: what a contract may do is ruled by the contracts' own
//!   roles; code that is not carechain's is refused by the clients, which pin code hashes.

use crate::{
    Balance, Balances, RandomnessCollectiveFlip, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, Timestamp,
    MILLI_UNIT, UNIT,
};
use frame_support::{
    parameter_types,
    traits::{ConstBool, ConstU32, Nothing},
};
use frame_system::EnsureSigned;
use sp_runtime::Perbill;

const fn deposit(items: u32, bytes: u32) -> Balance {
    (items as Balance * UNIT + (bytes as Balance) * (5 * MILLI_UNIT / 100)) / 10
}

parameter_types! {
    pub const DepositPerItem: Balance = deposit(1, 0);
    pub const DepositPerByte: Balance = deposit(0, 1);
    pub const DefaultDepositLimit: Balance = deposit(1024, 1024 * 1024);
    pub Schedule: pallet_contracts::Schedule<Runtime> = Default::default();
    pub const CodeHashLockupDepositPercent: Perbill = Perbill::from_percent(0);
    pub const MaxDelegateDependencies: u32 = 32;
}

impl pallet_contracts::Config for Runtime {
    type Time = Timestamp;
    type Randomness = RandomnessCollectiveFlip;
    type Currency = Balances;
    type RuntimeEvent = RuntimeEvent;
    type RuntimeCall = RuntimeCall;
    type CallFilter = Nothing;
    type DepositPerItem = DepositPerItem;
    type DepositPerByte = DepositPerByte;
    type CallStack = [pallet_contracts::Frame<Self>; 5];
    type WeightPrice = pallet_transaction_payment::Pallet<Self>;
    type WeightInfo = pallet_contracts::weights::SubstrateWeight<Self>;
    type ChainExtension = ();
    type Schedule = Schedule;
    type AddressGenerator = pallet_contracts::DefaultAddressGenerator;
    type MaxCodeLen = ConstU32<{ 96 * 1024 }>;
    type DefaultDepositLimit = DefaultDepositLimit;
    type MaxStorageKeyLen = ConstU32<128>;
    type MaxTransientStorageSize = ConstU32<{ 1024 * 1024 }>;
    type MaxDebugBufferLen = ConstU32<{ 2 * 1024 * 1024 }>;
    type UnsafeUnstableInterface = ConstBool<false>;
    type CodeHashLockupDepositPercent = CodeHashLockupDepositPercent;
    type MaxDelegateDependencies = MaxDelegateDependencies;
    type RuntimeHoldReason = RuntimeHoldReason;
    type Environment = ();
    type Debug = ();
    type ApiVersion = ();
    type Migrations = ();
    type Xcm = ();
    type UploadOrigin = EnsureSigned<Self::AccountId>;
    type InstantiateOrigin = EnsureSigned<Self::AccountId>;
}
