//! A live chain over RPC (subxt): dry runs through the `ContractsApi` runtime API, steps as
//! signed `Contracts` extrinsics, each waited for until it is in a block.

use crate::chain::{code_hash, cost_of, Chain, Code, CodeHash, Cost, Receipt};
use crate::error::{DeployError, Result};
use ink::primitives::AccountId;
use ink_sandbox::pallet_contracts::{self, Determinism};
use ink_sandbox::{DispatchError, Weight, H256};
use scale::{Decode, Encode};
use std::str::FromStr;
use subxt::backend::legacy::LegacyRpcMethods;
use subxt::backend::rpc::RpcClient;
use subxt::dynamic::Value;
use subxt::tx::TxStatus;
use subxt::{OnlineClient, PolkadotConfig};
use subxt_signer::sr25519::Keypair;
use subxt_signer::SecretUri;

pub struct Live {
    rt: tokio::runtime::Runtime,
    client: OnlineClient<PolkadotConfig>,
    /// For the best block: subxt's `at_latest` is the latest *finalized* block, which on a dev
    /// node lags behind the block a step just landed in.
    rpc: LegacyRpcMethods<PolkadotConfig>,
    /// The block our last step landed in: a node may announce a transaction in a block before
    /// it reports that block as its best, and the next step must see the last one's effects.
    last_block: std::cell::Cell<Option<<PolkadotConfig as subxt::Config>::Hash>>,
    /// `None` for a read-only session (`verify`), which only dry-runs as `origin`.
    signer: Option<Keypair>,
    origin: [u8; 32],
    url: String,
}

/// The first line of an error, without the chain of causes: errors are printed on one line.
fn one_line(e: impl core::fmt::Display) -> String {
    e.to_string().lines().next().unwrap_or_default().to_string()
}

/// The three `Contracts` extrinsics the tool submits, as typed payloads: subxt encodes each
/// field by name against the connected chain's own metadata for the call, so a chain whose
/// pallet-contracts renamed or retyped a field refuses the payload with subxt's error instead of
/// receiving wrong bytes. (Compact fields take plain integers: the metadata says how to encode.)
mod calls {
    use subxt::ext::scale_encode::{self, EncodeAsType};

    #[derive(EncodeAsType)]
    #[encode_as_type(crate_path = "scale_encode")]
    pub struct GasLimit {
        pub ref_time: u64,
        pub proof_size: u64,
    }

    /// Code that must run the same on every validator (no floating point, no indeterminism).
    #[derive(EncodeAsType)]
    #[encode_as_type(crate_path = "scale_encode")]
    pub enum Determinism {
        Enforced,
    }

    /// `Contracts::upload_code`.
    #[derive(EncodeAsType)]
    #[encode_as_type(crate_path = "scale_encode")]
    pub struct UploadCode {
        pub code: Vec<u8>,
        pub storage_deposit_limit: Option<u128>,
        pub determinism: Determinism,
    }

    /// `Contracts::instantiate` (code already on chain).
    #[derive(EncodeAsType)]
    #[encode_as_type(crate_path = "scale_encode")]
    pub struct Instantiate {
        pub value: u128,
        pub gas_limit: GasLimit,
        pub storage_deposit_limit: Option<u128>,
        pub code_hash: [u8; 32],
        pub data: Vec<u8>,
        pub salt: Vec<u8>,
    }

    /// `Contracts::call`.
    #[derive(EncodeAsType)]
    #[encode_as_type(crate_path = "scale_encode")]
    pub struct Call {
        pub dest: subxt::utils::MultiAddress<subxt::utils::AccountId32, ()>,
        pub value: u128,
        pub gas_limit: GasLimit,
        pub storage_deposit_limit: Option<u128>,
        pub data: Vec<u8>,
    }

    pub fn gas_limit(w: super::Weight) -> GasLimit {
        GasLimit { ref_time: w.ref_time(), proof_size: w.proof_size() }
    }

