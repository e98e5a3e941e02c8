//! Off-chain unit tests of the record_anchor shell. Consent checks cross contracts, so the
//! consent paths (refused, permitted, revoked, emergency) are tested in e2e-tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]

use crate::data::AnchorStatus;
use crate::events::*;
use crate::record_anchor::RecordAnchor;
use crate::Error;
use carechain_shared::rfc6962::{InkSha256, MerkleTree, Sha256};
use carechain_shared::testing::{last_event, set_caller as as_};
use carechain_shared::traits::RecordAnchoring;
use carechain_shared::*;
use carechain_shared::{AdminError, Administration, Wiring};
use ink::env::test;
use ink::env::DefaultEnvironment as Env;
use ink::primitives::AccountId;
use ink::scale::Encode;

const T0: Timestamp = 1_767_225_600_000;
const LAB: DataCategories = DataCategories::LAB_RESULTS;

#[derive(Clone, Copy)]
struct Fx {
    owner: AccountId,
    issuer: AccountId,
    patient: AccountId,
    stranger: AccountId,
    /// bob's record about no patient
    doc: AnchorId,
    /// charlie's own record about charlie
    own: AnchorId,
    batch: BatchId,
    root: Hash32,
}

fn h(n: u8) -> Hash32 {
    InkSha256::digest(&[n, 0xA5])
}
fn leaves(n: usize) -> Vec<Hash32> {
    (0..n).map(|i| InkSha256::digest(&(i as u64).to_le_bytes())).collect()
}

fn setup() -> (RecordAnchor, Fx) {
    let a = test::default_accounts::<Env>();
    test::set_block_timestamp::<Env>(T0);
    as_(a.alice);
    let mut c = RecordAnchor::new();
    as_(a.bob);
    let doc = c.anchor_record(h(1), None, DataCategories::NONE, None).unwrap();
    let tree = MerkleTree::<InkSha256>::from_leaf_data(&leaves(10)).unwrap();
    let batch = c.anchor_batch(tree.root(), 10, [7; 32]).unwrap();
    as_(a.charlie);
    let own = c.anchor_record(h(2), Some(a.charlie), LAB, None).unwrap();
    let fx = Fx {
        owner: a.alice,
        issuer: a.bob,
        patient: a.charlie,
        stranger: a.django,
        doc,
        own,
        batch,
        root: tree.root(),
    };
    (c, fx)
}

fn fingerprint(c: &RecordAnchor, fx: &Fx) -> Vec<u8> {
    (
        c.anchor(fx.doc),
        c.anchor(fx.own),
        c.anchor(fx.own + 1),
        c.batch(fx.batch),
        c.batch(fx.batch + 1),
        c.verify(fx.issuer, None, h(1)),
        c.verify(fx.stranger, None, h(1)),
        c.batch_of(fx.stranger, fx.root),
        c.admin(),
        c.peer(),
    )
        .encode()
}

carechain_shared::refused! {
    setup, fingerprint, Error;
    // Someone else's patient record needs the registry's consent; none is wired here.
    anchor_for_patient_refuses_stranger_without_registry: stranger => RegistryNotWired, |c, fx| c.anchor_record(h(9), Some(fx.patient), LAB, None);
    anchor_for_patient_refuses_owner_without_registry: owner => RegistryNotWired, |c, fx| c.anchor_record(h(9), Some(fx.patient), LAB, None);
    supersede_refuses_stranger: stranger => NotAuthorized, |c, fx| c.anchor_record(h(9), Some(fx.patient), LAB, Some(fx.own));
    supersede_refuses_owner: owner => NotAuthorized, |c, fx| c.anchor_record(h(9), None, DataCategories::NONE, Some(fx.doc));
    supersede_refuses_patient_of_no_record: patient => NotAuthorized, |c, fx| c.anchor_record(h(9), None, DataCategories::NONE, Some(fx.doc));
    mark_error_refuses_stranger: stranger => NotAuthorized, |c, fx| c.mark_entered_in_error(fx.doc, [3; 32]);
    mark_error_refuses_owner: owner => NotAuthorized, |c, fx| c.mark_entered_in_error(fx.doc, [3; 32]);
    mark_error_refuses_other_issuer: issuer => NotAuthorized, |c, fx| c.mark_entered_in_error(fx.own, [3; 32]);
}

