//! A thin, typed harness over `ink_sandbox` — the same in-process pallet-contracts runtime
//! ink_e2e's `runtime_only` backend uses — for what that backend does not expose: explicit
//! block time (the sandbox otherwise stamps blocks with wall-clock *seconds*), the events and
//! topics of each call, and the weight and storage deposit each call costs.
//!
//! Calls are built with the contracts' own generated call builders, so every argument and
//! return value is type-checked against the contract; nothing is encoded by hand.

use ink::env::DefaultEnvironment as Env;
use ink::primitives::{AccountId, Hash};
use ink_e2e::CallBuilderFinal;
use ink_sandbox::api::prelude::*;
use ink_sandbox::pallet_contracts::{self, Determinism};
use ink_sandbox::{AccountId32, DefaultSandbox, Sandbox};
use scale::{Decode, Encode};

pub mod node;
pub mod suite;
use std::collections::HashMap;

/// 2026-01-01T00:00:00Z in milliseconds, the block time every test starts at.
pub const T0: u64 = 1_767_225_600_000;
pub const CONTRACTS: [&str; 4] = ["break_glass", "consent_registry", "record_anchor", "pharma_ledger"];

type Runtime = <DefaultSandbox as Sandbox>::Runtime;
pub use carechain_shared::client::{builder, Constructor as Ctor};

/// A deterministic, funded test account: `account(n)` is `[n; 32]`.
pub fn account(n: u8) -> AccountId {
    AccountId::from([n; 32])
}

fn to_runtime(a: AccountId) -> AccountId32 {
    AccountId32::new(*AsRef::<[u8; 32]>::as_ref(&a))
}

fn from_runtime(a: &AccountId32) -> AccountId {
    AccountId::from(*AsRef::<[u8; 32]>::as_ref(a))
}

/// A contract event as the chain recorded it.
#[derive(Debug, Clone)]
pub struct Emitted {
    pub contract: AccountId,
    pub topics: Vec<[u8; 32]>,
    pub data: Vec<u8>,
}

impl Emitted {
    pub fn decode<E: Decode>(&self) -> Option<E> {
        E::decode(&mut &self.data[..]).ok()
    }
}

/// A typed call of a contract message, as its generated call builder makes it.
pub type Msg<Args, R> = CallBuilderFinal<Env, Args, R>;

/// What one call did: its decoded return value (or the reason it had none), its events,
/// and what it cost.
#[derive(Debug)]
pub struct Outcome<R> {
    pub value: Result<R, CallFailure>,
    pub reverted: bool,
    pub events: Vec<Emitted>,
    pub ref_time: u64,
    pub proof_size: u64,
    /// Positive: charged to the caller; negative: refunded.
    pub storage_deposit: i128,
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
        self.events
            .iter()
            .filter(|e| E::SIGNATURE_TOPIC.is_none_or(|sig| e.topics.first() == Some(&sig)))
            .filter_map(|e| e.decode::<E>())
            .collect()
    }
}

