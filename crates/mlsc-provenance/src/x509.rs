//! Just enough X.509 for model_signing's certificate method: chain the signing certificate to the given
//! certificate authorities, check validity now and at signing, and check it may sign.

use base64::Engine as _;
use der::{Decode as _, Encode as _};
use mlsc_core::{Finding, Location, Rule, Severity};
use sha2::Digest as _;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage};

use crate::keys::PublicKey;

const OID_ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
const OID_ECDSA_SHA384: &str = "1.2.840.10045.4.3.3";
const OID_ECDSA_SHA512: &str = "1.2.840.10045.4.3.4";
const OID_BASIC_CONSTRAINTS: &str = "2.5.29.19";
const OID_KEY_USAGE: &str = "2.5.29.15";
const OID_EXT_KEY_USAGE: &str = "2.5.29.37";
const OID_CODE_SIGNING: &str = "1.3.6.1.5.5.7.3.3";
const MAX_DEPTH: usize = 8;

/// DER certificates from PEM text (every `CERTIFICATE` block).
pub(crate) fn pem_certificates(text: &str) -> Result<Vec<Vec<u8>>, String> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(b) = rest.find(BEGIN) {
        let after = &rest[b + BEGIN.len()..];
        let e = after
            .find(END)
            .ok_or_else(|| format!("certificate {} has no END line", out.len() + 1))?;
        let body: String = after[..e].chars().filter(|c| !c.is_whitespace()).collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(body)
            .map_err(|err| format!("certificate {} is not base64: {err}", out.len() + 1))?;
        Certificate::from_der(&der)
            .map_err(|err| format!("certificate {} is not X.509: {err}", out.len() + 1))?;
        out.push(der);
        rest = &after[e + END.len()..];
    }
    if out.is_empty() {
        return Err("no `CERTIFICATE` PEM block".to_owned());
    }
    Ok(out)
}

/// The bytes of the outer SEQUENCE's first element (the TBSCertificate) as they are in the file: the signature
/// covers these exact bytes, and re-encoding a parsed structure could differ from a non-canonical original.
fn raw_tbs(der: &[u8]) -> Option<&[u8]> {
    fn header(b: &[u8]) -> Option<(usize, usize)> {
        // Returns (header length, content length).
        let &first_len = b.get(1)?;
        if first_len < 0x80 {
            return Some((2, first_len as usize));
        }
        let n = (first_len & 0x7f) as usize;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *b.get(2 + i)? as usize;
        }
        Some((2 + n, len))
    }
    let (h, _) = header(der)?;
    let inner = der.get(h..)?;
    let (h2, len2) = header(inner)?;
    inner.get(..h2.checked_add(len2)?)
}

struct Parsed {
    der: Vec<u8>,
    cert: Certificate,
}

impl Parsed {
    fn subject(&self) -> String {
        self.cert.tbs_certificate.subject.to_string()
    }

    fn public_key(&self) -> Result<PublicKey, String> {
        let spki = self
            .cert
            .tbs_certificate
            .subject_public_key_info
            .to_der()
            .map_err(|e| e.to_string())?;
        PublicKey::from_spki_der(&spki).map_err(|e| e.to_string())
    }

    fn validity(&self) -> (u64, u64) {
        let v = &self.cert.tbs_certificate.validity;
        (
            v.not_before.to_unix_duration().as_secs(),
            v.not_after.to_unix_duration().as_secs(),
        )
    }

    fn extension<T: for<'a> der::Decode<'a>>(&self, oid: &str) -> Option<T> {
        self.cert
            .tbs_certificate
            .extensions
            .as_ref()?
            .iter()
            .find(|e| e.extn_id.to_string() == oid)
            .and_then(|e| T::from_der(e.extn_value.as_bytes()).ok())
    }

    fn is_ca(&self) -> bool {
        self.extension::<BasicConstraints>(OID_BASIC_CONSTRAINTS)
            .is_some_and(|b| b.ca)
    }

