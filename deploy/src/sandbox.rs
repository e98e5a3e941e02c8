//! The one wrapper of the in-process pallet-contracts runtime (ink_sandbox, the runtime
//! ink_e2e's sandbox backend and drink use). The deploy tool's embedded chain and the e2e
//! harness both stand on it, so accounts, storage deposits, events and block time are turned
//! into carechain's terms in one place.
//!
//! Block time is explicit: ink_sandbox stamps each new block with wall-clock *seconds*, chains
//! count milliseconds, so every block opened here is stamped with this clock instead.

use crate::chain::{cost_of, ink_account, runtime_account, Code, CodeHash, Cost, Emitted};
use ink::primitives::AccountId;
use ink_sandbox::api::prelude::*;
use ink_sandbox::pallet_contracts::{self, Determinism};
use ink_sandbox::{frame_system, DefaultSandbox, Sandbox as _};
use scale::{Decode, Encode};

type Runtime = <DefaultSandbox as ink_sandbox::Sandbox>::Runtime;

/// What a call or an instantiation did.
#[derive(Debug, Clone)]
pub struct Executed<T> {
    /// The output (ink!'s `MessageResult` encoding) or the new contract's address; `Err` when
    /// the runtime refused the call or the contract trapped, as one line.
    pub result: Result<T, String>,
    /// The contract reverted: nothing it did was kept.
    pub reverted: bool,
    /// The contract events the runtime reports for this call, in order. Not filtered: a
    /// reverted call's events are rolled back by the runtime, and tests assert exactly that.
    pub events: Vec<Emitted>,
    pub cost: Cost,
}

/// A contract event among its block's events.
#[derive(Debug, Clone)]
pub struct BlockEvent {
    /// Position among the block's events.
    pub index: u32,
    /// The extrinsic that emitted it (the sandbox applies none, so `None` here).
    pub extrinsic: Option<u32>,
    pub emitted: Emitted,
}

pub struct Sandbox {
    inner: DefaultSandbox,
    now_ms: u64,
}

fn reason(err: impl core::fmt::Debug, debug_message: &[u8]) -> String {
    let msg = String::from_utf8_lossy(debug_message);
    if msg.trim().is_empty() {
        format!("{err:?}")
    } else {
        format!("{err:?} ({})", msg.trim())
    }
}

type Record =
    frame_system::EventRecord<<Runtime as frame_system::Config>::RuntimeEvent, <Runtime as frame_system::Config>::Hash>;

fn contract_events(records: Vec<Record>) -> Vec<BlockEvent> {
    records
        .into_iter()
        .enumerate()
        .filter_map(|(index, record)| {
            let extrinsic = match record.phase {
                frame_system::Phase::ApplyExtrinsic(i) => Some(i),
                _ => None,
            };
            let topics = record.topics.iter().map(|t| t.0).collect();
            match record.event.try_into() {
                Ok(pallet_contracts::Event::<Runtime>::ContractEmitted { contract, data }) => Some(BlockEvent {
                    index: u32::try_from(index).unwrap_or(u32::MAX),
                    extrinsic,
                    emitted: Emitted { contract: ink_account(&contract), topics, data },
                }),
                _ => None,
            }
        })
        .collect()
}

/// pallet-contracts' report of a call or an instantiation in carechain's terms; `value` takes
/// what the runtime returned to the output (or address) and whether the contract reverted.
fn executed<R, T>(
    result: pallet_contracts::ContractResult<Result<R, ink_sandbox::DispatchError>, u128, Record>,
    value: impl FnOnce(R) -> (T, bool),
) -> Executed<T> {
    let cost = cost_of(&result);
    let events = result.events.map(contract_events).unwrap_or_default().into_iter().map(|e| e.emitted).collect();
    match result.result {
        Err(e) => Executed { result: Err(reason(e, &result.debug_message)), reverted: false, events, cost },
        Ok(ret) => {
            let (v, reverted) = value(ret);
            Executed { result: Ok(v), reverted, events, cost }
        }
    }
}

impl Sandbox {
    /// A fresh chain at block time `start_ms`.
    pub fn new(start_ms: u64) -> Self {
        let mut inner = DefaultSandbox::default();
        inner.set_timestamp(start_ms);
        Self { inner, now_ms: start_ms }
    }

    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// Seals the current block and opens the next one, `ms` later.
    pub fn advance(&mut self, ms: u64) {
        self.now_ms = self.now_ms.saturating_add(ms);
        self.inner.build_block();
        self.inner.set_timestamp(self.now_ms);
    }

    /// Credits `amount` to `who` (the sandbox's faucet).
    pub fn fund(&mut self, who: AccountId, amount: u128) -> Result<(), String> {
        self.inner.mint_into(&runtime_account(&who), amount).map(|_| ()).map_err(|e| format!("{e:?}"))
    }

    pub fn free_balance(&mut self, who: AccountId) -> u128 {
        self.inner.free_balance(&runtime_account(&who))
    }

    pub fn block_number(&mut self) -> u64 {
        u64::from(self.inner.execute_with(frame_system::Pallet::<Runtime>::block_number))
    }

    pub fn genesis_hash(&mut self) -> [u8; 32] {
        self.inner.execute_with(|| frame_system::Pallet::<Runtime>::block_hash(0)).0
    }

