//! Races between parties: every pair of messages by two different parties whose order changes
//! the outcome is a front-running opportunity on a chain whose pool is public. Each test here
//! sets one pair up, runs it in **both** orders from the same state (a snapshot of the chain),
//! and asserts the outcome docs/threat-model.md ("Races between parties") says each order must
//! have — in particular, that whoever sees the other's transaction first gains nothing the
//! rules deny it.

use carechain_e2e::suite::*;
use carechain_e2e::{account, Outcome};
use carechain_shared::*;
use carechain_shared::{AdminError, Administration, Wiring};
use consent_registry::events::{AccessRecorded, ConsentRevoked};
use consent_registry::Error as RegistryError;
use ink::primitives::AccountId;
use pharma_ledger::data::{PackId, PartnerRole};
use pharma_ledger::pack::PackStatus;
use pharma_ledger::Error as LedgerError;
use record_anchor::data::AnchorStatus;
use research_registry::events::ResearcherBlocked;
use research_registry::Error as ResearchError;

const LAB: DataCategories = DataCategories::LAB_RESULTS;
const ES: DataCategories = DataCategories::EMERGENCY_SUMMARY;
const TREAT: PurposeSet = PurposeSet::of(Purpose::Treatment);
const YEAR: u64 = 365 * MS_PER_DAY;
const DAY: u64 = MS_PER_DAY;

fn a(n: u8) -> AccountId {
    account(n)
}

/// Runs `one_order` and then, from the same state, `other_order`.
fn both_orders(s: &mut Suite, one_order: impl FnOnce(&mut Suite), other_order: impl FnOnce(&mut Suite)) {
    let (snapshot, at) = (s.chain.snapshot(), s.chain.now());
    one_order(s);
    s.chain.restore(snapshot, at);
    other_order(s);
}

/// The call went through.
fn done<T: core::fmt::Debug, E: core::fmt::Debug>(out: Outcome<Result<T, E>>) -> T {
    assert!(!out.reverted, "reverted: {:?}", out.value);
    match out.value {
        Ok(Ok(v)) => v,
        other => panic!("expected success, got {other:?}"),
    }
}

fn pack(n: u32) -> PackId {
    (GTIN, serial(n))
}

// ----- wiring ----------------------------------------------------------------------------------

/// Re-pin (the caller's owner) vs code swap (whoever controls the peer): the swapped code is
/// never trusted, in either order.
#[test]
fn re_pin_vs_code_swap() {
    let mut s = Suite::new();
    let honest = s.chain.peer(s.at.break_glass);
    let hostile = s.chain.upload("hostile_peer", a(OWNER));
    let (re_pin, swap) = (s.at.reg().set_peer(Some(honest)), s.at.bg().set_code_hash(hostile));
    let no_forged_permit = |s: &mut Suite| {
        let d = s.check(PATIENT, STRANGER, ES, Purpose::EmergencyTreatment);
        assert_eq!(d, AccessDecision::Denied(DenyReason::BreakGlassUnavailable));
    };
    both_orders(
        &mut s,
        |s| {
            done(s.chain.call(a(OWNER), &re_pin));
            done(s.chain.call(a(OWNER), &swap));
            no_forged_permit(s);
        },
        |s| {
            done(s.chain.call(a(OWNER), &swap));
            s.assert_refused(a(OWNER), &re_pin, AdminError::PeerCodeMismatch);
            no_forged_permit(s);
        },
    );
}

// ----- consent_registry --------------------------------------------------------------------------

/// Revoke (patient) vs record_access (custodian): each order is on record with the decision in
/// force when it ran; after both, nothing permits.
#[test]
fn revoke_vs_record_access() {
    let mut s = Suite::new();
    let consent = s.grant_lab_for_treatment(PATIENT, PROVIDER).ok().expect("grant");
    let mut reg = s.at.reg();
    let (revoke, record) =
        (reg.revoke_consent(consent), reg.record_access(a(PATIENT), a(PROVIDER), LAB, Purpose::Treatment));
    let recorded = |s: &mut Suite| -> AccessDecision {
        let out = s.chain.call(a(CUSTODIAN), &record);
        let on_record: Vec<AccessDecision> = out.events_of::<AccessRecorded>().iter().map(|e| e.decision).collect();
        let decision = done(out);
        assert_eq!(on_record, vec![decision], "the decision returned is the one on record");
        decision
    };
    both_orders(
        &mut s,
        |s| {
            done(s.chain.call(a(PATIENT), &revoke));
            assert_eq!(recorded(s), AccessDecision::Denied(DenyReason::NoConsent));
        },
        |s| {
            assert_eq!(recorded(s), AccessDecision::PermittedByConsent(consent));
            done(s.chain.call(a(PATIENT), &revoke));
            assert_eq!(
                s.check(PATIENT, PROVIDER, LAB, Purpose::Treatment),
                AccessDecision::Denied(DenyReason::NoConsent)
            );
        },
    );
}

