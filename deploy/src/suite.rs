//! The suite — which contracts, in which order, calling which peer — said once for every
//! off-chain caller; and deploying it once, against any [`Chain`]: instantiate in dependency
//! order, wire each contract to its peer, then call every contract back to check what the
//! manifest claims.

use crate::artifacts::Artifacts;
pub use crate::call::builder;
use crate::chain::{constructor_input, giga, hex, read, ss58, try_send, Chain, Code, Cost};
use crate::error::{DeployError, Result};
use crate::manifest::{Deployed, Manifest, Peer};
use break_glass::break_glass::{BreakGlass, BreakGlassRef};
use carechain_shared::admin::Admin;
use carechain_shared::peer::Peer as PinnedPeer;
use carechain_shared::traits::ConsentCheck;
use carechain_shared::{AccessDecision, AdminError, Administration, DataCategories, DenyReason, Purpose, Wiring};
use consent_registry::consent_registry::{ConsentRegistry, ConsentRegistryRef};
use ink::codegen::TraitCallBuilder;
use ink::primitives::AccountId;
use pharma_ledger::pharma_ledger::{PharmaLedger, PharmaLedgerRef};
use record_anchor::record_anchor::{RecordAnchor, RecordAnchorRef};
use research_registry::research_registry::{ResearchRegistry, ResearchRegistryRef};
use std::path::Path;

/// The contracts in dependency (deployment) order, each with the peer it calls. The one list:
/// the deploy tool, the manifest, the audit index, the e2e suite and the benchmark read it, and
/// `scripts/build` builds every contract crate under `contracts/` (a test checks they agree).
pub const SUITE: [(&str, Option<&str>); 5] = [
    ("break_glass", None),
    ("consent_registry", Some("break_glass")),
    ("research_registry", Some("consent_registry")),
    ("record_anchor", Some("consent_registry")),
    ("pharma_ledger", Some("record_anchor")),
];

/// The peer a suite contract calls (`Some(None)`: it calls none); `None` for a name that is
/// not one of the suite's contracts.
pub fn peer_of(name: &str) -> Option<Option<&'static str>> {
    SUITE.iter().find(|(n, _)| *n == name).map(|(_, peer)| *peer)
}

/// The contracts' names, in deployment order.
pub const CONTRACTS: [&str; 5] = {
    let mut names = [""; 5];
    let mut i = 0;
    while i < SUITE.len() {
        names[i] = SUITE[i].0;
        i += 1;
    }
    names
};

/// Where the five contracts of one deployment are, and the typed call builder of each — the
/// same for the sandbox suite, the node suite and the deploy tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Addresses {
    pub break_glass: AccountId,
    pub registry: AccountId,
    pub research: AccountId,
    pub record_anchor: AccountId,
    pub pharma_ledger: AccountId,
}

impl Addresses {
    /// The addresses a manifest names; `None` if one of the five is missing.
    pub fn from_manifest(m: &Manifest) -> Option<Self> {
        Some(Self {
            break_glass: m.address_of("break_glass")?,
            registry: m.address_of("consent_registry")?,
            research: m.address_of("research_registry")?,
            record_anchor: m.address_of("record_anchor")?,
            pharma_ledger: m.address_of("pharma_ledger")?,
        })
    }

    pub fn reg(&self) -> <ConsentRegistry as ink::codegen::ContractCallBuilder>::Type {
        builder::<ConsentRegistry>(self.registry)
    }

    pub fn res(&self) -> <ResearchRegistry as ink::codegen::ContractCallBuilder>::Type {
        builder::<ResearchRegistry>(self.research)
    }

    pub fn bg(&self) -> <BreakGlass as ink::codegen::ContractCallBuilder>::Type {
        builder::<BreakGlass>(self.break_glass)
    }

    pub fn anchor(&self) -> <RecordAnchor as ink::codegen::ContractCallBuilder>::Type {
        builder::<RecordAnchor>(self.record_anchor)
    }

