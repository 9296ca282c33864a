//! The `mlsc` binary; everything it does is [`mlsc::run`], which the Python wheel calls too.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(mlsc::run(std::env::args_os()))
}
