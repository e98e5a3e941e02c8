//! research_registry and consent_registry deployed separately: what crosses the two contracts.
//! A delegate's authority is the registry's answer, never the research contract's; consents
//! are created only by the registry, only for the research contract it trusts; and a patient
//! acting for themself never waits on the registry to deny, block or purge.

use carechain_e2e::suite::*;
use carechain_e2e::{account as a, builder};
use carechain_shared::traits::{ConsentCheck, ResearchConsents};
use carechain_shared::*;
use carechain_shared::{Administration, Wiring};
use consent_registry::events::ConsentGranted;
use research_registry::data::RequestOutcome;
use research_registry::events::RequestClosed;
use research_registry::research_registry::ResearchRegistryRef;
use research_registry::Error as ResearchError;

const LAB: DataCategories = DataCategories::LAB_RESULTS;
const YEAR: u64 = 365 * MS_PER_DAY;
const DAY: u64 = MS_PER_DAY;
const DELEGATE: u8 = 14;
const DOC: Hash32 = [0xD0; 32];

/// The suite with one approved study of `RESEARCHER` that asked `PATIENT`, and `DELEGATE`
/// appointed by `PATIENT` for 30 days.
fn asked() -> (Suite, StudyId) {
    let mut s = Suite::new();
    let now = s.chain.now();
    let study = s.approved_study(RESEARCHER, LAB, now + YEAR);
    let (mut reg, mut res) = (s.at.reg(), s.at.res());
    s.chain.call(a(PATIENT), &reg.appoint_delegate(a(DELEGATE), now + 30 * DAY)).ok().expect("appoint");
    s.chain.call(a(RESEARCHER), &res.request_access(study, a(PATIENT))).ok().expect("request");
    (s, study)
}

#[test]
fn a_delegate_answers_with_the_authority_the_registry_gives_it() {
    let (mut s, study) = asked();
    let mut res = s.at.res();
    let now = s.chain.now();
    let out = s.chain.call(a(DELEGATE), &res.approve_request(a(PATIENT), study, DOC));
    let granted = out.events_of::<ConsentGranted>();
    let closed = out.events_of::<RequestClosed>();
    let consent_id = out.ok().expect("the delegate approves");
    assert_eq!(closed[0].outcome, RequestOutcome::Approved(consent_id));
    assert_eq!(closed[0].closed_by, a(DELEGATE));
    // The registry capped the consent at the delegation, not at the study's end.
    assert_eq!((granted[0].granted_by, granted[0].valid_until), (a(DELEGATE), now + 30 * DAY));
    let decision = s.chain.read(&s.at.reg().check_access(a(PATIENT), a(RESEARCHER), LAB, Purpose::Research));
    assert_eq!(decision, AccessDecision::PermittedByConsent(consent_id));

    // A block the patient set binds the delegate: it cannot lift it.
    s.chain.call(a(PATIENT), &res.block_researcher(a(PATIENT), a(RESEARCHER))).ok().expect("block");
    s.assert_refused(
        a(DELEGATE),
        &res.unblock_researcher(a(PATIENT), a(RESEARCHER)),
        ResearchError::DelegateCannotLift,
    );
    // Once the delegation lapses, the registry no longer vouches for it.
    s.chain.advance(30 * DAY);
    s.assert_refused(a(DELEGATE), &res.purge_expired(a(PATIENT)), ResearchError::NotAuthorized);
}

#[test]
fn only_the_patient_or_an_active_delegate_answers_on_chain() {
    let (mut s, study) = asked();
    let mut res = s.at.res();
    for who in [STRANGER, RESEARCHER, OWNER, ETHICS, PATIENT2] {
        s.assert_refused(a(who), &res.approve_request(a(PATIENT), study, DOC), ResearchError::NotAuthorized);
        s.assert_refused(a(who), &res.deny_request(a(PATIENT), study), ResearchError::NotAuthorized);
        s.assert_refused(a(who), &res.join_study(a(PATIENT), study, DOC), ResearchError::NotAuthorized);
        s.assert_refused(a(who), &res.block_researcher(a(PATIENT), a(RESEARCHER)), ResearchError::NotAuthorized);
        s.assert_refused(a(who), &res.unblock_researcher(a(PATIENT), a(RESEARCHER)), ResearchError::NotAuthorized);
        s.assert_refused(a(who), &res.purge_expired(a(PATIENT)), ResearchError::NotAuthorized);
    }
}

