//! Manifests and signatures in words and as the JSON `mlsc manifest` and `mlsc sign` print, and the choice of
//! which recorded provenance a path holds.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use mlsc_core::Report;

use crate::attest::Attestation;
use crate::croissant::{CroissantOptions, is_croissant, verify_croissant};
use crate::dvc::{DvcOptions, is_dvc_path, verify_dvc};
use crate::error::Error;
use crate::keys::PrivateKey;
use crate::manifest::Manifest;
use crate::oms::Signed;

impl Manifest {
    /// One `DIGEST  NAME` line per resource (as `sha256sum` prints), then, unless `quiet`, a note per pair of
    /// names that differ only by letter case and a summary with the root digest.
    pub fn to_human(&self, quiet: bool) -> String {
        let mut s = String::new();
        for r in &self.resources {
            let _ = writeln!(s, "{}  {}", r.digest_hex(), r.name());
        }
        if !quiet {
            s.push_str(&self.collision_notes());
            let _ = writeln!(
                s,
                "{} files, {} bytes, {} items ({}); root sha256 {}",
                self.files,
                self.bytes,
                self.resources.len(),
                self.resource_algorithm(),
                mlsc_core::hex(&self.root_digest())
            );
        }
        s
    }

    /// The manifest as JSON with its `root_digest` in hex.
    ///
    /// # Errors
    ///
    /// Never in practice: the manifest's types serialise to JSON; the error is serde_json's.
    pub fn to_json(&self) -> Result<serde_json::Value, serde_json::Error> {
        let mut v = serde_json::to_value(self)?;
        v["root_digest"] = serde_json::json!(mlsc_core::hex(&self.root_digest()));
        Ok(v)
    }

    /// A `note:` line per pair of names that differ only by letter case (they collide on case-insensitive file
    /// systems).
    pub fn collision_notes(&self) -> String {
        let mut s = String::new();
        for c in &self.collisions {
            let _ = writeln!(
                s,
                "note: `{}` and `{}` differ only by letter case",
                c.first, c.second
            );
        }
        s
    }
}

impl Signed {
    /// What `mlsc sign --format json` prints: where the signature went, the model, the key, the method and the
    /// manifest's totals.
    pub fn to_json(&self, model: &Path, signature: &Path, key: &PrivateKey) -> serde_json::Value {
        let m = &self.manifest;
        serde_json::json!({
            "signature": signature.display().to_string(),
            "model": model.display().to_string(),
            "model_name": m.model_name,
            "key": {"curve": key.curve(), "hint": key.public_key().hint()},
            "method": m.serialization.method(),
            "hash_type": m.hash.as_str(),
            "files": m.files,
            "bytes": m.bytes,
            "resources": m.resources.len(),
            "root_digest": mlsc_core::hex(&m.root_digest()),
            "ignore_paths": m.ignore_paths,
            "collisions": m.collisions,
        })
    }

    /// In words: case-collision notes, then what was signed, how fast (`elapsed`), with which key, and where
    /// the signature was written.
    pub fn to_human(
        &self,
        model: &Path,
        signature: &Path,
        key: &PrivateKey,
        elapsed: Duration,
    ) -> String {
        let m = &self.manifest;
        let mut s = m.collision_notes();
        let secs = elapsed.as_secs_f64().max(1e-9);
        let _ = writeln!(
            s,
            "signed `{}`: {} files, {} bytes, {} items ({}) in {:.2}s ({:.0} MB/s) with {} key {}; signature written to `{}`",
            model.display(),
            m.files,
            m.bytes,
            m.resources.len(),
            m.resource_algorithm(),
            secs,
            m.bytes as f64 / secs / 1e6,
            key.curve(),
            key.public_key().hint(),
            signature.display()
        );
        s
    }
}

impl Attestation {
    /// What `mlsc attest --format json` prints: where the attestation went, the counts and the statement.
    ///
    /// # Errors
    ///
    /// When the signed statement is not JSON (it always is: this crate wrote it).
    pub fn to_json(&self, attestation: &Path) -> Result<serde_json::Value, serde_json::Error> {
        let statement: serde_json::Value = serde_json::from_slice(&self.statement)?;
        Ok(serde_json::json!({
            "attestation": attestation.display().to_string(),
            "subjects": self.subjects,
            "materials": self.materials,
            "statement": statement,
        }))
    }

    /// In words: what was attested, where it was written, and the command that verifies it against `base`.
    pub fn to_human(&self, attestation: &Path, base: &Path) -> String {
        format!(
            "attested {} product files and {} data/code files; signed attestation written to `{}` (verify with `mlsc verify {} --signature {} --public-key PUB.pem`)\n",
            self.subjects,
            self.materials,
            attestation.display(),
            base.display(),
            attestation.display()
        )
    }
}

