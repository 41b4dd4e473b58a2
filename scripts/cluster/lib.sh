# Shared by scripts/cluster/*.sh (sourced, not run): pinned versions, paths, process bookkeeping.
# shellcheck shell=bash

# Pinned versions. Changing one changes the cache key, so the next install builds afresh.
K8S_VERSION=v1.36.3     # k8s.io/kubernetes; staging modules are replaced with v0.36.3
K8S_STAGING_VERSION=v0.36.3
K8S_GO_LINE=1.26.0      # the `go` line of k8s.io/kubernetes@v1.36.3's go.mod
K8S_BUILD_DATE=2026-07-22T18:07:38Z # the proxy's publish time of that version: reproducible stamp
KWOK_VERSION=v0.8.0     # sigs.k8s.io/kwok
ETCD_VERSION=v3.6.16    # go.etcd.io/etcd/server/v3

CLUSTER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLUSTER_CACHE="${FERRY_CACHE:-$HOME/.cache/ferry}/cluster"
CLUSTER_KEY="$K8S_VERSION-$KWOK_VERSION-$ETCD_VERSION"
CLUSTER_HOME="$CLUSTER_CACHE/$CLUSTER_KEY"
CLUSTER_BIN="$CLUSTER_HOME/bin"
CLUSTER_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet etcd kwok)

STATE="$CLUSTER_ROOT/.ferry/cluster"
PKI="$STATE/pki"
LOGS="$STATE/logs"
PIDS_FILE="$STATE/pids"
PORTS_FILE="$STATE/ports"
KUBECONFIG_FILE="$STATE/kubeconfig"
USERS_DIR="$STATE/users"
NODES="${FERRY_CLUSTER_NODES:-3}"
REAL_NODES="${FERRY_CLUSTER_REAL_NODES:-1}" # 1: one real node (kubelet + containerd) beside them
case "$REAL_NODES" in 0 | 1) ;; *) printf 'cluster: error: FERRY_CLUSTER_REAL_NODES=%s: give 0 or 1\n' "$REAL_NODES" >&2; exit 1 ;; esac

say() { printf 'cluster: %s\n' "$*" >&2; }
die() { printf 'cluster: error: %s\n' "$*" >&2; exit 1; }

binaries_installed() {
  local b
  for b in "${CLUSTER_BINARIES[@]}"; do [ -x "$CLUSTER_BIN/$b" ] || return 1; done
}

# A recorded pid counts as ours only while it is alive and its command line names our state dir
# (every process we start gets a path under $STATE as an argument), so a reused pid is never hit.
pid_is_ours() {
  local pid=$1
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$STATE/"
}

# Pids to stop: those recorded, plus any process still running one of our binaries against this
# state dir (left behind when a killed `up` had not yet recorded it).
our_pids() {
  local name pid exe
  if [ -f "$PIDS_FILE" ]; then
    while read -r name pid; do
      [ -n "${pid:-}" ] && pid_is_ours "$pid" && echo "$pid"
    done <"$PIDS_FILE"
  fi
  for exe in /proc/[0-9]*/exe; do
    pid=${exe#/proc/}; pid=${pid%/exe}
    case "$(readlink "$exe" 2>/dev/null)" in
      "$CLUSTER_CACHE"/*/bin/*) pid_is_ours "$pid" && echo "$pid" ;;
    esac
  done
}

# kill_wait SECONDS PID...: TERM, wait up to SECONDS, then KILL and wait for exit.
kill_wait() {
  local secs=$1 pid i alive; shift
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  for i in $(seq 1 $((secs * 10 + 50))); do
    alive=()
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    [ ${#alive[@]} -eq 0 ] && return 0
    if [ "$i" = $((secs * 10)) ]; then
      say "still running after ${secs}s, killing: ${alive[*]}"
      kill -KILL "${alive[@]}" 2>/dev/null || true
    fi
    sleep 0.1
  done
  say "could not stop: ${alive[*]}"
  return 1
}

# Stops our processes clients first, then the API server, then etcd, so none of them sits in a
# graceful shutdown waiting on a peer that is already gone.
stop_all() {
  local pid tier clients=() api=() store=()
  real_node_stop # the kubelet, its pods and containerd, and what they left in the machine
  for pid in $(our_pids | sort -un); do
    tier=$(basename "$(readlink "/proc/$pid/exe" 2>/dev/null)")
    case "$tier" in
      kube-apiserver) api+=("$pid") ;;
      etcd) store+=("$pid") ;;
      *) clients+=("$pid") ;;
    esac
  done
  if [ $((${#clients[@]} + ${#api[@]} + ${#store[@]})) -gt 0 ]; then
    say "stopping pids ${clients[*]} ${api[*]} ${store[*]}"
    kill_wait 5 "${clients[@]}"
    kill_wait 10 "${api[@]}"
    kill_wait 10 "${store[@]}"
  fi
  rm -f "$PIDS_FILE"
}

# Live users recorded by ensure.sh, other than pid $1 (whose record is removed). Dead ones pruned.
other_users() {
  local f pid
  rm -f "$USERS_DIR/$1"
  for f in "$USERS_DIR"/*; do
    [ -e "$f" ] || continue
    pid=${f##*/}
    if kill -0 "$pid" 2>/dev/null; then echo "$pid"; else rm -f "$f"; fi
  done
}

load_ports() {
  [ -f "$PORTS_FILE" ] || return 1
  # shellcheck disable=SC1090
  . "$PORTS_FILE"
}

curl_api() {
  curl -sf --max-time 3 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "https://127.0.0.1:$API_PORT$1"
}

# Healthy: every recorded process alive and ours, and the API server's /readyz answers ok.
cluster_healthy() {
  local name pid n=0
  [ -f "$PIDS_FILE" ] && [ -f "$KUBECONFIG_FILE" ] && load_ports || return 1
  while read -r name pid; do
    pid_is_ours "$pid" || return 1
    n=$((n + 1))
  done <"$PIDS_FILE"
  [ "$n" -ge $((5 + 2 * REAL_NODES)) ] || return 1
  [ "$(curl_api /readyz)" = ok ]
}

kctl() { "$CLUSTER_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" "$@"; }

usage_hint() {
  local rel=${KUBECONFIG_FILE#"$CLUSTER_ROOT"/}
  say "ready: $NODES simulated nodes$(real_node_wanted && echo " and real node $REAL_NODE"), Kubernetes $K8S_VERSION, API https://127.0.0.1:$API_PORT"
  say "use it:  export KUBECONFIG=$KUBECONFIG_FILE   (kubectl: $CLUSTER_BIN/kubectl)"
  say "tests find it at $rel; stop it with: npm run cluster:down"
}

# shellcheck source=real-node.sh
. "$(dirname "${BASH_SOURCE[0]}")/real-node.sh"