    /// The code a contract account runs (what `set_code_hash` changes); `None` if it is not one.
    pub fn code_hash_of(&mut self, contract: AccountId) -> Option<CodeHash> {
        let account = runtime_account(&contract);
        self.inner.execute_with(|| pallet_contracts::Pallet::<Runtime>::code_hash(&account)).map(|h| h.0)
    }

    /// Uploads code; its hash and the deposit charged for it.
    pub fn upload(&mut self, origin: AccountId, wasm: &[u8]) -> Result<(CodeHash, Cost), String> {
        let result = self
            .inner
            .upload_contract(wasm.to_vec(), runtime_account(&origin), None, Determinism::Enforced)
            .map_err(|e| format!("{e:?}"))?;
        let cost = Cost { deposit: i128::try_from(result.deposit).unwrap_or(i128::MAX), ..Cost::default() };
        Ok((result.code_hash.0, cost))
    }

    fn instantiate_in(
        s: &mut DefaultSandbox,
        origin: AccountId,
        code: Code<'_>,
        input: &[u8],
        salt: &[u8],
    ) -> Executed<AccountId> {
        let origin = runtime_account(&origin);
        let gas = DefaultSandbox::default_gas_limit();
        let result = match code {
            Code::Upload(wasm) => s.deploy_contract(wasm.to_vec(), 0, input.to_vec(), salt.to_vec(), origin, gas, None),
            Code::Existing(hash) => {
                s.instantiate_contract(hash.to_vec(), 0, input.to_vec(), salt.to_vec(), origin, gas, None)
            }
        };
        executed(result, |ret| (ink_account(&ret.account_id), ret.result.did_revert()))
    }

    /// Instantiates a contract (uploading its code with it, for `Code::Upload`).
    pub fn instantiate(&mut self, origin: AccountId, code: Code<'_>, input: &[u8], salt: &[u8]) -> Executed<AccountId> {
        Self::instantiate_in(&mut self.inner, origin, code, input, salt)
    }

    /// An instantiation as a dry run: what it would do and cost; nothing is kept.
    pub fn estimate_instantiate(
        &mut self,
        origin: AccountId,
        code: Code<'_>,
        input: &[u8],
        salt: &[u8],
    ) -> Executed<AccountId> {
        self.inner.dry_run(|s| Self::instantiate_in(s, origin, code, input, salt))
    }

    fn call_in(s: &mut DefaultSandbox, origin: AccountId, contract: AccountId, input: &[u8]) -> Executed<Vec<u8>> {
        // pallet-contracts reports *all* events of the block with a call's result: each call
        // starts from an empty list so it carries only its own.
        s.execute_with(frame_system::Pallet::<Runtime>::reset_events);
        let result = s.call_contract(
            runtime_account(&contract),
            0,
            input.to_vec(),
            runtime_account(&origin),
            DefaultSandbox::default_gas_limit(),
            None,
            Determinism::Enforced,
        );
        executed(result, |ret| {
            let reverted = ret.did_revert();
            (ret.data, reverted)
        })
    }

    /// Calls a message; its effects are kept unless the contract reverts.
    pub fn call(&mut self, origin: AccountId, contract: AccountId, input: &[u8]) -> Executed<Vec<u8>> {
        Self::call_in(&mut self.inner, origin, contract, input)
    }

    /// Calls a message and throws its effects away, as an RPC dry run does.
    pub fn dry_run(&mut self, origin: AccountId, contract: AccountId, input: &[u8]) -> Executed<Vec<u8>> {
        self.inner.dry_run(|s| Self::call_in(s, origin, contract, input))
    }

    /// The contract events of the current block so far.
    pub fn block_events(&mut self) -> Vec<BlockEvent> {
        contract_events(
            self.inner
                .execute_with(|| frame_system::Pallet::<Runtime>::read_events_no_consensus().map(|r| *r).collect()),
        )
    }

    /// The root of a contract's storage child trie; `None` if the account is not a contract.
    /// Two equal roots mean equal storage, so a refused call that left every root as it was
    /// changed nothing.
    pub fn storage_root(&mut self, contract: AccountId) -> Option<Vec<u8>> {
        use ink_sandbox::frame_support::storage::{child, storage_prefix, unhashed};
        use ink_sandbox::frame_support::{StorageHasher, Twox64Concat};
        let account = runtime_account(&contract);
        self.inner.execute_with(|| {
            // pallet-contracts' ContractInfoOf entry starts with the contract's trie id.
            let mut key = storage_prefix(b"Contracts", b"ContractInfoOf").to_vec();
            key.extend(Twox64Concat::hash(&account.encode()));
            let info = unhashed::get_raw(&key)?;
            let trie_id = Vec::<u8>::decode(&mut &info[..]).ok()?;
            Some(child::root(&child::ChildInfo::new_default(&trie_id), child::StateVersion::V1))
        })
    }

    /// The whole chain state, to return to with `restore` (cheaper than deploying again).
    pub fn snapshot(&mut self) -> ink_sandbox::Snapshot {
        self.inner.take_snapshot()
    }

    /// Back to a `snapshot`, at block time `now_ms` (a snapshot does not carry this clock).
    pub fn restore(&mut self, snapshot: ink_sandbox::Snapshot, now_ms: u64) {
        self.inner.restore_snapshot(snapshot);
        self.now_ms = now_ms;
        self.inner.set_timestamp(now_ms);
    }
}