    pub fn ledger(&self) -> <PharmaLedger as ink::codegen::ContractCallBuilder>::Type {
        builder::<PharmaLedger>(self.pharma_ledger)
    }

    /// Each contract's address by name, in `SUITE` order.
    pub fn contracts(&self) -> Vec<(&'static str, AccountId)> {
        CONTRACTS.iter().filter_map(|name| Some((*name, self.of(name)?))).collect()
    }

    /// A contract's address by its name; `None` for a name that is not the suite's.
    pub fn of(&self, name: &str) -> Option<AccountId> {
        match name {
            "break_glass" => Some(self.break_glass),
            "consent_registry" => Some(self.registry),
            "research_registry" => Some(self.research),
            "record_anchor" => Some(self.record_anchor),
            "pharma_ledger" => Some(self.pharma_ledger),
            _ => None,
        }
    }
}

/// What a deployment did or, in a dry run, would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Reused {
        contract: String,
        address: AccountId,
    },
    Deployed {
        contract: String,
        address: AccountId,
        block: u64,
        cost: Cost,
    },
    /// Dry run: would upload and instantiate, at about this cost.
    WouldDeploy {
        contract: String,
        cost: Cost,
    },
    Rewired {
        contract: String,
        peer: AccountId,
        block: u64,
    },
    WouldRewire {
        contract: String,
        peer: AccountId,
    },
    /// consent_registry now lets `caller` (research_registry, its code pinned) create research
    /// consents.
    Trusted {
        caller: AccountId,
        block: u64,
    },
    WouldTrust {
        caller: AccountId,
    },
}

pub struct Options<'a> {
    pub network: &'a str,
    pub dry_run: bool,
    /// Where the manifest is kept up to date; `None` keeps it in memory only.
    pub manifest_path: Option<&'a Path>,
}

/// Constructors take no peer: a contract is wired (and pins its peer's code) by its owner
/// once the peer exists, with the contract's `set_*` message.
fn constructor(name: &str) -> Option<Vec<u8>> {
    Some(match name {
        "break_glass" => constructor_input(BreakGlassRef::with_default_policy()),
        "consent_registry" => constructor_input(ConsentRegistryRef::new()),
        "research_registry" => constructor_input(ResearchRegistryRef::new()),
        "record_anchor" => constructor_input(RecordAnchorRef::new()),
        "pharma_ledger" => constructor_input(PharmaLedgerRef::new()),
        _ => return None,
    })
}

/// Any carechain contract's admin messages, by address: every contract implements
/// `Administration`, so they share selectors and one client serves all five.
fn administration(address: AccountId) -> ink::contract_ref!(Administration, ink::env::DefaultEnvironment) {
    address.into()
}

/// Any wired contract's `Wiring` messages, by address.
fn wiring(address: AccountId) -> ink::contract_ref!(Wiring, ink::env::DefaultEnvironment) {
    address.into()
}

/// Whether `name` calls a peer at all (break_glass calls none).
fn has_peer(name: &str) -> bool {
    peer_of(name).flatten().is_some()
}

/// The peer a contract calls and the code hash it pinned for it, as it reports them.
pub fn read_pinned(chain: &mut dyn Chain, name: &str, address: AccountId) -> Result<Option<PinnedPeer>> {
    if !has_peer(name) {
        return Ok(None);
    }
    let step = format!("{name}: read its peer");
    Ok(read(chain, &step, &wiring(address).call().peer())?.0)
}

/// The address of the peer a contract calls, as it reports it.
pub fn read_peer(chain: &mut dyn Chain, name: &str, address: AccountId) -> Result<Option<AccountId>> {
    Ok(read_pinned(chain, name, address)?.map(|p| p.address))
}

/// Whether `name` pins exactly `expected` (address and code), and `expected` runs that code now.
fn wired_to(chain: &mut dyn Chain, name: &str, address: AccountId, expected: PinnedPeer) -> Result<bool> {
    let Some(pinned) = read_pinned(chain, name, address)? else { return Ok(false) };
    Ok(pinned == expected && chain.code_hash_of(expected.address)? == Some(<[u8; 32]>::from(expected.code_hash)))
}

