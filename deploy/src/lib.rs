//! The `carechain` tool: builds the five contracts, deploys them in dependency order
//! (break_glass → consent_registry → record_anchor → pharma_ledger), wires each to its peer,
//! verifies the result by calling every contract back, and records it in a manifest; `audit`
//! indexes their events and answers auditors' questions from the index.
#![cfg_attr(test, allow(clippy::panic, clippy::unwrap_used, clippy::expect_used))]

pub mod artifacts;
pub mod audit;
pub mod call;
pub mod chain;
pub mod cli;
pub mod embedded;
pub mod error;
pub mod fixtures;
pub mod live;
pub mod manifest;
pub mod record;
pub mod sandbox;
pub mod suite;
pub mod walkthrough;

use artifacts::Artifacts;
use chain::{giga, hex, ss58, Chain, Cost};
use cli::{AuditQuery, Command, DeployArgs, Format, RecordCommand, VerifyArgs};
use error::{DeployError, Result};
use manifest::Manifest;
use std::path::{Path, PathBuf};
use suite::Step;

/// The workspace this tool was built in (where `contracts/` and `deploy/` are).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Enough for the deposits and fees of the walkthrough's accounts on the embedded chain.
const EMBEDDED_FUNDS: u128 = 1_000_000_000_000_000;

/// The program: parse the command line, run it, print a failure as one line.
pub fn main() -> std::process::ExitCode {
    use clap::Parser;
    // A bug must still end in one line, not a stack trace.
    std::panic::set_hook(Box::new(|info| eprintln!("error: internal error: {info}")));
    match run(cli::Cli::parse().command()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Deploy(args) => deploy(args),
        Command::Verify(args) => verify(args),
        Command::Audit(query) => audit(query),
        Command::Record(command) => record(command),
    }
}

fn record(command: RecordCommand) -> Result<()> {
    let RecordCommand::Hash { file, salt, json } = command;
    let io = |reason: String| DeployError::Io { path: file.display().to_string(), reason };
    let bytes = if file.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map_err(|e| io(e.to_string()))?;
        buf
    } else {
        std::fs::read(&file).map_err(|e| io(e.to_string()))?
    };
    let salt = match salt {
        Some(value) => record::parse_salt(&value).ok_or_else(|| DeployError::BadArgument {
            what: "salt (32 bytes written as 64 hexadecimal digits)".into(),
            value,
        })?,
        None => record::fresh_salt().map_err(|reason| DeployError::Io { path: "the random source".into(), reason })?,
    };
    let hashed = record::record_hash(&salt, &bytes);
    if json {
        let out = serde_json::json!({ "form": hashed.form.name(), "salt": hex(&salt), "hash": hex(&hashed.hash) });
        println!("{out}");
    } else {
        let form = match hashed.form {
            record::Form::CanonicalJson => "canonical JSON (RFC 8785)",
            record::Form::Bytes => "the file's bytes as they are",
        };
        println!("form: {form}\nsalt: {}\nhash: {}", hex(&salt), hex(&hashed.hash));
    }
    Ok(())
}

fn print_table(t: &audit::report::Table, format: Format) {
    if format.json {
        println!("{}", serde_json::to_string_pretty(&t.to_json()).unwrap_or_default());
    } else if format.csv {
        print!("{}", t.to_csv());
    } else {
        print!("{}", t.to_text());
    }
}

fn open_db(path: &Path) -> Result<audit::store::Sqlite> {
    if !path.is_file() {
        return Err(DeployError::Io { path: path.display().to_string(), reason: "no such audit database".into() });
    }
    audit::store::Sqlite::open_read_only(path)
}

