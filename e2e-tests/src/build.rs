//! Debug builds of the contracts for the e2e tests, made from the committed `Cargo.lock`.
//!
//! ink_e2e's builder, like a plain `cargo contract build` of a workspace member, builds a
//! rewritten copy of the contract's manifest that is a workspace of its own, where the workspace's
//! lock is never read: every dependency was resolved afresh from crates.io, for every contract in
//! every test binary ("Locking 183 packages", 54 times per `scripts/test`). The tests then ran
//! code the committed lock does not pin, and an index update that failed once failed CI (the
//! upgrade scenario's build of pharma_ledger, CI of c8fc82e). Here, as in `scripts/build` (whose
//! comment has the details), each contract is built from a copy of the sources in which it is a
//! workspace of its own with the committed lock beside it: nothing is resolved, no index is asked,
//! and the network is needed only for a crate not yet downloaded.
//!
//! A build is made once per state of the sources, lock and features, and reused by every later
//! test binary (the key is a hash of all of them, written beside the Wasm).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

/// The contracts built with `features`: the suite, and for the default build also the
/// test-only hostile peer (which has none of the suite's extra features).
fn names(features: &str) -> Vec<&'static str> {
    let mut names = crate::CONTRACTS.to_vec();
    if features.is_empty() {
        names.push("hostile_peer");
    }
    names
}

/// What is copied for a build: everything the contracts' manifests reach by path, the
/// workspace manifest carechain-shared inherits its package fields from, and the toolchain pin.
const SOURCES: [&str; 4] = ["Cargo.toml", "rust-toolchain.toml", "contracts", "e2e-tests/hostile_peer"];

const WORKSPACE_OF_ITS_OWN: &[u8] =
    b"\n# Added by the e2e builder: a workspace of its own, built from the committed lock.\n[workspace]\n";

fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    root.canonicalize().unwrap_or(root)
}

/// Where a contract's manifest lives, relative to the workspace root.
fn package_dir(name: &str) -> String {
    if name == "hostile_peer" {
        "e2e-tests/hostile_peer".into()
    } else {
        format!("contracts/{name}")
    }
}

/// Paths of the debug Wasm of the suite (and, for the default build, the hostile peer) built
/// with `features` (comma-separated; empty for the default build). Built at most once per
/// process and features; panics, with the build's own output, when a build fails.
pub fn contracts(features: &str) -> HashMap<String, PathBuf> {
    static BUILT: OnceLock<Mutex<HashMap<String, HashMap<String, PathBuf>>>> = OnceLock::new();
    let mut built = BUILT.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    built.entry(features.to_string()).or_insert_with(|| build_all(features)).clone()
}

