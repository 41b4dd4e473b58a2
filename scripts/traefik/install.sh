#!/usr/bin/env bash
# Builds a real Traefik v3 proxy from its Go module at a pinned version and caches it outside the
# repository, with the CRDs the cut-over tests install into the test cluster:
#   ${FERRY_CACHE:-$HOME/.cache/ferry}/traefik/<version>/traefik
#   ${FERRY_CACHE:-$HOME/.cache/ferry}/traefik/<version>/crds/traefik.yaml      (from the Traefik module)
#   ${FERRY_CACHE:-$HOME/.cache/ferry}/traefik/<version>/crds/gateway-api.yaml  (standard channel, from
#     sigs.k8s.io/gateway-api at the version Traefik's go.mod requires)
# Skips what is cached. Prints the cache folder on stdout (progress goes to stderr).
# `install.sh crds` fetches only the CRDs (seconds; the dry-run tests need no proxy).
# Traefik's go.mod carries replace directives (one to a folder inside the module), so
# `go install pkg@version` refuses it: the module is downloaded from the Go module proxy and built
# in a writable copy of itself, with its own go.mod and go.sum.
set -euo pipefail

TRAEFIK_VERSION="${TRAEFIK_VERSION:-v3.6.12}"
DEST="${FERRY_CACHE:-$HOME/.cache/ferry}/traefik/$TRAEFIK_VERSION"
say() { printf 'traefik/install: %s\n' "$*" >&2; }
die() { printf 'traefik/install: error: %s\n' "$*" >&2; exit 1; }

ONLY_CRDS=false
[ "${1:-}" = crds ] && ONLY_CRDS=true
if { $ONLY_CRDS || [ -x "$DEST/traefik" ]; } && [ -s "$DEST/crds/traefik.yaml" ] && [ -s "$DEST/crds/gateway-api.yaml" ]; then
  echo "$DEST"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  say "Go is not installed (needed to build Traefik $TRAEFIK_VERSION from github.com/traefik/traefik/v3)."
  say "install Go >= 1.26 (https://go.dev/dl/) or put a traefik binary and the CRDs in $DEST"
  exit 2
fi
mkdir -p "$DEST/crds"
exec 9>"$DEST/.install.lock"
flock 9
export GOTOOLCHAIN=local CGO_ENABLED=0
START=$(date +%s)
elapsed() { echo "$(($(date +%s) - START))s"; }

module_dir() { # MODULE@VERSION → the downloaded module's folder
  (cd /tmp && go mod download -json "$1" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
}

say "[$(elapsed)] downloading github.com/traefik/traefik/v3@$TRAEFIK_VERSION"
SRC=$(module_dir "github.com/traefik/traefik/v3@$TRAEFIK_VERSION")
[ -f "$SRC/go.mod" ] || die "go mod download github.com/traefik/traefik/v3@$TRAEFIK_VERSION failed"
cp "$SRC/docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml" "$DEST/crds/traefik.yaml"

GW_VERSION=$(sed -n 's#^\s*sigs.k8s.io/gateway-api \(v[0-9.]*\)$#\1#p' "$SRC/go.mod")
[ -n "$GW_VERSION" ] || die "no sigs.k8s.io/gateway-api requirement in $SRC/go.mod"
say "[$(elapsed)] Gateway API CRDs from sigs.k8s.io/gateway-api@$GW_VERSION (standard channel)"
GW=$(module_dir "sigs.k8s.io/gateway-api@$GW_VERSION")
[ -d "$GW/config/crd/standard" ] || die "no config/crd/standard in sigs.k8s.io/gateway-api@$GW_VERSION"
for f in "$GW"/config/crd/standard/*.yaml; do
  [ "$(basename "$f")" = kustomization.yaml ] && continue
  printf -- '---\n'; cat "$f"
done >"$DEST/crds/gateway-api.yaml.tmp"
mv "$DEST/crds/gateway-api.yaml.tmp" "$DEST/crds/gateway-api.yaml"

if $ONLY_CRDS; then
  echo "$DEST"
  exit 0
fi
if [ ! -x "$DEST/traefik" ]; then
  WORK=$(mktemp -d "$DEST/.build.XXXXXX")
  # shellcheck disable=SC2064 # expand now
  trap "chmod -R u+w '$WORK' 2>/dev/null; rm -rf '$WORK'" EXIT
  cp -r "$SRC/." "$WORK/src"
  chmod -R u+w "$WORK/src"
  say "[$(elapsed)] building traefik $TRAEFIK_VERSION with $(go env GOVERSION) (long: many packages; ~10-30 min on 2 busy cores)"
  (cd "$WORK/src" && nice -n 10 go build -p 2 -trimpath \
    -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION" \
    -o "$WORK/traefik" ./cmd/traefik) || die "go build of traefik failed (in $WORK/src)"
  mv "$WORK/traefik" "$DEST/traefik"
fi
say "[$(elapsed)] $("$DEST/traefik" version | head -1 | tr -s ' ')"
echo "$DEST"
