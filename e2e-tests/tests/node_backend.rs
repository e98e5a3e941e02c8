//! The suite's scenarios on a live substrate-contracts-node through ink_e2e's node backend —
//! signed extrinsics in real blocks, the node's own clock, the node's weights. `scripts/live`
//! starts the node at ws://127.0.0.1:9944, deploys the suite with the deploy tool and runs
//! these with `--ignored`; `scripts/test` (no node) only compiles them. The tests read
//! `CONTRACTS_NODE_URL` when they run: set it to aim elsewhere.
//!
//! What the sandbox tier covers and a live node cannot: anything that needs block time moved
//! (requests lapsing, grants expiring). Here a grant ends by review instead of by time.

use break_glass::events::{GlassBroken, GrantReviewed, ResponderSuspended};
use carechain_e2e::node::*;
use carechain_e2e::suite::{lot, serial, EXPIRY, GTIN};
use carechain_e2e::{built_with_features, upgrade_probe};
use carechain_shared::events::CodeUpgraded;
use carechain_shared::rfc6962::{InkSha256, MerkleTree, Sha256};
use carechain_shared::traits::{ConsentCheck, RecordAnchoring};
use carechain_shared::*;
use carechain_shared::{AdminError, Administration, Wiring};
use consent_registry::events::{AccessRecorded, ConsentGranted, ConsentRevoked};
use ink::primitives::{AccountId, Hash};
use ink_e2e::ContractsBackend;
use pharma_ledger::data::PartnerRole;
use pharma_ledger::events::{FalsificationAlert, PackStatusChanged, PacksShipped};
use pharma_ledger::pack::{Action, PackStatus, Transition};
use record_anchor::data::AnchorStatus;
use record_anchor::events::{BatchAnchored, RecordAnchored};
use research_registry::data::RequestOutcome;
use research_registry::events::RequestClosed;

const LAB: DataCategories = DataCategories::LAB_RESULTS;
const ES: DataCategories = DataCategories::EMERGENCY_SUMMARY;

async fn check(
    client: &mut Client,
    s: &NodeSuite,
    patient: AccountId,
    accessor: AccountId,
    categories: DataCategories,
    purpose: Purpose,
) -> E2EResult<AccessDecision> {
    read(client, &s.at.reg().check_access(patient, accessor, categories, purpose)).await
}

#[test]
#[ignore = "needs a running contracts node: scripts/live"]
fn scenario_1_treatment_consent_anchor_audit_revoke_on_node() -> E2EResult<()> {
    on_node(|mut client| async move {
        let s = NodeSuite::deploy(&mut client).await?;
        let p = &s.people;
        let (patient, provider) = (id(&p.patient), id(&p.provider));
        let (mut reg, mut ra) = (s.at.reg(), s.at.anchor());

        let granted = s.grant_lab_for_treatment(&mut client).await?;
        let ev = granted.events_of::<ConsentGranted>();
        let consent_id = granted.value.map_err(|e| format!("grant: {e:?}"))?;
        assert_eq!((ev[0].patient, ev[0].accessor, ev[0].consent_id), (patient, provider, consent_id));
        assert_eq!(
            check(&mut client, &s, patient, provider, LAB, Purpose::Treatment).await?,
            AccessDecision::PermittedByConsent(consent_id)
        );

        // record_anchor asks consent_registry before anchoring a record about the patient.
        let anchored = send(&mut client, &p.provider, &ra.anchor_record([0x1A; 32], Some(patient), LAB, None)).await?;
        let ev = anchored.events_of::<RecordAnchored>();
        let anchor_id = anchored.value.map_err(|e| format!("anchor: {e:?}"))?;
        assert_eq!((ev[0].anchor_id, ev[0].issuer, ev[0].patient), (anchor_id, provider, Some(patient)));
        assert_eq!(read(&mut client, &ra.verify(provider, None, [0x1A; 32])).await?.map(|a| a.id), Some(anchor_id));

        let recorded =
            send(&mut client, &p.custodian, &reg.record_access(patient, provider, LAB, Purpose::Treatment)).await?;
        assert_eq!(recorded.value, Ok(AccessDecision::PermittedByConsent(consent_id)));
        assert_eq!(recorded.events_of::<AccessRecorded>()[0].custodian, id(&p.custodian));

        // Refused on chain with a typed error; nothing emitted, the consent still stands.
        let refused = send(&mut client, &p.stranger, &reg.revoke_consent(consent_id)).await?;
        assert!(refused.reverted && refused.events.is_empty());
        assert_eq!(refused.value, Err(consent_registry::Error::NotAuthorized));
        assert_eq!(
            check(&mut client, &s, patient, provider, LAB, Purpose::Treatment).await?,
            AccessDecision::PermittedByConsent(consent_id)
        );

        let revoked = send(&mut client, &p.patient, &reg.revoke_consent(consent_id)).await?;
        assert_eq!(revoked.value, Ok(()));
        assert_eq!(revoked.events_of::<ConsentRevoked>()[0].revoked_by, patient);
        assert_eq!(
            check(&mut client, &s, patient, provider, LAB, Purpose::Treatment).await?,
            AccessDecision::Denied(DenyReason::NoConsent)
        );
        let audited =
            send(&mut client, &p.custodian, &reg.record_access(patient, provider, LAB, Purpose::Treatment)).await?;
        assert!(!audited.reverted, "a refused access is recorded, not reverted");
        assert_eq!(audited.events_of::<AccessRecorded>()[0].decision, AccessDecision::Denied(DenyReason::NoConsent));
        let refused = send(&mut client, &p.provider, &ra.anchor_record([0x1B; 32], Some(patient), LAB, None)).await?;
        assert!(refused.reverted && refused.events.is_empty());
        assert_eq!(refused.value, Err(AnchoringError::ConsentRefused));
        assert_eq!(read(&mut client, &ra.verify(provider, None, [0x1B; 32])).await?, None);
        Ok(())
    })
}

