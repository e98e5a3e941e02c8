//! The tool's former name, kept so existing scripts keep working: the same program as `carechain`.
fn main() -> std::process::ExitCode {
    carechain::main()
}
