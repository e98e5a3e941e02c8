//! The suite on a live node, through ink_e2e's node backend (subxt): the path a dApp team's
//! own ink_e2e tests take. Used by `tests/node_backend.rs`, which `scripts/live` runs against
//! the substrate-contracts-node it starts; nothing here runs in `scripts/test`.
//!
//! A live node stamps blocks with its wall clock and cannot be told otherwise, so the
//! scenarios here are the time-free parts of the sandbox ones: validity periods are taken
//! around the node's own clock, and lapsing is left to the sandbox tier.
//!
//! Every test works with fresh accounts funded by //Alice and, unless it targets the deployed
//! suite of a manifest, its own fresh contracts — so tests never see each other's state, on a
//! node that lives for the whole tier or across re-runs.

use crate::suite::Addresses;
use crate::{Cost, Ctor, Emitted};
use break_glass::break_glass::BreakGlassRef;
use carechain::fixtures::{lab_for_treatment, RESPONDER_CREDENTIAL, RESPONDER_ORGANISATION};
use carechain::manifest::Manifest;
use carechain_shared::Wiring as _;
use consent_registry::consent_registry::ConsentRegistryRef;
use ink::env::DefaultEnvironment as Env;
use ink::primitives::{AccountId, Hash};
use ink_e2e::subxt::dynamic::Value;
use ink_e2e::{CallBuilderFinal, ChainBackend, ContractsBackend, Keypair, PolkadotConfig};
use pharma_ledger::pharma_ledger::PharmaLedgerRef;
use record_anchor::record_anchor::RecordAnchorRef;
use research_registry::research_registry::ResearchRegistryRef;
use scale::{Decode, Encode};

pub type Client = ink_e2e::Client<PolkadotConfig, Env>;
pub type E2EResult<T> = Result<T, Box<dyn std::error::Error>>;

/// Runs one node scenario, as `#[ink_e2e::test(backend(node(url)))]` would: ink_e2e's node
/// client on a current-thread runtime, connected to `CONTRACTS_NODE_URL` (read when the test
/// runs; default ws://127.0.0.1:9944). Its contracts are the debug builds of the committed lock
/// ([`crate::build`]), not those of the macro's builder, which resolves every dependency afresh.
pub fn on_node<F, Fut>(scenario: F) -> E2EResult<()>
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = E2EResult<()>>,
{
    let url = std::env::var("CONTRACTS_NODE_URL").unwrap_or_else(|_| "ws://127.0.0.1:9944".into());
    let contracts = crate::build::contracts("").into_values();
    ink_e2e::tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
        let rpc =
            ink_e2e::RpcClient::from_url(&url).await.map_err(|e| format!("connecting to the node at {url}: {e}"))?;
        scenario(Client::new(rpc, contracts).await?).await
    })
}

/// Enough for every fee and storage deposit a scenario pays (the dev chain's unit is 10^12).
const FUNDS: u128 = 1_000_000_000_000_000;

/// The ink! account id of a key.
pub fn id(key: &Keypair) -> AccountId {
    AccountId::from(key.public_key().0)
}

/// A fresh key funded by //Alice: no earlier test or run has touched it.
pub async fn fresh(client: &mut Client) -> Keypair {
    client.create_and_fund_account(&ink_e2e::alice(), FUNDS).await
}

/// Milliseconds since the epoch, as the dev node stamps its blocks.
pub fn wall_clock_ms() -> u64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
}

/// A period in force on the node now: from a minute before this process's clock (so skew
/// cannot push its start into the future) for a year.
pub fn this_year() -> (u64, u64) {
    let now = wall_clock_ms();
    (now.saturating_sub(60_000), now.saturating_add(365 * carechain_shared::MS_PER_DAY))
}

