//! record_anchor wired to consent_registry (itself wired to break_glass): anchoring a patient's
//! record follows the patient's consent, and batch proofs are checked on chain.

use carechain_e2e::suite::*;
use carechain_e2e::{account, builder, Chain};
use carechain_shared::rfc6962::{InkSha256, MerkleTree, Sha256};
use carechain_shared::traits::RecordAnchoring;
use carechain_shared::*;
use carechain_shared::{AdminError, Wiring};
use record_anchor::data::AnchorStatus;
use record_anchor::events::{BatchAnchored, RecordAnchored};
use record_anchor::record_anchor::{RecordAnchor, RecordAnchorRef};

const LAB: DataCategories = DataCategories::LAB_RESULTS;
const ES: DataCategories = DataCategories::EMERGENCY_SUMMARY;

fn record(n: u8) -> Hash32 {
    InkSha256::digest(&[b's', b'a', b'l', b't', n])
}

#[test]
fn anchoring_a_patients_record_follows_consent_revocation_and_emergency_grants() {
    let mut s = Suite::new();
    let (mut ra, mut reg, mut bg) = (s.at.anchor(), s.at.reg(), s.at.bg());

    // Without consent: refused with a typed error, nothing stored, nothing emitted.
    let refused = s.chain.call(account(PROVIDER), &ra.anchor_record(record(1), Some(account(PATIENT)), LAB, None));
    assert!(refused.reverted && refused.events.is_empty());
    assert_eq!(refused.ok(), Err(AnchoringError::ConsentRefused));
    assert_eq!(s.chain.read(&ra.verify(account(PROVIDER), None, record(1))), None);

    // With consent for lab results: anchored, and verifiable by anyone.
    let consent = s.grant_lab_for_treatment(PATIENT, PROVIDER).ok().expect("grant");
    let anchored = s.chain.call(account(PROVIDER), &ra.anchor_record(record(1), Some(account(PATIENT)), LAB, None));
    let ev = anchored.events_of::<RecordAnchored>();
    let id = anchored.ok().expect("anchor");
    assert_eq!((ev[0].issuer, ev[0].patient, ev[0].anchor_id), (account(PROVIDER), Some(account(PATIENT)), id));
    let a = s.chain.read(&ra.verify(account(PROVIDER), None, record(1))).expect("anchored");
    assert_eq!(
        (a.issuer, a.patient, a.category, a.status),
        (account(PROVIDER), Some(account(PATIENT)), LAB, AnchorStatus::Current)
    );
    // Consent covers lab results only.
    assert_eq!(
        s.chain
            .call(
                account(PROVIDER),
                &ra.anchor_record(record(2), Some(account(PATIENT)), DataCategories::IMAGING, None)
            )
            .ok(),
        Err(AnchoringError::ConsentRefused)
    );
    // The patient cannot retract the provider's anchor; only its issuer can.
    assert_eq!(
        s.chain.call(account(PATIENT), &ra.mark_entered_in_error(id, [0xEE; 32])).ok(),
        Err(AnchoringError::NotAuthorized)
    );

    // After revocation: refused again.
    s.chain.call(account(PATIENT), &reg.revoke_consent(consent)).ok().expect("revoke");
    assert_eq!(
        s.chain.call(account(PROVIDER), &ra.anchor_record(record(3), Some(account(PATIENT)), LAB, None)).ok(),
        Err(AnchoringError::ConsentRefused)
    );

    // A responder with an active emergency grant may anchor an emergency note.
    assert_eq!(
        s.chain.call(account(RESPONDER), &ra.anchor_record(record(4), Some(account(PATIENT)), ES, None)).ok(),
        Err(AnchoringError::ConsentRefused)
    );
    s.chain.call(account(RESPONDER), &bg.break_glass(account(PATIENT), ES, [0x11; 32])).ok().expect("grant");
    let note = s.chain.call(account(RESPONDER), &ra.anchor_record(record(4), Some(account(PATIENT)), ES, None));
    assert_eq!(note.events_of::<RecordAnchored>()[0].issuer, account(RESPONDER));
    assert!(note.ok().is_ok());
}

