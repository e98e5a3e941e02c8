//! `carechain`: deploy, verify and audit the carechain contracts.
fn main() -> std::process::ExitCode {
    carechain::main()
}
