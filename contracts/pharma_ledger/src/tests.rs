//! Off-chain unit tests of the pharma_ledger shell. Shipping anchors a statement in
//! record_anchor (a cross-contract call), so the custody and dispensing flows that need a
//! shipment are tested in e2e-tests; the state machine itself is tested in `pack`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]

use crate::data::{GtinRecord, NoMatch, PartnerRole, TransferKind, MAX_COMMISSION};
use crate::events::*;
use crate::gs1::Gtin;
use crate::pack::{DecommissionReason, PackStatus, Transition, UNDO_WINDOW};
use crate::pharma_ledger::PharmaLedger;
use crate::Error;
use carechain_shared::testing::{last_event, nth_last_event, set_caller as as_, set_time as at};
use carechain_shared::*;
use carechain_shared::{AdminError, Administration, Wiring};
use ink::env::test;
use ink::env::DefaultEnvironment as Env;
use ink::primitives::AccountId;
use ink::scale::Encode;

const T0: Timestamp = 1_767_225_600_000;
const G1: Gtin = *b"09506000134352";
const G2: Gtin = *b"00012345600012";
const EVIDENCE: Hash32 = [0xE5; 32];
const EXP: u32 = 271231;

#[derive(Clone, Copy)]
struct Fx {
    regulator: AccountId,
    manufacturer: AccountId,
    wholesaler: AccountId,
    dispenser: AccountId,
    suspended: AccountId,
    stranger: AccountId,
}

fn s(n: u32) -> Vec<u8> {
    format!("SN{n:05}").into_bytes()
}
fn lot() -> Vec<u8> {
    b"LOT-A1".to_vec()
}

/// Regulator alice; manufacturer bob claimed G1, alice approved it, and bob commissioned
/// SN00000..SN00004 of LOT-A1; wholesaler charlie; dispenser django; a suspended dispenser;
/// stranger frank.
fn setup() -> (PharmaLedger, Fx) {
    let a = test::default_accounts::<Env>();
    let suspended = AccountId::from([0x11; 32]);
    at(T0);
    as_(a.alice);
    let mut c = PharmaLedger::new();
    c.register_partner(a.bob, PartnerRole::Manufacturer, [1; 32]).unwrap();
    c.register_partner(a.charlie, PartnerRole::Wholesaler, [2; 32]).unwrap();
    c.register_partner(a.django, PartnerRole::Dispenser, [3; 32]).unwrap();
    c.register_partner(suspended, PartnerRole::Dispenser, [4; 32]).unwrap();
    c.set_partner_suspended(suspended, true).unwrap();
    as_(a.bob);
    c.claim_gtin(G1, EVIDENCE).unwrap();
    as_(a.alice);
    c.approve_gtin_claim(G1, a.bob).unwrap();
    as_(a.bob);
    c.commission(G1, lot(), EXP, (0..5).map(s).collect()).unwrap();
    let fx = Fx {
        regulator: a.alice,
        manufacturer: a.bob,
        wholesaler: a.charlie,
        dispenser: a.django,
        suspended,
        stranger: a.frank,
    };
    (c, fx)
}

fn fingerprint(c: &PharmaLedger, fx: &Fx) -> Vec<u8> {
    (
        (0..6).map(|n| c.pack(G1, s(n))).collect::<Vec<_>>(),
        c.lot(G1, lot()),
        c.gtin(G1),
        c.gtin(G2),
        c.gtin_claim(G2, fx.manufacturer),
        c.gtin_claim(G1, fx.stranger),
        c.partner(fx.stranger),
        c.partner(fx.suspended),
        c.admin(),
        c.peer(),
    )
        .encode()
}

