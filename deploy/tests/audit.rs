//! The audit index on the embedded chain: every query's rows against what the walkthrough did
//! (the refused access included), resuming an interrupted index, refusing what is not this
//! deployment's or not carechain's, and the CLI as an auditor runs it.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use carechain::artifacts::Artifacts;
use carechain::audit::events::ChainEvent;
use carechain::audit::report::{self, EmergencyFilter};
use carechain::audit::store::{AuditStore, Binding, Sqlite};
use carechain::audit::{self, IndexReport};
use carechain::chain::{ss58, Emitted};
use carechain::cli::DeployArgs;
use carechain::manifest::Manifest;
use carechain::walkthrough::Cast;
use carechain::{embedded::Embedded, workspace_root};
use ink::primitives::AccountId;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

fn artifacts() -> &'static Artifacts {
    static BUILT: OnceLock<Artifacts> = OnceLock::new();
    BUILT.get_or_init(|| Artifacts::build(&workspace_root(), |_| {}).unwrap_or_else(|e| panic!("{e}")))
}

/// One walkthrough per test process: the chain's event log, its manifest, and its people.
fn walked() -> &'static (Vec<ChainEvent>, Manifest, Cast) {
    static WALKED: OnceLock<(Vec<ChainEvent>, Manifest, Cast)> = OnceLock::new();
    WALKED.get_or_init(|| {
        let (chain, m): (Embedded, Manifest) = carechain::deploy_embedded(&DeployArgs::default(), artifacts()).unwrap();
        let alice = AccountId::from(subxt_signer::sr25519::dev::alice().public_key().0);
        (chain.events().to_vec(), m, Cast::new(alice))
    })
}

fn indexed() -> (Sqlite, IndexReport) {
    let (events, m, _) = walked();
    let mut store = Sqlite::in_memory().unwrap();
    let report = audit::index(&mut store, &audit::binding(m).unwrap(), events).unwrap();
    (store, report)
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("carechain-audit-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn strings(t: &report::Table, column: &str) -> Vec<String> {
    t.column(column).iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string)).collect()
}

#[test]
fn every_event_of_the_walkthrough_is_indexed_once() {
    let (events, _, _) = walked();
    let (store, report) = indexed();
    let names: Vec<&str> = events
        .iter()
        .map(|e| {
            let contract = walked().1.contracts.iter().find(|c| c.address == ss58(&e.emitted.contract)).unwrap();
            audit::events::event_name(&contract.name, &e.emitted.topics[0]).unwrap()
        })
        .collect();
    for expected in [
        "PeerWired",
        "ConsentGranted",
        "RecordAnchored",
        "AuthorityChanged",
        "ResponderRegistered",
        "GlassBroken",
        "CustodianChanged",
        "AccessRecorded",
        "PartnerRegistered",
        "GtinClaimed",
        "GtinAssigned",
        "PacksCommissioned",
    ] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    assert_eq!(names.iter().filter(|n| **n == "AccessRecorded").count(), 3);
    assert_eq!(report.stored, u64::try_from(events.len()).unwrap(), "{report:?}");
    assert_eq!((report.foreign, report.unknown, report.already_indexed), (0, 0, 0), "{report:?}");
    assert_eq!(store.event_count().unwrap(), report.stored);
}

#[test]
fn disclosures_list_every_recorded_access_refused_and_emergency_included() {
    let (_, _, cast) = walked();
    let (store, _) = indexed();
    let t = report::disclosures(&store, &cast.patient, None, None).unwrap();
    assert_eq!(t.rows.len(), 3, "{}", t.to_text());
    assert_eq!(strings(&t, "accessor"), [ss58(&cast.provider), ss58(&cast.stranger), ss58(&cast.responder)]);
    assert_eq!(strings(&t, "custodian"), vec![ss58(&cast.custodian); 3]);
    assert_eq!(strings(&t, "categories"), ["LAB_RESULTS", "LAB_RESULTS", "EMERGENCY_SUMMARY"]);
    assert_eq!(strings(&t, "purpose"), ["TREAT", "HRESCH", "ETREAT"]);
    assert_eq!(strings(&t, "decision"), ["permitted", "denied", "permitted"]);
    assert_eq!(strings(&t, "basis"), ["consent #1", "no consent", "emergency grant #1"]);
    assert_eq!(t.column("emergency"), [json!(false), json!(false), json!(true)]);
    let blocks: Vec<u64> = t.column("block").iter().map(|b| b.as_u64().unwrap()).collect();
    assert!(blocks.windows(2).all(|w| w[0] < w[1]), "chain order: {blocks:?}");

    // The window: exactly the accesses whose block time lies in it.
    let times: Vec<u64> = strings(&t, "time").iter().map(|s| audit::events::parse_time(s).unwrap()).collect();
    let only_second = report::disclosures(&store, &cast.patient, Some(times[1]), Some(times[1])).unwrap();
    assert_eq!(strings(&only_second, "decision"), ["denied"]);
    let before = report::disclosures(&store, &cast.patient, None, Some(times[0] - 1)).unwrap();
    assert!(before.rows.is_empty());

    // Nobody else's accounting holds them.
    for other in [cast.provider, cast.custodian, cast.stranger] {
        assert!(report::disclosures(&store, &other, None, None).unwrap().rows.is_empty());
    }
}

