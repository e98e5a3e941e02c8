//! Every way a deployment can fail, each a single line the operator can act on.

use core::fmt;

pub type Result<T> = core::result::Result<T, DeployError>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeployError {
    /// The node at `url` did not answer (wrong URL, not started, firewall).
    NodeUnreachable {
        url: String,
        reason: String,
    },
    /// The node no longer keeps the state of a block the audit index needs.
    StatePruned {
        url: String,
        block: u64,
    },
    /// The deployer cannot pay the deposits and fees of the next step.
    InsufficientFunds {
        account: String,
        free: u128,
        /// `None` when the chain refused to estimate for lack of funds.
        needed: Option<u128>,
    },
    /// The deployer secret (from `--suri` or the environment) is not a valid secret URI.
    InvalidSecret,
    ArtifactMissing {
        path: String,
    },
    /// The metadata says the contract was built with another ink! version than this suite's.
    WrongInkVersion {
        contract: String,
        found: String,
        expected: String,
    },
    /// The Wasm next to a metadata file is not the code that metadata describes.
    ArtifactMismatch {
        contract: String,
    },
    /// The artifact lacks a message of the interfaces every carechain contract shares
    /// (`Administration`, and `Wiring` where it calls a peer), or has it under another selector.
    InterfaceMissing {
        contract: String,
        message: String,
    },
    Build {
        contract: String,
        reason: String,
    },
    ManifestInvalid {
        path: String,
        reason: String,
    },
    /// The manifest describes another chain than the one connected to.
    WrongChain {
        manifest: String,
        connected: String,
    },
    /// The manifest names an address where the chain holds no contract.
    NotDeployed {
        contract: String,
        address: String,
    },
    /// The address holds other code than expected.
    CodeMismatch {
        contract: String,
        address: String,
        found: String,
        expected: String,
    },
    /// A contract points at another peer than the suite's.
    WiringMismatch {
        contract: String,
        peer: String,
        found: String,
        expected: String,
    },
    /// The deployer does not own a contract it would have to rewire.
    NotOwner {
        contract: String,
    },
    /// The chain refused a step (a dispatch error, a reverted constructor or message).
    Rejected {
        step: String,
        reason: String,
    },
    /// A walkthrough step answered something else than the suite promises.
    Walkthrough {
        step: String,
        got: String,
    },
    Io {
        path: String,
        reason: String,
    },
    /// A command-line value that does not parse as what it names.
    BadArgument {
        what: String,
        value: String,
    },
}

impl fmt::Display for DeployError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DeployError::*;
        match self {
            StatePruned { url, block } => write!(
                f,
                "{url} has pruned the state of block {block}: index from an archive node (--state-pruning archive), \
                 or keep `audit index --follow` running so it stays within the node's pruning window"
            ),
            NodeUnreachable { url, reason } => {
                write!(f, "node unreachable at {url} ({reason}); is it running and is the URL ws://host:port?")
            }
            InsufficientFunds { account, free, needed } => {
                let needs = needed.map_or_else(|| "more for its deposits and fees".to_string(), |n| format!("about {n}"));
                write!(f, "account {account} has {free} free but the next step needs {needs}; fund it and re-run (finished steps are reused)")
            }
            InvalidSecret => write!(f, "the deployer secret (--suri or CARECHAIN_SURI) is not a valid secret URI"),
            ArtifactMissing { path } => {
                write!(f, "artifact missing: {path}; build with `scripts/build` or drop --artifacts to build here")
            }
            WrongInkVersion { contract, found, expected } => write!(
                f,
                "{contract} was built with {found}, this suite needs {expected}; rebuild it with cargo-contract 5.0.3"
            ),
            ArtifactMismatch { contract } => {
                write!(f, "{contract}: the .wasm is not the code its .json metadata describes; rebuild both together")
            }
            InterfaceMissing { contract, message } => write!(
                f,
                "{contract}: the metadata has no `{message}` with the shared selector; it was not built from these sources"
            ),
            Build { contract, reason } => write!(f, "building {contract} failed: {reason}"),
            ManifestInvalid { path, reason } => write!(f, "manifest {path} is invalid: {reason}"),
            WrongChain { manifest, connected } => write!(
                f,
                "the manifest is for chain {manifest} but the node is chain {connected}; use the manifest of this network"
            ),
            NotDeployed { contract, address } => {
                write!(f, "{contract}: no contract at {address} on this chain (the manifest claims one)")
            }
            CodeMismatch { contract, address, found, expected } => write!(
                f,
                "{contract} at {address} runs code {found}, expected {expected}; upgrade it with set_code_hash or deploy anew"
            ),
            WiringMismatch { contract, peer, found, expected } => {
                write!(f, "wiring mismatch: {contract} points its {peer} at {found}, expected {expected}")
            }
            NotOwner { contract } => write!(f, "{contract} needs rewiring but the deployer does not own it"),
            Rejected { step, reason } => write!(f, "{step} was rejected by the chain: {reason}"),
            Walkthrough { step, got } => write!(f, "walkthrough step `{step}` answered {got}"),
            Io { path, reason } => write!(f, "{path}: {reason}"),
            BadArgument { what, value } => write!(f, "`{value}` is not a valid {what}"),
        }
    }
}

impl std::error::Error for DeployError {}
