#!/usr/bin/env bash
# Interop with OpenSSF model_signing, both directions, live:
#   1. a model signed by `mlsc sign` (sha256 files, sha256 shards, P-256 and P-384 keys, an ignore glob, the
#      certificate method) verifies with `model_signing verify key|certificate` (or its API for shards);
#   2. a model signed by `model_signing sign key|certificate` (files, shards, P-384) verifies with `mlsc verify`;
#   3. a tampered model fails both ways.
# model_signing 1.1.1 imports OpenSSL (pyopenssl) without declaring it: the script installs it beside.
# Known model_signing 1.1.1 limits, reported, not failed on: it cannot verify BLAKE2b signatures (its own
# included: "Unsupported hashing method blake2b").
#
# Usage: scripts/interop-model-signing.sh            (VENV=/path to reuse a virtualenv, MLSC=/path/to/mlsc)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${VENV:-/work/venv-peers}"
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import model_signing, OpenSSL' 2>/dev/null; then
  "$venv/bin/pip" install -q 'model-signing==1.1.1' pyopenssl
fi
ms="$venv/bin/model_signing"
if [[ -z "${MLSC:-}" ]]; then
  cargo build -q -p mlsc-cli --manifest-path "$root/Cargo.toml"
  MLSC="$root/target/debug/mlsc"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
model="$work/my-model"
mkdir -p "$model/tokenizer" "$model/sub dir"
head -c 300000 /dev/urandom > "$model/weights.bin"
printf '{"hidden": 8}' > "$model/config.json"
printf '{"a": 1, "ü": 2}' > "$model/tokenizer/vocab.json"
printf 'notes\n' > "$model/sub dir/naïve ✓.txt"
: > "$model/empty.txt"
printf '*.bin lfs\n' > "$model/.gitattributes"

"$MLSC" keygen --private-key "$work/p256.pem" >/dev/null
"$venv/bin/python" - "$work/p384.pem" "$work/p384.pub.pem" <<'PY'
import sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
k = ec.generate_private_key(ec.SECP384R1())
open(sys.argv[1], "wb").write(k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
open(sys.argv[2], "wb").write(k.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
PY

# A CA and a code-signing certificate for the P-256 key, for the certificate method.
"$venv/bin/python" - "$work" <<'PY'
import datetime, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
work = sys.argv[1]
now = datetime.datetime.now(datetime.timezone.utc)
ca_key = ec.generate_private_key(ec.SECP256R1())
name = lambda cn: x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
ca = (x509.CertificateBuilder().subject_name(name("interop CA")).issuer_name(name("interop CA"))
      .public_key(ca_key.public_key()).serial_number(1).not_valid_before(now - datetime.timedelta(days=1))
      .not_valid_after(now + datetime.timedelta(days=30))
      .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
      .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
      .sign(ca_key, hashes.SHA256()))
leaf_key = serialization.load_pem_private_key(open(f"{work}/p256.pem", "rb").read(), None)
leaf = (x509.CertificateBuilder().subject_name(name("interop signer")).issuer_name(ca.subject)
        .public_key(leaf_key.public_key()).serial_number(2).not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=7))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
        .sign(ca_key, hashes.SHA256()))
open(f"{work}/ca.pem", "wb").write(ca.public_bytes(serialization.Encoding.PEM))
open(f"{work}/leaf.pem", "wb").write(leaf.public_bytes(serialization.Encoding.PEM))
PY

pass=0; fail=0
check() { # name, expected (ok|fail), command...
  local name="$1" want="$2"; shift 2
  local got=ok
  "$@" >"$work/out" 2>&1 || got=fail
  if [[ "$got" == "$want" ]]; then
    pass=$((pass + 1)); echo "ok    $name"
  else
    fail=$((fail + 1)); echo "FAIL  $name (expected $want, got $got)"; sed 's/^/      /' "$work/out" | tail -5
  fi
}

# model_signing's verify through its Python API: it reads the serialization (files or shards) from the signature.
# Its command line instead always re-hashes with whole files, so no shard signature (its own included) verifies
# there; the API is the fair test for shards.
ms_api() { # model, public key, signature
  "$venv/bin/python" -c 'import sys, model_signing
model_signing.verifying.Config().use_elliptic_key_verifier(public_key=sys.argv[2]).verify(sys.argv[1], sys.argv[3])
print("Verification succeeded")' "$@"
}