#[test]
#[ignore = "needs a running contracts node: scripts/live"]
fn scenario_2_research_requests_approved_and_denied_on_node() -> E2EResult<()> {
    on_node(|mut client| async move {
        let s = NodeSuite::deploy(&mut client).await?;
        let p = &s.people;
        let mut res = s.at.res();
        let researcher = id(&p.researcher);
        let patients = [id(&p.patient), id(&p.patient2), id(&p.patient3)];
        let study = ok(&mut client, &p.researcher, &res.register_study([0x51; 32], LAB, this_year().1)).await?;
        // No requests before an ethics approver approves the study.
        let early = send(&mut client, &p.researcher, &res.request_access_batch(study, patients.to_vec())).await?;
        assert_eq!(early.value, Err(research_registry::Error::StudyNotApproved));
        ok(&mut client, &p.ethics, &res.approve_study(study, [0xE7; 32])).await?;
        ok(&mut client, &p.researcher, &res.request_access_batch(study, patients.to_vec())).await?;

        // Only the patient asked may answer.
        let refused = send(&mut client, &p.patient2, &res.approve_request(patients[0], study, [0xD1; 32])).await?;
        assert!(refused.reverted);
        assert_eq!(refused.value, Err(research_registry::Error::NotAuthorized));

        let approved = send(&mut client, &p.patient, &res.approve_request(patients[0], study, [0xD1; 32])).await?;
        let consent_id = approved.value.map_err(|e| format!("approve: {e:?}"))?;
        assert_eq!(approved.events_of::<RequestClosed>()[0].outcome, RequestOutcome::Approved(consent_id));
        let denied = send(&mut client, &p.patient2, &res.deny_request(patients[1], study)).await?;
        assert_eq!(denied.events_of::<RequestClosed>()[0].outcome, RequestOutcome::Denied);

        // The third request is still pending: no access until the patient answers.
        assert!(read(&mut client, &res.request(patients[2], study)).await?.is_some());
        let expected = [
            AccessDecision::PermittedByConsent(consent_id),
            AccessDecision::Denied(DenyReason::NoConsent),
            AccessDecision::Denied(DenyReason::NoConsent),
        ];
        for (patient, want) in patients.into_iter().zip(expected) {
            assert_eq!(check(&mut client, &s, patient, researcher, LAB, Purpose::Research).await?, want);
        }
        assert_eq!(
            check(&mut client, &s, patients[0], researcher, LAB, Purpose::Treatment).await?,
            AccessDecision::Denied(DenyReason::NoConsent),
            "a research consent is for research only"
        );
        Ok(())
    })
}

