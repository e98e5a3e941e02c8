//! The command line: `carechain [deploy] [--url …]`, `carechain verify` and `carechain audit …`
//! (`carechain-deploy` is the same program under its former name).

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser, PartialEq, Eq)]
#[command(
    name = "carechain",
    version,
    about = "Build, deploy, wire and verify the five carechain contracts, and query their audit trail",
    long_about = "Without --url: deploys to an embedded, in-process pallet-contracts chain and runs a smoke \
walkthrough. With --url: deploys to that chain, writes deploy/deployments/<network>.json, and on re-runs \
reuses what the manifest says is deployed.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub deploy: DeployArgs,
}

#[derive(Debug, Subcommand, PartialEq, Eq)]
pub enum Command {
    /// Deploy and wire the suite (the default).
    Deploy(DeployArgs),
    /// Check that every address of a manifest holds the expected code and the wiring matches.
    Verify(VerifyArgs),
    /// Query an audit index: disclosures, consent history, emergency accesses, packs, records.
    #[command(subcommand)]
    Audit(AuditQuery),
    /// Work with records off chain: the record hash to anchor (docs/record-hash.md).
    #[command(subcommand)]
    Record(RecordCommand),
}

#[derive(Debug, Subcommand, Clone, PartialEq, Eq)]
pub enum RecordCommand {
    /// Print the salt and the record hash of a file (canonical JSON for a JSON record, else its
    /// bytes), as `anchor_record` takes it. Keep the salt with the record: without it nobody,
    /// you included, can show the file matches its anchor.
    Hash {
        /// The record's file (`-` reads standard input). It is only read, never sent anywhere.
        file: PathBuf,
        /// The record's salt (64 hexadecimal digits); a fresh random one when omitted.
        #[arg(long)]
        salt: Option<String>,
        /// Print a JSON object instead of lines.
        #[arg(long)]
        json: bool,
    },
}

/// How a query prints: a readable table (default), `--json` or `--csv`.
#[derive(Debug, Args, Clone, Copy, PartialEq, Eq, Default)]
pub struct Format {
    /// Print a JSON array of objects, one per row.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV (RFC 4180) with a header row.
    #[arg(long)]
    pub csv: bool,
}

/// Which rows of a history to print (the whole history unless told).
#[derive(Debug, Args, Clone, PartialEq, Eq, Default)]
pub struct Window {
    /// Skip this many rows (with --limit: the next page).
    #[arg(long)]
    pub offset: Option<String>,
    /// Print at most this many rows (1 to 10000).
    #[arg(long)]
    pub limit: Option<String>,
}

#[derive(Debug, Subcommand, Clone, PartialEq, Eq)]
pub enum AuditQuery {
    /// The HIPAA accounting of disclosures (45 CFR 164.528): every recorded access to a
    /// patient's data, permitted and refused, emergency accesses marked.
    Disclosures {
        /// The audit database (SQLite), as `deploy --audit-db` wrote it.
        #[arg(long)]
        db: PathBuf,
        /// The patient's account (SS58, or 0x and 64 hex digits).
        #[arg(long)]
        patient: String,
        /// Only accesses at or after this time (ms since the epoch, 2026-01-31 or 2026-01-31T12:00:00Z).
        #[arg(long)]
        since: Option<String>,
        /// Only accesses at or before this time.
        #[arg(long)]
        until: Option<String>,
        /// Print a FHIR R5 Bundle of AuditEvents (docs/fhir.md).
        #[arg(long, conflicts_with_all = ["json", "csv"])]
        fhir: bool,
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        window: Window,
    },
    /// A patient's consent history: grants, revocations, deny rules, delegates, research answers.
    Consents {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        patient: String,
        /// Print a FHIR R5 Bundle of Consents, one per consent and deny rule (docs/fhir.md).
        #[arg(long, conflicts_with_all = ["json", "csv"])]
        fhir: bool,
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        window: Window,
    },
    /// Break-glass grants with their review state.
    Emergency {
        #[arg(long)]
        db: PathBuf,
        /// Only grants awaiting an authority's review.
        #[arg(long, conflicts_with = "overdue")]
        pending: bool,
        /// Only pending grants past their review deadline.
        #[arg(long)]
        overdue: bool,
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        window: Window,
    },
    /// A pack's custody history (commissioning, shipments, receipts, dispense, alerts, recall).
    Pack {
        #[arg(long)]
        db: PathBuf,
        /// The pack's GTIN (14 digits).
        gtin: String,
        /// The pack's serial number.
        serial: String,
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        window: Window,
    },
    /// Index a live chain's finalized blocks into an audit database; re-run, it resumes.
    Index(IndexArgs),
    /// Serve these queries as a read-only JSON HTTP API (docs/audit-api.md), on loopback.
    Serve(ServeArgs),
    /// Every anchor of a content hash: issuers, versions, retractions.
    Record {
        #[arg(long)]
        db: PathBuf,
        /// The record's content hash (0x and 64 hex digits).
        hash: String,
        #[command(flatten)]
        format: Format,
        #[command(flatten)]
        window: Window,
    },
}

