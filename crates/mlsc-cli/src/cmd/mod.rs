//! One module per subcommand; each calls library APIs and picks a reporter.

use crate::args::{Cli, Command};
use crate::exit::Status;

pub(crate) mod audit;
pub(crate) mod card;
pub(crate) mod db;
pub(crate) mod deps;
pub(crate) mod disasm;
pub(crate) mod provenance;
pub(crate) mod rule;
pub(crate) mod sbom;
pub(crate) mod scan;

pub(crate) fn run(cli: &Cli) -> anyhow::Result<Status> {
    crate::output::check_output(&cli.global)?;
    match &cli.command {
        Command::Audit(args) => audit::run(&cli.global, args),
        Command::Scan(args) => scan::run(&cli.global, args),
        Command::Disasm(args) => disasm::run(&cli.global, args),
        Command::Card(args) => card::run(&cli.global, args),
        Command::Manifest(args) => provenance::run_manifest(&cli.global, args),
        Command::Sign(args) => provenance::run_sign(&cli.global, args),
        Command::Verify(args) => provenance::run_verify(&cli.global, args),
        Command::Keygen(args) => provenance::run_keygen(&cli.global, args),
        Command::Attest(args) => provenance::run_attest(&cli.global, args),
        Command::Sbom(args) => sbom::run(&cli.global, args),
        Command::Deps(args) => deps::run(&cli.global, args),
        Command::Db(args) => db::run(&cli.global, args),
        Command::Rule(args) => rule::run(&cli.global, args),
    }
}