    pub fn upload_code(wasm: &[u8]) -> subxt::tx::Payload<UploadCode> {
        let call = UploadCode { code: wasm.to_vec(), storage_deposit_limit: None, determinism: Determinism::Enforced };
        subxt::tx::Payload::new("Contracts", "upload_code", call)
    }

    pub fn instantiate(
        gas: super::Weight,
        code_hash: [u8; 32],
        data: &[u8],
        salt: &[u8],
    ) -> subxt::tx::Payload<Instantiate> {
        let call = Instantiate {
            value: 0,
            gas_limit: gas_limit(gas),
            storage_deposit_limit: None,
            code_hash,
            data: data.to_vec(),
            salt: salt.to_vec(),
        };
        subxt::tx::Payload::new("Contracts", "instantiate", call)
    }

    pub fn call(gas: super::Weight, dest: [u8; 32], data: &[u8]) -> subxt::tx::Payload<Call> {
        let call = Call {
            dest: subxt::utils::MultiAddress::Id(subxt::utils::AccountId32(dest)),
            value: 0,
            gas_limit: gas_limit(gas),
            storage_deposit_limit: None,
            data: data.to_vec(),
        };
        subxt::tx::Payload::new("Contracts", "call", call)
    }
}

/// A fifth more than the dry run used: state can change between the dry run and the block.
fn margin(w: Weight) -> Weight {
    Weight::from_parts(w.ref_time().saturating_add(w.ref_time() / 5), w.proof_size().saturating_add(w.proof_size() / 5))
}

/// A dispatch error as subxt's type, which names module errors from `metadata`: what a
/// submitted extrinsic fails with, and what a dry run's error is turned into here, so one
/// lookup serves both (the e2e node tier uses it too).
fn named(metadata: &subxt::Metadata, e: &DispatchError) -> Option<subxt::error::DispatchError> {
    subxt::error::DispatchError::decode_from(e.encode(), metadata.clone()).ok()
}

/// A dispatch error as one line: a module error by pallet and variant name and its first doc
/// line (`Contracts::ContractTrapped: Contract trapped during execution.`), never raw indices;
/// the others by their variant (`BadOrigin`, `Token(FundsUnavailable)`).
pub fn describe(e: &subxt::error::DispatchError) -> String {
    match e {
        subxt::error::DispatchError::Module(m) => match m.details() {
            Ok(d) => {
                let name = format!("{}::{}", d.pallet.name(), d.variant.name);
                match d.variant.docs.iter().map(|l| l.trim()).find(|l| !l.is_empty()) {
                    Some(doc) => format!("{name}: {doc}"),
                    None => name,
                }
            }
            Err(_) => {
                format!("error {} of pallet {} (not in this chain's metadata)", m.error_index(), m.pallet_index())
            }
        },
        other => format!("{other:?}"),
    }
}

/// Whether `e` is the module error `name` (`Contracts::ContractReverted`), by the names in the
/// metadata of the chain that reported it.
pub fn is_module_error(e: &subxt::error::DispatchError, name: &str) -> bool {
    match e {
        subxt::error::DispatchError::Module(m) => {
            m.details().is_ok_and(|d| name.split_once("::") == Some((d.pallet.name(), d.variant.name.as_str())))
        }
        _ => false,
    }
}

/// A dry run's dispatch error as one line, named from the connected chain's metadata.
pub fn dispatch_error(metadata: &subxt::Metadata, e: &DispatchError) -> String {
    named(metadata, e).map(|e| describe(&e)).unwrap_or_else(|| format!("{e:?}"))
}

/// Whether `result` failed with the module error `name` (`Contracts::ContractNotFound`).
fn failed_with<T>(metadata: &subxt::Metadata, result: &core::result::Result<T, DispatchError>, name: &str) -> bool {
    match result {
        Err(e) => named(metadata, e).is_some_and(|e| is_module_error(&e, name)),
        Ok(_) => false,
    }
}