#[test]
fn consent_emergency_pack_and_record_histories_match_the_walkthrough() {
    let (events, _, cast) = walked();
    let (store, _) = indexed();

    let c = report::consents(&store, &cast.patient).unwrap();
    assert_eq!(strings(&c, "event"), ["ConsentGranted"]);
    assert_eq!(strings(&c, "by"), [ss58(&cast.patient)]);
    let detail = &strings(&c, "detail")[0];
    assert!(detail.contains("consent #1 to") && detail.contains("LAB_RESULTS for TREAT"), "{detail}");

    let last = events.iter().map(|e| e.time_ms).max().unwrap();
    let all = report::emergency_grants(&store, EmergencyFilter::All, last).unwrap();
    assert_eq!(all.column("grant"), [json!(1)]);
    assert_eq!(strings(&all, "patient"), [ss58(&cast.patient)]);
    assert_eq!(strings(&all, "responder"), [ss58(&cast.responder)]);
    assert_eq!(strings(&all, "review"), ["pending"]);
    assert_eq!(all.column("ended"), [Value::Null]);
    assert_eq!(report::emergency_grants(&store, EmergencyFilter::Pending, last).unwrap().rows.len(), 1);
    assert!(report::emergency_grants(&store, EmergencyFilter::Overdue, last).unwrap().rows.is_empty());
    let due = audit::events::parse_time(&strings(&all, "review_due")[0]).unwrap();
    assert_eq!(report::emergency_grants(&store, EmergencyFilter::Overdue, due + 1).unwrap().rows.len(), 1);

    let p = report::pack(&store, b"09506000134352", b"SN00000001").unwrap();
    assert_eq!(strings(&p, "event"), ["PacksCommissioned"]);
    assert!(strings(&p, "detail")[0].contains("lot LOT-1"), "{}", p.to_text());
    assert!(report::pack(&store, b"09506000134352", b"SN99999999").unwrap().rows.is_empty());

    let r = report::record(&store, &[0x1A; 32]).unwrap();
    assert_eq!(strings(&r, "event"), ["RecordAnchored"]);
    assert_eq!(strings(&r, "by"), [ss58(&cast.provider)]);
    assert!(report::record(&store, &[0x1B; 32]).unwrap().rows.is_empty());
}

#[test]
fn an_interrupted_index_resumes_and_never_stores_an_event_twice() {
    let (events, m, cast) = walked();
    let binding = audit::binding(m).unwrap();
    let path = temp("resume").join("audit.sqlite");
    let middle = events[events.len() / 2].block;

    // Interrupted after the block in the middle: the store has exactly what came before.
    let first: Vec<ChainEvent> = events.iter().filter(|e| e.block <= middle).cloned().collect();
    let r1 = audit::index(&mut Sqlite::open(&path).unwrap(), &binding, &first).unwrap();
    assert_eq!(r1.stored, u64::try_from(first.len()).unwrap());

    // Re-run over everything: only the rest is stored.
    let mut store = Sqlite::open(&path).unwrap();
    assert_eq!(store.next_block().unwrap(), middle + 1);
    let r2 = audit::index(&mut store, &binding, events).unwrap();
    assert_eq!(r1.stored + r2.stored, u64::try_from(events.len()).unwrap(), "{r1:?} {r2:?}");
    assert_eq!(store.event_count().unwrap(), u64::try_from(events.len()).unwrap());

    // Again: nothing new. Even a block replayed past the cursor stores nothing twice.
    assert_eq!(audit::index(&mut store, &binding, events).unwrap().stored, 0);
    let mut replay = IndexReport::default();
    let block = events[0].block;
    let again: Vec<ChainEvent> = events.iter().filter(|e| e.block == block).cloned().collect();
    let new = audit::carechain_events(&binding, &again, &mut replay);
    assert!(!new.is_empty());
    assert_eq!(store.commit_block(block, &new).unwrap(), 0);
    assert_eq!(store.event_count().unwrap(), u64::try_from(events.len()).unwrap());
    assert_eq!(report::disclosures(&store, &cast.patient, None, None).unwrap().rows.len(), 3);
}