// The admin and wiring messages (`Administration`, `Wiring`) refuse with the shared `AdminError`.
carechain_shared::refused! {
    setup, fingerprint, AdminError;
    transfer_ownership_refuses_stranger: stranger => NotOwner, |c, fx| c.transfer_ownership(fx.stranger);
    transfer_ownership_refuses_issuer: issuer => NotOwner, |c, fx| c.transfer_ownership(fx.issuer);
    accept_ownership_refuses_unproposed: stranger => NotPendingOwner, |c, _fx| c.accept_ownership();
    set_paused_refuses_stranger: stranger => NotOwner, |c, _fx| c.set_paused(true);
    set_paused_refuses_issuer: issuer => NotOwner, |c, _fx| c.set_paused(true);
    set_peer_refuses_stranger: stranger => NotOwner, |c, fx| c.set_peer(Some(peer(fx.stranger)));
    set_peer_refuses_patient: patient => NotOwner, |c, fx| c.set_peer(Some(peer(fx.stranger)));
    set_code_hash_refuses_stranger: stranger => NotOwner, |c, _fx| c.set_code_hash([9; 32].into());
    set_code_hash_refuses_issuer: issuer => NotOwner, |c, _fx| c.set_code_hash([9; 32].into());
    unwire_when_not_wired: owner => NotWired, |c, _fx| c.set_peer(None);
    wire_to_a_plain_account: owner => PeerNotContract, |c, fx| c.set_peer(Some(peer(fx.stranger)));
    wire_to_itself: owner => PeerIsSelf, |c, _fx| c.set_peer(Some(peer(test::callee::<Env>())));
    unpause_when_running: owner => PauseUnchanged, |c, _fx| c.set_paused(false);
}

// A content hash or batch root anchored twice by its issuer is refused on the runtime, where
// the refusal's writes are reverted: e2e `record_anchor::an_anchored_hash_or_root_refuses_again_and_changes_nothing`
// (the write is the existence check, and this environment does not revert).
carechain_shared::refused! {
    setup, fingerprint, Error;
    zero_content_hash: issuer => ZeroHash, |c, _fx| c.anchor_record(ZERO_HASH, None, DataCategories::NONE, None);
    patient_record_without_category: patient => InvalidCategories, |c, fx| c.anchor_record(h(9), Some(fx.patient), DataCategories::NONE, None);
    supersede_unknown: issuer => UnknownAnchor, |c, _fx| c.anchor_record(h(9), None, DataCategories::NONE, Some(999));
    supersede_with_other_patient: patient => PatientMismatch, |c, fx| c.anchor_record(h(9), Some(fx.stranger), LAB, Some(fx.own));
    mark_error_unknown: issuer => UnknownAnchor, |c, _fx| c.mark_entered_in_error(999, [3; 32]);
    mark_error_zero_reason: issuer => ZeroHash, |c, fx| c.mark_entered_in_error(fx.doc, ZERO_HASH);
    batch_zero_root: issuer => ZeroHash, |c, _fx| c.anchor_batch(ZERO_HASH, 5, [1; 32]);
    batch_empty: issuer => EmptyBatch, |c, _fx| c.anchor_batch([1; 32], 0, [1; 32]);
}

#[ink::test]
fn anchoring_records_issuer_time_and_emits() {
    let (c, fx) = setup();
    let a = c.verify(fx.patient, None, h(2)).unwrap();
    assert_eq!(
        (a.id, a.issuer, a.patient, a.category, a.status),
        (fx.own, fx.patient, Some(fx.patient), LAB, AnchorStatus::Current)
    );
    assert_eq!(a.timestamp, T0);
    let ev: RecordAnchored = last_event();
    assert_eq!((ev.issuer, ev.patient, ev.anchor_id, ev.content_hash), (fx.patient, Some(fx.patient), fx.own, h(2)));
    assert!(c.verify(fx.patient, None, h(99)).is_none());
    assert!(c.verify(fx.issuer, None, h(2)).is_none(), "verify answers per issuer");
}

