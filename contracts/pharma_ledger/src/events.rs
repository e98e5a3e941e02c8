//! The supply-chain audit trail (DSCSA transaction history, EMVS alerts).

use crate::data::PartnerRole;
use crate::gs1::Gtin;
use crate::pack::{Action, PackStatus};
use carechain_shared::{AnchorId, Hash32};
use ink::prelude::vec::Vec;
use ink::primitives::AccountId;

#[ink::event]
pub struct PartnerRegistered {
    #[ink(topic)]
    pub partner: AccountId,
    pub role: PartnerRole,
    pub licence_hash: Hash32,
}

#[ink::event]
pub struct PartnerSuspensionChanged {
    #[ink(topic)]
    pub partner: AccountId,
    pub suspended: bool,
}

#[ink::event]
pub struct GtinRegistered {
    #[ink(topic)]
    pub owner: AccountId,
    pub gtin: Gtin,
}

#[ink::event]
pub struct BatchCommissioned {
    #[ink(topic)]
    pub manufacturer: AccountId,
    pub gtin: Gtin,
    pub lot: Vec<u8>,
    pub expiry: u32,
    pub count: u32,
}

#[ink::event]
pub struct PacksShipped {
    #[ink(topic)]
    pub from: AccountId,
    #[ink(topic)]
    pub to: AccountId,
    pub count: u32,
    pub statement_hash: Hash32,
    pub anchor_id: AnchorId,
}

/// Receipt (`accepted`) or rejection (packs return to the sender) of shipped packs.
#[ink::event]
pub struct PacksReceived {
    #[ink(topic)]
    pub by: AccountId,
    pub count: u32,
    pub accepted: bool,
}

/// Dispense, decommission or undo of one pack.
#[ink::event]
pub struct PackStatusChanged {
    #[ink(topic)]
    pub actor: AccountId,
    pub gtin: Gtin,
    pub serial: Vec<u8>,
    pub from: PackStatus,
    pub to: PackStatus,
}

/// Dispense or decommission of an already-decommissioned pack: a possible falsified clone.
#[ink::event]
pub struct FalsificationAlert {
    #[ink(topic)]
    pub reporter: AccountId,
    pub gtin: Gtin,
    pub serial: Vec<u8>,
    pub status: PackStatus,
    pub attempted: Action,
}

#[ink::event]
pub struct SuspectFlagged {
    #[ink(topic)]
    pub reporter: AccountId,
    pub gtin: Gtin,
    pub serial: Vec<u8>,
    pub evidence_hash: Hash32,
}

/// The regulator's verdict on a suspect pack: cleared (`illegitimate: false`) or confirmed
/// illegitimate (final).
#[ink::event]
pub struct SuspectResolved {
    pub gtin: Gtin,
    pub serial: Vec<u8>,
    pub illegitimate: bool,
}

#[ink::event]
pub struct LotRecalled {
    #[ink(topic)]
    pub by: AccountId,
    pub gtin: Gtin,
    pub lot: Vec<u8>,
}