for key in p256 p384; do
  sig="$work/mlsc-$key-files.sig"
  "$MLSC" -q sign "$model" --private-key "$work/$key.pem" --signature "$sig"
  check "mlsc sign ($key, sha256 files) -> model_signing verify (CLI)" ok \
    "$ms" verify key "$model" --public_key "$work/$key.pub.pem" --signature "$sig"
  check "mlsc sign ($key, sha256 files) -> model_signing verify (API)" ok \
    ms_api "$model" "$work/$key.pub.pem" "$sig"
  sig="$work/mlsc-$key-shards.sig"
  "$MLSC" -q sign "$model" --private-key "$work/$key.pem" --signature "$sig" --shard-size 65536
  check "mlsc sign ($key, sha256 shards of 65536) -> model_signing verify (API)" ok \
    ms_api "$model" "$work/$key.pub.pem" "$sig"
done
mkdir -p "$model/cache"; printf 'x' > "$model/cache/run.tmp"; printf 'y' > "$model/scratch.tmp"
"$MLSC" -q sign "$model" --private-key "$work/p256.pem" --signature "$work/mlsc-glob.sig" --ignore '**/*.tmp'
check "mlsc sign --ignore '**/*.tmp' (recorded as the paths it matched) -> model_signing verify (CLI)" ok \
  "$ms" verify key "$model" --public_key "$work/p256.pub.pem" --signature "$work/mlsc-glob.sig"
rm -r "$model/cache" "$model/scratch.tmp"
"$MLSC" -q sign "$model" --private-key "$work/p256.pem" --signature "$work/mlsc-cert.sig" \
  --signing-certificate "$work/leaf.pem" --certificate-chain "$work/ca.pem"
check "mlsc sign (certificate method) -> model_signing verify certificate" ok \
  "$ms" verify certificate "$model" --certificate_chain "$work/ca.pem" --signature "$work/mlsc-cert.sig"
"$ms" sign certificate "$model" --private_key "$work/p256.pem" --signing_certificate "$work/leaf.pem" \
  --certificate_chain "$work/ca.pem" --signature "$work/ms-cert.sig" >/dev/null
check "model_signing sign certificate -> mlsc verify --certificate-chain" ok \
  "$MLSC" -q verify "$model" --signature "$work/ms-cert.sig" --certificate-chain "$work/ca.pem"
"$ms" sign key "$model" --private_key "$work/p256.pem" --signature "$work/ms-shards.sig" >/dev/null 2>&1 || true
"$venv/bin/python" - "$model" "$work/p256.pem" "$work/ms-shards.sig" <<'PY'
import sys, model_signing
h = model_signing.hashing.Config().use_shard_serialization(shard_size=65536)
model_signing.signing.Config().use_elliptic_key_signer(private_key=sys.argv[2]).set_hashing_config(h).sign(sys.argv[1], sys.argv[3])
PY
check "model_signing sign (shards of 65536, stored as 65536.0) -> mlsc verify" ok \
  "$MLSC" -q verify "$model" --signature "$work/ms-shards.sig" --public-key "$work/p256.pub.pem"
if ms_api "$model" "$work/p256.pub.pem" "$work/ms-shards.sig" >"$work/out" 2>&1; then
  echo "note  model_signing verifies its own shard signature"
else
  echo "note  model_signing cannot verify its own shard signature: $(tail -1 "$work/out")"
fi

sig="$work/mlsc-blake2b.sig"
"$MLSC" -q sign "$model" --private-key "$work/p256.pem" --signature "$sig" --hash blake2b
if "$ms" verify key "$model" --public_key "$work/p256.pub.pem" --signature "$sig" >"$work/out" 2>&1; then
  echo "ok    mlsc sign (blake2b) -> model_signing verify"
else
  echo "note  mlsc sign (blake2b) -> model_signing verify: model_signing 1.1.1 cannot verify blake2b ($(tail -1 "$work/out" | cut -c1-120)…)"
fi

ms_sig="$work/ms-files.sig"
"$ms" sign key "$model" --private_key "$work/p256.pem" --signature "$ms_sig" >/dev/null
check "model_signing sign -> mlsc verify" ok \
  "$MLSC" -q verify "$model" --signature "$ms_sig" --public-key "$work/p256.pub.pem"
"$ms" sign key "$model" --private_key "$work/p384.pem" --signature "$work/ms-p384.sig" >/dev/null
check "model_signing sign (P-384) -> mlsc verify" ok \
  "$MLSC" -q verify "$model" --signature "$work/ms-p384.sig" --public-key "$work/p384.pub.pem"

printf '{"hidden": 9}' > "$model/config.json"
check "tampered: model_signing rejects the mlsc signature" fail \
  "$ms" verify key "$model" --public_key "$work/p256.pub.pem" --signature "$work/mlsc-p256-files.sig"
check "tampered: mlsc rejects the model_signing signature" fail \
  "$MLSC" -q verify "$model" --signature "$ms_sig" --public-key "$work/p256.pub.pem"

echo "$pass passed, $fail failed"
[[ "$fail" -eq 0 ]]
