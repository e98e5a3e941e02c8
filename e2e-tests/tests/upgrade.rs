//! Scenario 5: every contract is upgraded in place with `set_code_hash` to a second build (the
//! same source with feature `upgrade-probe`, which adds one message) and still reads the state
//! the first build wrote. Each caller pinned its peer's code: until its owner re-wires it, the
//! upgraded peer is not trusted; once re-pinned, every hop works again.

use carechain_e2e::suite::*;
use carechain_e2e::{account, builder, built_with_features, upgrade_probe, CallFailure};
use carechain_shared::events::CodeUpgraded;
use carechain_shared::traits::ConsentCheck;
use carechain_shared::*;
use carechain_shared::{AdminError, Administration, Wiring};
use ink::primitives::AccountId;
use pharma_ledger::data::PartnerRole;
use pharma_ledger::pack::PackStatus;
use pharma_ledger::pharma_ledger::PharmaLedger;

const LAB: DataCategories = DataCategories::LAB_RESULTS;
const ES: DataCategories = DataCategories::EMERGENCY_SUMMARY;
const MANUFACTURER: u8 = 20;
const WHOLESALER: u8 = 21;

fn probe(s: &mut Suite, contract: AccountId) -> Result<u32, CallFailure> {
    s.chain.query(account(OWNER), &upgrade_probe(contract)).value
}