/// The contract `name` at `address` as a peer to wire: stating the code hash of the release
/// build this tool deploys (what a reused contract was checked to run), never whatever the
/// address runs when the wiring lands — whoever controls the peer could swap its code first,
/// and the contract refuses the wiring (`PeerCodeMismatch`) when the code differs.
fn stated(artifacts: &Artifacts, name: &str, address: AccountId) -> Result<PinnedPeer> {
    let artifact = artifacts.get(name).ok_or_else(|| DeployError::ArtifactMissing { path: name.to_string() })?;
    Ok(PinnedPeer { address, code_hash: artifact.code_hash.into() })
}

fn set_peer(chain: &mut dyn Chain, name: &str, address: AccountId, peer: PinnedPeer) -> Result<u64> {
    let step = format!("{name}: wire to its peer");
    let r = try_send(chain, &step, &wiring(address).call_mut().set_peer(Some(peer)))?;
    r.value.map_err(|e| match e {
        AdminError::NotOwner => DeployError::NotOwner { contract: name.to_string() },
        other => rejected(&step, other),
    })?;
    Ok(r.block)
}

/// pallet-contracts' and pallet-balances' ways of saying the origin cannot pay.
pub fn is_lack_of_funds(reason: &str) -> bool {
    ["NotEnoughFunds", "InsufficientBalance", "FundsUnavailable", "Inability to pay"].iter().any(|m| reason.contains(m))
}

fn rejected(step: &str, e: impl core::fmt::Debug) -> DeployError {
    DeployError::Rejected { step: step.to_string(), reason: format!("{e:?}") }
}

/// The owner and pause flag a contract reports.
pub fn read_admin(chain: &mut dyn Chain, name: &str, address: AccountId) -> Result<Admin> {
    let step = format!("{name}: read its admin");
    Ok(read(chain, &step, &administration(address).call().admin())?.0)
}

fn parse_address(m: &Manifest, name: &str) -> Result<AccountId> {
    m.address_of(name).ok_or_else(|| DeployError::ManifestInvalid {
        path: m.network.clone(),
        reason: format!("{name} has no valid address"),
    })
}

fn save(m: &Manifest, opts: &Options<'_>) -> Result<()> {
    match opts.manifest_path {
        Some(path) if !opts.dry_run => m.save(path),
        _ => Ok(()),
    }
}

