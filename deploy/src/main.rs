use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A bug must still end in one line, not a stack trace.
    std::panic::set_hook(Box::new(|info| eprintln!("error: internal error: {info}")));
    let cli = carechain_deploy::cli::Cli::parse();
    match carechain_deploy::run(cli.command()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
