#!/usr/bin/env bash
# npm run demo [-- <version>]: ANNA Money's three services (examples/anna) deployed end to end to
# their `test` environment on the local cluster — provision (PostgreSQL), migrate, apply, track,
# crons, checks, notify — then `ferry status`. Their pods run on the simulated (kwok) nodes.
# Then one real service on the cluster's real node (images/demo-app/ferry: kubelet + containerd,
# a migration that changes PostgreSQL, real probes) and a curl of its URL. Brings up the local
# cluster and PostgreSQL when they are not running and leaves them up for you to look around
# (npm run cluster:down to stop).
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-1.0.0}"

echo "demo: local cluster…" >&2
kubeconfig="$(bash scripts/cluster/ensure.sh | sed -n 1p)" # sed reads it all: no SIGPIPE
echo "demo: PostgreSQL…" >&2
pg_url="$(bash scripts/postgres/ensure.sh | sed -n 1p)"
echo "demo: build…" >&2
npm run --silent build

context="$(sed -n 's/^current-context: *//p' "$kubeconfig")"
mkdir -p .ferry/demo
export KUBECONFIG="$kubeconfig"
export FERRY_STATE="$PWD/.ferry/demo/state.db"
# examples/anna's platform file reads the admin URL from this variable
export ANNA_TEST_POSTGRES_ADMIN_URL="$pg_url"

bin/ferry -C examples/anna deploy "account:$version" "document:$version" "hcn:$version" --env test --context "$context"
echo
bin/ferry -C examples/anna status --env test --context "$context"
echo
echo "history: KUBECONFIG=$kubeconfig FERRY_STATE=$FERRY_STATE bin/ferry -C examples/anna history account --env test" >&2

# --- one real service, on the real node (unless the cluster runs without it)
if [ ! -f .ferry/cluster/real/net.env ] || [ ! -f .ferry/postgres/url-pods ]; then
  echo "demo: no real node (FERRY_CLUSTER_REAL_NODES=0?): skipping the real service" >&2
  exit 0
fi
case "$version" in 1.0.0 | 2.0.0) real_version=$version ;; *) real_version=1.0.0 ;; esac
real_db=hello real_table="release_${real_version//./_}" # images/demo-app/bin/migrate's table
echo
echo "demo: a real service on the real node: images/demo-app/ferry (hello:$real_version)" >&2
export REAL_DEMO_POSTGRES_ADMIN_URL="$(cat .ferry/postgres/url-pods)"
bin/ferry -C images/demo-app/ferry deploy "hello:$real_version" --env local --context "$context"
kubectl=(.ferry/cluster/bin/kubectl --kubeconfig "$kubeconfig" -n real-demo)
pod_ip="$("${kubectl[@]}" get pods -l app.kubernetes.io/name=hello,app.kubernetes.io/component=web \
  --field-selector=status.phase=Running -o jsonpath='{.items[0].status.podIP}')"
echo
"${kubectl[@]}" get pods -o wide
echo
echo "\$ curl http://$pod_ip:8080/"
curl -sS --max-time 5 "http://$pod_ip:8080/"
echo "\$ curl -H 'X-Forwarded-For: 203.0.113.7' http://$pod_ip:8080/cgi-bin/headers"
curl -sS --max-time 5 -H 'X-Forwarded-For: 203.0.113.7' "http://$pod_ip:8080/cgi-bin/headers"
echo "\$ psql ${pg_url%/postgres}/$real_db -c 'SELECT * FROM $real_table'   # what the migration container did"
"${FERRY_PG_BIN:-/usr/lib/postgresql/15/bin}/psql" "${pg_url%/postgres}/$real_db" -c "SELECT * FROM $real_table"
