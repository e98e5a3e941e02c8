//! pharma_ledger wired to record_anchor (wired to consent_registry and break_glass): a pack
//! from commissioning to the patient, with the shipment's statement anchored on the way.

use carechain_e2e::suite::*;
use carechain_e2e::{account, builder, Chain};
use carechain_shared::{AdminError, Wiring};
use pharma_ledger::data::PartnerRole;
use pharma_ledger::events::{FalsificationAlert, PackStatusChanged, PacksReceived, PacksShipped};
use pharma_ledger::pack::{Action, PackStatus, Transition};
use pharma_ledger::pharma_ledger::{PharmaLedger, PharmaLedgerRef};
use pharma_ledger::Error;
use record_anchor::data::AnchorStatus;

/// The brand of `Suite::supply_chain`.
const MANUFACTURER: u8 = BRAND;
const PHARMACY2: u8 = 23;

/// The suite's drug-supply cast (`Suite::supply_chain`: MANUFACTURER holds GTIN with 10 packs)
/// and a second pharmacy.
fn ledger(s: &mut Suite) -> <PharmaLedger as ink::codegen::ContractCallBuilder>::Type {
    let mut pl = s.supply_chain();
    s.chain
        .call(account(OWNER), &pl.register_partner(account(PHARMACY2), PartnerRole::Dispenser, [PHARMACY2; 32]))
        .ok()
        .expect("partner");
    pl
}

#[test]
fn scenario_4_drug_pack_commission_ship_dispense_clone_alert_recall() {
    let mut s = Suite::new();
    let mut pl = ledger(&mut s);
    let ra = s.at.anchor();
    let packs: Vec<_> = (0..3).map(|n| (GTIN, serial(n))).collect();

    // Manufacturer → wholesaler, with the transaction statement anchored in record_anchor.
    let statement = [0x75; 32];
    let shipped = s.chain.call(account(MANUFACTURER), &pl.ship(packs.clone(), account(WHOLESALER), statement));
    let ev = shipped.events_of::<PacksShipped>();
    let shipment = shipped.ok().expect("ship");
    assert_eq!(
        (ev[0].from, ev[0].to, ev[0].shipment_id, &ev[0].packs),
        (account(MANUFACTURER), account(WHOLESALER), shipment, &packs)
    );
    let anchored = s
        .chain
        .read(&ra.verify(s.at.pharma_ledger, Some(account(MANUFACTURER)), statement))
        .expect("statement anchored");
    assert_eq!(
        (anchored.id, anchored.issuer, anchored.on_behalf_of),
        (ev[0].anchor_id, s.at.pharma_ledger, Some(account(MANUFACTURER)))
    );
    assert_eq!((anchored.patient, anchored.status), (None, AnchorStatus::Current));
    assert_eq!(s.chain.read(&pl.verify(GTIN, serial(0), lot(), EXPIRY)).status, Some(PackStatus::InTransit));

    // Only the recipient receives, and only what the shipment holds.
    assert_eq!(
        s.chain.call(account(PHARMACY), &pl.receive(shipment, packs.clone())).ok(),
        Err(Error::NotPendingRecipient)
    );
    assert_eq!(
        s.chain.call(account(WHOLESALER), &pl.receive(shipment + 1, packs.clone())).ok(),
        Err(Error::NotInShipment)
    );
    let received = s.chain.call(account(WHOLESALER), &pl.receive(shipment, packs.clone()));
    let ev = received.events_of::<PacksReceived>();
    assert!(ev[0].accepted);
    assert_eq!((ev[0].from, ev[0].shipment_id, &ev[0].packs), (account(MANUFACTURER), shipment, &packs));
    assert_eq!(received.ok(), Ok(()));

    // Wholesaler → pharmacy; the second pharmacy rejects a pack sent to it by mistake.
    let to_pharmacy = s
        .chain
        .call(account(WHOLESALER), &pl.ship(vec![(GTIN, serial(0))], account(PHARMACY), [0x76; 32]))
        .ok()
        .expect("ship 2");
    let by_mistake = s
        .chain
        .call(account(WHOLESALER), &pl.ship(vec![(GTIN, serial(1))], account(PHARMACY2), [0x77; 32]))
        .ok()
        .expect("ship 3");
    s.chain.call(account(PHARMACY), &pl.receive(to_pharmacy, vec![(GTIN, serial(0))])).ok().expect("receive");
    let rejected = s.chain.call(account(PHARMACY2), &pl.reject(by_mistake, vec![(GTIN, serial(1))]));
    assert!(!rejected.events_of::<PacksReceived>()[0].accepted);
    let back = s.chain.read(&pl.pack(GTIN, serial(1))).expect("pack");
    assert_eq!((back.status, back.custodian), (PackStatus::Active, account(WHOLESALER)), "returned to sender");
    // The same statement cannot be anchored twice by the same shipper: the shipment is refused.
    assert_eq!(
        s.chain.call(account(WHOLESALER), &pl.ship(vec![(GTIN, serial(1))], account(PHARMACY2), [0x77; 32])).ok(),
        Err(Error::AnchorRefused)
    );
    assert_eq!(s.chain.read(&pl.pack(GTIN, serial(1))).map(|p| p.status), Some(PackStatus::Active));

    // The pharmacy dispenses after verifying the full identifier.
    let v = s.chain.read(&pl.verify(GTIN, serial(0), lot(), EXPIRY));
    assert!(v.verified && !v.decommissioned);
    assert_eq!(v.custodian_role, Some(PartnerRole::Dispenser));
    let dispensed = s.chain.call(account(PHARMACY), &pl.dispense(GTIN, serial(0), lot(), EXPIRY));
    assert_eq!(dispensed.events_of::<PackStatusChanged>()[0].to, PackStatus::Dispensed);
    assert_eq!(dispensed.ok(), Ok(Transition::To(PackStatus::Dispensed)));
    let v = s.chain.read(&pl.verify(GTIN, serial(0), lot(), EXPIRY));
    assert!(v.decommissioned);
    assert_eq!(v.status, Some(PackStatus::Dispensed));

    // A cloned pack scanned at another pharmacy: the alert is on record, the pack unchanged.
    let clone = s.chain.call(account(PHARMACY2), &pl.dispense(GTIN, serial(0), lot(), EXPIRY));
    assert!(!clone.reverted);
    let alert = clone.events_of::<FalsificationAlert>();
    assert_eq!(
        (alert[0].reporter, alert[0].status, alert[0].attempted),
        (account(PHARMACY2), PackStatus::Dispensed, Action::Dispense)
    );
    assert_eq!(clone.ok(), Ok(Transition::Alert));
    assert_eq!(s.chain.read(&pl.pack(GTIN, serial(0))).map(|p| p.custodian), Some(account(PHARMACY)));

    // A lot recall: every pack of the lot verifies as recalled and cannot move.
    s.chain.call(account(MANUFACTURER), &pl.recall_lot(GTIN, lot())).ok().expect("recall");
    for n in [0, 2, 9] {
        assert!(s.chain.read(&pl.verify(GTIN, serial(n), lot(), EXPIRY)).recalled);
    }
    assert_eq!(
        s.chain.call(account(WHOLESALER), &pl.ship(vec![(GTIN, serial(2))], account(PHARMACY), [0x78; 32])).ok(),
        Err(Error::Recalled)
    );
}

