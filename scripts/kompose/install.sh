#!/usr/bin/env bash
# Builds kompose from its Go module at a pinned version, for bench/import.ts's comparison only, and
# caches it in ${FERRY_CACHE:-$HOME/.cache/ferry}/kompose/<version>/kompose (skipped when cached).
# Prints the binary's path on stdout. Exits 2 with the reason when it cannot be built (no Go, or
# the module proxy does not serve github.com/kubernetes/kompose — the case on the build machine).
set -euo pipefail
# shellcheck source=../lib/go-tool.sh
. "$(dirname "$0")/../lib/go-tool.sh"

KOMPOSE_VERSION="${KOMPOSE_VERSION:-v1.34.0}"
go_tool_cached kompose "$KOMPOSE_VERSION"

command -v go >/dev/null 2>&1 && echo "kompose/install: building kompose $KOMPOSE_VERSION" >&2
if ! go_tool_build kompose "$KOMPOSE_VERSION" \
  "kompose/install: Go is not installed; bench/import.ts runs without the kompose comparison" \
  -ldflags "-s -w" "github.com/kubernetes/kompose@$KOMPOSE_VERSION"; then
  echo "kompose/install: could not build github.com/kubernetes/kompose@$KOMPOSE_VERSION (is it served by your GOPROXY?)" >&2
  exit 2
fi
echo "$GO_TOOL_BIN"
