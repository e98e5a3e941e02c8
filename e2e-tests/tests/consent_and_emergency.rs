//! consent_registry, research_registry and break_glass deployed separately and wired by
//! address on a real pallet-contracts runtime. Each scenario asserts outcomes and the events on record.

use break_glass::data::Policy;
use break_glass::events::{GlassBroken, GrantReviewed, ResponderSuspended};
use carechain_e2e::suite::*;
use carechain_e2e::{account, builder, Chain};
use carechain_shared::traits::ConsentCheck;
use carechain_shared::*;
use carechain_shared::{AdminError, Wiring};
use consent_registry::consent_registry::{ConsentRegistry, ConsentRegistryRef};
use consent_registry::events::{AccessRecorded, ConsentGranted, ConsentRevoked};
use consent_registry::Error as RegistryError;
use record_anchor::events::RecordAnchored;
use research_registry::data::RequestOutcome;
use research_registry::events::RequestClosed;
use research_registry::Error as ResearchError;

const ES: DataCategories = DataCategories::EMERGENCY_SUMMARY;
const LAB: DataCategories = DataCategories::LAB_RESULTS;
const YEAR: u64 = 365 * MS_PER_DAY;
// Salted SHA-256s of off-chain documents (the documents never reach the chain).
const LAB_REPORT: Hash32 = [0x1A; 32];
const NEXT_REPORT: Hash32 = [0x1B; 32];
const EMERGENCY_NOTE: Hash32 = [0xE1; 32];

fn check(s: &mut Suite, patient: u8, accessor: u8, categories: DataCategories, purpose: Purpose) -> AccessDecision {
    let reg = s.at.reg();
    s.chain.read(&reg.check_access(account(patient), account(accessor), categories, purpose))
}

#[test]
fn scenario_1_treatment_consent_anchor_audit_revoke() {
    let mut s = Suite::new();
    let mut reg = s.at.reg();

    // The patient grants the provider lab results for treatment.
    let granted = s.grant_lab_for_treatment(PATIENT, PROVIDER);
    let ev = granted.events_of::<ConsentGranted>();
    let consent_id = granted.ok().expect("grant");
    assert_eq!(ev.len(), 1);
    assert_eq!((ev[0].patient, ev[0].accessor, ev[0].consent_id), (account(PATIENT), account(PROVIDER), consent_id));
    assert_eq!(
        check(&mut s, PATIENT, PROVIDER, LAB, Purpose::Treatment),
        AccessDecision::PermittedByConsent(consent_id)
    );

    // The provider anchors the hash of a lab report about the patient; anyone can verify it.
    let mut ra = s.at.anchor();
    let anchored = s.chain.call(account(PROVIDER), &ra.anchor_record(LAB_REPORT, Some(account(PATIENT)), LAB, None));
    let ev = anchored.events_of::<RecordAnchored>();
    let anchor_id = anchored.ok().expect("anchor");
    assert_eq!((ev[0].anchor_id, ev[0].issuer, ev[0].patient), (anchor_id, account(PROVIDER), Some(account(PATIENT))));
    assert_eq!(s.chain.read(&ra.verify(account(PROVIDER), None, LAB_REPORT)).map(|a| a.id), Some(anchor_id));

    // A custodian records the access it serves.
    let recorded = s
        .chain
        .call(account(CUSTODIAN), &reg.record_access(account(PATIENT), account(PROVIDER), LAB, Purpose::Treatment));
    let ev = recorded.events_of::<AccessRecorded>();
    assert_eq!(recorded.ok(), Ok(AccessDecision::PermittedByConsent(consent_id)));
    assert_eq!((ev[0].custodian, ev[0].decision), (account(CUSTODIAN), AccessDecision::PermittedByConsent(consent_id)));

    // A stranger cannot revoke: typed error, the call reverts, nothing is emitted.
    let refused = s.chain.call(account(STRANGER), &reg.revoke_consent(consent_id));
    assert!(refused.reverted && refused.events.is_empty());
    assert_eq!(refused.ok(), Err(RegistryError::NotAuthorized));

    // The patient revokes; the next access is refused, and the refusal is audited.
    let revoked = s.chain.call(account(PATIENT), &reg.revoke_consent(consent_id));
    assert_eq!(revoked.events_of::<ConsentRevoked>()[0].revoked_by, account(PATIENT));
    assert_eq!(revoked.ok(), Ok(()));
    assert_eq!(
        check(&mut s, PATIENT, PROVIDER, LAB, Purpose::Treatment),
        AccessDecision::Denied(DenyReason::NoConsent)
    );
    let refused = s
        .chain
        .call(account(CUSTODIAN), &reg.record_access(account(PATIENT), account(PROVIDER), LAB, Purpose::Treatment));
    let ev = refused.events_of::<AccessRecorded>();
    assert!(!refused.reverted, "a refused access is recorded, not reverted");
    assert_eq!(ev[0].decision, AccessDecision::Denied(DenyReason::NoConsent));
    // …and the next anchor about the patient is refused, writing nothing.
    let refused = s.chain.call(account(PROVIDER), &ra.anchor_record(NEXT_REPORT, Some(account(PATIENT)), LAB, None));
    assert!(refused.reverted && refused.events.is_empty());
    assert_eq!(refused.ok(), Err(AnchoringError::ConsentRefused));
    assert_eq!(s.chain.read(&ra.verify(account(PROVIDER), None, NEXT_REPORT)), None);
}