    /// Whether `issuer`'s key made this certificate's signature.
    fn signed_by(&self, issuer: &Parsed) -> bool {
        if self.cert.tbs_certificate.issuer != issuer.cert.tbs_certificate.subject {
            return false;
        }
        let Ok(key) = issuer.public_key() else {
            return false;
        };
        let Some(tbs) = raw_tbs(&self.der) else {
            return false;
        };
        let digest = match self.cert.signature_algorithm.oid.to_string().as_str() {
            OID_ECDSA_SHA256 => sha2::Sha256::digest(tbs).to_vec(),
            OID_ECDSA_SHA384 => sha2::Sha384::digest(tbs).to_vec(),
            OID_ECDSA_SHA512 => sha2::Sha512::digest(tbs).to_vec(),
            _ => return false,
        };
        self.cert
            .signature
            .as_bytes()
            .is_some_and(|sig| key.verify_prehash(&digest, sig))
    }
}

fn parse(der: &[u8]) -> Result<Parsed, String> {
    Certificate::from_der(der)
        .map(|cert| Parsed {
            der: der.to_vec(),
            cert,
        })
        .map_err(|e| e.to_string())
}

fn fmt_time(secs: u64) -> String {
    i64::try_from(secs)
        .ok()
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map_or_else(|| secs.to_string(), |t| t.to_string())
}

