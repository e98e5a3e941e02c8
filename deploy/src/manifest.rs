//! `deploy/deployments/<network>.json`: what is deployed where, for frontends and for re-runs.
//!
//! The manifest is rewritten (atomically) after every step the chain confirmed, so an
//! interrupted deployment leaves a manifest that claims exactly what is on chain, and the next
//! run picks up from there.

use crate::chain::{hex, parse_hash, parse_ss58, CodeHash};
use crate::error::{DeployError, Result};
use crate::suite::{peer_of, SUITE};
use ink::primitives::AccountId;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub network: String,
    pub chain_url: String,
    /// 0x-prefixed genesis hash: a manifest only applies to the chain it was made on.
    pub genesis_hash: String,
    /// SS58 address of the account that deployed and owns the contracts.
    pub deployer: String,
    pub ink_version: String,
    /// In deployment order; only contracts the chain confirmed.
    pub contracts: Vec<Deployed>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deployed {
    pub name: String,
    pub address: String,
    pub code_hash: String,
    /// Block the contract was instantiated in.
    pub block: u64,
    /// Metadata JSON for frontends (polkadot.js `ContractPromise`).
    pub metadata: String,
    /// The contract this one calls, and the block its wiring was last confirmed in.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub peer: Option<Peer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Peer {
    pub name: String,
    pub address: String,
    pub wired_block: u64,
}

