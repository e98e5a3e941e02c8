//! The adversarial tier: each test performs one attack of docs/threat-model.md on the deployed,
//! wired suite (a real pallet-contracts runtime) and asserts it fails as a refusal must — the
//! typed error, a reverted call, no event, and every contract's storage unchanged
//! (`Suite::assert_refused`) — or, where the attacker's own call is harmless by design, that
//! the victim is unaffected. Test names follow the threat model's attack numbers.

use break_glass::data::ResponderStatus;
use break_glass::events::GlassBroken;
use carechain_e2e::suite::*;
use carechain_e2e::{account, builder, Chain, Outcome};
use carechain_shared::rfc6962::{InkSha256, MerkleTree, Sha256};
use carechain_shared::traits::{ConsentCheck, EmergencyAccess, RecordAnchoring};
use carechain_shared::*;
use carechain_shared::{AdminError, Administration, Wiring};
use consent_registry::consent_registry::{ConsentRegistry, ConsentRegistryRef};
use consent_registry::events::AccessRecorded;
use consent_registry::Error as RegistryError;
use hostile_peer::hostile_peer::{Behaviour, HostilePeer, HostilePeerRef};
use ink::primitives::AccountId;
use pharma_ledger::data::{PackId, PartnerRole, TransferKind};
use pharma_ledger::events::{PackStatusChanged, PacksCommissioned, PacksReceived, PacksShipped, ShipmentCancelled};
use pharma_ledger::pack::{DecommissionReason, PackStatus, SHIPMENT_CANCEL_DELAY};
use pharma_ledger::Error as LedgerError;
use record_anchor::data::AnchorStatus;
use record_anchor::record_anchor::{RecordAnchor, RecordAnchorRef};
use research_registry::data::ResearchPolicy;
use research_registry::events::AccessRequested;
use research_registry::Error as ResearchError;
use std::collections::HashMap;

const LAB: DataCategories = DataCategories::LAB_RESULTS;
const ES: DataCategories = DataCategories::EMERGENCY_SUMMARY;
const TREAT: PurposeSet = PurposeSet::of(Purpose::Treatment);
const YEAR: u64 = 365 * MS_PER_DAY;
const DAY: u64 = MS_PER_DAY;

const SOCK: u8 = 13;

fn a(n: u8) -> AccountId {
    account(n)
}

fn pack(n: u32) -> PackId {
    (GTIN, serial(n))
}

// ----- 1. front-running record_anchor --------------------------------------------------------

#[test]
fn attack_1_front_running_an_anchor_neither_takes_blocks_nor_retracts_it() {
    let mut s = Suite::new();
    let mut ra = s.at.anchor();
    s.grant_lab_for_treatment(PATIENT, PROVIDER).ok().expect("grant");
    let report = InkSha256::digest(b"salted canonical lab report");

    // The attacker saw the provider's pending anchor_record in the pool and anchors the hash
    // first, with no patient, then retracts "it".
    let front =
        s.chain.call(a(STRANGER), &ra.anchor_record(report, None, DataCategories::NONE, None)).ok().expect("own");
    s.chain.call(a(STRANGER), &ra.mark_entered_in_error(front, [0xBA; 32])).ok().expect("retract own");

    // The provider's anchor lands regardless, and verifies as the provider's, current.
    let real = s.chain.call(a(PROVIDER), &ra.anchor_record(report, Some(a(PATIENT)), LAB, None)).ok().expect("anchor");
    let found = s.chain.read(&ra.verify(a(PROVIDER), None, report)).expect("provider's anchor");
    assert_eq!((found.id, found.status, found.patient), (real, AnchorStatus::Current, Some(a(PATIENT))));
    assert_eq!(
        s.chain.read(&ra.verify(a(STRANGER), None, report)).map(|x| x.status),
        Some(AnchorStatus::EnteredInError)
    );

    // The attacker can neither retract nor supersede the provider's anchor.
    s.assert_refused(a(STRANGER), &ra.mark_entered_in_error(real, [0xBA; 32]), AnchoringError::NotAuthorized);
    s.assert_refused(
        a(STRANGER),
        &ra.anchor_record([0x66; 32], Some(a(PATIENT)), LAB, Some(real)),
        AnchoringError::NotAuthorized,
    );

    // Batch roots: a one-leaf squat of the root does not break the issuer's proofs.
    let leaves: Vec<Hash32> = (0u8..4).map(|i| InkSha256::digest(&[i])).collect();
    let tree = MerkleTree::<InkSha256>::from_leaf_data(&leaves).expect("tree");
    s.chain.call(a(STRANGER), &ra.anchor_batch(tree.root(), 1, [0; 32])).ok().expect("squat");
    let batch = s.chain.call(a(PROVIDER), &ra.anchor_batch(tree.root(), 4, [0x4D; 32])).ok().expect("batch");
    let proof = tree.audit_path(3).expect("path");
    let summary = s.chain.read(&ra.verify_inclusion(batch, leaves[3], 3, proof)).expect("proof verifies");
    assert_eq!((summary.issuer, summary.leaf_count), (a(PROVIDER), 4));
    assert_eq!(s.chain.read(&ra.batch_of(a(PROVIDER), tree.root())).map(|b| b.batch_id), Some(batch));

    // A shipment cannot be blocked by anchoring its statement first — directly, or through
    // pharma_ledger as another shipper.
    let mut pl = s.supply_chain();
    let statement = [0x57; 32];
    s.chain.call(a(STRANGER), &ra.anchor_record(statement, None, DataCategories::NONE, None)).ok().expect("direct");
    let to_rogue =
        s.chain.call(a(BRAND), &pl.ship(vec![pack(9)], a(ROGUE_PARTNER), [0x01; 32])).ok().expect("to rogue");
    s.chain.call(a(ROGUE_PARTNER), &pl.receive(to_rogue, vec![pack(9)])).ok().expect("rogue receives");
    s.chain.call(a(ROGUE_PARTNER), &pl.ship(vec![pack(9)], a(WHOLESALER), statement)).ok().expect("rogue ships first");
    let shipped = s.chain.call(a(BRAND), &pl.ship(vec![pack(0)], a(WHOLESALER), statement));
    assert!(shipped.ok().is_ok(), "the brand's shipment with the same statement still goes");
    let anchored = s.chain.read(&ra.verify(s.at.pharma_ledger, Some(a(BRAND)), statement)).expect("brand's");
    assert_eq!(anchored.on_behalf_of, Some(a(BRAND)));
}

// ----- 2. break_glass role separation ------------------------------------------------------------

#[test]
fn attack_2_an_authority_cannot_be_responder_review_its_own_or_reinstate_itself() {
    let mut s = Suite::new();
    let mut bg = s.at.bg();
    // An authority registering itself, or the owner making a responder an authority: refused.
    s.assert_refused(
        a(AUTHORITY),
        &bg.register_responder(a(AUTHORITY), [1; 32], [2; 32]),
        break_glass::Error::RoleConflict,
    );
    s.assert_refused(a(OWNER), &bg.set_authority(a(RESPONDER), true), break_glass::Error::RoleConflict);

    // An authority registers a second account of its own and breaks the glass with it…
    s.chain.call(a(AUTHORITY), &bg.register_responder(a(SOCK), [3; 32], [4; 32])).ok().expect("sock");
    let grant = s.chain.call(a(SOCK), &bg.break_glass(a(PATIENT), ES, [0x11; 32])).ok().expect("grant");
    // …but can never review that account's grants.
    s.assert_refused(a(AUTHORITY), &bg.review_grant(grant, true, [5; 32]), break_glass::Error::ConflictOfInterest);

    // Another authority finds three grants unjustified: suspended.
    let g2 = s.chain.call(a(SOCK), &bg.break_glass(a(PATIENT2), ES, [0x12; 32])).ok().expect("g2");
    let g3 = s.chain.call(a(SOCK), &bg.break_glass(a(PATIENT3), ES, [0x13; 32])).ok().expect("g3");
    for g in [grant, g2, g3] {
        s.chain.call(a(AUTHORITY2), &bg.review_grant(g, false, [6; 32])).ok().expect("review");
    }
    assert_eq!(s.chain.read(&bg.responder(a(SOCK))).map(|r| r.status), Some(ResponderStatus::Suspended));
    // Neither the registering authority nor the responder itself reinstates it.
    s.assert_refused(a(AUTHORITY), &bg.reinstate_responder(a(SOCK)), break_glass::Error::ConflictOfInterest);
    s.assert_refused(a(SOCK), &bg.reinstate_responder(a(SOCK)), break_glass::Error::NotAuthority);
    // An independent authority may; the strike record stays, with who reinstated.
    s.chain.call(a(AUTHORITY2), &bg.reinstate_responder(a(SOCK))).ok().expect("reinstate");
    let record = s.chain.read(&bg.responder(a(SOCK))).expect("record");
    assert_eq!((record.strikes, record.total_strikes), (0, 3));
    assert_eq!(record.last_reinstatement.map(|r| (r.by, r.strikes_cleared)), Some((a(AUTHORITY2), 3)));
}

