#!/usr/bin/env bash
# Builds a real `helm` binary from its Go module at a pinned version and caches it outside the
# repository: ${FERRY_CACHE:-$HOME/.cache/ferry}/helm/<version>/helm. Skips the build when cached.
# Prints the binary's path on stdout (progress goes to stderr).
# Used by test/helm-template.test.ts to check that ferry's Helm chart renders the same objects as
# ferry's Kubernetes renderer.
set -euo pipefail
# shellcheck source=../lib/go-tool.sh
. "$(dirname "$0")/../lib/go-tool.sh"

HELM_VERSION="${HELM_VERSION:-v3.20.2}"
go_tool_cached helm "$HELM_VERSION"

if command -v go >/dev/null 2>&1; then
  echo "helm/install: building helm $HELM_VERSION with $(go version | cut -d' ' -f3) (a few minutes on a small machine)" >&2
fi
go_tool_build helm "$HELM_VERSION" \
  "helm/install: Go is not installed (needed to build helm $HELM_VERSION from helm.sh/helm/v3).
helm/install: install Go >= 1.24 (https://go.dev/dl/) or put a helm binary at $(go_tool_bin helm "$HELM_VERSION")" \
  -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
  "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
echo "helm/install: $("$GO_TOOL_BIN" version --short)" >&2
echo "$GO_TOOL_BIN"