impl Manifest {
    pub fn new(network: &str, chain_url: &str, genesis: &[u8; 32], deployer: &AccountId) -> Self {
        Self {
            network: network.to_string(),
            chain_url: chain_url.to_string(),
            genesis_hash: hex(genesis),
            deployer: crate::chain::ss58(deployer),
            ink_version: crate::artifacts::INK_VERSION.to_string(),
            contracts: Vec::new(),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Deployed> {
        self.contracts.iter().find(|c| c.name == name)
    }

    /// Inserts or replaces, keeping deployment order.
    pub fn put(&mut self, entry: Deployed) {
        self.contracts.retain(|c| c.name != entry.name);
        self.contracts.push(entry);
        self.contracts.sort_by_key(|c| SUITE.iter().position(|(n, _)| *n == c.name));
    }

    pub fn address_of(&self, name: &str) -> Option<AccountId> {
        self.get(name).and_then(|c| parse_ss58(&c.address))
    }

    pub fn parse(path: &str, text: &str) -> Result<Self> {
        let invalid = |reason: String| DeployError::ManifestInvalid { path: path.to_string(), reason };
        let m: Manifest = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
        parse_hash(&m.genesis_hash)
            .ok_or_else(|| invalid(format!("genesis_hash {:?} is not 0x + 64 hex", m.genesis_hash)))?;
        parse_ss58(&m.deployer).ok_or_else(|| invalid(format!("deployer {:?} is not an SS58 address", m.deployer)))?;
        for c in &m.contracts {
            let expected_peer = peer_of(&c.name).ok_or_else(|| invalid(format!("unknown contract {:?}", c.name)))?;
            parse_ss58(&c.address).ok_or_else(|| invalid(format!("{}.address is not an SS58 address", c.name)))?;
            parse_hash(&c.code_hash).ok_or_else(|| invalid(format!("{}.code_hash is not 0x + 64 hex", c.name)))?;
            if let Some(p) = &c.peer {
                if Some(p.name.as_str()) != expected_peer {
                    return Err(invalid(format!("{} cannot be wired to {}", c.name, p.name)));
                }
                parse_ss58(&p.address).ok_or_else(|| invalid(format!("{}.peer.address is not SS58", c.name)))?;
            }
        }
        if m.contracts.iter().enumerate().any(|(i, c)| m.contracts.iter().skip(i + 1).any(|d| d.name == c.name)) {
            return Err(invalid("a contract is listed twice".into()));
        }
        Ok(m)
    }

    /// `None` when there is no manifest yet.
    pub fn load(path: &Path) -> Result<Option<Self>> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&path.display().to_string(), &text).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(DeployError::Io { path: path.display().to_string(), reason: e.to_string() }),
        }
    }

    /// Writes to a temporary file and renames it over the old one: a crash never leaves half a
    /// manifest.
    pub fn save(&self, path: &Path) -> Result<()> {
        let io = |e: std::io::Error| DeployError::Io { path: path.display().to_string(), reason: e.to_string() };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| DeployError::Io { path: path.display().to_string(), reason: e.to_string() })?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, format!("{text}\n")).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    pub fn code_hash_of(&self, name: &str) -> Option<CodeHash> {
        self.get(name).and_then(|c| parse_hash(&c.code_hash))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::ss58;

    fn sample() -> Manifest {
        let mut m = Manifest::new("local", "ws://127.0.0.1:9944", &[1; 32], &AccountId::from([1; 32]));
        for (i, (name, peer)) in SUITE.iter().enumerate().rev() {
            m.put(Deployed {
                name: name.to_string(),
                address: ss58(&AccountId::from([10 + i as u8; 32])),
                code_hash: hex(&[i as u8; 32]),
                block: 3 + i as u64,
                metadata: format!("target/ink/{name}/{name}.json"),
                peer: peer.map(|p| Peer {
                    name: p.into(),
                    address: ss58(&AccountId::from([9 + i as u8; 32])),
                    wired_block: 9,
                }),
            });
        }
        m
    }

    #[test]
    fn put_keeps_deployment_order_and_replaces() {
        let mut m = sample();
        let names: Vec<_> = m.contracts.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["break_glass", "consent_registry", "research_registry", "record_anchor", "pharma_ledger"]);
        let mut again = m.contracts[0].clone();
        again.block = 99;
        m.put(again);
        assert_eq!((m.contracts.len(), m.contracts[0].block), (5, 99));
    }

    #[test]
    fn a_saved_manifest_parses_back_identically() {
        let m = sample();
        let text = serde_json::to_string_pretty(&m).unwrap_or_default();
        assert_eq!(Manifest::parse("m.json", &text), Ok(m.clone()));
        assert_eq!(m.address_of("record_anchor"), Some(AccountId::from([13; 32])));
        assert_eq!(m.code_hash_of("pharma_ledger"), Some([4; 32]));
    }

    #[test]
    fn malformed_manifests_are_refused_with_the_reason() {
        let good = serde_json::to_value(sample()).unwrap_or_default();
        type Mutation = fn(&mut serde_json::Value);
        let cases: [(&str, Mutation); 7] = [
            ("genesis_hash", |v| v["genesis_hash"] = "0x12".into()),
            ("deployer", |v| v["deployer"] = "alice".into()),
            ("unknown contract", |v| v["contracts"][0]["name"] = "token".into()),
            ("address", |v| v["contracts"][1]["address"] = "0x00".into()),
            ("code_hash", |v| v["contracts"][2]["code_hash"] = "".into()),
            ("cannot be wired", |v| v["contracts"][3]["peer"]["name"] = "break_glass".into()),
            ("unknown field", |v| v["extra"] = 1.into()),
        ];
        for (needle, mutate) in cases {
            let mut v = good.clone();
            mutate(&mut v);
            match Manifest::parse("m.json", &v.to_string()) {
                Err(DeployError::ManifestInvalid { path, reason }) => {
                    assert_eq!(path, "m.json");
                    assert!(reason.contains(needle), "{needle}: {reason}");
                }
                other => panic!("{needle}: expected ManifestInvalid, got {other:?}"),
            }
        }
        let mut twice = good.clone();
        twice["contracts"][1] = twice["contracts"][0].clone();
        assert!(matches!(Manifest::parse("m", &twice.to_string()), Err(DeployError::ManifestInvalid { .. })));
        assert!(matches!(Manifest::parse("m", "{not json"), Err(DeployError::ManifestInvalid { .. })));
    }

    #[test]
    fn save_then_load_round_trips_and_missing_is_none() {
        let dir = std::env::temp_dir().join(format!("carechain-manifest-{}", std::process::id()));
        let path = dir.join("local.json");
        assert_eq!(Manifest::load(&path), Ok(None));
        let m = sample();
        assert_eq!(m.save(&path), Ok(()));
        assert_eq!(Manifest::load(&path), Ok(Some(m)));
        assert!(!path.with_extension("json.tmp").exists(), "no temporary file left behind");
        let _ = std::fs::remove_dir_all(dir);
    }
}