/// Removing (or shortening) a delegation (patient) vs the delegate's grant: either the grant is
/// refused, or the removal revokes it — no consent of that delegate outlives its authority.
#[test]
fn remove_or_shorten_a_delegate_vs_its_grant() {
    let mut s = Suite::new();
    let now = s.chain.now();
    let mut reg = s.at.reg();
    done(s.chain.call(a(PATIENT), &reg.appoint_delegate(a(DELEGATE), now + YEAR)));
    let grant = reg.grant_consent(a(PATIENT), a(PROVIDER), LAB, TREAT, now, now + YEAR - DAY, [7; 32]);
    let (remove, shorten) = (reg.remove_delegate(a(DELEGATE)), reg.appoint_delegate(a(DELEGATE), now + DAY));
    let (g1, g2, r2) = (grant.clone(), grant.clone(), remove.clone());
    let (s1, s2) = (shorten.clone(), shorten.clone());
    let (setup, at) = (s.chain.snapshot(), s.chain.now());
    both_orders(
        &mut s,
        |s| {
            done(s.chain.call(a(PATIENT), &remove));
            s.assert_refused(a(DELEGATE), &g1, RegistryError::NotAuthorized);
        },
        |s| {
            let id = done(s.chain.call(a(DELEGATE), &g2));
            let out = s.chain.call(a(PATIENT), &r2);
            assert_eq!(out.events_of::<ConsentRevoked>().iter().map(|e| e.consent_id).collect::<Vec<_>>(), vec![id]);
            assert_eq!(
                s.check(PATIENT, PROVIDER, LAB, Purpose::Treatment),
                AccessDecision::Denied(DenyReason::NoConsent)
            );
        },
    );
    s.chain.restore(setup, at);
    both_orders(
        &mut s,
        |s| {
            done(s.chain.call(a(PATIENT), &s1));
            s.assert_refused(a(DELEGATE), &grant, RegistryError::ExceedsDelegation);
        },
        |s| {
            let id = done(s.chain.call(a(DELEGATE), &grant));
            let out = s.chain.call(a(PATIENT), &s2);
            assert_eq!(out.events_of::<ConsentRevoked>().iter().map(|e| e.consent_id).collect::<Vec<_>>(), vec![id]);
        },
    );
}

// ----- research_registry -------------------------------------------------------------------------

/// Deny (patient) vs withdraw (researcher): whichever lands, the study cools down.
#[test]
fn deny_vs_withdraw() {
    let mut s = Suite::new();
    let now = s.chain.now();
    let mut res = s.at.res();
    let study = s.approved_study(RESEARCHER, LAB, now + YEAR);
    done(s.chain.call(a(RESEARCHER), &res.request_access(study, a(PATIENT))));
    let (deny, withdraw, again) = (
        res.deny_request(a(PATIENT), study),
        res.withdraw_request(study, a(PATIENT)),
        res.request_access(study, a(PATIENT)),
    );
    both_orders(
        &mut s,
        |s| {
            done(s.chain.call(a(PATIENT), &deny));
            s.assert_refused(a(RESEARCHER), &withdraw, ResearchError::UnknownRequest);
            s.assert_refused(a(RESEARCHER), &again, ResearchError::CoolingDown);
        },
        |s| {
            done(s.chain.call(a(RESEARCHER), &withdraw));
            s.assert_refused(a(PATIENT), &deny, ResearchError::UnknownRequest);
            s.assert_refused(a(RESEARCHER), &again, ResearchError::CoolingDown);
        },
    );
}

