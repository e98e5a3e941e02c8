//! The benchmark: costs of the key messages on the in-process pallet-contracts runtime, using
//! the *release* Wasm that `cargo contract build --release` produced. Not a timed test: it
//! reports what the chain charges (ref_time, proof_size, storage deposit) and Wasm sizes.
//!
//! usage: bench <dir with <contract>.wasm> <output dir>

use break_glass::data::Policy;
use carechain_e2e::suite::*;
use carechain_e2e::{account, contracts_from_dir, Chain, Cost, Outcome, CONTRACTS};
use carechain_shared::rfc6962::{self, InkSha256};
use carechain_shared::traits::{ConsentCheck, EmergencyAccess, RecordAnchoring};
use carechain_shared::Wiring;
use carechain_shared::*;
use pharma_ledger::data::{PartnerRole, MAX_COMMISSION};
use pharma_ledger::pharma_ledger::PharmaLedger;
use std::fmt::Write as _;
use std::path::PathBuf;

struct Row {
    contract: &'static str,
    message: String,
    cost: Cost,
}

#[derive(Default)]
struct Report {
    rows: Vec<Row>,
}

impl Report {
    fn add<R: core::fmt::Debug>(&mut self, contract: &'static str, message: &str, out: Outcome<R>) -> R {
        assert!(!out.reverted, "{message} reverted: {:?}", out.value);
        self.rows.push(Row { contract, message: message.to_string(), cost: out.cost });
        out.ok()
    }

    /// `add` for a message returning `Result`, which must be `Ok`.
    fn add_ok<T: core::fmt::Debug, E: core::fmt::Debug>(
        &mut self,
        contract: &'static str,
        message: &str,
        out: Outcome<Result<T, E>>,
    ) -> T {
        self.add(contract, message, out).unwrap_or_else(|e| panic!("{message}: {e:?}"))
    }

