#!/usr/bin/env bash
# Install the Debian packages Xianfeng needs, but only those that are missing.
# Usage: scripts/apt_deps.sh [--pg] [--bench]
#   --pg     also install postgresql (for `make test-pg`)
#   --bench  also install wrk, the HTTP load generator of `make bench` (benchmarks/load.py)
set -euo pipefail

PKGS=(redis-server chromium fonts-wqy-zenhei)
for arg in "$@"; do
    case "$arg" in
        --pg) PKGS+=(postgresql) ;;
        --bench) PKGS+=(wrk) ;;
        *) echo "apt_deps: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

missing=()
for p in "${PKGS[@]}"; do
    if ! dpkg -s "$p" >/dev/null 2>&1 \
        || ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then
        missing+=("$p")
    fi
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
    SUDO="sudo"
fi

echo "apt_deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" >/dev/null