/// The public key file that goes with the private key file `private_key`: its name with `.pem` replaced by
/// `.pub.pem` (`key.pem` → `key.pub.pem`, `key` → `key.pub.pem`).
///
/// ```
/// use std::path::Path;
/// assert_eq!(mlsc_provenance::public_key_path(Path::new("k/sign.pem")), Path::new("k/sign.pub.pem"));
/// ```
pub fn public_key_path(private_key: &Path) -> PathBuf {
    let name = private_key
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".pem").unwrap_or(&name);
    private_key.with_file_name(format!("{stem}.pub.pem"))
}

/// Verifies the provenance `path` records without a signature: a `.dvc` file, a `dvc.lock` or a DVC project
/// (every byte re-hashed), else a Croissant file's checksums. `None` when `path` is neither.
pub fn verify_recorded(
    path: &Path,
    dvc: &DvcOptions,
    croissant: &CroissantOptions,
) -> Option<Result<Report, Error>> {
    if is_dvc_path(path) {
        Some(verify_dvc(path, dvc))
    } else if is_croissant(path) {
        Some(verify_croissant(path, croissant))
    } else {
        None
    }
}

/// Who a signature check trusts, in words, for the line above its report: `key 3fd4… (`k.pub.pem`)` for a public
/// key read from `file`, `a certificate chained to `ca.pem`` for certificates.
pub fn trust_description(trust: &crate::oms::Trust, file: impl AsRef<Path>) -> String {
    let file = file.as_ref();
    match trust {
        crate::oms::Trust::PublicKey(pk) => {
            let id: String = pk.hint().chars().take(16).collect();
            format!("key {id} (`{}`)", file.display())
        }
        crate::oms::Trust::Certificates(_) => {
            format!("a certificate chained to `{}`", file.display())
        }
    }
}

/// What a signature check of `model` found, in one sentence: "signature verified by key … over 3 files (623 bytes)
/// of `model`" when `report` has no finding and no error, else "signature NOT verified with …: N problem(s)".
/// `signer` is [`trust_description`]'s.
pub fn verify_headline(report: &Report, signer: &str, model: impl AsRef<Path>) -> String {
    let model = model.as_ref();
    if report.findings.is_empty() && report.errors.is_empty() {
        let files = report.statistics.files;
        format!(
            "signature verified by {signer} over {files} {} ({} bytes) of `{}`",
            if files == 1 { "file" } else { "files" },
            report.statistics.bytes_read,
            model.display()
        )
    } else {
        format!(
            "signature NOT verified with {signer}: {} problem(s) with `{}`, listed below",
            report.findings.len() + report.errors.len(),
            model.display()
        )
    }
}

/// What `mlsc keygen` wrote, as JSON: both paths, the curve and the public key's hint.
pub fn key_pair_json(key: &PrivateKey, private: &Path, public: &Path) -> serde_json::Value {
    serde_json::json!({
        "private_key": private.display().to_string(),
        "public_key": public.display().to_string(),
        "curve": "P-256",
        "hint": key.public_key().hint(),
    })
}

/// What `mlsc keygen` wrote, in one line.
pub fn key_pair_human(key: &PrivateKey, private: &Path, public: &Path) -> String {
    format!(
        "wrote P-256 private key `{}` (mode 0600) and public key `{}` (hint {})\n",
        private.display(),
        public.display(),
        key.public_key().hint()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_key_names() {
        assert_eq!(public_key_path(Path::new("a.pem")), Path::new("a.pub.pem"));
        assert_eq!(
            public_key_path(Path::new("d/key")),
            Path::new("d/key.pub.pem")
        );
    }

    #[test]
    fn manifest_words_list_every_file_then_totals() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs_err::write(dir.path().join("a.bin"), b"abc").expect("write");
        fs_err::write(dir.path().join("b.bin"), b"").expect("write");
        let m = crate::build_manifest(dir.path(), &crate::ManifestOptions::default())
            .expect("manifest");
        let text = m.to_human(false);
        // sha256("abc"), as `sha256sum` prints it.
        assert!(
            text.starts_with(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  a.bin\n"
            ),
            "{text}"
        );
        assert!(text.contains("\n2 files, 3 bytes, 2 items"), "{text}");
        assert_eq!(m.to_human(true).lines().count(), 2);
        assert!(
            verify_recorded(
                dir.path(),
                &DvcOptions::default(),
                &CroissantOptions::default()
            )
            .is_none()
        );
    }
}
