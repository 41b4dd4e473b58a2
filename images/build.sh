#!/usr/bin/env bash
# Builds the real node's images without a registry: OCI layouts made with Debian's umoci from
# Debian's busybox-static and psql (with the shared libraries it links), and the scripts in
# images/<name>/. Reproducible: every file's time is 1970-01-01, owners are root, the config and
# history carry fixed dates, so the same inputs give the same digests on any machine.
#
#   images/build.sh [--out DIR]          build (skipped when DIR already holds this input's build)
#   images/build.sh --import SOCKET      build, then import into that containerd's k8s.io namespace
#
# Images (see docs/test-cluster.md):
#   ferry.local/pause:1                     the pod sandbox (containerd's sandbox_image)
#   ferry.local/demo-app:{1.0.0,2.0.0}      HTTP on :8080 with /, /health, /cgi-bin/headers; psql;
#                                           /app/bin/migrate up|down, /app/bin/tick (a cron)
#   ferry.local/demo-app:crash              exits 1 on start
#   ferry.local/demo-app:never-ready        serves, but /health is 404
# The default output is ${FERRY_CACHE:-~/.cache/ferry}/images/<key>/, keyed by a digest of every
# input (this script, the files that go into the images, the busybox, psql and library files,
# umoci's version).
# Prints the output directory on stdout; progress on stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
say() { printf 'images: %s\n' "$*" >&2; }
die() { printf 'images: error: %s\n' "$*" >&2; exit 1; }

out="" socket=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --import) socket="$2"; shift 2 ;;
    *) die "unknown argument $1 (usage: images/build.sh [--out DIR] [--import SOCKET])" ;;
  esac
done

BUSYBOX=/usr/bin/busybox
PSQL=/usr/lib/postgresql/15/bin/psql
command -v umoci >/dev/null || die "umoci not found: run scripts/setup.sh (apt-get install umoci)"
[ -x "$BUSYBOX" ] && ! ldd "$BUSYBOX" >/dev/null 2>&1 \
  || die "$BUSYBOX is not a static busybox: run scripts/setup.sh (apt-get install busybox-static)"
[ -x "$PSQL" ] || die "$PSQL not found: run scripts/setup.sh (apt-get install postgresql)"

# psql and every shared library it loads, as resolved on this machine.
psql_files() {
  echo "$PSQL"
  ldd "$PSQL" | sed -n 's#.*=> \(/[^ ]*\) .*#\1#p; s#^\s*\(/[^ ]*\) (0x.*#\1#p'
}

key=$( {
  (cd "$here" && find build.sh pause demo-app/bin demo-app/cgi-bin -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
  psql_files | xargs readlink -f | xargs sha256sum
  sha256sum <"$BUSYBOX"
  umoci --version
} | sha256sum | cut -c1-16)
out="${out:-${FERRY_CACHE:-$HOME/.cache/ferry}/images/$key}"

EPOCH=1970-01-01T00:00:00Z
normalize() { find "$1" -exec touch -h -d @0 {} +; }

# layer LAYOUT TAG DIR: add DIR's tree as one layer, with a fixed history entry.
layer() {
  normalize "$3"
  umoci insert --image "$1:$2" --history.created "$EPOCH" --history.created_by "ferry images/build.sh" "$3" /
}

# new_image LAYOUT TAG: an empty image with fixed dates.
new_image() {
  [ -d "$1" ] || umoci init --layout "$1"
  umoci new --image "$1:$2"
}

# configure LAYOUT TAG UMOCI-CONFIG-ARGS...
configure() {
  local l=$1 t=$2; shift 2
  umoci config --image "$l:$t" --created "$EPOCH" --no-history --os linux --architecture amd64 "$@"
}

busybox_tree() { # DIR: busybox with every applet as a symlink in /bin, /etc/passwd, /tmp
  mkdir -p "$1/bin" "$1/etc" "$1/tmp" "$1/root"
  chmod 1777 "$1/tmp"
  cp "$BUSYBOX" "$1/bin/busybox"
  local a
  for a in $("$BUSYBOX" --list); do [ "$a" = busybox ] || ln -s busybox "$1/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$1/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$1/etc/group"
}

build() {
  local work="$1.work" f
  rm -rf "$work" && mkdir -p "$work"

  say "building ferry.local/pause:1"
  mkdir -p "$work/pause/bin"
  cp "$BUSYBOX" "$work/pause/bin/busybox"
  ln -s busybox "$work/pause/bin/sh"
  ln -s busybox "$work/pause/bin/sleep"
  cp "$here/pause/pause" "$work/pause/pause"
  new_image "$work/layout-pause" 1
  layer "$work/layout-pause" 1 "$work/pause"
  configure "$work/layout-pause" 1 --config.entrypoint /pause --config.user 65534:65534

  say "building ferry.local/demo-app (busybox, psql and its $(($(psql_files | wc -l) - 1)) libraries)"
  busybox_tree "$work/app"
  for f in $(psql_files); do
    mkdir -p "$work/app$(dirname "$f")"
    cp -L "$f" "$work/app$f"
  done
  mkdir -p "$work/app/usr/bin"
  ln -s "$PSQL" "$work/app/usr/bin/psql"
  mkdir -p "$work/app/app"
  cp -r "$here/demo-app/bin" "$here/demo-app/cgi-bin" "$work/app/app/"
  new_image "$work/layout-demo-app" base
  layer "$work/layout-demo-app" base "$work/app"

  local tag mode
  for tag in 1.0.0 2.0.0 crash never-ready; do
    case "$tag" in crash | never-ready) mode=$tag ;; *) mode=serve ;; esac
    rm -rf "$work/release" && mkdir -p "$work/release/app"
    printf 'VERSION=%s\nMODE=%s\n' "$tag" "$mode" >"$work/release/app/release"
    umoci tag --image "$work/layout-demo-app:base" "$tag"
    layer "$work/layout-demo-app" "$tag" "$work/release"
    configure "$work/layout-demo-app" "$tag" --config.entrypoint /app/bin/serve \
      --config.env PATH=/app/bin:/usr/bin:/bin --config.env PORT=8080 --config.exposedports 8080/tcp \
      --config.workingdir /app --config.label "org.opencontainers.image.version=$tag"
  done
  umoci rm --image "$work/layout-demo-app:base"

  local name
  for name in pause demo-app; do
    umoci gc --layout "$work/layout-$name"
    normalize "$work/layout-$name"
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/layout-$name" \
      -cf "$work/$name.tar" .
  done
  mkdir -p "$1"
  mv "$work/layout-pause" "$work/layout-demo-app" "$work/pause.tar" "$work/demo-app.tar" "$1/"
  rm -rf "$work"
  touch "$1/.complete"
}

if [ ! -f "$out/.complete" ]; then
  mkdir -p "$(dirname "$out")"
  exec 8>"$out.lock"
  flock 8
  if [ ! -f "$out/.complete" ]; then
    rm -rf "$out"
    T0=$(date +%s%N)
    build "$out"
    say "built in $((($(date +%s%N) - T0) / 1000000)) ms: $out"
  fi
fi

if [ -n "$socket" ]; then
  for name in pause demo-app; do
    ctr --address "$socket" --namespace k8s.io images import --base-name "ferry.local/$name" \
      "$out/$name.tar" >/dev/null || die "ctr images import $out/$name.tar failed"
  done
  say "imported into $socket (k8s.io): $(ctr --address "$socket" --namespace k8s.io images ls -q |
    grep '^ferry.local/' | sort | tr '\n' ' ')"
fi
echo "$out"