fn audit(query: AuditQuery) -> Result<()> {
    use audit::query::{self as q, Answer, Query};
    use audit::report::EmergencyFilter;
    let (db, query, fhir, format, window) = match query {
        AuditQuery::Serve(args) => return serve(args),
        AuditQuery::Index(args) => return index_live(args),
        AuditQuery::Disclosures { db, patient, since, until, fhir, format, window } => {
            let (patient, since, until) =
                (q::patient(&patient)?, q::time(since.as_deref())?, q::time(until.as_deref())?);
            (db, Query::Disclosures { patient, since, until }, fhir, format, window)
        }
        AuditQuery::Consents { db, patient, fhir, format, window } => {
            (db, Query::Consents { patient: q::patient(&patient)? }, fhir, format, window)
        }
        AuditQuery::Emergency { db, pending, overdue, format, window } => {
            let which = match (pending, overdue) {
                (_, true) => EmergencyFilter::Overdue,
                (true, _) => EmergencyFilter::Pending,
                _ => EmergencyFilter::All,
            };
            (db, Query::Emergency(which), false, format, window)
        }
        AuditQuery::Pack { db, gtin, serial, format, window } => {
            let (gtin, serial) = q::pack(&gtin, &serial)?;
            (db, Query::Pack { gtin, serial }, false, format, window)
        }
        AuditQuery::Record { db, hash, format, window } => {
            (db, Query::Record { content_hash: q::content_hash(&hash)? }, false, format, window)
        }
    };
    let page = q::Page::parse(window.offset.as_deref(), window.limit.as_deref(), None)?;
    let paged = q::answer_page(&open_db(&db)?, &query, fhir, now_ms(), page)?;
    if let Some(next) = paged.next_offset() {
        // On stderr, so JSON, CSV and FHIR on stdout stay exactly the rows.
        eprintln!(
            "rows {}-{} of {}; --offset {next} for the next",
            page.offset.saturating_add(1),
            page.offset.saturating_add(paged.returned),
            paged.total
        );
    }
    match paged.answer {
        Answer::Table(t) => print_table(&t, format),
        Answer::Fhir(resource) => println!("{}", serde_json::to_string_pretty(&resource).unwrap_or_default()),
    }
    Ok(())
}

/// Follows a live chain's finalized blocks into the audit database, from its cursor (on a new
/// database: the block the first contract was instantiated in). With `--follow`, a node that
/// stops answering is reconnected to (`audit::Reconnect`: when, and when to give up); a node
/// on another chain or one that pruned a block still to index ends the run. The first
/// connection is not retried: a wrong URL says so at once.
fn index_live(args: cli::IndexArgs) -> Result<()> {
    use audit::store::AuditStore;
    let path = args.manifest.display().to_string();
    let m = Manifest::load(&args.manifest)?
        .ok_or_else(|| DeployError::ManifestInvalid { path: path.clone(), reason: "no such file".into() })?;
    let binding = audit::binding(&m)?;
    let connect = || -> Result<live::Live> {
        let mut live = live::Live::read_only(&args.url, ink::primitives::AccountId::from([0; 32]))?;
        let connected = live.genesis_hash()?;
        if connected != binding.genesis_hash {
            return Err(DeployError::WrongChain { manifest: hex(&binding.genesis_hash), connected: hex(&connected) });
        }
        Ok(live)
    };
    let mut live = connect()?;
    let mut store = audit::store::Sqlite::open(&args.db)?;
    store.bind(&binding)?;
    let mut reconnect = audit::Reconnect::default();
    loop {
        match index_pass(&live, &mut store, &binding, &args) {
            Ok(()) => reconnect.pass_succeeded(),
            Err(mut lost @ DeployError::NodeUnreachable { .. }) if args.follow => {
                let at = store.next_block()?;
                if !reconnect.pass_failed(at) {
                    return Err(lost);
                }
                loop {
                    let wait = reconnect.next_wait();
                    eprintln!(
                        "audit index: {lost}; reconnecting in {} s (the index resumes at block {at})",
                        wait.as_secs()
                    );
                    std::thread::sleep(wait);
                    match connect() {
                        Ok(again) => {
                            eprintln!("audit index: reconnected to {}", args.url);
                            live = again;
                            break;
                        }
                        Err(e @ DeployError::NodeUnreachable { .. }) => lost = e,
                        Err(e) => return Err(e),
                    }
                }
            }
            Err(e) => return Err(e),
        }
        if !args.follow {
            return Ok(());
        }
        use std::io::Write;
        let _ = std::io::stdout().flush();
        std::thread::sleep(std::time::Duration::from_secs(2));
    }
}

/// Indexes the finalized blocks from the store's cursor to the node's finalized head, and says
/// what it stored.
fn index_pass(
    live: &live::Live,
    store: &mut audit::store::Sqlite,
    binding: &audit::store::Binding,
    args: &cli::IndexArgs,
) -> Result<()> {
    use audit::store::AuditStore;
    let from = store.next_block()?;
    let head = live.finalized_number()?;
    let mut report = audit::IndexReport::default();
    for block in from..=head {
        let events = live.contract_events(block)?;
        audit::index_block(store, binding, block, &events, &mut report)?;
        if block % 1000 == 0 && block != head {
            println!("  … block {block} of {head}, {} carechain events so far", report.stored);
        }
    }
    if from > head && !args.follow {
        println!(
            "audit index ({}): up to date at finalized block {head}, 0 carechain events stored; {} in the index",
            args.db.display(),
            store.event_count()?
        );
    } else if from <= head {
        println!(
            "audit index ({}): finalized blocks {from}..={head}: {} carechain events stored, {} already indexed, \
             {} of other contracts, {} unknown; {} in the index",
            args.db.display(),
            report.stored,
            report.already_indexed,
            report.foreign,
            report.unknown,
            store.event_count()?
        );
    }
    Ok(())
}