/// An issuer anchors a content hash (per party, for documents) or a batch root once. The write
/// of its key is the existence check, so the refusal relies on the runtime reverting a refused
/// message's writes: proven here, on the runtime, rather than in the off-chain unit tests
/// (whose environment does not revert).
#[test]
fn an_anchored_hash_or_root_refuses_again_and_changes_nothing() {
    let mut s = Suite::new();
    let mut ra = s.at.anchor();
    let (issuer, party, none) = (account(PROVIDER), account(PATIENT), DataCategories::NONE);
    let first = s.chain.call(issuer, &ra.anchor_record(record(1), None, none, None)).ok().expect("anchor");
    let older = s.chain.call(issuer, &ra.anchor_record(record(2), None, none, None)).ok().expect("anchor");
    let doc = s.chain.call(issuer, &ra.anchor_document(record(3), party)).ok().expect("document");
    let batch = s.chain.call(issuer, &ra.anchor_batch(record(4), 8, [1; 32])).ok().expect("batch");
    let snapshot = |s: &mut Suite| {
        let ra = s.at.anchor();
        (
            [first, older, doc, doc + 1].map(|id| s.chain.read(&ra.anchor(id))),
            [(None, record(1)), (None, record(2)), (Some(party), record(3))]
                .map(|(on_behalf_of, hash)| s.chain.read(&ra.verify(issuer, on_behalf_of, hash))),
            s.chain.read(&ra.batch_of(issuer, record(4))),
            s.chain.read(&ra.batch(batch + 1)),
        )
    };
    let before = snapshot(&mut s);
    assert_eq!(before.0[1].as_ref().map(|a| a.status), Some(AnchorStatus::Current));
    for refused in [
        s.chain.call(issuer, &ra.anchor_record(record(1), None, none, None)),
        // A duplicate that would supersede another version leaves that version current.
        s.chain.call(issuer, &ra.anchor_record(record(1), None, none, Some(older))),
        s.chain.call(issuer, &ra.anchor_document(record(3), party)),
    ] {
        assert!(refused.reverted && refused.events.is_empty());
        assert_eq!(refused.ok(), Err(AnchoringError::AlreadyAnchored));
    }
    let refused = s.chain.call(issuer, &ra.anchor_batch(record(4), 16, [2; 32]));
    assert!(refused.reverted && refused.events.is_empty());
    assert_eq!(refused.ok(), Err(AnchoringError::AlreadyAnchored));
    assert_eq!(snapshot(&mut s), before, "nothing of the refused calls is kept");
    // No id was used up: the next anchor and batch take the ids after the last stored ones.
    assert_eq!(s.chain.call(issuer, &ra.anchor_record(record(5), None, none, None)).ok(), Ok(doc + 1));
    assert_eq!(s.chain.call(issuer, &ra.anchor_batch(record(6), 8, [1; 32])).ok(), Ok(batch + 1));

    // The key's write comes after the consent check: re-anchoring a patient's record once the
    // consent is revoked says so (`verify` still shows the earlier anchor standing).
    let consent = s.grant_lab_for_treatment(PATIENT, PROVIDER).ok().expect("grant");
    let patient = Some(account(PATIENT));
    let anchored = s.chain.call(issuer, &ra.anchor_record(record(7), patient, LAB, None)).ok().expect("anchor");
    s.chain.call(account(PATIENT), &s.at.reg().revoke_consent(consent)).ok().expect("revoke");
    let again = s.chain.call(issuer, &ra.anchor_record(record(7), patient, LAB, None));
    assert!(again.reverted && again.events.is_empty());
    assert_eq!(again.ok(), Err(AnchoringError::ConsentRefused));
    assert_eq!(s.chain.read(&ra.verify(issuer, None, record(7))).map(|a| a.id), Some(anchored));
}