#[test]
fn events_that_are_not_this_deployments_are_never_stored() {
    let (events, m, cast) = walked();
    let binding = audit::binding(m).unwrap();
    let access = events
        .iter()
        .find(|e| {
            e.emitted.topics.first()
                == <consent_registry::events::AccessRecorded as ink::env::Event>::SIGNATURE_TOPIC.as_ref()
        })
        .unwrap();
    let mut forged = Vec::new();
    // The same bytes from a contract the manifest does not name (a look-alike registry).
    let mut lookalike = access.clone();
    lookalike.emitted.contract = AccountId::from([0xEE; 32]);
    lookalike.index = 900;
    forged.push(lookalike);
    // At a suite address, under a signature that contract does not have (another contract's event).
    let glass = <break_glass::events::GlassBroken as ink::env::Event>::SIGNATURE_TOPIC.unwrap();
    let mut other = access.clone();
    other.emitted.topics[0] = glass;
    other.index = 901;
    forged.push(other);
    // Data that does not decode as the event it claims to be.
    let mut short = access.clone();
    short.emitted.data.pop();
    short.index = 902;
    forged.push(short);
    let mut long = access.clone();
    long.emitted.data.push(0);
    long.index = 903;
    forged.push(long);

    let mut store = Sqlite::in_memory().unwrap();
    let report = audit::index(&mut store, &binding, &forged).unwrap();
    assert_eq!((report.stored, report.foreign, report.unknown), (0, 1, 3), "{report:?}");
    assert!(report::disclosures(&store, &cast.patient, None, None).unwrap().rows.is_empty());
}

#[test]
fn an_emergency_grant_is_overdue_only_while_it_awaits_review() {
    use break_glass::events as bg;
    use ink::env::Event;
    use scale::Encode;
    let (_, m, cast) = walked();
    let binding = audit::binding(m).unwrap();
    let at = m.address_of("break_glass").unwrap();
    let mut index = 0;
    let mut emit = |block: u64, signature: Option<[u8; 32]>, data: Vec<u8>| {
        index += 1;
        ChainEvent {
            block,
            index,
            extrinsic: Some(1),
            time_ms: block * 1000,
            emitted: Emitted { contract: at, topics: vec![signature.unwrap()], data },
        }
    };
    let (patient, responder) = (cast.patient, cast.responder);
    let broken = |grant_id| bg::GlassBroken {
        patient,
        responder,
        grant_id,
        categories: carechain_shared::DataCategories::EMERGENCY_SUMMARY,
        justification_hash: [1; 32],
        expires_at: 50_000,
        review_due: 100_000,
    };
    let overdue = |grant_id| bg::ReviewOverdue { responder, grant_id, review_due: 100_000, flagged_by: patient };
    let events = vec![
        // Grant 7: flagged overdue, then reviewed. Grant 8: flagged, then disputed after a
        // justified review, with a new deadline. Grant 9: flagged and still waiting.
        emit(10, bg::GlassBroken::SIGNATURE_TOPIC, broken(7).encode()),
        emit(10, bg::GlassBroken::SIGNATURE_TOPIC, broken(8).encode()),
        emit(10, bg::GlassBroken::SIGNATURE_TOPIC, broken(9).encode()),
        emit(101, bg::ReviewOverdue::SIGNATURE_TOPIC, overdue(7).encode()),
        emit(101, bg::ReviewOverdue::SIGNATURE_TOPIC, overdue(8).encode()),
        emit(101, bg::ReviewOverdue::SIGNATURE_TOPIC, overdue(9).encode()),
        emit(
            102,
            bg::GrantReviewed::SIGNATURE_TOPIC,
            bg::GrantReviewed {
                patient,
                responder,
                grant_id: 7,
                justified: true,
                review_hash: [2; 32],
                reviewer: cast.custodian,
                strikes: 0,
            }
            .encode(),
        ),
        emit(
            103,
            bg::GrantDisputed::SIGNATURE_TOPIC,
            bg::GrantDisputed { patient, responder, grant_id: 8, review_due: 500_000 }.encode(),
        ),
    ];
    let mut store = Sqlite::in_memory().unwrap();
    assert_eq!(audit::index(&mut store, &binding, &events).unwrap().stored, 8);
    let now = 200_000;
    let all = report::emergency_grants(&store, EmergencyFilter::All, now).unwrap();
    assert_eq!(strings(&all, "review"), ["justified", "disputed", "pending"]);
    assert_eq!(all.column("overdue"), [json!(false), json!(false), json!(true)], "{}", all.to_text());
    assert_eq!(report::emergency_grants(&store, EmergencyFilter::Overdue, now).unwrap().column("grant"), [json!(9)]);
    let late = report::emergency_grants(&store, EmergencyFilter::Overdue, 500_001).unwrap();
    assert_eq!(late.column("grant"), [json!(8), json!(9)], "the disputed review's own deadline passed");
}