carechain_shared::refused! {
    setup, fingerprint, Error;
    register_partner_refuses_stranger: stranger => Error::NotOwner, |c, fx| c.register_partner(fx.stranger, PartnerRole::Dispenser, [9; 32]);
    register_partner_refuses_manufacturer: manufacturer => Error::NotOwner, |c, fx| c.register_partner(fx.stranger, PartnerRole::Dispenser, [9; 32]);
    suspend_refuses_stranger: stranger => Error::NotOwner, |c, fx| c.set_partner_suspended(fx.dispenser, true);
    suspend_refuses_wholesaler: wholesaler => Error::NotOwner, |c, fx| c.set_partner_suspended(fx.dispenser, true);

    claim_gtin_refuses_stranger: stranger => Error::NotPartner, |c, _fx| c.claim_gtin(G2, EVIDENCE);
    claim_gtin_refuses_wholesaler: wholesaler => Error::WrongRole, |c, _fx| c.claim_gtin(G2, EVIDENCE);
    claim_gtin_refuses_dispenser: dispenser => Error::WrongRole, |c, _fx| c.claim_gtin(G2, EVIDENCE);
    claim_gtin_refuses_suspended: suspended => Error::PartnerSuspended, |c, _fx| c.claim_gtin(G2, EVIDENCE);
    claim_gtin_refuses_regulator: regulator => Error::NotPartner, |c, _fx| c.claim_gtin(G2, EVIDENCE);

    approve_claim_refuses_manufacturer: manufacturer => Error::NotOwner, |c, fx| c.approve_gtin_claim(G1, fx.manufacturer);
    approve_claim_refuses_stranger: stranger => Error::NotOwner, |c, fx| c.approve_gtin_claim(G1, fx.manufacturer);
    reject_claim_refuses_another_partner: wholesaler => Error::NotOwner, |c, fx| c.reject_gtin_claim(G2, fx.manufacturer);
    transfer_gtin_refuses_owner: manufacturer => Error::NotOwner, |c, fx| c.transfer_gtin(G1, fx.stranger, TransferKind::Sale);
    transfer_gtin_refuses_stranger: stranger => Error::NotOwner, |c, fx| c.transfer_gtin(G1, fx.stranger, TransferKind::Squat);
    revoke_gtin_refuses_owner: manufacturer => Error::NotOwner, |c, _fx| c.revoke_gtin(G1, 1);
    revoke_gtin_refuses_dispenser: dispenser => Error::NotOwner, |c, _fx| c.revoke_gtin(G1, 1);
    restore_lot_refuses_owner: manufacturer => Error::NotOwner, |c, _fx| c.restore_lot(G1, lot());
    restore_lot_refuses_wholesaler: wholesaler => Error::NotOwner, |c, _fx| c.restore_lot(G1, lot());
    restore_lot_refuses_stranger: stranger => Error::NotOwner, |c, _fx| c.restore_lot(G1, lot());

    commission_refuses_stranger: stranger => Error::NotPartner, |c, _fx| c.commission(G1, lot(), EXP, vec![s(9)]);
    commission_refuses_wholesaler: wholesaler => Error::NotGtinOwner, |c, _fx| c.commission(G1, lot(), EXP, vec![s(9)]);
    commission_refuses_dispenser: dispenser => Error::NotGtinOwner, |c, _fx| c.commission(G1, lot(), EXP, vec![s(9)]);
    commission_refuses_suspended: suspended => Error::PartnerSuspended, |c, _fx| c.commission(G1, lot(), EXP, vec![s(9)]);

    recall_refuses_stranger: stranger => Error::NotPartner, |c, _fx| c.recall_lot(G1, lot());
    recall_refuses_wholesaler: wholesaler => Error::NotCommissioner, |c, _fx| c.recall_lot(G1, lot());
    recall_refuses_dispenser: dispenser => Error::NotCommissioner, |c, _fx| c.recall_lot(G1, lot());

    ship_refuses_stranger: stranger => Error::NotPartner, |c, fx| c.ship(vec![(G1, s(0))], fx.wholesaler, [5; 32]);
    ship_refuses_suspended: suspended => Error::PartnerSuspended, |c, fx| c.ship(vec![(G1, s(0))], fx.wholesaler, [5; 32]);
    ship_refuses_non_custodian: wholesaler => Error::NotCustodian, |c, fx| c.ship(vec![(G1, s(0))], fx.dispenser, [5; 32]);
    receive_refuses_stranger: stranger => Error::NotPartner, |c, _fx| c.receive(1, vec![(G1, s(0))]);
    receive_refuses_suspended: suspended => Error::PartnerSuspended, |c, _fx| c.receive(1, vec![(G1, s(0))]);
    reject_refuses_stranger: stranger => Error::NotPartner, |c, _fx| c.reject(1, vec![(G1, s(0))]);
    cancel_refuses_stranger: stranger => Error::NotPartner, |c, _fx| c.cancel_shipment(1, vec![(G1, s(0))]);
    cancel_refuses_suspended: suspended => Error::PartnerSuspended, |c, _fx| c.cancel_shipment(1, vec![(G1, s(0))]);

    dispense_refuses_stranger: stranger => Error::NotPartner, |c, _fx| c.dispense(G1, s(0), lot(), EXP);
    dispense_refuses_manufacturer: manufacturer => Error::WrongRole, |c, _fx| c.dispense(G1, s(0), lot(), EXP);
    dispense_refuses_wholesaler: wholesaler => Error::WrongRole, |c, _fx| c.dispense(G1, s(0), lot(), EXP);
    dispense_refuses_suspended: suspended => Error::PartnerSuspended, |c, _fx| c.dispense(G1, s(0), lot(), EXP);
    dispense_refuses_non_custodian: dispenser => Error::NotCustodian, |c, _fx| c.dispense(G1, s(0), lot(), EXP);

    decommission_refuses_stranger: stranger => Error::NotPartner, |c, _fx| c.decommission(G1, s(0), DecommissionReason::Destroyed);
    decommission_refuses_non_custodian: wholesaler => Error::NotCustodian, |c, _fx| c.decommission(G1, s(0), DecommissionReason::Destroyed);
    decommission_refuses_suspended: suspended => Error::PartnerSuspended, |c, _fx| c.decommission(G1, s(0), DecommissionReason::Destroyed);

    undo_refuses_stranger: stranger => Error::NotPartner, |c, _fx| c.undo(G1, s(0));
    flag_suspect_refuses_stranger: stranger => Error::NotPartner, |c, _fx| c.flag_suspect(G1, s(0), [6; 32]);
    flag_suspect_refuses_suspended: suspended => Error::PartnerSuspended, |c, _fx| c.flag_suspect(G1, s(0), [6; 32]);
    clear_suspect_refuses_manufacturer: manufacturer => Error::NotOwner, |c, _fx| c.clear_suspect(G1, s(0));
    clear_suspect_refuses_stranger: stranger => Error::NotOwner, |c, _fx| c.clear_suspect(G1, s(0));
    confirm_illegitimate_refuses_manufacturer: manufacturer => Error::NotOwner, |c, _fx| c.confirm_illegitimate(G1, s(0));
    confirm_illegitimate_refuses_dispenser: dispenser => Error::NotOwner, |c, _fx| c.confirm_illegitimate(G1, s(0));

}

