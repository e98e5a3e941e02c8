//! The five contracts' release builds: made by `scripts/build` (reproducible, code hashes
//! checked against `contracts/CODE_HASHES`) or taken from a directory, and checked before
//! anything is deployed.

use crate::chain::{code_hash, hex, CodeHash};
use crate::error::{DeployError, Result};
use crate::suite::{peer_of, SUITE};
use std::path::{Path, PathBuf};

/// The ink! version every artifact must be built with: the version the contracts and the
/// e2e suite were tested with.
pub const INK_VERSION: &str = "5.1.1";

#[derive(Debug, Clone)]
pub struct Artifact {
    pub name: String,
    pub wasm: Vec<u8>,
    pub code_hash: CodeHash,
    /// The metadata JSON a frontend loads.
    pub metadata: PathBuf,
}

#[derive(Debug, Clone)]
pub struct Artifacts(pub Vec<Artifact>);

impl Artifacts {
    pub fn get(&self, name: &str) -> Option<&Artifact> {
        self.0.iter().find(|a| a.name == name)
    }

    /// Reads `<name>.wasm` and `<name>.json` for each contract from `dir` and checks them.
    pub fn from_dir(dir: &Path) -> Result<Self> {
        SUITE.iter().map(|(name, _)| load(dir, name)).collect::<Result<Vec<_>>>().map(Self)
    }

    /// Release-builds the contracts of the workspace at `root` with `scripts/build` — the one
    /// reproducible build, whose code hashes must match `contracts/CODE_HASHES` — and loads the
    /// artifacts it collects in `root/target/release-contracts/`.
    pub fn build(root: &Path, mut progress: impl FnMut(&str)) -> Result<Self> {
        let script = root.join("scripts").join("build");
        progress("scripts/build");
        let output = std::process::Command::new("bash")
            .arg(&script)
            .current_dir(root)
            .output()
            .map_err(|e| DeployError::Io { path: script.display().to_string(), reason: e.to_string() })?;
        if !output.status.success() {
            let said = String::from_utf8_lossy(&output.stderr);
            let reason = said.lines().filter(|l| !l.trim().is_empty()).next_back().unwrap_or("failed").to_string();
            return Err(DeployError::Build { contract: "the suite".into(), reason });
        }
        Self::from_dir(&root.join("target").join("release-contracts"))
    }
}

fn load(dir: &Path, name: &str) -> Result<Artifact> {
    let read = |ext: &str| {
        let path = dir.join(format!("{name}.{ext}"));
        std::fs::read(&path).map(|bytes| (path.clone(), bytes)).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => DeployError::ArtifactMissing { path: path.display().to_string() },
            _ => DeployError::Io { path: path.display().to_string(), reason: e.to_string() },
        })
    };
    let (_, wasm) = read("wasm")?;
    let (metadata, json) = read("json")?;
    let hash = code_hash(&wasm);
    check_metadata(name, &json, &hash)?;
    Ok(Artifact { name: name.to_string(), wasm, code_hash: hash, metadata })
}

/// The metadata must name this contract, come from this suite's ink! version, and describe
/// exactly this Wasm.
pub fn check_metadata(name: &str, json: &[u8], wasm_hash: &CodeHash) -> Result<()> {
    let mismatch = || DeployError::ArtifactMismatch { contract: name.to_string() };
    let meta: serde_json::Value = serde_json::from_slice(json).map_err(|_| mismatch())?;
    let language = meta["source"]["language"].as_str().unwrap_or("an unknown ink! version");
    let expected = format!("ink! {INK_VERSION}");
    if language != expected {
        return Err(DeployError::WrongInkVersion { contract: name.to_string(), found: language.to_string(), expected });
    }
    if meta["contract"]["name"].as_str() != Some(name) || meta["source"]["hash"].as_str() != Some(&hex(wasm_hash)) {
        return Err(mismatch());
    }
    let has_peer = peer_of(name).flatten().is_some();
    let wiring = if has_peer { &WIRING[..] } else { &[] };
    for label in ADMINISTRATION.iter().chain(wiring) {
        let found = meta["spec"]["messages"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|m| m["label"].as_str() == Some(label) && m["selector"].as_str() == Some(&selector(label)));
        if !found {
            return Err(DeployError::InterfaceMissing { contract: name.to_string(), message: label.to_string() });
        }
    }
    Ok(())
}

/// The messages of `carechain_shared::traits::Administration`, which every contract implements
/// and the deploy tool drives through one `contract_ref!`.
pub const ADMINISTRATION: [&str; 5] = [
    "Administration::admin",
    "Administration::transfer_ownership",
    "Administration::accept_ownership",
    "Administration::set_paused",
    "Administration::set_code_hash",
];

/// The messages of `carechain_shared::traits::Wiring`, implemented by every contract that calls a peer.
pub const WIRING: [&str; 2] = ["Wiring::peer", "Wiring::set_peer"];