#[test]
#[ignore = "needs a running contracts node: scripts/live"]
fn scenario_3_emergency_break_glass_review_and_suspension_on_node() -> E2EResult<()> {
    on_node(|mut client| async move {
        let s = NodeSuite::deploy(&mut client).await?;
        let p = &s.people;
        let (patient, responder) = (id(&p.patient), id(&p.responder));
        let (mut bg, mut reg, mut ra) = (s.at.bg(), s.at.reg(), s.at.anchor());

        // consent_registry asks break_glass, which has no grant yet.
        assert_eq!(
            check(&mut client, &s, patient, responder, ES, Purpose::EmergencyTreatment).await?,
            AccessDecision::Denied(DenyReason::NoEmergencyGrant)
        );
        let broke = send(&mut client, &p.responder, &bg.break_glass(patient, ES, [0x11; 32])).await?;
        let glass = broke.events.iter().find(|e| e.contract == s.at.break_glass).cloned().ok_or("no GlassBroken")?;
        assert_eq!(glass.topics.len(), 3, "signature + patient + responder");
        assert_eq!((glass.topics[1], glass.topics[2]), (*patient.as_ref(), *responder.as_ref()));
        let ev = broke.events_of::<GlassBroken>();
        let grant = broke.value.map_err(|e| format!("break glass: {e:?}"))?;
        assert_eq!((ev[0].patient, ev[0].responder, ev[0].grant_id), (patient, responder, grant));

        assert_eq!(
            check(&mut client, &s, patient, responder, ES, Purpose::EmergencyTreatment).await?,
            AccessDecision::PermittedByEmergencyGrant(grant)
        );
        assert_eq!(
            check(&mut client, &s, patient, responder, ES, Purpose::Treatment).await?,
            AccessDecision::Denied(DenyReason::NoConsent)
        );
        let recorded =
            send(&mut client, &p.custodian, &reg.record_access(patient, responder, ES, Purpose::EmergencyTreatment))
                .await?;
        assert_eq!(
            recorded.events_of::<AccessRecorded>()[0].decision,
            AccessDecision::PermittedByEmergencyGrant(grant)
        );
        // Three contracts deep: record_anchor → consent_registry → break_glass.
        let note = send(&mut client, &p.responder, &ra.anchor_record([0xE1; 32], Some(patient), ES, None)).await?;
        assert_eq!(note.events_of::<RecordAnchored>()[0].issuer, responder);
        assert!(note.value.is_ok());

        // Only an authority reviews.
        let refused = send(&mut client, &p.stranger, &bg.review_grant(grant, false, [0x99; 32])).await?;
        assert!(refused.reverted && refused.events.is_empty());
        assert_eq!(refused.value, Err(break_glass::Error::NotAuthority));

        // An unjustified review ends the grant: refused again, for access and for anchoring.
        let g2 = ok(&mut client, &p.responder, &bg.break_glass(id(&p.patient2), ES, [0x12; 32])).await?;
        let g3 = ok(&mut client, &p.responder, &bg.break_glass(id(&p.patient3), ES, [0x13; 32])).await?;
        for (i, g) in [grant, g2, g3].into_iter().enumerate() {
            // `authority` registered the responder, so `authority2` reviews.
            let reviewed = send(&mut client, &p.authority2, &bg.review_grant(g, false, [0x99; 32])).await?;
            assert_eq!(reviewed.value, Ok(()));
            let ev = reviewed.events_of::<GrantReviewed>();
            assert_eq!((ev[0].grant_id, ev[0].justified, usize::from(ev[0].strikes)), (g, false, i + 1));
            assert_eq!(reviewed.events_of::<ResponderSuspended>().len(), usize::from(i == 2));
            if i == 0 {
                assert_eq!(
                    check(&mut client, &s, patient, responder, ES, Purpose::EmergencyTreatment).await?,
                    AccessDecision::Denied(DenyReason::NoEmergencyGrant)
                );
                let late =
                    send(&mut client, &p.responder, &ra.anchor_record([0x1B; 32], Some(patient), ES, None)).await?;
                assert_eq!(late.value, Err(AnchoringError::ConsentRefused));
            }
        }
        let refused = send(&mut client, &p.responder, &bg.break_glass(id(&p.stranger), ES, [0x14; 32])).await?;
        assert!(refused.reverted && refused.events.is_empty());
        assert_eq!(refused.value, Err(break_glass::Error::ResponderSuspended));
        Ok(())
    })
}

#[test]
#[ignore = "needs a running contracts node: scripts/live"]
fn scenario_4_drug_pack_commission_ship_dispense_clone_alert_recall_on_node() -> E2EResult<()> {
    on_node(|mut client| async move {
        let s = NodeSuite::deploy(&mut client).await?;
        let (mut pl, ra) = (s.at.ledger(), s.at.anchor());
        let (manufacturer, wholesaler, pharmacy, pharmacy2) =
            (fresh(&mut client).await, fresh(&mut client).await, fresh(&mut client).await, fresh(&mut client).await);
        for (who, role) in [
            (&manufacturer, PartnerRole::Manufacturer),
            (&wholesaler, PartnerRole::Wholesaler),
            (&pharmacy, PartnerRole::Dispenser),
            (&pharmacy2, PartnerRole::Dispenser),
        ] {
            ok(&mut client, &s.people.owner, &pl.register_partner(id(who), role, [0x11; 32])).await?;
        }
        ok(&mut client, &manufacturer, &pl.claim_gtin(GTIN, [0x61; 32])).await?;
        ok(&mut client, &s.people.owner, &pl.approve_gtin_claim(GTIN, id(&manufacturer))).await?;
        assert_eq!(
            ok(&mut client, &manufacturer, &pl.commission(GTIN, lot(), EXPIRY, (0..10).map(serial).collect())).await?,
            10
        );

        // pharma_ledger → record_anchor: the shipment's statement is anchored on the way.
        let packs: Vec<_> = (0..3).map(|n| (GTIN, serial(n))).collect();
        let shipped = send(&mut client, &manufacturer, &pl.ship(packs.clone(), id(&wholesaler), [0x75; 32])).await?;
        let ev = shipped.events_of::<PacksShipped>();
        let shipment = shipped.value.map_err(|e| format!("ship: {e:?}"))?;
        assert_eq!((ev[0].to, ev[0].shipment_id, &ev[0].packs), (id(&wholesaler), shipment, &packs));
        let statement = read(&mut client, &ra.verify(s.at.pharma_ledger, Some(id(&manufacturer)), [0x75; 32]))
            .await?
            .ok_or("statement not anchored")?;
        assert_eq!(
            (statement.id, statement.issuer, statement.on_behalf_of, statement.status),
            (ev[0].anchor_id, s.at.pharma_ledger, Some(id(&manufacturer)), AnchorStatus::Current)
        );

        let wrong = send(&mut client, &pharmacy, &pl.receive(shipment, packs.clone())).await?;
        assert!(wrong.reverted);
        assert_eq!(wrong.value, Err(pharma_ledger::Error::NotPendingRecipient));
        ok(&mut client, &wholesaler, &pl.receive(shipment, packs.clone())).await?;
        let onward = ok(&mut client, &wholesaler, &pl.ship(vec![(GTIN, serial(0))], id(&pharmacy), [0x76; 32])).await?;
        ok(&mut client, &pharmacy, &pl.receive(onward, vec![(GTIN, serial(0))])).await?;

        let v = read(&mut client, &pl.verify(GTIN, serial(0), lot(), EXPIRY)).await?;
        assert!(v.verified && !v.decommissioned);
        let dispensed = send(&mut client, &pharmacy, &pl.dispense(GTIN, serial(0), lot(), EXPIRY)).await?;
        assert_eq!(dispensed.value, Ok(Transition::To(PackStatus::Dispensed)));
        assert_eq!(dispensed.events_of::<PackStatusChanged>()[0].to, PackStatus::Dispensed);

        // A clone scanned at another pharmacy: the alert is on record, the pack unchanged.
        let clone = send(&mut client, &pharmacy2, &pl.dispense(GTIN, serial(0), lot(), EXPIRY)).await?;
        assert!(!clone.reverted);
        assert_eq!(clone.value, Ok(Transition::Alert));
        let alert = clone.events_of::<FalsificationAlert>();
        assert_eq!((alert[0].reporter, alert[0].attempted), (id(&pharmacy2), Action::Dispense));
        assert_eq!(read(&mut client, &pl.pack(GTIN, serial(0))).await?.map(|p| p.custodian), Some(id(&pharmacy)));

        ok(&mut client, &manufacturer, &pl.recall_lot(GTIN, lot())).await?;
        for n in [0, 2, 9] {
            assert!(read(&mut client, &pl.verify(GTIN, serial(n), lot(), EXPIRY)).await?.recalled);
        }
        let moved =
            send(&mut client, &wholesaler, &pl.ship(vec![(GTIN, serial(2))], id(&pharmacy), [0x78; 32])).await?;
        assert!(moved.reverted && moved.events.is_empty());
        assert_eq!(moved.value, Err(pharma_ledger::Error::Recalled));
        Ok(())
    })
}