// The admin and wiring messages (`Administration`, `Wiring`) refuse with the shared `AdminError`.
carechain_shared::refused! {
    setup, fingerprint, AdminError;
    transfer_ownership_refuses_stranger: stranger => NotOwner, |c, fx| c.transfer_ownership(fx.stranger);
    transfer_ownership_refuses_manufacturer: manufacturer => NotOwner, |c, fx| c.transfer_ownership(fx.manufacturer);
    accept_ownership_refuses_unproposed: stranger => NotPendingOwner, |c, _fx| c.accept_ownership();
    set_paused_refuses_stranger: stranger => NotOwner, |c, _fx| c.set_paused(true);
    set_paused_refuses_manufacturer: manufacturer => NotOwner, |c, _fx| c.set_paused(true);
    set_peer_refuses_stranger: stranger => NotOwner, |c, fx| c.set_peer(Some(peer(fx.stranger)));
    set_peer_refuses_wholesaler: wholesaler => NotOwner, |c, fx| c.set_peer(Some(peer(fx.stranger)));
    set_code_hash_refuses_stranger: stranger => NotOwner, |c, _fx| c.set_code_hash([9; 32].into());
    set_code_hash_refuses_manufacturer: manufacturer => NotOwner, |c, _fx| c.set_code_hash([9; 32].into());
    unwire_when_not_wired: regulator => NotWired, |c, _fx| c.set_peer(None);
    wire_to_a_plain_account: regulator => PeerNotContract, |c, fx| c.set_peer(Some(peer(fx.stranger)));
    wire_to_itself: regulator => PeerIsSelf, |c, _fx| c.set_peer(Some(peer(test::callee::<Env>())));
}

fn peer(address: AccountId) -> Peer {
    Peer { address, code_hash: [7; 32].into() }
}

// ----- bad input --------------------------------------------------------------------------

