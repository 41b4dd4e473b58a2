#!/usr/bin/env bash
# Stops the test cluster started by up.sh: the pids recorded in .ferry/cluster/pids (and any
# leftover process of ours running against this checkout's .ferry/cluster), TERM then, after
# 5-10 s, KILL; waits until they have exited. The real node's pods are killed and what its
# kubelet and containerd left in the machine (mounts, network namespaces, the bridge, cgroups) is
# removed. Keeps the PKI; removes the kubeconfig, etcd data and the real node's state.
# While another live process that ran ensure.sh still uses the cluster, it is left up unless
# --force is given (the caller's own record, $PPID, is dropped either way).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ -d "$STATE" ] || { say "not running"; exit 0; }
exec 9>"$STATE/lock"
flock -w 120 9 || die "another cluster up/down holds $STATE/lock"
users=$(other_users "$PPID" | tr '\n' ' ')
if [ -n "${users// /}" ] && [ "${1:-}" != --force ]; then
  say "left up: still used by test run(s) pid $users(down.sh --force stops it anyway)"
  exit 0
fi
if [ -z "$(our_pids)" ]; then
  real_node_stop # leftovers of a killed run: mounts, the bridge, cgroups
  say "not running"
else
  stop_all
  say "stopped"
fi
rm -rf "$KUBECONFIG_FILE" "$PORTS_FILE" "$STATE/etcd" "$PIDS_FILE"
findmnt -rn -o TARGET | grep -qE "^$REAL(/|$)" || rm -rf "$REAL"