/// Approve (patient) vs withdraw (researcher): a consent if the approval lands first (the
/// patient's to revoke), a cool-down if the withdrawal does — never both, never neither.
#[test]
fn approve_vs_withdraw() {
    let mut s = Suite::new();
    let now = s.chain.now();
    let mut res = s.at.res();
    let study = s.approved_study(RESEARCHER, LAB, now + YEAR);
    done(s.chain.call(a(RESEARCHER), &res.request_access(study, a(PATIENT))));
    let (approve, withdraw) =
        (res.approve_request(a(PATIENT), study, [6; 32]), res.withdraw_request(study, a(PATIENT)));
    both_orders(
        &mut s,
        |s| {
            let consent = done(s.chain.call(a(PATIENT), &approve));
            s.assert_refused(a(RESEARCHER), &withdraw, ResearchError::UnknownRequest);
            assert_eq!(
                s.check(PATIENT, RESEARCHER, LAB, Purpose::Research),
                AccessDecision::PermittedByConsent(consent)
            );
        },
        |s| {
            done(s.chain.call(a(RESEARCHER), &withdraw));
            s.assert_refused(a(PATIENT), &approve, ResearchError::UnknownRequest);
            let res = s.at.res();
            assert!(s.chain.read(&res.cooldown_until(a(PATIENT), study)).is_some());
        },
    );
}

/// The patient's block vs a researcher-delegate's self-block, and vs a colluding delegate's
/// block: in every order the block ends up the patient's, and only the patient lifts it.
#[test]
fn block_vs_self_block() {
    let mut s = Suite::new();
    let now = s.chain.now();
    let (mut reg, mut res) = (s.at.reg(), s.at.res());
    for d in [RESEARCHER, DELEGATE] {
        done(s.chain.call(a(PATIENT), &reg.appoint_delegate(a(d), now + YEAR)));
    }
    let (setup, at) = (s.chain.snapshot(), s.chain.now());
    let by_patient = res.block_researcher(a(PATIENT), a(RESEARCHER));
    let (by_patient2, by_patient3, by_patient4) = (by_patient.clone(), by_patient.clone(), by_patient.clone());
    let unblock = res.unblock_researcher(a(PATIENT), a(RESEARCHER));
    let blocked_by = |out: Outcome<research_registry::Result<()>>| {
        let ev = out.events_of::<ResearcherBlocked>();
        done(out);
        ev[0].by
    };
    let researcher_is_bound = |s: &mut Suite| {
        let mut res = s.at.res();
        s.assert_refused(a(RESEARCHER), &res.unblock_researcher(a(PATIENT), a(RESEARCHER)), ResearchError::SelfBlock);
        s.assert_refused(
            a(DELEGATE),
            &res.unblock_researcher(a(PATIENT), a(RESEARCHER)),
            ResearchError::DelegateCannotLift,
        );
        assert!(s.chain.read(&res.is_blocked(a(PATIENT), a(RESEARCHER))));
    };
    let self_block = res.block_researcher(a(PATIENT), a(RESEARCHER));
    both_orders(
        &mut s,
        |s| {
            let out = s.chain.call(a(PATIENT), &by_patient);
            assert_eq!(blocked_by(out), a(PATIENT));
            s.assert_refused(a(RESEARCHER), &self_block, ResearchError::SelfBlock);
            researcher_is_bound(s);
        },
        |s| {
            s.assert_refused(a(RESEARCHER), &self_block, ResearchError::SelfBlock);
            let out = s.chain.call(a(PATIENT), &by_patient2);
            assert_eq!(blocked_by(out), a(PATIENT));
            researcher_is_bound(s);
        },
    );
    let by_delegate = res.block_researcher(a(PATIENT), a(RESEARCHER));
    s.chain.restore(setup, at);
    both_orders(
        &mut s,
        |s| {
            let out = s.chain.call(a(DELEGATE), &by_delegate);
            assert_eq!(blocked_by(out), a(DELEGATE));
            let out = s.chain.call(a(PATIENT), &by_patient3);
            assert_eq!(blocked_by(out), a(PATIENT), "the patient makes the block its own");
            researcher_is_bound(s);
        },
        |s| {
            let out = s.chain.call(a(PATIENT), &by_patient4);
            assert_eq!(blocked_by(out), a(PATIENT));
            s.assert_refused(a(DELEGATE), &by_delegate, ResearchError::Unchanged);
            researcher_is_bound(s);
        },
    );
    // The patient lifts it.
    done(s.chain.call(a(PATIENT), &unblock));
    let res = s.at.res();
    assert!(!s.chain.read(&res.is_blocked(a(PATIENT), a(RESEARCHER))));
}