// ----- 3. delegates exceed the patient -------------------------------------------------------

#[test]
fn attack_3_a_delegate_never_lifts_the_patients_rules_nor_outlasts_its_delegation() {
    let mut s = Suite::new();
    let now = s.chain.now();
    let mut reg = s.at.reg();
    s.chain.call(a(PATIENT), &reg.appoint_delegate(a(DELEGATE), now + DAY)).ok().expect("appoint");
    s.chain
        .call(a(PATIENT), &reg.grant_consent(a(PATIENT), a(DELEGATE), LAB, TREAT, now, now + YEAR, [1; 32]))
        .ok()
        .expect("grant");
    // The patient denies the delegate itself, and everyone, some data.
    let names_it = s
        .chain
        .call(a(PATIENT), &reg.add_deny_rule(a(PATIENT), Some(a(DELEGATE)), LAB, PurposeSet::ALL, now, now + YEAR))
        .ok()
        .expect("rule");
    let everyone = s
        .chain
        .call(
            a(PATIENT),
            &reg.add_deny_rule(a(PATIENT), None, DataCategories::GENOMICS, PurposeSet::ALL, now, now + YEAR),
        )
        .ok()
        .expect("rule");
    // The delegate tries to lift them to reach the data: refused.
    s.assert_refused(a(DELEGATE), &reg.remove_deny_rule(a(PATIENT), names_it), RegistryError::DelegateCannotLift);
    s.assert_refused(a(DELEGATE), &reg.remove_deny_rule(a(PATIENT), everyone), RegistryError::DelegateCannotLift);
    assert_eq!(
        s.check(PATIENT, DELEGATE, LAB, Purpose::Treatment),
        AccessDecision::Denied(DenyReason::DeniedByRule(names_it))
    );

    // A one-day delegate grants a ten-year consent: refused.
    s.assert_refused(
        a(DELEGATE),
        &reg.grant_consent(a(PATIENT), a(PROVIDER), LAB, TREAT, now, now + 10 * YEAR - DAY, [2; 32]),
        RegistryError::ExceedsDelegation,
    );
    // Within its day it may grant; removing the delegate ends that consent at once.
    let within = s
        .chain
        .call(a(DELEGATE), &reg.grant_consent(a(PATIENT), a(PROVIDER), LAB, TREAT, now, now + DAY, [3; 32]))
        .ok()
        .expect("grant within");
    assert_eq!(s.check(PATIENT, PROVIDER, LAB, Purpose::Treatment), AccessDecision::PermittedByConsent(within));
    s.chain.call(a(PATIENT), &reg.remove_delegate(a(DELEGATE))).ok().expect("remove");
    assert_eq!(s.check(PATIENT, PROVIDER, LAB, Purpose::Treatment), AccessDecision::Denied(DenyReason::NoConsent));
}

// ----- 4. research-request spam --------------------------------------------------------------

#[test]
fn attack_4_research_spam_needs_ethics_approval_respects_shares_cool_downs_and_blocks() {
    let mut s = Suite::new();
    let now = s.chain.now();
    let mut res = s.at.res();
    // Anyone may propose a study, but it asks no one before an ethics approver approves it.
    let unapproved = s.chain.call(a(STRANGER), &res.register_study([0x51; 32], LAB, now + YEAR)).ok().expect("study");
    s.assert_refused(a(STRANGER), &res.request_access(unapproved, a(PATIENT)), ResearchError::StudyNotApproved);
    s.assert_refused(a(STRANGER), &res.approve_study(unapproved, [1; 32]), ResearchError::NotEthicsApprover);

    // One researcher with many approved studies holds at most its share of a patient's inbox.
    let share = usize::from(ResearchPolicy::DEFAULT.max_pending_per_researcher);
    let studies: Vec<StudyId> = (0..=share).map(|_| s.approved_study(RESEARCHER, LAB, now + YEAR)).collect();
    for study in &studies[..share] {
        s.chain.call(a(RESEARCHER), &res.request_access(*study, a(PATIENT))).ok().expect("request");
    }
    s.assert_refused(
        a(RESEARCHER),
        &res.request_access(studies[share], a(PATIENT)),
        ResearchError::ResearcherShareReached,
    );
    // …so other researchers still reach the patient.
    let other = s.approved_study(STRANGER, LAB, now + YEAR);
    s.chain.call(a(STRANGER), &res.request_access(other, a(PATIENT))).ok().expect("another researcher");

    // The request event names the researcher and the study, never the patient.
    let out = s.chain.call(a(RESEARCHER), &res.request_access_batch(studies[share], vec![a(PATIENT2), a(PATIENT3)]));
    let raw = out.events.clone();
    let ev = out.events_of::<AccessRequested>();
    assert_eq!((ev[0].researcher, ev[0].study_id, ev[0].count), (a(RESEARCHER), studies[share], 2));
    assert_eq!(raw[0].topics.len(), 2, "signature + researcher: no patient topic");
    for patient in [PATIENT2, PATIENT3] {
        assert!(!raw[0].data.windows(32).any(|w| w == [patient; 32]), "the patient is not in the event");
    }

    // A denied study may not ask again within the cool-down.
    s.chain.call(a(PATIENT2), &res.deny_request(a(PATIENT2), studies[share])).ok().expect("deny");
    s.assert_refused(a(RESEARCHER), &res.request_access(studies[share], a(PATIENT2)), ResearchError::CoolingDown);
    s.chain.advance(ResearchPolicy::DEFAULT.denial_cooldown - DAY);
    s.assert_refused(a(RESEARCHER), &res.request_access(studies[share], a(PATIENT2)), ResearchError::CoolingDown);

    // The patient blocks the researcher: its pending requests go and it cannot ask again.
    s.chain.call(a(PATIENT3), &res.block_researcher(a(PATIENT3), a(RESEARCHER))).ok().expect("block");
    assert!(s.chain.read(&res.pending_requests_of(a(PATIENT3), 0, 32)).is_empty());
    s.assert_refused(a(RESEARCHER), &res.request_access(studies[0], a(PATIENT3)), ResearchError::ResearcherBlocked);
}

// ----- 5. GTIN squatting --------------------------------------------------------------------

