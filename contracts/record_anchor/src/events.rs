//! The anchoring audit trail. Topics: who anchored, and the patient the record concerns
//! (`Option<AccountId>` encodes to 33 bytes, so that topic is its BLAKE2-256 hash).

use carechain_shared::{AnchorId, BatchId, DataCategories, Hash32};
use ink::primitives::AccountId;

/// A record's (or document's) content hash was anchored by `issuer`.
#[ink::event]
pub struct RecordAnchored {
    #[ink(topic)]
    pub issuer: AccountId,
    #[ink(topic)]
    pub patient: Option<AccountId>,
    pub anchor_id: AnchorId,
    pub content_hash: Hash32,
    pub category: DataCategories,
    pub supersedes: Option<AnchorId>,
    pub on_behalf_of: Option<AccountId>,
}

/// The issuer retracted its anchor (FHIR entered-in-error); it stays readable with that status.
#[ink::event]
pub struct EnteredInError {
    #[ink(topic)]
    pub issuer: AccountId,
    pub anchor_id: AnchorId,
    pub reason_hash: Hash32,
}

/// The RFC 6962 root of `leaf_count` record hashes was anchored by `issuer`.
#[ink::event]
pub struct BatchAnchored {
    #[ink(topic)]
    pub issuer: AccountId,
    pub batch_id: BatchId,
    pub root: Hash32,
    pub leaf_count: u64,
    pub metadata_hash: Hash32,
}
