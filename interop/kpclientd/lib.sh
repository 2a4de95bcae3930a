# Shared settings for the kpclientd helper scripts. Source it; do not run it.
#
#   KP_CACHE   cache root (default ~/.cache/katzenpost-effect): binaries in
#              $KP_CACHE/bin, run directories in $KP_CACHE/run

KP_VERSION=v0.0.73
KP_MODULE=github.com/katzenpost/katzenpost
KP_CACHE=${KP_CACHE:-$HOME/.cache/katzenpost-effect}
KP_BIN=$KP_CACHE/bin
INTEROP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

kp_log() { printf '%s\n' "$*" >&2; }

# kp_goproxy_env: when ../shared/goproxy exists beside the checkout (this workplace's
# copy of the module versions the public proxy here refuses, hash-identical to the public
# ones), put it in front of the configured proxy. Elsewhere nothing changes: a user gets the
# same modules from the public proxy, verified by the committed go.sum files.
kp_goproxy_env() {
  local shared
  shared=$(cd "$INTEROP_DIR/../.." 2>/dev/null && pwd)/shared/goproxy
  if [ -d "$shared" ]; then
    case "${GOPROXY:-}" in
      *"file://$shared"*) ;;
      *) export GOPROXY="file://$shared,$(go env GOPROXY)" ;;
    esac
  fi
  # The module versions come from go.sum; never ask the checksum database for them.
  export GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false"
}

# kp_module_env: succeed if the go command can resolve $KP_MODULE@$KP_VERSION
# through the configured module proxy (with ../shared/goproxy in front when present).
kp_module_env() {
  kp_goproxy_env
  if (cd "$INTEROP_DIR/go" && GOFLAGS=-mod=mod go mod download "$KP_MODULE") >/dev/null 2>&1; then
    return 0
  fi
  kp_log "the Go module proxy does not serve $KP_MODULE@$KP_VERSION"
  return 1
}
