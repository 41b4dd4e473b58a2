#!/usr/bin/env bash
# Builds the pinned test-cluster binaries from their Go modules (the Go module proxy is the only
# source; no release downloads) into ${FERRY_CACHE:-~/.cache/ferry}/cluster/<versions>/bin/:
# kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kubelet (one `go build`), etcd, kwok.
# Skips what is already there. The throwaway Go modules, GOMODCACHE and GOCACHE live in the cache
# dir too; the Go caches are removed after a complete build (FERRY_KEEP_GO_CACHE=1 keeps them).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if binaries_installed; then
  say "binaries for $CLUSTER_KEY already in $CLUSTER_BIN"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "go not found on PATH: Go >= $K8S_GO_LINE is needed to build the test cluster (apt/golang or https://go.dev/dl)"
GO_VER=$(GOTOOLCHAIN=local go env GOVERSION) || die "could not run 'go env GOVERSION'"
if ! printf '%s\n%s\n' "go$K8S_GO_LINE" "$GO_VER" | sort -V -C; then
  die "found $GO_VER; building Kubernetes $K8S_VERSION needs Go >= $K8S_GO_LINE"
fi

mkdir -p "$CLUSTER_HOME/src" "$CLUSTER_BIN"
exec 9>"$CLUSTER_HOME/.install.lock"
flock 9
if binaries_installed; then say "binaries for $CLUSTER_KEY were built meanwhile"; exit 0; fi

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
export GOMODCACHE="$CLUSTER_CACHE/go/mod" GOCACHE="$CLUSTER_CACHE/go/build"
START=$(date +%s)
elapsed() { echo "$(($(date +%s) - START))s"; }

# new_module DIR NAME: an empty throwaway module with the k8s go/godebug lines.
new_module() {
  mkdir -p "$1"
  printf 'module ferry.local/%s\n\ngo %s\n\ngodebug default=go1.26\n' "$2" "$K8S_GO_LINE" >"$1/go.mod"
  rm -f "$1/go.sum"
}

build_k8s() {
  local dir="$CLUSTER_HOME/src/k8s" gomod staging m p ldf="-s -w" out=() c
  for c in kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet; do
    [ -x "$CLUSTER_BIN/$c" ] || out+=("$c")
  done
  [ ${#out[@]} -gt 0 ] || return 0
  say "[$(elapsed)] downloading k8s.io/kubernetes@$K8S_VERSION"
  gomod=$(cd /tmp && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^\s*"GoMod": "\(.*\)",$/\1/p')
  [ -f "$gomod" ] || die "go mod download k8s.io/kubernetes@$K8S_VERSION failed"
  # k8s.io/kubernetes requires its staging modules at v0.0.0 with `=> ./staging/...`; a consumer
  # must point each at its published v0.x tag.
  staging=$(sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$gomod")
  [ -n "$staging" ] || die "no staging modules found in $gomod"
  new_module "$dir" k8sbuild
  {
    echo "replace ("
    for m in $staging; do echo "	$m => $m $K8S_STAGING_VERSION"; done
    echo ")"
  } >>"$dir/go.mod"
  say "[$(elapsed)] resolving dependencies of ${out[*]}"
  local tools=()
  for c in "${out[@]}"; do tools+=("k8s.io/kubernetes/cmd/$c@$K8S_VERSION"); done
  (cd "$dir" && go get -tool "${tools[@]}" >"$dir/get.log" 2>&1) || { tail -20 "$dir/get.log" >&2; die "go get failed (log: $dir/get.log)"; }
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldf="$ldf -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=$(echo "$K8S_VERSION" | cut -d. -f1 | tr -d v)"
    ldf="$ldf -X $p.gitMinor=$(echo "$K8S_VERSION" | cut -d. -f2) -X $p.gitTreeState=clean"
    ldf="$ldf -X $p.buildDate=$K8S_BUILD_DATE -X $p.gitCommit=module-$K8S_VERSION"
  done
  local pkgs=()
  for c in "${out[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  say "[$(elapsed)] building ${out[*]} (the long part: ~7-12 min on 2 cores when cold)"
  mkdir -p "$dir/out"
  (cd "$dir" && go build -p 2 -trimpath -ldflags "$ldf" -o "$dir/out/" "${pkgs[@]}") \
    || die "go build of ${out[*]} failed (command run in $dir)"
  for c in "${out[@]}"; do mv -f "$dir/out/$c" "$CLUSTER_BIN/$c"; done
  "$CLUSTER_BIN/kube-apiserver" --version | grep -qF "Kubernetes $K8S_VERSION" \
    || die "kube-apiserver --version does not report $K8S_VERSION"
}

build_one() { # NAME MODULE_PKG VERSION LDFLAGS
  local name=$1 pkg=$2 ver=$3 ldf=$4 dir="$CLUSTER_HOME/src/$1"
  [ -x "$CLUSTER_BIN/$name" ] && return 0
  say "[$(elapsed)] building $name from $pkg@$ver"
  new_module "$dir" "${name}build"
  (cd "$dir" && go get -tool "$pkg@$ver" >"$dir/get.log" 2>&1) || { tail -20 "$dir/get.log" >&2; die "go get $pkg@$ver failed"; }
  (cd "$dir" && go build -p 2 -trimpath -ldflags "$ldf" -o "$dir/$name" "$pkg") || die "go build $pkg failed (in $dir)"
  mv -f "$dir/$name" "$CLUSTER_BIN/$name"
}

say "building test-cluster binaries $CLUSTER_KEY into $CLUSTER_BIN with $GO_VER"
build_k8s
build_one etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" "-s -w"
build_one kwok sigs.k8s.io/kwok/cmd/kwok "$KWOK_VERSION" "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}"
binaries_installed || die "some binaries are missing from $CLUSTER_BIN"

if [ "${FERRY_KEEP_GO_CACHE:-}" != 1 ]; then
  say "[$(elapsed)] removing the Go build and module caches (set FERRY_KEEP_GO_CACHE=1 to keep them)"
  go clean -cache -modcache >/dev/null 2>&1 || chmod -R u+w "$CLUSTER_CACHE/go"
  rm -rf "$CLUSTER_CACHE/go"
fi
say "[$(elapsed)] done: $(du -sh "$CLUSTER_BIN" | cut -f1) in $CLUSTER_BIN"