#[test]
fn scenario_2_research_requests_approved_denied_and_lapsed() {
    let mut s = Suite::new();
    let now = s.chain.now();
    let mut res = s.at.res();
    let study = s.approved_study(RESEARCHER, LAB, now + YEAR);
    s.chain
        .call(
            account(RESEARCHER),
            &res.request_access_batch(study, vec![account(PATIENT), account(PATIENT2), account(PATIENT3)]),
        )
        .ok()
        .expect("batch");

    // One approval, two contracts' events: research_registry closes the request, and
    // consent_registry records the consent it created, naming the study.
    let approved = s.chain.call(account(PATIENT), &res.approve_request(account(PATIENT), study, [0xD1; 32]));
    let closed = approved.events_of::<RequestClosed>();
    let granted = approved.events_of::<ConsentGranted>();
    let consent_id = approved.ok().expect("approve");
    assert_eq!(closed[0].outcome, RequestOutcome::Approved(consent_id));
    assert_eq!(
        (granted[0].consent_id, granted[0].study_id, granted[0].accessor),
        (consent_id, Some(study), account(RESEARCHER))
    );
    let denied = s.chain.call(account(PATIENT2), &res.deny_request(account(PATIENT2), study));
    assert_eq!(denied.events_of::<RequestClosed>()[0].outcome, RequestOutcome::Denied);

    // The third patient never answers; the request lapses.
    s.chain.advance(31 * MS_PER_DAY);
    assert_eq!(
        s.chain.call(account(PATIENT3), &res.approve_request(account(PATIENT3), study, [0xD3; 32])).ok(),
        Err(ResearchError::RequestExpired)
    );

    assert_eq!(
        check(&mut s, PATIENT, RESEARCHER, LAB, Purpose::Research),
        AccessDecision::PermittedByConsent(consent_id)
    );
    assert_eq!(
        check(&mut s, PATIENT2, RESEARCHER, LAB, Purpose::Research),
        AccessDecision::Denied(DenyReason::NoConsent)
    );
    assert_eq!(
        check(&mut s, PATIENT3, RESEARCHER, LAB, Purpose::Research),
        AccessDecision::Denied(DenyReason::NoConsent)
    );
    assert_eq!(
        check(&mut s, PATIENT, RESEARCHER, LAB, Purpose::Treatment),
        AccessDecision::Denied(DenyReason::NoConsent)
    );
}