#[derive(Debug, Args, Clone, PartialEq, Eq)]
pub struct IndexArgs {
    /// Node RPC endpoint (ws:// or wss://).
    #[arg(long)]
    pub url: String,
    /// The deployment manifest: which chain, and which addresses are carechain's.
    #[arg(long)]
    pub manifest: PathBuf,
    /// The audit database (SQLite): created if absent, resumed where it stopped if present.
    #[arg(long)]
    pub db: PathBuf,
    /// Keep following new finalized blocks until stopped (Ctrl-C; the next run resumes).
    #[arg(long)]
    pub follow: bool,
}

#[derive(Debug, Args, Clone, PartialEq, Eq)]
pub struct ServeArgs {
    /// The audit database (SQLite), opened read-only.
    #[arg(long)]
    pub db: PathBuf,
    /// Address and port to listen on; port 0 picks a free one (printed at start).
    #[arg(long, default_value = "127.0.0.1:8477")]
    pub listen: std::net::SocketAddr,
    /// Listen on an address other than loopback. The API has no authentication: put a proxy
    /// that authenticates in front of it.
    #[arg(long)]
    pub allow_remote: bool,
    /// An origin whose web pages may read the answers (CORS), e.g. http://localhost:5173;
    /// repeat for more. None by default.
    #[arg(long = "allow-origin")]
    pub allow_origins: Vec<String>,
}

#[derive(Debug, Args, Clone, PartialEq, Eq, Default)]
pub struct DeployArgs {
    /// Node RPC endpoint (ws:// or wss://). Omit to use the embedded chain.
    #[arg(long)]
    pub url: Option<String>,
    /// Deployer secret URI (`//Alice`, a mnemonic, 0x seed). Prefer the environment variable:
    /// arguments are visible to other users of the machine.
    #[arg(long, env = "CARECHAIN_SURI", hide_env_values = true)]
    pub suri: Option<String>,
    /// Manifest name; defaults to `local` for a node on this machine, else the URL's host.
    #[arg(long)]
    pub network: Option<String>,
    /// Directory with `<name>.wasm` and `<name>.json` for each contract; builds them if absent.
    #[arg(long)]
    pub artifacts: Option<PathBuf>,
    /// Manifest path; defaults to `deploy/deployments/<network>.json` (live chains only).
    #[arg(long)]
    pub manifest: Option<PathBuf>,
    /// Show the plan with estimated weights and deposits; submit nothing, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Skip the smoke walkthrough after an embedded deployment.
    #[arg(long)]
    pub no_walkthrough: bool,
    /// Embedded chain: also write the walkthrough's audit index to this new SQLite file, for
    /// `audit` queries after the run (the chain itself ends with the run). Only with the
    /// walkthrough, whose events it holds; for a live chain, `audit index --url`.
    #[arg(long, conflicts_with_all = ["url", "dry_run", "no_walkthrough"])]
    pub audit_db: Option<PathBuf>,
}

#[derive(Debug, Args, Clone, PartialEq, Eq)]
pub struct VerifyArgs {
    /// The manifest to check.
    #[arg(long)]
    pub manifest: PathBuf,
    /// Node RPC endpoint; defaults to the manifest's `chain_url`.
    #[arg(long)]
    pub url: Option<String>,
    /// Also check that the addresses run the code of these artifacts.
    #[arg(long)]
    pub artifacts: Option<PathBuf>,
}