#[test]
fn attack_5_a_squatted_gtin_never_verifies_until_the_regulator_says_so() {
    let mut s = Suite::new();
    let mut pl = s.at.ledger();
    for (who, role) in [(BRAND, PartnerRole::Manufacturer), (SQUATTER, PartnerRole::Repackager)] {
        s.chain.call(a(OWNER), &pl.register_partner(a(who), role, [who; 32])).ok().expect("partner");
    }
    // The squatter claims the brand's GTIN first: it is only a claim.
    s.chain.call(a(SQUATTER), &pl.claim_gtin(GTIN, [0x5A; 32])).ok().expect("claim");
    s.assert_refused(a(SQUATTER), &pl.commission(GTIN, lot(), EXPIRY, vec![serial(1)]), LedgerError::UnknownGtin);
    assert!(!s.chain.read(&pl.verify(GTIN, serial(1), lot(), EXPIRY)).verified);
    // Nor can it approve itself.
    s.assert_refused(a(SQUATTER), &pl.approve_gtin_claim(GTIN, a(SQUATTER)), LedgerError::NotOwner);

    // The regulator approves the rightful claim, whoever claimed first.
    s.chain.call(a(BRAND), &pl.claim_gtin(GTIN, [0xB1; 32])).ok().expect("brand claims");
    s.chain.call(a(OWNER), &pl.approve_gtin_claim(GTIN, a(BRAND))).ok().expect("approve brand");
    s.assert_refused(a(OWNER), &pl.approve_gtin_claim(GTIN, a(SQUATTER)), LedgerError::GtinTaken);

    // Had the regulator erred, it can revoke and transfer: the squatter's packs verify as
    // withdrawn, cannot be shipped, and keep their history — for good (attack 13).
    let other: [u8; 14] = *b"10614141000415";
    s.chain.call(a(SQUATTER), &pl.claim_gtin(other, [0x5B; 32])).ok().expect("claim");
    s.chain.call(a(OWNER), &pl.approve_gtin_claim(other, a(SQUATTER))).ok().expect("mistake");
    s.chain.call(a(SQUATTER), &pl.commission(other, lot(), EXPIRY, vec![serial(1)])).ok().expect("fake packs");
    s.chain.call(a(OWNER), &pl.revoke_gtin(other, 1)).ok().expect("revoke");
    let v = s.chain.read(&pl.verify(other, serial(1), lot(), EXPIRY));
    assert!(v.withdrawn && v.status == Some(PackStatus::Active));
    s.assert_refused(a(SQUATTER), &pl.ship(vec![(other, serial(1))], a(BRAND), [1; 32]), LedgerError::Withdrawn);
    s.assert_refused(a(SQUATTER), &pl.commission(other, lot(), EXPIRY, vec![serial(2)]), LedgerError::GtinRevoked);
    s.chain.call(a(OWNER), &pl.transfer_gtin(other, a(BRAND), TransferKind::Squat)).ok().expect("transfer");
    assert_eq!(s.chain.read(&pl.gtin(other)).map(|g| (g.owner, g.is_revoked())), Some((a(BRAND), false)));
    assert!(s.chain.read(&pl.verify(other, serial(1), lot(), EXPIRY)).withdrawn, "still the squatter's");
}

// ----- 6. pause protects attackers -------------------------------------------------------------

#[test]
fn attack_6_pause_never_blocks_what_narrows_access_or_protects_patients() {
    let mut s = Suite::new();
    let now = s.chain.now();
    let (mut reg, mut bg, mut ra) = (s.at.reg(), s.at.bg(), s.at.anchor());
    let mut pl = s.supply_chain();
    let consent = s.grant_lab_for_treatment(PATIENT, PROVIDER).ok().expect("grant");
    s.chain.call(a(PATIENT), &reg.appoint_delegate(a(DELEGATE), now + YEAR)).ok().expect("appoint");
    let grant = s.chain.call(a(RESPONDER), &bg.break_glass(a(PATIENT2), ES, [0x11; 32])).ok().expect("glass");
    let anchor = s
        .chain
        .call(a(PROVIDER), &ra.anchor_record([0x0A; 32], None, DataCategories::NONE, None))
        .ok()
        .expect("anchor");
    let shipment = s.chain.call(a(BRAND), &pl.ship(vec![pack(0)], a(WHOLESALER), [0x5E; 32])).ok().expect("ship");
    s.chain.call(a(OWNER), &reg.set_paused(true)).ok().expect("pause");
    s.chain.call(a(OWNER), &bg.set_paused(true)).ok().expect("pause");
    s.chain.call(a(OWNER), &ra.set_paused(true)).ok().expect("pause");
    s.chain.call(a(OWNER), &pl.set_paused(true)).ok().expect("pause");

    // What creates access or records is refused…
    s.assert_refused(
        a(PATIENT),
        &reg.grant_consent(a(PATIENT), a(STRANGER), LAB, TREAT, now, now + YEAR, [1; 32]),
        RegistryError::Paused,
    );
    s.assert_refused(a(RESPONDER), &bg.break_glass(a(PATIENT3), ES, [0x12; 32]), break_glass::Error::Paused);
    s.assert_refused(
        a(PROVIDER),
        &ra.anchor_record([0x0B; 32], None, DataCategories::NONE, None),
        AnchoringError::Paused,
    );
    s.assert_refused(a(BRAND), &pl.commission(GTIN, lot(), EXPIRY, vec![serial(50)]), LedgerError::Paused);

    // …while every narrowing or protective action works, and takes effect at once.
    done(s.chain.call(a(PATIENT), &reg.revoke_consent(consent)));
    assert_eq!(s.check(PATIENT, PROVIDER, LAB, Purpose::Treatment), AccessDecision::Denied(DenyReason::NoConsent));
    assert!(s
        .chain
        .call(a(PATIENT), &reg.add_deny_rule(a(PATIENT), None, ES, PurposeSet::ALL, now, now + YEAR))
        .ok()
        .is_ok());
    done(s.chain.call(a(PATIENT), &reg.remove_delegate(a(DELEGATE))));
    done(s.chain.call(a(RESPONDER), &bg.end_grant(grant)));
    assert_eq!(
        s.check(PATIENT2, RESPONDER, ES, Purpose::EmergencyTreatment),
        AccessDecision::Denied(DenyReason::NoEmergencyGrant)
    );
    done(s.chain.call(a(AUTHORITY2), &bg.review_grant(grant, false, [7; 32])));
    done(s.chain.call(a(AUTHORITY), &bg.suspend_responder(a(RESPONDER))));
    done(s.chain.call(a(PROVIDER), &ra.mark_entered_in_error(anchor, [8; 32])));
    done(s.chain.call(a(BRAND), &pl.recall_lot(GTIN, lot())));
    done(s.chain.call(a(PHARMACY), &pl.flag_suspect(GTIN, serial(3), [9; 32])));
    done(s.chain.call(a(OWNER), &pl.confirm_illegitimate(GTIN, serial(3))));
    done(s.chain.call(a(OWNER), &pl.cancel_shipment(shipment, vec![pack(0)])));
    assert!(s.chain.call(a(BRAND), &pl.decommission(GTIN, serial(4), DecommissionReason::Destroyed)).ok().is_ok());
    // Checks and the audit trail keep answering.
    let audited = s.chain.call(a(CUSTODIAN), &reg.record_access(a(PATIENT), a(PROVIDER), LAB, Purpose::Treatment));
    assert_eq!(audited.events_of::<AccessRecorded>()[0].decision, AccessDecision::Denied(DenyReason::NoConsent));
}

fn done<E: core::fmt::Debug>(o: Outcome<Result<(), E>>) {
    assert!(matches!(o.value, Ok(Ok(()))), "{:?}", o.value);
}

// ----- 7. lapsed-request bookkeeping ---------------------------------------------------------

#[test]
fn attack_7_there_is_never_more_than_one_open_request_per_study_and_patient() {
    let mut s = Suite::new();
    let now = s.chain.now();
    let mut res = s.at.res();
    let study = s.approved_study(RESEARCHER, LAB, now + YEAR);
    s.chain.call(a(RESEARCHER), &res.request_access(study, a(PATIENT))).ok().expect("request");
    s.chain.advance(ResearchPolicy::DEFAULT.request_ttl);
    // A lapse cools the study down (attack 16); re-requesting after that replaces the lapsed
    // request rather than adding one.
    s.assert_refused(a(RESEARCHER), &res.request_access(study, a(PATIENT)), ResearchError::CoolingDown);
    s.chain.advance(ResearchPolicy::DEFAULT.denial_cooldown);
    s.chain.call(a(RESEARCHER), &res.request_access(study, a(PATIENT))).ok().expect("again");
    let open = |s: &mut Suite| {
        let res = s.at.res();
        s.chain.read(&res.pending_requests_of(a(PATIENT), 0, 32)).iter().filter(|r| r.study_id == study).count()
    };
    assert_eq!(open(&mut s), 1);
    // A third while it is open: refused.
    s.assert_refused(a(RESEARCHER), &res.request_access(study, a(PATIENT)), ResearchError::AlreadyRequested);
    // Purging (nothing lapsed) and withdrawing leave no stale bookkeeping behind.
    s.chain.call(a(PATIENT), &res.purge_expired(a(PATIENT))).ok().expect("purge");
    assert_eq!(open(&mut s), 1);
    s.chain.call(a(RESEARCHER), &res.withdraw_request(study, a(PATIENT))).ok().expect("withdraw");
    assert_eq!(open(&mut s), 0);
    s.assert_refused(a(RESEARCHER), &res.request_access(study, a(PATIENT)), ResearchError::CoolingDown);
    assert_eq!(open(&mut s), 0);
}

// ----- 8. packs stuck in transit ----------------------------------------------------------

