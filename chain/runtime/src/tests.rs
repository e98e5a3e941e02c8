//! The runtime's rules, tested on its genesis presets without a node.

use crate::{
    configs::CouncilCollective, genesis, AccountId, Grandpa, Runtime, RuntimeCall, RuntimeGenesisConfig, RuntimeOrigin,
    Session, System,
};
use codec::Encode;
use frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo, traits::IntegrityTest};
use sp_core::{ed25519, OpaquePeerId, Pair};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::DispatchError;

/// Applies a preset's patch over the default genesis, as the node does with a chain spec's.
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
    match (base, patch) {
        (serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
            for (key, value) in patch {
                merge(base.entry(key).or_insert(serde_json::Value::Null), value);
            }
        }
        (base, patch) => *base = patch,
    }
}

fn chain(preset: serde_json::Value) -> sp_io::TestExternalities {
    let mut ext = sp_io::TestExternalities::new_empty();
    ext.register_extension(sp_keystore::KeystoreExt::new(sp_keystore::testing::MemoryKeystore::new()));
    let mut genesis = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
    merge(&mut genesis, preset);
    ext.execute_with(|| {
        frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(
            serde_json::to_vec(&genesis).unwrap(),
        )
        .unwrap();
        System::set_block_number(1);
    });
    ext
}

fn add_validator(who: AccountId) -> RuntimeCall {
    RuntimeCall::ValidatorSet(pallet_validator_set::Call::add_validator { who })
}

/// Proposes `call` in the council as `by`, with the given threshold; returns its hash.
fn propose(by: AccountId, threshold: u32, call: RuntimeCall) -> sp_core::H256 {
    let hash = sp_runtime::traits::BlakeTwo256::hash_of(&call);
    let len = call.encoded_size() as u32;
    assert_ok!(pallet_collective::Pallet::<Runtime, CouncilCollective>::propose(
        RuntimeOrigin::signed(by),
        threshold,
        Box::new(call),
        len,
    ));
    hash
}

use sp_runtime::traits::Hash as _;

/// Alice proposes `call` with `threshold`, `ayes` vote for it (motion number `index`), Dave closes.
fn pass_motion(call: &RuntimeCall, threshold: u32, index: u32, ayes: &[sp_keyring::Sr25519Keyring]) {
    let weight = call.get_dispatch_info().call_weight;
    let len = call.encoded_size() as u32;
    let hash = propose(Alice.into(), threshold, call.clone());
    for who in ayes {
        assert_ok!(pallet_collective::Pallet::<Runtime, CouncilCollective>::vote(
            RuntimeOrigin::signed(who.to_account_id()),
            hash,
            index,
            true
        ));
    }
    assert_ok!(pallet_collective::Pallet::<Runtime, CouncilCollective>::close(
        RuntimeOrigin::signed(Dave.into()),
        hash,
        index,
        weight,
        len
    ));
}

#[test]
fn pallets_pass_their_integrity_checks() {
    chain(genesis::local()).execute_with(|| {
        // pallet-contracts checks here that CallStack × MaxCodeLen fits its memory limits.
        crate::AllPalletsWithSystem::integrity_test();
    });
}

#[test]
fn local_node_keys_match_the_peer_ids_in_genesis() {
    for (i, public) in genesis::LOCAL_NODE_PUBLIC_KEYS.iter().enumerate() {
        let mut seed = [0u8; 32];
        seed[31] = (i + 1) as u8;
        assert_eq!(&ed25519::Pair::from_seed(&seed).public().0, public, "node key {}", i + 1);
    }
    chain(genesis::local()).execute_with(|| {
        let nodes = pallet_node_authorization::WellKnownNodes::<Runtime>::get();
        assert_eq!(nodes.len(), 4);
        for public in genesis::LOCAL_NODE_PUBLIC_KEYS {
            assert!(nodes.contains(&OpaquePeerId(genesis::ed25519_peer_id(&public))));
        }
    });
}

