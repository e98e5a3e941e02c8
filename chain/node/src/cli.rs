use sc_cli::RunCmd;

/// The node's command line: `carechain-node [SUBCOMMAND] [run options]`.
#[derive(Debug, clap::Parser)]
pub struct Cli {
    #[command(subcommand)]
    pub subcommand: Option<Subcommand>,

    #[clap(flatten)]
    pub run: RunCmd,
}

#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
    /// Key management: generate account and session keys, a node key, inspect them.
    #[command(subcommand)]
    Key(sc_cli::KeySubcommand),

    /// Write a chain spec (`--chain dev|local|FILE`).
    BuildSpec(sc_cli::BuildSpecCmd),

    /// Write a consortium's chain spec from its members' keys (chain/README.md).
    ConsortiumSpec(crate::consortium::ConsortiumSpecCmd),

    /// Validate blocks.
    CheckBlock(sc_cli::CheckBlockCmd),

    /// Export blocks.
    ExportBlocks(sc_cli::ExportBlocksCmd),

    /// Export the state of a block as a chain spec.
    ExportState(sc_cli::ExportStateCmd),

    /// Import blocks.
    ImportBlocks(sc_cli::ImportBlocksCmd),

    /// Remove the whole chain.
    PurgeChain(sc_cli::PurgeChainCmd),

    /// Revert the chain to a previous state (never past finality).
    Revert(sc_cli::RevertCmd),

    /// Database metadata.
    ChainInfo(sc_cli::ChainInfoCmd),
}
