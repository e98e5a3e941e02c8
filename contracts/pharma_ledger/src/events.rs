//! The supply-chain audit trail (DSCSA transaction history, EMVS alerts). Every custody event
//! names the packs it moved and the shipment they moved in, so an auditor can rebuild each
//! pack's chain of custody from events alone.

use crate::data::{PackId, PartnerRole, TransferKind};
use crate::gs1::Gtin;
use crate::pack::{Action, PackStatus, ShipmentId};
use carechain_shared::{AnchorId, Hash32};
use ink::prelude::vec::Vec;
use ink::primitives::AccountId;

/// The regulator registered a trading partner with the hash of its GLN / licence record.
#[ink::event]
pub struct PartnerRegistered {
    #[ink(topic)]
    pub partner: AccountId,
    pub role: PartnerRole,
    pub licence_hash: Hash32,
}

/// The regulator suspended (or reinstated) a trading partner.
#[ink::event]
pub struct PartnerSuspensionChanged {
    #[ink(topic)]
    pub partner: AccountId,
    pub suspended: bool,
}

/// A manufacturer or repackager claimed a GTIN; it takes effect only when the regulator approves.
#[ink::event]
pub struct GtinClaimed {
    #[ink(topic)]
    pub claimant: AccountId,
    pub gtin: Gtin,
    pub evidence_hash: Hash32,
}

/// A GTIN claim was rejected by the regulator or withdrawn by its claimant.
#[ink::event]
pub struct GtinClaimRejected {
    #[ink(topic)]
    pub claimant: AccountId,
    pub gtin: Gtin,
    pub by: AccountId,
}

/// The regulator assigned a GTIN as a new holding: approving a claim (`transfer: None`) or
/// transferring it (`Sale`: the previous holder's packs stay genuine; `Squat`: its holding is
/// revoked and its packs verify as withdrawn).
#[ink::event]
pub struct GtinAssigned {
    #[ink(topic)]
    pub owner: AccountId,
    pub gtin: Gtin,
    /// The new holding's number.
    pub holding: u32,
    pub previous_owner: Option<AccountId>,
    pub transfer: Option<TransferKind>,
}

/// The regulator revoked a holding of a GTIN (by `revoke_gtin`, or by transferring it as a
/// squat): every pack commissioned under it verifies as withdrawn, and if it was the current
/// holding nothing more is commissioned. Who held it is the `GtinAssigned` of that holding.
#[ink::event]
pub struct GtinRevoked {
    #[ink(topic)]
    pub gtin: Gtin,
    pub holding: u32,
}

/// The regulator declared a lot of a revoked holding genuine again (the revocation was the
/// mistake): its packs verify as not withdrawn.
#[ink::event]
pub struct LotRestored {
    #[ink(topic)]
    pub commissioner: AccountId,
    pub gtin: Gtin,
    pub lot: Vec<u8>,
    pub holding: u32,
}

/// Packs were commissioned: every serial, with its lot and expiry.
#[ink::event]
pub struct PacksCommissioned {
    #[ink(topic)]
    pub manufacturer: AccountId,
    pub gtin: Gtin,
    pub lot: Vec<u8>,
    pub expiry: u32,
    pub serials: Vec<Vec<u8>>,
}

/// A shipment left its sender: which packs, to whom, and the anchored transaction statement.
#[ink::event]
pub struct PacksShipped {
    #[ink(topic)]
    pub from: AccountId,
    #[ink(topic)]
    pub to: AccountId,
    pub shipment_id: ShipmentId,
    pub packs: Vec<PackId>,
    pub statement_hash: Hash32,
    pub anchor_id: AnchorId,
}

/// The recipient received (`accepted`) or rejected packs of a shipment; rejected packs return
/// to the sender.
#[ink::event]
pub struct PacksReceived {
    #[ink(topic)]
    pub by: AccountId,
    #[ink(topic)]
    pub from: AccountId,
    pub shipment_id: ShipmentId,
    pub packs: Vec<PackId>,
    pub accepted: bool,
}

/// Unreceived packs of a shipment went back to their sender: cancelled by the sender after the
/// delay, or returned by the regulator.
#[ink::event]
pub struct ShipmentCancelled {
    #[ink(topic)]
    pub by: AccountId,
    #[ink(topic)]
    pub returned_to: AccountId,
    pub shipment_id: ShipmentId,
    pub packs: Vec<PackId>,
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

/// A partner or the regulator quarantined a pack it suspects, with the hash of its evidence.
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

/// The GTIN's owner or the regulator recalled a lot: none of its packs may be supplied.
#[ink::event]
pub struct LotRecalled {
    #[ink(topic)]
    pub by: AccountId,
    pub gtin: Gtin,
    pub lot: Vec<u8>,
}
