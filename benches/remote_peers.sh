#!/usr/bin/env bash
# mlsc's remote scan against picklescan's and ModelAudit's remote modes, all pointed at the same local Hub
# emulator (a registry of 50 repositories): repositories per second, bytes served per repository, and the ratios.
# Usage: benches/remote_peers.sh [PEERS_VENV]   (default /work/venvs/peers: picklescan and modelaudit installed)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_INCREMENTAL=0
export MLSC_PEERS_VENV="${1:-/work/venvs/peers}"
export PROMPTFOO_DISABLE_TELEMETRY=1
cargo test -p mlsc-cli --test remote -- --ignored --nocapture bench_remote_peers 2>&1 \
  | grep -E '^(registry|mlsc |picklescan|modelaudit|test result)'