/// Deploys what the manifest does not already hold, wires what is not wired, and verifies the
/// result. Every confirmed step is written to the manifest before the next one starts.
pub fn deploy(
    chain: &mut dyn Chain,
    artifacts: &Artifacts,
    existing: Option<Manifest>,
    opts: &Options<'_>,
    say: &mut dyn FnMut(&Step),
) -> Result<(Manifest, Vec<Step>)> {
    let genesis = chain.genesis_hash()?;
    let signer = chain.signer();
    let mut m = match existing {
        Some(m) if m.genesis_hash != hex(&genesis) => {
            return Err(DeployError::WrongChain { manifest: m.genesis_hash, connected: hex(&genesis) })
        }
        Some(m) => m,
        None => Manifest::new(opts.network, &chain.endpoint(), &genesis, &signer),
    };
    let mut steps = Vec::new();
    let mut record = |step: Step, steps: &mut Vec<Step>| {
        say(&step);
        steps.push(step);
    };
    // Addresses a dry run predicts for contracts it did not deploy.
    let mut predicted: Vec<(&str, AccountId)> = Vec::new();
    let salt = format!(
        "carechain/{}",
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0)
    );

    for (name, peer) in SUITE {
        let artifact = artifacts.get(name).ok_or_else(|| DeployError::ArtifactMissing { path: name.to_string() })?;
        let peer_address = match peer {
            Some(p) => Some(match m.address_of(p) {
                Some(a) => a,
                None => {
                    predicted.iter().find(|(n, _)| *n == p).map(|(_, a)| *a).ok_or_else(|| DeployError::Rejected {
                        step: format!("{name}: find its peer"),
                        reason: format!("{p} is not deployed"),
                    })?
                }
            }),
            None => None,
        };
        if let Some(entry) = m.get(name) {
            let address = parse_address(&m, name)?;
            match chain.code_hash_of(address)? {
                None => return Err(DeployError::NotDeployed { contract: name.into(), address: entry.address.clone() }),
                Some(found) if found != artifact.code_hash => {
                    return Err(DeployError::CodeMismatch {
                        contract: name.into(),
                        address: entry.address.clone(),
                        found: hex(&found),
                        expected: hex(&artifact.code_hash),
                    })
                }
                Some(_) => record(Step::Reused { contract: name.into(), address }, &mut steps),
            }
            continue;
        }
        let input = constructor(name).ok_or_else(|| DeployError::Rejected {
            step: format!("{name}: constructor"),
            reason: "not a carechain contract".into(),
        })?;
        let salt = format!("{salt}/{name}").into_bytes();
        let free = chain.free_balance(signer)?;
        let estimate = match chain.estimate_instantiate(Code::Upload(&artifact.wasm), &input, &salt) {
            Err(DeployError::Rejected { reason, .. }) if is_lack_of_funds(&reason) => {
                return Err(DeployError::InsufficientFunds { account: ss58(&signer), free, needed: None })
            }
            Err(DeployError::Rejected { reason, .. }) => {
                return Err(DeployError::Rejected { step: format!("{name}: estimate"), reason })
            }
            other => other?,
        };
        let needed = u128::try_from(estimate.cost.deposit).unwrap_or(0);
        if free < needed {
            return Err(DeployError::InsufficientFunds { account: ss58(&signer), free, needed: Some(needed) });
        }
        if opts.dry_run {
            predicted.push((name, estimate.value));
            record(Step::WouldDeploy { contract: name.into(), cost: estimate.cost }, &mut steps);
            continue;
        }
        let uploaded = chain.upload(&format!("{name}: upload code"), &artifact.wasm)?;
        let made = chain.instantiate(&format!("{name}: instantiate"), uploaded.value, &input, &salt)?;
        m.put(Deployed {
            name: name.into(),
            address: ss58(&made.value),
            code_hash: hex(&uploaded.value),
            block: made.block,
            metadata: artifact.metadata.display().to_string(),
            peer: None,
        });
        save(&m, opts)?;
        // Wire it to its peer at once (pinning the peer's code), so the manifest never claims
        // a hop the chain does not have.
        if let (Some(p), Some(a)) = (peer, peer_address) {
            let wired_block = set_peer(chain, name, made.value, stated(artifacts, p, a)?)?;
            if let Some(mut entry) = m.get(name).cloned() {
                entry.peer = Some(Peer { name: p.into(), address: ss58(&a), wired_block });
                m.put(entry);
            }
            save(&m, opts)?;
        }
        let cost = Cost { deposit: made.cost.deposit.saturating_add(uploaded.cost.deposit), ..made.cost };
        record(Step::Deployed { contract: name.into(), address: made.value, block: made.block, cost }, &mut steps);
    }

    // Reused contracts may point elsewhere (a peer was redeployed) or pin code their peer no
    // longer runs (it was upgraded): rewire them.
    for (name, peer) in SUITE {
        let (Some(peer), Ok(address)) = (peer, parse_address(&m, name)) else { continue };
        let Some(expected) = m.address_of(peer) else { continue };
        let pin = stated(artifacts, peer, expected)?;
        if wired_to(chain, name, address, pin)? {
            continue;
        }
        if opts.dry_run {
            record(Step::WouldRewire { contract: name.into(), peer: expected }, &mut steps);
            continue;
        }
        let block = set_peer(chain, name, address, pin)?;
        if let Some(mut entry) = m.get(name).cloned() {
            entry.peer = Some(Peer { name: peer.into(), address: ss58(&expected), wired_block: block });
            m.put(entry);
        }
        save(&m, opts)?;
        record(Step::Rewired { contract: name.into(), peer: expected, block }, &mut steps);
    }
    // The one call that goes against the graph's direction is a permission, not a hop: the
    // registry lets research_registry (by address and pinned code) create research consents.
    if let (Ok(registry), Ok(research)) =
        (parse_address(&m, "consent_registry"), parse_address(&m, "research_registry"))
    {
        if !trusts_research(chain, registry, research)? {
            if opts.dry_run {
                record(Step::WouldTrust { caller: research }, &mut steps);
            } else {
                let step = "consent_registry: trust research_registry";
                let trust = Some(stated(artifacts, "research_registry", research)?);
                let r = try_send(chain, step, &builder::<ConsentRegistry>(registry).set_research_registry(trust))?;
                r.value.map_err(|e| match e {
                    AdminError::NotOwner => DeployError::NotOwner { contract: "consent_registry".into() },
                    other => rejected(step, other),
                })?;
                record(Step::Trusted { caller: research, block: r.block }, &mut steps);
            }
        }
    }
    if !opts.dry_run {
        verify(chain, &m, Some(artifacts))?;
    }
    Ok((m, steps))
}