#[test]
fn attack_8_a_recipient_that_never_receives_cannot_strand_packs() {
    let mut s = Suite::new();
    let mut pl = s.supply_chain();
    let shipment =
        s.chain.call(a(BRAND), &pl.ship(vec![pack(0), pack(1)], a(ROGUE_PARTNER), [0x5E; 32])).ok().expect("ship");
    // The recipient sits on it. The sender may not take it back at once…
    s.assert_refused(a(BRAND), &pl.cancel_shipment(shipment, vec![pack(0), pack(1)]), LedgerError::ShipmentNotOverdue);
    // …nor can anyone else.
    s.assert_refused(a(WHOLESALER), &pl.cancel_shipment(shipment, vec![pack(0)]), LedgerError::NotCustodian);
    // After the delay the sender takes its packs back.
    s.chain.advance(SHIPMENT_CANCEL_DELAY);
    let out = s.chain.call(a(BRAND), &pl.cancel_shipment(shipment, vec![pack(0), pack(1)]));
    let ev = out.events_of::<ShipmentCancelled>();
    assert_eq!((ev[0].shipment_id, ev[0].returned_to, ev[0].packs.len()), (shipment, a(BRAND), 2));
    assert_eq!(
        s.chain.read(&pl.pack(GTIN, serial(0))).map(|p| (p.status, p.custodian)),
        Some((PackStatus::Active, a(BRAND)))
    );
    s.assert_refused(a(ROGUE_PARTNER), &pl.receive(shipment, vec![pack(0)]), LedgerError::NotInTransit);

    // A recalled lot stuck with a suspended recipient: the regulator returns or quarantines it now.
    let stuck =
        s.chain.call(a(BRAND), &pl.ship(vec![pack(2), pack(3)], a(ROGUE_PARTNER), [0x5F; 32])).ok().expect("ship");
    s.chain.call(a(OWNER), &pl.set_partner_suspended(a(ROGUE_PARTNER), true)).ok().expect("suspend");
    s.chain.call(a(BRAND), &pl.recall_lot(GTIN, lot())).ok().expect("recall");
    s.chain.call(a(OWNER), &pl.flag_suspect(GTIN, serial(3), [0x0E; 32])).ok().expect("quarantine in transit");
    s.chain.call(a(OWNER), &pl.cancel_shipment(stuck, vec![pack(2), pack(3)])).ok().expect("regulator returns");
    let back = s.chain.read(&pl.verify(GTIN, serial(3), lot(), EXPIRY));
    assert_eq!((back.status, back.recalled, back.suspect), (Some(PackStatus::Active), true, true));
}

// ----- 9. undo beyond EU FMD -------------------------------------------------------------------

#[test]
fn attack_9_undo_never_returns_an_expired_recalled_withdrawn_or_quarantined_pack() {
    let mut s = Suite::new();
    let mut pl = s.supply_chain();
    // A short-dated lot (expires 2026-01-05, five days after T0) delivered to the pharmacy.
    let short = b"LOT-SHORT".to_vec();
    s.chain
        .call(a(BRAND), &pl.commission(GTIN, short.clone(), 260105, (100..104).map(serial).collect()))
        .ok()
        .expect("c");
    for n in [0, 1, 2, 100] {
        let id = s.chain.call(a(BRAND), &pl.ship(vec![pack(n)], a(PHARMACY), [n as u8 + 1; 32])).ok().expect("ship");
        s.chain.call(a(PHARMACY), &pl.receive(id, vec![pack(n)])).ok().expect("receive");
    }
    for (n, l, e) in [(0, lot(), EXPIRY), (1, lot(), EXPIRY), (100, short.clone(), 260105)] {
        assert!(s.chain.call(a(PHARMACY), &pl.dispense(GTIN, serial(n), l, e)).ok().is_ok());
    }
    // Quarantined: a suspect pack stays out of supply.
    s.chain.call(a(WHOLESALER), &pl.flag_suspect(GTIN, serial(0), [0x0E; 32])).ok().expect("flag");
    s.assert_refused(a(PHARMACY), &pl.undo(GTIN, serial(0)), LedgerError::Quarantined);
    // Expired (within the 10-day window).
    s.chain.advance(6 * DAY);
    s.assert_refused(a(PHARMACY), &pl.undo(GTIN, serial(100)), LedgerError::Expired);
    // Withdrawn: the brand's holding of the GTIN revoked.
    s.chain.call(a(OWNER), &pl.revoke_gtin(GTIN, 1)).ok().expect("revoke");
    s.assert_refused(a(PHARMACY), &pl.undo(GTIN, serial(1)), LedgerError::Withdrawn);
    // The revocation was the mistake: the regulator restores the lot, on record.
    s.chain.call(a(OWNER), &pl.restore_lot(GTIN, lot())).ok().expect("restore");
    // Recalled.
    s.chain.call(a(BRAND), &pl.recall_lot(GTIN, lot())).ok().expect("recall");
    s.assert_refused(a(PHARMACY), &pl.undo(GTIN, serial(1)), LedgerError::Recalled);
    // Never out of stolen, destroyed or exported.
    assert!(s.chain.call(a(PHARMACY), &pl.decommission(GTIN, serial(2), DecommissionReason::Stolen)).ok().is_ok());
    s.assert_refused(a(PHARMACY), &pl.undo(GTIN, serial(2)), LedgerError::NotUndoable);
}

// ----- 10. custody an auditor can follow -------------------------------------------------------

/// What an auditor knows about one pack from events alone.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Custody {
    custodian: Option<AccountId>,
    in_transit_to: Option<(AccountId, u64)>,
    status: Option<PackStatus>,
    hops: Vec<(AccountId, AccountId, u64)>,
}

#[derive(Default)]
struct Auditor {
    packs: HashMap<PackId, Custody>,
    shipments: HashMap<u64, (AccountId, AccountId)>,
}

impl Auditor {
    /// Folds one call's events into the custody record (each custody call emits one kind).
    fn read<R: core::fmt::Debug>(&mut self, out: &Outcome<R>) {
        for ev in out.events_of::<PacksCommissioned>() {
            for serial in ev.serials {
                let c = self.packs.entry((ev.gtin, serial)).or_default();
                (c.custodian, c.status) = (Some(ev.manufacturer), Some(PackStatus::Active));
            }
        }
        for ev in out.events_of::<PacksShipped>() {
            self.shipments.insert(ev.shipment_id, (ev.from, ev.to));
            for id in ev.packs {
                let c = self.packs.entry(id).or_default();
                assert_eq!(c.custodian, Some(ev.from), "only the custodian ships");
                (c.in_transit_to, c.status) = (Some((ev.to, ev.shipment_id)), Some(PackStatus::InTransit));
            }
        }
        for ev in out.events_of::<PacksReceived>() {
            let (from, to) = self.shipments[&ev.shipment_id];
            assert_eq!((from, to), (ev.from, ev.by), "a receipt answers its shipment");
            for id in ev.packs {
                let c = self.packs.entry(id).or_default();
                assert_eq!(c.in_transit_to, Some((ev.by, ev.shipment_id)));
                (c.in_transit_to, c.status) = (None, Some(PackStatus::Active));
                if ev.accepted {
                    c.custodian = Some(ev.by);
                    c.hops.push((from, to, ev.shipment_id));
                }
            }
        }
        for ev in out.events_of::<ShipmentCancelled>() {
            for id in ev.packs {
                let c = self.packs.entry(id).or_default();
                assert_eq!(c.custodian, Some(ev.returned_to));
                (c.in_transit_to, c.status) = (None, Some(PackStatus::Active));
            }
        }
        for ev in out.events_of::<PackStatusChanged>() {
            self.packs.entry((ev.gtin, ev.serial)).or_default().status = Some(ev.to);
        }
    }
}