#[test]
fn only_the_trusted_research_contract_creates_consents() {
    let (mut s, study) = asked();
    let mut reg = s.at.reg();
    let terms =
        ResearchTerms { study_id: study, researcher: a(RESEARCHER), categories: LAB, ends_at: s.chain.now() + YEAR };
    // Called directly, by anyone — the patient included — it creates nothing.
    for who in [STRANGER, RESEARCHER, PATIENT, OWNER] {
        s.assert_refused(
            a(who),
            &reg.grant_research_consent(a(PATIENT), a(PATIENT), terms, DOC),
            GrantRefusal::NotAuthorized,
        );
    }
    // A second research_registry, the same code at another address, wired by its own owner:
    // the registry trusts an address *and* a code, so its joins are refused.
    let rogue = s.chain.deploy("research_registry", a(STRANGER), ResearchRegistryRef::new());
    let mut rogue_ref = builder::<research_registry::research_registry::ResearchRegistry>(rogue);
    let registry = s.chain.peer(s.at.registry);
    s.chain.call(a(STRANGER), &rogue_ref.set_peer(Some(registry))).ok().expect("wired by its owner");
    s.chain.call(a(STRANGER), &rogue_ref.set_ethics_approver(a(STRANGER), true)).ok().expect("own approver");
    let rogue_study =
        s.chain.call(a(RESEARCHER), &rogue_ref.register_study([9; 32], LAB, s.chain.now() + YEAR)).ok().expect("study");
    s.chain.call(a(STRANGER), &rogue_ref.approve_study(rogue_study, [8; 32])).ok().expect("approved by itself");
    s.assert_refused(a(PATIENT), &rogue_ref.join_study(a(PATIENT), rogue_study, DOC), ResearchError::NotAuthorized);
    let decision = s.chain.read(&reg.check_access(a(PATIENT), a(RESEARCHER), LAB, Purpose::Research));
    assert_eq!(decision, AccessDecision::Denied(DenyReason::NoConsent));
    // …while the trusted one still does.
    let mut res = s.at.res();
    assert!(s.chain.call(a(PATIENT), &res.approve_request(a(PATIENT), study, DOC)).ok().is_ok());
}

#[test]
fn a_patient_never_waits_on_the_registry_to_narrow() {
    let (mut s, study) = asked();
    let mut res = s.at.res();
    // The registry paused: approvals are refused whole (the request stays), denials work.
    s.chain.call(a(OWNER), &s.at.reg().set_paused(true)).ok().expect("pause the registry");
    s.assert_refused(a(PATIENT), &res.approve_request(a(PATIENT), study, DOC), ResearchError::Paused);
    assert!(s.chain.read(&res.request(a(PATIENT), study)).is_some(), "the request is still there");
    s.chain.call(a(OWNER), &s.at.reg().set_paused(false)).ok().expect("resume");

    // research_registry unwired from the registry: the patient still denies, blocks and purges;
    // a delegate's authority and new consents cannot be had.
    s.chain.call(a(OWNER), &res.set_peer(None)).ok().expect("unwire");
    s.assert_refused(a(DELEGATE), &res.block_researcher(a(PATIENT), a(RESEARCHER)), ResearchError::RegistryNotWired);
    s.assert_refused(a(PATIENT), &res.approve_request(a(PATIENT), study, DOC), ResearchError::RegistryNotWired);
    let denied = s.chain.call(a(PATIENT), &res.deny_request(a(PATIENT), study));
    assert_eq!(denied.events_of::<RequestClosed>()[0].outcome, RequestOutcome::Denied);
    s.chain.call(a(PATIENT), &res.block_researcher(a(PATIENT), a(RESEARCHER))).ok().expect("block");
    s.chain.call(a(PATIENT), &res.purge_expired(a(PATIENT))).ok().expect("purge");
    assert_eq!(s.chain.read(&res.admin()).owner, a(OWNER));
}