impl Live {
    fn rejected(&self, step: &str, e: &DispatchError) -> DeployError {
        DeployError::Rejected { step: step.to_string(), reason: dispatch_error(&self.client.metadata(), e) }
    }

    /// Connects to `url` and prepares `suri` (e.g. `//Alice`, a mnemonic) to sign. The secret is
    /// never printed, not even when it is malformed.
    pub fn connect(url: &str, suri: &str) -> Result<Self> {
        let uri = SecretUri::from_str(suri).map_err(|_| DeployError::InvalidSecret)?;
        let signer = Keypair::from_uri(&uri).map_err(|_| DeployError::InvalidSecret)?;
        let origin = signer.public_key().0;
        Self::open(url, Some(signer), origin)
    }

    /// Connects without a key: dry runs only, made as `origin`.
    pub fn read_only(url: &str, origin: AccountId) -> Result<Self> {
        Self::open(url, None, *AsRef::<[u8; 32]>::as_ref(&origin))
    }

    fn open(url: &str, signer: Option<Keypair>, origin: [u8; 32]) -> Result<Self> {
        let unreachable = |reason: String| DeployError::NodeUnreachable { url: url.to_string(), reason };
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| unreachable(one_line(e)))?;
        let (client, rpc) = rt
            .block_on(async {
                let rpc = if url.starts_with("wss://") {
                    RpcClient::from_url(url).await?
                } else {
                    RpcClient::from_insecure_url(url).await?
                };
                let client = OnlineClient::<PolkadotConfig>::from_rpc_client(rpc.clone()).await?;
                Ok::<_, subxt::Error>((client, LegacyRpcMethods::new(rpc)))
            })
            .map_err(|e| unreachable(one_line(e)))?;
        Ok(Self { rt, client, rpc, last_block: std::cell::Cell::new(None), signer, origin, url: url.to_string() })
    }

    fn origin(&self) -> [u8; 32] {
        self.origin
    }

    /// The number of the latest *finalized* block: the audit index reads no further, so nothing
    /// it stores can be reverted by a re-organisation.
    pub fn finalized_number(&self) -> Result<u64> {
        self.rt
            .block_on(async {
                let hash = self.rpc.chain_get_finalized_head().await?;
                let header = self
                    .rpc
                    .chain_get_header(Some(hash))
                    .await?
                    .ok_or_else(|| subxt::Error::Other("the node has no header for its finalized head".into()))?;
                Ok::<_, subxt::Error>(u64::from(header.number))
            })
            .map_err(|e| self.rpc_error(e))
    }

    /// The contract events (`Contracts::ContractEmitted`) of block `number`, with their topics,
    /// position, extrinsic and the block's timestamp — what the audit index stores.
    pub fn contract_events(&self, number: u64) -> Result<Vec<crate::audit::events::ChainEvent>> {
        let other = |e: String| subxt::Error::Other(e);
        self.rt
            .block_on(async {
                let hash = self
                    .rpc
                    .chain_get_block_hash(Some(number.into()))
                    .await?
                    .ok_or_else(|| other(format!("the node has no block {number}")))?;
                let now = subxt::dynamic::storage("Timestamp", "Now", Vec::<Value>::new());
                let time_ms = match self.client.storage().at(hash).fetch(&now).await? {
                    Some(v) => u64::decode(&mut v.encoded()).map_err(|e| other(format!("Timestamp::Now: {e}")))?,
                    None => 0,
                };
                let mut out = Vec::new();
                for ev in self.client.blocks().at(hash).await?.events().await?.iter() {
                    let ev = ev?;
                    if ev.pallet_name() != "Contracts" || ev.variant_name() != "ContractEmitted" {
                        continue;
                    }
                    let (contract, data) = <([u8; 32], Vec<u8>)>::decode(&mut ev.field_bytes())
                        .map_err(|e| other(format!("ContractEmitted in block {number}: {e}")))?;
                    out.push(crate::audit::events::ChainEvent {
                        block: number,
                        index: ev.index(),
                        extrinsic: match ev.phase() {
                            subxt::events::Phase::ApplyExtrinsic(i) => Some(i),
                            _ => None,
                        },
                        time_ms,
                        emitted: crate::chain::Emitted {
                            contract: AccountId::from(contract),
                            topics: ev.topics().iter().map(|t| t.0).collect(),
                            data,
                        },
                    });
                }
                Ok::<_, subxt::Error>(out)
            })
            .map_err(|e| {
                // A pruning node answers "UnknownBlock: State already discarded" for old blocks.
                if e.to_string().contains("State already discarded") {
                    DeployError::StatePruned { url: self.url.clone(), block: number }
                } else {
                    self.rpc_error(e)
                }
            })
    }

    async fn best_block(&self) -> core::result::Result<<PolkadotConfig as subxt::Config>::Hash, subxt::Error> {
        if let Some(last) = self.last_block.get() {
            return Ok(last);
        }
        self.rpc
            .chain_get_block_hash(None)
            .await?
            .ok_or_else(|| subxt::Error::Other("the node reports no best block".into()))
    }

    fn rpc_error(&self, e: subxt::Error) -> DeployError {
        match e {
            subxt::Error::Rpc(_) | subxt::Error::Io(_) => {
                DeployError::NodeUnreachable { url: self.url.clone(), reason: one_line(e) }
            }
            other => DeployError::Rejected { step: "query".into(), reason: one_line(other) },
        }
    }

    fn runtime_api<R: Decode>(&self, function: &str, args: Vec<u8>) -> Result<R> {
        self.rt
            .block_on(async {
                // The best block (or our last step's), not `at_latest`'s finalized one: a dev
                // node finalizes behind, and a check right after a step must see that step.
                let best = self.best_block().await?;
                self.client.runtime_api().at(best).call_raw::<R>(function, Some(&args)).await
            })
            .map_err(|e| self.rpc_error(e))
    }

    fn storage(&self, pallet: &str, entry: &str, key: [u8; 32]) -> Result<Option<Vec<u8>>> {
        let address = subxt::dynamic::storage(pallet, entry, vec![Value::from_bytes(key)]);
        self.rt
            .block_on(async {
                let best = self.best_block().await?;
                self.client.storage().at(best).fetch(&address).await
            })
            .map(|v| v.map(|v| v.encoded().to_vec()))
            .map_err(|e| self.rpc_error(e))
    }

    fn dry_call(&self, contract: AccountId, input: &[u8]) -> Result<pallet_contracts::ContractExecResult<u128, ()>> {
        let dest: [u8; 32] = *AsRef::<[u8; 32]>::as_ref(&contract);
        let args = (self.origin(), dest, 0u128, None::<Weight>, None::<u128>, input.to_vec()).encode();
        // As for code: a contract instantiated in our last step may not be visible yet.
        let mut r: pallet_contracts::ContractExecResult<u128, ()> =
            self.runtime_api("ContractsApi_call", args.clone())?;
        for _ in 0..40 {
            if !failed_with(&self.client.metadata(), &r.result, "Contracts::ContractNotFound") {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(250));
            r = self.runtime_api("ContractsApi_call", args.clone())?;
        }
        Ok(r)
    }

    fn dry_instantiate(
        &self,
        code: pallet_contracts::Code<H256>,
        input: &[u8],
        salt: &[u8],
    ) -> Result<pallet_contracts::ContractInstantiateResult<[u8; 32], u128, ()>> {
        let args = (self.origin(), 0u128, None::<Weight>, None::<u128>, code, input.to_vec(), salt.to_vec()).encode();
        self.runtime_api("ContractsApi_instantiate", args)
    }

    /// Signs, submits and waits until the extrinsic is in a block; returns its block number and
    /// events.
    fn submit_tx(
        &self,
        step: &str,
        tx: impl subxt::tx::TxPayload,
    ) -> Result<(u64, subxt::blocks::ExtrinsicEvents<PolkadotConfig>)> {
        let rejected = |reason: String| {
            if crate::suite::is_lack_of_funds(&reason) {
                DeployError::InsufficientFunds {
                    account: crate::chain::ss58(&AccountId::from(self.origin())),
                    free: 0,
                    needed: None,
                }
            } else {
                DeployError::Rejected { step: step.to_string(), reason }
            }
        };
        let signer = self.signer.as_ref().ok_or(DeployError::InvalidSecret)?;
        self.rt.block_on(async {
            // The nonce from the node's pool and best block: subxt's default reads the finalized
            // state, which on a dev node lags behind our previous step ("outdated").
            let account = subxt::utils::AccountId32(self.origin());
            let nonce = self.rpc.system_account_next_index(&account).await.map_err(|e| rejected(one_line(e)))?;
            let params =
                subxt::config::polkadot::PolkadotExtrinsicParamsBuilder::<PolkadotConfig>::new().nonce(nonce).build();
            let mut progress = self
                .client
                .tx()
                .create_signed(&tx, signer, params)
                .await
                .map_err(|e| rejected(one_line(e)))?
                .submit_and_watch()
                .await
                .map_err(|e| rejected(one_line(e)))?;
            while let Some(status) = progress.next().await {
                match status.map_err(|e| rejected(one_line(e)))? {
                    TxStatus::InBestBlock(b) | TxStatus::InFinalizedBlock(b) => {
                        let events = b.wait_for_success().await.map_err(|e| rejected(one_line(e)))?;
                        let block = self.client.blocks().at(b.block_hash()).await.map_err(|e| rejected(one_line(e)))?;
                        self.last_block.set(Some(b.block_hash()));
                        return Ok((u64::from(block.number()), events));
                    }
                    TxStatus::Error { message } | TxStatus::Invalid { message } | TxStatus::Dropped { message } => {
                        return Err(rejected(message))
                    }
                    _ => continue,
                }
            }
            Err(rejected("the node stopped reporting on the transaction".into()))
        })
    }
}