fn serve(args: cli::ServeArgs) -> Result<()> {
    open_db(&args.db)?;
    let listener = audit::serve::listen(args.listen, args.allow_remote)?;
    let local =
        listener.local_addr().map_err(|e| DeployError::Io { path: args.listen.to_string(), reason: e.to_string() })?;
    // The first line says where: with port 0 a caller learns the port from it.
    println!("serving {} read-only on http://{local}/v1 (Ctrl-C stops)", args.db.display());
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let options = audit::serve::Options { db: args.db, allow_origins: args.allow_origins };
    audit::serve::serve(listener, options, now_ms)
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

fn cost(c: &Cost) -> String {
    format!("ref_time {:>9}  proof {:>7} B  deposit {:>6}", giga(c.ref_time), c.proof_size, c.deposit)
}

fn print_step(step: &Step) {
    match step {
        Step::Reused { contract, address } => println!("  = {contract:<17} reused at {}", ss58(address)),
        Step::Deployed { contract, address, block, cost: c } => {
            println!("  + {contract:<17} deployed at {} (block {block})  {}", ss58(address), cost(c))
        }
        Step::WouldDeploy { contract, cost: c } => {
            println!("  ? {contract:<17} would upload and instantiate  {}", cost(c))
        }
        Step::Rewired { contract, peer, block } => {
            println!("  ~ {contract:<17} rewired to {} (block {block})", ss58(peer))
        }
        Step::WouldRewire { contract, peer } => println!("  ? {contract:<17} would be rewired to {}", ss58(peer)),
        Step::Trusted { caller, block } => {
            println!("  ~ {:<17} trusts research_registry {} (block {block})", "consent_registry", ss58(caller))
        }
        Step::WouldTrust { caller } => {
            println!("  ? {:<17} would trust research_registry {}", "consent_registry", ss58(caller))
        }
    }
}

fn load_artifacts(args_dir: Option<&Path>) -> Result<Artifacts> {
    let artifacts = match args_dir {
        Some(dir) => {
            println!("artifacts from {}", dir.display());
            Artifacts::from_dir(dir)?
        }
        None => {
            println!("building the contracts in release mode (scripts/build: reproducible, code hashes checked)");
            Artifacts::build(&workspace_root(), |name| println!("  building {name}"))?
        }
    };
    for a in &artifacts.0 {
        println!("  {:<17} {:>7} bytes  code {}…", a.name, a.wasm.len(), &hex(&a.code_hash)[..18]);
    }
    Ok(artifacts)
}

fn deploy(args: DeployArgs) -> Result<()> {
    check_audit_db(&args)?;
    let artifacts = load_artifacts(args.artifacts.as_deref())?;
    match &args.url {
        None => deploy_embedded(&args, &artifacts).map(|_| ()),
        Some(url) => deploy_live(&args, url, &artifacts),
    }
}

/// `--audit-db` indexes the embedded walkthrough's events: with a live chain, a dry run or no
/// walkthrough there is nothing it could hold. The CLI refuses those flags together; a library
/// caller gets the same answer here, before anything runs.
fn check_audit_db(args: &DeployArgs) -> Result<()> {
    let conflict =
        [(args.url.is_some(), "--url"), (args.dry_run, "--dry-run"), (args.no_walkthrough, "--no-walkthrough")]
            .into_iter()
            .find(|(set, _)| args.audit_db.is_some() && *set);
    match conflict {
        Some((_, flag)) => Err(DeployError::BadArgument {
            what: "combination of options (--audit-db indexes the embedded walkthrough's events)".into(),
            value: format!("--audit-db with {flag}"),
        }),
        None => Ok(()),
    }
}

/// Deploys to a fresh embedded chain, then walks through the suite. Returns the chain and the
/// manifest so tests can keep going.
pub fn deploy_embedded(args: &DeployArgs, artifacts: &Artifacts) -> Result<(embedded::Embedded, Manifest)> {
    let cast =
        walkthrough::Cast::new(ink::primitives::AccountId::from(subxt_signer::sr25519::dev::alice().public_key().0));
    check_audit_db(args)?;
    if let Some(path) = &args.audit_db {
        if path.exists() {
            // An embedded chain is new on every run: its history must not mix with another's.
            return Err(DeployError::Io {
                path: path.display().to_string(),
                reason: "exists; the embedded chain's audit index is written to a new file".into(),
            });
        }
    }
    let mut chain = embedded::Embedded::new(cast.owner, now_ms());
    for who in cast.everyone() {
        chain.fund(who, EMBEDDED_FUNDS)?;
    }
    println!("deploying to the embedded chain (in-process pallet-contracts) as {}", ss58(&cast.owner));
    let opts = suite::Options { network: "embedded", dry_run: args.dry_run, manifest_path: args.manifest.as_deref() };
    let (m, _) = suite::deploy(&mut chain, artifacts, None, &opts, &mut print_step)?;
    if args.dry_run {
        println!("dry run: nothing was deployed");
        return Ok((chain, m));
    }
    print_verified(&mut chain, &m, artifacts)?;
    if !args.no_walkthrough {
        println!("walkthrough");
        let steps = walkthrough::walkthrough(&mut chain, &m, &cast)?;
        for s in &steps {
            println!("  ✓ {:<24} {:<44} {}", s.name, s.answer, cost(&s.cost));
        }
        println!("walkthrough: all {} steps answered as the suite promises", steps.len());
        print_disclosures(&chain, &m, &cast, args.audit_db.as_deref())?;
    }
    Ok((chain, m))
}

/// Indexes the embedded chain's events and prints what an auditor gets: the walkthrough
/// patient's accounting of disclosures.
fn print_disclosures(
    chain: &embedded::Embedded,
    m: &Manifest,
    cast: &walkthrough::Cast,
    db: Option<&Path>,
) -> Result<()> {
    let mut store = match db {
        Some(path) => audit::store::Sqlite::open(path)?,
        None => audit::store::Sqlite::in_memory()?,
    };
    let report = audit::index(&mut store, &audit::binding(m)?, chain.events())?;
    println!(
        "audit index{}: {} carechain events from {} blocks",
        db.map(|p| format!(" ({})", p.display())).unwrap_or_default(),
        report.stored,
        report.blocks
    );
    let table = audit::report::disclosures(&store, &cast.patient, None, None)?;
    println!("accounting of disclosures for patient {} ({} entries):", ss58(&cast.patient), table.rows.len());
    for line in table.to_text().lines() {
        println!("  {line}");
    }
    Ok(())
}

fn print_verified(chain: &mut dyn Chain, m: &Manifest, artifacts: &Artifacts) -> Result<()> {
    println!("verified by calling each contract back");
    for line in suite::verify(chain, m, Some(artifacts))? {
        println!("  {line}");
    }
    Ok(())
}

fn deploy_live(args: &DeployArgs, url: &str, artifacts: &Artifacts) -> Result<()> {
    let suri = args.suri.as_deref().ok_or(DeployError::InvalidSecret)?;
    let network = args.network.clone().unwrap_or_else(|| cli::network_name(url));
    let path = args
        .manifest
        .clone()
        .unwrap_or_else(|| workspace_root().join("deploy").join("deployments").join(format!("{network}.json")));
    let existing = Manifest::load(&path)?;
    let mut chain = live::Live::connect(url, suri)?;
    println!(
        "deploying to {url} ({network}) as {}{}",
        ss58(&chain.signer()),
        if existing.is_some() { format!(", reusing {}", path.display()) } else { String::new() }
    );
    let opts = suite::Options { network: &network, dry_run: args.dry_run, manifest_path: Some(&path) };
    let (m, _) = suite::deploy(&mut chain, artifacts, existing, &opts, &mut print_step)?;
    if args.dry_run {
        println!("dry run: nothing was submitted or written");
        return Ok(());
    }
    print_verified(&mut chain, &m, artifacts)?;
    println!("manifest: {}", path.display());
    Ok(())
}

fn verify(args: VerifyArgs) -> Result<()> {
    let m = Manifest::load(&args.manifest)?.ok_or_else(|| DeployError::ManifestInvalid {
        path: args.manifest.display().to_string(),
        reason: "no such file".into(),
    })?;
    let url = args.url.clone().unwrap_or_else(|| m.chain_url.clone());
    if url == "embedded" {
        return Err(DeployError::ManifestInvalid {
            path: args.manifest.display().to_string(),
            reason: "an embedded chain lives only for one run; pass --url of a live chain".into(),
        });
    }
    let artifacts = args.artifacts.as_deref().map(Artifacts::from_dir).transpose()?;
    let deployer = chain::parse_ss58(&m.deployer).unwrap_or(ink::primitives::AccountId::from([0; 32]));
    let mut chain = live::Live::read_only(&url, deployer)?;
    for line in suite::verify(&mut chain, &m, artifacts.as_ref())? {
        println!("  {line}");
    }
    println!("{}: every address holds the expected code and the wiring matches", args.manifest.display());
    Ok(())
}
