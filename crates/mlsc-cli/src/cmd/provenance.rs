//! `mlsc manifest | sign | verify | keygen | attest`: hash manifests, OpenSSF Model Signing, DVC and Croissant
//! verification, SLSA attestations. The work is done by `mlsc_provenance`; this module parses, writes files and
//! picks a reporter.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{ArgGroup, Args};
use mlsc_provenance::{
    AttestOptions, CroissantOptions, DvcOptions, HashAlgorithm, ManifestOptions, PrivateKey,
    Serialization, SignOptions, Trust, VerifyOptions,
};

use crate::args::{GlobalArgs, OutputFormat};
use crate::exit::Status;
use crate::output;
use crate::progress::Progress;

/// How a manifest is made: shared by `manifest` and `sign`.
#[derive(Debug, Args)]
pub(crate) struct HashArgs {
    /// Digest of each file or shard.
    #[arg(long = "hash", value_name = "ALGORITHM", default_value = "sha256", value_parser = ["sha256", "blake2b", "blake3"])]
    pub(crate) hash: String,
    /// Cut files into shards of N bytes (model_signing's `shards` method) instead of hashing whole files.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) shard_size: Option<u64>,
    /// A path (relative to the model) or glob to leave out; repeatable. `.git`, `.gitattributes`, `.github` and
    /// `.gitignore` at the root are always left out unless --no-ignore-git-paths.
    #[arg(long = "ignore", value_name = "PATH_OR_GLOB")]
    pub(crate) ignore: Vec<String>,
    /// Include the git paths model_signing leaves out by default.
    #[arg(long)]
    pub(crate) no_ignore_git_paths: bool,
    /// Follow symbolic links instead of refusing them.
    #[arg(long)]
    pub(crate) allow_symlinks: bool,
}

impl HashArgs {
    fn options(&self) -> anyhow::Result<ManifestOptions> {
        let mut o = ManifestOptions::default();
        o.hash = self.hash.parse::<HashAlgorithm>()?;
        if let Some(n) = self.shard_size {
            o.serialization = Serialization::Shards { shard_size: n };
        }
        o.ignore = self.ignore.clone();
        o.ignore_git_paths = !self.no_ignore_git_paths;
        o.allow_symlinks = self.allow_symlinks;
        Ok(o)
    }
}

/// Arguments of `mlsc manifest`.
#[derive(Debug, Args)]
pub(crate) struct ManifestArgs {
    /// The model file or directory.
    #[arg(value_name = "PATH")]
    pub(crate) path: PathBuf,
    #[command(flatten)]
    pub(crate) hash: HashArgs,
}

/// Arguments of `mlsc sign`.
#[derive(Debug, Args)]
pub(crate) struct SignArgs {
    /// The model file or directory.
    #[arg(value_name = "PATH")]
    pub(crate) path: PathBuf,
    /// ECDSA P-256 or P-384 private key, PEM (PKCS#8 or SEC1).
    #[arg(long, value_name = "KEY.pem")]
    pub(crate) private_key: PathBuf,
    /// Where to write the signature (a Sigstore bundle, model_signing's format).
    #[arg(long, value_name = "OUT")]
    pub(crate) signature: PathBuf,
    /// Certificate method: the signing certificate (PEM) holding the private key's public half.
    #[arg(long, value_name = "CERT.pem")]
    pub(crate) signing_certificate: Option<PathBuf>,
    /// Certificate method: the certificates that chain it to a root (PEM); repeatable.
    #[arg(long, value_name = "CHAIN.pem", requires = "signing_certificate")]
    pub(crate) certificate_chain: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) hash: HashArgs,
}

/// Arguments of `mlsc verify`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("trust").args(["public_key", "certificate_chain"])))]
pub(crate) struct VerifyArgs {
    /// A model file or directory (with --signature), a `.dvc` file, a `dvc.lock`, a DVC project folder, or a
    /// Croissant JSON file.
    #[arg(value_name = "PATH")]
    pub(crate) path: PathBuf,
    /// The signature or attestation bundle to check PATH against.
    #[arg(long, value_name = "SIG", requires = "trust")]
    pub(crate) signature: Option<PathBuf>,
    /// The signer's public key, PEM (key method).
    #[arg(long, value_name = "PUB.pem", requires = "signature")]
    pub(crate) public_key: Option<PathBuf>,
    /// Trusted certificate authorities, PEM (certificate method).
    #[arg(long, value_name = "CA.pem", requires = "signature")]
    pub(crate) certificate_chain: Option<PathBuf>,
    /// A path or glob in the model to leave out besides those the signature records; repeatable.
    #[arg(long = "ignore", value_name = "PATH_OR_GLOB")]
    pub(crate) ignore: Vec<String>,
    /// Croissant: the folder relative `contentUrl`s are resolved against (by default, the JSON file's folder).
    #[arg(long, value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
    /// DVC: another place to find `.dir` manifests (a DVC cache or a folder of them); repeatable.
    #[arg(long, value_name = "DIR")]
    pub(crate) dvc_cache: Vec<PathBuf>,
}

