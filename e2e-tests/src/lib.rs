//! The e2e harness: typed calls on the in-process pallet-contracts runtime, standing on the
//! client library's one sandbox wrapper (`carechain::sandbox`) — explicit block time
//! (the sandbox otherwise stamps blocks with wall-clock *seconds*), the events and topics of each
//! call, and what each call cost — for what ink_e2e's `runtime_only` backend does not expose.
//!
//! Calls are built with the contracts' own generated call builders, so every argument and
//! return value is type-checked against the contract; nothing is encoded by hand.

use carechain::call::{constructor_input, decode_output, message_input, OutputError};
use carechain::chain::Code;
use carechain::sandbox::Sandbox;
use ink::primitives::{AccountId, Hash};
use scale::{Decode, Encode};

pub mod build;
pub mod node;
pub mod suite;
use std::collections::HashMap;

pub use carechain::call::{builder, Constructor as Ctor, Message as Msg};
pub use carechain::chain::{events_of, Cost, Emitted};
pub use carechain::fixtures::T0;
pub use carechain::suite::CONTRACTS;

/// A deterministic, funded test account: `account(n)` is `[n; 32]`.
pub fn account(n: u8) -> AccountId {
    AccountId::from([n; 32])
}

/// What one call did: its decoded return value (or the reason it had none), its events,
/// and what it cost.
#[derive(Debug)]
pub struct Outcome<R> {
    pub value: Result<R, CallFailure>,
    pub reverted: bool,
    pub events: Vec<Emitted>,
    pub cost: Cost,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallFailure {
    /// The runtime refused or the contract trapped (a panic would show up here).
    Dispatch(String),
    /// ink!'s dispatcher refused the input (`LangError`).
    Lang(String),
    /// The output did not decode as the message's return type.
    Decode(String),
}

impl<R: core::fmt::Debug> Outcome<R> {
    /// The return value; panics with the failure when the call did not return one.
    pub fn ok(self) -> R {
        match self.value {
            Ok(v) => v,
            Err(e) => panic!("call failed: {e:?}"),
        }
    }

    /// Events of type `E` this call emitted, in order (other event types are skipped by
    /// their signature topic).
    pub fn events_of<E: Decode + ink::env::Event>(&self) -> Vec<E> {
        events_of(&self.events)
    }
}

pub struct Chain {
    sandbox: Sandbox,
    wasm: HashMap<String, Vec<u8>>,
    /// Instantiations so far: part of each salt, so the same contract can be deployed twice
    /// in one block with the same (argument-less) constructor.
    deployed: u32,
}

impl Chain {
    /// Builds (debug, once per test binary) every contract of the workspace and starts a
    /// chain at `T0` with accounts 1..=40 funded.
    pub fn new() -> Self {
        Self::with_wasm(built_contracts())
    }

    pub fn with_wasm(wasm: HashMap<String, Vec<u8>>) -> Self {
        let mut sandbox = Sandbox::new(T0);
        for n in 1..=40u8 {
            sandbox.fund(account(n), 1_000_000_000_000_000).expect("minting into a fresh sandbox account");
        }
        Self { sandbox, wasm, deployed: 0 }
    }

    pub fn now(&self) -> u64 {
        self.sandbox.now_ms()
    }

    /// Moves block time forward by `ms`, in a new block.
    pub fn advance(&mut self, ms: u64) {
        self.sandbox.advance(ms);
    }

    pub fn wasm(&self, name: &str) -> Vec<u8> {
        self.wasm.get(name).cloned().unwrap_or_else(|| panic!("no Wasm built for {name}"))
    }

    /// Uploads a contract's code and returns its code hash.
    pub fn upload(&mut self, name: &str, origin: AccountId) -> Hash {
        self.upload_wasm(self.wasm(name), origin)
    }

    /// Uploads any Wasm (e.g. a second build to upgrade to) and returns its code hash.
    pub fn upload_wasm(&mut self, code: Vec<u8>, origin: AccountId) -> Hash {
        let (hash, _) = self.sandbox.upload(origin, &code).unwrap_or_else(|e| panic!("uploading code: {e}"));
        Hash::from(hash)
    }

    /// The root of a contract's storage child trie. Two equal roots mean equal storage, so a
    /// refused call that left every contract's root as it was changed nothing.
    pub fn storage_root(&mut self, contract: AccountId) -> Vec<u8> {
        self.sandbox.storage_root(contract).unwrap_or_else(|| panic!("{contract:?} is not a contract"))
    }

    /// The whole chain state, to return to with `restore` (cheaper than deploying again).
    pub fn snapshot(&mut self) -> ink_sandbox::Snapshot {
        self.sandbox.snapshot()
    }

    /// Back to a `snapshot`, at `now` (the snapshot does not carry the harness's clock).
    pub fn restore(&mut self, snapshot: ink_sandbox::Snapshot, now: u64) {
        self.sandbox.restore(snapshot, now);
    }