carechain_shared::refused! {
    setup, fingerprint, Error;
    gtin_bad_check_digit: manufacturer => Error::BadCheckDigit, |c, _fx| c.claim_gtin(*b"09506000134353", EVIDENCE);
    gtin_not_digits: manufacturer => Error::InvalidGtin, |c, _fx| c.claim_gtin(*b"0950600013435A", EVIDENCE);
    gtin_all_zero: manufacturer => Error::InvalidGtin, |c, _fx| c.claim_gtin(*b"00000000000000", EVIDENCE);
    gtin_zero_evidence: manufacturer => Error::ZeroHash, |c, _fx| c.claim_gtin(G2, ZERO_HASH);
    gtin_already_owned: manufacturer => Error::AlreadyClaimed, |c, _fx| c.claim_gtin(G1, EVIDENCE);
    approve_unknown_claim: regulator => Error::UnknownClaim, |c, fx| c.approve_gtin_claim(G2, fx.manufacturer);
    reject_unknown_claim: regulator => Error::UnknownClaim, |c, fx| c.reject_gtin_claim(G2, fx.manufacturer);
    transfer_unknown_gtin: regulator => Error::UnknownGtin, |c, fx| c.transfer_gtin(G2, fx.manufacturer, TransferKind::Sale);
    transfer_to_its_owner: regulator => Error::Unchanged, |c, fx| c.transfer_gtin(G1, fx.manufacturer, TransferKind::Sale);
    transfer_to_a_wholesaler: regulator => Error::WrongRole, |c, fx| c.transfer_gtin(G1, fx.wholesaler, TransferKind::Sale);
    transfer_to_a_stranger: regulator => Error::NotPartner, |c, fx| c.transfer_gtin(G1, fx.stranger, TransferKind::Squat);
    revoke_unknown_gtin: regulator => Error::UnknownGtin, |c, _fx| c.revoke_gtin(G2, 1);
    revoke_a_holding_never_assigned: regulator => Error::UnknownHolding, |c, _fx| c.revoke_gtin(G1, 2);
    restore_unknown_gtin: regulator => Error::UnknownGtin, |c, _fx| c.restore_lot(G2, lot());
    restore_unknown_lot: regulator => Error::InvalidLot, |c, _fx| c.restore_lot(G1, b"NOPE".to_vec());
    restore_a_lot_never_withdrawn: regulator => Error::NotWithdrawn, |c, _fx| c.restore_lot(G1, lot());
    commission_unknown_gtin: manufacturer => Error::UnknownGtin, |c, _fx| c.commission(G2, lot(), EXP, vec![s(9)]);
    commission_bad_serial_index: manufacturer => Error::InvalidSerial(2), |c, _fx| c.commission(G1, lot(), EXP, vec![s(10), s(11), b"BAD SERIAL".to_vec()]);
    commission_duplicate_in_batch: manufacturer => Error::DuplicateSerial(3), |c, _fx| c.commission(G1, lot(), EXP, vec![s(10), s(11), s(12), s(11)]);
    commission_too_many: manufacturer => Error::InvalidBatch, |c, _fx| c.commission(G1, lot(), EXP, (10..11 + MAX_COMMISSION as u32).map(s).collect());
    commission_bad_expiry: manufacturer => Error::InvalidExpiry, |c, _fx| c.commission(G1, b"LOT-B".to_vec(), 271340, vec![s(10)]);
    commission_lot_expiry_mismatch: manufacturer => Error::LotExpiryMismatch, |c, _fx| c.commission(G1, lot(), 281231, vec![s(10)]);
    commission_bad_lot: manufacturer => Error::InvalidLot, |c, _fx| c.commission(G1, vec![], EXP, vec![s(10)]);
    ship_to_self: manufacturer => Error::InvalidRecipient, |c, fx| c.ship(vec![(G1, s(0))], fx.manufacturer, [5; 32]);
    ship_to_suspended: manufacturer => Error::InvalidRecipient, |c, fx| c.ship(vec![(G1, s(0))], fx.suspended, [5; 32]);
    ship_to_stranger: manufacturer => Error::InvalidRecipient, |c, fx| c.ship(vec![(G1, s(0))], fx.stranger, [5; 32]);
    ship_zero_statement: manufacturer => Error::ZeroHash, |c, fx| c.ship(vec![(G1, s(0))], fx.wholesaler, ZERO_HASH);
    ship_empty: manufacturer => Error::InvalidBatch, |c, fx| c.ship(vec![], fx.wholesaler, [5; 32]);
    ship_duplicate_pack: manufacturer => Error::InvalidBatch, |c, fx| c.ship(vec![(G1, s(0)), (G1, s(0))], fx.wholesaler, [5; 32]);
    ship_unknown_pack: manufacturer => Error::UnknownPack, |c, fx| c.ship(vec![(G1, s(99))], fx.wholesaler, [5; 32]);
    ship_without_anchor_wired: manufacturer => Error::AnchorNotWired, |c, fx| c.ship(vec![(G1, s(0))], fx.wholesaler, [5; 32]);
    receive_not_in_transit: wholesaler => Error::NotInTransit, |c, _fx| c.receive(1, vec![(G1, s(0))]);
    cancel_not_in_transit: manufacturer => Error::NotInTransit, |c, _fx| c.cancel_shipment(1, vec![(G1, s(0))]);
    cancel_empty: regulator => Error::InvalidBatch, |c, _fx| c.cancel_shipment(1, vec![]);
    dispense_identifier_mismatch: dispenser => Error::IdentifierMismatch, |c, _fx| c.dispense(G1, s(0), b"LOT-X".to_vec(), EXP);
    undo_not_undoable: manufacturer => Error::NotUndoable, |c, _fx| c.undo(G1, s(0));
    flag_zero_evidence: wholesaler => Error::ZeroHash, |c, _fx| c.flag_suspect(G1, s(0), ZERO_HASH);
    clear_not_suspect: regulator => Error::NotSuspect, |c, _fx| c.clear_suspect(G1, s(0));
    recall_unknown_lot: manufacturer => Error::InvalidLot, |c, _fx| c.recall_lot(G1, b"NOPE".to_vec());
    suspend_unchanged: regulator => Error::Unchanged, |c, fx| c.set_partner_suspended(fx.suspended, true);
    register_twice: regulator => Error::AlreadyPartner, |c, fx| c.register_partner(fx.dispenser, PartnerRole::Dispenser, [9; 32]);
}

#[ink::test]
fn commissioning_is_verifiable_with_flags() {
    let (c, fx) = setup();
    let v = c.verify(G1, s(3), lot(), EXP);
    assert!(v.verified && !v.expired && !v.recalled && !v.suspect && !v.decommissioned && !v.withdrawn);
    assert_eq!((v.status, v.custodian_role), (Some(PackStatus::Active), Some(PartnerRole::Manufacturer)));
    assert_eq!(c.verify(G1, s(77), lot(), EXP).no_match, Some(NoMatch::UnknownSerial));
    assert_eq!(c.verify(G2, s(3), lot(), EXP).no_match, Some(NoMatch::UnknownProduct));
    assert_eq!(c.verify(G1, s(3), b"LOT-B".to_vec(), EXP).no_match, Some(NoMatch::LotMismatch));
    assert_eq!(c.verify(G1, s(3), lot(), 271230).no_match, Some(NoMatch::ExpiryMismatch));
    assert_eq!(c.verify(*b"09506000134353", s(3), lot(), EXP).no_match, Some(NoMatch::InvalidIdentifier));
    assert_eq!(c.verify(G1, b"with space".to_vec(), lot(), EXP).no_match, Some(NoMatch::InvalidIdentifier));
    assert_eq!(c.pack(G1, s(0)).unwrap().custodian, fx.manufacturer);
    at(T0 + 3 * 365 * MS_PER_DAY);
    assert!(c.verify(G1, s(3), lot(), EXP).expired);
}

