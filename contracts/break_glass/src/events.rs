//! The emergency-access audit trail (HIPAA 164.312(b); DICOM "Emergency Override Started/Stopped").

use crate::data::{Policy, ReasonCode};
use carechain_shared::{DataCategories, GrantId, Hash32, Timestamp};
use ink::primitives::AccountId;

#[ink::event]
pub struct AuthorityChanged {
    #[ink(topic)]
    pub authority: AccountId,
    pub active: bool,
}

#[ink::event]
pub struct ResponderRegistered {
    #[ink(topic)]
    pub responder: AccountId,
    pub credential_hash: Hash32,
    pub organisation_hash: Hash32,
    pub registered_by: AccountId,
}

/// `by: None` means the strike limit suspended the responder automatically.
#[ink::event]
pub struct ResponderSuspended {
    #[ink(topic)]
    pub responder: AccountId,
    pub by: Option<AccountId>,
    pub strikes: u8,
}

#[ink::event]
pub struct ResponderReinstated {
    #[ink(topic)]
    pub responder: AccountId,
    pub by: AccountId,
}

#[ink::event]
pub struct PreferencesSet {
    #[ink(topic)]
    pub patient: AccountId,
    pub allowed: DataCategories,
    pub opted_out: bool,
}

/// Emergency override started: the patient's wallet sees it at once through the topic.
#[ink::event]
pub struct GlassBroken {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub responder: AccountId,
    pub grant_id: GrantId,
    pub categories: DataCategories,
    pub reason: ReasonCode,
    pub justification_hash: Hash32,
    pub expires_at: Timestamp,
    pub review_due: Timestamp,
}

/// Emergency override stopped before expiry (by the responder, an unjustified review, or a suspension).
#[ink::event]
pub struct GrantEnded {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub responder: AccountId,
    pub grant_id: GrantId,
    pub ended_by: AccountId,
}

#[ink::event]
pub struct GrantReviewed {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub responder: AccountId,
    pub grant_id: GrantId,
    pub justified: bool,
    pub review_hash: Hash32,
    pub reviewer: AccountId,
    pub strikes: u8,
}

#[ink::event]
pub struct ReviewOverdue {
    #[ink(topic)]
    pub responder: AccountId,
    pub grant_id: GrantId,
    pub review_due: Timestamp,
    pub flagged_by: AccountId,
}

#[ink::event]
pub struct GrantDisputed {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub responder: AccountId,
    pub grant_id: GrantId,
    pub review_due: Timestamp,
}

#[ink::event]
pub struct PolicyChanged {
    pub policy: Policy,
}