#[test]
fn a_store_indexes_one_deployment_and_one_schema_version() {
    let (events, m, _) = walked();
    let binding = audit::binding(m).unwrap();
    let dir = temp("bind");
    let path = dir.join("audit.sqlite");
    audit::index(&mut Sqlite::open(&path).unwrap(), &binding, events).unwrap();

    let other_chain = Binding { genesis_hash: [9; 32], ..binding.clone() };
    let err = audit::index(&mut Sqlite::open(&path).unwrap(), &other_chain, events).unwrap_err().to_string();
    assert!(err.contains("indexes another deployment"), "{err}");
    let mut moved = binding.clone();
    moved.contracts[1].1 = [7; 32];
    let err = audit::index(&mut Sqlite::open(&path).unwrap(), &moved, events).unwrap_err().to_string();
    assert!(err.contains("another address"), "{err}");

    // A database written by another schema version (or another program) is refused, unread.
    let newer = dir.join("newer.sqlite");
    {
        let c = rusqlite::Connection::open(&newer).unwrap();
        c.execute_batch("CREATE TABLE events (x); PRAGMA user_version = 2;").unwrap();
    }
    let err = Sqlite::open(&newer).err().unwrap().to_string();
    assert!(err.contains("schema version 2, this carechain reads version 1"), "{err}");
    let foreign = dir.join("foreign.sqlite");
    rusqlite::Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE t (x);").unwrap();
    assert!(Sqlite::open(&foreign).err().unwrap().to_string().contains("schema version 0"));
    let garbage = dir.join("garbage.sqlite");
    std::fs::write(&garbage, vec![0x42; 4096]).unwrap();
    assert!(Sqlite::open(&garbage).is_err());
}

/// Runs HL7's own definitions over `files` (tools/fhir-check: the R5 JSON schema, the
/// StructureDefinitions' cardinalities and required bindings): (passed, what it printed).
fn fhir_check(files: &[PathBuf]) -> (bool, String) {
    let tool = workspace_root().join("tools").join("fhir-check");
    assert!(
        tool.join("node_modules").join("hl7.fhir.r5.core").is_dir(),
        "tools/fhir-check has no packages: run scripts/setup (npm ci --prefix tools/fhir-check)"
    );
    let out = Command::new("node").arg(tool.join("check.mjs")).args(files).output().unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

fn codes(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|c| c["coding"][0]["code"].as_str().unwrap().to_string()).collect()
}

/// What the walkthrough does not do, as Consents: a revoked research consent a delegate signed,
/// covering sensitive categories, an expired one, and a deny rule against anyone — one file
/// per resource, as a FHIR server would take them.
fn folded_rules() -> Value {
    use carechain::audit::store::StoredEvent;
    use carechain_shared::{DataCategories, Purpose, PurposeSet};
    use consent_registry::events as cr;
    use scale::Encode;
    let (patient, accessor, delegate) = (AccountId::from([1; 32]), AccountId::from([2; 32]), AccountId::from([3; 32]));
    let at = |block: u64, name: &str, data: Vec<u8>| StoredEvent {
        block,
        index: 0,
        extrinsic: None,
        time_ms: 1_780_000_000_000 + block,
        contract: "consent_registry".into(),
        name: name.into(),
        data,
    };
    let granted = |id, until, study| cr::ConsentGranted {
        patient,
        accessor,
        consent_id: id,
        categories: DataCategories::ALL,
        purposes: PurposeSet::of(Purpose::Research).with(Purpose::PublicHealth),
        valid_from: 1_780_000_000_000,
        valid_until: until,
        document_hash: [5; 32],
        granted_by: delegate,
        study_id: study,
    };
    let found = [
        at(1, "ConsentGranted", granted(1, u64::MAX, Some(2)).encode()),
        at(2, "ConsentGranted", granted(2, 1_780_000_000_001, None).encode()),
        at(3, "ConsentRevoked", cr::ConsentRevoked { patient, accessor, consent_id: 1, revoked_by: patient }.encode()),
        at(4, "DenyRuleAdded", carechain::fixtures::no_genomics_for_research(patient, delegate, u64::MAX - 1).encode()),
    ];
    let resources = carechain::audit::fhir::consent_resources(&found, 1_790_000_000_000);
    let status: Vec<&str> = resources.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(status, ["inactive", "inactive", "active"]);
    Value::Array(resources)
}