impl Chain for Live {
    fn endpoint(&self) -> String {
        self.url.clone()
    }

    fn genesis_hash(&mut self) -> Result<[u8; 32]> {
        Ok(self.client.genesis_hash().0)
    }

    fn signer(&self) -> AccountId {
        AccountId::from(self.origin())
    }

    fn free_balance(&mut self, who: AccountId) -> Result<u128> {
        let raw = self.storage("System", "Account", *AsRef::<[u8; 32]>::as_ref(&who))?;
        // AccountInfo { nonce, consumers, providers, sufficients, data: AccountData { free, .. } }
        Ok(raw.and_then(|b| <(u32, u32, u32, u32, u128)>::decode(&mut &b[..]).ok()).map_or(0, |a| a.4))
    }

    fn code_hash_of(&mut self, contract: AccountId) -> Result<Option<CodeHash>> {
        let raw = self.storage("Contracts", "ContractInfoOf", *AsRef::<[u8; 32]>::as_ref(&contract))?;
        // ContractInfo { trie_id: BoundedVec<u8>, code_hash: H256, .. }
        Ok(raw.and_then(|b| <(Vec<u8>, [u8; 32])>::decode(&mut &b[..]).ok()).map(|(_, h)| h))
    }

    fn estimate_instantiate(&mut self, code: Code<'_>, input: &[u8], salt: &[u8]) -> Result<Receipt<AccountId>> {
        let code = match code {
            Code::Upload(wasm) => pallet_contracts::Code::Upload(wasm.to_vec()),
            Code::Existing(h) => pallet_contracts::Code::Existing(H256(h)),
        };
        let r = self.dry_instantiate(code, input, salt)?;
        let cost = cost_of(&r);
        let ret = r.result.map_err(|e| self.rejected("estimate", &e))?;
        if ret.result.did_revert() {
            return Err(DeployError::Rejected { step: "estimate".into(), reason: "the constructor reverted".into() });
        }
        Ok(Receipt { value: AccountId::from(ret.account_id), cost, block: 0 })
    }