#[test]
#[ignore = "needs a running contracts node: scripts/live"]
fn scenario_5_each_contract_upgrades_in_place_on_node() -> E2EResult<()> {
    on_node(|mut client| async move {
        let s = NodeSuite::deploy(&mut client).await?;
        let p = &s.people;
        let (patient, provider) = (id(&p.patient), id(&p.provider));
        let (mut reg, mut bg, mut ra, mut pl) = (s.at.reg(), s.at.bg(), s.at.anchor(), s.at.ledger());
        let mut res = s.at.res();
        let consent = s.grant_lab_for_treatment(&mut client).await?.value.map_err(|e| format!("grant: {e:?}"))?;
        let grant = ok(&mut client, &p.responder, &bg.break_glass(id(&p.patient2), ES, [0x11; 32])).await?;
        let anchor = ok(&mut client, &p.provider, &ra.anchor_record([0x01; 32], Some(patient), LAB, None)).await?;

        let stranger = send(&mut client, &p.stranger, &pl.set_code_hash([0xEE; 32].into())).await?;
        assert!(stranger.reverted);
        assert_eq!(stranger.value, Err(AdminError::NotOwner));
        let unknown = send(&mut client, &p.owner, &reg.set_code_hash([0xEE; 32].into())).await?;
        assert!(unknown.reverted && unknown.events.is_empty());
        assert_eq!(unknown.value, Err(AdminError::UpgradeFailed));

        let second = built_with_features("upgrade-probe");
        for (name, address) in s.at.contracts() {
            let before = client.call(&p.owner, &upgrade_probe(address)).dry_run().await?;
            assert!(before.message_result().is_err(), "{name}: the first build has no probe");
            let wasm = second.get(name).ok_or("no second build")?;
            let new = upload_code(&mut client, &p.owner, wasm).await?;
            let upgraded = match name {
                "break_glass" => send(&mut client, &p.owner, &bg.set_code_hash(new)).await?.events,
                "consent_registry" => send(&mut client, &p.owner, &reg.set_code_hash(new)).await?.events,
                "research_registry" => send(&mut client, &p.owner, &res.set_code_hash(new)).await?.events,
                "record_anchor" => send(&mut client, &p.owner, &ra.set_code_hash(new)).await?.events,
                "pharma_ledger" => send(&mut client, &p.owner, &pl.set_code_hash(new)).await?.events,
                other => return Err(format!("{other}: no upgrade step").into()),
            };
            let ev: Vec<CodeUpgraded> =
                upgraded.iter().filter_map(|e| scale::Decode::decode(&mut e.data.as_slice()).ok()).collect();
            assert_eq!(ev.iter().map(|e| e.code_hash).collect::<Vec<_>>(), vec![new], "{name}: one CodeUpgraded");
            let after = client.call(&p.owner, &upgrade_probe(address)).dry_run().await?;
            assert_eq!(after.message_result().ok(), Some(2), "{name}: the second build answers");
        }

        // Each caller pinned its peer's old code: until re-wired, the new code is not trusted.
        assert_eq!(
            check(&mut client, &s, id(&p.patient2), id(&p.responder), ES, Purpose::EmergencyTreatment).await?,
            AccessDecision::Denied(DenyReason::BreakGlassUnavailable)
        );
        s.wire_to_builds(&mut client, "upgrade-probe").await?;

        // The first build's state, read through the second; every hop re-pinned and answering.
        assert_eq!(read(&mut client, &reg.consent(consent)).await?.map(|c| c.accessor), Some(provider));
        assert_eq!(read(&mut client, &bg.grant(grant)).await?.map(|g| g.patient), Some(id(&p.patient2)));
        assert_eq!(read(&mut client, &ra.anchor(anchor)).await?.map(|a| a.patient), Some(Some(patient)));
        assert_eq!(
            check(&mut client, &s, id(&p.patient2), id(&p.responder), ES, Purpose::EmergencyTreatment).await?,
            AccessDecision::PermittedByEmergencyGrant(grant)
        );
        assert!(ok(&mut client, &p.provider, &ra.anchor_record([0x02; 32], Some(patient), LAB, None)).await.is_ok());
        Ok(())
    })
}