#[ink::test]
fn commission_emits_and_accepts_the_maximum_batch() {
    let (mut c, fx) = setup();
    as_(fx.manufacturer);
    let n = c.commission(G1, b"LOT-MAX".to_vec(), EXP, (1000..1000 + MAX_COMMISSION as u32).map(s).collect()).unwrap();
    assert_eq!(n as usize, MAX_COMMISSION);
    let ev: PacksCommissioned = last_event();
    assert_eq!((ev.manufacturer, ev.gtin, ev.expiry), (fx.manufacturer, G1, EXP));
    assert_eq!(ev.serials, (1000..1000 + MAX_COMMISSION as u32).map(s).collect::<Vec<_>>(), "every serial on record");
    assert!(c.verify(G1, s(1000 + MAX_COMMISSION as u32 - 1), b"LOT-MAX".to_vec(), EXP).verified);
}

#[ink::test]
fn decommission_then_second_decommission_alerts_without_change() {
    let (mut c, fx) = setup();
    as_(fx.manufacturer);
    assert_eq!(c.decommission(G1, s(0), DecommissionReason::Destroyed), Ok(Transition::To(PackStatus::Destroyed)));
    let ev: PackStatusChanged = last_event();
    assert_eq!((ev.from, ev.to, ev.actor), (PackStatus::Active, PackStatus::Destroyed, fx.manufacturer));
    let before = c.pack(G1, s(0));
    as_(fx.wholesaler);
    assert_eq!(c.decommission(G1, s(0), DecommissionReason::Stolen), Ok(Transition::Alert));
    let alert: FalsificationAlert = last_event();
    assert_eq!((alert.reporter, alert.status, alert.serial), (fx.wholesaler, PackStatus::Destroyed, s(0)));
    assert_eq!(c.pack(G1, s(0)), before);
    as_(fx.dispenser);
    assert_eq!(c.dispense(G1, s(0), lot(), EXP), Ok(Transition::Alert), "dispensing a destroyed pack alerts");
    assert!(c.verify(G1, s(0), lot(), EXP).decommissioned);
    as_(fx.manufacturer);
    assert_eq!(c.undo(G1, s(0)), Err(Error::NotUndoable), "destroyed is final");
}

#[ink::test]
fn undo_only_by_the_same_actor_within_ten_days() {
    let (mut c, fx) = setup();
    as_(fx.manufacturer);
    c.decommission(G1, s(1), DecommissionReason::Locked).unwrap();
    at(T0 + UNDO_WINDOW);
    assert_eq!(c.undo(G1, s(1)), Err(Error::UndoWindowPassed));
    at(T0 + UNDO_WINDOW - 1);
    assert_eq!(c.undo(G1, s(1)), Ok(Transition::To(PackStatus::Active)));
    assert_eq!(last_event::<PackStatusChanged>().to, PackStatus::Active);
}

#[ink::test]
fn undo_never_returns_a_recalled_withdrawn_or_quarantined_pack_to_supply() {
    let (mut c, fx) = setup();
    as_(fx.manufacturer);
    for n in 1..4 {
        c.decommission(G1, s(n), DecommissionReason::Sample).unwrap();
    }
    as_(fx.wholesaler);
    c.flag_suspect(G1, s(1), [6; 32]).unwrap();
    as_(fx.manufacturer);
    assert_eq!(c.undo(G1, s(1)), Err(Error::Quarantined));
    c.recall_lot(G1, lot()).unwrap();
    assert_eq!(c.undo(G1, s(2)), Err(Error::Recalled));
    as_(fx.regulator);
    c.revoke_gtin(G1, 1).unwrap();
    as_(fx.manufacturer);
    assert_eq!(c.undo(G1, s(3)), Err(Error::Recalled), "recall is checked first");
}

