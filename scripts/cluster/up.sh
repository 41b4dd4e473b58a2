#!/usr/bin/env bash
# Starts the test cluster on 127.0.0.1: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler and kwok (simulated kubelets), each started directly from the cached binaries,
# then FERRY_CLUSTER_NODES (default 3) simulated Nodes, and (FERRY_CLUSTER_REAL_NODES=1, the
# default) one real node: containerd + a kubelet (real-node.sh). Waits for /readyz, Ready nodes
# and the `default` ServiceAccount. Writes .ferry/cluster/{kubeconfig,pids,ports,logs/,real/}.
# Idempotent: a healthy cluster is left alone (exit 0). Anything left by a killed run (stale
# pids, half-started processes) is stopped first. `up.sh --status` only checks: 0 = healthy.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" = --status ]; then
  if cluster_healthy; then say "up: API https://127.0.0.1:$API_PORT, kubeconfig $KUBECONFIG_FILE"; exit 0; fi
  say "not running"; exit 1
fi

binaries_installed || die "binaries missing in $CLUSTER_BIN: run scripts/cluster/install.sh (npm run cluster:install)"
command -v openssl >/dev/null || die "openssl not found (apt-get install openssl)"
command -v curl >/dev/null || die "curl not found (apt-get install curl)"
if real_node_wanted; then real_node_check; fi

mkdir -p "$STATE"
exec 9>"$STATE/lock"
flock -w 120 9 || die "another cluster up/down holds $STATE/lock"

if cluster_healthy; then
  say "already up and healthy"
  usage_hint
  exit 0
fi

T0=$(date +%s%N)
since() { echo "$(( ($(date +%s%N) - T0) / 1000000 ))ms"; }

stop_all # whatever a killed run left behind
rm -rf "$STATE/etcd" "$LOGS" "$KUBECONFIG_FILE" "$PORTS_FILE"
mkdir -p "$LOGS" "$STATE/kwok-home"
ln -sfn "$CLUSTER_BIN" "$STATE/bin" # tests and people find kubectl at .ferry/cluster/bin/kubectl

# --- PKI: one CA; a serving cert for the API server; one system:masters client cert shared by
# the user, the controllers and kwok; an EC key pair for service-account tokens. Kept across runs.
if [ ! -f "$PKI/admin.crt" ]; then
  say "generating PKI in $PKI"
  rm -rf "$PKI"; mkdir -p "$PKI"
  (
    cd "$PKI"
    key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
    key ca.key
    openssl req -x509 -new -key ca.key -subj "/CN=ferry-test-ca" -days 3650 -out ca.crt \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    sign() { # NAME SUBJECT EXTENSIONS
      key "$1.key"
      openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
      printf '%s\n' "$3" >"$1.ext"
      openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
        -extfile "$1.ext" -out "$1.crt" 2>/dev/null
      rm -f "$1.csr" "$1.ext"
    }
    sign apiserver "/CN=kube-apiserver" "keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
    sign admin "/O=system:masters/CN=ferry-admin" "keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
    key sa.key
    openssl pkey -in sa.key -pubout -out sa.pub
  )
fi

# --- Ports: free loopback ports, chosen afresh each start.
taken=" "
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 12000)) # below the kernel's ephemeral range (32768+)
    case "$taken" in *" $p "*) continue ;; esac
    if [ -z "$(ss -Htln "sport = :$p" 2>/dev/null)" ]; then taken="$taken$p "; echo "$p"; return 0; fi
  done
  die "no free port found"
}
ETCD_PORT=$(free_port); taken="$taken$ETCD_PORT "
ETCD_PEER_PORT=$(free_port); taken="$taken$ETCD_PEER_PORT "
API_PORT=${FERRY_CLUSTER_API_PORT:-$(free_port)}; taken="$taken$API_PORT "
KCM_PORT=$(free_port); taken="$taken$KCM_PORT "
SCHED_PORT=$(free_port)
printf 'ETCD_PORT=%s\nETCD_PEER_PORT=%s\nAPI_PORT=%s\nKCM_PORT=%s\nSCHED_PORT=%s\n' \
  "$ETCD_PORT" "$ETCD_PEER_PORT" "$API_PORT" "$KCM_PORT" "$SCHED_PORT" >"$PORTS_FILE"

# --- kubeconfig (certs embedded, so the file alone is enough).
b64() { base64 -w0 <"$1"; }
cat >"$KUBECONFIG_FILE" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: ferry-test
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $(b64 "$PKI/ca.crt")
users:
- name: ferry-admin
  user:
    client-certificate-data: $(b64 "$PKI/admin.crt")
    client-key-data: $(b64 "$PKI/admin.key")
contexts:
- name: ferry-test
  context: {cluster: ferry-test, user: ferry-admin, namespace: default}