impl Cli {
    /// The command to run, `deploy` with the top-level flags when none is named.
    pub fn command(self) -> Command {
        self.command.unwrap_or(Command::Deploy(self.deploy))
    }
}

/// `local` for a node on this machine, else the host name (safe as a file name).
pub fn network_name(url: &str) -> String {
    let rest = url.split("://").nth(1).unwrap_or(url);
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    if host.is_empty() || host == "127.0.0.1" || host == "localhost" || host == "[" {
        return "local".into();
    }
    host.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, clap::Error> {
        Cli::try_parse_from(std::iter::once("carechain").chain(args.iter().copied())).map(Cli::command)
    }

    #[test]
    fn no_arguments_deploy_to_the_embedded_chain() {
        assert_eq!(parse(&[]).ok(), Some(Command::Deploy(DeployArgs::default())));
    }

    #[test]
    fn top_level_flags_and_the_deploy_subcommand_mean_the_same() {
        let flags = ["--url", "ws://127.0.0.1:9944", "--dry-run", "--artifacts", "target/release-contracts"];
        let top = parse(&flags).ok();
        let sub = parse(&[&["deploy"][..], &flags[..]].concat()).ok();
        assert_eq!(top, sub);
        let Some(Command::Deploy(a)) = top else { panic!("not a deploy") };
        assert_eq!(a.url.as_deref(), Some("ws://127.0.0.1:9944"));
        assert!(a.dry_run);
        assert_eq!(a.artifacts, Some(PathBuf::from("target/release-contracts")));
    }

    #[test]
    fn verify_needs_a_manifest() {
        assert!(parse(&["verify"]).is_err());
        let Ok(Command::Verify(v)) = parse(&["verify", "--manifest", "deploy/deployments/local.json"]) else {
            panic!("not a verify")
        };
        assert_eq!((v.manifest, v.url), (PathBuf::from("deploy/deployments/local.json"), None));
    }

    #[test]
    fn audit_queries_take_a_database_and_one_format() {
        let Ok(Command::Audit(AuditQuery::Disclosures { db, patient, since, format, .. })) =
            parse(&["audit", "disclosures", "--db", "a.sqlite", "--patient", "5Grw", "--since", "2026-01-01", "--csv"])
        else {
            panic!("not a disclosures query")
        };
        assert_eq!((db, patient, since), (PathBuf::from("a.sqlite"), "5Grw".into(), Some("2026-01-01".into())));
        assert_eq!(format, Format { json: false, csv: true });
        assert!(parse(&["audit", "disclosures", "--db", "a", "--patient", "p", "--json", "--csv"]).is_err());
        assert!(parse(&["audit", "disclosures", "--db", "a"]).is_err(), "the patient is required");
        assert!(parse(&["audit", "emergency", "--db", "a", "--pending", "--overdue"]).is_err());
        let Ok(Command::Audit(AuditQuery::Pack { gtin, serial, .. })) =
            parse(&["audit", "pack", "--db", "a", "09506000134352", "SN1"])
        else {
            panic!("not a pack query")
        };
        assert_eq!((gtin.as_str(), serial.as_str()), ("09506000134352", "SN1"));
    }

    #[test]
    fn record_hash_takes_a_file_and_maybe_a_salt() {
        assert_eq!(
            parse(&["record", "hash", "r.json"]).unwrap(),
            Command::Record(RecordCommand::Hash { file: "r.json".into(), salt: None, json: false })
        );
        assert_eq!(
            parse(&["record", "hash", "-", "--salt", "0x00", "--json"]).unwrap(),
            Command::Record(RecordCommand::Hash { file: "-".into(), salt: Some("0x00".into()), json: true })
        );
        assert!(parse(&["record", "hash"]).is_err());
    }

    #[test]
    fn unknown_flags_are_usage_errors() {
        assert!(parse(&["--urll", "x"]).is_err());
        assert!(parse(&["verify", "--manifest", "m.json", "--dry-run"]).is_err());
    }

    #[test]
    fn network_names_come_from_the_url() {
        assert_eq!(network_name("ws://127.0.0.1:9944"), "local");
        assert_eq!(network_name("ws://localhost:9944"), "local");
        assert_eq!(network_name("wss://rococo-contracts-rpc.polkadot.io"), "rococo-contracts-rpc.polkadot.io");
        assert_eq!(network_name("wss://x.example/path?q"), "x.example");
    }
}