#[ink::test]
fn the_same_hash_by_another_issuer_is_another_anchor() {
    let (mut c, fx) = setup();
    // A stranger copying bob's hash gets its own anchor; bob's is untouched and unblocked.
    as_(fx.stranger);
    let copy = c.anchor_record(h(1), None, DataCategories::NONE, None).unwrap();
    c.mark_entered_in_error(copy, [3; 32]).unwrap();
    assert_eq!(c.verify(fx.issuer, None, h(1)).map(|a| (a.id, a.status)), Some((fx.doc, AnchorStatus::Current)));
    assert_eq!(c.verify(fx.stranger, None, h(1)).map(|a| a.status), Some(AnchorStatus::EnteredInError));
    // The same for batch roots: a squatter's one-leaf batch is not bob's batch.
    let squat = c.anchor_batch(fx.root, 1, [0; 32]).unwrap();
    assert_eq!(c.batch_of(fx.issuer, fx.root).map(|b| (b.batch_id, b.leaf_count)), Some((fx.batch, 10)));
    assert_eq!(c.batch_of(fx.stranger, fx.root).map(|b| b.batch_id), Some(squat));
    // A document anchored for one party does not block the same hash for another party.
    let for_bob = c.anchor_document(h(5), fx.issuer).unwrap();
    let for_charlie = c.anchor_document(h(5), fx.patient).unwrap();
    assert_ne!(for_bob, for_charlie);
    assert_eq!(c.verify(fx.stranger, Some(fx.issuer), h(5)).map(|a| a.id), Some(for_bob));
}

#[ink::test]
fn version_chain_links_both_ways() {
    let (mut c, fx) = setup();
    as_(fx.issuer);
    let v2 = c.anchor_record(h(10), None, DataCategories::NONE, Some(fx.doc)).unwrap();
    assert_eq!(last_event::<RecordAnchored>().supersedes, Some(fx.doc));
    let v3 = c.anchor_record(h(11), None, DataCategories::NONE, Some(v2)).unwrap();
    let v1 = c.anchor(fx.doc).unwrap();
    assert_eq!((v1.status, v1.superseded_by), (AnchorStatus::Superseded, Some(v2)));
    assert_eq!(c.anchor(v3).unwrap().supersedes, Some(v2));
    assert_eq!(c.anchor(v2).unwrap().superseded_by, Some(v3));
    assert_eq!(c.anchor(fx.own).unwrap().supersedes, None, "a record with one version");
    assert_eq!(c.anchor_record(h(12), None, DataCategories::NONE, Some(v2)), Err(Error::NotCurrent));
}

#[ink::test]
fn patient_supersedes_own_record() {
    let (mut c, fx) = setup();
    as_(fx.patient);
    let v2 = c.anchor_record(h(20), Some(fx.patient), LAB, Some(fx.own)).unwrap();
    assert_eq!(c.anchor(fx.own).unwrap().superseded_by, Some(v2));
}

/// A record's versions cost one anchor each, however many there are (no per-record list to
/// grow), and a reader walks the whole chain from either end.
#[ink::test]
fn a_long_version_chain_walks_from_either_end() {
    let (mut c, fx) = setup();
    as_(fx.issuer);
    let mut ids = vec![fx.doc];
    for i in 1..100u64 {
        let last = *ids.last().unwrap();
        ids.push(c.anchor_record(InkSha256::digest(&i.to_be_bytes()), None, DataCategories::NONE, Some(last)).unwrap());
    }
    let (mut back, mut at) = (vec![], ids.last().copied());
    while let Some(id) = at {
        back.push(id);
        at = c.anchor(id).unwrap().supersedes;
    }
    back.reverse();
    assert_eq!(back, ids);
    let (mut forward, mut at) = (vec![], Some(fx.doc));
    while let Some(id) = at {
        let anchor = c.anchor(id).unwrap();
        forward.push(id);
        at = anchor.superseded_by;
    }
    assert_eq!(forward, ids);
    assert_eq!(c.anchor(*ids.last().unwrap()).unwrap().status, AnchorStatus::Current);
}