current-context: ferry-test
EOF
chmod 600 "$KUBECONFIG_FILE"

# spawn NAME CMD...: own session (survives the caller's Ctrl-C), no inherited fds, pid recorded.
: >"$PIDS_FILE"
spawn() {
  local name=$1; shift
  setsid "$@" </dev/null >"$LOGS/$name.log" 2>&1 9>&- &
  echo "$name $!" >>"$PIDS_FILE"
}

wait_for() { # WHAT SECONDS CMD...
  local what=$1 secs=$2 i; shift 2
  for i in $(seq 1 $((secs * 5))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  say "timed out after ${secs}s waiting for $what; last log lines:"
  tail -n 15 "$LOGS"/*.log >&2 || true
  die "cluster did not come up (logs in $LOGS); stop leftovers with scripts/cluster/down.sh"
}
alive() { local name pid; while read -r name pid; do pid_is_ours "$pid" || { say "$name exited"; return 1; }; done <"$PIDS_FILE"; }
check() { alive && "$@"; }

say "starting etcd $ETCD_VERSION on 127.0.0.1:$ETCD_PORT"
spawn etcd "$CLUSTER_BIN/etcd" --name=ferry --data-dir="$STATE/etcd" \
  --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster="ferry=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls= \
  --unsafe-no-fsync --auto-compaction-retention=1 --quota-backend-bytes=2147483648 --log-level=warn
wait_for "etcd /health" 20 check curl -sf --max-time 2 "http://127.0.0.1:$ETCD_PORT/health"

say "[$(since)] starting kube-apiserver $K8S_VERSION on https://127.0.0.1:$API_PORT"
spawn kube-apiserver "$CLUSTER_BIN/kube-apiserver" \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" --bind-address=127.0.0.1 --advertise-address=127.0.0.1 \
  --secure-port="$API_PORT" --cert-dir="$STATE/apiserver" \
  --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" --client-ca-file="$PKI/ca.crt" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
  --service-cluster-ip-range=10.96.0.0/16 --authorization-mode=Node,RBAC --allow-privileged=true \
  --kubelet-preferred-address-types=InternalIP --kubelet-client-certificate="$PKI/admin.crt" \
  --kubelet-client-key="$PKI/admin.key" \
  --profiling=false --v=1
api_ready() { [ "$(curl_api /readyz)" = ok ]; }
wait_for "kube-apiserver /readyz" 60 check api_ready

say "[$(since)] starting kube-controller-manager, kube-scheduler, kwok"
common=(--kubeconfig="$KUBECONFIG_FILE" --leader-elect=false --bind-address=127.0.0.1
  --authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics --kube-api-qps=200 --kube-api-burst=400 --profiling=false)
spawn kube-controller-manager "$CLUSTER_BIN/kube-controller-manager" "${common[@]}" --secure-port="$KCM_PORT" \
  --cert-dir="$STATE/kcm" --root-ca-file="$PKI/ca.crt" --service-account-private-key-file="$PKI/sa.key" \
  --use-service-account-credentials=false --service-cluster-ip-range=10.96.0.0/16 --v=1
spawn kube-scheduler "$CLUSTER_BIN/kube-scheduler" "${common[@]}" --secure-port="$SCHED_PORT" --v=1
stage_args=(--config="$CLUSTER_ROOT/scripts/cluster/kwok.yaml")
for f in "$CLUSTER_ROOT"/scripts/cluster/stages/*.yaml; do stage_args+=(--config="$f"); done
spawn kwok env HOME="$STATE/kwok-home" "$CLUSTER_BIN/kwok" --kubeconfig="$KUBECONFIG_FILE" \
  --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake "${stage_args[@]}" --node-lease-duration-seconds=40 --cidr=10.244.0.0/16

nodes_yaml() {
  local i
  for i in $(seq 1 "$NODES"); do
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: ferry-node-$i
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {type: kwok, kubernetes.io/hostname: ferry-node-$i, kubernetes.io/os: linux, kubernetes.io/arch: amd64}
EOF
  done
}
nodes_yaml | kctl apply -f - >/dev/null
nodes_ready() { [ "$(kctl get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True)" -ge "$NODES" ]; }
wait_for "$NODES Ready nodes" 60 check nodes_ready
say "[$(since)] $NODES nodes Ready"
wait_for "ServiceAccount default/default" 60 check kctl get serviceaccount default -n default
wait_for "kube-controller-manager /healthz" 30 check curl -skf --max-time 2 "https://127.0.0.1:$KCM_PORT/healthz"
wait_for "kube-scheduler /healthz" 30 check curl -skf --max-time 2 "https://127.0.0.1:$SCHED_PORT/healthz"
if real_node_wanted; then real_node_start; fi
say "[$(since)] cluster ready"
usage_hint
