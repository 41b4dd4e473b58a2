#!/usr/bin/env bash
# Builds kompose from its Go module at a pinned version, for bench/import.ts's comparison only, and
# caches it in ${FERRY_CACHE:-$HOME/.cache/ferry}/kompose/<version>/kompose (skipped when cached).
# Prints the binary's path on stdout. Exits 2 with the reason when it cannot be built (no Go, or
# the module proxy does not serve github.com/kubernetes/kompose — the case on the build machine).
set -euo pipefail

KOMPOSE_VERSION="${KOMPOSE_VERSION:-v1.34.0}"
CACHE="${FERRY_CACHE:-$HOME/.cache/ferry}"
DEST="$CACHE/kompose/$KOMPOSE_VERSION"
BIN="$DEST/kompose"

if [ -x "$BIN" ]; then
  echo "$BIN"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "kompose/install: Go is not installed; bench/import.ts runs without the kompose comparison" >&2
  exit 2
fi
mkdir -p "$DEST"
tmp="$(mktemp -d "$DEST/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "kompose/install: building kompose $KOMPOSE_VERSION" >&2
if ! GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN="$tmp" nice -n 10 \
  go install -trimpath -ldflags "-s -w" "github.com/kubernetes/kompose@$KOMPOSE_VERSION" >&2; then
  echo "kompose/install: could not build github.com/kubernetes/kompose@$KOMPOSE_VERSION (is it served by your GOPROXY?)" >&2
  exit 2
fi
mv "$tmp/kompose" "$BIN"
echo "$BIN"