/// Re-commissioning a serial that exists would launder it (a shipped, dispensed or recalled pack
/// back to Active). `commission` learns that a serial exists from the write itself, so the
/// refusal relies on the runtime reverting a refused message's writes: proven here, on the
/// runtime, rather than in the off-chain unit tests (whose environment does not revert).
#[test]
fn a_serial_that_exists_refuses_the_whole_commission_and_changes_nothing() {
    let mut s = Suite::new();
    let mut pl = ledger(&mut s);
    let shipped =
        s.chain.call(account(MANUFACTURER), &pl.ship(vec![(GTIN, serial(4))], account(WHOLESALER), [0x79; 32]));
    shipped.ok().expect("ship");
    let before = s.chain.read(&pl.pack(GTIN, serial(4))).expect("pack 4");
    assert_eq!(before.status, PackStatus::InTransit);
    for lot_of_the_call in [lot(), b"LOT-NEW".to_vec()] {
        let refused = s.chain.call(
            account(MANUFACTURER),
            &pl.commission(GTIN, lot_of_the_call.clone(), EXPIRY, vec![serial(20), serial(21), serial(4)]),
        );
        assert!(refused.reverted && refused.events.is_empty());
        assert_eq!(refused.ok(), Err(Error::DuplicateSerial(2)));
        assert_eq!(s.chain.read(&pl.pack(GTIN, serial(4))), Some(before.clone()), "the existing pack is untouched");
        for n in [20, 21] {
            assert_eq!(s.chain.read(&pl.pack(GTIN, serial(n))), None, "nothing of the refused call is kept");
        }
    }
    assert_eq!(s.chain.read(&pl.lot(GTIN, b"LOT-NEW".to_vec())), None, "nor the lot it would have opened");
    // The same serials without the duplicate go through.
    let n = s.chain.call(account(MANUFACTURER), &pl.commission(GTIN, lot(), EXPIRY, vec![serial(20), serial(21)]));
    assert_eq!(n.ok(), Ok(2));
}