    fn upload(&mut self, step: &str, wasm: &[u8]) -> Result<Receipt<CodeHash>> {
        let args = (self.origin(), wasm.to_vec(), None::<u128>, Determinism::Enforced).encode();
        let estimate: pallet_contracts::CodeUploadResult<H256, u128> =
            self.runtime_api("ContractsApi_upload_code", args)?;
        let deposit = estimate.map_err(|e| self.rejected(step, &e))?.deposit;
        let (block, _) = self.submit_tx(step, calls::upload_code(wasm))?;
        let cost = Cost { deposit: i128::try_from(deposit).unwrap_or(i128::MAX), ..Cost::default() };
        Ok(Receipt { value: code_hash(wasm), cost, block })
    }

    fn instantiate(
        &mut self,
        step: &str,
        code_hash: CodeHash,
        input: &[u8],
        salt: &[u8],
    ) -> Result<Receipt<AccountId>> {
        // A node can report the upload in a block before its RPC state shows the code: wait
        // for it (briefly) rather than fail.
        let mut dry = self.dry_instantiate(pallet_contracts::Code::Existing(H256(code_hash)), input, salt)?;
        for _ in 0..40 {
            if !failed_with(&self.client.metadata(), &dry.result, "Contracts::CodeNotFound") {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(250));
            dry = self.dry_instantiate(pallet_contracts::Code::Existing(H256(code_hash)), input, salt)?;
        }
        let cost = cost_of(&dry);
        let ret = dry.result.map_err(|e| self.rejected(step, &e))?;
        if ret.result.did_revert() {
            return Err(DeployError::Rejected { step: step.to_string(), reason: "the constructor reverted".into() });
        }
        let tx = calls::instantiate(margin(dry.gas_required), code_hash, input, salt);
        let (block, events) = self.submit_tx(step, tx)?;
        // Contracts::Instantiated { deployer, contract }
        let contract = events
            .iter()
            .filter_map(|e| e.ok())
            .find(|e| e.pallet_name() == "Contracts" && e.variant_name() == "Instantiated")
            .and_then(|e| <([u8; 32], [u8; 32])>::decode(&mut e.field_bytes()).ok())
            .map(|(_, contract)| AccountId::from(contract))
            .ok_or_else(|| DeployError::Rejected { step: step.to_string(), reason: "no Instantiated event".into() })?;
        Ok(Receipt { value: contract, cost, block })
    }

