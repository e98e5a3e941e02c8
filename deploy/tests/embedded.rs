//! The deploy tool end to end on the embedded chain: the same deployment, wiring and
//! verification code that runs against a live node, plus the binary as a user runs it.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use carechain::artifacts::Artifacts;
use carechain::chain::{hex, send, ss58, Chain};
use carechain::cli::DeployArgs;
use carechain::embedded::Embedded;
use carechain::error::DeployError;
use carechain::manifest::Manifest;
use carechain::suite::SUITE;
use carechain::suite::{self, builder, Options, Step};
use carechain::workspace_root;
use carechain_shared::Wiring;
use consent_registry::consent_registry::ConsentRegistry;
use ink::primitives::AccountId;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const OWNER: [u8; 32] = [0xD1; 32];

/// Release builds, made once per test process (tests run in parallel; builds must not).
fn artifacts() -> &'static (Artifacts, PathBuf) {
    static BUILT: OnceLock<(Artifacts, PathBuf)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let a = Artifacts::build(&workspace_root(), |_| {}).unwrap_or_else(|e| panic!("{e}"));
        (a, workspace_root().join("target").join("release-contracts"))
    })
}

fn funded_chain() -> Embedded {
    let mut chain = Embedded::new(AccountId::from(OWNER), carechain::fixtures::T0);
    chain.fund(AccountId::from(OWNER), 1_000_000_000_000_000).unwrap();
    chain
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("carechain-deploy-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn deploy(
    chain: &mut Embedded,
    existing: Option<Manifest>,
    path: Option<&Path>,
) -> Result<(Manifest, Vec<Step>), DeployError> {
    let opts = Options { network: "test", dry_run: false, manifest_path: path };
    suite::deploy(chain, &artifacts().0, existing, &opts, &mut |_| {})
}

#[test]
fn deploys_in_order_wires_each_hop_and_writes_what_it_did() {
    let mut chain = funded_chain();
    let path = temp("fresh").join("test.json");
    let (m, steps) = deploy(&mut chain, None, Some(&path)).unwrap();

    let names: Vec<_> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Deployed { contract, cost, .. } => {
                assert!(cost.ref_time > 0 && cost.deposit > 0, "{contract}: a real instantiation costs");
                Some(contract.as_str())
            }
            Step::Trusted { caller, .. } => {
                assert_eq!(Some(*caller), m.address_of("research_registry"), "the registry trusts research_registry");
                None
            }
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(names, ["break_glass", "consent_registry", "research_registry", "record_anchor", "pharma_ledger"]);
    assert!(matches!(steps.last(), Some(Step::Trusted { .. })), "the trust is granted once, last");
    for (name, peer) in SUITE {
        let entry = m.get(name).unwrap();
        assert_eq!(
            chain.code_hash_of(m.address_of(name).unwrap()).unwrap(),
            Some(artifacts().0.get(name).unwrap().code_hash)
        );
        assert_eq!(entry.peer.as_ref().map(|p| p.address.clone()), peer.map(|p| m.get(p).unwrap().address.clone()));
        assert!(entry.metadata.ends_with(&format!("{name}.json")));
        assert!(entry.block >= 1);
        if let Some(p) = peer {
            assert_eq!(suite::read_peer(&mut chain, name, m.address_of(name).unwrap()).unwrap(), m.address_of(p));
        }
    }
    assert_eq!(m.deployer, ss58(&AccountId::from(OWNER)));
    assert_eq!(m.genesis_hash, hex(&chain.genesis_hash().unwrap()));
    assert_eq!(Manifest::load(&path).unwrap(), Some(m.clone()), "the file says what the run returned");
    // A line per contract, the emergency probe, and the registry's trust in research_registry.
    assert_eq!(suite::verify(&mut chain, &m, Some(&artifacts().0)).map(|r| r.len()), Ok(7));
}

#[test]
fn a_rerun_with_the_manifest_reuses_everything_and_submits_nothing() {
    let mut chain = funded_chain();
    let (m, _) = deploy(&mut chain, None, None).unwrap();
    let balance = chain.free_balance(AccountId::from(OWNER)).unwrap();
    let (again, steps) = deploy(&mut chain, Some(m.clone()), None).unwrap();
    assert_eq!(again, m);
    assert!(steps.iter().all(|s| matches!(s, Step::Reused { .. })), "{steps:?}");
    assert_eq!(steps.len(), 5);
    assert_eq!(chain.free_balance(AccountId::from(OWNER)).unwrap(), balance, "nothing paid");
}

#[test]
fn a_redeployed_peer_is_deployed_again_and_its_caller_rewired() {
    let mut chain = funded_chain();
    let (mut m, _) = deploy(&mut chain, None, None).unwrap();
    let old = m.address_of("break_glass").unwrap();
    m.contracts.retain(|c| c.name != "break_glass");
    let (m2, steps) = deploy(&mut chain, Some(m), None).unwrap();
    let new = m2.address_of("break_glass").unwrap();
    assert_ne!(new, old);
    assert!(matches!(&steps[0], Step::Deployed { contract, .. } if contract == "break_glass"));
    assert!(steps
        .iter()
        .any(|s| matches!(s, Step::Rewired { contract, peer, .. } if contract == "consent_registry" && *peer == new)));
    assert_eq!(
        suite::read_peer(&mut chain, "consent_registry", m2.address_of("consent_registry").unwrap()).unwrap(),
        Some(new)
    );
    assert_eq!(m2.get("consent_registry").unwrap().peer.as_ref().unwrap().address, ss58(&new));
}

#[test]
fn verify_names_wrong_code_wrong_wiring_and_wrong_chain() {
    let mut chain = funded_chain();
    let (m, _) = deploy(&mut chain, None, None).unwrap();

    let mut swapped = m.clone();
    let (a, b) = (swapped.contracts[0].address.clone(), swapped.contracts[1].address.clone());
    swapped.contracts[0].address = b.clone();
    swapped.contracts[1].address = a;
    assert!(matches!(
        suite::verify(&mut chain, &swapped, None),
        Err(DeployError::CodeMismatch { contract, address, .. }) if contract == "break_glass" && address == b
    ));

    let mut nowhere = m.clone();
    nowhere.contracts[2].address = ss58(&AccountId::from([0x77; 32]));
    assert!(
        matches!(suite::verify(&mut chain, &nowhere, None), Err(DeployError::NotDeployed { contract, .. }) if contract == "research_registry")
    );

    let mut other_chain = m.clone();
    other_chain.genesis_hash = hex(&[9; 32]);
    assert!(matches!(suite::verify(&mut chain, &other_chain, None), Err(DeployError::WrongChain { .. })));
    assert!(matches!(deploy(&mut chain, Some(other_chain), None), Err(DeployError::WrongChain { .. })));

    // Someone unwires the registry on chain: verify says which contract and peer.
    let mut reg = builder::<ConsentRegistry>(m.address_of("consent_registry").unwrap());
    send(&mut chain, "unwire", &reg.set_peer(None)).unwrap().value.unwrap();
    assert_eq!(
        suite::verify(&mut chain, &m, None),
        Err(DeployError::WiringMismatch {
            contract: "consent_registry".into(),
            peer: "break_glass".into(),
            found: "nothing".into(),
            expected: m.get("break_glass").unwrap().address.clone(),
        })
    );
    // …and a re-run repairs it.
    let (_, steps) = deploy(&mut chain, Some(m.clone()), None).unwrap();
    assert!(steps.iter().any(|s| matches!(s, Step::Rewired { contract, .. } if contract == "consent_registry")));
    assert!(suite::verify(&mut chain, &m, None).is_ok());

    // The registry's trust in research_registry withdrawn: verify names it, a re-run restores it.
    send(&mut chain, "distrust", &reg.set_research_registry(None)).unwrap().value.unwrap();
    assert!(matches!(
        suite::verify(&mut chain, &m, None),
        Err(DeployError::WiringMismatch { contract, peer, .. }) if contract == "consent_registry" && peer == "research_registry"
    ));
    let (_, steps) = deploy(&mut chain, Some(m.clone()), None).unwrap();
    assert!(steps
        .iter()
        .any(|s| matches!(s, Step::Trusted { caller, .. } if Some(*caller) == m.address_of("research_registry"))));
    assert!(suite::verify(&mut chain, &m, None).is_ok());
}

#[test]
fn rewiring_a_contract_the_deployer_does_not_own_is_refused_by_name() {
    let mut chain = funded_chain();
    let (m, _) = deploy(&mut chain, None, None).unwrap();
    let mut reg = builder::<ConsentRegistry>(m.address_of("consent_registry").unwrap());
    send(&mut chain, "unwire", &reg.set_peer(None)).unwrap().value.unwrap();
    let stranger = AccountId::from([0xD2; 32]);
    chain.fund(stranger, 1_000_000_000_000_000).unwrap();
    chain.act_as(stranger);
    assert_eq!(
        deploy(&mut chain, Some(m), None).map(|_| ()),
        Err(DeployError::NotOwner { contract: "consent_registry".into() })
    );
}

#[test]
fn an_unfunded_deployer_is_stopped_before_anything_is_submitted() {
    let mut chain = Embedded::new(AccountId::from([0xD3; 32]), carechain::fixtures::T0);
    let path = temp("unfunded").join("test.json");
    match deploy(&mut chain, None, Some(&path)) {
        Err(DeployError::InsufficientFunds { free: 0, account, .. }) => {
            assert_eq!(account, ss58(&AccountId::from([0xD3; 32])))
        }
        other => panic!("expected InsufficientFunds, got {other:?}"),
    }
    assert!(!path.exists(), "no manifest for nothing deployed");
}

#[test]
fn a_deployment_failing_midway_leaves_a_manifest_of_exactly_what_landed() {
    let mut chain = funded_chain();
    let (good, _) = artifacts();
    let mut bad = good.clone();
    // pharma_ledger's artifact replaced by code whose constructor rejects its input.
    let broken = bad.0.iter().position(|a| a.name == "pharma_ledger").unwrap();
    bad.0[broken].wasm = good.get("break_glass").unwrap().wasm.clone();
    bad.0[broken].code_hash = good.get("break_glass").unwrap().code_hash;
    let path = temp("midway").join("test.json");
    let opts = Options { network: "test", dry_run: false, manifest_path: Some(&path) };
    let err = suite::deploy(&mut chain, &bad, None, &opts, &mut |_| {}).map(|_| ());
    assert!(matches!(err, Err(DeployError::Rejected { ref step, .. }) if step.starts_with("pharma_ledger")), "{err:?}");
    let written = Manifest::load(&path).unwrap().unwrap();
    let names: Vec<_> = written.contracts.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["break_glass", "consent_registry", "research_registry", "record_anchor"]);
    for c in &written.contracts {
        assert!(chain.code_hash_of(written.address_of(&c.name).unwrap()).unwrap().is_some(), "{} is on chain", c.name);
    }
    // The next run with good artifacts finishes the job.
    let (done, steps) = deploy(&mut chain, Some(written), Some(&path)).unwrap();
    assert_eq!(steps.iter().filter(|s| matches!(s, Step::Reused { .. })).count(), 4);
    assert!(matches!(steps.last(), Some(Step::Trusted { .. })), "the trust is granted once all five are there");
    assert_eq!(done.contracts.len(), 5);
}