/// What happened to a submitted call.
#[derive(Debug)]
pub struct Sent<R> {
    /// The message's return value (taken from the dry run the backend makes before
    /// submitting; a refused call's value is its typed error).
    pub value: R,
    /// The contract reverted: the node rejected the extrinsic with `ContractReverted` and
    /// kept none of its effects.
    pub reverted: bool,
    /// Contract events of the included extrinsic (none when reverted).
    pub events: Vec<Emitted>,
    /// What the node's runtime charged for the call in its dry run (weight and storage
    /// deposit): the figures `scripts/bench` reports for the sandbox, so the two can be set
    /// side by side.
    pub cost: Cost,
}

fn cost_of<B>(result: &ink_e2e::CallDryRunResult<Env, B>) -> Cost {
    carechain::chain::cost_of(&result.exec_result)
}

impl<R> Sent<R> {
    pub fn events_of<E: Decode + ink::env::Event>(&self) -> Vec<E> {
        crate::events_of(&self.events)
    }
}

/// Submits a signed call and waits for it in a block. A call the contract refuses is still
/// submitted — the refusal is proven on chain, not only in a dry run — and comes back with
/// `reverted` set and the typed error as its value; any other failure is an error.
pub async fn send<Args, R>(
    client: &mut Client,
    signer: &Keypair,
    msg: &CallBuilderFinal<Env, Args, R>,
) -> E2EResult<Sent<R>>
where
    Args: Sync + Encode + Clone,
    R: Send + Decode,
{
    let dry = client.call(signer, msg).dry_run().await?;
    let cost = cost_of(&dry);
    let would_revert = dry.exec_return_value().did_revert();
    let value = dry.return_value();
    match client.call(signer, msg).submit().await {
        Ok(result) => {
            if would_revert {
                return Err("the dry run reverted but the node accepted the call".into());
            }
            let events = result
                .contract_emitted_events()?
                .into_iter()
                .map(|e| Emitted {
                    contract: e.event.contract,
                    topics: e.topics.iter().map(|t| t.0).collect(),
                    data: e.event.data,
                })
                .collect();
            Ok(Sent { value, reverted: false, events, cost })
        }
        Err(ink_e2e::Error::CallExtrinsic(err))
            if would_revert && carechain::live::is_module_error(&err, "Contracts::ContractReverted") =>
        {
            Ok(Sent { value, reverted: true, events: Vec::new(), cost })
        }
        Err(err) => Err(format!("call failed on the node: {err:?}").into()),
    }
}

/// Submits a call the scenario needs to succeed; its value, or an error naming the refusal.
pub async fn ok<Args, T, Er>(
    client: &mut Client,
    signer: &Keypair,
    msg: &CallBuilderFinal<Env, Args, Result<T, Er>>,
) -> E2EResult<T>
where
    Args: Sync + Encode + Clone,
    T: Send + Decode,
    Er: Send + Decode + std::fmt::Debug,
{
    send(client, signer, msg).await?.value.map_err(|e| format!("refused: {e:?}").into())
}

/// Reads through a dry run at the node's best block, as a frontend does.
pub async fn read<Args, R>(client: &mut Client, msg: &CallBuilderFinal<Env, Args, R>) -> E2EResult<R>
where
    Args: Sync + Encode + Clone,
    R: Send + Decode,
{
    Ok(weigh(client, msg).await?.0)
}

/// A read and what it cost.
pub async fn weigh<Args, R>(client: &mut Client, msg: &CallBuilderFinal<Env, Args, R>) -> E2EResult<(R, Cost)>
where
    Args: Sync + Encode + Clone,
    R: Send + Decode,
{
    let dry = client.call(&ink_e2e::alice(), msg).dry_run().await?;
    let cost = cost_of(&dry);
    Ok((dry.return_value(), cost))
}

/// Weights measured on the node, labelled as in `benchmarks/report.json` so `scripts/live`
/// can put each next to the sandbox's figure for the same message.
#[derive(Default)]
pub struct WeightLog(Vec<(&'static str, &'static str, Cost)>);

impl WeightLog {
    pub fn add(&mut self, contract: &'static str, message: &'static str, weight: Cost) {
        self.0.push((contract, message, weight));
    }

