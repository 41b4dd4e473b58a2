#!/usr/bin/env bash
# Installs everything ferry's tests need on a fresh machine of this project's kind:
# Debian packages (PostgreSQL server; containerd, runc, the CNI plugins, umoci and busybox-static
# for the test cluster's real node; Chromium for the dashboard's browser tests), npm packages, the
# build. The test cluster's binaries are built on demand by scripts/cluster/install.sh (called from
# `npm test`). The Traefik proxy and its CRDs (scripts/traefik/install.sh, for the real-traffic
# cut-over test) are built here from their pinned Go module when not cached (≈ 15 min on 2 cores
# with a warm Go build cache, much longer cold).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)   # the test cluster's PKI
command -v pg_ctlcluster >/dev/null 2>&1 || [ -x /usr/lib/postgresql/15/bin/postgres ] || need_apt+=(postgresql)
# the test cluster's real node (scripts/cluster/real-node.sh): container runtime and CNI plugins;
# its images (images/build.sh): umoci and a static busybox
command -v containerd >/dev/null 2>&1 || need_apt+=(containerd)
command -v runc >/dev/null 2>&1 || need_apt+=(runc)
[ -x /usr/lib/cni/bridge ] || need_apt+=(containernetworking-plugins)
command -v umoci >/dev/null 2>&1 || need_apt+=(umoci)
{ [ -x /usr/bin/busybox ] && ! ldd /usr/bin/busybox >/dev/null 2>&1; } || need_apt+=(busybox-static)
command -v zsh >/dev/null 2>&1 || need_apt+=(zsh)     # the completion scripts are parsed by their shells
command -v fish >/dev/null 2>&1 || need_apt+=(fish)
# the dashboard's browser tests and bench/web.ts drive Debian's Chromium with playwright-core
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

echo "setup: npm ci"
# better-sqlite3 compiles against the local Node headers: no prebuilt downloads here.
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
npm ci --no-audit --no-fund
echo "setup: build"
npm run build
echo "setup: Traefik (cached after the first build)"
bash scripts/traefik/install.sh >/dev/null