#[test]
fn fhir_exports_are_valid_r5_and_say_what_the_tables_say() {
    use carechain::audit::fhir;
    let (events, _, cast) = walked();
    let (store, _) = indexed();
    let last = events.iter().map(|e| e.time_ms).max().unwrap();
    let table = report::disclosures(&store, &cast.patient, None, None).unwrap();
    let bundle = fhir::disclosures(&store, &cast.patient, None, None).unwrap();
    assert_eq!((bundle["type"].as_str(), bundle["total"].as_u64()), (Some("searchset"), Some(3)));
    let audit: Vec<&Value> = bundle["entry"].as_array().unwrap().iter().map(|e| &e["resource"]).collect();
    let recorded: Vec<String> = audit.iter().map(|a| a["recorded"].as_str().unwrap().to_string()).collect();
    assert_eq!(recorded, strings(&table, "time"));
    let outcome: Vec<&str> = audit.iter().map(|a| a["outcome"]["code"]["code"].as_str().unwrap()).collect();
    assert_eq!(outcome, ["0", "4", "0"], "the refused access is a failure");
    assert_eq!(audit[1]["outcome"]["detail"][0]["text"], "denied: no consent");
    let purposes: Vec<Vec<String>> = audit.iter().map(|a| codes(&a["authorization"])).collect();
    assert_eq!(purposes, [vec!["TREAT"], vec!["HRESCH"], vec!["ETREAT", "BTG"]], "the emergency access is marked");
    let who = |a: &Value, i: usize| a["agent"][i]["who"]["identifier"]["value"].as_str().unwrap().to_string();
    let accessors: Vec<String> = audit.iter().map(|a| who(a, 0)).collect();
    assert_eq!(accessors, strings(&table, "accessor"));
    assert!(audit
        .iter()
        .all(|a| who(a, 1) == ss58(&cast.custodian) && codes(&json!([a["agent"][1]["type"]])) == ["CST"]));
    assert!(audit.iter().all(|a| a["patient"]["identifier"]["value"] == ss58(&cast.patient)));
    assert_eq!(audit[0]["agent"][0]["policy"], json!(["urn:carechain:consent:1"]));
    assert_eq!(audit[2]["agent"][0]["policy"], json!(["urn:carechain:emergency-grant:1"]));
    assert!(audit[1]["agent"][0].get("policy").is_none(), "a refusal rests on no authorization");
    let urls: std::collections::BTreeSet<&str> =
        bundle["entry"].as_array().unwrap().iter().map(|e| e["fullUrl"].as_str().unwrap()).collect();
    assert_eq!(urls.len(), 3);

    let consents = fhir::consents(&store, &cast.patient, last).unwrap();
    let c = &consents["entry"][0]["resource"];
    assert_eq!(consents["total"], 1);
    assert_eq!((c["status"].as_str(), c["decision"].as_str()), (Some("active"), Some("permit")));
    assert_eq!(c["provision"][0]["actor"][0]["reference"]["identifier"]["value"], ss58(&cast.provider));
    assert_eq!(codes(&c["provision"][0]["code"]), ["LAB_RESULTS"]);

    // Nobody else's accounting or consents hold them.
    assert_eq!(fhir::disclosures(&store, &cast.stranger, None, None).unwrap()["total"], 0);
    assert_eq!(fhir::consents(&store, &cast.stranger, last).unwrap()["total"], 0);

    // HL7's definitions accept every export, empty ones included ...
    let dir = temp("fhir");
    let write = |name: &str, v: &Value| {
        let path = dir.join(name);
        std::fs::write(&path, serde_json::to_string_pretty(v).unwrap()).unwrap();
        path
    };
    let empty = fhir::disclosures(&store, &cast.stranger, None, None).unwrap();
    let files = [write("disclosures.json", &bundle), write("consents.json", &consents), write("empty.json", &empty)];
    let rules: Vec<PathBuf> = folded_rules()
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, r)| write(&format!("rule-{i}.json"), r))
        .collect();
    let files = [&files[..], &rules[..]].concat();
    let (ok, said) = fhir_check(&files);
    assert!(ok, "{said}");
    assert_eq!(said.matches("valid FHIR R5 Bundle").count(), 3, "{said}");
    assert_eq!(said.matches("valid FHIR R5 Consent").count(), 3, "{said}");

    // ... and the check is not a formality: a status R5 lacks, a missing 1..1 element and an
    // R4 element name each fail it.
    let mut wrong = consents.clone();
    wrong["entry"][0]["resource"]["decision"] = json!("allow");
    let mut missing = bundle.clone();
    missing["entry"][0]["resource"].as_object_mut().unwrap().remove("recorded");
    let mut r4 = bundle.clone();
    r4["entry"][2]["resource"]["purposeOfEvent"] = r4["entry"][2]["resource"]["authorization"].clone();
    for (name, broken, expected) in [
        ("wrong.json", wrong, "\"allow\" is not in"),
        ("missing.json", missing, "recorded is required"),
        ("r4.json", r4, "purposeOfEvent"),
    ] {
        let (ok, said) = fhir_check(&[write(name, &broken)]);
        assert!(!ok && said.contains(expected), "{name}: {said}");
    }
}

/// The audit API as a browser reaches it: one keep-alive client (reqwest, hyper underneath).
struct Api {
    client: reqwest::blocking::Client,
    port: u16,
}

impl Api {
    fn send(&self, method: reqwest::Method, target: &str, headers: &[(&str, &str)]) -> reqwest::blocking::Response {
        let mut req = self.client.request(method, format!("http://127.0.0.1:{}{target}", self.port));
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        req.send().unwrap()
    }

    /// Status and the body as JSON.
    fn get(&self, target: &str) -> (u16, Value) {
        let r = self.send(reqwest::Method::GET, target, &[]);
        (r.status().as_u16(), serde_json::from_str(&r.text().unwrap()).unwrap())
    }
}