/// A custody batch reads a lot's and a GTIN's record once for consecutive packs that share
/// them (each read is ≈ 10 kB of proof on a node): a pack listed after a good one must still be
/// judged by its own records — another lot of the same GTIN, the same lot name under another
/// GTIN, another GTIN.
#[test]
fn every_pack_of_a_batch_is_judged_by_its_own_lot_and_gtin() {
    const GTIN2: [u8; 14] = *b"09506000134376";
    const GTIN3: [u8; 14] = *b"09506000134383";
    let mut s = Suite::new();
    let mut pl = ledger(&mut s);
    let other_lot = b"LOT-B".to_vec();
    for gtin in [GTIN2, GTIN3] {
        s.assign_gtin(account(MANUFACTURER), gtin);
    }
    for (gtin, lot, n) in [(GTIN, other_lot.clone(), 30), (GTIN2, lot(), 40), (GTIN3, lot(), 50)] {
        s.chain
            .call(account(MANUFACTURER), &pl.commission(gtin, lot, EXPIRY, vec![serial(n)]))
            .ok()
            .expect("commission");
    }
    s.chain.call(account(MANUFACTURER), &pl.recall_lot(GTIN, other_lot)).ok().expect("recall");
    s.chain.call(account(MANUFACTURER), &pl.recall_lot(GTIN2, lot())).ok().expect("recall");
    s.chain.call(account(OWNER), &pl.revoke_gtin(GTIN3, 1)).ok().expect("withdraw");

    let good = (GTIN, serial(0));
    for (bad, expected) in [
        ((GTIN, serial(30)), Error::Recalled),
        ((GTIN2, serial(40)), Error::Recalled),
        ((GTIN3, serial(50)), Error::Withdrawn),
    ] {
        let batch = vec![good.clone(), bad, (GTIN, serial(1))];
        let out = s.chain.call(account(MANUFACTURER), &pl.ship(batch.clone(), account(WHOLESALER), [0x7A; 32]));
        assert!(out.reverted && out.events.is_empty(), "{batch:?}");
        assert_eq!(out.value, Ok(Err(expected)), "{batch:?}");
    }
    // Without them, the packs of the good lot move together.
    let out =
        s.chain.call(account(MANUFACTURER), &pl.ship(vec![good, (GTIN, serial(1))], account(WHOLESALER), [0x7B; 32]));
    assert!(out.ok().is_ok());
}

#[test]
fn shipping_with_a_miswired_anchor_is_refused_clearly() {
    let mut chain = Chain::new();
    let owner = account(OWNER);
    let wrong_contract =
        chain.deploy("break_glass", owner, break_glass::break_glass::BreakGlassRef::with_default_policy());
    let at_wrong_contract = chain.deploy("pharma_ledger", owner, PharmaLedgerRef::new());
    let mut wrong = builder::<PharmaLedger>(at_wrong_contract);
    let wrong_contract = chain.peer(wrong_contract);
    chain.call(owner, &wrong.set_peer(Some(wrong_contract))).ok().expect("wire");
    let unwired = chain.deploy("pharma_ledger", owner, PharmaLedgerRef::new());
    let mut pl = builder::<PharmaLedger>(unwired);
    let plain = chain.peer(account(STRANGER));
    assert_eq!(
        chain.call(owner, &pl.set_peer(Some(plain))).ok(),
        Err(AdminError::PeerNotContract),
        "a plain account cannot be wired"
    );
    for (ledger, expected) in [(at_wrong_contract, Error::AnchorUnavailable), (unwired, Error::AnchorNotWired)] {
        let mut pl = builder::<PharmaLedger>(ledger);
        chain
            .call(owner, &pl.register_partner(account(MANUFACTURER), PartnerRole::Manufacturer, [1; 32]))
            .ok()
            .expect("p");
        chain.call(owner, &pl.register_partner(account(WHOLESALER), PartnerRole::Wholesaler, [2; 32])).ok().expect("p");
        chain.call(account(MANUFACTURER), &pl.claim_gtin(GTIN, [3; 32])).ok().expect("claim");
        chain.call(owner, &pl.approve_gtin_claim(GTIN, account(MANUFACTURER))).ok().expect("approve");
        chain.call(account(MANUFACTURER), &pl.commission(GTIN, lot(), EXPIRY, vec![serial(1)])).ok().expect("c");
        let out = chain.call(account(MANUFACTURER), &pl.ship(vec![(GTIN, serial(1))], account(WHOLESALER), [9; 32]));
        assert!(out.reverted && out.events.is_empty());
        assert_eq!(out.value, Ok(Err(expected)));
        assert_eq!(chain.read(&pl.pack(GTIN, serial(1))).map(|p| p.status), Some(PackStatus::Active));
    }
}