#[test]
fn scenario_3_emergency_break_glass_note_expiry_and_suspension() {
    let mut s = Suite::new();
    let mut bg = s.at.bg();
    let mut reg = s.at.reg();

    // No consent and no grant: refused.
    assert_eq!(
        check(&mut s, PATIENT, RESPONDER, ES, Purpose::EmergencyTreatment),
        AccessDecision::Denied(DenyReason::NoEmergencyGrant)
    );

    // The responder breaks the glass; the patient's wallet sees it by topic at once.
    let broke = s.chain.call(account(RESPONDER), &bg.break_glass(account(PATIENT), ES, [0x11; 32]));
    let raw = broke.events.clone();
    let ev = broke.events_of::<GlassBroken>();
    let grant = broke.ok().expect("break glass");
    assert_eq!((ev[0].patient, ev[0].responder, ev[0].grant_id), (account(PATIENT), account(RESPONDER), grant));
    assert_eq!(raw[0].topics.len(), 3, "signature + patient + responder");
    assert_eq!(raw[0].topics[1], [PATIENT; 32]);
    assert_eq!(raw[0].topics[2], [RESPONDER; 32]);

    // consent_registry now permits by emergency grant, for emergency treatment only.
    assert_eq!(
        check(&mut s, PATIENT, RESPONDER, ES, Purpose::EmergencyTreatment),
        AccessDecision::PermittedByEmergencyGrant(grant)
    );
    assert_eq!(
        check(&mut s, PATIENT, RESPONDER, ES, Purpose::Treatment),
        AccessDecision::Denied(DenyReason::NoConsent)
    );
    assert_eq!(
        check(&mut s, PATIENT, RESPONDER, ES.union(DataCategories::MENTAL_HEALTH), Purpose::EmergencyTreatment),
        AccessDecision::Denied(DenyReason::NoEmergencyGrant)
    );
    let recorded = s.chain.call(
        account(CUSTODIAN),
        &reg.record_access(account(PATIENT), account(RESPONDER), ES, Purpose::EmergencyTreatment),
    );
    assert_eq!(recorded.events_of::<AccessRecorded>()[0].decision, AccessDecision::PermittedByEmergencyGrant(grant));

    // Under the grant the responder anchors the hash of an emergency note about the patient.
    let mut ra = s.at.anchor();
    let note = s.chain.call(account(RESPONDER), &ra.anchor_record(EMERGENCY_NOTE, Some(account(PATIENT)), ES, None));
    assert_eq!(note.events_of::<RecordAnchored>()[0].issuer, account(RESPONDER));
    let note_id = note.ok().expect("emergency note");
    assert_eq!(
        s.chain.read(&ra.verify(account(RESPONDER), None, EMERGENCY_NOTE)).map(|a| (a.id, a.category)),
        Some((note_id, ES))
    );

    // The grant expires (time set explicitly): refused again, for access and for anchoring.
    s.chain.advance(Policy::DEFAULT.grant_duration);
    assert_eq!(
        check(&mut s, PATIENT, RESPONDER, ES, Purpose::EmergencyTreatment),
        AccessDecision::Denied(DenyReason::NoEmergencyGrant)
    );
    let late = s.chain.call(account(RESPONDER), &ra.anchor_record(NEXT_REPORT, Some(account(PATIENT)), ES, None));
    assert_eq!(late.ok(), Err(AnchoringError::ConsentRefused));

    // Two more grants, then three unjustified reviews suspend the responder.
    let g2 = s.chain.call(account(RESPONDER), &bg.break_glass(account(PATIENT2), ES, [0x12; 32])).ok().expect("g2");
    let g3 = s.chain.call(account(RESPONDER), &bg.break_glass(account(PATIENT3), ES, [0x13; 32])).ok().expect("g3");
    for (i, g) in [grant, g2, g3].into_iter().enumerate() {
        // AUTHORITY registered the responder, so AUTHORITY2 reviews.
        let reviewed = s.chain.call(account(AUTHORITY2), &bg.review_grant(g, false, [0x99; 32]));
        let ev = reviewed.events_of::<GrantReviewed>();
        let suspended = reviewed.events_of::<ResponderSuspended>();
        assert_eq!(reviewed.ok(), Ok(()));
        assert_eq!((ev[0].grant_id, ev[0].justified, ev[0].strikes), (g, false, i as u8 + 1));
        assert_eq!(suspended.len(), usize::from(i == 2));
    }
    assert_eq!(
        check(&mut s, PATIENT2, RESPONDER, ES, Purpose::EmergencyTreatment),
        AccessDecision::Denied(DenyReason::NoEmergencyGrant)
    );
    let refused = s.chain.call(account(RESPONDER), &bg.break_glass(account(STRANGER), ES, [0x14; 32]));
    assert!(refused.reverted && refused.events.is_empty());
    assert_eq!(refused.ok(), Err(break_glass::Error::ResponderSuspended));
}

#[test]
fn a_patients_deny_rule_binds_responders_too() {
    let mut s = Suite::new();
    let now = s.chain.now();
    let (mut bg, mut reg) = (s.at.bg(), s.at.reg());
    let rule = s
        .chain
        .call(
            account(PATIENT),
            &reg.add_deny_rule(
                account(PATIENT),
                None,
                ES,
                PurposeSet::of(Purpose::EmergencyTreatment),
                now,
                now + YEAR,
            ),
        )
        .ok()
        .expect("deny rule");
    s.chain.call(account(RESPONDER), &bg.break_glass(account(PATIENT), ES, [0x11; 32])).ok().expect("grant");
    assert_eq!(
        check(&mut s, PATIENT, RESPONDER, ES, Purpose::EmergencyTreatment),
        AccessDecision::Denied(DenyReason::DeniedByRule(rule))
    );
}

#[test]
fn miswired_registry_denies_clearly_and_never_traps() {
    let mut chain = Chain::new();
    let owner = account(OWNER);
    let unwired = chain.deploy("consent_registry", owner, ConsentRegistryRef::new());
    // A plain account cannot be wired at all.
    let mut reg = builder::<ConsentRegistry>(unwired);
    let plain = chain.peer(account(STRANGER));
    let refused = chain.call(owner, &reg.set_peer(Some(plain)));
    assert!(refused.reverted && refused.events.is_empty());
    assert_eq!(refused.ok(), Err(AdminError::PeerNotContract));
    // A contract of the wrong kind can be wired (it is a contract) but never answers.
    let wrong_contract = chain.deploy("record_anchor", owner, record_anchor::record_anchor::RecordAnchorRef::new());
    let at_wrong_contract = chain.deploy("consent_registry", owner, ConsentRegistryRef::new());
    let mut wrong = builder::<ConsentRegistry>(at_wrong_contract);
    let wrong_contract = chain.peer(wrong_contract);
    chain.call(owner, &wrong.set_peer(Some(wrong_contract))).ok().expect("wire");
    for (registry, reason) in
        [(unwired, DenyReason::BreakGlassNotWired), (at_wrong_contract, DenyReason::BreakGlassUnavailable)]
    {
        let reg = builder::<ConsentRegistry>(registry);
        let out = chain.query(
            account(RESPONDER),
            &reg.check_access(account(PATIENT), account(RESPONDER), ES, Purpose::EmergencyTreatment),
        );
        assert!(!out.reverted);
        assert_eq!(out.value, Ok(AccessDecision::Denied(reason)));
    }
}