#[test]
fn scenario_6_batch_of_65536_records_is_one_anchor_with_proofs_checked_on_chain() {
    let mut s = Suite::new();
    let mut ra = s.at.anchor();
    let leaves: Vec<Hash32> = (0u32..1 << 16).map(|i| InkSha256::digest(&i.to_le_bytes())).collect();
    let tree = MerkleTree::<InkSha256>::from_leaf_data(&leaves).expect("non-empty");
    let anchored = s.chain.call(account(PROVIDER), &ra.anchor_batch(tree.root(), 1 << 16, [0x4D; 32]));
    let ev = anchored.events_of::<BatchAnchored>();
    let batch = anchored.ok().expect("batch");
    assert_eq!((ev[0].batch_id, ev[0].root, ev[0].leaf_count), (batch, tree.root(), 1 << 16));

    for index in [0u64, 1, 12_345, 40_000, (1 << 16) - 1] {
        let path = tree.audit_path(index).expect("in range");
        assert_eq!(path.len(), 16);
        let out = s.chain.read(&ra.verify_inclusion(batch, leaves[index as usize], index, path));
        assert_eq!(out.map(|b| (b.batch_id, b.issuer, b.root)), Ok((batch, account(PROVIDER), tree.root())));
    }
    let mut path = tree.audit_path(777).expect("in range");
    path[5][0] ^= 1;
    assert_eq!(s.chain.read(&ra.verify_inclusion(batch, leaves[777], 777, path)), Err(AnchoringError::BadProof));
    let path = tree.audit_path(777).expect("in range");
    assert_eq!(
        s.chain.read(&ra.verify_inclusion(batch, leaves[778], 777, path.clone())),
        Err(AnchoringError::BadProof)
    );
    assert_eq!(
        s.chain.read(&ra.verify_inclusion(batch, leaves[777], 1 << 16, path)),
        Err(AnchoringError::IndexOutOfRange)
    );
    assert_eq!(
        s.chain.read(&ra.verify_inclusion(batch, leaves[0], 0, vec![[0; 32]; 17])),
        Err(AnchoringError::PathTooLong)
    );
}

#[test]
fn miswired_anchor_reports_the_registry_problem_and_never_traps() {
    let mut chain = Chain::new();
    let owner = account(OWNER);
    let unwired = chain.deploy("record_anchor", owner, RecordAnchorRef::new());
    let mut ra = builder::<RecordAnchor>(unwired);
    let plain = chain.peer(account(STRANGER));
    assert_eq!(
        chain.call(owner, &ra.set_peer(Some(plain))).ok(),
        Err(AdminError::PeerNotContract),
        "a plain account cannot be wired"
    );
    let wrong_contract =
        chain.deploy("break_glass", owner, break_glass::break_glass::BreakGlassRef::with_default_policy());
    let at_wrong_contract = chain.deploy("record_anchor", owner, RecordAnchorRef::new());
    let mut wrong = builder::<RecordAnchor>(at_wrong_contract);
    let wrong_contract = chain.peer(wrong_contract);
    chain.call(owner, &wrong.set_peer(Some(wrong_contract))).ok().expect("wire");
    for (anchor, expected) in
        [(unwired, AnchoringError::RegistryNotWired), (at_wrong_contract, AnchoringError::RegistryUnavailable)]
    {
        let mut ra = builder::<RecordAnchor>(anchor);
        let out = chain.call(account(PROVIDER), &ra.anchor_record(record(1), Some(account(PATIENT)), LAB, None));
        assert!(out.reverted && out.events.is_empty());
        assert_eq!(out.value, Ok(Err(expected)));
        // A record about nobody, or about the caller, needs no registry.
        assert!(chain
            .call(account(PATIENT), &ra.anchor_record(record(2), Some(account(PATIENT)), LAB, None))
            .ok()
            .is_ok());
    }
}