/// Suspend a study (ethics approver) vs a patient's approval: approved first, the consent
/// stands and is the patient's to revoke; suspended first, the approval is refused.
#[test]
fn suspend_study_vs_approve_request() {
    let mut s = Suite::new();
    let now = s.chain.now();
    let mut res = s.at.res();
    let study = s.approved_study(RESEARCHER, LAB, now + YEAR);
    done(s.chain.call(a(RESEARCHER), &res.request_access(study, a(PATIENT))));
    let (suspend, approve) = (res.suspend_study(study), res.approve_request(a(PATIENT), study, [6; 32]));
    both_orders(
        &mut s,
        |s| {
            done(s.chain.call(a(ETHICS), &suspend));
            s.assert_refused(a(PATIENT), &approve, ResearchError::StudyNotApproved);
        },
        |s| {
            let consent = done(s.chain.call(a(PATIENT), &approve));
            done(s.chain.call(a(ETHICS), &suspend));
            let mut reg = s.at.reg();
            done(s.chain.call(a(PATIENT), &reg.revoke_consent(consent)));
        },
    );
}

// ----- break_glass ---------------------------------------------------------------------------------

/// Suspend a responder (authority) vs its break-glass: refused after the suspension, ended by
/// it before — no active grant either way.
#[test]
fn suspend_responder_vs_break_glass() {
    let mut s = Suite::new();
    let mut bg = s.at.bg();
    let (suspend, brk) = (bg.suspend_responder(a(RESPONDER)), bg.break_glass(a(PATIENT), ES, [0x11; 32]));
    both_orders(
        &mut s,
        |s| {
            done(s.chain.call(a(AUTHORITY), &suspend));
            s.assert_refused(a(RESPONDER), &brk, break_glass::Error::ResponderSuspended);
        },
        |s| {
            done(s.chain.call(a(RESPONDER), &brk));
            done(s.chain.call(a(AUTHORITY), &suspend));
            let d = s.check(PATIENT, RESPONDER, ES, Purpose::EmergencyTreatment);
            assert_eq!(d, AccessDecision::Denied(DenyReason::NoEmergencyGrant));
        },
    );
}

/// An unjustified review (authority) vs the responder ending its grant: the grant ends either
/// way and the strike counts either way — ending first dodges nothing.
#[test]
fn review_vs_end_grant() {
    let mut s = Suite::new();
    let mut bg = s.at.bg();
    let grant = done(s.chain.call(a(RESPONDER), &bg.break_glass(a(PATIENT), ES, [0x11; 32])));
    let (review, end) = (bg.review_grant(grant, false, [8; 32]), bg.end_grant(grant));
    let strikes = |s: &mut Suite| s.chain.read(&s.at.bg().responder(a(RESPONDER))).map(|r| r.strikes);
    both_orders(
        &mut s,
        |s| {
            done(s.chain.call(a(AUTHORITY2), &review));
            s.assert_refused(a(RESPONDER), &end, break_glass::Error::GrantNotActive);
            assert_eq!(strikes(s), Some(1));
        },
        |s| {
            done(s.chain.call(a(RESPONDER), &end));
            done(s.chain.call(a(AUTHORITY2), &review));
            assert_eq!(strikes(s), Some(1));
        },
    );
}

/// Opting out (patient) vs a break-glass: opted out first, refused; the grant first, it stands
/// (an opt-out governs later breaks) — and the patient's deny rule for emergency treatment
/// cuts it at once, since deny always wins.
#[test]
fn opt_out_vs_break_glass() {
    let mut s = Suite::new();
    let now = s.chain.now();
    let (mut bg, mut reg) = (s.at.bg(), s.at.reg());
    let (opt_out, brk) = (bg.set_emergency_preferences(ES, true), bg.break_glass(a(PATIENT), ES, [0x11; 32]));
    both_orders(
        &mut s,
        |s| {
            done(s.chain.call(a(PATIENT), &opt_out));
            s.assert_refused(a(RESPONDER), &brk, break_glass::Error::PatientOptedOut);
        },
        |s| {
            let grant = done(s.chain.call(a(RESPONDER), &brk));
            done(s.chain.call(a(PATIENT), &opt_out));
            let d = s.check(PATIENT, RESPONDER, ES, Purpose::EmergencyTreatment);
            assert_eq!(d, AccessDecision::PermittedByEmergencyGrant(grant));
            let etreat = PurposeSet::of(Purpose::EmergencyTreatment);
            let rule = done(
                s.chain
                    .call(a(PATIENT), &reg.add_deny_rule(a(PATIENT), Some(a(RESPONDER)), ES, etreat, now, now + DAY)),
            );
            let d = s.check(PATIENT, RESPONDER, ES, Purpose::EmergencyTreatment);
            assert_eq!(d, AccessDecision::Denied(DenyReason::DeniedByRule(rule)));
        },
    );
}