/// Arguments of `mlsc keygen`.
#[derive(Debug, Args)]
pub(crate) struct KeygenArgs {
    /// Where to write the private key (PKCS#8 PEM, file mode 0600).
    #[arg(long, value_name = "KEY.pem", default_value = "mlsc-signing-key.pem")]
    pub(crate) private_key: PathBuf,
    /// Where to write the public key (by default, the private key's name with `.pub.pem`).
    #[arg(long, value_name = "PUB.pem")]
    pub(crate) public_key: Option<PathBuf>,
    /// Overwrite existing files.
    #[arg(long)]
    pub(crate) force: bool,
}

/// Arguments of `mlsc attest`.
#[derive(Debug, Args)]
pub(crate) struct AttestArgs {
    /// ECDSA P-256 or P-384 private key, PEM.
    #[arg(long, value_name = "KEY.pem")]
    pub(crate) private_key: PathBuf,
    /// Where to write the signed attestation (a Sigstore bundle with a DSSE envelope).
    #[arg(long, value_name = "OUT")]
    pub(crate) attestation: PathBuf,
    /// What the run produced (model files or directories): the statement's subjects; repeatable.
    #[arg(long, value_name = "PATH", required = true)]
    pub(crate) product: Vec<PathBuf>,
    /// Training data the run read; repeatable.
    #[arg(long, value_name = "PATH")]
    pub(crate) data: Vec<PathBuf>,
    /// Training code the run executed; repeatable.
    #[arg(long, value_name = "PATH")]
    pub(crate) code: Vec<PathBuf>,
    /// The folder every path is recorded relative to (and verified against).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub(crate) base: PathBuf,
    /// `runDetails.builder.id`.
    #[arg(long, value_name = "URI", default_value = mlsc_provenance::DEFAULT_BUILDER_ID)]
    pub(crate) builder_id: String,
    /// When the run started (RFC 3339).
    #[arg(long, value_name = "TIME")]
    pub(crate) started_on: Option<String>,
    /// The command the run executed, after `--`.
    #[arg(last = true, value_name = "COMMAND")]
    pub(crate) command: Vec<String>,
}

fn json_out(global: &GlobalArgs, value: &serde_json::Value) -> anyhow::Result<()> {
    let mut s = serde_json::to_string_pretty(value)?;
    s.push('\n');
    output::write_output(global, s.as_bytes())
}

fn only_human_or_json(global: &GlobalArgs, command: &str) -> anyhow::Result<()> {
    match global.format {
        OutputFormat::Human | OutputFormat::Json => Ok(()),
        other => anyhow::bail!(
            "`--format {}` is not available for `mlsc {command}`: use human or json",
            output::format_name(other)
        ),
    }
}

pub(crate) fn run_manifest(global: &GlobalArgs, args: &ManifestArgs) -> anyhow::Result<Status> {
    only_human_or_json(global, "manifest")?;
    let progress = Progress::new(global);
    let mut options = args.hash.options()?;
    options.sink = progress.sink();
    let manifest = mlsc_provenance::build_manifest(&args.path, &options)?;
    drop(progress);
    if global.format == OutputFormat::Json {
        json_out(global, &manifest.to_json()?)?;
    } else {
        output::write_output(global, manifest.to_human(global.quiet).as_bytes())?;
    }
    Ok(Status::Clean)
}

pub(crate) fn run_sign(global: &GlobalArgs, args: &SignArgs) -> anyhow::Result<Status> {
    only_human_or_json(global, "sign")?;
    let key = PrivateKey::read(&args.private_key)?;
    let mut opts = SignOptions::default();
    opts.manifest = args.hash.options()?;
    opts.signature_path = Some(args.signature.clone());
    if let Some(cert) = &args.signing_certificate {
        opts.certificates = mlsc_provenance::read_certificates(cert)?;
        for c in &args.certificate_chain {
            opts.certificates
                .extend(mlsc_provenance::read_certificates(c)?);
        }
    }
    let progress = Progress::new(global);
    opts.manifest.sink = progress.sink();
    let started = std::time::Instant::now();
    let signed = mlsc_provenance::sign_model(&args.path, &key, &opts)?;
    let elapsed = started.elapsed();
    drop(progress);
    // Signatures and attestations are public: they get the umask's mode like any output.
    output::write_file(&args.signature, signed.bundle.as_bytes())?;
    if global.format == OutputFormat::Json {
        json_out(global, &signed.to_json(&args.path, &args.signature, &key))?;
    } else if !global.quiet {
        let text = signed.to_human(&args.path, &args.signature, &key, elapsed);
        output::write_output(global, text.as_bytes())?;
    }
    Ok(Status::Clean)
}