#[test]
fn attack_10_an_auditor_rebuilds_every_packs_custody_chain_from_events_alone() {
    let mut s = Suite::new();
    let mut pl = s.at.ledger();
    let mut auditor = Auditor::default();
    for (who, role) in
        [(BRAND, PartnerRole::Manufacturer), (WHOLESALER, PartnerRole::Wholesaler), (PHARMACY, PartnerRole::Dispenser)]
    {
        s.chain.call(a(OWNER), &pl.register_partner(a(who), role, [who; 32])).ok().expect("partner");
    }
    s.assign_gtin(a(BRAND), GTIN);
    let made = s.chain.call(a(BRAND), &pl.commission(GTIN, lot(), EXPIRY, (0..6).map(serial).collect()));
    auditor.read(&made);
    let ship = s.chain.call(a(BRAND), &pl.ship(vec![pack(0), pack(1), pack(2), pack(3)], a(WHOLESALER), [1; 32]));
    auditor.read(&ship);
    let s1 = ship.ok().expect("ship");
    auditor.read(&s.chain.call(a(WHOLESALER), &pl.receive(s1, vec![pack(0), pack(1)])));
    auditor.read(&s.chain.call(a(WHOLESALER), &pl.reject(s1, vec![pack(2)])));
    let onward = s.chain.call(a(WHOLESALER), &pl.ship(vec![pack(0)], a(PHARMACY), [2; 32]));
    auditor.read(&onward);
    let s2 = onward.ok().expect("ship 2");
    auditor.read(&s.chain.call(a(PHARMACY), &pl.receive(s2, vec![pack(0)])));
    auditor.read(&s.chain.call(a(PHARMACY), &pl.dispense(GTIN, serial(0), lot(), EXPIRY)));
    s.chain.advance(SHIPMENT_CANCEL_DELAY);
    auditor.read(&s.chain.call(a(BRAND), &pl.cancel_shipment(s1, vec![pack(3)])));

    // What the auditor derived matches the ledger, for every pack.
    for n in 0..6 {
        let derived = auditor.packs.get(&pack(n)).cloned().unwrap_or_default();
        let onchain = s.chain.read(&pl.pack(GTIN, serial(n))).expect("pack");
        assert_eq!(derived.custodian, Some(onchain.custodian), "pack {n} custodian");
        assert_eq!(derived.status, Some(onchain.status), "pack {n} status");
        assert_eq!(derived.in_transit_to, onchain.transit.map(|t| (t.to, t.shipment)), "pack {n} transit");
    }
    assert_eq!(
        auditor.packs[&pack(0)].hops,
        vec![(a(BRAND), a(WHOLESALER), s1), (a(WHOLESALER), a(PHARMACY), s2)],
        "the DSCSA transaction history of pack 0"
    );
}

// ----- 11. hostile peers -------------------------------------------------------------------------

const MISBEHAVIOURS: [Behaviour; 5] =
    [Behaviour::RevertPermit, Behaviour::Trap, Behaviour::BurnGas, Behaviour::Oversized(600), Behaviour::Garbage];

fn hostile(chain: &mut Chain) -> AccountId {
    chain.deploy("hostile_peer", a(OWNER), HostilePeerRef::new())
}

fn behave(chain: &mut Chain, peer: AccountId, b: Behaviour) {
    let mut h = builder::<HostilePeer>(peer);
    assert!(chain.call(a(OWNER), &h.set_behaviour(b)).value.is_ok());
}

#[test]
fn attack_11a_a_hostile_break_glass_never_yields_a_permit() {
    let mut s = Suite::new();
    let mut reg = s.at.reg();
    let peer = hostile(&mut s.chain);
    let pin = s.chain.peer(peer);
    s.chain.call(a(OWNER), &reg.set_peer(Some(pin))).ok().expect("wire hostile");
    for b in MISBEHAVIOURS {
        behave(&mut s.chain, peer, b);
        let out =
            s.chain.call(a(CUSTODIAN), &reg.record_access(a(PATIENT), a(RESPONDER), ES, Purpose::EmergencyTreatment));
        assert_eq!(out.value, Ok(Ok(AccessDecision::Denied(DenyReason::BreakGlassUnavailable))), "{b:?}");
        assert!(out.cost.ref_time < 20_000_000_000, "{b:?}: the peer's gas is capped ({} ref_time)", out.cost.ref_time);
        // Three contracts deep, the same: record_anchor sees a refusal, never a permit.
        let mut ra = s.at.anchor();
        let anchored = s.chain.call(a(RESPONDER), &ra.anchor_record([0xE1; 32], Some(a(PATIENT)), ES, None));
        assert_eq!(anchored.value, Ok(Err(AnchoringError::ConsentRefused)), "{b:?}");
    }
    // A reply larger than the reply buffer traps the caller: closed, nothing recorded.
    behave(&mut s.chain, peer, Behaviour::Oversized(4096));
    let before = s.roots();
    let out = s.chain.call(a(CUSTODIAN), &reg.record_access(a(PATIENT), a(RESPONDER), ES, Purpose::EmergencyTreatment));
    assert!(out.value.is_err() && out.events.is_empty(), "{:?}", out.value);
    assert_eq!(s.roots(), before);
    // …and one hop further up, the trap is a typed refusal.
    let mut ra = s.at.anchor();
    let anchored = s.chain.call(a(RESPONDER), &ra.anchor_record([0xE1; 32], Some(a(PATIENT)), ES, None));
    assert_eq!(anchored.value, Ok(Err(AnchoringError::RegistryUnavailable)));
    // Honest-looking answers are the owner's trust decision: pinning a contract trusts it.
    behave(&mut s.chain, peer, Behaviour::Permit);
    assert_eq!(
        s.check(PATIENT, RESPONDER, ES, Purpose::EmergencyTreatment),
        AccessDecision::PermittedByEmergencyGrant(7)
    );
}

#[test]
fn attack_11b_a_peer_whose_code_changes_is_no_longer_trusted() {
    let mut s = Suite::new();
    let (mut bg, mut reg) = (s.at.bg(), s.at.reg());
    // break_glass's own owner (or whoever holds its key) swaps its code for one that always
    // says "permitted".
    let hostile_code = s.chain.upload("hostile_peer", a(OWNER));
    s.chain.call(a(OWNER), &bg.set_code_hash(hostile_code)).ok().expect("swap");
    assert_eq!(
        s.chain
            .query(
                a(STRANGER),
                &builder::<HostilePeer>(s.at.break_glass).active_emergency_grant(a(PATIENT), a(STRANGER), ES)
            )
            .value,
        Ok(Some(7))
    );
    // The registry pinned the old code: no permit.
    assert_eq!(
        s.check(PATIENT, STRANGER, ES, Purpose::EmergencyTreatment),
        AccessDecision::Denied(DenyReason::BreakGlassUnavailable)
    );
    let out = s.chain.call(a(CUSTODIAN), &reg.record_access(a(PATIENT), a(STRANGER), ES, Purpose::EmergencyTreatment));
    assert_eq!(
        out.events_of::<AccessRecorded>()[0].decision,
        AccessDecision::Denied(DenyReason::BreakGlassUnavailable)
    );
}

#[test]
fn attack_11c_a_hostile_registry_never_lets_a_record_be_anchored() {
    let mut s = Suite::new();
    let mut ra = s.at.anchor();
    let peer = hostile(&mut s.chain);
    let pin = s.chain.peer(peer);
    s.chain.call(a(OWNER), &ra.set_peer(Some(pin))).ok().expect("wire hostile");
    for b in MISBEHAVIOURS {
        behave(&mut s.chain, peer, b);
        s.assert_refused(
            a(PROVIDER),
            &ra.anchor_record([0x1A; 32], Some(a(PATIENT)), LAB, None),
            AnchoringError::RegistryUnavailable,
        );
    }
}

#[test]
fn attack_11d_a_hostile_record_anchor_never_completes_a_shipment() {
    let mut s = Suite::new();
    let mut pl = s.supply_chain();
    let peer = hostile(&mut s.chain);
    let pin = s.chain.peer(peer);
    s.chain.call(a(OWNER), &pl.set_peer(Some(pin))).ok().expect("wire hostile");
    for b in MISBEHAVIOURS {
        behave(&mut s.chain, peer, b);
        s.assert_refused(a(BRAND), &pl.ship(vec![pack(0)], a(WHOLESALER), [0x5E; 32]), LedgerError::AnchorUnavailable);
    }
    // A peer that owns up to a refusal is believed as a refusal, never as an anchor.
    assert_eq!(s.chain.read(&pl.pack(GTIN, serial(0))).map(|p| p.status), Some(PackStatus::Active));
}