// ----- record_anchor -------------------------------------------------------------------------------

/// The hospital and the patient both supersede the same latest version: the first lands, the
/// second is told `NotCurrent` and may supersede the new latest version — the record never forks.
#[test]
fn supersede_vs_supersede() {
    let mut s = Suite::new();
    s.grant_lab_for_treatment(PATIENT, PROVIDER).ok().expect("grant");
    let mut ra = s.at.anchor();
    let v1 = done(s.chain.call(a(PROVIDER), &ra.anchor_record([0x01; 32], Some(a(PATIENT)), LAB, None)));
    let by_hospital = ra.anchor_record([0x02; 32], Some(a(PATIENT)), LAB, Some(v1));
    let by_patient = ra.anchor_record([0x03; 32], Some(a(PATIENT)), LAB, Some(v1));
    let run = |s: &mut Suite, first: (u8, _), second: (u8, _), retry: (u8, Hash32)| {
        let v2 = done(s.chain.call(a(first.0), &first.1));
        s.assert_refused(a(second.0), &second.1, AnchoringError::NotCurrent);
        let mut ra = s.at.anchor();
        let v3 = done(s.chain.call(a(retry.0), &ra.anchor_record(retry.1, Some(a(PATIENT)), LAB, Some(v2))));
        assert_eq!(
            s.chain.read(&ra.anchor(v3)).map(|x| (x.status, x.supersedes)),
            Some((AnchorStatus::Current, Some(v2)))
        );
    };
    let (h2, p2) = (by_hospital.clone(), by_patient.clone());
    both_orders(
        &mut s,
        |s| run(s, (PROVIDER, by_hospital), (PATIENT, by_patient), (PATIENT, [0x03; 32])),
        |s| run(s, (PATIENT, p2), (PROVIDER, h2), (PROVIDER, [0x02; 32])),
    );
}

/// The issuer retracts the latest version while the patient supersedes it: either order, the
/// chain goes on from it and the retraction stands.
#[test]
fn retract_vs_supersede() {
    let mut s = Suite::new();
    s.grant_lab_for_treatment(PATIENT, PROVIDER).ok().expect("grant");
    let mut ra = s.at.anchor();
    let v1 = done(s.chain.call(a(PROVIDER), &ra.anchor_record([0x01; 32], Some(a(PATIENT)), LAB, None)));
    let (retract, supersede) =
        (ra.mark_entered_in_error(v1, [0xEE; 32]), ra.anchor_record([0x02; 32], Some(a(PATIENT)), LAB, Some(v1)));
    let outcome = |s: &mut Suite, v2: AnchorId| {
        let ra = s.at.anchor();
        let (r1, r2) = (s.chain.read(&ra.anchor(v1)).expect("v1"), s.chain.read(&ra.anchor(v2)).expect("v2"));
        assert_eq!((r1.status, r1.superseded_by), (AnchorStatus::EnteredInError, Some(v2)));
        assert_eq!((r2.status, r2.supersedes), (AnchorStatus::Current, Some(v1)));
    };
    let (retract2, supersede2) = (retract.clone(), supersede.clone());
    both_orders(
        &mut s,
        |s| {
            done(s.chain.call(a(PROVIDER), &retract));
            let v2 = done(s.chain.call(a(PATIENT), &supersede));
            outcome(s, v2);
        },
        |s| {
            let v2 = done(s.chain.call(a(PATIENT), &supersede2));
            done(s.chain.call(a(PROVIDER), &retract2));
            outcome(s, v2);
        },
    );
}

