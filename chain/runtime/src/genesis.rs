//! Genesis presets: `dev` (one validator, sudo), `local` (four validators on loopback, no sudo),
//! and the builder of a consortium's own genesis from its members' keys.

use crate::{AccountId, Balance, SessionKeys, UNIT};
use alloc::{vec, vec::Vec};
use pallet_grandpa::AuthorityId as GrandpaId;
use serde_json::{json, Value};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::OpaquePeerId;
use sp_genesis_builder::PresetId;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// The one-validator development chain (Alice), with sudo: for tests only.
pub const DEV: &str = sp_genesis_builder::DEV_RUNTIME_PRESET;
/// Four validators on loopback (Alice, Bob, Charlie, Dave), governed by their council; no sudo.
pub const LOCAL: &str = sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET;

/// What each development account holds at genesis: enough for any test's deposits and fees.
pub const DEV_ENDOWMENT: Balance = 1u128 << 60;

/// The `local` network's node keys are the ed25519 seeds 0x00…01 to 0x00…04 (`--node-key`),
/// so its genesis can name the member nodes' peer ids. These are their public keys; a test
/// derives them from the seeds.
pub const LOCAL_NODE_PUBLIC_KEYS: [[u8; 32]; 4] = [
    hex32(*b"4cb5abf6ad79fbf5abbccafcc269d85cd2651ed4b885b5869f241aedf0a5ba29"),
    hex32(*b"7422b9887598068e32c4448a949adb290d0f4e35b9e01b0ee5f1a1e600fe2674"),
    hex32(*b"f381626e41e7027ea431bfe3009e94bdd25a746beec468948d6c3c7c5dc9a54b"),
    hex32(*b"fd50b8e3b144ea244fbf7737f550bc8dd0c2650bbc1aada833ca17ff8dbf329b"),
];

const fn hex32(text: [u8; 64]) -> [u8; 32] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("not lower-case hex"),
        }
    }
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nibble(text[2 * i]) << 4) | nibble(text[2 * i + 1]);
        i += 1;
    }
    out
}

/// A libp2p peer id's bytes for an ed25519 public key: the identity multihash (0x00, length 36)
/// of the protobuf-encoded key (type 1 = Ed25519, 32 bytes).
pub fn ed25519_peer_id(public: &[u8; 32]) -> Vec<u8> {
    let mut id = vec![0x00, 0x24, 0x08, 0x01, 0x12, 0x20];
    id.extend_from_slice(public);
    id
}

/// A validator at genesis: its account (which governance names) and its session keys.
pub struct Validator {
    /// The member's validator account.
    pub account: AccountId,
    /// Its block-authoring key.
    pub aura: AuraId,
    /// Its finality-voting key.
    pub grandpa: GrandpaId,
}

/// A consortium's genesis.
pub struct Consortium {
    /// The validators, one or more per member.
    pub validators: Vec<Validator>,
    /// The council: the member accounts whose two thirds govern.
    pub council: Vec<AccountId>,
    /// The member nodes allowed to connect, with the account that owns each.
    pub nodes: Vec<(Vec<u8>, AccountId)>,
    /// Funded accounts.
    pub balances: Vec<(AccountId, Balance)>,
    /// A sudo key: `None` on any chain but the development one.
    pub sudo: Option<AccountId>,
}

/// The genesis patch of a consortium (applied over the runtime's defaults).
pub fn patch(c: &Consortium) -> Value {
    let keys: Vec<_> = c
        .validators
        .iter()
        .map(|v| {
            (v.account.clone(), v.account.clone(), SessionKeys { aura: v.aura.clone(), grandpa: v.grandpa.clone() })
        })
        .collect();
    let validators: Vec<_> = c.validators.iter().map(|v| v.account.clone()).collect();
    let nodes: Vec<_> = c.nodes.iter().map(|(peer, owner)| (OpaquePeerId(peer.clone()), owner.clone())).collect();
    json!({
        "balances": { "balances": c.balances },
        "validatorSet": { "validators": validators },
        "session": { "keys": keys },
        "council": { "members": c.council },
        "nodeAuthorization": { "nodes": nodes },
        "sudo": { "key": c.sudo },
    })
}

fn dev_validator(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> Validator {
    Validator { account: aura.to_account_id(), aura: aura.public().into(), grandpa: grandpa.public().into() }
}

fn dev_balances() -> Vec<(AccountId, Balance)> {
    Sr25519Keyring::iter().map(|k| (k.to_account_id(), DEV_ENDOWMENT)).collect()
}

/// `dev`: Alice validates alone and holds sudo; every development account is funded.
pub fn dev() -> Value {
    let alice = Sr25519Keyring::Alice.to_account_id();
    patch(&Consortium {
        validators: vec![dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
        council: vec![alice.clone()],
        nodes: vec![(ed25519_peer_id(&LOCAL_NODE_PUBLIC_KEYS[0]), alice.clone())],
        balances: dev_balances(),
        sudo: Some(alice),
    })
}

/// `local`: Alice, Bob, Charlie and Dave each run a validator (n = 3f + 1, f = 1), sit on the
/// council and own one node; no sudo key.
pub fn local() -> Value {
    let members = [
        (Sr25519Keyring::Alice, Ed25519Keyring::Alice),
        (Sr25519Keyring::Bob, Ed25519Keyring::Bob),
        (Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
        (Sr25519Keyring::Dave, Ed25519Keyring::Dave),
    ];
    patch(&Consortium {
        validators: members.iter().map(|(s, e)| dev_validator(*s, *e)).collect(),
        council: members.iter().map(|(s, _)| s.to_account_id()).collect(),
        nodes: members
            .iter()
            .zip(LOCAL_NODE_PUBLIC_KEYS.iter())
            .map(|((s, _), public)| (ed25519_peer_id(public), s.to_account_id()))
            .collect(),
        balances: dev_balances(),
        sudo: None,
    })
}

/// A consortium's founding members each get this much to pay fees and deposits.
pub const MEMBER_ENDOWMENT: Balance = 1_000_000 * UNIT;

/// The preset named `id`, serialized.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
    let patch = match id.as_ref() {
        DEV => dev(),
        LOCAL => local(),
        _ => return None,
    };
    serde_json::to_string(&patch).ok().map(|s| s.into_bytes())
}

/// The presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
    vec![PresetId::from(DEV), PresetId::from(LOCAL)]
}
