//! ECDSA keys (P-256 and P-384) in PEM, as model_signing's key method uses them.

use std::path::Path;

use p256::pkcs8::LineEnding;
use p256::pkcs8::{
    DecodePrivateKey as _, DecodePublicKey as _, EncodePrivateKey as _, EncodePublicKey as _,
};
use sha2::{Digest as _, Sha256};

use crate::Error;

/// Why a key (PEM text, or a certificate's SubjectPublicKeyInfo) cannot be used. [`Error::Key`] carries it with the
/// key file's path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// An encrypted PKCS#8 private key: mlsc takes no passphrase.
    #[error("encrypted private keys are not supported; decrypt it first (openssl pkcs8)")]
    Encrypted,
    /// No `PRIVATE KEY` or `EC PRIVATE KEY` block in a private key's PEM text.
    #[error("no `PRIVATE KEY` or `EC PRIVATE KEY` PEM block")]
    NoPrivateKey,
    /// No `PUBLIC KEY` block in a public key's PEM text (a certificate, perhaps).
    #[error("no `PUBLIC KEY` PEM block (a certificate goes to --certificate-chain)")]
    NoPublicKey,
    /// A SEC1 private key on another curve than P-256 or P-384, or not a valid one.
    #[error("not a P-256 or P-384 SEC1 key")]
    UnsupportedSec1,
    /// A PKCS#8 private key of another algorithm or curve, or not a valid one.
    #[error("not a P-256 or P-384 PKCS#8 key (RSA, Ed25519 and P-521 are not supported)")]
    UnsupportedPkcs8,
    /// A public key of another algorithm or curve, or not a valid one.
    #[error("not a P-256 or P-384 public key")]
    UnsupportedPublicKey,
    /// A certificate whose key is of another algorithm or curve.
    #[error("the certificate's key is not a P-256 or P-384 key")]
    UnsupportedCertificateKey,
}

/// The largest key or certificate file read: keys are a few hundred bytes, chains a few kilobytes.
const MAX_PEM: u64 = 1 << 20;

pub(crate) fn read_small(path: &Path, limit: u64) -> Result<Vec<u8>, Error> {
    let meta = fs_err::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.len() > limit {
        return Err(Error::TooLarge {
            path: path.to_owned(),
            size: meta.len(),
            limit,
        });
    }
    fs_err::read(path).map_err(|e| Error::io(path, e))
}

/// A private signing key.
#[derive(Clone)]
#[non_exhaustive]
pub enum PrivateKey {
    /// NIST P-256, signing with SHA-256.
    P256(p256::ecdsa::SigningKey),
    /// NIST P-384, signing with SHA-384.
    P384(p384::ecdsa::SigningKey),
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        write!(f, "PrivateKey({})", self.curve())
    }
}

/// A public verification key.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublicKey {
    /// NIST P-256, verifying with SHA-256.
    P256(p256::ecdsa::VerifyingKey),
    /// NIST P-384, verifying with SHA-384.
    P384(p384::ecdsa::VerifyingKey),
}

impl PrivateKey {
    /// Parses a PEM private key: PKCS#8 (`PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`), P-256 or P-384. Encrypted
    /// keys are refused with a message saying so.
    ///
    /// ```
    /// use mlsc_provenance::{KeyError, PrivateKey};
    ///
    /// let key = PrivateKey::generate_p256();
    /// let again = PrivateKey::from_pem(&key.to_pkcs8_pem()).unwrap();
    /// assert_eq!(again.public_key(), key.public_key());
    /// assert_eq!(PrivateKey::from_pem("not a key").unwrap_err(), KeyError::NoPrivateKey);
    /// ```
    pub fn from_pem(text: &str) -> Result<Self, KeyError> {
        if text.contains("ENCRYPTED") {
            return Err(KeyError::Encrypted);
        }
        if text.contains("BEGIN EC PRIVATE KEY") {
            if let Ok(k) = p256::SecretKey::from_sec1_pem(text) {
                return Ok(PrivateKey::P256(k.into()));
            }
            if let Ok(k) = p384::SecretKey::from_sec1_pem(text) {
                return Ok(PrivateKey::P384(k.into()));
            }
            return Err(KeyError::UnsupportedSec1);
        }
        if text.contains("BEGIN PRIVATE KEY") {
            if let Ok(k) = p256::SecretKey::from_pkcs8_pem(text) {
                return Ok(PrivateKey::P256(k.into()));
            }
            if let Ok(k) = p384::SecretKey::from_pkcs8_pem(text) {
                return Ok(PrivateKey::P384(k.into()));
            }
            return Err(KeyError::UnsupportedPkcs8);
        }
        Err(KeyError::NoPrivateKey)
    }