    /// JSON: `[{"contract", "message", "ref_time", "proof_size"}]`.
    pub fn write(&self, path: &std::path::Path) -> E2EResult<()> {
        let rows: Vec<serde_json::Value> = self
            .0
            .iter()
            .map(|(contract, message, w)| {
                serde_json::json!({"contract": contract, "message": message, "ref_time": w.ref_time, "proof_size": w.proof_size})
            })
            .collect();
        std::fs::write(path, serde_json::to_string_pretty(&rows)?)?;
        Ok(())
    }
}

/// Everyone a scenario needs, each a fresh funded key.
pub struct People {
    pub owner: Keypair,
    pub patient: Keypair,
    pub patient2: Keypair,
    pub patient3: Keypair,
    pub provider: Keypair,
    pub custodian: Keypair,
    pub responder: Keypair,
    /// Registered the responder, so never reviews or reinstates it.
    pub authority: Keypair,
    /// Reviews the responder's grants.
    pub authority2: Keypair,
    pub researcher: Keypair,
    pub ethics: Keypair,
    pub stranger: Keypair,
}

impl People {
    /// `owner` is given, because a manifest's suite is owned by its deployer.
    pub async fn new(client: &mut Client, owner: Keypair) -> Self {
        Self {
            owner,
            patient: fresh(client).await,
            patient2: fresh(client).await,
            patient3: fresh(client).await,
            provider: fresh(client).await,
            custodian: fresh(client).await,
            responder: fresh(client).await,
            authority: fresh(client).await,
            authority2: fresh(client).await,
            researcher: fresh(client).await,
            ethics: fresh(client).await,
            stranger: fresh(client).await,
        }
    }
}

/// The five contracts on the node, wired by address (each pinning its peer's code), with two
/// authorities, one registered responder, one registered custodian and an ethics approver.
pub struct NodeSuite {
    pub people: People,
    pub at: Addresses,
}

impl NodeSuite {
    /// A fresh suite, deployed in dependency order by a fresh owner.
    pub async fn deploy(client: &mut Client) -> E2EResult<Self> {
        let owner = fresh(client).await;
        let break_glass = instantiate(client, "break_glass", &owner, BreakGlassRef::with_default_policy()).await?;
        let registry = instantiate(client, "consent_registry", &owner, ConsentRegistryRef::new()).await?;
        let research = instantiate(client, "research_registry", &owner, ResearchRegistryRef::new()).await?;
        let record_anchor = instantiate(client, "record_anchor", &owner, RecordAnchorRef::new()).await?;
        let pharma_ledger = instantiate(client, "pharma_ledger", &owner, PharmaLedgerRef::new()).await?;
        let people = People::new(client, owner).await;
        let suite = Self { people, at: Addresses { break_glass, registry, research, record_anchor, pharma_ledger } };
        suite.wire(client).await?;
        suite.staffed(client).await
    }

    /// Wires (pins) every hop to the debug build its peer was instantiated from, as the owner.
    pub async fn wire(&self, client: &mut Client) -> E2EResult<()> {
        self.wire_to_builds(client, "").await
    }

    /// Wires (re-pins) every hop to the debug builds with cargo `features` (e.g. the second
    /// build an upgrade installed), stating their code hashes as an owner does.
    pub async fn wire_to_builds(&self, client: &mut Client, features: &str) -> E2EResult<()> {
        let (owner, at) = (&self.people.owner, self.at);
        let peer = |name, address| built_peer_with(features, name, address);
        let reg = peer("consent_registry", at.registry)?;
        ok(client, owner, &at.reg().set_peer(Some(peer("break_glass", at.break_glass)?))).await?;
        ok(client, owner, &at.res().set_peer(Some(reg))).await?;
        ok(client, owner, &at.reg().set_research_registry(Some(peer("research_registry", at.research)?))).await?;
        ok(client, owner, &at.anchor().set_peer(Some(reg))).await?;
        ok(client, owner, &at.ledger().set_peer(Some(peer("record_anchor", at.record_anchor)?))).await?;
        Ok(())
    }