/// Verifies the bundle's certificate chain (`chain[0]` signs, the rest are intermediates) against `anchors` at
/// time `now` (Unix seconds). Returns the signing key (when the certificate can be read, even if the chain fails,
/// so that the signature can still be reported on) and findings for everything that fails.
pub(crate) fn verify_chain(
    chain: &[Vec<u8>],
    anchors: &[Vec<u8>],
    now: u64,
    location: &Location,
) -> (Option<PublicKey>, Vec<Finding>) {
    let mut findings = Vec::new();
    let finding = |rule: &'static Rule, sev: Severity, msg: String| {
        rule.finding_at(sev, msg).at(location.clone())
    };
    let Some(leaf_der) = chain.first() else {
        findings.push(finding(
            &crate::rules::BUNDLE_MALFORMED,
            Severity::High,
            "the bundle's certificate chain is empty".to_owned(),
        ));
        return (None, findings);
    };
    let leaf = match parse(leaf_der) {
        Ok(p) => p,
        Err(e) => {
            findings.push(finding(
                &crate::rules::BUNDLE_MALFORMED,
                Severity::High,
                format!("the signing certificate is not X.509: {e}"),
            ));
            return (None, findings);
        }
    };
    let key = match leaf.public_key() {
        Ok(k) => Some(k),
        Err(e) => {
            findings.push(finding(&crate::rules::UNSUPPORTED, Severity::Medium, e));
            None
        }
    };
    let intermediates: Vec<Parsed> = chain[1..].iter().filter_map(|d| parse(d).ok()).collect();
    let anchors: Vec<Parsed> = anchors.iter().filter_map(|d| parse(d).ok()).collect();

    // Without a transparency log there is no trusted signing time; like model_signing, take the signing
    // certificate's notBefore as the moment of signing.
    let (signed_at, _) = leaf.validity();
    let mut path: Vec<&Parsed> = vec![&leaf];
    let mut trusted = false;
    let mut current = &leaf;
    for _ in 0..MAX_DEPTH {
        if anchors.iter().any(|a| a.der == current.der) {
            trusted = true;
            break;
        }
        if let Some(a) = anchors.iter().find(|a| current.signed_by(a)) {
            path.push(a);
            trusted = true;
            break;
        }
        match intermediates
            .iter()
            .find(|i| i.der != current.der && i.is_ca() && current.signed_by(i))
        {
            Some(next) => {
                path.push(next);
                current = next;
            }
            None => break,
        }
    }
    if !trusted {
        findings.push(finding(
            &crate::rules::CERTIFICATE_UNTRUSTED,
            Severity::High,
            format!(
                "the signing certificate `{}` does not chain to the given certificate authorities (stopped at `{}`, issued by `{}`)",
                leaf.subject(),
                current.subject(),
                current.cert.tbs_certificate.issuer
            ),
        ));
    }
    for cert in &path {
        let (nb, na) = cert.validity();
        for (when, label) in [(now, "now"), (signed_at, "at signing")] {
            if when < nb || when > na {
                findings.push(finding(
                    &crate::rules::CERTIFICATE_NOT_VALID,
                    Severity::High,
                    format!(
                        "certificate `{}` is not valid {label} ({}): valid from {} to {}",
                        cert.subject(),
                        fmt_time(when),
                        fmt_time(nb),
                        fmt_time(na)
                    ),
                ));
            }
        }
    }
    let ku = leaf
        .extension::<KeyUsage>(OID_KEY_USAGE)
        .is_some_and(|k| k.digital_signature());
    let eku = leaf
        .extension::<ExtendedKeyUsage>(OID_EXT_KEY_USAGE)
        .is_some_and(|e| e.0.iter().any(|o| o.to_string() == OID_CODE_SIGNING));
    if !ku && !eku {
        findings.push(finding(
            &crate::rules::CERTIFICATE_NOT_FOR_SIGNING,
            Severity::High,
            format!(
                "the signing certificate `{}` allows neither digitalSignature (key usage) nor codeSigning (extended key usage)",
                leaf.subject()
            ),
        ));
    }
    (key, findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::codes;

    #[test]
    fn pem_errors_name_the_problem() {
        assert!(
            pem_certificates("nothing")
                .unwrap_err()
                .contains("no `CERTIFICATE`")
        );
        let e = pem_certificates("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----")
            .unwrap_err();
        assert!(e.contains("base64"), "{e}");
    }

    /// Test certificates, made here: a generator in Rust rather than opaque fixture files.
    fn make_cert(
        subject: &str,
        issuer: &str,
        subject_key: &p256::ecdsa::SigningKey,
        issuer_key: &p256::ecdsa::SigningKey,
        validity: (u64, u64),
        ca: bool,
        usage: Option<x509_cert::ext::pkix::KeyUsages>,
    ) -> Vec<u8> {
        use der::asn1::{BitString, OctetString, UtcTime};
        use p256::pkcs8::EncodePublicKey as _;
        use std::str::FromStr as _;
        use std::time::Duration;
        use x509_cert::ext::Extension;
        use x509_cert::name::Name;
        use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
        use x509_cert::time::{Time, Validity};
        let alg = AlgorithmIdentifierOwned {
            oid: der::oid::ObjectIdentifier::new_unwrap(OID_ECDSA_SHA256),
            parameters: None,
        };
        let time =
            |s: u64| Time::UtcTime(UtcTime::from_unix_duration(Duration::from_secs(s)).unwrap());
        let mut exts = vec![Extension {
            extn_id: der::oid::ObjectIdentifier::new_unwrap(OID_BASIC_CONSTRAINTS),
            critical: true,
            extn_value: OctetString::new(
                BasicConstraints {
                    ca,
                    path_len_constraint: None,
                }
                .to_der()
                .unwrap(),
            )
            .unwrap(),
        }];
        if let Some(u) = usage {
            exts.push(Extension {
                extn_id: der::oid::ObjectIdentifier::new_unwrap(OID_KEY_USAGE),
                critical: true,
                extn_value: OctetString::new(KeyUsage(u.into()).to_der().unwrap()).unwrap(),
            });
        }
        let spki = subject_key.verifying_key().to_public_key_der().unwrap();
        let tbs = x509_cert::TbsCertificate {
            version: x509_cert::Version::V3,
            serial_number: x509_cert::serial_number::SerialNumber::new(&[7]).unwrap(),
            signature: alg.clone(),
            issuer: Name::from_str(issuer).unwrap(),
            validity: Validity {
                not_before: time(validity.0),
                not_after: time(validity.1),
            },
            subject: Name::from_str(subject).unwrap(),
            subject_public_key_info: SubjectPublicKeyInfoOwned::from_der(spki.as_bytes()).unwrap(),
            issuer_unique_id: None,
            subject_unique_id: None,
            extensions: Some(exts),
        };
        use ecdsa::signature::Signer as _;
        let sig: p256::ecdsa::Signature = issuer_key.sign(&tbs.to_der().unwrap());
        Certificate {
            tbs_certificate: tbs,
            signature_algorithm: alg,
            signature: BitString::from_bytes(sig.to_der().as_bytes()).unwrap(),
        }
        .to_der()
        .unwrap()
    }

    #[test]
    fn chains_through_an_intermediate_and_reports_each_failure() {
        use x509_cert::ext::pkix::KeyUsages;
        let k = || p256::ecdsa::SigningKey::random(&mut rand_core::OsRng);
        let (root_k, mid_k, leaf_k, other_k) = (k(), k(), k(), k());
        let year = 365 * 86400;
        let t0 = 1_700_000_000;
        let root = make_cert(
            "CN=root",
            "CN=root",
            &root_k,
            &root_k,
            (t0, t0 + 10 * year),
            true,
            Some(KeyUsages::KeyCertSign),
        );
        let mid = make_cert(
            "CN=mid",
            "CN=root",
            &mid_k,
            &root_k,
            (t0, t0 + 2 * year),
            true,
            Some(KeyUsages::KeyCertSign),
        );
        let leaf = make_cert(
            "CN=leaf",
            "CN=mid",
            &leaf_k,
            &mid_k,
            (t0 + 10, t0 + year),
            false,
            Some(KeyUsages::DigitalSignature),
        );
        let loc = Location::file("sig");
        let codes_of = |f: &[Finding]| f.iter().map(|f| f.code.clone()).collect::<Vec<_>>();

        let (key, f) = verify_chain(
            &[leaf.clone(), mid.clone()],
            std::slice::from_ref(&root),
            t0 + 100,
            &loc,
        );
        assert!(f.is_empty(), "{f:#?}");
        assert_eq!(key, Some(PublicKey::P256(*leaf_k.verifying_key())));

        // Without the intermediate in the bundle, the chain stops at the leaf.
        let (_, f) = verify_chain(
            std::slice::from_ref(&leaf),
            std::slice::from_ref(&root),
            t0 + 100,
            &loc,
        );
        assert_eq!(codes_of(&f), [codes::CERT_UNTRUSTED]);

        // Another CA with the same name but another key: untrusted.
        let fake_root = make_cert(
            "CN=root",
            "CN=root",
            &other_k,
            &other_k,
            (t0, t0 + 10 * year),
            true,
            None,
        );
        let (_, f) = verify_chain(&[leaf.clone(), mid.clone()], &[fake_root], t0 + 100, &loc);
        assert_eq!(codes_of(&f), [codes::CERT_UNTRUSTED]);

        // Valid at signing, expired now: said for the leaf.
        let (_, f) = verify_chain(
            &[leaf.clone(), mid.clone()],
            std::slice::from_ref(&root),
            t0 + 3 * year,
            &loc,
        );
        assert_eq!(codes_of(&f), [codes::CERT_NOT_VALID, codes::CERT_NOT_VALID]);
        assert!(
            f[0].message.contains("CN=leaf") && f[0].message.contains("now"),
            "{}",
            f[0].message
        );

        // A leaf that may only sign certificates.
        let bad_leaf = make_cert(
            "CN=leaf",
            "CN=mid",
            &leaf_k,
            &mid_k,
            (t0, t0 + year),
            false,
            Some(KeyUsages::KeyCertSign),
        );
        let (_, f) = verify_chain(&[bad_leaf, mid], &[root], t0 + 100, &loc);
        assert_eq!(codes_of(&f), [codes::CERT_NOT_FOR_SIGNING]);
    }

    #[test]
    fn raw_tbs_is_bounded() {
        assert!(raw_tbs(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_none());
        assert!(raw_tbs(&[]).is_none());
        assert_eq!(
            raw_tbs(&[0x30, 0x03, 0x30, 0x01, 0x00]),
            Some(&[0x30, 0x01, 0x00][..])
        );
    }
}