#[test]
fn a_dry_run_estimates_every_step_and_changes_nothing() {
    let mut chain = funded_chain();
    let path = temp("dry").join("test.json");
    let balance = chain.free_balance(AccountId::from(OWNER)).unwrap();
    let opts = Options { network: "test", dry_run: true, manifest_path: Some(&path) };
    let (m, steps) = suite::deploy(&mut chain, &artifacts().0, None, &opts, &mut |_| {}).unwrap();
    assert_eq!(steps.len(), 5);
    for s in &steps {
        let Step::WouldDeploy { cost, .. } = s else { panic!("{s:?}") };
        assert!(cost.ref_time > 0 && cost.proof_size > 0 && cost.deposit > 0, "{s:?}");
    }
    assert!(m.contracts.is_empty());
    assert!(!path.exists());
    assert_eq!(chain.free_balance(AccountId::from(OWNER)).unwrap(), balance);
}

/// The audit index holds the walkthrough's events: a library caller asking for one without the
/// walkthrough, or with a live chain, is refused before anything runs, as the CLI refuses the
/// flags together.
#[test]
fn an_audit_db_without_the_walkthrough_is_refused() {
    let db = temp("audit-db-refused").join("audit.sqlite");
    let refused = |flag: &str| {
        Err(DeployError::BadArgument {
            what: "combination of options (--audit-db indexes the embedded walkthrough's events)".into(),
            value: format!("--audit-db with {flag}"),
        })
    };
    for (args, flag) in [
        (DeployArgs { audit_db: Some(db.clone()), dry_run: true, ..DeployArgs::default() }, "--dry-run"),
        (DeployArgs { audit_db: Some(db.clone()), no_walkthrough: true, ..DeployArgs::default() }, "--no-walkthrough"),
    ] {
        assert_eq!(carechain::deploy_embedded(&args, &artifacts().0).map(|_| ()), refused(flag));
        assert!(!db.exists(), "nothing written");
    }
    // Through the library's command runner, with a live chain (no node needs to exist: the
    // refusal comes first).
    let live = DeployArgs { audit_db: Some(db.clone()), url: Some("ws://127.0.0.1:1".into()), ..DeployArgs::default() };
    assert_eq!(carechain::run(carechain::cli::Command::Deploy(live)), refused("--url"));
    assert!(!db.exists(), "nothing written");
}