#[test]
fn attack_11e_a_contract_wired_in_the_wrong_place_is_unavailable_not_a_trap() {
    let mut chain = Chain::new();
    let owner = a(OWNER);
    let registry = chain.deploy("consent_registry", owner, ConsentRegistryRef::new());
    let anchor = chain.deploy("record_anchor", owner, RecordAnchorRef::new());
    let mut reg = builder::<ConsentRegistry>(registry);
    let wrong_kind = chain.peer(anchor);
    chain.call(owner, &reg.set_peer(Some(wrong_kind))).ok().expect("wire the wrong kind");
    let out = chain.query(a(STRANGER), &reg.check_access(a(PATIENT), a(STRANGER), ES, Purpose::EmergencyTreatment));
    assert_eq!(out.value, Ok(AccessDecision::Denied(DenyReason::BreakGlassUnavailable)));
    let mut ra = builder::<RecordAnchor>(anchor);
    let plain = chain.peer(a(STRANGER));
    assert_eq!(chain.call(owner, &ra.set_peer(Some(plain))).ok(), Err(AdminError::PeerNotContract));
}

// ----- 12. smaller ones -------------------------------------------------------------------------

#[test]
fn attack_12a_a_stranger_cannot_collect_a_patients_storage_refunds() {
    let mut s = Suite::new();
    let mut reg = s.at.reg();
    let consent = s.grant_lab_for_treatment(PATIENT, PROVIDER).ok().expect("grant");
    s.chain.call(a(PATIENT), &reg.revoke_consent(consent)).ok().expect("revoke");
    s.assert_refused(a(STRANGER), &reg.purge_expired(a(PATIENT)), RegistryError::NotAuthorized);
    s.assert_refused(a(OWNER), &reg.purge_expired(a(PATIENT)), RegistryError::NotAuthorized);
    let purged = s.chain.call(a(PATIENT), &reg.purge_expired(a(PATIENT)));
    assert!(purged.cost.deposit < 0, "the refund goes to the patient who paid");
}

#[test]
fn attack_12b_a_patients_amendment_never_locks_the_custodian_out() {
    let mut s = Suite::new();
    let mut ra = s.at.anchor();
    s.grant_lab_for_treatment(PATIENT, PROVIDER).ok().expect("grant");
    let v1 = s.chain.call(a(PROVIDER), &ra.anchor_record([0x01; 32], Some(a(PATIENT)), LAB, None)).ok().expect("v1");
    let v2 = s
        .chain
        .call(a(PATIENT), &ra.anchor_record([0x02; 32], Some(a(PATIENT)), LAB, Some(v1)))
        .ok()
        .expect("patient amends");
    let v3 = s.chain.call(a(PROVIDER), &ra.anchor_record([0x03; 32], Some(a(PATIENT)), LAB, Some(v2)));
    assert!(v3.value.as_ref().is_ok_and(|r| r.is_ok()), "the custodian anchors the next version: {:?}", v3.value);
    let v3 = v3.ok().expect("v3");
    s.assert_refused(
        a(STRANGER),
        &ra.anchor_record([0x04; 32], Some(a(PATIENT)), LAB, Some(v3)),
        AnchoringError::NotAuthorized,
    );
}

#[test]
fn attack_12c_gs1_dates_follow_the_century_rule_and_the_zero_gtin_is_no_product() {
    let mut s = Suite::new();
    let mut pl = s.supply_chain();
    // "99" in 2026 is 1999, not 2099: a pack dated 991231 is long expired and cannot ship.
    s.chain.call(a(BRAND), &pl.commission(GTIN, b"OLD".to_vec(), 991231, vec![serial(77)])).ok().expect("commission");
    assert!(s.chain.read(&pl.verify(GTIN, serial(77), b"OLD".to_vec(), 991231)).expired);
    s.assert_refused(a(BRAND), &pl.ship(vec![pack(77)], a(WHOLESALER), [7; 32]), LedgerError::Expired);
    s.assert_refused(a(SQUATTER), &pl.claim_gtin(*b"00000000000000", [1; 32]), LedgerError::InvalidGtin);
}

#[test]
fn attack_12d_glass_broken_publishes_no_medical_reason() {
    let mut s = Suite::new();
    let mut bg = s.at.bg();
    let out = s.chain.call(a(RESPONDER), &bg.break_glass(a(PATIENT), ES, [0x11; 32]));
    let raw = out.events.clone();
    let ev = out.events_of::<GlassBroken>();
    // patient, responder, grant id, categories, justification hash, expiry, review due: nothing else.
    assert_eq!(raw[0].data.len(), 32 + 32 + 8 + 2 + 32 + 8 + 8);
    assert_eq!(ev[0].justification_hash, [0x11; 32]);
    let grant = s.chain.read(&bg.grant(ev[0].grant_id)).expect("grant");
    assert_eq!(grant.justification_hash, [0x11; 32], "the reason lives in the hashed justification");
}

// ----- 13–20: hardening round 2 (issue 27) ---------------------------------------------------

/// Issue 27, item 1. The regulator approved a squatter's claim by mistake and the squatter
/// commissioned packs (one already at a pharmacy); the regulator revokes the holding. Whatever
/// it does with the GTIN next — transfer it to the brand as a squat, approve the brand's claim,
/// re-approve the squatter — the squatter's packs stay withdrawn: never shipped, never
/// dispensed. A revoked holding is never sold, and only an explicit restore of a named lot, on
/// record, makes its packs genuine again.
#[test]
fn attack_13_a_revoked_holdings_packs_never_become_genuine_again() {
    let mut s = Suite::new();
    let mut pl = s.supply_chain();
    let other: [u8; 14] = *b"10614141000415";
    s.chain.call(a(SQUATTER), &pl.claim_gtin(other, [0x5B; 32])).ok().expect("claim");
    s.chain.call(a(OWNER), &pl.approve_gtin_claim(other, a(SQUATTER))).ok().expect("the mistake");
    s.chain.call(a(SQUATTER), &pl.commission(other, lot(), EXPIRY, vec![serial(1), serial(2)])).ok().expect("fakes");
    let id = s.chain.call(a(SQUATTER), &pl.ship(vec![(other, serial(2))], a(PHARMACY), [0x5C; 32])).ok().expect("ship");
    s.chain.call(a(PHARMACY), &pl.receive(id, vec![(other, serial(2))])).ok().expect("receive");
    s.chain.call(a(OWNER), &pl.revoke_gtin(other, 1)).ok().expect("revoke");
    s.chain.call(a(BRAND), &pl.claim_gtin(other, [0xB2; 32])).ok().expect("brand claims");
    s.chain.call(a(SQUATTER), &pl.claim_gtin(other, [0x5D; 32])).ok().expect("squatter claims again");
    s.assert_refused(a(OWNER), &pl.transfer_gtin(other, a(BRAND), TransferKind::Sale), LedgerError::GtinRevoked);

    let (snapshot, at) = (s.chain.snapshot(), s.chain.now());
    for remedy in ["transfer to the brand as a squat", "approve the brand's claim", "re-approve the squatter"] {
        s.chain.restore(snapshot.clone(), at);
        let next = match remedy {
            "transfer to the brand as a squat" => {
                s.chain.call(a(OWNER), &pl.transfer_gtin(other, a(BRAND), TransferKind::Squat)).ok()
            }
            "approve the brand's claim" => s.chain.call(a(OWNER), &pl.approve_gtin_claim(other, a(BRAND))).ok(),
            _ => s.chain.call(a(OWNER), &pl.approve_gtin_claim(other, a(SQUATTER))).ok(),
        };
        assert_eq!(next, Ok(()), "{remedy}");
        for n in [1, 2] {
            let v = s.chain.read(&pl.verify(other, serial(n), lot(), EXPIRY));
            assert!(v.verified && v.withdrawn, "pack {n} after {remedy}: {v:?}");
        }
        s.assert_refused(
            a(SQUATTER),
            &pl.ship(vec![(other, serial(1))], a(WHOLESALER), [0x5E; 32]),
            LedgerError::Withdrawn,
        );
        s.assert_refused(a(PHARMACY), &pl.dispense(other, serial(2), lot(), EXPIRY), LedgerError::Withdrawn);
    }
    // The new holder's own packs are genuine; they need a lot code of their own.
    s.assert_refused(a(SQUATTER), &pl.commission(other, lot(), EXPIRY, vec![serial(3)]), LedgerError::LotTaken);
    s.chain.call(a(SQUATTER), &pl.commission(other, b"LOT-2".to_vec(), EXPIRY, vec![serial(3)])).ok().expect("new");
    assert!(!s.chain.read(&pl.verify(other, serial(3), b"LOT-2".to_vec(), EXPIRY)).withdrawn);
    // Where the revocation was itself the mistake, the regulator restores the lot, on record.
    let restored = s.chain.call(a(OWNER), &pl.restore_lot(other, lot()));
    assert_eq!(restored.events_of::<pharma_ledger::events::LotRestored>()[0].commissioner, a(SQUATTER));
    assert!(!s.chain.read(&pl.verify(other, serial(2), lot(), EXPIRY)).withdrawn);
    assert!(s.chain.call(a(PHARMACY), &pl.dispense(other, serial(2), lot(), EXPIRY)).ok().is_ok());
    // A squat found out only at the transfer: the transfer itself revokes the squatter's holding.
    let third: [u8; 14] = *b"10614141000422";
    s.chain.call(a(SQUATTER), &pl.claim_gtin(third, [0x5F; 32])).ok().expect("claim");
    s.chain.call(a(OWNER), &pl.approve_gtin_claim(third, a(SQUATTER))).ok().expect("mistake");
    s.chain.call(a(SQUATTER), &pl.commission(third, lot(), EXPIRY, vec![serial(4)])).ok().expect("fake");
    s.chain.call(a(OWNER), &pl.transfer_gtin(third, a(BRAND), TransferKind::Squat)).ok().expect("squat transfer");
    assert!(s.chain.read(&pl.verify(third, serial(4), lot(), EXPIRY)).withdrawn);
}

