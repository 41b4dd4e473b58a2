#!/usr/bin/env bash
# Used by the test command: builds the binaries if they are not cached, starts the cluster if it
# is not up. Progress goes to stderr. stdout gets the kubeconfig path and then, as its LAST line,
# `started` when this run started the cluster (the caller then stops it with down.sh) or
# `running` when it was already up. Exit 0 = cluster usable; non-zero = it could not be had.
# With FERRY_TEST_KUBECONFIG set, nothing is built or started: that cluster is used as it is.
# The calling process ($PPID, e.g. scripts/run-tests.mjs) is recorded as a user of the cluster;
# down.sh run by another process leaves the cluster up while a recorded user is still alive, so
# two test runs in one checkout do not pull the cluster from under each other.
set -euo pipefail
dir="$(dirname "$0")"
. "$dir/lib.sh"
if [ -n "${FERRY_TEST_KUBECONFIG:-}" ]; then
  [ -f "$FERRY_TEST_KUBECONFIG" ] || die "FERRY_TEST_KUBECONFIG=$FERRY_TEST_KUBECONFIG: no such file"
  echo "$FERRY_TEST_KUBECONFIG"
  echo running
  exit 0
fi
bash "$dir/install.sh" >&2
mkdir -p "$USERS_DIR" && tr '\0' ' ' <"/proc/$PPID/cmdline" >"$USERS_DIR/$PPID" 2>/dev/null || true
if bash "$dir/up.sh" --status 2>/dev/null; then
  echo "$KUBECONFIG_FILE"
  echo running
  exit 0
fi
bash "$dir/up.sh" >&2
echo "$KUBECONFIG_FILE"
echo started