#[test]
fn the_http_api_answers_what_the_queries_answer_and_nothing_else() {
    use carechain::audit::fhir;
    use std::io::BufRead;
    let (events, m, cast) = walked();
    let dir = temp("serve");
    let db = dir.join("audit.sqlite");
    {
        let mut store = Sqlite::open(&db).unwrap();
        audit::index(&mut store, &audit::binding(m).unwrap(), events).unwrap();
    }
    let before = std::fs::read(&db).unwrap();

    // Beyond loopback only when asked.
    let (code, _, err) = tool(&["audit", "serve", "--db", &db.display().to_string(), "--listen", "0.0.0.0:0"]);
    assert_eq!(code, 1);
    assert!(err.contains("loopback only"), "{err}");

    /// The server ends with the test, passed or failed.
    struct Server(std::process::Child);
    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_carechain"))
        .args(["audit", "serve", "--db", &db.display().to_string(), "--listen", "127.0.0.1:0"])
        .args(["--allow-origin", "http://localhost:5173"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let child = Server(child);
    let mut first = String::new();
    std::io::BufReader::new(stdout).read_line(&mut first).unwrap();
    let port: u16 = first.split("127.0.0.1:").nth(1).unwrap().split('/').next().unwrap().parse().unwrap();

    let store = Sqlite::open_read_only(&db).unwrap();
    let patient = ss58(&cast.patient);
    // A client that opens a connection and says nothing holds up no one else.
    let _silent = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let api = Api { client: reqwest::blocking::Client::builder().pool_max_idle_per_host(1).build().unwrap(), port };
    let get = |target: &str| api.get(target);

    let (status, rows) = get(&format!("/v1/disclosures?patient={patient}"));
    assert_eq!(status, 200);
    assert_eq!(rows, report::disclosures(&store, &cast.patient, None, None).unwrap().to_json());
    assert_eq!(rows.as_array().unwrap().len(), 3);
    let times = strings(&report::disclosures(&store, &cast.patient, None, None).unwrap(), "time");
    let window = format!("/v1/disclosures?patient={patient}&since={}&until={}", times[1], times[1]);
    assert_eq!(get(&window.replace(':', "%3A")).1.as_array().unwrap().len(), 1);
    let (status, bundle) = get(&format!("/v1/disclosures?patient={patient}&format=fhir"));
    assert_eq!((status, &bundle), (200, &fhir::disclosures(&store, &cast.patient, None, None).unwrap()));

    // Pages: the count in X-Total-Count, the next page in Link, until the last.
    let mut target = format!("/v1/disclosures?patient={patient}&limit=2");
    let mut paged = Vec::new();
    let mut pages = 0;
    loop {
        let r = api.send(reqwest::Method::GET, &target, &[]);
        assert_eq!(r.status().as_u16(), 200, "{target}");
        assert_eq!(r.headers()["x-total-count"], "3");
        // Keep-alive: the server does not close after each answer, as the hand-written one did.
        assert!(r.headers().get("connection").is_none_or(|c| c != "close"));
        let link = r.headers().get("link").map(|l| l.to_str().unwrap().to_string());
        paged.extend(serde_json::from_str::<Value>(&r.text().unwrap()).unwrap().as_array().unwrap().clone());
        pages += 1;
        let Some(link) = link else { break };
        target = link.strip_prefix('<').unwrap().strip_suffix(">; rel=\"next\"").unwrap().to_string();
        assert!(pages < 3, "two pages of two hold three rows");
    }
    assert_eq!(Value::Array(paged), rows);
    assert_eq!(pages, 2);
    let (_, page) = get(&format!("/v1/disclosures?patient={patient}&format=fhir&limit=2"));
    assert_eq!((page["total"].as_u64(), page["entry"].as_array().unwrap().len()), (Some(3), 2));
    let entries = |v: &Value| v["entry"].as_array().unwrap().clone();
    assert_eq!(entries(&page)[..], entries(&bundle)[..2]);
    let paged_bundle = dir.join("paged.fhir.json");
    std::fs::write(&paged_bundle, serde_json::to_vec(&page).unwrap()).unwrap();
    let (valid, report) = fhir_check(&[paged_bundle]);
    assert!(valid, "a page with its next link is a valid R5 Bundle: {report}");
    let next = page["link"][0]["url"].as_str().unwrap();
    assert_eq!(page["link"][0]["relation"], "next");
    let (_, rest) = get(next);
    assert_eq!((&entries(&rest)[..], rest.get("link")), (&entries(&bundle)[2..], None));
    let by_accept = api.send(
        reqwest::Method::GET,
        &format!("/v1/consents?patient={patient}"),
        &[("accept", "application/fhir+json")],
    );
    assert_eq!(by_accept.headers()["content-type"], "application/fhir+json");
    let (_, consents) = get(&format!("/v1/consents?patient={patient}"));
    assert_eq!(consents, report::consents(&store, &cast.patient).unwrap().to_json());
    assert_eq!(get("/v1/emergency?state=pending").1.as_array().unwrap().len(), 1);
    assert_eq!(get("/v1/packs/09506000134352/SN00000001").1.as_array().unwrap().len(), 1);
    assert_eq!(get(&format!("/v1/records/0x{}", "1a".repeat(32))).1.as_array().unwrap().len(), 1);
    let (_, status) = get("/v1/status");
    assert_eq!(status["events"], store.event_count().unwrap());
    assert_eq!(status["contracts"].as_array().unwrap().len(), 5);

    // What it refuses: a DNS-rebound host name, writes, an oversized head, bad arguments.
    let rebound = api.send(reqwest::Method::GET, "/v1/status", &[("host", "evil.example")]);
    assert_eq!(rebound.status().as_u16(), 421);
    for method in [reqwest::Method::DELETE, reqwest::Method::POST, reqwest::Method::PUT] {
        let r = api.send(method.clone(), "/v1/status", &[]);
        assert_eq!((r.status().as_u16(), r.headers()["allow"].to_str().unwrap()), (405, "GET"), "{method}");
    }
    let huge = "a".repeat(9000);
    assert_eq!(api.send(reqwest::Method::GET, "/v1/status", &[("x-padding", &huge)]).status().as_u16(), 431);
    let (code, body) = get("/v1/disclosures?patient=bob");
    assert_eq!(code, 400);
    assert!(body["error"].as_str().unwrap().contains("`bob` is not a valid patient"), "{body}");
    // The other guarantees still hold on the wire: no caching, no sniffing.
    let r = api.send(reqwest::Method::GET, "/v1/status", &[]);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");

    // CORS for the named origin only, preflight included.
    let with_origin = |origin: &str| api.send(reqwest::Method::GET, "/v1/status", &[("origin", origin)]);
    assert_eq!(with_origin("http://localhost:5173").headers()["access-control-allow-origin"], "http://localhost:5173");
    assert!(with_origin("https://evil.example").headers().get("access-control-allow-origin").is_none());
    let preflight = api.send(
        reqwest::Method::OPTIONS,
        "/v1/consents",
        &[
            ("origin", "http://localhost:5173"),
            ("access-control-request-method", "GET"),
            ("access-control-request-headers", "accept"),
        ],
    );
    assert_eq!(preflight.status().as_u16(), 200);
    assert_eq!(preflight.headers()["access-control-allow-methods"], "GET");

    // At most 32 connections: with the silent one and 31 more held open, a new one is told 503.
    drop(api);
    let held: Vec<_> = (0..31).map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).unwrap()).collect();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let fresh = Api { client: reqwest::blocking::Client::new(), port };
    let (code, body) = fresh.get("/v1/status");
    assert_eq!((code, body["error"].as_str()), (503, Some("busy; try again")));
    drop(held);
    drop(_silent);
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(Api { client: reqwest::blocking::Client::new(), port }.get("/v1/status").0, 200, "slots come back");

    drop(child);
    assert!(std::fs::read(&db).unwrap() == before, "the server never writes the database");
}

