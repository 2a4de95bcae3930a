# Shared settings for the kpclientd helper scripts. Source it; do not run it.
#
#   KPCLIENTD_VERSION  which daemon: v0.0.73 (default) or v0.0.104
#   KP_CACHE           cache root (default ~/.cache/katzenpost-effect): v0.0.73 binaries in
#                      $KP_CACHE/bin, v0.0.104 binaries in $KP_CACHE/v0.0.104/bin, run
#                      directories in $KP_CACHE/run
#
# Per version: KP_BUILD_DIR is our Go module that builds kpclientd (pinned by its go.sum),
# KP_HELPER_DIR the module with the kpconfig that writes that version's config files.

KP_MODULE=github.com/katzenpost/katzenpost
KP_CACHE=${KP_CACHE:-$HOME/.cache/katzenpost-effect}
INTEROP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KP_VERSION=${KPCLIENTD_VERSION:-v0.0.73}
case "$KP_VERSION" in
  v0.0.73)
    KP_BIN=$KP_CACHE/bin
    KP_BUILD_DIR=$INTEROP_DIR/mixnet
    KP_HELPER_DIR=$INTEROP_DIR/go
    ;;
  v0.0.104)
    KP_BIN=$KP_CACHE/v0.0.104/bin
    KP_BUILD_DIR=$INTEROP_DIR/v0.0.104
    KP_HELPER_DIR=$INTEROP_DIR/v0.0.104
    ;;
  *)
    printf 'unsupported KPCLIENTD_VERSION %s (v0.0.73 or v0.0.104)\n' "$KP_VERSION" >&2
    return 1 2>/dev/null || exit 1
    ;;
esac

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
  if (cd "$KP_BUILD_DIR" && go mod download "$KP_MODULE") >/dev/null 2>&1; then
    return 0
  fi
  kp_log "the Go module proxy does not serve $KP_MODULE@$KP_VERSION"
  return 1
}

# kp_ready DIR: true once the daemon of DIR accepts connections: its UNIX socket exists,
# or, when DIR/ws-address names a WebSocket listener, its TCP port accepts a connection.
kp_ready() {
  local dir=$1 url hostport host port
  if [ -f "$dir/ws-address" ]; then
    url=$(cat "$dir/ws-address")
    hostport=${url#*://}
    hostport=${hostport%%/*}
    host=${hostport%:*}
    port=${hostport##*:}
    (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
  else
    [ -S "$dir/kpclientd.sock" ]
  fi
}

# kp_free_port: a TCP port on 127.0.0.1 that was free a moment ago.
kp_free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
