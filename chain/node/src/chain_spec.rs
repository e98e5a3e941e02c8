use carechain_runtime::{genesis, WASM_BINARY};
use sc_service::ChainType;

/// A chain spec of the carechain runtime.
pub type ChainSpec = sc_service::GenericChainSpec;

fn wasm() -> Result<&'static [u8], String> {
    WASM_BINARY.ok_or_else(|| "this node was built without its runtime's Wasm (SKIP_WASM_BUILD)".to_string())
}

/// The builder every carechain spec starts from: the runtime, its name, id, type and properties.
fn builder(
    name: &str,
    id: &str,
    chain_type: ChainType,
) -> Result<sc_chain_spec::ChainSpecBuilder<sc_service::NoExtension>, String> {
    Ok(ChainSpec::builder(wasm()?, None)
        .with_name(name)
        .with_id(id)
        .with_chain_type(chain_type)
        .with_properties(properties()))
}

/// `dev`: one validator (Alice) with sudo, for tests.
pub fn development() -> Result<ChainSpec, String> {
    Ok(builder("carechain development", "carechain_dev", ChainType::Development)?
        .with_genesis_config_preset_name(genesis::DEV)
        .build())
}

/// `local`: four validators on loopback (Alice, Bob, Charlie, Dave), council governance, no sudo.
pub fn local() -> Result<ChainSpec, String> {
    Ok(builder("carechain local consortium", "carechain_local", ChainType::Local)?
        .with_genesis_config_preset_name(genesis::LOCAL)
        .build())
}

/// A consortium's own chain, from the genesis patch its members' keys make.
pub fn consortium(
    name: &str,
    id: &str,
    patch: serde_json::Value,
    boot_nodes: Vec<sc_network::config::MultiaddrWithPeerId>,
) -> Result<ChainSpec, String> {
    Ok(builder(name, id, ChainType::Live)?.with_boot_nodes(boot_nodes).with_genesis_config_patch(patch).build())
}

/// What wallets and the dApp show: the unit's symbol and decimals (as on contracts-node).
fn properties() -> sc_service::Properties {
    let mut p = sc_service::Properties::new();
    p.insert("tokenSymbol".into(), "UNIT".into());
    p.insert("tokenDecimals".into(), 12.into());
    p.insert("ss58Format".into(), 42.into());
    p
}