fn tool(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_carechain")).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn an_auditor_queries_the_walkthroughs_index_from_the_command_line() {
    let (_, _, cast) = walked();
    let dir = temp("cli");
    let db = dir.join("audit.sqlite");
    let dbs = db.display().to_string();
    let artifacts = workspace_root().join("target").join("release-contracts").display().to_string();
    let (code, out, err) = tool(&["deploy", "--artifacts", &artifacts, "--audit-db", &dbs]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains(&format!("audit index ({dbs})")), "{out}");

    let patient = ss58(&cast.patient);
    let (code, out, err) = tool(&["audit", "disclosures", "--db", &dbs, "--patient", &patient, "--json"]);
    assert_eq!(code, 0, "{err}");
    let rows: Value = serde_json::from_str(&out).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1]["decision"], "denied");
    assert_eq!(rows[2]["emergency"], true);
    assert!(rows[0]["block"].is_u64());

    let (code, out, err) = tool(&["audit", "disclosures", "--db", &dbs, "--patient", &patient, "--fhir"]);
    assert_eq!(code, 0, "{err}");
    let bundle: Value = serde_json::from_str(&out).unwrap();
    assert_eq!((bundle["resourceType"].as_str(), bundle["total"].as_u64()), (Some("Bundle"), Some(3)));
    let (code, out, err) = tool(&["audit", "consents", "--db", &dbs, "--patient", &patient, "--fhir"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["entry"][0]["resource"]["resourceType"], "Consent");
    let (code, _, _) = tool(&["audit", "consents", "--db", &dbs, "--patient", &patient, "--fhir", "--csv"]);
    assert_eq!(code, 2, "one format at a time");

    // A page: the rows on stdout exactly, where the rest are on stderr.
    let page = |extra: &[&str]| {
        let args = [&["audit", "disclosures", "--db", &dbs, "--patient", &patient, "--json"][..], extra].concat();
        let (code, out, err) = tool(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        (serde_json::from_str::<Value>(&out).unwrap(), err)
    };
    let (first, err) = page(&["--limit", "2"]);
    assert_eq!(first.as_array().unwrap()[..], rows[..2]);
    assert_eq!(err.trim_end(), "rows 1-2 of 3; --offset 2 for the next");
    let (last, err) = page(&["--limit", "2", "--offset", "2"]);
    assert_eq!((&last.as_array().unwrap()[..], err.as_str()), (&rows[2..], ""));
    let (code, _, err) = tool(&["audit", "disclosures", "--db", &dbs, "--patient", &patient, "--limit", "0"]);
    assert_eq!((code, err.trim_end()), (1, "error: `0` is not a valid limit (1 to 10000 rows)"));

    let (code, out, _) = tool(&["audit", "disclosures", "--db", &dbs, "--patient", &patient, "--csv"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "time,block,extrinsic,accessor,custodian,categories,purpose,decision,basis,emergency");
    assert_eq!(lines.len(), 4);

    for query in [
        &["consents", "--patient", &patient][..],
        &["emergency", "--pending"],
        &["record", &format!("0x{}", "1a".repeat(32))],
    ] {
        let args = [&["audit"][..], &query[..1], &["--db", &dbs], &query[1..]].concat();
        let (code, out, err) = tool(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert_eq!(out.lines().count(), 2, "a header and one row: {out}");
    }
    let (code, out, _) = tool(&["audit", "pack", "--db", &dbs, "09506000134352", "SN00000002"]);
    assert_eq!((code, out.lines().count()), (0, 2), "{out}");

    // The embedded index goes to a new file only: this run's history must not mix with another's.
    let (code, _, err) = tool(&["deploy", "--artifacts", &artifacts, "--audit-db", &dbs]);
    assert_eq!(code, 1);
    assert!(err.trim_end().ends_with("exists; the embedded chain's audit index is written to a new file"), "{err}");

    // Where nothing would be written, the option is refused rather than ignored.
    for other in [&["--url", "ws://127.0.0.1:9944"][..], &["--dry-run"], &["--no-walkthrough"]] {
        let args = [&["deploy", "--artifacts", &artifacts, "--audit-db", "/tmp/never.sqlite"][..], other].concat();
        let (code, _, err) = tool(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains("'--audit-db <AUDIT_DB>' cannot be used with"), "{args:?}: {err}");
    }

    // Errors are one line.
    for (args, expected) in [
        (vec!["audit", "disclosures", "--db", "/nonexistent.sqlite", "--patient", &patient], "no such audit database"),
        (vec!["audit", "disclosures", "--db", &dbs, "--patient", "bob"], "`bob` is not a valid patient"),
        (
            vec!["audit", "disclosures", "--db", &dbs, "--patient", &patient, "--since", "soon"],
            "`soon` is not a valid time",
        ),
        (vec!["audit", "pack", "--db", &dbs, "0950600013435X", "SN1"], "not a valid GTIN"),
        (vec!["audit", "pack", "--db", &dbs, "09506000134353", "SN1"], "not a valid GTIN"),
        (vec!["audit", "pack", "--db", &dbs, "09506000134352", "SN 1"], "not a valid serial"),
        (vec!["audit", "record", "--db", &dbs, "0x12"], "not a valid content hash"),
    ] {
        let (code, _, err) = tool(&args);
        assert_eq!(code, 1, "{args:?}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("error: ") && err.contains(expected), "{args:?}: {err}");
    }

    // The former name is the same program.
    let old = Command::new(env!("CARGO_BIN_EXE_carechain-deploy")).args(["audit", "--help"]).output().unwrap();
    assert!(old.status.success() && String::from_utf8_lossy(&old.stdout).contains("disclosures"));
}

#[test]
fn the_decoder_knows_every_event_each_contracts_metadata_declares() {
    artifacts();
    let dir = workspace_root().join("target").join("release-contracts");
    for (contract, names) in audit::events::CATALOGUE {
        let metadata: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{contract}.json"))).unwrap()).unwrap();
        let declared = metadata["spec"]["events"].as_array().unwrap();
        let mut own = 0;
        for event in declared {
            let label = event["label"].as_str().unwrap();
            let topic = carechain::chain::parse_hash(event["signature_topic"].as_str().unwrap()).unwrap();
            assert_eq!(audit::events::event_name(contract, &topic), Some(label), "{contract}::{label}");
            if names.contains(&label) {
                own += 1;
            } else {
                assert!(
                    audit::events::admin_event_names().any(|a| a == label),
                    "{contract}::{label} is not catalogued"
                );
            }
        }
        assert_eq!(own, names.len(), "{contract}: the catalogue lists an event the contract does not declare");
    }
}