/// The patient revokes the hospital's consent while the hospital supersedes its own record's
/// latest version: the record's first issuer continues its own record within its first
/// categories whatever the consent says now — the version lands in either order.
#[test]
fn revoke_consent_vs_supersede_own_record() {
    let mut s = Suite::new();
    let consent = s.grant_lab_for_treatment(PATIENT, PROVIDER).ok().expect("grant");
    let (mut ra, mut reg) = (s.at.anchor(), s.at.reg());
    let v1 = done(s.chain.call(a(PROVIDER), &ra.anchor_record([0x01; 32], Some(a(PATIENT)), LAB, None)));
    let (revoke, supersede) =
        (reg.revoke_consent(consent), ra.anchor_record([0x02; 32], Some(a(PATIENT)), LAB, Some(v1)));
    let landed = |s: &mut Suite, v2: AnchorId| {
        let ra = s.at.anchor();
        assert_eq!(
            s.chain.read(&ra.anchor(v2)).map(|x| (x.status, x.supersedes)),
            Some((AnchorStatus::Current, Some(v1)))
        );
    };
    both_orders(
        &mut s,
        |s| {
            done(s.chain.call(a(PATIENT), &revoke));
            let v2 = done(s.chain.call(a(PROVIDER), &supersede));
            landed(s, v2);
        },
        |s| {
            let v2 = done(s.chain.call(a(PROVIDER), &supersede));
            done(s.chain.call(a(PATIENT), &revoke));
            landed(s, v2);
        },
    );
}

// ----- pharma_ledger -------------------------------------------------------------------------------

/// Two partners claim one GTIN: neither claim blocks the other, and the regulator's approval —
/// not the order — decides who holds it.
#[test]
fn claim_vs_claim() {
    let mut s = Suite::new();
    let mut pl = s.at.ledger();
    for (who, role) in [(BRAND, PartnerRole::Manufacturer), (SQUATTER, PartnerRole::Repackager)] {
        done(s.chain.call(a(OWNER), &pl.register_partner(a(who), role, [who; 32])));
    }
    let (brand, squat) = (pl.claim_gtin(GTIN, [0xB1; 32]), pl.claim_gtin(GTIN, [0x5A; 32]));
    let (approve_brand, approve_squat) =
        (pl.approve_gtin_claim(GTIN, a(BRAND)), pl.approve_gtin_claim(GTIN, a(SQUATTER)));
    let decide = |s: &mut Suite| {
        done(s.chain.call(a(OWNER), &approve_brand));
        s.assert_refused(a(OWNER), &approve_squat, LedgerError::GtinTaken);
        let pl = s.at.ledger();
        assert_eq!(s.chain.read(&pl.gtin(GTIN)).map(|g| g.owner), Some(a(BRAND)));
    };
    let (brand2, squat2) = (brand.clone(), squat.clone());
    both_orders(
        &mut s,
        |s| {
            done(s.chain.call(a(BRAND), &brand));
            done(s.chain.call(a(SQUATTER), &squat));
            decide(s);
        },
        |s| {
            done(s.chain.call(a(SQUATTER), &squat2));
            done(s.chain.call(a(BRAND), &brand2));
            decide(s);
        },
    );
}

/// Revoking a holding (regulator) vs its holder's commissioning: refused after the revocation,
/// withdrawn by it before — no genuine pack of a revoked holding either way.
#[test]
fn revoke_gtin_vs_commission() {
    let mut s = Suite::new();
    let mut pl = s.supply_chain();
    let (revoke, commission) =
        (pl.revoke_gtin(GTIN, 1), pl.commission(GTIN, b"LOT-R".to_vec(), EXPIRY, vec![serial(50)]));
    both_orders(
        &mut s,
        |s| {
            done(s.chain.call(a(OWNER), &revoke));
            s.assert_refused(a(BRAND), &commission, LedgerError::GtinRevoked);
        },
        |s| {
            done(s.chain.call(a(BRAND), &commission));
            done(s.chain.call(a(OWNER), &revoke));
            let pl = s.at.ledger();
            assert!(s.chain.read(&pl.verify(GTIN, serial(50), b"LOT-R".to_vec(), EXPIRY)).withdrawn);
        },
    );
}

