//! carechain-node: the consortium chain's node.

mod chain_spec;
mod cli;
mod command;
mod consortium;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
    command::run()
}