#[test]
#[ignore = "needs a running contracts node: scripts/live"]
fn scenario_6_batch_of_65536_records_on_node() -> E2EResult<()> {
    on_node(|mut client| async move {
        let s = NodeSuite::deploy(&mut client).await?;
        let mut ra = s.at.anchor();
        let leaves: Vec<Hash32> = (0u32..1 << 16).map(|i| InkSha256::digest(&i.to_le_bytes())).collect();
        let tree = MerkleTree::<InkSha256>::from_leaf_data(&leaves).ok_or("empty tree")?;
        let anchored =
            send(&mut client, &s.people.provider, &ra.anchor_batch(tree.root(), 1 << 16, [0x4D; 32])).await?;
        let ev = anchored.events_of::<BatchAnchored>();
        let batch = anchored.value.map_err(|e| format!("batch: {e:?}"))?;
        assert_eq!((ev[0].batch_id, ev[0].root, ev[0].leaf_count), (batch, tree.root(), 1 << 16));
        for index in [0u64, 12_345, (1 << 16) - 1] {
            let path = tree.audit_path(index).ok_or("index out of range")?;
            let leaf = leaves[usize::try_from(index)?];
            let out = read(&mut client, &ra.verify_inclusion(batch, leaf, index, path)).await?;
            assert_eq!(out.map(|b| (b.batch_id, b.root)), Ok((batch, tree.root())));
        }
        let mut path = tree.audit_path(777).ok_or("index out of range")?;
        path[5][0] ^= 1;
        assert_eq!(
            read(&mut client, &ra.verify_inclusion(batch, leaves[777], 777, path)).await?,
            Err(AnchoringError::BadProof)
        );
        Ok(())
    })
}

#[test]
#[ignore = "needs a running contracts node: scripts/live"]
fn miswired_peers_give_typed_errors_on_node() -> E2EResult<()> {
    on_node(|mut client| async move {
        use consent_registry::consent_registry::ConsentRegistryRef;
        use pharma_ledger::pharma_ledger::{PharmaLedger, PharmaLedgerRef};
        use record_anchor::record_anchor::{RecordAnchor, RecordAnchorRef};
        let owner = fresh(&mut client).await;
        let plain = id(&fresh(&mut client).await);
        let (patient, provider) = (id(&fresh(&mut client).await), fresh(&mut client).await);

        // A peer address that holds no contract cannot be wired; a wrong contract wired answers
        // with a clear denial or error, never a trap.
        let registry = instantiate(&mut client, "consent_registry", &owner, ConsentRegistryRef::new()).await?;
        let mut reg = carechain_e2e::builder::<consent_registry::consent_registry::ConsentRegistry>(registry);
        let refused =
            send(&mut client, &owner, &reg.set_peer(Some(Peer { address: plain, code_hash: Hash::from([7; 32]) })))
                .await?;
        assert_eq!(refused.value, Err(AdminError::PeerNotContract));
        let wrong_contract = instantiate(&mut client, "record_anchor", &owner, RecordAnchorRef::new()).await?;
        ok(&mut client, &owner, &reg.set_peer(Some(built_peer("record_anchor", wrong_contract)?))).await?;
        let decision = read(
            &mut client,
            &carechain_e2e::builder::<consent_registry::consent_registry::ConsentRegistry>(registry).check_access(
                patient,
                id(&provider),
                ES,
                Purpose::EmergencyTreatment,
            ),
        )
        .await?;
        assert_eq!(decision, AccessDecision::Denied(DenyReason::BreakGlassUnavailable));

        let anchor = instantiate(&mut client, "record_anchor", &owner, RecordAnchorRef::new()).await?;
        let mut ra = carechain_e2e::builder::<RecordAnchor>(anchor);
        ok(&mut client, &owner, &ra.set_peer(Some(built_peer("record_anchor", wrong_contract)?))).await?;
        let refused = send(&mut client, &provider, &ra.anchor_record([0x01; 32], Some(patient), LAB, None)).await?;
        assert!(refused.reverted && refused.events.is_empty());
        assert_eq!(refused.value, Err(AnchoringError::RegistryUnavailable));

        let ledger = instantiate(&mut client, "pharma_ledger", &owner, PharmaLedgerRef::new()).await?;
        let mut pl = carechain_e2e::builder::<PharmaLedger>(ledger);
        ok(&mut client, &owner, &pl.set_peer(Some(built_peer("consent_registry", registry)?))).await?;
        let (maker, wholesaler) = (fresh(&mut client).await, fresh(&mut client).await);
        ok(&mut client, &owner, &pl.register_partner(id(&maker), PartnerRole::Manufacturer, [1; 32])).await?;
        ok(&mut client, &owner, &pl.register_partner(id(&wholesaler), PartnerRole::Wholesaler, [2; 32])).await?;
        ok(&mut client, &maker, &pl.claim_gtin(GTIN, [3; 32])).await?;
        ok(&mut client, &owner, &pl.approve_gtin_claim(GTIN, id(&maker))).await?;
        ok(&mut client, &maker, &pl.commission(GTIN, lot(), EXPIRY, vec![serial(1)])).await?;
        let refused = send(&mut client, &maker, &pl.ship(vec![(GTIN, serial(1))], id(&wholesaler), [9; 32])).await?;
        assert!(refused.reverted && refused.events.is_empty());
        assert_eq!(refused.value, Err(pharma_ledger::Error::AnchorUnavailable));
        assert_eq!(read(&mut client, &pl.pack(GTIN, serial(1))).await?.map(|p| p.status), Some(PackStatus::Active));
        Ok(())
    })
}

