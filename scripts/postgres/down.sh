#!/usr/bin/env bash
# Stops the throwaway PostgreSQL started by scripts/postgres/ensure.sh (keeps its data directory).
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA="$PWD/.ferry/postgres/data"
BIN="${FERRY_PG_BIN:-/usr/lib/postgresql/15/bin}"
[ -f "$DATA/postmaster.pid" ] || exit 0
if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
else "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
rm -f "$PWD/.ferry/postgres/url" "$PWD/.ferry/postgres/url-pods" "$PWD/.ferry/postgres/listen"
echo stopped