#[test]
fn local_has_four_validators_and_no_sudo() {
    chain(genesis::local()).execute_with(|| {
        assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 4);
        assert_eq!(Grandpa::grandpa_authorities().len(), 4);
        assert_eq!(
            Session::validators(),
            vec![Alice.into(), Bob.into(), Charlie.into(), Dave.into()] as Vec<AccountId>
        );
        assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
        assert_eq!(pallet_collective::Members::<Runtime, CouncilCollective>::get().len(), 4);
    });
}

#[test]
fn dev_has_alice_alone_with_sudo() {
    chain(genesis::dev()).execute_with(|| {
        assert_eq!(Session::validators(), vec![AccountId::from(Alice)]);
        assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Alice.into()));
    });
}

#[test]
fn no_single_account_adds_a_validator() {
    chain(genesis::local()).execute_with(|| {
        // Neither a member nor an outsider, signing alone.
        for who in [Alice, Eve] {
            assert_noop!(
                pallet_validator_set::Pallet::<Runtime>::add_validator(RuntimeOrigin::signed(who.into()), Eve.into()),
                DispatchError::BadOrigin
            );
            assert_noop!(
                pallet_node_authorization::Pallet::<Runtime>::add_well_known_node(
                    RuntimeOrigin::signed(who.into()),
                    OpaquePeerId(vec![1; 38]),
                    who.to_account_id().into()
                ),
                DispatchError::BadOrigin
            );
        }
        // An outsider cannot even propose to the council.
        let call = add_validator(Eve.into());
        let len = call.encoded_size() as u32;
        assert_noop!(
            pallet_collective::Pallet::<Runtime, CouncilCollective>::propose(
                RuntimeOrigin::signed(Eve.into()),
                3,
                Box::new(call),
                len
            ),
            pallet_collective::Error::<Runtime, CouncilCollective>::NotMember
        );
    });
}

#[test]
fn two_members_of_four_are_not_enough_three_are() {
    chain(genesis::local()).execute_with(|| {
        // Without session keys, not even governance makes Ferdie a validator.
        assert_noop!(
            pallet_validator_set::Pallet::<Runtime>::add_validator(RuntimeOrigin::root(), Ferdie.into()),
            pallet_validator_set::Error::<Runtime>::NoSessionKeys
        );
        // Ferdie's node generates keys with a proof that Ferdie's account owns them
        // (author_rotateKeysWithOwner), and Ferdie registers them.
        let ferdie: AccountId = Ferdie.into();
        let generated = crate::SessionKeys::generate(&ferdie.encode(), None);
        assert_ok!(pallet_session::Pallet::<Runtime>::set_keys(
            RuntimeOrigin::signed(ferdie.clone()),
            generated.keys.clone(),
            generated.proof.encode()
        ));
        // Someone else cannot register Ferdie's keys as theirs: the proof names Ferdie.
        assert!(pallet_session::Pallet::<Runtime>::set_keys(
            RuntimeOrigin::signed(Eve.into()),
            generated.keys,
            generated.proof.encode()
        )
        .is_err());

        // A motion passed by two of four has the origin of 2/4 < 2/3: refused when it runs.
        let call = add_validator(Ferdie.into());
        // A proposer's vote is not implied: it votes like any member.
        pass_motion(&call, 2, 0, &[Alice, Bob]);
        assert!(!pallet_validator_set::Validators::<Runtime>::get().contains(&Ferdie.into()));
        // The motion ran, and its call was refused for want of two thirds.
        assert!(System::events().iter().any(|r| matches!(
            &r.event,
            crate::RuntimeEvent::Council(pallet_collective::Event::Executed {
                result: Err(DispatchError::BadOrigin),
                ..
            })
        )));

        // Three of four: the validator is added.
        pass_motion(&call, 3, 1, &[Alice, Bob, Charlie]);
        assert!(pallet_validator_set::Validators::<Runtime>::get().contains(&Ferdie.into()));
    });
}
