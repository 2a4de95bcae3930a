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

# kp_module_env: succeed if the go command can resolve $KP_MODULE@$KP_VERSION
# through the configured module proxy (or a module cache that already holds it).
# Nothing is built from source copies: when the proxy refuses the version (as
# it did with "403 This module version is not available" in November 2026),
# the Go interop steps cannot run and callers report them as blocked.
kp_module_env() {
  # Inside interop/go the checksum comes from go.sum, so a module cache that holds the
  # version is enough; elsewhere the go command also asks the checksum database.
  if (cd "$INTEROP_DIR/go" && GOFLAGS=-mod=mod go mod download "$KP_MODULE") >/dev/null 2>&1; then
    return 0
  fi
  kp_log "the Go module proxy does not serve $KP_MODULE@$KP_VERSION"
  return 1
}
