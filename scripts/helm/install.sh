#!/usr/bin/env bash
# Builds a real `helm` binary from its Go module at a pinned version and caches it outside the
# repository: ${FERRY_CACHE:-$HOME/.cache/ferry}/helm/<version>/helm. Skips the build when cached.
# Prints the binary's path on stdout (progress goes to stderr).
# Used by test/helm-template.test.ts to check that ferry's Helm chart renders the same objects as
# ferry's Kubernetes renderer.
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.20.2}"
CACHE="${FERRY_CACHE:-$HOME/.cache/ferry}"
DEST="$CACHE/helm/$HELM_VERSION"
BIN="$DEST/helm"

if [ -x "$BIN" ]; then
  echo "$BIN"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "helm/install: Go is not installed (needed to build helm $HELM_VERSION from helm.sh/helm/v3)." >&2
  echo "helm/install: install Go >= 1.24 (https://go.dev/dl/) or put a helm binary at $BIN" >&2
  exit 2
fi

mkdir -p "$DEST"
tmp="$(mktemp -d "$DEST/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "helm/install: building helm $HELM_VERSION with $(go version | cut -d' ' -f3) (a few minutes on a small machine)" >&2
GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN="$tmp" nice -n 10 \
  go install -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
  "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
mv "$tmp/helm" "$BIN"
echo "helm/install: $("$BIN" version --short)" >&2
echo "$BIN"