#[test]
fn scenario_5_each_contract_upgrades_in_place_and_keeps_its_state_and_wiring() {
    let mut s = Suite::new();
    let (mut reg, mut bg, mut ra, mut res) = (s.at.reg(), s.at.bg(), s.at.anchor(), s.at.res());
    let mut pl = builder::<PharmaLedger>(s.at.pharma_ledger);

    // State written by the first build of each contract.
    let consent = s.grant_lab_for_treatment(PATIENT, PROVIDER).ok().expect("grant");
    let grant =
        s.chain.call(account(RESPONDER), &bg.break_glass(account(PATIENT2), ES, [0x11; 32])).ok().expect("break glass");
    let anchor = s
        .chain
        .call(account(PROVIDER), &ra.anchor_record([0x01; 32], Some(account(PATIENT)), LAB, None))
        .ok()
        .expect("anchor");
    for (who, role) in [(MANUFACTURER, PartnerRole::Manufacturer), (WHOLESALER, PartnerRole::Wholesaler)] {
        s.chain.call(account(OWNER), &pl.register_partner(account(who), role, [who; 32])).ok().expect("partner");
    }
    s.assign_gtin(account(MANUFACTURER), GTIN);
    let serials: Vec<Vec<u8>> = (0..3).map(serial).collect();
    s.chain.call(account(MANUFACTURER), &pl.commission(GTIN, lot(), EXPIRY, serials.clone())).ok().expect("commission");
    let study = s.approved_study(RESEARCHER, LAB, s.chain.now() + 365 * MS_PER_DAY);

    let contracts = s.at.contracts();
    for &(name, address) in &contracts {
        assert!(matches!(probe(&mut s, address), Err(CallFailure::Lang(_))), "{name}: first build has no probe");
    }

    // Only the owner upgrades, and only to code the chain holds.
    assert_eq!(s.chain.call(account(STRANGER), &bg.set_code_hash([0xEE; 32].into())).ok(), Err(AdminError::NotOwner));
    assert_eq!(s.chain.call(account(STRANGER), &reg.set_code_hash([0xEE; 32].into())).ok(), Err(AdminError::NotOwner));
    assert_eq!(s.chain.call(account(STRANGER), &ra.set_code_hash([0xEE; 32].into())).ok(), Err(AdminError::NotOwner));
    assert_eq!(s.chain.call(account(STRANGER), &pl.set_code_hash([0xEE; 32].into())).ok(), Err(AdminError::NotOwner));
    let unknown = s.chain.call(account(OWNER), &reg.set_code_hash([0xEE; 32].into()));
    assert!(unknown.reverted && unknown.events.is_empty());
    assert_eq!(unknown.ok(), Err(AdminError::UpgradeFailed));

    // Upload the second build and switch each contract to it.
    let second = built_with_features("upgrade-probe");
    for &(name, address) in &contracts {
        let old = s.chain.code_hash_of(address).expect("a contract");
        let new = s.chain.upload_wasm(second[name].clone(), account(OWNER));
        assert_ne!(old, new, "{name}: the second build is different code");
        let out = match name {
            "break_glass" => s.chain.call(account(OWNER), &bg.set_code_hash(new)).events,
            "consent_registry" => s.chain.call(account(OWNER), &reg.set_code_hash(new)).events,
            "research_registry" => s.chain.call(account(OWNER), &res.set_code_hash(new)).events,
            "record_anchor" => s.chain.call(account(OWNER), &ra.set_code_hash(new)).events,
            "pharma_ledger" => s.chain.call(account(OWNER), &pl.set_code_hash(new)).events,
            other => panic!("{other}: no upgrade step"),
        };
        let ev: Vec<CodeUpgraded> = out.iter().filter_map(|e| e.decode()).collect();
        assert_eq!(ev.len(), 1, "{name}: one CodeUpgraded event");
        assert_eq!(ev[0].code_hash, new);
        assert_eq!(s.chain.code_hash_of(address), Some(new), "{name}: runs the new code");
        assert_eq!(probe(&mut s, address), Ok(2), "{name}: the second build answers");
    }

    // The state the first build wrote reads the same through the second.
    assert_eq!(
        s.chain.read(&reg.consent(consent)).map(|c| (c.patient, c.accessor)),
        Some((account(PATIENT), account(PROVIDER)))
    );
    assert_eq!(s.chain.read(&bg.grant(grant)).map(|g| g.patient), Some(account(PATIENT2)));
    assert_eq!(s.chain.read(&ra.anchor(anchor)).map(|a| a.patient), Some(Some(account(PATIENT))));
    assert_eq!(s.chain.read(&pl.verify(GTIN, serials[0].clone(), lot(), EXPIRY)).status, Some(PackStatus::Active));
    assert_eq!(s.chain.read(&res.study(study)).map(|st| st.researcher), Some(account(RESEARCHER)));

    // Each caller pinned the old code of its peer: until re-wired, the new code is not trusted.
    assert_eq!(
        s.chain.read(&reg.check_access(account(PATIENT2), account(RESPONDER), ES, Purpose::EmergencyTreatment)),
        AccessDecision::Denied(DenyReason::BreakGlassUnavailable)
    );
    assert_eq!(
        s.chain.call(account(PROVIDER), &ra.anchor_record([0x02; 32], Some(account(PATIENT)), LAB, None)).ok(),
        Err(AnchoringError::RegistryUnavailable)
    );
    assert_eq!(
        s.chain.call(account(MANUFACTURER), &pl.ship(vec![(GTIN, serial(0))], account(WHOLESALER), [0x75; 32])).ok(),
        Err(pharma_ledger::Error::AnchorUnavailable)
    );

    // research_registry re-pinned to the upgraded registry, but the registry still trusts only
    // research_registry's old code: a join is refused by the registry, not by the research side.
    let registry = s.chain.peer(s.at.registry);
    s.chain.call(account(OWNER), &res.set_peer(Some(registry))).ok().expect("re-pin the registry");
    assert_eq!(
        s.chain.call(account(PATIENT), &res.join_study(account(PATIENT), study, [0xD0; 32])).ok(),
        Err(research_registry::Error::NotAuthorized)
    );

    // The owner re-wires (re-pins) each hop; every hop reaches its upgraded peer again.
    s.wire();
    assert!(
        s.chain.call(account(PATIENT), &res.join_study(account(PATIENT), study, [0xD0; 32])).ok().is_ok(),
        "the registry trusts research_registry's new code once re-wired"
    );
    assert_eq!(
        s.chain.read(&reg.peer()).map(|p| p.code_hash),
        s.chain.code_hash_of(s.at.break_glass),
        "the registry now trusts the code break_glass runs"
    );
    assert_eq!(
        s.chain.read(&reg.check_access(account(PATIENT2), account(RESPONDER), ES, Purpose::EmergencyTreatment)),
        AccessDecision::PermittedByEmergencyGrant(grant)
    );
    let second_anchor =
        s.chain.call(account(PROVIDER), &ra.anchor_record([0x02; 32], Some(account(PATIENT)), LAB, None));
    assert!(second_anchor.ok().is_ok(), "anchoring still asks the upgraded registry");
    let shipped = s
        .chain
        .call(account(MANUFACTURER), &pl.ship(vec![(GTIN, serials[0].clone())], account(WHOLESALER), [0x75; 32]));
    assert!(shipped.ok().is_ok(), "shipping still anchors through the upgraded record_anchor");
    assert_eq!(
        s.chain.read(&ra.verify(s.at.pharma_ledger, Some(account(MANUFACTURER)), [0x75; 32])).map(|a| a.issuer),
        Some(s.at.pharma_ledger)
    );
}