    /// Reads a PEM private key file.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let bytes = read_small(path, MAX_PEM)?;
        let text = String::from_utf8_lossy(&bytes);
        PrivateKey::from_pem(&text).map_err(|source| Error::Key {
            path: path.to_owned(),
            source,
        })
    }

    /// A new random P-256 key from the operating system's generator.
    pub fn generate_p256() -> Self {
        PrivateKey::P256(p256::ecdsa::SigningKey::random(&mut rand_core::OsRng))
    }

    /// The curve's name: `P-256` or `P-384`.
    pub fn curve(&self) -> &'static str {
        match self {
            PrivateKey::P256(_) => "P-256",
            PrivateKey::P384(_) => "P-384",
        }
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        match self {
            PrivateKey::P256(k) => PublicKey::P256(*k.verifying_key()),
            PrivateKey::P384(k) => PublicKey::P384(*k.verifying_key()),
        }
    }

    /// The key as PKCS#8 PEM (`PRIVATE KEY`), with LF line endings.
    pub fn to_pkcs8_pem(&self) -> String {
        let pem = match self {
            PrivateKey::P256(k) => k.to_pkcs8_pem(LineEnding::LF),
            PrivateKey::P384(k) => k.to_pkcs8_pem(LineEnding::LF),
        };
        pem.expect("encoding a valid key as PKCS#8 cannot fail because every field is known")
            .to_string()
    }

    /// An ASN.1 DER ECDSA signature over `message` (hashed with SHA-256 for P-256, SHA-384 for P-384, as
    /// model_signing does), deterministic (RFC 6979).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        use ecdsa::signature::Signer as _;
        match self {
            PrivateKey::P256(k) => {
                let s: p256::ecdsa::Signature = k.sign(message);
                s.to_der().as_bytes().to_vec()
            }
            PrivateKey::P384(k) => {
                let s: p384::ecdsa::Signature = k.sign(message);
                s.to_der().as_bytes().to_vec()
            }
        }
    }
}

impl PublicKey {
    /// Parses a PEM public key (`PUBLIC KEY`, SubjectPublicKeyInfo), P-256 or P-384.
    pub fn from_pem(text: &str) -> Result<Self, KeyError> {
        if !text.contains("BEGIN PUBLIC KEY") {
            return Err(KeyError::NoPublicKey);
        }
        if let Ok(k) = p256::PublicKey::from_public_key_pem(text) {
            return Ok(PublicKey::P256(k.into()));
        }
        if let Ok(k) = p384::PublicKey::from_public_key_pem(text) {
            return Ok(PublicKey::P384(k.into()));
        }
        Err(KeyError::UnsupportedPublicKey)
    }

    /// Parses a DER SubjectPublicKeyInfo (from a certificate), P-256 or P-384.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, KeyError> {
        if let Ok(k) = p256::PublicKey::from_public_key_der(der) {
            return Ok(PublicKey::P256(k.into()));
        }
        if let Ok(k) = p384::PublicKey::from_public_key_der(der) {
            return Ok(PublicKey::P384(k.into()));
        }
        Err(KeyError::UnsupportedCertificateKey)
    }

    /// Reads a PEM public key file.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let bytes = read_small(path, MAX_PEM)?;
        let text = String::from_utf8_lossy(&bytes);
        PublicKey::from_pem(&text).map_err(|source| Error::Key {
            path: path.to_owned(),
            source,
        })
    }

    /// The key as SubjectPublicKeyInfo PEM with LF line endings, as Python's `cryptography` writes it.
    pub fn to_pem(&self) -> String {
        let pem = match self {
            PublicKey::P256(k) => k.to_public_key_pem(LineEnding::LF),
            PublicKey::P384(k) => k.to_public_key_pem(LineEnding::LF),
        };
        pem.expect("encoding a valid public key cannot fail because every field is known")
    }

    /// model_signing's key hint: the lowercase hex SHA-256 of [`PublicKey::to_pem`].
    pub fn hint(&self) -> String {
        mlsc_core::hex(&Sha256::digest(self.to_pem().as_bytes()))
    }

    /// The curve's name: `P-256` or `P-384`.
    pub fn curve(&self) -> &'static str {
        match self {
            PublicKey::P256(_) => "P-256",
            PublicKey::P384(_) => "P-384",
        }
    }

    /// Whether `signature` (ASN.1 DER, or raw r‖s) is a valid ECDSA signature over `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        use ecdsa::signature::Verifier as _;
        match self {
            PublicKey::P256(k) => p256::ecdsa::Signature::from_der(signature)
                .or_else(|_| p256::ecdsa::Signature::from_slice(signature))
                .is_ok_and(|s| k.verify(message, &s).is_ok()),
            PublicKey::P384(k) => p384::ecdsa::Signature::from_der(signature)
                .or_else(|_| p384::ecdsa::Signature::from_slice(signature))
                .is_ok_and(|s| k.verify(message, &s).is_ok()),
        }
    }

    /// Whether `signature` (ASN.1 DER) is valid over an already computed digest (certificate signatures).
    pub(crate) fn verify_prehash(&self, digest: &[u8], signature: &[u8]) -> bool {
        use ecdsa::signature::hazmat::PrehashVerifier as _;
        match self {
            PublicKey::P256(k) => p256::ecdsa::Signature::from_der(signature)
                .is_ok_and(|s| k.verify_prehash(digest, &s).is_ok()),
            PublicKey::P384(k) => p384::ecdsa::Signature::from_der(signature)
                .is_ok_and(|s| k.verify_prehash(digest, &s).is_ok()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_sign_verify_round_trip() {
        let k = PrivateKey::generate_p256();
        let pem = k.to_pkcs8_pem();
        let again = PrivateKey::from_pem(&pem).unwrap();
        let sig = again.sign(b"hello");
        let public = PublicKey::from_pem(&k.public_key().to_pem()).unwrap();
        assert!(public.verify(b"hello", &sig));
        assert!(!public.verify(b"hellO", &sig));
        let other = PrivateKey::generate_p256().public_key();
        assert!(!other.verify(b"hello", &sig));
        assert!(PrivateKey::from_pem("-----BEGIN ENCRYPTED PRIVATE KEY-----").is_err());
    }

    #[test]
    fn p384_signs_with_sha384() {
        let k = PrivateKey::P384(p384::ecdsa::SigningKey::random(&mut rand_core::OsRng));
        let sig = k.sign(b"m");
        assert!(k.public_key().verify(b"m", &sig));
        assert_eq!(k.public_key().curve(), "P-384");
    }
}
