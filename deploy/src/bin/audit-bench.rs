//! The audit index benchmark (a measurement, not a test): indexes 1,000,000 synthetic carechain
//! events — real event types, encoded as the contracts encode them — into a SQLite file, then
//! times the accounting of disclosures of patients among them. Writes `<out>/audit.md`.
//!
//!   cargo run --locked -p carechain --bin audit-bench -- benchmarks [events]

use carechain::audit::events::ChainEvent;
use carechain::audit::store::{Binding, Sqlite};
use carechain::audit::{self, report};
use carechain::chain::Emitted;
use carechain_shared::{AccessDecision, DataCategories, DenyReason, Purpose, PurposeSet};
use consent_registry::events::{AccessRecorded, ConsentGranted, ConsentRevoked};
use ink::env::Event;
use ink::primitives::AccountId;
use scale::Encode;
use std::time::Instant;

const REGISTRY: [u8; 32] = [0xC0; 32];
const EVENTS_PER_BLOCK: u64 = 100;
/// A hospital network's patients; each has ~1 in PATIENTS of the events.
const PATIENTS: u32 = 100_000;
const BLOCK_MS: u64 = 6_000;
use carechain::fixtures::T0;

fn patient(n: u32) -> AccountId {
    let mut a = [0u8; 32];
    a[..4].copy_from_slice(&n.to_be_bytes());
    a[4] = 0x9A;
    AccountId::from(a)
}

