//! The deploy tool's embedded chain: the sandbox runtime (`crate::sandbox`) behind the
//! [`Chain`] trait, sealing a six-second block after every step as a node would, and keeping
//! every contract event of every sealed block for the audit index.

use crate::audit::events::ChainEvent;
use crate::chain::{Chain, Code, CodeHash, Receipt};
use crate::error::{DeployError, Result};
use crate::sandbox::{Executed, Sandbox};
use ink::primitives::AccountId;

/// Six seconds, the block time of most Polkadot-SDK chains.
pub const BLOCK_MS: u64 = 6_000;

pub struct Embedded {
    sandbox: Sandbox,
    origin: AccountId,
    /// Every contract event of every sealed block, for the audit index.
    log: Vec<ChainEvent>,
}

fn rejected(step: &str) -> impl Fn(String) -> DeployError + '_ {
    move |reason| DeployError::Rejected { step: step.to_string(), reason }
}

impl Embedded {
    /// A fresh chain whose clock starts at `start_ms`, with `signer` signing every step.
    pub fn new(signer: AccountId, start_ms: u64) -> Self {
        Self { sandbox: Sandbox::new(start_ms), origin: signer, log: Vec::new() }
    }

    /// Credits `amount` to `who` (the embedded chain's faucet).
    pub fn fund(&mut self, who: AccountId, amount: u128) -> Result<()> {
        self.sandbox.fund(who, amount).map_err(rejected("fund"))
    }

    /// Signs the following steps as `who` (the walkthrough plays several roles).
    pub fn act_as(&mut self, who: AccountId) {
        self.origin = who;
    }

    pub fn now_ms(&self) -> u64 {
        self.sandbox.now_ms()
    }

    /// The contract events of every block sealed so far, in chain order (what a node's
    /// finalized blocks would give the audit index).
    pub fn events(&self) -> &[ChainEvent] {
        &self.log
    }

    /// Seals the block the step landed in and opens the next one.
    fn seal(&mut self) -> u64 {
        let landed = self.sandbox.block_number();
        let time_ms = self.sandbox.now_ms();
        for e in self.sandbox.block_events() {
            self.log.push(ChainEvent {
                block: landed,
                index: e.index,
                extrinsic: e.extrinsic,
                time_ms,
                emitted: e.emitted,
            });
        }
        self.sandbox.advance(BLOCK_MS);
        landed
    }
}

fn receipt<T>(step: &str, executed: Executed<T>) -> Result<(Receipt<T>, bool)> {
    let value = executed.result.map_err(rejected(step))?;
    Ok((Receipt { value, cost: executed.cost, block: 0 }, executed.reverted))
}

impl Chain for Embedded {
    fn endpoint(&self) -> String {
        "embedded".into()
    }

    fn genesis_hash(&mut self) -> Result<[u8; 32]> {
        Ok(self.sandbox.genesis_hash())
    }

    fn signer(&self) -> AccountId {
        self.origin
    }

    fn free_balance(&mut self, who: AccountId) -> Result<u128> {
        Ok(self.sandbox.free_balance(who))
    }

    fn code_hash_of(&mut self, contract: AccountId) -> Result<Option<CodeHash>> {
        Ok(self.sandbox.code_hash_of(contract))
    }

    fn estimate_instantiate(&mut self, code: Code<'_>, input: &[u8], salt: &[u8]) -> Result<Receipt<AccountId>> {
        let executed = self.sandbox.estimate_instantiate(self.origin, code, input, salt);
        Ok(receipt("estimate", executed)?.0)
    }

    fn upload(&mut self, step: &str, wasm: &[u8]) -> Result<Receipt<CodeHash>> {
        let (hash, cost) = self.sandbox.upload(self.origin, wasm).map_err(rejected(step))?;
        Ok(Receipt { value: hash, cost, block: self.seal() })
    }

    fn instantiate(
        &mut self,
        step: &str,
        code_hash: CodeHash,
        input: &[u8],
        salt: &[u8],
    ) -> Result<Receipt<AccountId>> {
        let executed = self.sandbox.instantiate(self.origin, Code::Existing(code_hash), input, salt);
        let (receipt, reverted) = receipt(step, executed)?;
        if reverted {
            return Err(rejected(step)("the constructor reverted".into()));
        }
        Ok(Receipt { block: self.seal(), ..receipt })
    }

    fn query(&mut self, contract: AccountId, input: &[u8]) -> Result<(Receipt<Vec<u8>>, bool)> {
        receipt("query", self.sandbox.dry_run(self.origin, contract, input))
    }

    fn submit(&mut self, step: &str, contract: AccountId, input: &[u8]) -> Result<(Receipt<Vec<u8>>, bool)> {
        let (receipt, reverted) = receipt(step, self.sandbox.call(self.origin, contract, input))?;
        if reverted {
            // pallet-contracts rolled the call back: nothing changed, nothing to seal.
            return Ok((receipt, true));
        }
        Ok((Receipt { block: self.seal(), ..receipt }, false))
    }
}