    /// The suite the deploy tool put on the node, from its manifest (owned by //Alice, the
    /// dev chain's deployer); fresh people are staffed into it.
    pub async fn from_manifest(client: &mut Client, manifest: &std::path::Path) -> E2EResult<Self> {
        let at = manifest_addresses(manifest)?;
        let people = People::new(client, ink_e2e::alice()).await;
        Self { people, at }.staffed(client).await
    }

    /// The consent most scenarios start from: the patient grants the provider lab results for
    /// treatment, for `this_year()`.
    pub async fn grant_lab_for_treatment(
        &self,
        client: &mut Client,
    ) -> E2EResult<Sent<consent_registry::Result<carechain_shared::ConsentId>>> {
        let (from, until) = this_year();
        let (patient, provider) = (id(&self.people.patient), id(&self.people.provider));
        let grant = lab_for_treatment(self.at.registry, patient, provider, from, until);
        send(client, &self.people.patient, &grant).await
    }

    async fn staffed(self, client: &mut Client) -> E2EResult<Self> {
        let p = &self.people;
        let (mut bg, mut reg, mut res) = (self.at.bg(), self.at.reg(), self.at.res());
        ok(client, &p.owner, &bg.set_authority(id(&p.authority), true)).await?;
        ok(client, &p.owner, &bg.set_authority(id(&p.authority2), true)).await?;
        ok(
            client,
            &p.authority,
            &bg.register_responder(id(&p.responder), RESPONDER_CREDENTIAL, RESPONDER_ORGANISATION),
        )
        .await?;
        ok(client, &p.owner, &reg.set_custodian(id(&p.custodian), true)).await?;
        ok(client, &p.owner, &res.set_ethics_approver(id(&p.ethics), true)).await?;
        Ok(self)
    }
}

/// Instantiates one of the contracts ink_e2e built for this crate (debug builds).
pub async fn instantiate<C, Args, R>(
    client: &mut Client,
    name: &str,
    owner: &Keypair,
    mut ctor: Ctor<C, Args, R>,
) -> E2EResult<AccountId>
where
    C: Clone,
    Args: Send + Sync + Clone + Encode,
{
    Ok(client.instantiate(name, owner, &mut ctor).submit().await?.account_id)
}

/// `address` as a peer to wire, stating the code hash of the debug build of `name` (what
/// [`instantiate`] deployed there).
pub fn built_peer(name: &str, address: AccountId) -> E2EResult<carechain_shared::Peer> {
    built_peer_with("", name, address)
}

/// [`built_peer`] for the debug build with cargo `features`.
pub fn built_peer_with(features: &str, name: &str, address: AccountId) -> E2EResult<carechain_shared::Peer> {
    let path = crate::build::contracts(features).remove(name).ok_or_else(|| format!("no build of {name}"))?;
    let wasm = std::fs::read(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    Ok(carechain_shared::Peer { address, code_hash: Hash::from(carechain::call::code_hash(&wasm)) })
}

/// Uploads Wasm code through the `Contracts::upload_code` extrinsic; returns its code hash.
pub async fn upload_code(client: &mut Client, signer: &Keypair, wasm: &[u8]) -> E2EResult<Hash> {
    client
        .runtime_call(
            signer,
            "Contracts",
            "upload_code",
            vec![Value::from_bytes(wasm), Value::unnamed_variant("None", []), Value::unnamed_variant("Enforced", [])],
        )
        .await
        .map_err(|e| format!("upload_code: {e:?}"))?;
    Ok(Hash::from(carechain::call::code_hash(wasm)))
}

/// The suite's addresses in the manifest the deploy tool writes (`deploy/README.md`), read and
/// checked by the deploy tool's own parser.
pub fn manifest_addresses(path: &std::path::Path) -> E2EResult<Addresses> {
    let m = Manifest::load(path)?.ok_or_else(|| format!("no manifest at {}", path.display()))?;
    Ok(Addresses::from_manifest(&m)
        .ok_or_else(|| format!("manifest {} lacks one of the five contracts", path.display()))?)
}
