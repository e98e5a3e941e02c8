//! The interfaces the contracts call each other through, by address (`ink::contract_ref!`).
//! Each is implemented by one carechain contract, but any contract implementing it can be
//! wired in: callers depend on these traits, never on each other's crates.

use crate::types::{
    AccessDecision, AnchorId, AnchoringError, BatchId, BatchSummary, DataCategories, GrantId, Hash32, Purpose,
};
use ink::prelude::vec::Vec;
use ink::primitives::AccountId;

/// The policy decision point (implemented by consent_registry). Read only.
#[ink::trait_definition]
pub trait ConsentCheck {
    /// May `accessor` see `patient`'s data of every category in `categories` for `purpose`, now?
    #[ink(message)]
    fn check_access(
        &self,
        patient: AccountId,
        accessor: AccountId,
        categories: DataCategories,
        purpose: Purpose,
    ) -> AccessDecision;
}

/// Emergency-grant lookup (implemented by break_glass). Read only.
#[ink::trait_definition]
pub trait EmergencyAccess {
    /// The id of the active emergency grant that lets `accessor` open every category in
    /// `categories` of `patient`'s data, if there is one.
    #[ink(message)]
    fn active_emergency_grant(
        &self,
        patient: AccountId,
        accessor: AccountId,
        categories: DataCategories,
    ) -> Option<GrantId>;
}

/// Record anchoring (implemented by record_anchor), for contracts that anchor documents or
/// check Merkle inclusion on chain.
#[ink::trait_definition]
pub trait RecordAnchoring {
    /// Anchors a document that concerns no patient (e.g. a shipment's transaction statement).
    /// The calling contract is the issuer; `on_behalf_of` is the party it acts for.
    #[ink(message)]
    fn anchor_document(&mut self, content_hash: Hash32, on_behalf_of: AccountId) -> Result<AnchorId, AnchoringError>;

    /// Checks an RFC 6962 inclusion proof of `leaf_data` at `index` against batch `batch_id`.
    #[ink(message)]
    fn verify_inclusion(
        &self,
        batch_id: BatchId,
        leaf_data: Hash32,
        index: u64,
        audit_path: Vec<Hash32>,
    ) -> Result<BatchSummary, AnchoringError>;
}