#[test]
fn the_embedded_walkthrough_passes_every_step() {
    let (_, m) = carechain::deploy_embedded(&DeployArgs::default(), &artifacts().0).unwrap();
    assert_eq!(m.contracts.len(), 5);
}

// ----- the binary, as a user runs it ---------------------------------------------------------

fn tool(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_carechain")).args(args).env_remove("CARECHAIN_SURI").output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn one_line_error(stderr: &str) -> &str {
    assert_eq!(stderr.lines().count(), 1, "one line, no stack trace: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr.trim_end()
}

#[test]
fn the_main_job_deploys_to_the_embedded_chain_and_prints_the_walkthrough() {
    let dir = artifacts().1.display().to_string();
    let (code, stdout, stderr) = tool(&["--artifacts", &dir]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    for expected in [
        "+ break_glass",
        "+ consent_registry",
        "+ record_anchor",
        "+ pharma_ledger",
        "consent_registry → break_glass answers",
    ] {
        assert!(stdout.contains(expected), "missing {expected:?} in\n{stdout}");
    }
    let walk: Vec<&str> = stdout.lines().filter(|l| l.trim_start().starts_with('✓')).collect();
    let expected = [
        ("grant_consent", "consent #"),
        ("check_access", "PermittedByConsent("),
        ("anchor_record", "(consent checked)"),
        ("verify (record)", "current"),
        ("break_glass", "emergency grant #"),
        ("check_access (emergency)", "PermittedByEmergencyGrant("),
        ("record_access", "PermittedByConsent("),
        ("record_access (refused)", "Denied(NoConsent), audited"),
        ("record_access (emergency)", "PermittedByEmergencyGrant("),
        ("commission", "3 packs"),
        ("verify (pack)", "verified, Active"),
    ];
    assert_eq!(walk.len(), expected.len(), "{stdout}");
    for (line, (step, answer)) in walk.iter().zip(expected) {
        assert!(line.contains(&format!("✓ {step} ")) && line.contains(answer) && line.contains("ref_time"), "{line}");
    }
    assert!(stdout.contains("walkthrough: all 11 steps answered as the suite promises"), "{stdout}");
    // What an auditor gets: the patient's accounting of disclosures, the refusal included.
    let report = stdout.split("accounting of disclosures for patient").nth(1).unwrap_or_default();
    assert!(report.contains("(3 entries)"), "{stdout}");
    for expected in
        ["TREAT", "permitted  consent #1", "HRESCH", "denied     no consent", "ETREAT", "emergency grant #1"]
    {
        assert!(report.contains(expected), "missing {expected:?} in\n{report}");
    }
}

#[test]
fn user_errors_are_one_line_and_exit_non_zero() {
    let dir = artifacts().1.display().to_string();
    let (code, _, err) = tool(&["--artifacts", "/nonexistent/artifacts"]);
    assert_eq!(code, 1);
    assert!(one_line_error(&err).contains("artifact missing: /nonexistent/artifacts/break_glass.wasm"), "{err}");

    let (code, _, err) = tool(&["--artifacts", &dir, "--url", "ws://127.0.0.1:1", "--suri", "//Alice"]);
    assert_eq!(code, 1);
    assert!(one_line_error(&err).contains("node unreachable at ws://127.0.0.1:1"), "{err}");

    let secret = "not a secret uri at all!";
    let (code, _, err) = tool(&["--artifacts", &dir, "--url", "ws://127.0.0.1:1", "--suri", secret]);
    assert_eq!(code, 1);
    assert!(one_line_error(&err).contains("not a valid secret URI"), "{err}");
    assert!(!err.contains(secret), "the secret is never echoed");

    let (code, _, err) = tool(&["verify", "--manifest", "/nonexistent/local.json"]);
    assert_eq!(code, 1);
    assert!(one_line_error(&err).contains("no such file"), "{err}");

    // Artifacts of another ink! version.
    let old = temp("old-ink");
    for (name, _) in SUITE {
        for ext in ["wasm", "json"] {
            std::fs::copy(artifacts().1.join(format!("{name}.{ext}")), old.join(format!("{name}.{ext}"))).unwrap();
        }
    }
    let json = old.join("break_glass.json");
    let text = std::fs::read_to_string(&json).unwrap().replace("ink! 5.1.1", "ink! 4.3.0");
    std::fs::write(&json, text).unwrap();
    let (code, _, err) = tool(&["--artifacts", &old.display().to_string()]);
    assert_eq!(code, 1);
    assert!(
        one_line_error(&err).contains("break_glass was built with ink! 4.3.0, this suite needs ink! 5.1.1"),
        "{err}"
    );

    let (code, _, err) = tool(&["--bogus"]);
    assert_eq!(code, 2, "usage errors exit 2 (clap): {err}");
}