    /// The code hash the runtime holds for a contract account (what `set_code_hash` changes).
    pub fn code_hash_of(&mut self, contract: AccountId) -> Option<Hash> {
        self.sandbox.code_hash_of(contract).map(Hash::from)
    }

    /// `address` as a peer to wire, with the code it runs now (a plain account: a zero hash,
    /// which wiring refuses as `PeerNotContract` before comparing it).
    pub fn peer(&mut self, address: AccountId) -> carechain_shared::Peer {
        let code_hash = self.code_hash_of(address).unwrap_or_default();
        carechain_shared::Peer { address, code_hash }
    }

    /// Instantiates `name` with a constructor built by the contract's own `…Ref::new(..)`.
    pub fn deploy<C, Args: Encode, R>(&mut self, name: &str, origin: AccountId, ctor: Ctor<C, Args, R>) -> AccountId {
        self.try_deploy(name, origin, ctor).unwrap_or_else(|e| panic!("deploying {name}: {e}"))
    }

    pub fn try_deploy<C, Args: Encode, R>(
        &mut self,
        name: &str,
        origin: AccountId,
        ctor: Ctor<C, Args, R>,
    ) -> Result<AccountId, String> {
        let input = constructor_input(ctor);
        self.deployed += 1;
        let salt: Vec<u8> = self.deployed.to_le_bytes().iter().chain(name.as_bytes()).copied().collect();
        let code = self.wasm(name);
        let done = self.sandbox.instantiate(origin, Code::Upload(&code), &input, &salt);
        if done.reverted {
            return Err("constructor reverted".into());
        }
        done.result
    }

    /// Submits a call (state changes are kept unless the contract reverts).
    pub fn call<Args: Encode + Clone, R: Decode>(&mut self, origin: AccountId, msg: &Msg<Args, R>) -> Outcome<R> {
        let (address, input) = message_input(msg);
        outcome(self.sandbox.call(origin, address, &input))
    }

    /// Runs a call and throws its state changes away, as an RPC dry run does.
    pub fn query<Args: Encode + Clone, R: Decode>(&mut self, origin: AccountId, msg: &Msg<Args, R>) -> Outcome<R> {
        let (address, input) = message_input(msg);
        outcome(self.sandbox.dry_run(origin, address, &input))
    }

    /// Reads a value (a dry run by a neutral caller), panicking if the call fails.
    pub fn read<Args: Encode + Clone, R: Decode + core::fmt::Debug>(&mut self, msg: &Msg<Args, R>) -> R {
        self.query(account(40), msg).ok()
    }
}

impl Default for Chain {
    fn default() -> Self {
        Self::new()
    }
}

fn outcome<R: Decode>(done: carechain::sandbox::Executed<Vec<u8>>) -> Outcome<R> {
    let value = match done.result {
        Err(e) => Err(CallFailure::Dispatch(e)),
        Ok(bytes) => decode_output::<R>(&bytes).map_err(|e| match e {
            OutputError::Lang(e) => CallFailure::Lang(e),
            OutputError::Decode(e) => CallFailure::Decode(e),
        }),
    };
    Outcome { value, reverted: done.reverted, events: done.events, cost: done.cost }
}

/// Debug builds of every contract (the suite and the hostile peer), from the committed lock
/// (see [`build`]).
pub fn built_contracts() -> HashMap<String, Vec<u8>> {
    built_with_features("")
}

/// A call of `upgrade_probe`, the message only the `upgrade-probe` build of each contract has
/// (any other build refuses its selector): how the upgrade scenarios tell the builds apart.
pub fn upgrade_probe(contract: AccountId) -> Msg<ink::env::call::utils::EmptyArgumentList, u32> {
    use ink::env::call::{build_call, ExecutionInput, Selector};
    build_call::<ink::env::DefaultEnvironment>()
        .call(contract)
        .exec_input(ExecutionInput::new(Selector::new(ink::selector_bytes!("upgrade_probe"))))
        .returns::<u32>()
}

/// Debug builds of every contract with extra cargo `features` (comma-separated), built apart
/// from the default builds (see [`build`]).
pub fn built_with_features(features: &str) -> HashMap<String, Vec<u8>> {
    build::contracts(features)
        .into_iter()
        .map(|(name, path)| {
            let wasm = std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            (name, wasm)
        })
        .collect()
}

/// Release builds from a directory of `<name>.wasm` files (what `scripts/bench` collects).
pub fn contracts_from_dir(dir: &std::path::Path) -> HashMap<String, Vec<u8>> {
    CONTRACTS
        .iter()
        .map(|name| {
            let path = dir.join(format!("{name}.wasm"));
            (name.to_string(), std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display())))
        })
        .collect()
}