    fn get(&self, message: &str) -> &Row {
        self.rows.iter().find(|r| r.message == message).unwrap_or_else(|| panic!("no row {message}"))
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let wasm_dir = PathBuf::from(args.next().unwrap_or_else(|| "target/release-contracts".into()));
    let out_dir = PathBuf::from(args.next().unwrap_or_else(|| "benchmarks".into()));
    let wasm = contracts_from_dir(&wasm_dir);
    let sizes: Vec<(&str, usize)> = CONTRACTS.iter().map(|c| (*c, wasm[*c].len())).collect();

    let mut s = Suite::deploy(Chain::with_wasm(wasm));
    let mut r = Report::default();
    let (mut reg, mut bg) = (s.at.reg(), s.at.bg());
    let now = s.chain.now();
    let year = 365 * MS_PER_DAY;
    let lab = DataCategories::LAB_RESULTS;
    let es = DataCategories::EMERGENCY_SUMMARY;
    let treat = PurposeSet::of(Purpose::Treatment);
    let q = account(STRANGER);

    // Baselines: a trivial read of each contract, so each message reads as a multiple of a
    // bare call to the same code (loading the contract's Wasm dominates small calls).
    r.add("consent_registry", "baseline: Wiring::peer() getter", s.chain.query(q, &reg.peer()));
    r.add("break_glass", "baseline: policy() getter", s.chain.query(q, &bg.policy()));
    r.add("record_anchor", "baseline: Wiring::peer() getter", s.chain.query(q, &s.at.anchor().peer()));
    r.add("research_registry", "baseline: Wiring::peer() getter", s.chain.query(q, &s.at.res().peer()));
    r.add_ok(
        "consent_registry",
        "grant_consent",
        s.chain.call(
            account(PATIENT),
            &reg.grant_consent(account(PATIENT), account(PROVIDER), lab, treat, now, now + year, [1; 32]),
        ),
    );
    r.add(
        "consent_registry",
        "check_access (permit)",
        s.chain.query(q, &reg.check_access(account(PATIENT), account(PROVIDER), lab, Purpose::Treatment)),
    );
    r.add(
        "consent_registry",
        "check_access (deny: no consent)",
        s.chain.query(q, &reg.check_access(account(PATIENT), account(STRANGER), lab, Purpose::Treatment)),
    );
    r.add_ok(
        "consent_registry",
        "record_access (permit, audited)",
        s.chain
            .call(account(CUSTODIAN), &reg.record_access(account(PATIENT), account(PROVIDER), lab, Purpose::Treatment)),
    );
    let second = r
        .add(
            "consent_registry",
            "grant_consent (second accessor)",
            s.chain.call(
                account(PATIENT),
                &reg.grant_consent(account(PATIENT), account(PATIENT2), lab, treat, now, now + year, [2; 32]),
            ),
        )
        .expect("second grant");
    r.add_ok("consent_registry", "revoke_consent", s.chain.call(account(PATIENT), &reg.revoke_consent(second)));
    r.add_ok(
        "consent_registry",
        "add_deny_rule",
        s.chain.call(
            account(PATIENT),
            &reg.add_deny_rule(account(PATIENT), Some(account(PATIENT3)), lab, treat, now, now + year),
        ),
    );
    r.add(
        "consent_registry",
        "check_access (permit, 1 deny rule)",
        s.chain.query(q, &reg.check_access(account(PATIENT), account(PROVIDER), lab, Purpose::Treatment)),
    );
    // The largest policy cell a patient can have, the permitting consent listed last.
    let full = account(30);
    let policy = full_policy();
    for other in &policy.denied {
        s.chain
            .call(full, &reg.add_deny_rule(full, Some(*other), lab, treat, now, now + year))
            .ok()
            .expect("deny rule");
    }
    for (to, categories, document) in &policy.grants {
        s.chain
            .call(full, &reg.grant_consent(full, *to, *categories, treat, now, now + year, *document))
            .ok()
            .expect("consent");
    }
    let last_accessor = policy.permitted;
    for decision in [
        r.add(
            "consent_registry",
            "check_access (patient with 16 deny rules and 64 consents, permit by the last)",
            s.chain.query(q, &reg.check_access(full, last_accessor, lab, Purpose::Treatment)),
        ),
        r.add_ok(
            "consent_registry",
            "record_access (same patient, audited)",
            s.chain.call(account(CUSTODIAN), &reg.record_access(full, last_accessor, lab, Purpose::Treatment)),
        ),
    ] {
        assert!(matches!(decision, AccessDecision::PermittedByConsent(_)), "{decision:?}");
    }
    let mut res = s.at.res();
    let study = r
        .add(
            "research_registry",
            "register_study",
            s.chain.call(account(RESEARCHER), &res.register_study([3; 32], lab, now + year)),
        )
        .expect("study");
    r.add_ok(
        "research_registry",
        "approve_study (ethics approver)",
        s.chain.call(account(ETHICS), &res.approve_study(study, [4; 32])),
    );
    r.add_ok(
        "research_registry",
        "request_access",
        s.chain.call(account(RESEARCHER), &res.request_access(study, account(PATIENT2))),
    );
    r.add_ok(
        "research_registry",
        "approve_request (creates the consent in consent_registry)",
        s.chain.call(account(PATIENT2), &res.approve_request(account(PATIENT2), study, [5; 32])),
    );
    s.chain.call(account(RESEARCHER), &res.request_access(study, account(PATIENT3))).ok().expect("request");
    r.add_ok(
        "research_registry",
        "deny_request (starts a cool-down)",
        s.chain.call(account(PATIENT3), &res.deny_request(account(PATIENT3), study)),
    );
    r.add_ok(
        "research_registry",
        "block_researcher",
        s.chain.call(account(PATIENT3), &res.block_researcher(account(PATIENT3), account(RESEARCHER))),
    );

    // Emergency path.
    r.add(
        "consent_registry",
        "check_access (ETREAT, no grant: asks break_glass)",
        s.chain.query(q, &reg.check_access(account(PATIENT3), account(RESPONDER), es, Purpose::EmergencyTreatment)),
    );
    let grant = r
        .add(
            "break_glass",
            "break_glass",
            s.chain.call(account(RESPONDER), &bg.break_glass(account(PATIENT3), es, [6; 32])),
        )
        .expect("grant");
    r.add(
        "break_glass",
        "active_emergency_grant (lookup)",
        s.chain.query(q, &bg.active_emergency_grant(account(PATIENT3), account(RESPONDER), es)),
    );
    r.add(
        "consent_registry",
        "check_access (ETREAT, permit by grant)",
        s.chain.query(q, &reg.check_access(account(PATIENT3), account(RESPONDER), es, Purpose::EmergencyTreatment)),
    );
    r.add_ok(
        "break_glass",
        "review_grant (justified)",
        s.chain.call(account(AUTHORITY2), &bg.review_grant(grant, true, [7; 32])),
    );
    s.chain.advance(Policy::DEFAULT.grant_duration);
    let g2 = s.chain.call(account(RESPONDER), &bg.break_glass(account(PATIENT3), es, [8; 32])).ok().expect("g2");
    r.add_ok(
        "break_glass",
        "review_grant (unjustified: ends grant, strike)",
        s.chain.call(account(AUTHORITY2), &bg.review_grant(g2, false, [9; 32])),
    );

    // record_anchor.
    let mut ra = s.at.anchor();
    r.add(
        "record_anchor",
        "anchor_record (no patient: no consent call)",
        s.chain.call(account(PROVIDER), &ra.anchor_record([0x21; 32], None, DataCategories::NONE, None)),
    )
    .expect("anchor");
    r.add(
        "record_anchor",
        "anchor_record (patient: consent call)",
        s.chain.call(account(PROVIDER), &ra.anchor_record([0x22; 32], Some(account(PATIENT)), lab, None)),
    )
    .expect("anchor with consent");
    r.add(
        "record_anchor",
        "verify (issuer, content hash)",
        s.chain.query(q, &ra.verify(account(PROVIDER), None, [0x22; 32])),
    );
    // A 2^20-leaf tree's 20-step proof for leaf `index`: in a complete tree each step's side
    // is the index's bit, so the root follows from any path without building the tree.
    let (leaf, index, path): ([u8; 32], u64, Vec<[u8; 32]>) =
        ([0x33; 32], 0b1010_0110_0101_1001_1100, (0..20u8).map(|i| [i; 32]).collect());
    let mut root = rfc6962::leaf_hash::<InkSha256>(&leaf);
    for (level, step) in path.iter().enumerate() {
        root = if index >> level & 1 == 1 {
            rfc6962::node_hash::<InkSha256>(step, &root)
        } else {
            rfc6962::node_hash::<InkSha256>(&root, step)
        };
    }
    let batch = r
        .add(
            "record_anchor",
            "anchor_batch (root of 2^20 leaves)",
            s.chain.call(account(PROVIDER), &ra.anchor_batch(root, 1 << 20, [0x44; 32])),
        )
        .expect("batch");
    r.add(
        "record_anchor",
        "verify_inclusion (2^20 leaves, 20-step path)",
        s.chain.query(q, &ra.verify_inclusion(batch, leaf, index, path)),
    )
    .expect("proof verifies");

    // pharma_ledger.
    let mut pl = carechain_e2e::builder::<PharmaLedger>(s.at.pharma_ledger);
    r.add("pharma_ledger", "baseline: Wiring::peer() getter", s.chain.query(q, &pl.peer()));
    let (mfr, whs, pharmacy) = (account(20), account(21), account(22));
    for (who, role) in
        [(mfr, PartnerRole::Manufacturer), (whs, PartnerRole::Wholesaler), (pharmacy, PartnerRole::Dispenser)]
    {
        s.chain.call(account(OWNER), &pl.register_partner(who, role, [9; 32])).ok().expect("partner");
    }
    let gtin = *b"09506000134352";
    r.add_ok("pharma_ledger", "claim_gtin", s.chain.call(mfr, &pl.claim_gtin(gtin, [0x5A; 32])));
    r.add_ok(
        "pharma_ledger",
        "approve_gtin_claim (regulator)",
        s.chain.call(account(OWNER), &pl.approve_gtin_claim(gtin, mfr)),
    );
    let serials = |from: u32, n: u32| (from..from + n).map(|i| format!("S{i:07}").into_bytes()).collect::<Vec<_>>();
    let max = u32::try_from(MAX_COMMISSION).expect("small");
    for (label, from, n) in [
        ("commission 1 serial", 0, 1),
        ("commission 50 serials", 100, 50),
        ("commission 250 serials (MAX_COMMISSION)", 1000, max),
    ] {
        r.add(
            "pharma_ledger",
            label,
            s.chain.call(mfr, &pl.commission(gtin, b"L1".to_vec(), 271231, serials(from, n))),
        )
        .expect("commission");
    }
    let pack = (gtin, b"S0000100".to_vec());
    let shipment = r
        .add(
            "pharma_ledger",
            "ship 1 pack (anchors statement)",
            s.chain.call(mfr, &pl.ship(vec![pack.clone()], whs, [0x61; 32])),
        )
        .expect("ship");
    r.add("pharma_ledger", "receive 1 pack", s.chain.call(whs, &pl.receive(shipment, vec![pack.clone()])))
        .expect("receive");
    let onward = s.chain.call(whs, &pl.ship(vec![pack.clone()], pharmacy, [0x62; 32])).ok().expect("ship");
    s.chain.call(pharmacy, &pl.receive(onward, vec![pack.clone()])).ok().expect("receive");
    r.add(
        "pharma_ledger",
        "dispense",
        s.chain.call(pharmacy, &pl.dispense(gtin, pack.1.clone(), b"L1".to_vec(), 271231)),
    )
    .expect("dispense");
    r.add("pharma_ledger", "verify", s.chain.query(q, &pl.verify(gtin, pack.1.clone(), b"L1".to_vec(), 271231)));
    let ten: Vec<_> = serials(101, 10).into_iter().map(|sn| (gtin, sn)).collect();
    let stuck = r
        .add(
            "pharma_ledger",
            "ship 10 packs (anchors statement)",
            s.chain.call(mfr, &pl.ship(ten.clone(), whs, [0x63; 32])),
        )
        .expect("ship 10");
    r.add(
        "pharma_ledger",
        "cancel_shipment 10 packs (regulator)",
        s.chain.call(account(OWNER), &pl.cancel_shipment(stuck, ten)),
    )
    .expect("cancel");
    // Ten packs of ten lots: each pack's lot record is read on its own (packs of one lot read
    // it once per call).
    let mixed: Vec<_> = (0..10u8)
        .map(|n| {
            let (lot, serial) = (format!("M{n}").into_bytes(), format!("MIX{n:04}").into_bytes());
            s.chain.call(mfr, &pl.commission(gtin, lot, 271231, vec![serial.clone()])).ok().expect("commission");
            (gtin, serial)
        })
        .collect();
    r.add(
        "pharma_ledger",
        "ship 10 packs of 10 lots (anchors statement)",
        s.chain.call(mfr, &pl.ship(mixed, whs, [0x64; 32])),
    )
    .expect("ship 10 lots");

    let baseline = |contract: &str| {
        r.rows
            .iter()
            .find(|row| row.contract == contract && row.message.starts_with("baseline"))
            .map_or(1, |row| row.cost.ref_time.max(1))
    };
    let permit = r.get("check_access (permit)").cost.ref_time;
    let emergency = r.get("check_access (ETREAT, permit by grant)").cost.ref_time;
    let deposit_one_consent = r.get("grant_consent (second accessor)").cost.deposit;

    let mut md = String::new();
    writeln!(md, "# carechain benchmark report\n").unwrap();
    writeln!(md, "Generated by `scripts/bench`: release Wasm from `scripts/build` (`cargo contract build --release` from the committed Cargo.lock, code hashes in contracts/CODE_HASHES; cargo-contract 5.0.3, Rust 1.86), run on the in-process pallet-contracts runtime of ink_sandbox 5.1.1. Weights are what the runtime charged (`gas_consumed`); storage deposit is in the sandbox's base units (positive = charged, negative = refunded).\n").unwrap();
    writeln!(md, "## Wasm size (release)\n\n| contract | bytes | KiB |\n|---|---:|---:|").unwrap();
    for (name, bytes) in &sizes {
        writeln!(md, "| {name} | {bytes} | {:.1} |", *bytes as f64 / 1024.0).unwrap();
    }
    writeln!(md, "\n## Messages\n\n`× baseline` is relative to the trivial read of the same contract.\n\n| contract | message | ref_time | × baseline | proof_size | storage deposit |\n|---|---|---:|---:|---:|---:|").unwrap();
    for row in &r.rows {
        writeln!(
            md,
            "| {} | {} | {} | {:.1} | {} | {} |",
            row.contract,
            row.message,
            row.cost.ref_time,
            row.cost.ref_time as f64 / baseline(row.contract) as f64,
            row.cost.proof_size,
            row.cost.deposit
        )
        .unwrap();
    }
    writeln!(md, "\n## Derived\n").unwrap();
    writeln!(md, "- storage deposit of one consent (first for its accessor): {deposit_one_consent}").unwrap();
    writeln!(
        md,
        "- storage deposit of one anchor: {}",
        r.get("anchor_record (no patient: no consent call)").cost.deposit
    )
    .unwrap();
    let c1 = r.get("commission 1 serial");
    let cmax = r.get("commission 250 serials (MAX_COMMISSION)");
    let per = |f: fn(&Row) -> u64| (f(cmax).saturating_sub(f(c1))) / u64::from(max - 1);
    writeln!(
        md,
        "- commissioning, marginal cost per serial: ref_time {}, proof_size {}, storage deposit {}",
        per(|r| r.cost.ref_time),
        per(|r| r.cost.proof_size),
        (cmax.cost.deposit - c1.cost.deposit) / i128::from(max - 1)
    )
    .unwrap();
    writeln!(md, "- storage deposit of the first pack of a new lot (pack + lot record): {}", c1.cost.deposit).unwrap();
    let with = r.get("anchor_record (patient: consent call)").cost.ref_time;
    let without = r.get("anchor_record (no patient: no consent call)").cost.ref_time;
    writeln!(
        md,
        "- extra ref_time of the consent call when anchoring a patient's record: {} ({:.2}×)",
        with.saturating_sub(without),
        with as f64 / without.max(1) as f64
    )
    .unwrap();
    writeln!(
        md,
        "- extra ref_time of consent_registry's emergency path over its permit path: {} ({:.2}×)",
        emergency.saturating_sub(permit),
        emergency as f64 / permit.max(1) as f64
    )
    .unwrap();

    let mut json = String::from("{\n  \"wasm_bytes\": {");
    json += &sizes.iter().map(|(n, b)| format!("\"{n}\": {b}")).collect::<Vec<_>>().join(", ");
    json += "},\n  \"messages\": [\n";
    json += &r
        .rows
        .iter()
        .map(|row| {
            format!(
                "    {{\"contract\": \"{}\", \"message\": \"{}\", \"ref_time\": {}, \"proof_size\": {}, \"storage_deposit\": {}}}",
                row.contract, row.message, row.cost.ref_time, row.cost.proof_size, row.cost.deposit
            )
        })
        .collect::<Vec<_>>()
        .join(",\n");
    json += &format!(
        "\n  ],\n  \"baseline_ref_time\": {{\"consent_registry\": {}, \"break_glass\": {}, \"record_anchor\": {}, \"research_registry\": {}}},\n",
        baseline("consent_registry"),
        baseline("break_glass"),
        baseline("record_anchor"),
        baseline("research_registry")
    );
    json += &format!(
        "  \"consent_storage_deposit\": {deposit_one_consent},\n  \"emergency_path_extra_ref_time\": {}\n}}\n",
        emergency.saturating_sub(permit)
    );

    std::fs::create_dir_all(&out_dir).expect("creating the output directory");
    std::fs::write(out_dir.join("report.md"), &md).expect("writing report.md");
    std::fs::write(out_dir.join("report.json"), &json).expect("writing report.json");
    print!("{md}");
}