/// Issue 27, item 2. The patient supersedes the hospital's v1 with v2, marks v2
/// entered-in-error and revokes the hospital's consent: the record's latest version is
/// retracted, and the hospital — its first issuer — extends its own chain from it, within the
/// categories it first anchored the record under.
#[test]
fn attack_14_a_retracted_latest_version_never_locks_the_record_issuer_out() {
    let mut s = Suite::new();
    let (mut ra, mut reg) = (s.at.anchor(), s.at.reg());
    let consent = s.grant_lab_for_treatment(PATIENT, PROVIDER).ok().expect("grant");
    // A record whose only version its issuer retracted is continued, not restarted.
    let only = s.chain.call(a(PROVIDER), &ra.anchor_record([0x05; 32], Some(a(PATIENT)), LAB, None)).ok().expect("one");
    s.chain.call(a(PROVIDER), &ra.mark_entered_in_error(only, [0xEF; 32])).ok().expect("retract");
    assert!(s.chain.call(a(PROVIDER), &ra.anchor_record([0x06; 32], Some(a(PATIENT)), LAB, Some(only))).ok().is_ok());

    let v1 = s.chain.call(a(PROVIDER), &ra.anchor_record([0x01; 32], Some(a(PATIENT)), LAB, None)).ok().expect("v1");
    let v2 = s.chain.call(a(PATIENT), &ra.anchor_record([0x02; 32], Some(a(PATIENT)), LAB, Some(v1))).ok().expect("v2");
    s.chain.call(a(PATIENT), &ra.mark_entered_in_error(v2, [0xEE; 32])).ok().expect("patient retracts");
    s.chain.call(a(PATIENT), &reg.revoke_consent(consent)).ok().expect("and revokes the consent");
    // v1 is not the latest version: superseding it again would fork the record.
    s.assert_refused(
        a(PROVIDER),
        &ra.anchor_record([0x03; 32], Some(a(PATIENT)), LAB, Some(v1)),
        AnchoringError::NotCurrent,
    );
    // More categories than the record was first anchored under are asked of the registry, as ever.
    s.assert_refused(
        a(PROVIDER),
        &ra.anchor_record([0x03; 32], Some(a(PATIENT)), LAB.union(DataCategories::GENOMICS), Some(v2)),
        AnchoringError::ConsentRefused,
    );
    let v3 = s.chain.call(a(PROVIDER), &ra.anchor_record([0x03; 32], Some(a(PATIENT)), LAB, Some(v2)));
    assert!(matches!(v3.value, Ok(Ok(_))), "the hospital extends its chain: {:?}", v3.value);
    let v3 = v3.ok().expect("v3");
    let read = |s: &mut Suite, id| s.chain.read(&s.at.anchor().anchor(id)).expect("anchor");
    let (r1, r2, r3) = (read(&mut s, v1), read(&mut s, v2), read(&mut s, v3));
    assert_eq!((r1.status, r1.superseded_by), (AnchorStatus::Superseded, Some(v2)));
    assert_eq!((r2.status, r2.superseded_by), (AnchorStatus::EnteredInError, Some(v3)), "the retraction stays");
    assert_eq!((r3.status, r3.supersedes, r3.record_issuer), (AnchorStatus::Current, Some(v2), a(PROVIDER)));
    // A new record about the patient still needs the patient's consent.
    s.assert_refused(
        a(PROVIDER),
        &ra.anchor_record([0x07; 32], Some(a(PATIENT)), LAB, None),
        AnchoringError::ConsentRefused,
    );
}

/// Issue 27, item 3. Whoever controls a peer sees its caller's owner re-pin it in the pool and
/// swaps the peer's code first. The owner states the code hash it means to trust, so the re-pin
/// is refused and the old pin keeps the swapped code untrusted: no forged emergency grant.
#[test]
fn attack_15_a_re_pin_front_run_by_a_code_swap_pins_nothing() {
    let mut s = Suite::new();
    let (mut bg, mut reg) = (s.at.bg(), s.at.reg());
    let honest = s.chain.peer(s.at.break_glass);
    let hostile_code = s.chain.upload("hostile_peer", a(OWNER));
    // The peer's key swaps in code that always says "permitted", ahead of the re-pin…
    s.chain.call(a(OWNER), &bg.set_code_hash(hostile_code)).ok().expect("swap");
    // …and the re-pin, stating the code its owner looked at, is refused.
    s.assert_refused(a(OWNER), &reg.set_peer(Some(honest)), AdminError::PeerCodeMismatch);
    assert_eq!(s.chain.read(&reg.peer()), Some(honest), "the old pin stays");
    assert_eq!(
        s.check(PATIENT, STRANGER, ES, Purpose::EmergencyTreatment),
        AccessDecision::Denied(DenyReason::BreakGlassUnavailable)
    );
    // The registry's trust in research_registry is stated the same way.
    let research = s.chain.peer(s.at.research);
    s.chain.call(a(OWNER), &s.at.res().set_code_hash(hostile_code)).ok().expect("swap research");
    s.assert_refused(a(OWNER), &reg.set_research_registry(Some(research)), AdminError::PeerCodeMismatch);
}

/// Issue 27, item 4. The researcher sees the patient's denial in the pool and withdraws first:
/// the denial finds nothing, but the withdrawal started the same cool-down.
#[test]
fn attack_16_withdrawing_ahead_of_a_denial_never_dodges_the_cool_down() {
    let mut s = Suite::new();
    let now = s.chain.now();
    let mut res = s.at.res();
    let study = s.approved_study(RESEARCHER, LAB, now + YEAR);
    s.chain.call(a(RESEARCHER), &res.request_access(study, a(PATIENT))).ok().expect("request");
    s.chain.call(a(RESEARCHER), &res.withdraw_request(study, a(PATIENT))).ok().expect("withdraw first");
    s.assert_refused(a(PATIENT), &res.deny_request(a(PATIENT), study), ResearchError::UnknownRequest);
    s.assert_refused(a(RESEARCHER), &res.request_access(study, a(PATIENT)), ResearchError::CoolingDown);
    // Nor does letting a request lapse.
    s.chain.call(a(RESEARCHER), &res.request_access(study, a(PATIENT2))).ok().expect("request");
    s.chain.advance(ResearchPolicy::DEFAULT.request_ttl);
    s.assert_refused(a(RESEARCHER), &res.request_access(study, a(PATIENT2)), ResearchError::CoolingDown);
    s.chain.advance(ResearchPolicy::DEFAULT.denial_cooldown - DAY);
    s.assert_refused(a(RESEARCHER), &res.request_access(study, a(PATIENT2)), ResearchError::CoolingDown);
    s.chain.advance(DAY);
    assert!(s.chain.call(a(RESEARCHER), &res.request_access(study, a(PATIENT2))).ok().is_ok());
}

