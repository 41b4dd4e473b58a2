# The real node beside the simulated ones (sourced by lib.sh, not run): Debian's containerd and
# runc, the CNI bridge, and a kubelet built from the same Kubernetes module as the control plane.
# Everything it creates is named after this checkout (ID below), so checkouts on one machine do
# not meet: bridge ferry-<ID> with its own 10.x.y.0/24, cgroup root /ferry-<ID>, sockets in
# /run/ferry-<ID>/, state in .ferry/cluster/real/. docs/test-cluster.md describes it.
# shellcheck shell=bash

REAL_ID=$(printf '%s' "$STATE" | sha256sum | cut -c1-6)
REAL="$STATE/real"
REAL_RUN="/run/ferry-$REAL_ID"
REAL_BRIDGE="ferry-$REAL_ID"
REAL_CGROUP="ferry-$REAL_ID"
REAL_NODE=ferry-real-1
REAL_NET="$REAL/net.env"
REAL_SOCK="$REAL_RUN/containerd.sock"
REAL_LABEL=ferry.dev/node=real # label and taint (NoSchedule) of the real node

real_node_wanted() { [ "$REAL_NODES" = 1 ]; }

# real_node_check: what the real node needs on this machine, each missing part named.
real_node_check() {
  local missing=() c
  [ "$(id -u)" = 0 ] || die "the real node needs root (kubelet, containerd, network namespaces); set FERRY_CLUSTER_REAL_NODES=0 for simulated nodes only"
  for c in containerd containerd-shim-runc-v2 ctr runc umoci unshare ip mount findmnt pgrep; do
    command -v "$c" >/dev/null 2>&1 || missing+=("$c")
  done
  for c in bridge host-local loopback; do [ -x "/usr/lib/cni/$c" ] || missing+=("/usr/lib/cni/$c"); done
  [ ${#missing[@]} -eq 0 ] || die "the real node needs ${missing[*]}: run scripts/setup.sh (Debian: containerd runc containernetworking-plugins umoci busybox-static), or set FERRY_CLUSTER_REAL_NODES=0 for simulated nodes only"
  [ -d /sys/fs/cgroup ] || die "no /sys/fs/cgroup: the kubelet needs cgroups"
}

# The cgroup directories of our cgroup root, one per mounted hierarchy (v1: per controller).
real_cgroup_dirs() {
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    echo "/sys/fs/cgroup/$REAL_CGROUP"
  else
    local d
    for d in /sys/fs/cgroup/*/; do
      [ -f "$d/cgroup.procs" ] && [ "$d" != /sys/fs/cgroup/unified/ ] && echo "${d%/}/$REAL_CGROUP"
    done
  fi
}

# A free 10.x.y.0/24 for the bridge: x in 200..239 and y from the checkout's ID, then the next y
# until no address or route of this machine is in it.
real_pick_subnet() {
  local a=$((200 + 0x${REAL_ID:0:2} % 40)) b=$((0x${REAL_ID:2:2})) i used
  used=$( (ip -4 -o addr show; ip -4 route show) 2>/dev/null)
  for i in $(seq 0 255); do
    if ! grep -qE "(^|[^0-9.])10\.$a\.$(((b + i) % 256))\." <<<"$used"; then
      echo "10.$a.$(((b + i) % 256))"
      return 0
    fi
  done
  die "no free 10.$a.x.0/24 for the real node's bridge"
}

# real_node_start: called by up.sh once the API server answers; uses its spawn/wait_for/check.
real_node_start() {
  real_node_check
  local net gw api_port kubelet_port healthz_port
  if findmnt -rn -o TARGET | grep -qE "^($REAL|$REAL_RUN)(/|$)"; then
    die "mounts are left under $REAL or $REAL_RUN: stop the cluster first (scripts/cluster/down.sh)"
  fi
  rm -rf "$REAL" "$REAL_RUN"
  mkdir -p "$REAL"/{containerd,cni/net.d,cni/ipam,kubelet,pod-logs,var-lib-kubelet,var-log-containers,sysctl} "$REAL_RUN"
  net=$(real_pick_subnet)
  gw="$net.1"
  kubelet_port=$(free_port); taken="$taken$kubelet_port "
  healthz_port=$(free_port); taken="$taken$healthz_port "
  printf 'REAL_BRIDGE=%s\nREAL_SUBNET=%s\nREAL_GATEWAY=%s\nREAL_KUBELET_PORT=%s\nREAL_HEALTHZ_PORT=%s\nREAL_SOCK=%s\nREAL_NODE=%s\n' \
    "$REAL_BRIDGE" "$net.0/24" "$gw" "$kubelet_port" "$healthz_port" "$REAL_SOCK" "$REAL_NODE" >"$REAL_NET"

  # --- network: the bridge with the gateway address, set up before any pod so the host (and
  # PostgreSQL) can use the address at once; no default route in pods, no NAT, no forwarding.
  ip link add "$REAL_BRIDGE" type bridge
  ip addr add "$gw/24" dev "$REAL_BRIDGE"
  ip link set "$REAL_BRIDGE" up
  cat >"$REAL/cni/net.d/10-ferry.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "ferry-$REAL_ID",
  "plugins": [
    {
      "type": "bridge", "bridge": "$REAL_BRIDGE", "isGateway": false, "ipMasq": false, "hairpinMode": false,
      "ipam": { "type": "host-local", "dataDir": "$REAL/cni/ipam", "ranges": [[{ "subnet": "$net.0/24", "gateway": "$gw" }]] }
    }
  ]
}
EOF

  # --- cgroups: our own root in every hierarchy (cpuset needs its cpus and mems filled in).
  local d
  for d in $(real_cgroup_dirs); do
    mkdir -p "$d"
    if [ -f "$d/cpuset.cpus" ] && [ -z "$(cat "$d/cpuset.cpus")" ]; then
      cat "$(dirname "$d")/cpuset.cpus" >"$d/cpuset.cpus"
      cat "$(dirname "$d")/cpuset.mems" >"$d/cpuset.mems"
    fi
  done

  # --- containerd: own root, state and sockets; images only from the local import (any pull
  # goes to a proxy address that refuses at once, so nothing outside is ever asked).
  cat >"$REAL/containerd/config.toml" <<EOF
version = 2
root = "$REAL/containerd/root"
state = "$REAL_RUN/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$REAL_SOCK"
[ttrpc]
  address = "$REAL_SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$REAL/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "ferry.local/pause:1"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  # pods' oom_score_adj may not go below ours: this sandbox lacks CAP_SYS_RESOURCE
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$REAL_RUN/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$REAL/cni/net.d"
    max_conf_num = 1
EOF
  say "[$(since)] starting containerd $(containerd --version | awk '{print $3}') (socket $REAL_SOCK)"
  spawn containerd env HTTP_PROXY=http://127.0.0.1:1 HTTPS_PROXY=http://127.0.0.1:1 NO_PROXY= \
    containerd --config "$REAL/containerd/config.toml" --log-level warn
  real_wait containerd 20 ctr --address "$REAL_SOCK" version
  bash "$CLUSTER_ROOT/images/build.sh" --import "$REAL_SOCK" >/dev/null

  # --- kubelet: its own client certificate (system:node:<name>), cgroupfs, the bridge's gateway
  # as its address. It runs in a mount namespace of its own where the kernel settings it would
  # otherwise change for the whole machine (vm.overcommit_memory, kernel.panic…) read as the
  # values it wants, and /var/lib/kubelet and /var/log/containers are this checkout's; its root
  # dir is a shared mount, so the volumes it mounts there are seen by containerd and runc.
  real_node_cert
  api_port=$API_PORT
  cat >"$REAL/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: ferry-test
  cluster: {server: "https://127.0.0.1:$api_port", certificate-authority: "$PKI/ca.crt"}
users:
- name: $REAL_NODE
  user: {client-certificate: "$PKI/kubelet.crt", client-key: "$PKI/kubelet.key"}
contexts:
- name: kubelet
  context: {cluster: ferry-test, user: $REAL_NODE}
current-context: kubelet
EOF
  cat >"$REAL/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $gw
port: $kubelet_port
healthzBindAddress: 127.0.0.1
healthzPort: $healthz_port
readOnlyPort: 0
containerRuntimeEndpoint: unix://$REAL_SOCK
cgroupDriver: cgroupfs
cgroupRoot: /$REAL_CGROUP
failCgroupV1: false
failSwapOn: false
makeIPTablesUtilChains: false
hairpinMode: none
clusterDNS: [$gw]
clusterDomain: cluster.local
resolvConf: ""
podLogsDirectory: $REAL/pod-logs
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
registerWithTaints:
- {key: ferry.dev/node, value: real, effect: NoSchedule}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%}
serializeImagePulls: false
shutdownGracePeriod: 0s
EOF
  printf '1\n' >"$REAL/sysctl/overcommit_memory"
  printf '0\n' >"$REAL/sysctl/panic_on_oom"
  printf '10\n' >"$REAL/sysctl/panic"
  printf '1\n' >"$REAL/sysctl/panic_on_oops"
  mkdir -p /var/lib/kubelet /var/log/containers
  mount --bind "$REAL/kubelet" "$REAL/kubelet"
  mount --make-shared "$REAL/kubelet"
  say "[$(since)] starting kubelet $K8S_VERSION as node $REAL_NODE on $gw (bridge $REAL_BRIDGE, pods in $net.0/24)"
  # shellcheck disable=SC2016 # $R and $0/$@ are the inner shell's
  spawn kubelet unshare --mount --propagation unchanged -- env R="$REAL" sh -ec '
    mount --bind "$R/sysctl/overcommit_memory" /proc/sys/vm/overcommit_memory
    mount --bind "$R/sysctl/panic_on_oom" /proc/sys/vm/panic_on_oom
    mount --bind "$R/sysctl/panic" /proc/sys/kernel/panic
    mount --bind "$R/sysctl/panic_on_oops" /proc/sys/kernel/panic_on_oops
    mount --bind "$R/var-lib-kubelet" /var/lib/kubelet
    mount --bind "$R/var-log-containers" /var/log/containers
    exec "$0" "$@"' "$CLUSTER_BIN/kubelet" --config="$REAL/kubelet.yaml" --kubeconfig="$REAL/kubeconfig" \
    --root-dir="$REAL/kubelet" --cert-dir="$REAL/kubelet-pki" --hostname-override="$REAL_NODE" \
    --node-ip="$gw" --node-labels="$REAL_LABEL" --v=1
  real_wait kubelet 60 real_node_ready
  say "[$(since)] node $REAL_NODE Ready"
}

# real_wait NAME SECONDS CMD...: until CMD succeeds; fails at once, with NAME's log, if NAME exits.
real_wait() {
  local name=$1 secs=$2 i pid; shift 2
  pid=$(sed -n "s/^$name //p" "$PIDS_FILE")
  for i in $(seq 1 $((secs * 5))); do
    "$@" >/dev/null 2>&1 && return 0
    pid_is_ours "$pid" || { tail -n 20 "$LOGS/$name.log" >&2; die "$name exited (log: $LOGS/$name.log)"; }
    sleep 0.2
  done
  tail -n 20 "$LOGS/$name.log" >&2
  die "timed out after ${secs}s waiting for $name (log: $LOGS/$name.log)"
}

real_node_ready() {
  [ "$(kctl get node "$REAL_NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].reason}')" = KubeletReady ]
}

# The kubelet's client certificate, signed by the cluster CA; kept with the PKI.
real_node_cert() {
  [ -f "$PKI/kubelet.crt" ] && return 0
  (
    cd "$PKI"
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out kubelet.key 2>/dev/null
    openssl req -new -key kubelet.key -subj "/O=system:nodes/CN=system:node:$REAL_NODE" -out kubelet.csr
    printf 'keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' >kubelet.ext
    openssl x509 -req -in kubelet.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile kubelet.ext -out kubelet.crt 2>/dev/null
    rm -f kubelet.csr kubelet.ext
  )
}

# "pid name" of this checkout's kubelet, containerd, shims and runc: candidates from pgrep, each
# checked by its executable's name and by an argument under our state or run directory.
real_node_procs() {
  local pid exe
  for pid in $(pgrep -f -- "$REAL/|$REAL_RUN/" || true); do
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || continue
    case "${exe##*/}" in
      kubelet | containerd | containerd-shim-runc-v2 | runc)
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -e "$REAL/" -e "$REAL_RUN/" && echo "$pid ${exe##*/}" ;;
    esac
  done
  return 0
}