#[ink::test]
fn suspect_quarantine_clear_and_illegitimate() {
    let (mut c, fx) = setup();
    as_(fx.wholesaler);
    c.flag_suspect(G1, s(2), [6; 32]).unwrap();
    let ev: SuspectFlagged = last_event();
    assert_eq!((ev.reporter, ev.evidence_hash), (fx.wholesaler, [6; 32]));
    assert_eq!(c.flag_suspect(G1, s(2), [7; 32]), Err(Error::Quarantined));
    assert!(c.verify(G1, s(2), lot(), EXP).suspect);
    as_(fx.manufacturer);
    assert_eq!(c.ship(vec![(G1, s(2))], fx.wholesaler, [5; 32]), Err(Error::Quarantined));
    as_(fx.regulator);
    c.clear_suspect(G1, s(2)).unwrap();
    assert!(!last_event::<SuspectResolved>().illegitimate);
    assert!(!c.verify(G1, s(2), lot(), EXP).suspect);
    as_(fx.dispenser);
    c.flag_suspect(G1, s(2), [8; 32]).unwrap();
    as_(fx.regulator);
    c.confirm_illegitimate(G1, s(2)).unwrap();
    assert!(last_event::<SuspectResolved>().illegitimate);
    assert!(c.verify(G1, s(2), lot(), EXP).illegitimate);
    assert_eq!(c.confirm_illegitimate(G1, s(2)), Err(Error::Illegitimate));
    assert_eq!(c.clear_suspect(G1, s(2)), Err(Error::Illegitimate), "illegitimate is final");
    as_(fx.manufacturer);
    assert_eq!(c.decommission(G1, s(2), DecommissionReason::Destroyed), Err(Error::Illegitimate));
}

/// A destroyed pack's serial scanned again is the EMVS "already decommissioned" alert: the
/// investigation must still be able to flag it and confirm it illegitimate (a verdict that only
/// narrows), while its status and custodian stay as they were.
#[ink::test]
fn a_final_pack_can_still_be_confirmed_illegitimate_without_moving() {
    let (mut c, fx) = setup();
    as_(fx.manufacturer);
    c.decommission(G1, s(2), DecommissionReason::Destroyed).unwrap();
    let before = c.pack(G1, s(2)).unwrap();
    as_(fx.dispenser);
    c.flag_suspect(G1, s(2), [9; 32]).unwrap();
    as_(fx.regulator);
    c.confirm_illegitimate(G1, s(2)).unwrap();
    let after = c.pack(G1, s(2)).unwrap();
    assert_eq!((after.status, after.custodian), (before.status, before.custodian));
    assert_eq!((after.status, after.illegitimate), (PackStatus::Destroyed, true));
    let v = c.verify(G1, s(2), lot(), EXP);
    assert!(v.illegitimate && v.decommissioned);
    assert_eq!(c.clear_suspect(G1, s(2)), Err(Error::Illegitimate), "the verdict is never taken back");
}

#[ink::test]
fn recall_is_one_write_for_the_whole_lot() {
    let (mut c, fx) = setup();
    as_(fx.manufacturer);
    c.recall_lot(G1, lot()).unwrap();
    let ev: LotRecalled = last_event();
    assert_eq!((ev.by, ev.gtin, ev.lot), (fx.manufacturer, G1, lot()));
    for n in 0..5 {
        assert!(c.verify(G1, s(n), lot(), EXP).recalled);
    }
    assert_eq!(c.ship(vec![(G1, s(0))], fx.wholesaler, [5; 32]), Err(Error::Recalled));
    assert_eq!(c.recall_lot(G1, lot()), Err(Error::AlreadyRecalled));
    assert_eq!(c.commission(G1, lot(), EXP, vec![s(50)]), Err(Error::Recalled));
    // The regulator may recall too.
    c.commission(G1, b"LOT-B".to_vec(), EXP, vec![s(60)]).unwrap();
    as_(fx.regulator);
    c.recall_lot(G1, b"LOT-B".to_vec()).unwrap();
    assert!(c.verify(G1, s(60), b"LOT-B".to_vec(), EXP).recalled);
}

#[ink::test]
fn partner_suspension_and_registration_emit() {
    let (mut c, fx) = setup();
    as_(fx.regulator);
    c.register_partner(fx.stranger, PartnerRole::Repackager, [8; 32]).unwrap();
    let ev: PartnerRegistered = last_event();
    assert_eq!((ev.partner, ev.role), (fx.stranger, PartnerRole::Repackager));
    c.set_partner_suspended(fx.suspended, false).unwrap();
    assert!(!last_event::<PartnerSuspensionChanged>().suspended);
}

#[ink::test]
fn a_gtin_claim_takes_effect_only_when_the_regulator_approves() {
    let (mut c, fx) = setup();
    as_(fx.regulator);
    c.register_partner(fx.stranger, PartnerRole::Repackager, [8; 32]).unwrap();
    // Two partners claim G2; neither owns it until the regulator decides.
    for who in [fx.stranger, fx.manufacturer] {
        as_(who);
        c.claim_gtin(G2, EVIDENCE).unwrap();
        let ev: GtinClaimed = last_event();
        assert_eq!((ev.claimant, ev.gtin, ev.evidence_hash), (who, G2, EVIDENCE));
    }
    assert_eq!(c.gtin(G2), None);
    assert_eq!(c.commission(G2, lot(), EXP, vec![s(1)]), Err(Error::UnknownGtin));
    as_(fx.regulator);
    c.reject_gtin_claim(G2, fx.stranger).unwrap();
    assert_eq!(last_event::<GtinClaimRejected>().by, fx.regulator);
    c.approve_gtin_claim(G2, fx.manufacturer).unwrap();
    let ev: GtinAssigned = last_event();
    assert_eq!((ev.owner, ev.gtin, ev.previous_owner), (fx.manufacturer, G2, None));
    assert_eq!(c.gtin(G2), Some(GtinRecord::first(fx.manufacturer)));
    // A later claim by someone else cannot displace the owner.
    as_(fx.stranger);
    c.claim_gtin(G2, EVIDENCE).unwrap();
    as_(fx.regulator);
    assert_eq!(c.approve_gtin_claim(G2, fx.stranger), Err(Error::GtinTaken));
    // …the claimant may withdraw it.
    as_(fx.stranger);
    c.reject_gtin_claim(G2, fx.stranger).unwrap();
    assert_eq!(c.gtin_claim(G2, fx.stranger), None);
}