pub(crate) fn run_verify(global: &GlobalArgs, args: &VerifyArgs) -> anyhow::Result<Status> {
    let progress = Progress::new(global);
    // What a verified signature says, in words, above the report: by which key, over how much.
    let mut headline = None;
    let report = if let Some(sig) = &args.signature {
        let (trust, file) = match (&args.public_key, &args.certificate_chain) {
            (Some(k), None) => (Trust::public_key_file(k)?, k),
            (None, Some(c)) => (Trust::certificate_file(c)?, c),
            _ => anyhow::bail!(
                "give exactly one of --public-key and --certificate-chain with --signature"
            ),
        };
        let signer = mlsc_provenance::trust_description(&trust, file);
        let mut opts = VerifyOptions::default();
        opts.ignore = args.ignore.clone();
        opts.sink = progress.sink();
        let report = mlsc_provenance::verify_signature(&args.path, sig, &trust, &opts)?;
        headline = Some(mlsc_provenance::verify_headline(
            &report, &signer, &args.path,
        ));
        report
    } else {
        let mut dvc = DvcOptions::default();
        dvc.manifest_dirs = args.dvc_cache.clone();
        dvc.sink = progress.sink();
        let mut croissant = CroissantOptions::default();
        croissant.data_dir = args.data_dir.clone();
        croissant.sink = dvc.sink.clone();
        match mlsc_provenance::verify_recorded(&args.path, &dvc, &croissant) {
            Some(report) => report?,
            None if !args.path.exists() => {
                anyhow::bail!("`{}` does not exist", args.path.display())
            }
            None => anyhow::bail!(
                "`{}` is not a `.dvc` file, a `dvc.lock`, a DVC project or a Croissant file: to verify a model, give --signature SIG with --public-key or --certificate-chain",
                args.path.display()
            ),
        }
    };
    drop(progress);
    match headline {
        Some(line) if global.format == OutputFormat::Human => {
            let mut text = format!("{line}\n");
            text.push_str(&mlsc_core::render::human(
                &report,
                mlsc_core::render::Style::new(output::use_color(global)),
                global.quiet,
            ));
            output::write_output(global, text.as_bytes())?;
        }
        _ => output::emit_report(global, &report)?,
    }
    Ok(Status::of_report(&report, global.fail_on))
}

/// Writes a key file; an existing one is kept unless `--force`.
fn write_new(path: &Path, content: &str, force: bool, mode: u32) -> anyhow::Result<()> {
    mlsc_core::write_new(path, content.as_bytes(), force, mode).with_context(|| {
        if path.exists() && !force {
            format!("`{}` exists (use --force to overwrite it)", path.display())
        } else {
            format!("cannot write `{}`", path.display())
        }
    })
}

pub(crate) fn run_keygen(global: &GlobalArgs, args: &KeygenArgs) -> anyhow::Result<Status> {
    only_human_or_json(global, "keygen")?;
    let public_path = args
        .public_key
        .clone()
        .unwrap_or_else(|| mlsc_provenance::public_key_path(&args.private_key));
    let key = PrivateKey::generate_p256();
    // Created with mode 0600 from the start, so the key is never readable by others, even briefly.
    write_new(&args.private_key, &key.to_pkcs8_pem(), args.force, 0o600)?;
    write_new(&public_path, &key.public_key().to_pem(), args.force, 0o644)?;
    if global.format == OutputFormat::Json {
        let json = mlsc_provenance::key_pair_json(&key, &args.private_key, &public_path);
        json_out(global, &json)?;
    } else if !global.quiet {
        let text = mlsc_provenance::key_pair_human(&key, &args.private_key, &public_path);
        output::write_output(global, text.as_bytes())?;
    }
    Ok(Status::Clean)
}

pub(crate) fn run_attest(global: &GlobalArgs, args: &AttestArgs) -> anyhow::Result<Status> {
    only_human_or_json(global, "attest")?;
    let key = PrivateKey::read(&args.private_key)?;
    let mut opts = AttestOptions::default();
    opts.base = args.base.clone();
    opts.products = args.product.clone();
    opts.data = args.data.clone();
    opts.code = args.code.clone();
    opts.command = args.command.clone();
    opts.builder_id = args.builder_id.clone();
    opts.started_on = args.started_on.clone();
    let att = mlsc_provenance::attest(&opts, &key)?;
    output::write_file(&args.attestation, att.bundle.as_bytes())?;
    if global.format == OutputFormat::Json {
        json_out(global, &att.to_json(&args.attestation)?)?;
    } else if !global.quiet {
        let text = att.to_human(&args.attestation, &args.base);
        output::write_output(global, text.as_bytes())?;
    }
    Ok(Status::Clean)
}
