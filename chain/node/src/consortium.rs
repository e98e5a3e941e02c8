//! `carechain-node consortium-spec --members FILE`: a consortium's chain spec from its members'
//! public keys. Nothing secret goes in: each member generates its keys on its own machine
//! (chain/README.md) and sends only the public parts.

use carechain_runtime::{
    genesis::{self, Consortium, Validator},
    AccountId, Balance,
};
use sc_network::{config::MultiaddrWithPeerId, PeerId};
use sp_core::{crypto::Ss58Codec, ed25519, sr25519};
use std::{collections::BTreeSet, path::PathBuf, str::FromStr};

/// Writes a consortium's chain spec (JSON) to standard output.
#[derive(Debug, clap::Parser)]
pub struct ConsortiumSpecCmd {
    /// The members file (JSON; chain/README.md shows one).
    #[arg(long, value_name = "FILE")]
    pub members: PathBuf,

    /// Write the raw spec (genesis as storage), which every member's node must start from.
    #[arg(long)]
    pub raw: bool,
}

/// The members file.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembersFile {
    /// The network's name, as node operators will see it.
    pub name: String,
    /// Its id (letters, digits, `_`): node data directories are named after it.
    pub id: String,
    /// What each member account holds at genesis, in the smallest unit (default 10^18 = 1,000,000 UNIT).
    #[serde(default)]
    pub endowment: Option<String>,
    /// The founding members.
    pub members: Vec<Member>,
}

/// One founding member.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The hospital's or organisation's name (only for error messages).
    pub name: String,
    /// Its account (SS58, sr25519): council member, validator account, node owner.
    pub account: String,
    /// Its validator's Aura key (SS58, sr25519).
    pub aura: String,
    /// Its validator's GRANDPA key (SS58, ed25519).
    pub grandpa: String,
    /// Its node's peer id (`carechain-node key inspect-node-key`).
    pub peer_id: String,
    /// Where other nodes reach it first, without the peer id (e.g. `/dns/node.example.org/tcp/30333`).
    #[serde(default)]
    pub bootnode: Option<String>,
}

/// A members file, checked, as a genesis and boot nodes.
pub struct Checked {
    pub consortium: Consortium,
    pub boot_nodes: Vec<MultiaddrWithPeerId>,
}

/// Checks a members file; every error names the member and the field.
pub fn check(file: &MembersFile) -> Result<Checked, String> {
    if file.members.is_empty() {
        return Err("the members file lists no member".into());
    }
    if file.id.is_empty() || !file.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("id {:?}: use letters, digits and _ only", file.id));
    }
    let endowment: Balance = match &file.endowment {
        None => genesis::MEMBER_ENDOWMENT,
        Some(text) => {
            text.parse().map_err(|_| format!("endowment {text:?} is not a whole number of the smallest unit"))?
        }
    };
    let mut seen = BTreeSet::new();
    let mut validators = Vec::new();
    let mut nodes = Vec::new();
    let mut boot_nodes = Vec::new();
    for (i, m) in file.members.iter().enumerate() {
        let at = |field: &str, why: String| format!("member {} ({}): {field}: {why}", i + 1, m.name);
        let account = AccountId::from_ss58check(&m.account).map_err(|e| at("account", format!("{e:?}")))?;
        let aura = sr25519::Public::from_ss58check(&m.aura).map_err(|e| at("aura", format!("{e:?}")))?;
        let grandpa = ed25519::Public::from_ss58check(&m.grandpa).map_err(|e| at("grandpa", format!("{e:?}")))?;
        let peer = PeerId::from_str(&m.peer_id).map_err(|e| at("peer_id", e.to_string()))?;
        for (field, key) in
            [("account", m.account.as_str()), ("aura", &m.aura), ("grandpa", &m.grandpa), ("peer_id", &m.peer_id)]
        {
            if !seen.insert((field, key.to_string())) {
                return Err(at(field, "another member lists it too: every member needs keys of its own".into()));
            }
        }
        if let Some(address) = &m.bootnode {
            let full = format!("{}/p2p/{}", address.trim_end_matches('/'), m.peer_id);
            boot_nodes.push(MultiaddrWithPeerId::from_str(&full).map_err(|e| at("bootnode", e.to_string()))?);
        }
        validators.push(Validator { account: account.clone(), aura: aura.into(), grandpa: grandpa.into() });
        nodes.push((peer.to_bytes(), account));
    }
    let council = validators.iter().map(|v| v.account.clone()).collect::<Vec<_>>();
    let balances = council.iter().map(|a| (a.clone(), endowment)).collect();
    Ok(Checked { consortium: Consortium { validators, council, nodes, balances, sudo: None }, boot_nodes })
}