#[ink::test]
fn the_regulator_transfers_and_revokes_gtins_and_packs_keep_their_history() {
    let (mut c, fx) = setup();
    as_(fx.regulator);
    c.register_partner(fx.stranger, PartnerRole::Manufacturer, [8; 32]).unwrap();
    c.revoke_gtin(G1, 1).unwrap();
    let ev: GtinRevoked = last_event();
    assert_eq!((ev.gtin, ev.holding), (G1, 1));
    assert_eq!(c.revoke_gtin(G1, 1), Err(Error::Unchanged));
    // The packs are still there, and verify as withdrawn: do not supply.
    let v = c.verify(G1, s(0), lot(), EXP);
    assert!(v.verified && v.withdrawn);
    as_(fx.manufacturer);
    assert_eq!(c.commission(G1, lot(), EXP, vec![s(9)]), Err(Error::GtinRevoked));
    as_(fx.regulator);
    assert_eq!(c.transfer_gtin(G1, fx.stranger, TransferKind::Sale), Err(Error::GtinRevoked), "never sold");
    c.transfer_gtin(G1, fx.stranger, TransferKind::Squat).unwrap();
    let ev: GtinAssigned = last_event();
    assert_eq!((ev.owner, ev.previous_owner, ev.holding), (fx.stranger, Some(fx.manufacturer), 2));
    assert_eq!(ev.transfer, Some(TransferKind::Squat));
    assert!(c.verify(G1, s(0), lot(), EXP).withdrawn, "the revoked holding's packs stay withdrawn");
    assert_eq!(c.pack(G1, s(0)).unwrap().custodian, fx.manufacturer, "history stays");
    as_(fx.manufacturer);
    assert_eq!(c.commission(G1, lot(), EXP, vec![s(9)]), Err(Error::NotGtinOwner));
    as_(fx.stranger);
    assert_eq!(c.commission(G1, lot(), EXP, vec![s(9)]), Err(Error::LotTaken), "the lot is the old holding's");
    assert_eq!(c.commission(G1, b"LOT-N".to_vec(), EXP, vec![s(9)]), Ok(1));
    assert!(!c.verify(G1, s(9), b"LOT-N".to_vec(), EXP).withdrawn);
    let l = c.lot(G1, b"LOT-N".to_vec()).unwrap();
    assert_eq!((l.commissioner, l.holding, l.restored), (fx.stranger, 2, false));
    // A sale keeps the seller's packs genuine.
    as_(fx.regulator);
    c.transfer_gtin(G1, fx.manufacturer, TransferKind::Sale).unwrap();
    assert!(!c.verify(G1, s(9), b"LOT-N".to_vec(), EXP).withdrawn);
    assert!(c.verify(G1, s(0), lot(), EXP).withdrawn);
    assert_eq!(c.gtin(G1).map(|r| (r.owner, r.holding, r.revoked_holdings)), Some((fx.manufacturer, 3, 0b1)));
}

/// Issue 27, item 1: where a revocation was itself the mistake, the regulator restores a named
/// lot, on record; the holding's other lots stay withdrawn, and a restore happens once.
#[ink::test]
fn the_regulator_restores_a_named_lot_of_a_revoked_holding() {
    let (mut c, fx) = setup();
    as_(fx.manufacturer);
    c.commission(G1, b"LOT-B".to_vec(), EXP, vec![s(20)]).unwrap();
    as_(fx.regulator);
    c.revoke_gtin(G1, 1).unwrap();
    c.restore_lot(G1, lot()).unwrap();
    let ev: LotRestored = last_event();
    assert_eq!((ev.commissioner, ev.gtin, ev.lot, ev.holding), (fx.manufacturer, G1, lot(), 1));
    assert!(!c.verify(G1, s(0), lot(), EXP).withdrawn);
    assert!(c.verify(G1, s(20), b"LOT-B".to_vec(), EXP).withdrawn, "only the named lot");
    assert_eq!(c.restore_lot(G1, lot()), Err(Error::NotWithdrawn), "once");
    as_(fx.manufacturer);
    assert_eq!(c.commission(G1, lot(), EXP, vec![s(21)]), Err(Error::GtinRevoked), "the holding stays revoked");
    assert_eq!(c.ship(vec![(G1, s(20))], fx.wholesaler, [5; 32]), Err(Error::Withdrawn));
}

