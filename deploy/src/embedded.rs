//! An in-process pallet-contracts runtime (ink_sandbox, the runtime ink_e2e's sandbox backend
//! and drink use): a real chain without a node, for the default deployment and the tests.

use crate::audit::events::ChainEvent;
use crate::chain::{cost_of, Chain, Code, CodeHash, Cost, Receipt};
use crate::error::{DeployError, Result};
use ink::primitives::AccountId;
use ink_sandbox::api::prelude::*;
use ink_sandbox::pallet_contracts::{self, Determinism};
use ink_sandbox::{frame_system, AccountId32, DefaultSandbox, Sandbox};

type Runtime = <DefaultSandbox as Sandbox>::Runtime;

/// Six seconds, the block time of most Polkadot-SDK chains.
pub const BLOCK_MS: u64 = 6_000;

pub struct Embedded {
    sandbox: DefaultSandbox,
    origin: AccountId,
    now_ms: u64,
    /// Every contract event of every sealed block, for the audit index.
    log: Vec<ChainEvent>,
}

fn runtime_account(a: &AccountId) -> AccountId32 {
    AccountId32::new(*AsRef::<[u8; 32]>::as_ref(a))
}

fn debug_reason(err: impl core::fmt::Debug, debug_message: &[u8]) -> String {
    let msg = String::from_utf8_lossy(debug_message);
    if msg.trim().is_empty() {
        format!("{err:?}")
    } else {
        format!("{err:?} ({})", msg.trim())
    }
}

impl Embedded {
    /// A fresh chain whose clock starts at `start_ms`, with `signer` signing every step.
    pub fn new(signer: AccountId, start_ms: u64) -> Self {
        let mut sandbox = DefaultSandbox::default();
        sandbox.set_timestamp(start_ms);
        Self { sandbox, origin: signer, now_ms: start_ms, log: Vec::new() }
    }

    /// Credits `amount` to `who` (the embedded chain's faucet).
    pub fn fund(&mut self, who: AccountId, amount: u128) -> Result<()> {
        self.sandbox
            .mint_into(&runtime_account(&who), amount)
            .map(|_| ())
            .map_err(|e| DeployError::Rejected { step: "fund".into(), reason: format!("{e:?}") })
    }

    /// Signs the following steps as `who` (the walkthrough plays several roles).
    pub fn act_as(&mut self, who: AccountId) {
        self.origin = who;
    }

    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    fn block_number(&mut self) -> u64 {
        u64::from(self.sandbox.execute_with(frame_system::Pallet::<Runtime>::block_number))
    }

    /// The contract events of every block sealed so far, in chain order (what a node's
    /// finalized blocks would give the audit index).
    pub fn events(&self) -> &[ChainEvent] {
        &self.log
    }

    /// Seals the block the step landed in and opens the next one.
    fn seal(&mut self) -> u64 {
        let landed = self.block_number();
        let time_ms = self.now_ms;
        let records: Vec<_> =
            self.sandbox.execute_with(|| frame_system::Pallet::<Runtime>::read_events_no_consensus().collect());
        for (index, record) in records.into_iter().enumerate() {
            let extrinsic = match record.phase {
                frame_system::Phase::ApplyExtrinsic(i) => Some(i),
                _ => None,
            };
            let topics = record.topics.iter().map(|t| t.0).collect();
            if let Ok(pallet_contracts::Event::ContractEmitted { contract, data }) = record.event.clone().try_into() {
                self.log.push(ChainEvent {
                    block: landed,
                    index: u32::try_from(index).unwrap_or(u32::MAX),
                    extrinsic,
                    time_ms,
                    contract: AccountId::from(*AsRef::<[u8; 32]>::as_ref(&contract)),
                    topics,
                    data,
                });
            }
        }
        self.sandbox.build_block();
        self.now_ms = self.now_ms.saturating_add(BLOCK_MS);
        // build_block stamps wall-clock seconds; chains count milliseconds.
        self.sandbox.set_timestamp(self.now_ms);
        landed
    }
}

impl Chain for Embedded {
    fn endpoint(&self) -> String {
        "embedded".into()
    }

    fn genesis_hash(&mut self) -> Result<[u8; 32]> {
        Ok(self.sandbox.execute_with(|| frame_system::Pallet::<Runtime>::block_hash(0)).0)
    }

    fn signer(&self) -> AccountId {
        self.origin
    }

    fn free_balance(&mut self, who: AccountId) -> Result<u128> {
        Ok(self.sandbox.free_balance(&runtime_account(&who)))
    }