pub struct Chain {
    pub sandbox: DefaultSandbox,
    now: u64,
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
        let mut sandbox = DefaultSandbox::default();
        for n in 1..=40u8 {
            sandbox
                .mint_into(&to_runtime(account(n)), 1_000_000_000_000_000)
                .expect("minting into a fresh sandbox account");
        }
        let mut chain = Self { sandbox, now: T0, wasm, deployed: 0 };
        chain.sandbox.set_timestamp(T0);
        chain
    }

    pub fn now(&self) -> u64 {
        self.now
    }

    /// Moves block time forward by `ms`, in a new block.
    pub fn advance(&mut self, ms: u64) {
        self.now += ms;
        self.sandbox.build_block();
        // build_block stamps the new block with wall-clock seconds; put chain time back.
        self.sandbox.set_timestamp(self.now);
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
        let result = self
            .sandbox
            .upload_contract(code, to_runtime(origin), None, Determinism::Enforced)
            .unwrap_or_else(|e| panic!("uploading code: {e:?}"));
        Hash::from(result.code_hash.0)
    }

    /// The root of a contract's storage child trie. Two equal roots mean equal storage, so a
    /// refused call that left every contract's root as it was changed nothing.
    pub fn storage_root(&mut self, contract: AccountId) -> Vec<u8> {
        use ink_sandbox::frame_support::storage::{child, storage_prefix, unhashed};
        use ink_sandbox::frame_support::{StorageHasher, Twox64Concat};
        let account = to_runtime(contract);
        self.sandbox.execute_with(|| {
            // pallet-contracts' ContractInfoOf entry starts with the contract's trie id.
            let mut key = storage_prefix(b"Contracts", b"ContractInfoOf").to_vec();
            key.extend(Twox64Concat::hash(&account.encode()));
            let info = unhashed::get_raw(&key).unwrap_or_else(|| panic!("{contract:?} is not a contract"));
            let trie_id = Vec::<u8>::decode(&mut &info[..]).expect("ContractInfo starts with its trie id");
            child::root(&child::ChildInfo::new_default(&trie_id), child::StateVersion::V1)
        })
    }

    /// The whole chain state, to return to with `restore` (cheaper than deploying again).
    pub fn snapshot(&mut self) -> ink_sandbox::Snapshot {
        self.sandbox.take_snapshot()
    }

    /// Back to a `snapshot`, at `now` (the snapshot does not carry the harness's clock).
    pub fn restore(&mut self, snapshot: ink_sandbox::Snapshot, now: u64) {
        self.sandbox.restore_snapshot(snapshot);
        self.now = now;
        self.sandbox.set_timestamp(now);
    }

    /// The code hash the runtime holds for a contract account (what `set_code_hash` changes).
    pub fn code_hash_of(&mut self, contract: AccountId) -> Option<Hash> {
        let account = to_runtime(contract);
        self.sandbox.execute_with(|| pallet_contracts::Pallet::<Runtime>::code_hash(&account)).map(|h| Hash::from(h.0))
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
        let input = carechain_shared::client::constructor_input(ctor);
        self.deployed += 1;
        let salt = self.deployed.to_le_bytes().iter().chain(name.as_bytes()).copied().collect();
        let code = self.wasm(name);
        let result = self.sandbox.deploy_contract(
            code,
            0,
            input,
            salt,
            to_runtime(origin),
            DefaultSandbox::default_gas_limit(),
            None,
        );
        let ret = result.result.map_err(|e| format!("{e:?}: {}", String::from_utf8_lossy(&result.debug_message)))?;
        if ret.result.did_revert() {
            return Err(format!("constructor reverted: {:?}", ret.result.data));
        }
        Ok(from_runtime(&ret.account_id))
    }

    /// Submits a call (state changes are kept unless the contract reverts).
    pub fn call<Args: Encode + Clone, R: Decode>(
        &mut self,
        origin: AccountId,
        msg: &CallBuilderFinal<Env, Args, R>,
    ) -> Outcome<R> {
        let (address, input) = target(msg);
        self.clear_events();
        let result = self.sandbox.call_contract(
            to_runtime(address),
            0,
            input,
            to_runtime(origin),
            DefaultSandbox::default_gas_limit(),
            None,
            Determinism::Enforced,
        );
        outcome(result)
    }

    /// Runs a call and throws its state changes away, as an RPC dry run does.
    pub fn query<Args: Encode + Clone, R: Decode>(
        &mut self,
        origin: AccountId,
        msg: &CallBuilderFinal<Env, Args, R>,
    ) -> Outcome<R> {
        let (address, input) = target(msg);
        let result = self.sandbox.dry_run(|s| {
            s.execute_with(ink_sandbox::frame_system::Pallet::<Runtime>::reset_events);
            s.call_contract(
                to_runtime(address),
                0,
                input,
                to_runtime(origin),
                DefaultSandbox::default_gas_limit(),
                None,
                Determinism::Enforced,
            )
        });
        outcome(result)
    }

    /// pallet-contracts reports *all* events of the current block with a call's result, so
    /// each call starts from an empty event list to carry only its own.
    fn clear_events(&mut self) {
        self.sandbox.execute_with(ink_sandbox::frame_system::Pallet::<Runtime>::reset_events);
    }

    /// Reads a value (a dry run by a neutral caller), panicking if the call fails.
    pub fn read<Args: Encode + Clone, R: Decode + core::fmt::Debug>(
        &mut self,
        msg: &CallBuilderFinal<Env, Args, R>,
    ) -> R {
        self.query(account(40), msg).ok()
    }
}

