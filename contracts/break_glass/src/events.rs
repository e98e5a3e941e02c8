//! The emergency-access audit trail (HIPAA 164.312(b); DICOM "Emergency Override Started/Stopped").

use crate::data::Policy;
use carechain_shared::{DataCategories, GrantId, Hash32, Timestamp};
use ink::primitives::AccountId;

/// The owner appointed (`active`) or removed an authority (compliance officer).
#[ink::event]
pub struct AuthorityChanged {
    #[ink(topic)]
    pub authority: AccountId,
    pub active: bool,
}

/// An authority registered an emergency responder; it may break the glass from now on.
#[ink::event]
pub struct ResponderRegistered {
    #[ink(topic)]
    pub responder: AccountId,
    pub credential_hash: Hash32,
    pub organisation_hash: Hash32,
    pub registered_by: AccountId,
}

/// A responder was suspended and its grants ended; `by: None` means the strike limit
/// suspended it automatically.
#[ink::event]
pub struct ResponderSuspended {
    #[ink(topic)]
    pub responder: AccountId,
    pub by: Option<AccountId>,
    pub strikes: u8,
}

/// An authority (neither the responder nor its registrar) reinstated a suspended responder.
/// Its strikes toward the limit restart from zero; `total_strikes` is its whole record.
#[ink::event]
pub struct ResponderReinstated {
    #[ink(topic)]
    pub responder: AccountId,
    pub by: AccountId,
    pub strikes_cleared: u8,
    pub total_strikes: u16,
}

/// The patient set which categories break-glass may open, or opted out.
#[ink::event]
pub struct PreferencesSet {
    #[ink(topic)]
    pub patient: AccountId,
    pub allowed: DataCategories,
    pub opted_out: bool,
}

/// Emergency override started: the patient's wallet sees it at once through the topic. No
/// medical reason is published against the patient: it is in the off-chain justification,
/// of which only the hash is here.
#[ink::event]
pub struct GlassBroken {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub responder: AccountId,
    pub grant_id: GrantId,
    pub categories: DataCategories,
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

/// An authority reviewed a grant; an unjustified verdict ends it and adds a strike.
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

/// Someone flagged a grant whose review is overdue, so the lapse is on record.
#[ink::event]
pub struct ReviewOverdue {
    #[ink(topic)]
    pub responder: AccountId,
    pub grant_id: GrantId,
    pub review_due: Timestamp,
    pub flagged_by: AccountId,
}

/// The patient disputed a justified review; it re-opens for another authority.
#[ink::event]
pub struct GrantDisputed {
    #[ink(topic)]
    pub patient: AccountId,
    #[ink(topic)]
    pub responder: AccountId,
    pub grant_id: GrantId,
    pub review_due: Timestamp,
}

/// The owner changed the break-glass policy.
#[ink::event]
pub struct PolicyChanged {
    pub policy: Policy,
}
