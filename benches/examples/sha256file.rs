//! Prints the SHA-256 of each file named on the command line with `mlsc_core::sha256_file`, like `sha256sum`.
//! `benches/compare-hash.sh` times it next to coreutils and openssl.

use std::io::Write;

fn main() -> std::process::ExitCode {
    let mut out = std::io::stdout().lock();
    for arg in std::env::args_os().skip(1) {
        let path = std::path::PathBuf::from(arg);
        match mlsc_core::sha256_file(&path) {
            Ok((digest, _)) => {
                let _ = writeln!(out, "{digest}  {}", path.display());
            }
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "{e}");
                return std::process::ExitCode::from(2);
            }
        }
    }
    std::process::ExitCode::SUCCESS
}
