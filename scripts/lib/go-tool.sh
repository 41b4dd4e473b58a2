# Sourced by scripts/<tool>/install.sh: build a Go tool from its module at a pinned version into
# ${FERRY_CACHE:-$HOME/.cache/ferry}/<tool>/<version>/<tool>, once.
#
#   go_tool_cached <tool> <version>      prints the cached binary's path and exits 0 when it is there
#   go_tool_build <tool> <version> <no-go message> <go install args…>
#                                         builds it (exit 2 with the message when Go is missing;
#                                         returns go install's status when the build fails) and
#                                         sets GO_TOOL_BIN to the installed binary

go_tool_bin() { echo "${FERRY_CACHE:-$HOME/.cache/ferry}/$1/$2/$1"; }

go_tool_cached() {
  local bin
  bin="$(go_tool_bin "$1" "$2")"
  if [ -x "$bin" ]; then
    echo "$bin"
    exit 0
  fi
}

go_tool_build() {
  local tool="$1" version="$2" no_go="$3"
  shift 3
  local bin dest tmp
  bin="$(go_tool_bin "$tool" "$version")"
  dest="$(dirname "$bin")"
  if ! command -v go >/dev/null 2>&1; then
    echo "$no_go" >&2
    exit 2
  fi
  mkdir -p "$dest"
  tmp="$(mktemp -d "$dest/.build.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: $tmp is local
  trap "rm -rf '$tmp'" EXIT
  GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN="$tmp" nice -n 10 go install -trimpath "$@" >&2 || return $?
  mv "$tmp/$tool" "$bin"
  GO_TOOL_BIN="$bin"
}