impl Default for Chain {
    fn default() -> Self {
        Self::new()
    }
}

fn target<Args: Encode + Clone, R>(msg: &CallBuilderFinal<Env, Args, R>) -> (AccountId, Vec<u8>) {
    let params = msg.clone().params();
    (*params.callee(), params.exec_input().encode())
}

fn outcome<R: Decode>(result: ink_sandbox::ContractExecResultFor<Runtime>) -> Outcome<R> {
    let events = result
        .events
        .unwrap_or_default()
        .into_iter()
        .filter_map(|record| {
            let topics = record.topics.iter().map(|t| t.0).collect();
            let event: Result<pallet_contracts::Event<Runtime>, _> = record.event.try_into();
            match event {
                Ok(pallet_contracts::Event::ContractEmitted { contract, data }) => {
                    Some(Emitted { contract: from_runtime(&contract), topics, data })
                }
                _ => None,
            }
        })
        .collect();
    let storage_deposit = match result.storage_deposit {
        pallet_contracts::StorageDeposit::Charge(x) => i128::try_from(x).unwrap_or(i128::MAX),
        pallet_contracts::StorageDeposit::Refund(x) => -i128::try_from(x).unwrap_or(i128::MAX),
    };
    let (value, reverted) = match result.result {
        Err(e) => {
            (Err(CallFailure::Dispatch(format!("{e:?}: {}", String::from_utf8_lossy(&result.debug_message)))), false)
        }
        Ok(ret) => {
            let reverted = ret.did_revert();
            let value = match ink::MessageResult::<R>::decode(&mut &ret.data[..]) {
                Ok(Ok(v)) => Ok(v),
                Ok(Err(lang)) => Err(CallFailure::Lang(format!("{lang:?}"))),
                Err(e) => Err(CallFailure::Decode(format!("{e:?}"))),
            };
            (value, reverted)
        }
    };
    Outcome {
        value,
        reverted,
        events,
        ref_time: result.gas_consumed.ref_time(),
        proof_size: result.gas_consumed.proof_size(),
        storage_deposit,
    }
}

/// Debug builds of every workspace contract, made by ink_e2e's builder (cached per process).
pub fn built_contracts() -> HashMap<String, Vec<u8>> {
    ink_e2e::build_root_and_contract_dependencies()
        .into_iter()
        .map(|path| (stem(&path), std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))))
        .collect()
}

/// A call of `upgrade_probe`, the message only the `upgrade-probe` build of each contract has
/// (any other build refuses its selector): how the upgrade scenarios tell the builds apart.
pub fn upgrade_probe(contract: AccountId) -> CallBuilderFinal<Env, ink::env::call::utils::EmptyArgumentList, u32> {
    use ink::env::call::{build_call, ExecutionInput, Selector};
    build_call::<Env>()
        .call(contract)
        .exec_input(ExecutionInput::new(Selector::new(ink::selector_bytes!("upgrade_probe"))))
        .returns::<u32>()
}

/// Debug builds of every contract with extra cargo `features`, made by `cargo contract build`
/// into their own target directory so they never overwrite the default builds. Code only: the
/// scenarios call these builds by selector, and skipping metadata spares a host build of the
/// contract and its dependencies (about 0.8 GB of disk per contract).
pub fn built_with_features(features: &str) -> HashMap<String, Vec<u8>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = root.join("target").join(format!("features-{}", features.replace(',', "-")));
    CONTRACTS
        .iter()
        .map(|name| {
            let manifest = root.join("contracts").join(name).join("Cargo.toml");
            let status = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .args(["contract", "build", "--quiet", "--generate", "code-only", "--features", features])
                .arg("--manifest-path")
                .arg(&manifest)
                .env("CARGO_TARGET_DIR", &target)
                .status()
                .unwrap_or_else(|e| panic!("running cargo contract build for {name}: {e}"));
            assert!(status.success(), "cargo contract build --features {features} failed for {name}");
            let path = target.join("ink").join(name).join(format!("{name}.wasm"));
            (name.to_string(), std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display())))
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

fn stem(path: &std::path::Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}
