//! The interfaces the contracts call each other through, by address (`ink::contract_ref!`).
//! Each is implemented by one carechain contract, but any contract implementing it can be
//! wired in: callers depend on these traits, never on each other's crates.

use crate::admin::{Admin, AdminError};
use crate::peer::Peer;
use crate::types::{
    AccessDecision, Actor, AnchorId, AnchoringError, BatchId, BatchSummary, ConsentId, DataCategories, GrantId,
    GrantRefusal, Hash32, Purpose, ResearchTerms,
};
use ink::prelude::vec::Vec;
use ink::primitives::{AccountId, Hash};

/// Ownership, pause and upgrade: every carechain contract implements it, so each has the same
/// selectors and one client (`ink::contract_ref!(Administration)`) drives any of them.
#[ink::trait_definition]
pub trait Administration {
    /// The owner, the proposed owner (until it accepts) and the pause flag.
    #[ink(message)]
    fn admin(&self) -> Admin;

    /// Step one of an ownership transfer: names the successor, replacing any earlier
    /// proposal (owner only).
    #[ink(message)]
    fn transfer_ownership(&mut self, new_owner: AccountId) -> Result<(), AdminError>;

    /// Step two of an ownership transfer (the proposed owner only), so a mistyped address
    /// can never orphan the contract.
    #[ink(message)]
    fn accept_ownership(&mut self) -> Result<(), AdminError>;

    /// Pauses or resumes what widens access or creates records; narrowing actions and reads
    /// keep working while paused (owner only).
    #[ink(message)]
    fn set_paused(&mut self, paused: bool) -> Result<(), AdminError>;

    /// Replaces the contract's code, keeping its storage; a contract that pinned this one as
    /// its peer must be re-wired to trust the new code (owner only).
    #[ink(message)]
    fn set_code_hash(&mut self, code_hash: Hash) -> Result<(), AdminError>;
}

/// The one peer a contract calls (consent_registry → break_glass, record_anchor →
/// consent_registry, pharma_ledger → record_anchor), pinned by code hash when wired.
#[ink::trait_definition]
pub trait Wiring {
    /// The wired peer and the code hash pinned for it, if any.
    #[ink(message)]
    fn peer(&self) -> Option<Peer>;

    /// Wires `peer`: its address and the code hash the owner means to trust, which must be
    /// the code at that address when the call runs (`PeerCodeMismatch` otherwise, so the peer's
    /// owner cannot swap code in first). If that code ever changes, calls to it fail closed
    /// until the owner wires it again. `None` unwires it; a contract's own address is refused
    /// (owner only).
    #[ink(message)]
    fn set_peer(&mut self, peer: Option<Peer>) -> Result<(), AdminError>;
}

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

/// What the research workflow (implemented by research_registry) needs from the policy
/// decision point (implemented by consent_registry), which holds delegations and consents.
#[ink::trait_definition]
pub trait ResearchConsents {
    /// Who `account` is for `patient`: the patient, an active delegate (with its appointment's
    /// end), or neither (`None`). Read only; delegations are public.
    #[ink(message)]
    fn acting_for(&self, patient: AccountId, account: AccountId) -> Option<Actor>;

    /// Creates the research consent that `acting` (the patient or an active delegate) gave
    /// `terms`' study, signed off chain as `document_hash`. Only the research contract wired
    /// into the registry by its owner (address and pinned code) may call; the registry checks
    /// `acting` against its own delegations.
    #[ink(message)]
    fn grant_research_consent(
        &mut self,
        patient: AccountId,
        acting: AccountId,
        terms: ResearchTerms,
        document_hash: Hash32,
    ) -> Result<ConsentId, GrantRefusal>;
}
