#!/usr/bin/env bash
# Fetch the front-end assets (amis, vue, history) from the npm registry with
# `npm pack` and unpack each into DEST/<name@version>/. Idempotent: a package
# whose marker file DEST/<name@version>/.unpacked exists is skipped.
# Usage: scripts/fetch_assets.sh [DEST]   (default: vendor/assets)
set -euo pipefail

DEST="${1:-vendor/assets}"
PACKAGES=(amis@6.3.0 vue@2.7.14 vue@2.6.14 history@5.3.0)

mkdir -p "$DEST"
DEST="$(cd "$DEST" && pwd)"

TMP=""
cleanup() { if [[ -n "$TMP" ]]; then rm -rf "$TMP"; fi; }
trap cleanup EXIT

for pkg in "${PACKAGES[@]}"; do
    target="$DEST/$pkg"
    if [[ -f "$target/.unpacked" ]]; then
        continue
    fi
    [[ -n "$TMP" ]] || TMP="$(mktemp -d)"
    echo "fetch_assets: $pkg"
    # npm pack prints the tarball's file name as the last line of stdout.
    tgz="$(cd "$TMP" && npm pack --silent "$pkg" | tail -n 1)"
    if [[ -z "$tgz" || ! -f "$TMP/$tgz" ]]; then
        echo "fetch_assets: npm pack $pkg failed" >&2
        exit 1
    fi
    rm -rf "$target"
    mkdir -p "$target.partial"
    tar xzf "$TMP/$tgz" -C "$target.partial" --strip-components=1 --no-same-owner
    rm -f "$TMP/$tgz"
    touch "$target.partial/.unpacked"
    mv "$target.partial" "$target"
done