fn build_all(features: &str) -> HashMap<String, PathBuf> {
    let root = workspace_root();
    let base = root.join("target").join("e2e-contracts");
    let variant = if features.is_empty() { "default".to_string() } else { features.replace(',', "-") };
    let out = base.join(&variant);
    let copy = base.join("src");
    let lock = read(&root.join("Cargo.lock"));

    let packages: Vec<PathBuf> = names("").into_iter().map(|name| copy.join(package_dir(name))).collect();
    let mut hasher = DefaultHasher::new();
    for source in SOURCES {
        sync(&root.join(source), &copy.join(source), &packages, &mut hasher);
    }
    lock.hash(&mut hasher);
    features.hash(&mut hasher);
    // Another cargo-contract makes other code from the same sources.
    cargo_contract_version().hash(&mut hasher);
    let key = format!("{:016x}", hasher.finish());

    names(features)
        .into_iter()
        .map(|name| {
            let wasm = out.join(format!("{name}.wasm"));
            let key_file = out.join(format!("{name}.key"));
            let fresh = std::fs::read_to_string(&key_file).is_ok_and(|k| k == key) && wasm.is_file();
            if !fresh {
                let dir = copy.join(package_dir(name));
                write_if_changed(&dir.join("Cargo.lock"), &lock);
                let target = out.join("target");
                cargo_contract_build(name, &dir, &target, features, &lock);
                // A workspace's only package writes straight into `ink/`.
                let made = target.join("ink").join(format!("{name}.wasm"));
                std::fs::create_dir_all(&out).unwrap_or_else(|e| panic!("creating {}: {e}", out.display()));
                std::fs::copy(&made, &wasm)
                    .unwrap_or_else(|e| panic!("copying {} to {}: {e}", made.display(), wasm.display()));
                std::fs::write(&key_file, &key).unwrap_or_else(|e| panic!("writing {}: {e}", key_file.display()));
            }
            (name.to_string(), wasm)
        })
        .collect()
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn cargo_contract_version() -> Vec<u8> {
    let output = cargo().args(["contract", "--version"]).output();
    output.unwrap_or_else(|e| panic!("running cargo contract --version: {e}")).stdout
}

fn cargo_contract_build(name: &str, dir: &Path, target: &Path, features: &str, committed: &[u8]) {
    let mut cmd = cargo();
    cmd.args(["contract", "build", "--generate", "code-only", "--manifest-path", "Cargo.toml"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        // A backtrace would push the build's own message out of the panic below.
        .env_remove("RUST_BACKTRACE");
    if !features.is_empty() {
        cmd.args(["--features", features]);
    }
    let output = cmd.output().unwrap_or_else(|e| panic!("running cargo contract build for {name}: {e}"));
    if !output.status.success() {
        let text = String::from_utf8_lossy(&output.stderr).into_owned() + &String::from_utf8_lossy(&output.stdout);
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines.get(lines.len().saturating_sub(40)..).unwrap_or_default();
        panic!(
            "cargo contract build {}for {name} failed ({}), in {}:\n{}",
            if features.is_empty() { String::new() } else { format!("--features {features} ") },
            output.status,
            dir.display(),
            tail.join("\n")
        );
    }
    // The lock the build ended with must still be the committed one (nothing resolved afresh).
    let used = read(&dir.join("Cargo.lock"));
    let missing: Vec<String> = pins(&used).difference(&pins(committed)).cloned().collect();
    assert!(missing.is_empty(), "{name} was built with versions the committed Cargo.lock does not pin: {missing:?}");
}

/// `name version` of every package a lock file pins.
fn pins(lock: &[u8]) -> std::collections::BTreeSet<String> {
    let mut pins = std::collections::BTreeSet::new();
    let mut name = "";
    for line in std::str::from_utf8(lock).unwrap_or_default().lines() {
        if line == "[[package]]" {
            name = "";
        } else if let Some(n) = line.strip_prefix("name = ") {
            name = n;
        } else if let Some(v) = line.strip_prefix("version = ") {
            pins.insert(format!("{name} {v}"));
        }
    }
    pins
}

/// Mirrors `from` (a file or directory) into `to`, writing a file only when its content differs
/// so that cargo's fingerprints of unchanged files stay valid, and deleting what `from` no
/// longer has (a stale `build.rs` would still be run); the manifest of every package in
/// `packages` gets [`WORKSPACE_OF_ITS_OWN`]. Every path and content goes into `hasher`.
fn sync(from: &Path, to: &Path, packages: &[PathBuf], hasher: &mut DefaultHasher) {
    if from.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(from)
            .unwrap_or_else(|e| panic!("reading {}: {e}", from.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        // Build output and locks are not sources (each package's lock is the committed one).
        let source = |name: &std::ffi::OsStr| name != "target" && name != "Cargo.lock";
        for path in &entries {
            let name = path.file_name().unwrap_or_default();
            if source(name) {
                sync(path, &to.join(name), packages, hasher);
            }
        }
        for stale in std::fs::read_dir(to).into_iter().flatten().filter_map(Result::ok) {
            let name = stale.file_name();
            if source(&name) && !from.join(&name).exists() {
                let path = stale.path();
                let removed = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
                removed.unwrap_or_else(|e| panic!("removing {}: {e}", path.display()));
            }
        }
        return;
    }
    let mut bytes = read(from);
    from.to_string_lossy().hash(hasher);
    bytes.hash(hasher);
    if from.file_name().is_some_and(|n| n == "Cargo.toml")
        && to.parent().is_some_and(|d| packages.iter().any(|p| p == d))
    {
        bytes.extend_from_slice(WORKSPACE_OF_ITS_OWN);
    }
    write_if_changed(to, &bytes);
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn write_if_changed(path: &Path, bytes: &[u8]) {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return;
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    }
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

#[cfg(test)]
mod tests {
    /// A failed build says why: cargo's own message reaches the panic, not only "failed".
    #[test]
    #[should_panic(expected = "does not contain this feature: no-such-feature")]
    fn a_failed_build_reports_its_own_output() {
        super::contracts("no-such-feature");
    }
}