impl ConsortiumSpecCmd {
    pub fn run(&self) -> sc_cli::Result<()> {
        let text = std::fs::read_to_string(&self.members)
            .map_err(|e| format!("cannot read {}: {e}", self.members.display()))?;
        let file: MembersFile = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", self.members.display()))?;
        let checked = check(&file)?;
        if file.members.len() < 4 {
            eprintln!(
                "warning: {} member(s): GRANDPA finalizes with more than two thirds of the validators, \
                 so fewer than 4 cannot lose one and go on finalizing",
                file.members.len()
            );
        }
        let spec = crate::chain_spec::consortium(
            &file.name,
            &file.id,
            genesis::patch(&checked.consortium),
            checked.boot_nodes,
        )?;
        let json = sc_service::ChainSpec::as_json(&spec, self.raw)?;
        println!("{json}");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

    fn member(name: &str, s: Sr25519Keyring, e: Ed25519Keyring, node_seed: u8) -> Member {
        let mut seed = [0u8; 32];
        seed[31] = node_seed;
        let node = sc_network::config::ed25519::SecretKey::try_from_bytes(seed).unwrap();
        let peer = PeerId::from(sc_network::config::ed25519::Keypair::from(node).public().to_peer_id());
        Member {
            name: name.into(),
            account: s.to_account_id().to_ss58check(),
            aura: s.public().to_ss58check(),
            grandpa: e.public().to_ss58check(),
            peer_id: peer.to_string(),
            bootnode: Some(format!("/ip4/127.0.0.1/tcp/{}", 30332 + node_seed as u16)),
        }
    }

    fn file(members: Vec<Member>) -> MembersFile {
        MembersFile { name: "Test Health".into(), id: "test_health".into(), endowment: None, members }
    }

    fn four() -> Vec<Member> {
        vec![
            member("A", Sr25519Keyring::Alice, Ed25519Keyring::Alice, 1),
            member("B", Sr25519Keyring::Bob, Ed25519Keyring::Bob, 2),
            member("C", Sr25519Keyring::Charlie, Ed25519Keyring::Charlie, 3),
            member("D", Sr25519Keyring::Dave, Ed25519Keyring::Dave, 4),
        ]
    }

    #[test]
    fn four_members_make_the_local_networks_genesis() {
        let checked = check(&file(four())).unwrap();
        let c = &checked.consortium;
        assert_eq!(c.validators.len(), 4);
        assert_eq!(c.council.len(), 4);
        assert!(c.sudo.is_none());
        assert_eq!(checked.boot_nodes.len(), 4);
        // The peer ids libp2p derives are the ones the `local` preset hard-codes.
        for (i, (peer, _)) in c.nodes.iter().enumerate() {
            assert_eq!(peer, &genesis::ed25519_peer_id(&genesis::LOCAL_NODE_PUBLIC_KEYS[i]));
        }
    }

    #[test]
    fn bad_member_entries_are_named() {
        let mut members = four();
        members[2].grandpa = "not an address".into();
        let err = check(&file(members)).err().unwrap();
        assert!(err.starts_with("member 3 (C): grandpa:"), "{err}");

        let mut members = four();
        members[1].peer_id = members[0].peer_id.clone();
        let err = check(&file(members)).err().unwrap();
        assert!(err.contains("member 2 (B): peer_id: another member lists it too"), "{err}");

        let mut members = four();
        members[0].bootnode = Some("not a multiaddr".into());
        assert!(check(&file(members)).err().unwrap().starts_with("member 1 (A): bootnode:"));

        assert_eq!(check(&file(vec![])).err().unwrap(), "the members file lists no member");
        let mut f = file(four());
        f.id = "bad id!".into();
        assert!(check(&f).err().unwrap().starts_with("id \"bad id!\""));
        let mut f = file(four());
        f.endowment = Some("-1".into());
        assert!(check(&f).err().unwrap().starts_with("endowment"));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let text = r#"{"name":"x","id":"x","members":[],"sudo":"5Grw"}"#;
        assert!(serde_json::from_str::<MembersFile>(text).unwrap_err().to_string().contains("unknown field `sudo`"));
    }
}