/// Whether the registry trusts `research` for research consents, pinned to the code it runs.
fn trusts_research(chain: &mut dyn Chain, registry: AccountId, research: AccountId) -> Result<bool> {
    let step = "consent_registry: read the research_registry it trusts";
    let Some(pinned) = read(chain, step, &builder::<ConsentRegistry>(registry).research_registry())?.0 else {
        return Ok(false);
    };
    Ok(pinned.address == research && chain.code_hash_of(research)? == Some(<[u8; 32]>::from(pinned.code_hash)))
}

/// Calls every contract of the manifest back: the code at each address is the code the
/// manifest (and, if given, the artifacts) name, each contract points at the manifest's peer,
/// and the emergency path from consent_registry reaches break_glass.
pub fn verify(chain: &mut dyn Chain, m: &Manifest, artifacts: Option<&Artifacts>) -> Result<Vec<String>> {
    let genesis = hex(&chain.genesis_hash()?);
    if m.genesis_hash != genesis {
        return Err(DeployError::WrongChain { manifest: m.genesis_hash.clone(), connected: genesis });
    }
    let mut report = Vec::new();
    for (name, peer) in SUITE {
        let entry = m.get(name).ok_or_else(|| DeployError::NotDeployed {
            contract: name.into(),
            address: "(none in the manifest)".into(),
        })?;
        let address = parse_address(m, name)?;
        let expected = artifacts.and_then(|a| a.get(name)).map(|a| a.code_hash).or_else(|| m.code_hash_of(name));
        match chain.code_hash_of(address)? {
            None => return Err(DeployError::NotDeployed { contract: name.into(), address: entry.address.clone() }),
            Some(found) if Some(found) != expected => {
                return Err(DeployError::CodeMismatch {
                    contract: name.into(),
                    address: entry.address.clone(),
                    found: hex(&found),
                    expected: expected.map(|h| hex(&h)).unwrap_or_default(),
                })
            }
            Some(_) => {}
        }
        if let Some(peer) = peer {
            let expected_peer = m.address_of(peer);
            let found = read_pinned(chain, name, address)?;
            if found.map(|p| p.address) != expected_peer || expected_peer.is_none() {
                let show = |a: Option<AccountId>| a.map(|a| ss58(&a)).unwrap_or_else(|| "nothing".into());
                return Err(DeployError::WiringMismatch {
                    contract: name.into(),
                    peer: peer.into(),
                    found: show(found.map(|p| p.address)),
                    expected: show(expected_peer),
                });
            }
            // The hop only works while the peer runs the code the caller pinned.
            if let (Some(pinned), Some(peer_address)) = (found, expected_peer) {
                let runs = chain.code_hash_of(peer_address)?;
                if runs != Some(<[u8; 32]>::from(pinned.code_hash)) {
                    return Err(DeployError::WiringMismatch {
                        contract: name.into(),
                        peer: peer.into(),
                        found: format!("pinned code {}", hex(&<[u8; 32]>::from(pinned.code_hash))),
                        expected: format!("the code it runs, {}", runs.map(|h| hex(&h)).unwrap_or_default()),
                    });
                }
            }
        }
        let admin = read_admin(chain, name, address)?;
        report.push(format!(
            "{name:<17} {} code {} owner {}{}",
            entry.address,
            &entry.code_hash[..10],
            ss58(&admin.owner),
            if admin.paused { " PAUSED" } else { "" }
        ));
    }
    // One crossing call: an emergency check with no grant must reach break_glass and come back
    // as "no emergency grant", not as "break_glass unavailable".
    let registry = parse_address(m, "consent_registry")?;
    let probe = builder::<ConsentRegistry>(registry).check_access(
        AccountId::from([0xA1; 32]),
        AccountId::from([0xA2; 32]),
        DataCategories::EMERGENCY_SUMMARY,
        Purpose::EmergencyTreatment,
    );
    let (decision, cost) = read(chain, "consent_registry → break_glass probe", &probe)?;
    if decision != AccessDecision::Denied(DenyReason::NoEmergencyGrant) {
        return Err(DeployError::WiringMismatch {
            contract: "consent_registry".into(),
            peer: "break_glass".into(),
            found: format!("an answer of {decision:?}"),
            expected: "Denied(NoEmergencyGrant)".into(),
        });
    }
    report.push(format!("consent_registry → break_glass answers ({} ref_time)", giga(cost.ref_time)));
    let research = parse_address(m, "research_registry")?;
    if !trusts_research(chain, registry, research)? {
        return Err(DeployError::WiringMismatch {
            contract: "consent_registry".into(),
            peer: "research_registry".into(),
            found: "no trust in the research_registry's current code".into(),
            expected: format!("set_research_registry({})", ss58(&research)),
        });
    }
    report.push("consent_registry trusts research_registry's code for research consents".into());
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suite_is_every_contract_crate_in_an_order_where_each_peer_comes_first() {
        // scripts/build and scripts/size build what scripts/contracts names: a contract added
        // under contracts/ but not here (or the reverse) fails here.
        let script = crate::workspace_root().join("scripts").join("contracts");
        let out = std::process::Command::new("bash").arg(&script).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let built: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().map(String::from).collect();
        let mut listed: Vec<String> = CONTRACTS.iter().map(|n| n.to_string()).collect();
        listed.sort();
        assert_eq!(built, listed);
        for (i, (name, peer)) in SUITE.iter().enumerate() {
            if let Some(peer) = peer {
                assert!(CONTRACTS[..i].contains(peer), "{name} calls {peer}, which must be deployed before it");
            }
        }
        let a = Addresses {
            break_glass: AccountId::from([1; 32]),
            registry: AccountId::from([2; 32]),
            research: AccountId::from([3; 32]),
            record_anchor: AccountId::from([4; 32]),
            pharma_ledger: AccountId::from([5; 32]),
        };
        let names: Vec<_> = a.contracts().iter().map(|(n, a)| (*n, AsRef::<[u8; 32]>::as_ref(a)[0])).collect();
        assert_eq!(
            names,
            [
                ("break_glass", 1),
                ("consent_registry", 2),
                ("research_registry", 3),
                ("record_anchor", 4),
                ("pharma_ledger", 5)
            ]
        );
        assert_eq!(a.of("token"), None);
        assert_eq!(peer_of("record_anchor"), Some(Some("consent_registry")));
        assert_eq!(peer_of("research_registry"), Some(Some("consent_registry")));
        assert_eq!(peer_of("break_glass"), Some(None));
        assert_eq!(peer_of("token"), None);
    }
}
