//! Sigstore bundles v0.3 carrying a DSSE envelope, as model_signing writes them for its key and certificate
//! methods: no transparency log entry, the signature over DSSE's pre-authentication encoding.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;

use crate::keys::PrivateKey;

/// The bundle media type model_signing writes and requires.
pub const BUNDLE_MEDIA_TYPE: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";
/// The DSSE payload type of an in-toto statement.
pub const IN_TOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// DSSE v1 pre-authentication encoding: `DSSEv1 <len(type)> <type> <len(payload)> <payload>`.
pub(crate) fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

/// Where the verification material of a bundle points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Material {
    /// Key method: the SHA-256 hint of the public key's PEM, when present.
    PublicKeyHint(Option<String>),
    /// Certificate method: DER certificates, the signing certificate first.
    Certificates(Vec<Vec<u8>>),
    /// Neither.
    None,
}

/// A parsed bundle: what the verifier needs, decoded.
#[derive(Debug, Clone)]
pub(crate) struct Bundle {
    pub(crate) media_type: String,
    pub(crate) material: Material,
    pub(crate) payload_type: String,
    pub(crate) payload: Vec<u8>,
    pub(crate) signatures: Vec<Vec<u8>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BundleJson {
    #[serde(default)]
    media_type: Option<String>,
    #[serde(default)]
    verification_material: Option<MaterialJson>,
    #[serde(default)]
    dsse_envelope: Option<EnvelopeJson>,
    #[serde(default)]
    message_signature: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MaterialJson {
    #[serde(default)]
    public_key: Option<HintJson>,
    #[serde(default)]
    x509_certificate_chain: Option<ChainJson>,
    #[serde(default)]
    certificate: Option<CertJson>,
}

#[derive(Deserialize)]
struct HintJson {
    #[serde(default)]
    hint: Option<String>,
}

#[derive(Deserialize)]
struct ChainJson {
    #[serde(default)]
    certificates: Vec<CertJson>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CertJson {
    raw_bytes: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EnvelopeJson {
    payload: String,
    payload_type: String,
    #[serde(default)]
    signatures: Vec<SigJson>,
}

#[derive(Deserialize)]
struct SigJson {
    sig: String,
}

fn b64(field: &str, s: &str) -> Result<Vec<u8>, String> {
    STANDARD
        .decode(s.trim())
        .map_err(|e| format!("`{field}` is not base64: {e}"))
}

/// Most certificates in a chain accepted from a bundle.
const MAX_CHAIN: usize = 16;

impl Bundle {
    /// Parses a bundle. The message says what is wrong, with the JSON line and column when the text is not JSON.
    pub(crate) fn parse(bytes: &[u8]) -> Result<Bundle, String> {
        let json: BundleJson = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        let media_type = json.media_type.unwrap_or_default();
        if json.message_signature.is_some() && json.dsse_envelope.is_none() {
            return Err("the bundle carries a message signature, not a DSSE envelope".to_owned());
        }
        let env = json
            .dsse_envelope
            .ok_or_else(|| "no `dsseEnvelope`".to_owned())?;
        let material = match json.verification_material {
            Some(MaterialJson {
                x509_certificate_chain: Some(chain),
                ..
            }) => {
                if chain.certificates.len() > MAX_CHAIN {
                    return Err(format!("more than {MAX_CHAIN} certificates in the chain"));
                }
                Material::Certificates(
                    chain
                        .certificates
                        .iter()
                        .map(|c| b64("rawBytes", &c.raw_bytes))
                        .collect::<Result<_, _>>()?,
                )
            }
            Some(MaterialJson {
                certificate: Some(c),
                ..
            }) => Material::Certificates(vec![b64("rawBytes", &c.raw_bytes)?]),
            Some(MaterialJson {
                public_key: Some(h),
                ..
            }) => Material::PublicKeyHint(h.hint.filter(|s| !s.is_empty())),
            _ => Material::None,
        };
        Ok(Bundle {
            media_type,
            material,
            payload_type: env.payload_type,
            payload: b64("payload", &env.payload)?,
            signatures: env
                .signatures
                .iter()
                .map(|s| b64("sig", &s.sig))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// Signs `payload` (an in-toto statement) with `key` and returns the bundle JSON, byte for byte in the layout
/// model_signing writes: compact, `mediaType`, `verificationMaterial` (the key hint, or the certificate chain when
/// `certificates` is not empty, and an empty `tlogEntries`), then `dsseEnvelope`.
pub(crate) fn sign_bundle(payload: &[u8], key: &PrivateKey, certificates: &[Vec<u8>]) -> String {
    let sig = key.sign(&pae(IN_TOTO_PAYLOAD_TYPE, payload));
    let material = if certificates.is_empty() {
        serde_json::json!({
            "publicKey": { "hint": key.public_key().hint() },
            "tlogEntries": [],
        })
    } else {
        let certs: Vec<serde_json::Value> = certificates
            .iter()
            .map(|c| serde_json::json!({ "rawBytes": STANDARD.encode(c) }))
            .collect();
        serde_json::json!({
            "x509CertificateChain": { "certificates": certs },
            "tlogEntries": [],
        })
    };
    let bundle = serde_json::json!({
        "mediaType": BUNDLE_MEDIA_TYPE,
        "verificationMaterial": material,
        "dsseEnvelope": {
            "payload": STANDARD.encode(payload),
            "payloadType": IN_TOTO_PAYLOAD_TYPE,
            "signatures": [ { "sig": STANDARD.encode(sig), "keyid": "" } ],
        },
    });
    serde_json::to_string(&bundle)
        .expect("a JSON value always serialises because it holds no maps with non-string keys")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_matches_dsse_spec_example() {
        // From the DSSE protocol document.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
    }

    #[test]
    fn signed_bundle_parses_back() {
        let key = PrivateKey::generate_p256();
        let text = sign_bundle(b"{}", &key, &[]);
        let b = Bundle::parse(text.as_bytes()).unwrap();
        assert_eq!(b.media_type, BUNDLE_MEDIA_TYPE);
        assert_eq!(b.payload, b"{}");
        assert_eq!(
            b.material,
            Material::PublicKeyHint(Some(key.public_key().hint()))
        );
        assert!(
            key.public_key()
                .verify(&pae(&b.payload_type, &b.payload), &b.signatures[0])
        );
        assert!(Bundle::parse(b"{\"dsseEnvelope\": 3}").is_err());
    }
}
