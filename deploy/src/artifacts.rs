//! The four contracts' release builds: built here with `contract-build` (the library behind
//! `cargo contract build`), or taken from a directory, and checked before anything is deployed.

use crate::chain::{code_hash, hex, CodeHash};
use crate::error::{DeployError, Result};
use crate::manifest::SUITE;
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

    /// Release-builds each contract of the workspace at `root` and collects the artifacts in
    /// `root/target/release-contracts/`, as `scripts/build` does.
    pub fn build(root: &Path, mut progress: impl FnMut(&str)) -> Result<Self> {
        let out = root.join("target").join("release-contracts");
        let io = |path: &Path, e: std::io::Error| DeployError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        std::fs::create_dir_all(&out).map_err(|e| io(&out, e))?;
        for (name, _) in SUITE {
            progress(name);
            let failed = |reason: String| DeployError::Build { contract: name.to_string(), reason };
            let manifest = root.join("contracts").join(name).join("Cargo.toml");
            if !manifest.exists() {
                return Err(DeployError::ArtifactMissing { path: manifest.display().to_string() });
            }
            let args = contract_build::ExecuteArgs {
                manifest_path: contract_build::ManifestPath::new(&manifest).map_err(|e| failed(e.to_string()))?,
                build_mode: contract_build::BuildMode::Release,
                verbosity: contract_build::Verbosity::Quiet,
                ..Default::default()
            };
            let result = contract_build::execute(args).map_err(|e| failed(format!("{e:#}").replace('\n', " ")))?;
            let wasm = result.dest_wasm.ok_or_else(|| failed("no Wasm produced".into()))?;
            let metadata = result.metadata_result.ok_or_else(|| failed("no metadata produced".into()))?;
            for (from, ext) in [(wasm, "wasm"), (metadata.dest_metadata, "json"), (metadata.dest_bundle, "contract")] {
                let to = out.join(format!("{name}.{ext}"));
                std::fs::copy(&from, &to).map_err(|e| io(&to, e))?;
            }
        }
        Self::from_dir(&out)
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metadata(name: &str, language: &str, wasm: &[u8]) -> Vec<u8> {
        serde_json::json!({
            "source": { "hash": hex(&code_hash(wasm)), "language": language, "compiler": "rustc 1.86.0" },
            "contract": { "name": name, "version": "0.1.0" },
        })
        .to_string()
        .into_bytes()
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