/// Issue 27, item 5. A researcher that is also the patient's delegate front-runs the patient's
/// block with the same block in its own name, to lift it later: a block binds the researcher it
/// names, which can neither place nor lift it; and the patient's block is always the patient's,
/// even over a colluding delegate's.
#[test]
fn attack_17_a_researcher_never_places_or_lifts_a_block_on_itself() {
    let mut s = Suite::new();
    let now = s.chain.now();
    let (mut reg, mut res) = (s.at.reg(), s.at.res());
    for d in [RESEARCHER, DELEGATE] {
        s.chain.call(a(PATIENT), &reg.appoint_delegate(a(d), now + YEAR)).ok().expect("appoint");
    }
    s.assert_refused(a(RESEARCHER), &res.block_researcher(a(PATIENT), a(RESEARCHER)), ResearchError::SelfBlock);
    s.chain.call(a(PATIENT), &res.block_researcher(a(PATIENT), a(RESEARCHER))).ok().expect("the patient blocks");
    s.assert_refused(a(RESEARCHER), &res.unblock_researcher(a(PATIENT), a(RESEARCHER)), ResearchError::SelfBlock);
    // A colluding delegate places the block first; the patient's call makes it the patient's.
    s.chain.call(a(PATIENT), &res.unblock_researcher(a(PATIENT), a(RESEARCHER))).ok().expect("lift");
    s.chain.call(a(DELEGATE), &res.block_researcher(a(PATIENT), a(RESEARCHER))).ok().expect("collusion first");
    let out = s.chain.call(a(PATIENT), &res.block_researcher(a(PATIENT), a(RESEARCHER)));
    assert_eq!(out.events_of::<research_registry::events::ResearcherBlocked>()[0].by, a(PATIENT));
    s.assert_refused(
        a(DELEGATE),
        &res.unblock_researcher(a(PATIENT), a(RESEARCHER)),
        ResearchError::DelegateCannotLift,
    );
    assert!(s.chain.read(&res.is_blocked(a(PATIENT), a(RESEARCHER))));
}

/// Issue 27, item 6. While consent_registry is paused, the patient shortens a delegation: the
/// narrowing works (judged by its arguments, not the message's name) and revokes the delegate's
/// year-long grant; lengthening it stays refused. While pharma_ledger is paused, a recipient
/// still rejects a shipment (it only takes packs out of transit).
#[test]
fn attack_18_pause_never_blocks_a_narrowing_whatever_message_carries_it() {
    let mut s = Suite::new();
    let now = s.chain.now();
    let mut reg = s.at.reg();
    let mut pl = s.supply_chain();
    s.chain.call(a(PATIENT), &reg.appoint_delegate(a(DELEGATE), now + YEAR)).ok().expect("appoint");
    let long = s
        .chain
        .call(a(DELEGATE), &reg.grant_consent(a(PATIENT), a(PROVIDER), LAB, TREAT, now, now + YEAR, [4; 32]))
        .ok()
        .expect("a year-long grant");
    let shipment = s.chain.call(a(BRAND), &pl.ship(vec![pack(0)], a(WHOLESALER), [0x5E; 32])).ok().expect("ship");
    s.chain.call(a(OWNER), &reg.set_paused(true)).ok().expect("pause");
    s.chain.call(a(OWNER), &pl.set_paused(true)).ok().expect("pause");

    s.assert_refused(a(PATIENT), &reg.appoint_delegate(a(DELEGATE), now + 2 * YEAR), RegistryError::Paused);
    let out = s.chain.call(a(PATIENT), &reg.appoint_delegate(a(DELEGATE), now + DAY));
    assert!(matches!(out.value, Ok(Ok(()))), "shortening works while paused: {:?}", out.value);
    assert_eq!(out.events_of::<consent_registry::events::ConsentRevoked>()[0].consent_id, long);
    assert_eq!(s.check(PATIENT, PROVIDER, LAB, Purpose::Treatment), AccessDecision::Denied(DenyReason::NoConsent));
    done(s.chain.call(a(WHOLESALER), &pl.reject(shipment, vec![pack(0)])));
    s.assert_refused(a(BRAND), &pl.ship(vec![pack(0)], a(WHOLESALER), [0x5F; 32]), LedgerError::Paused);
}

/// Issue 27, item 7. A contract wired to itself would trap on every hop through the peer: the
/// wiring is refused. A peer that calls back into its caller (a cycle) makes the runtime trap
/// the peer's frame, never the caller's: each hop answers its typed "unavailable", and a refused
/// emergency access is still on record.
#[test]
fn attack_19_mis_wiring_is_refused_or_unavailable_never_a_trap() {
    let mut s = Suite::new();
    let at = s.at;
    let own = |s: &mut Suite, address| s.chain.peer(address);
    let reg_self = own(&mut s, at.registry);
    let res_self = own(&mut s, at.research);
    let ra_self = own(&mut s, at.record_anchor);
    let pl_self = own(&mut s, at.pharma_ledger);
    s.assert_refused(a(OWNER), &at.reg().set_peer(Some(reg_self)), AdminError::PeerIsSelf);
    s.assert_refused(a(OWNER), &at.reg().set_research_registry(Some(reg_self)), AdminError::PeerIsSelf);
    s.assert_refused(a(OWNER), &at.res().set_peer(Some(res_self)), AdminError::PeerIsSelf);
    s.assert_refused(a(OWNER), &at.anchor().set_peer(Some(ra_self)), AdminError::PeerIsSelf);
    s.assert_refused(a(OWNER), &at.ledger().set_peer(Some(pl_self)), AdminError::PeerIsSelf);

    // A cycle: every peer slot wired to a contract that calls its caller back.
    let mut pl = s.supply_chain();
    let now = s.chain.now();
    s.chain.call(a(PATIENT), &at.reg().appoint_delegate(a(DELEGATE), now + YEAR)).ok().expect("appoint");
    let cycle = hostile(&mut s.chain);
    behave(&mut s.chain, cycle, Behaviour::Reenter);
    let cycle = s.chain.peer(cycle);
    for wire in [at.reg().set_peer(Some(cycle)), at.res().set_peer(Some(cycle)), at.anchor().set_peer(Some(cycle))] {
        s.chain.call(a(OWNER), &wire).ok().expect("wire the cycle");
    }
    s.chain.call(a(OWNER), &pl.set_peer(Some(cycle))).ok().expect("wire the cycle");
    let mut reg = at.reg();
    let out = s.chain.call(a(CUSTODIAN), &reg.record_access(a(PATIENT), a(RESPONDER), ES, Purpose::EmergencyTreatment));
    assert_eq!(out.value, Ok(Ok(AccessDecision::Denied(DenyReason::BreakGlassUnavailable))));
    assert_eq!(out.events_of::<AccessRecorded>().len(), 1, "the refused emergency access is on record");
    assert_eq!(
        s.check(PATIENT, RESPONDER, ES, Purpose::EmergencyTreatment),
        AccessDecision::Denied(DenyReason::BreakGlassUnavailable)
    );
    let mut ra = at.anchor();
    s.assert_refused(
        a(PROVIDER),
        &ra.anchor_record([0x19; 32], Some(a(PATIENT)), LAB, None),
        AnchoringError::RegistryUnavailable,
    );
    s.assert_refused(a(BRAND), &pl.ship(vec![pack(0)], a(WHOLESALER), [0x5E; 32]), LedgerError::AnchorUnavailable);
    let mut res = at.res();
    s.assert_refused(a(DELEGATE), &res.block_researcher(a(PATIENT), a(RESEARCHER)), ResearchError::RegistryUnavailable);
}

/// Issue 27, item 8. After its time to live, a request (say, of a mental-health study) is shown
/// by no getter, purged or not.
#[test]
fn attack_20_a_lapsed_request_is_shown_nowhere() {
    let mut s = Suite::new();
    let now = s.chain.now();
    let mut res = s.at.res();
    let study = s.approved_study(RESEARCHER, DataCategories::MENTAL_HEALTH, now + YEAR);
    s.chain.call(a(RESEARCHER), &res.request_access(study, a(PATIENT))).ok().expect("request");
    assert_eq!(s.chain.read(&res.pending_requests_of(a(PATIENT), 0, 32)).len(), 1);
    s.chain.advance(ResearchPolicy::DEFAULT.request_ttl);
    assert!(s.chain.read(&res.pending_requests_of(a(PATIENT), 0, 32)).is_empty());
    assert_eq!(s.chain.read(&res.request(a(PATIENT), study)), None);
}