    fn code_hash_of(&mut self, contract: AccountId) -> Result<Option<CodeHash>> {
        let account = runtime_account(&contract);
        Ok(self.sandbox.execute_with(|| pallet_contracts::Pallet::<Runtime>::code_hash(&account)).map(|h| h.0))
    }

    fn estimate_instantiate(&mut self, code: Code<'_>, input: &[u8], salt: &[u8]) -> Result<Receipt<AccountId>> {
        let origin = runtime_account(&self.origin);
        let result = self.sandbox.dry_run(|s| match code {
            Code::Upload(wasm) => s.deploy_contract(
                wasm.to_vec(),
                0,
                input.to_vec(),
                salt.to_vec(),
                origin,
                DefaultSandbox::default_gas_limit(),
                None,
            ),
            Code::Existing(hash) => s.instantiate_contract(
                hash.to_vec(),
                0,
                input.to_vec(),
                salt.to_vec(),
                origin,
                DefaultSandbox::default_gas_limit(),
                None,
            ),
        });
        let cost = cost_of(&result);
        let ret = result.result.map_err(|e| DeployError::Rejected {
            step: "estimate".into(),
            reason: debug_reason(e, &result.debug_message),
        })?;
        Ok(Receipt { value: AccountId::from(*AsRef::<[u8; 32]>::as_ref(&ret.account_id)), cost, block: 0 })
    }

    fn upload(&mut self, step: &str, wasm: &[u8]) -> Result<Receipt<CodeHash>> {
        let origin = runtime_account(&self.origin);
        let result = self
            .sandbox
            .upload_contract(wasm.to_vec(), origin, None, Determinism::Enforced)
            .map_err(|e| DeployError::Rejected { step: step.into(), reason: format!("{e:?}") })?;
        let cost = Cost { deposit: i128::try_from(result.deposit).unwrap_or(i128::MAX), ..Cost::default() };
        Ok(Receipt { value: result.code_hash.0, cost, block: self.seal() })
    }

    fn instantiate(
        &mut self,
        step: &str,
        code_hash: CodeHash,
        input: &[u8],
        salt: &[u8],
    ) -> Result<Receipt<AccountId>> {
        let origin = runtime_account(&self.origin);
        let result = self.sandbox.instantiate_contract(
            code_hash.to_vec(),
            0,
            input.to_vec(),
            salt.to_vec(),
            origin,
            DefaultSandbox::default_gas_limit(),
            None,
        );
        let cost = cost_of(&result);
        let rejected = |reason: String| DeployError::Rejected { step: step.into(), reason };
        let ret = result.result.map_err(|e| rejected(debug_reason(e, &result.debug_message)))?;
        if ret.result.did_revert() {
            return Err(rejected("the constructor reverted".into()));
        }
        Ok(Receipt { value: AccountId::from(*AsRef::<[u8; 32]>::as_ref(&ret.account_id)), cost, block: self.seal() })
    }

    fn query(&mut self, contract: AccountId, input: &[u8]) -> Result<(Receipt<Vec<u8>>, bool)> {
        let origin = runtime_account(&self.origin);
        let dest = runtime_account(&contract);
        let result = self.sandbox.dry_run(|s| {
            s.call_contract(
                dest,
                0,
                input.to_vec(),
                origin,
                DefaultSandbox::default_gas_limit(),
                None,
                Determinism::Enforced,
            )
        });
        let cost = cost_of(&result);
        let ret = result.result.map_err(|e| DeployError::Rejected {
            step: "query".into(),
            reason: debug_reason(e, &result.debug_message),
        })?;
        Ok((Receipt { value: ret.data.clone(), cost, block: 0 }, ret.did_revert()))
    }

    fn submit(&mut self, step: &str, contract: AccountId, input: &[u8]) -> Result<(Receipt<Vec<u8>>, bool)> {
        let origin = runtime_account(&self.origin);
        let dest = runtime_account(&contract);
        let result = self.sandbox.call_contract(
            dest,
            0,
            input.to_vec(),
            origin,
            DefaultSandbox::default_gas_limit(),
            None,
            Determinism::Enforced,
        );
        let cost = cost_of(&result);
        let rejected = |reason: String| DeployError::Rejected { step: step.into(), reason };
        let ret = result.result.map_err(|e| rejected(debug_reason(e, &result.debug_message)))?;
        if ret.did_revert() {
            // pallet-contracts rolled the call back: nothing changed, nothing to seal.
            return Ok((Receipt { value: ret.data, cost, block: 0 }, true));
        }
        Ok((Receipt { value: ret.data, cost, block: self.seal() }, false))
    }
}