/// Event `i`: 80 % recorded accesses (a tenth of them refused), 15 % consents granted, 5 % revoked.
fn event(i: u64) -> ChainEvent {
    // A multiplicative hash spreads patients evenly without a random-number crate.
    let p = u32::try_from(i.wrapping_mul(2_654_435_761) % u64::from(PATIENTS)).unwrap_or(0);
    let who = patient(p);
    let other = AccountId::from([u8::try_from(i % 200).unwrap_or(0); 32]);
    let (signature, data) = match i % 20 {
        0..=15 => {
            let decision = if i % 10 == 0 {
                AccessDecision::Denied(DenyReason::NoConsent)
            } else {
                AccessDecision::PermittedByConsent(i)
            };
            let e = AccessRecorded {
                patient: who,
                accessor: other,
                custodian: AccountId::from([0xCC; 32]),
                categories: DataCategories::LAB_RESULTS,
                purpose: Purpose::Treatment,
                decision,
            };
            (AccessRecorded::SIGNATURE_TOPIC, e.encode())
        }
        16..=18 => {
            let e = ConsentGranted {
                patient: who,
                accessor: other,
                consent_id: i,
                categories: DataCategories::LAB_RESULTS,
                purposes: PurposeSet::of(Purpose::Treatment),
                valid_from: T0,
                valid_until: u64::MAX,
                document_hash: [0xD0; 32],
                granted_by: who,
                study_id: None,
            };
            (ConsentGranted::SIGNATURE_TOPIC, e.encode())
        }
        _ => {
            let e = ConsentRevoked { patient: who, accessor: other, consent_id: i, revoked_by: who };
            (ConsentRevoked::SIGNATURE_TOPIC, e.encode())
        }
    };
    let block = i / EVENTS_PER_BLOCK;
    ChainEvent {
        block,
        index: u32::try_from(i % EVENTS_PER_BLOCK).unwrap_or(0),
        extrinsic: Some(1),
        time_ms: T0.saturating_add(block.saturating_mul(BLOCK_MS)),
        emitted: Emitted {
            contract: AccountId::from(REGISTRY),
            topics: vec![
                signature.unwrap_or_default(),
                *AsRef::<[u8; 32]>::as_ref(&who),
                *AsRef::<[u8; 32]>::as_ref(&other),
            ],
            data,
        },
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((sorted.len() as f64 - 1.0) * p).round();
    sorted.get(rank as usize).copied().unwrap_or(f64::NAN)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = std::path::PathBuf::from(args.next().unwrap_or_else(|| "benchmarks".into()));
    let total: u64 = args.next().map(|n| n.parse()).transpose()?.unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("carechain-audit-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("audit.sqlite");
    let mut store = Sqlite::open(&path)?;
    let binding = Binding { genesis_hash: [0x6E; 32], contracts: vec![("consent_registry".into(), REGISTRY, 0)] };

    // Index block by block, as following a chain does (one transaction per block).
    let started = Instant::now();
    let mut stored = 0;
    let mut block = Vec::with_capacity(usize::try_from(EVENTS_PER_BLOCK)?);
    for i in 0..total {
        block.push(event(i));
        if block.len() == usize::try_from(EVENTS_PER_BLOCK)? || i + 1 == total {
            stored += audit::index(&mut store, &binding, &block)?.stored;
            block.clear();
        }
    }
    let index_s = started.elapsed().as_secs_f64();
    assert_eq!(stored, total, "every event stored once");
    drop(store);
    let store = Sqlite::open(&path)?;
    let bytes = std::fs::metadata(&path)?.len();

    // The accounting of disclosures of 200 patients spread over the range (a cold first query
    // included), and of the patient with the most events.
    let mut times = Vec::new();
    let mut rows = 0;
    for k in 0..200u32 {
        let who = patient(k.wrapping_mul(499) % PATIENTS);
        let t = Instant::now();
        let table = report::disclosures(&store, &who, None, None)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        rows += table.rows.len();
    }
    times.sort_by(f64::total_cmp);
    let who = patient(0);
    let t = Instant::now();
    report::disclosures(&store, &who, Some(T0), Some(T0 + 30 * 86_400_000))?;
    let window_ms = t.elapsed().as_secs_f64() * 1000.0;

    // The same accountings as FHIR R5 Bundles, and through `audit serve` over loopback HTTP
    // (a request opens the database read-only, queries, and closes: what the dApp waits for).
    let mut fhir_times = Vec::new();
    for k in 0..200u32 {
        let who = patient(k.wrapping_mul(499) % PATIENTS);
        let t = Instant::now();
        audit::fhir::disclosures(&store, &who, None, None)?;
        fhir_times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    fhir_times.sort_by(f64::total_cmp);
    let listener = audit::serve::listen("127.0.0.1:0".parse()?, false)?;
    let port = listener.local_addr()?.port();
    let options = audit::serve::Options { db: path.clone(), allow_origins: Vec::new() };
    std::thread::spawn(move || audit::serve::serve(listener, options, || 0));
    let mut http_times = Vec::new();
    for k in 0..200u32 {
        let who = carechain::chain::ss58(&patient(k.wrapping_mul(499) % PATIENTS));
        let t = Instant::now();
        let head = get_once(port, &format!("/v1/disclosures?patient={who}"))?;
        http_times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    }
    http_times.sort_by(f64::total_cmp);

    let md = format!(
        "# Audit index benchmark\n\n\
         Written by `scripts/bench` (`cargo run --locked -p carechain --bin audit-bench -- benchmarks`): \
         {total} synthetic consent_registry events (80 % recorded accesses, a tenth of them refused; 15 % consents \
         granted; 5 % revoked), SCALE-encoded with the contracts' own event types, {EVENTS_PER_BLOCK} per block, \
         over {PATIENTS} patients, indexed into a SQLite file (WAL, `synchronous=NORMAL`) one transaction per \
         block, as following a chain does. Debug build of the tool with SQLite compiled optimised \
         (`[profile.dev.package.libsqlite3-sys]`); 2-core machine, wall-clock.\n\n\
         | measure | value |\n|---|---:|\n\
         | events indexed per second | {:.0} |\n\
         | time to index {total} events | {index_s:.1} s |\n\
         | database size | {:.1} MB |\n\
         | bytes per event (database size / events) | {:.0} |\n\
         | `disclosures --patient` among {total} events, median of 200 patients | {:.2} ms |\n\
         | same, 95th percentile | {:.2} ms |\n\
         | same, slowest (the first, cold) | {:.2} ms |\n\
         | rows per patient (mean) | {:.1} |\n\
         | `disclosures --patient --since --until` (30 days) | {window_ms:.2} ms |\n\
         | `disclosures --patient --fhir` (R5 Bundle of AuditEvents), median / 95th percentile | {:.2} / {:.2} ms |\n\
         | `GET /v1/disclosures?patient=` through `audit serve` on loopback, median / 95th percentile | {:.2} / {:.2} ms |\n\n\
         Goal (issue #17): a patient's accounting among 1,000,000 indexed events within 50 ms.\n",
        total as f64 / index_s,
        bytes as f64 / 1e6,
        bytes as f64 / total as f64,
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times.last().copied().unwrap_or(f64::NAN),
        rows as f64 / 200.0,
        percentile(&fhir_times, 0.5),
        percentile(&fhir_times, 0.95),
        percentile(&http_times, 0.5),
        percentile(&http_times, 0.95),
    );
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join("audit.md"), &md)?;
    print!("{md}");
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// One `GET` on a connection of its own, read until the server closes it (`Connection: close`):
/// what a first page load waits for. The answer's head.
fn get_once(port: u16, target: &str) -> std::io::Result<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(20)))?;
    write!(stream, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer.split("\r\n\r\n").next().unwrap_or_default().to_string())
}
