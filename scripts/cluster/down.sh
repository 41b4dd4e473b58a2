#!/usr/bin/env bash
# Stops the test cluster started by up.sh: the pids recorded in .ferry/cluster/pids (and any
# leftover process of ours running against this checkout's .ferry/cluster), TERM then, after
# 15 s, KILL; waits until they have exited. Keeps the PKI; removes the kubeconfig and etcd data.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ -d "$STATE" ] || { say "not running"; exit 0; }
exec 9>"$STATE/lock"
flock -w 120 9 || die "another cluster up/down holds $STATE/lock"
if [ -z "$(our_pids)" ]; then
  say "not running"
else
  stop_all
  say "stopped"
fi
rm -rf "$KUBECONFIG_FILE" "$PORTS_FILE" "$STATE/etcd" "$PIDS_FILE"