/// Recall (the GTIN's holder) vs ship (a custodian): refused after the recall; shipped before,
/// the packs move but never reach a patient.
#[test]
fn recall_vs_ship() {
    let mut s = Suite::new();
    let mut pl = s.supply_chain();
    let (recall, ship) = (pl.recall_lot(GTIN, lot()), pl.ship(vec![pack(0)], a(PHARMACY), [0x51; 32]));
    both_orders(
        &mut s,
        |s| {
            done(s.chain.call(a(BRAND), &recall));
            s.assert_refused(a(BRAND), &ship, LedgerError::Recalled);
        },
        |s| {
            let shipment = done(s.chain.call(a(BRAND), &ship));
            done(s.chain.call(a(BRAND), &recall));
            let mut pl = s.at.ledger();
            done(s.chain.call(a(PHARMACY), &pl.receive(shipment, vec![pack(0)])));
            s.assert_refused(a(PHARMACY), &pl.dispense(GTIN, serial(0), lot(), EXPIRY), LedgerError::Recalled);
        },
    );
}

/// Recall vs dispense at the pharmacy: refused after the recall; a dispense that landed first
/// is on record and can no longer be undone back into supply.
#[test]
fn recall_vs_dispense() {
    let mut s = Suite::new();
    let mut pl = s.supply_chain();
    let shipment = done(s.chain.call(a(BRAND), &pl.ship(vec![pack(0)], a(PHARMACY), [0x51; 32])));
    done(s.chain.call(a(PHARMACY), &pl.receive(shipment, vec![pack(0)])));
    let (recall, dispense) = (pl.recall_lot(GTIN, lot()), pl.dispense(GTIN, serial(0), lot(), EXPIRY));
    let undo = pl.undo(GTIN, serial(0));
    both_orders(
        &mut s,
        |s| {
            done(s.chain.call(a(OWNER), &recall));
            s.assert_refused(a(PHARMACY), &dispense, LedgerError::Recalled);
        },
        |s| {
            done(s.chain.call(a(PHARMACY), &dispense));
            done(s.chain.call(a(OWNER), &recall));
            s.assert_refused(a(PHARMACY), &undo, LedgerError::Recalled);
        },
    );
}

/// A suspect flag (any partner) vs ship: refused after the flag; a shipped pack is quarantined
/// in transit and never dispensed.
#[test]
fn flag_suspect_vs_ship() {
    let mut s = Suite::new();
    let mut pl = s.supply_chain();
    let (flag, ship) = (pl.flag_suspect(GTIN, serial(0), [0x0E; 32]), pl.ship(vec![pack(0)], a(PHARMACY), [0x51; 32]));
    both_orders(
        &mut s,
        |s| {
            done(s.chain.call(a(WHOLESALER), &flag));
            s.assert_refused(a(BRAND), &ship, LedgerError::Quarantined);
        },
        |s| {
            let shipment = done(s.chain.call(a(BRAND), &ship));
            done(s.chain.call(a(WHOLESALER), &flag));
            let mut pl = s.at.ledger();
            done(s.chain.call(a(PHARMACY), &pl.receive(shipment, vec![pack(0)])));
            s.assert_refused(a(PHARMACY), &pl.dispense(GTIN, serial(0), lot(), EXPIRY), LedgerError::Quarantined);
        },
    );
}

/// The regulator returns a shipment vs its recipient receiving it: exactly one of them settles
/// it, and the other is told it is no longer in transit.
#[test]
fn cancel_shipment_vs_receive() {
    let mut s = Suite::new();
    let mut pl = s.supply_chain();
    let shipment = done(s.chain.call(a(BRAND), &pl.ship(vec![pack(0)], a(WHOLESALER), [0x51; 32])));
    let (cancel, receive) = (pl.cancel_shipment(shipment, vec![pack(0)]), pl.receive(shipment, vec![pack(0)]));
    let holder = |s: &mut Suite| s.chain.read(&s.at.ledger().pack(GTIN, serial(0))).map(|p| (p.status, p.custodian));
    both_orders(
        &mut s,
        |s| {
            done(s.chain.call(a(OWNER), &cancel));
            s.assert_refused(a(WHOLESALER), &receive, LedgerError::NotInTransit);
            assert_eq!(holder(s), Some((PackStatus::Active, a(BRAND))));
        },
        |s| {
            done(s.chain.call(a(WHOLESALER), &receive));
            s.assert_refused(a(OWNER), &cancel, LedgerError::NotInTransit);
            assert_eq!(holder(s), Some((PackStatus::Active, a(WHOLESALER))));
        },
    );
}
