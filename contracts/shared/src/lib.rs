//! Everything the carechain contracts share: domain types, the `#[ink::trait_definition]`
//! interfaces they call each other through, and pure helpers that run identically on and
//! off chain (RFC 6962 Merkle proofs, two-step ownership, bounded collections, periods).
//!
//! Nothing here holds health data: only account ids, 32-byte hashes, enums and bitmasks.
#![cfg_attr(not(feature = "std"), no_std)]

pub mod admin;
pub mod collections;
pub mod events;
pub mod peer;
pub mod period;
pub mod rfc6962;
// ink!'s trait_definition expands to panicking stubs on its `TraitDefinitionRegistry`, a type
// that only exists for codegen and is never called on chain.
#[cfg(feature = "std")]
pub mod testing;
#[allow(clippy::panic)]
pub mod traits;
pub mod types;

pub use admin::{Admin, AdminError};
pub use peer::{Peer, PeerError};
pub use period::{Period, PeriodError};
pub use traits::{Administration, Wiring};
pub use types::*;