# Pids in our cgroup root: the pods' processes.
real_cgroup_pids() {
  local d
  for d in $(real_cgroup_dirs); do
    [ -d "$d" ] && find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null
  done
  return 0
}

# real_kill PID...: KILL and wait until they have exited.
real_kill() {
  [ $# -gt 0 ] || return 0
  kill -KILL "$@" 2>/dev/null || true
  kill_wait 5 "$@"
}

# real_node_stop: stops the kubelet, every container of this node, containerd and its shims, and
# removes what they left in the machine (mounts, network namespaces, the bridge, the cgroups).
# Safe when nothing runs. Each `up` starts the node afresh (images are imported again).
real_node_stop() {
  local pids=() d ns net="" procs
  procs=$(real_node_procs)
  # the kubelet first, so it restarts nothing: the recorded one and any of ours still running.
  # KILL throughout: the node goes away with the cluster and `up` starts it afresh, so there is
  # nothing to shut down gracefully.
  mapfile -t pids < <({
    [ -f "$PIDS_FILE" ] && sed -n 's/^kubelet //p' "$PIDS_FILE"
    awk '$2 == "kubelet" {print $1}' <<<"$procs"
  } | sort -un | while read -r pid; do pid_is_ours "$pid" && echo "$pid"; done)
  real_kill "${pids[@]}"
  # then the pods' processes, the shims and runc, then containerd
  mapfile -t pids < <({ real_cgroup_pids; awk '$2 != "kubelet" && $2 != "containerd" {print $1}' <<<"$procs"; } | sort -un)
  real_kill "${pids[@]}"
  mapfile -t pids < <(awk '$2 == "containerd" {print $1}' <<<"$procs")
  real_kill "${pids[@]}"
  # network namespaces of our pods: those with an address in our subnet
  [ -f "$REAL_NET" ] && net=$(sed -n 's/^REAL_SUBNET=\(.*\)\.0\/24$/\1/p' "$REAL_NET")
  if [ -n "$net" ] && [ -d /run/netns ]; then
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
      ip -n "$ns" -4 -o addr show 2>/dev/null | grep -qF " $net." && ip netns delete "$ns" 2>/dev/null
    done
  fi
  # mounts under our state and run dirs, deepest first
  { findmnt -rn -o TARGET | grep -E "^($REAL|$REAL_RUN)(/|$)" || true; } | sort -r | while read -r d; do
    umount "$d" 2>/dev/null || umount -l "$d" 2>/dev/null || say "could not unmount $d"
  done
  ip link show "$REAL_BRIDGE" >/dev/null 2>&1 && ip link delete "$REAL_BRIDGE"
  local i
  for i in $(seq 1 50); do # cgroups go once their last (killed) process has exited
    for d in $(real_cgroup_dirs); do
      [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
    done
    [ -z "$(for d in $(real_cgroup_dirs); do [ -d "$d" ] && echo "$d"; done)" ] && break
    sleep 0.1
  done
  rm -rf "$REAL_RUN"
  return 0
}