    fn query(&mut self, contract: AccountId, input: &[u8]) -> Result<(Receipt<Vec<u8>>, bool)> {
        let r = self.dry_call(contract, input)?;
        let cost = cost_of(&r);
        let ret = r.result.map_err(|e| self.rejected("query", &e))?;
        Ok((Receipt { value: ret.data.clone(), cost, block: 0 }, ret.did_revert()))
    }

    fn submit(&mut self, step: &str, contract: AccountId, input: &[u8]) -> Result<(Receipt<Vec<u8>>, bool)> {
        let dry = self.dry_call(contract, input)?;
        let cost = cost_of(&dry);
        let ret = dry.result.map_err(|e| self.rejected(step, &e))?;
        if ret.did_revert() {
            // Submitting would only burn fees on a refusal the dry run already shows.
            return Ok((Receipt { value: ret.data, cost, block: 0 }, true));
        }
        let dest: [u8; 32] = *AsRef::<[u8; 32]>::as_ref(&contract);
        let (block, _) = self.submit_tx(step, calls::call(margin(dry.gas_required), dest, input))?;
        Ok((Receipt { value: ret.data, cost, block }, false))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ink_sandbox::{DefaultSandbox, Sandbox};

    /// The embedded runtime's metadata stands in for a node's: the names come from whichever
    /// chain is connected, never from indices compiled into the tool.
    fn metadata() -> subxt::Metadata {
        let prefixed = DefaultSandbox::get_metadata().encode();
        subxt::Metadata::decode(&mut &prefixed[..]).unwrap()
    }

    #[test]
    fn typed_extrinsics_encode_as_the_runtimes_own_calls() {
        use subxt::tx::TxPayload;
        type Runtime = <DefaultSandbox as Sandbox>::Runtime;
        type RuntimeCall = <Runtime as ink_sandbox::frame_system::Config>::RuntimeCall;
        let m = metadata();
        let gas = Weight::from_parts(1_234_567_890, 65_432);
        let upload = pallet_contracts::Call::<Runtime>::upload_code {
            code: b"\0asm".to_vec(),
            storage_deposit_limit: None,
            determinism: Determinism::Enforced,
        };
        assert_eq!(calls::upload_code(b"\0asm").encode_call_data(&m).unwrap(), RuntimeCall::from(upload).encode());
        let instantiate = pallet_contracts::Call::<Runtime>::instantiate {
            value: 0,
            gas_limit: gas,
            storage_deposit_limit: None,
            code_hash: H256([9; 32]),
            data: b"ctor".to_vec(),
            salt: b"salt".to_vec(),
        };
        assert_eq!(
            calls::instantiate(gas, [9; 32], b"ctor", b"salt").encode_call_data(&m).unwrap(),
            RuntimeCall::from(instantiate).encode()
        );
        use ink_sandbox::frame_support::sp_runtime::traits::StaticLookup;
        type Lookup = <Runtime as ink_sandbox::frame_system::Config>::Lookup;
        let call = pallet_contracts::Call::<Runtime>::call {
            dest: Lookup::unlookup(ink_sandbox::AccountId32::new([7; 32])),
            value: 0,
            gas_limit: gas,
            storage_deposit_limit: None,
            data: b"msg".to_vec(),
        };
        assert_eq!(calls::call(gas, [7; 32], b"msg").encode_call_data(&m).unwrap(), RuntimeCall::from(call).encode());
        // Checked against the chain's metadata by name: a field this pallet does not have fails.
        let renamed =
            subxt::tx::Payload::new("Contracts", "upload_code", calls::GasLimit { ref_time: 1, proof_size: 1 });
        assert!(renamed.encode_call_data(&m).is_err());
    }

    #[test]
    fn dispatch_errors_are_named_from_the_chains_metadata() {
        type Runtime = <DefaultSandbox as Sandbox>::Runtime;
        let m = metadata();
        let not_found: DispatchError = pallet_contracts::Error::<Runtime>::ContractNotFound.into();
        let said = dispatch_error(&m, &not_found);
        assert!(said.starts_with("Contracts::ContractNotFound: "), "{said}");
        assert!(!said.contains('['), "no raw indices: {said}");
        assert!(failed_with(&m, &Err::<(), _>(not_found), "Contracts::ContractNotFound"));
        let code: DispatchError = pallet_contracts::Error::<Runtime>::CodeNotFound.into();
        assert!(failed_with(&m, &Err::<(), _>(code), "Contracts::CodeNotFound"));
        assert!(!failed_with(&m, &Err::<(), _>(code), "Contracts::ContractNotFound"));
        assert!(!failed_with(&m, &Ok::<(), DispatchError>(()), "Contracts::CodeNotFound"));
        assert_eq!(dispatch_error(&m, &DispatchError::BadOrigin), "BadOrigin");
        let unknown = DispatchError::Module(ink_sandbox::frame_support::sp_runtime::ModuleError {
            index: 250,
            error: [1, 0, 0, 0],
            message: None,
        });
        assert_eq!(dispatch_error(&m, &unknown), "error 1 of pallet 250 (not in this chain's metadata)");
        // What the deploy tool's funds check looks for survives the naming.
        let broke: DispatchError = pallet_contracts::Error::<Runtime>::StorageDepositNotEnoughFunds.into();
        assert!(crate::suite::is_lack_of_funds(&dispatch_error(&m, &broke)));
    }
}