/// ink!'s selector of a trait message: the first four bytes of BLAKE2-256 of `Trait::message`.
fn selector(label: &str) -> String {
    let mut out = [0u8; 32];
    ink::env::hash_bytes::<ink::env::hash::Blake2x256>(label.as_bytes(), &mut out);
    hex(&out[..4])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metadata(name: &str, language: &str, wasm: &[u8]) -> Vec<u8> {
        with_messages(name, language, wasm, ADMINISTRATION.iter().chain(&WIRING).map(|l| (*l, selector(l))).collect())
    }

    fn with_messages(name: &str, language: &str, wasm: &[u8], messages: Vec<(&str, String)>) -> Vec<u8> {
        let messages: Vec<_> =
            messages.into_iter().map(|(label, sel)| serde_json::json!({ "label": label, "selector": sel })).collect();
        serde_json::json!({
            "source": { "hash": hex(&code_hash(wasm)), "language": language, "compiler": "rustc 1.86.0" },
            "contract": { "name": name, "version": "0.1.0" },
            "spec": { "messages": messages },
        })
        .to_string()
        .into_bytes()
    }

    #[test]
    fn selectors_are_inks_for_trait_messages() {
        // ink! 5 computes a trait message's selector from "Trait::message" (no namespace).
        assert_eq!(selector("Administration::set_paused"), hex(&ink::selector_bytes!("Administration::set_paused")));
    }

    #[test]
    fn a_contract_without_the_shared_interfaces_is_refused_by_message() {
        let wasm = b"\0asm";
        let hash = code_hash(wasm);
        let old = with_messages("consent_registry", "ink! 5.1.1", wasm, vec![("set_paused", selector("set_paused"))]);
        assert_eq!(
            check_metadata("consent_registry", &old, &hash),
            Err(DeployError::InterfaceMissing {
                contract: "consent_registry".into(),
                message: "Administration::admin".into()
            })
        );
        let admin_only: Vec<_> = ADMINISTRATION.iter().map(|l| (*l, selector(l))).collect();
        let no_wiring = with_messages("consent_registry", "ink! 5.1.1", wasm, admin_only.clone());
        assert_eq!(
            check_metadata("consent_registry", &no_wiring, &hash),
            Err(DeployError::InterfaceMissing { contract: "consent_registry".into(), message: "Wiring::peer".into() })
        );
        // break_glass calls no peer: Administration alone is its whole shared interface.
        let bg = with_messages("break_glass", "ink! 5.1.1", wasm, admin_only);
        assert_eq!(check_metadata("break_glass", &bg, &hash), Ok(()));
        let mut wrong = ADMINISTRATION.iter().map(|l| (*l, selector(l))).collect::<Vec<_>>();
        wrong[3].1 = selector("set_paused");
        let renumbered = with_messages("break_glass", "ink! 5.1.1", wasm, wrong);
        assert_eq!(
            check_metadata("break_glass", &renumbered, &hash),
            Err(DeployError::InterfaceMissing {
                contract: "break_glass".into(),
                message: "Administration::set_paused".into()
            })
        );
    }

    #[test]
    fn metadata_of_this_ink_version_for_this_wasm_passes() {
        let wasm = b"\0asm-one";
        assert_eq!(
            check_metadata("break_glass", &metadata("break_glass", "ink! 5.1.1", wasm), &code_hash(wasm)),
            Ok(())
        );
    }

    #[test]
    fn another_ink_version_is_refused_by_name() {
        let wasm = b"\0asm-one";
        let err = check_metadata("break_glass", &metadata("break_glass", "ink! 4.3.0", wasm), &code_hash(wasm));
        assert_eq!(
            err,
            Err(DeployError::WrongInkVersion {
                contract: "break_glass".into(),
                found: "ink! 4.3.0".into(),
                expected: "ink! 5.1.1".into()
            })
        );
    }

    #[test]
    fn metadata_of_other_code_or_another_contract_is_refused() {
        let wasm = b"\0asm-one";
        let other = metadata("break_glass", "ink! 5.1.1", b"\0asm-two");
        let mismatch = Err(DeployError::ArtifactMismatch { contract: "break_glass".into() });
        assert_eq!(check_metadata("break_glass", &other, &code_hash(wasm)), mismatch);
        let renamed = metadata("record_anchor", "ink! 5.1.1", wasm);
        assert_eq!(check_metadata("break_glass", &renamed, &code_hash(wasm)), mismatch);
        assert_eq!(check_metadata("break_glass", b"not json", &code_hash(wasm)), mismatch);
    }

    #[test]
    fn a_directory_without_artifacts_names_the_missing_file() {
        let dir = std::env::temp_dir().join(format!("carechain-no-artifacts-{}", std::process::id()));
        let err = Artifacts::from_dir(&dir).map(|_| ());
        assert_eq!(err, Err(DeployError::ArtifactMissing { path: dir.join("break_glass.wasm").display().to_string() }));
    }
}