#[ink::test]
fn a_lot_is_recalled_by_its_commissioner_or_the_regulator_only() {
    let (mut c, fx) = setup();
    as_(fx.regulator);
    c.register_partner(fx.stranger, PartnerRole::Manufacturer, [8; 32]).unwrap();
    c.transfer_gtin(G1, fx.stranger, TransferKind::Sale).unwrap();
    // The buyer (or a buyer approved by mistake) cannot take the seller's lot off the market.
    as_(fx.stranger);
    assert_eq!(c.recall_lot(G1, lot()), Err(Error::NotCommissioner), "the seller's lot");
    c.commission(G1, b"LOT-S".to_vec(), EXP, vec![s(30)]).unwrap();
    // The seller answers for the lot it made, and only for it.
    as_(fx.manufacturer);
    assert_eq!(c.recall_lot(G1, b"LOT-S".to_vec()), Err(Error::NotCommissioner), "the buyer's lot");
    c.recall_lot(G1, lot()).unwrap();
    assert_eq!(last_event::<LotRecalled>().by, fx.manufacturer);
    as_(fx.stranger);
    c.recall_lot(G1, b"LOT-S".to_vec()).unwrap();
}

/// A squatter that sold the GTIN on before it was found out: the regulator revokes that earlier
/// holding by its number; the buyer's holding and packs stand.
#[ink::test]
fn an_earlier_holding_is_revoked_by_its_number() {
    let (mut c, fx) = setup();
    as_(fx.regulator);
    c.register_partner(fx.stranger, PartnerRole::Manufacturer, [8; 32]).unwrap();
    c.transfer_gtin(G1, fx.stranger, TransferKind::Sale).unwrap();
    as_(fx.stranger);
    c.commission(G1, b"LOT-S".to_vec(), EXP, vec![s(30)]).unwrap();
    as_(fx.regulator);
    c.revoke_gtin(G1, 1).unwrap();
    let ev: GtinRevoked = last_event();
    assert_eq!((ev.gtin, ev.holding), (G1, 1));
    assert!(c.verify(G1, s(0), lot(), EXP).withdrawn, "the seller's pack");
    assert!(!c.verify(G1, s(30), b"LOT-S".to_vec(), EXP).withdrawn, "the buyer's pack");
    assert_eq!(c.revoke_gtin(G1, 1), Err(Error::Unchanged));
    assert_eq!(c.revoke_gtin(G1, 3), Err(Error::UnknownHolding));
    // A squat transfer revokes the holding it ends, on record.
    c.transfer_gtin(G1, fx.manufacturer, TransferKind::Squat).unwrap();
    let revoked: GtinRevoked = nth_last_event(1);
    assert_eq!((revoked.gtin, revoked.holding), (G1, 2));
    assert_eq!(last_event::<GtinAssigned>().holding, 3);
    assert!(c.verify(G1, s(30), b"LOT-S".to_vec(), EXP).withdrawn);
}

#[ink::test]
fn pause_stops_supply_but_not_recalls_quarantine_or_decommissioning() {
    let (mut c, fx) = setup();
    as_(fx.regulator);
    c.set_paused(true).unwrap();
    let before = fingerprint(&c, &fx);
    as_(fx.manufacturer);
    assert_eq!(c.claim_gtin(G2, EVIDENCE), Err(Error::Paused));
    assert_eq!(c.commission(G1, lot(), EXP, vec![s(50)]), Err(Error::Paused));
    assert_eq!(c.ship(vec![(G1, s(0))], fx.wholesaler, [5; 32]), Err(Error::Paused));
    assert_eq!(c.undo(G1, s(0)), Err(Error::Paused));
    as_(fx.wholesaler);
    assert_eq!(c.receive(1, vec![(G1, s(0))]), Err(Error::Paused));
    // Rejecting is not refused for the pause (it only takes packs out of transit): this pack
    // is not in transit.
    assert_eq!(c.reject(1, vec![(G1, s(0))]), Err(Error::NotInTransit));
    as_(fx.dispenser);
    assert_eq!(c.dispense(G1, s(0), lot(), EXP), Err(Error::Paused));
    assert_eq!(fingerprint(&c, &fx), before);
    assert!(c.verify(G1, s(0), lot(), EXP).verified);
    // What protects patients still works.
    as_(fx.wholesaler);
    c.flag_suspect(G1, s(0), [1; 32]).unwrap();
    as_(fx.manufacturer);
    c.decommission(G1, s(1), DecommissionReason::Destroyed).unwrap();
    c.recall_lot(G1, lot()).unwrap();
    as_(fx.regulator);
    c.confirm_illegitimate(G1, s(0)).unwrap();
    c.flag_suspect(G1, s(2), [2; 32]).unwrap();
    assert_eq!(last_event::<SuspectFlagged>().reporter, fx.regulator);
}
