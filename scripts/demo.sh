#!/usr/bin/env bash
# npm run demo [-- <version>]: ANNA Money's three services (examples/anna) deployed end to end to
# their `test` environment on the local cluster — provision (PostgreSQL), migrate, apply, track,
# crons, checks, notify — then `ferry status`. Brings up the local cluster and PostgreSQL when
# they are not running and leaves them up for you to look around (npm run cluster:down to stop).
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-1.0.0}"

echo "demo: local cluster…" >&2
kubeconfig="$(bash scripts/cluster/ensure.sh | head -1)"
echo "demo: PostgreSQL…" >&2
pg_url="$(bash scripts/postgres/ensure.sh | head -1)"
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