#[ink::test]
fn entered_in_error_stays_visible() {
    let (mut c, fx) = setup();
    as_(fx.issuer);
    c.mark_entered_in_error(fx.doc, [3; 32]).unwrap();
    let ev: EnteredInError = last_event();
    assert_eq!((ev.issuer, ev.anchor_id, ev.reason_hash), (fx.issuer, fx.doc, [3; 32]));
    let a = c.verify(fx.issuer, None, h(1)).unwrap();
    assert_eq!((a.status, a.error_reason_hash), (AnchorStatus::EnteredInError, Some([3; 32])));
    assert_eq!(c.mark_entered_in_error(fx.doc, [4; 32]), Err(Error::AlreadyEnteredInError));
    // The retracted anchor is its record's latest version: the issuer continues the record
    // from it (issue 27, item 2), and the retraction stays on record.
    let next = c.anchor_record(h(30), None, DataCategories::NONE, Some(fx.doc)).unwrap();
    let retracted = c.anchor(fx.doc).unwrap();
    assert_eq!((retracted.status, retracted.superseded_by), (AnchorStatus::EnteredInError, Some(next)));
    assert_eq!(c.anchor_record(h(31), None, DataCategories::NONE, Some(fx.doc)), Err(Error::NotCurrent));
}

#[ink::test]
fn documents_record_the_calling_contract_and_its_principal() {
    let (mut c, fx) = setup();
    as_(fx.stranger);
    let id = c.anchor_document(h(40), fx.issuer).unwrap();
    let a = c.anchor(id).unwrap();
    assert_eq!(
        (a.issuer, a.on_behalf_of, a.patient, a.category),
        (fx.stranger, Some(fx.issuer), None, DataCategories::NONE)
    );
    assert_eq!(last_event::<RecordAnchored>().on_behalf_of, Some(fx.issuer));
}

#[ink::test]
fn batch_inclusion_checked_on_chain() {
    let (c, fx) = setup();
    let d = leaves(10);
    let tree = MerkleTree::<InkSha256>::from_leaf_data(&d).unwrap();
    let s = c.verify_inclusion(fx.batch, d[7], 7, tree.audit_path(7).unwrap()).unwrap();
    assert_eq!((s.batch_id, s.issuer, s.leaf_count, s.metadata_hash), (fx.batch, fx.issuer, 10, [7; 32]));
    assert_eq!(c.batch(fx.batch), Some(s));
    assert_eq!(c.verify_inclusion(fx.batch, d[6], 7, tree.audit_path(7).unwrap()), Err(Error::BadProof));
    assert_eq!(c.verify_inclusion(fx.batch, d[7], 10, tree.audit_path(7).unwrap()), Err(Error::IndexOutOfRange));
    assert_eq!(c.verify_inclusion(fx.batch, d[7], 7, vec![[1; 32]; 5]), Err(Error::PathTooLong));
    assert_eq!(c.verify_inclusion(999, d[7], 7, vec![]), Err(Error::UnknownBatch));
}

#[ink::test]
fn batch_anchoring_emits() {
    let (mut c, fx) = setup();
    as_(fx.stranger);
    let id = c.anchor_batch([5; 32], 1_000_000, [6; 32]).unwrap();
    let ev: BatchAnchored = last_event();
    assert_eq!((ev.issuer, ev.batch_id, ev.root, ev.leaf_count), (fx.stranger, id, [5; 32], 1_000_000));
}

#[ink::test]
fn pause_freezes_anchoring_but_not_retraction_or_verification() {
    let (mut c, fx) = setup();
    as_(fx.owner);
    c.set_paused(true).unwrap();
    let before = fingerprint(&c, &fx);
    as_(fx.issuer);
    assert_eq!(c.anchor_record(h(50), None, DataCategories::NONE, None), Err(Error::Paused));
    assert_eq!(c.anchor_document(h(50), fx.issuer), Err(Error::Paused));
    assert_eq!(c.anchor_batch([8; 32], 3, [1; 32]), Err(Error::Paused));
    assert_eq!(fingerprint(&c, &fx), before);
    c.mark_entered_in_error(fx.doc, [3; 32]).unwrap();
    assert!(c.verify(fx.issuer, None, h(1)).is_some());
    let d = leaves(10);
    let tree = MerkleTree::<InkSha256>::from_leaf_data(&d).unwrap();
    assert!(c.verify_inclusion(fx.batch, d[0], 0, tree.audit_path(0).unwrap()).is_ok());
}

#[ink::test]
fn admin_ownership() {
    let (mut c, fx) = setup();
    as_(fx.owner);
    c.transfer_ownership(fx.issuer).unwrap();
    as_(fx.issuer);
    c.accept_ownership().unwrap();
    assert_eq!(c.admin().owner, fx.issuer);
}

/// A peer to wire: an address and the code hash the owner states for it.
fn peer(address: AccountId) -> Peer {
    Peer { address, code_hash: [7; 32].into() }
}