/// The suite the deploy tool deployed (release builds, wired and pinned by it), found
/// through the manifest `scripts/live` wrote (`CARECHAIN_MANIFEST`): one path across every
/// hop, and the weight the node charges for each message `scripts/bench` measures in the
/// sandbox, written to `CARECHAIN_NODE_WEIGHTS` when set.
#[test]
#[ignore = "needs a running contracts node and a manifest: scripts/live"]
fn the_deployed_suite_answers_across_every_hop() -> E2EResult<()> {
    on_node(|mut client| async move {
        let manifest =
            std::env::var("CARECHAIN_MANIFEST").map_err(|_| "set CARECHAIN_MANIFEST to the deploy manifest")?;
        let s = NodeSuite::from_manifest(&mut client, std::path::Path::new(&manifest)).await?;
        let p = &s.people;
        let (patient, provider, responder) = (id(&p.patient), id(&p.provider), id(&p.responder));
        let (mut reg, mut ra, mut pl, mut bg) = (s.at.reg(), s.at.anchor(), s.at.ledger(), s.at.bg());
        let mut log = WeightLog::default();

        // The wiring the manifest promises, read back from each contract.
        let (peer, w) = weigh(&mut client, &reg.peer()).await?;
        assert_eq!(peer.map(|p| p.address), Some(s.at.break_glass));
        log.add("consent_registry", "baseline: Wiring::peer() getter", w);
        let (_, w) = weigh(&mut client, &bg.policy()).await?;
        log.add("break_glass", "baseline: policy() getter", w);
        let (peer, w) = weigh(&mut client, &ra.peer()).await?;
        assert_eq!(peer.map(|p| p.address), Some(s.at.registry));
        log.add("record_anchor", "baseline: Wiring::peer() getter", w);
        let (peer, w) = weigh(&mut client, &pl.peer()).await?;
        assert_eq!(peer.map(|p| p.address), Some(s.at.record_anchor));
        log.add("pharma_ledger", "baseline: Wiring::peer() getter", w);

        // consent_registry → break_glass
        let (decision, w) =
            weigh(&mut client, &reg.check_access(patient, responder, ES, Purpose::EmergencyTreatment)).await?;
        assert_eq!(decision, AccessDecision::Denied(DenyReason::NoEmergencyGrant));
        log.add("consent_registry", "check_access (ETREAT, no grant: asks break_glass)", w);
        let granted = s.grant_lab_for_treatment(&mut client).await?;
        log.add("consent_registry", "grant_consent", granted.cost);
        let consent = granted.value.map_err(|e| format!("grant: {e:?}"))?;
        let (decision, w) = weigh(&mut client, &reg.check_access(patient, provider, LAB, Purpose::Treatment)).await?;
        assert_eq!(decision, AccessDecision::PermittedByConsent(consent));
        log.add("consent_registry", "check_access (permit)", w);
        let recorded =
            send(&mut client, &p.custodian, &reg.record_access(patient, provider, LAB, Purpose::Treatment)).await?;
        assert_eq!(recorded.value, Ok(AccessDecision::PermittedByConsent(consent)));
        log.add("consent_registry", "record_access (permit, audited)", recorded.cost);

        // The largest policy cell a patient can have (as scripts/bench), the permitting consent
        // listed last.
        let full = fresh(&mut client).await;
        let (from, until) = this_year();
        let treat = PurposeSet::of(Purpose::Treatment);
        let policy = carechain_e2e::suite::full_policy();
        for other in &policy.denied {
            ok(&mut client, &full, &reg.add_deny_rule(id(&full), Some(*other), LAB, treat, from, until)).await?;
        }
        for (to, categories, document) in &policy.grants {
            ok(&mut client, &full, &reg.grant_consent(id(&full), *to, *categories, treat, from, until, *document))
                .await?;
        }
        let last_accessor = policy.permitted;
        let (decision, w) =
            weigh(&mut client, &reg.check_access(id(&full), last_accessor, LAB, Purpose::Treatment)).await?;
        assert!(matches!(decision, AccessDecision::PermittedByConsent(_)), "{decision:?}");
        log.add("consent_registry", "check_access (patient with 16 deny rules and 64 consents, permit by the last)", w);
        let recorded =
            send(&mut client, &p.custodian, &reg.record_access(id(&full), last_accessor, LAB, Purpose::Treatment))
                .await?;
        assert!(matches!(recorded.value, Ok(AccessDecision::PermittedByConsent(_))), "{:?}", recorded.value);
        log.add("consent_registry", "record_access (same patient, audited)", recorded.cost);

        // record_anchor → consent_registry; a record of this run's own, so re-runs never collide.
        let record = InkSha256::digest(&wall_clock_ms().to_le_bytes());
        let anchored = send(&mut client, &p.provider, &ra.anchor_record(record, Some(patient), LAB, None)).await?;
        log.add("record_anchor", "anchor_record (patient: consent call)", anchored.cost);
        let anchor = anchored.value.map_err(|e| format!("anchor: {e:?}"))?;
        let (found, w) = weigh(&mut client, &ra.verify(provider, None, record)).await?;
        assert_eq!(found.map(|a| (a.id, a.patient)), Some((anchor, Some(patient))));
        log.add("record_anchor", "verify (issuer, content hash)", w);

        // research_registry → consent_registry: a study, its approval, a request approved and one
        // denied (the denial and the request each touch the per-(patient, study) cool-down cell).
        let mut res = s.at.res();
        let (peer, w) = weigh(&mut client, &res.peer()).await?;
        assert_eq!(peer.map(|p| p.address), Some(s.at.registry));
        log.add("research_registry", "baseline: Wiring::peer() getter", w);
        let (_, until) = this_year();
        let registered = send(&mut client, &p.researcher, &res.register_study([3; 32], LAB, until)).await?;
        log.add("research_registry", "register_study", registered.cost);
        let study = registered.value.map_err(|e| format!("register_study: {e:?}"))?;
        let approved = send(&mut client, &p.ethics, &res.approve_study(study, [4; 32])).await?;
        approved.value.map_err(|e| format!("approve_study: {e:?}"))?;
        log.add("research_registry", "approve_study (ethics approver)", approved.cost);
        let (patient2, patient3) = (id(&p.patient2), id(&p.patient3));
        let asked = send(&mut client, &p.researcher, &res.request_access(study, patient2)).await?;
        asked.value.map_err(|e| format!("request_access: {e:?}"))?;
        log.add("research_registry", "request_access", asked.cost);
        let answered = send(&mut client, &p.patient2, &res.approve_request(patient2, study, [5; 32])).await?;
        answered.value.map_err(|e| format!("approve_request: {e:?}"))?;
        log.add("research_registry", "approve_request (creates the consent in consent_registry)", answered.cost);
        ok(&mut client, &p.researcher, &res.request_access(study, patient3)).await?;
        let denied = send(&mut client, &p.patient3, &res.deny_request(patient3, study)).await?;
        denied.value.map_err(|e| format!("deny_request: {e:?}"))?;
        log.add("research_registry", "deny_request (starts a cool-down)", denied.cost);
        let blocked = send(&mut client, &p.patient3, &res.block_researcher(patient3, id(&p.researcher))).await?;
        blocked.value.map_err(|e| format!("block_researcher: {e:?}"))?;
        log.add("research_registry", "block_researcher", blocked.cost);

        // break_glass, then consent_registry → break_glass permits by the grant.
        let broke = send(&mut client, &p.responder, &bg.break_glass(patient, ES, [0x11; 32])).await?;
        log.add("break_glass", "break_glass", broke.cost);
        let grant = broke.value.map_err(|e| format!("break glass: {e:?}"))?;
        let (decision, w) =
            weigh(&mut client, &reg.check_access(patient, responder, ES, Purpose::EmergencyTreatment)).await?;
        assert_eq!(decision, AccessDecision::PermittedByEmergencyGrant(grant));
        log.add("consent_registry", "check_access (ETREAT, permit by grant)", w);

        // pharma_ledger → record_anchor, with a GTIN of this run's own.
        let (maker, wholesaler) = (fresh(&mut client).await, fresh(&mut client).await);
        ok(&mut client, &p.owner, &pl.register_partner(id(&maker), PartnerRole::Manufacturer, [1; 32])).await?;
        ok(&mut client, &p.owner, &pl.register_partner(id(&wholesaler), PartnerRole::Wholesaler, [2; 32])).await?;
        let gtin = fresh_gtin(record);
        ok(&mut client, &maker, &pl.claim_gtin(gtin, [3; 32])).await?;
        ok(&mut client, &p.owner, &pl.approve_gtin_claim(gtin, id(&maker))).await?;
        let commissioned = send(&mut client, &maker, &pl.commission(gtin, lot(), EXPIRY, vec![serial(1)])).await?;
        assert_eq!(commissioned.value, Ok(1));
        log.add("pharma_ledger", "commission 1 serial", commissioned.cost);
        let statement = InkSha256::digest(&record);
        let shipped = send(&mut client, &maker, &pl.ship(vec![(gtin, serial(1))], id(&wholesaler), statement)).await?;
        log.add("pharma_ledger", "ship 1 pack (anchors statement)", shipped.cost);
        let anchor_id = shipped.events_of::<PacksShipped>().first().map(|e| e.anchor_id);
        let shipment = shipped.value.map_err(|e| format!("ship: {e:?}"))?;
        assert_eq!(
            read(&mut client, &ra.verify(s.at.pharma_ledger, Some(id(&maker)), statement))
                .await?
                .map(|a| (Some(a.id), a.issuer)),
            Some((anchor_id, s.at.pharma_ledger))
        );
        let (v, w) = weigh(&mut client, &pl.verify(gtin, serial(1), lot(), EXPIRY)).await?;
        assert_eq!((v.verified, v.status), (true, Some(PackStatus::InTransit)));
        log.add("pharma_ledger", "verify", w);

        // The rest of the pack path and the batches docs/capacity.md rests on, measured here
        // rather than scaled from the sandbox.
        let pack = (gtin, serial(1));
        let received = send(&mut client, &wholesaler, &pl.receive(shipment, vec![pack.clone()])).await?;
        received.value.map_err(|e| format!("receive: {e:?}"))?;
        log.add("pharma_ledger", "receive 1 pack", received.cost);
        let pharmacy = fresh(&mut client).await;
        ok(&mut client, &p.owner, &pl.register_partner(id(&pharmacy), PartnerRole::Dispenser, [4; 32])).await?;
        let onward = ok(&mut client, &wholesaler, &pl.ship(vec![pack.clone()], id(&pharmacy), [0x62; 32])).await?;
        ok(&mut client, &pharmacy, &pl.receive(onward, vec![pack.clone()])).await?;
        let dispensed = send(&mut client, &pharmacy, &pl.dispense(gtin, serial(1), lot(), EXPIRY)).await?;
        assert_eq!(dispensed.value, Ok(Transition::To(PackStatus::Dispensed)));
        log.add("pharma_ledger", "dispense", dispensed.cost);
        let max = u32::try_from(pharma_ledger::data::MAX_COMMISSION).map_err(|_| "MAX_COMMISSION fits u32")?;
        for (label, from, n) in
            [("commission 50 serials", 100, 50), ("commission 250 serials (MAX_COMMISSION)", 1000, max)]
        {
            let serials: Vec<Vec<u8>> = (from..from + n).map(serial).collect();
            let commissioned = send(&mut client, &maker, &pl.commission(gtin, lot(), EXPIRY, serials)).await?;
            assert_eq!(commissioned.value, Ok(n), "{label}");
            log.add("pharma_ledger", label, commissioned.cost);
        }
        let ten: Vec<_> = (101..111).map(|n| (gtin, serial(n))).collect();
        let stuck = send(&mut client, &maker, &pl.ship(ten.clone(), id(&wholesaler), [0x63; 32])).await?;
        log.add("pharma_ledger", "ship 10 packs (anchors statement)", stuck.cost);
        let stuck = stuck.value.map_err(|e| format!("ship 10: {e:?}"))?;
        let cancelled = send(&mut client, &p.owner, &pl.cancel_shipment(stuck, ten)).await?;
        cancelled.value.map_err(|e| format!("cancel: {e:?}"))?;
        log.add("pharma_ledger", "cancel_shipment 10 packs (regulator)", cancelled.cost);
        let root = InkSha256::digest(&statement);
        let batch = send(&mut client, &p.provider, &ra.anchor_batch(root, 1 << 20, [0x44; 32])).await?;
        batch.value.map_err(|e| format!("anchor_batch: {e:?}"))?;
        log.add("record_anchor", "anchor_batch (root of 2^20 leaves)", batch.cost);

        if let Ok(path) = std::env::var("CARECHAIN_NODE_WEIGHTS") {
            log.write(std::path::Path::new(&path))?;
        }
        Ok(())
    })
}

/// A GTIN-14 derived from `seed`, completed with the check digit pharma_ledger's own GS1
/// check accepts.
fn fresh_gtin(seed: Hash32) -> [u8; 14] {
    let mut gtin = [b'0'; 14];
    for (digit, b) in gtin[1..13].iter_mut().zip(seed) {
        *digit = b'0' + b % 10;
    }
    for check in b'0'..=b'9' {
        gtin[13] = check;
        if pharma_ledger::gs1::validate_gtin(&gtin).is_ok() {
            break;
        }
    }
    gtin
}
