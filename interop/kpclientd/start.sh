#!/usr/bin/env bash
# Start an offline kpclientd (v0.0.73, or $KPCLIENTD_VERSION) on a UNIX socket in a fresh
# directory; with KPCLIENTD_LISTEN=ws (v0.0.104 only) on a WebSocket instead, at
# $KPCLIENTD_WS_ADDRESS (default ws://127.0.0.1:<a free port>); KPCLIENTD_WS_ANY_ORIGIN=1
# accepts upgrades from any Origin (a browser page served from elsewhere).
#
#   start.sh [RUN_DIR]
#
# Writes RUN_DIR/client.toml and RUN_DIR/thinclient.toml (kpconfig), starts
# the daemon in the background, writes RUN_DIR/kpclientd.pid, waits until the
# socket exists, and prints the thinclient.toml path on stdout. RUN_DIR
# defaults to a new temp dir; $KP_CACHE/run/current points at the last one.
# RUN_DIR/env holds shell assignments KPCLIENTD_{DIR,SOCKET,THIN_CONFIG,PID,LOG}.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ ! -x "$KP_BIN/kpclientd" ] || [ ! -x "$KP_BIN/kpconfig" ]; then
  "$(dirname "${BASH_SOURCE[0]}")/install.sh" >/dev/null
fi

dir=${1:-}
if [ -z "$dir" ]; then
  dir=$(mktemp -d "${TMPDIR:-/tmp}/kpclientd.XXXXXX")
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
sock="$dir/kpclientd.sock"
# sockaddr_un paths are limited to 107 bytes on Linux
if [ ${#sock} -gt 100 ]; then
  kp_log "error: socket path too long (${#sock} bytes): $sock"
  exit 1
fi
if [ -f "$dir/kpclientd.pid" ] && kill -0 "$(cat "$dir/kpclientd.pid")" 2>/dev/null; then
  kp_log "error: a kpclientd (pid $(cat "$dir/kpclientd.pid")) is already running in $dir"
  exit 1
fi
rm -f "$sock"   # the daemon does not remove a stale socket itself

rm -f "$dir/ws-address"
listen_args=()
case "${KPCLIENTD_LISTEN:-unix}" in
  unix) ;;
  ws)
    if [ "$KP_VERSION" = v0.0.73 ]; then kp_log "error: kpclientd v0.0.73 cannot listen on a WebSocket"; exit 1; fi
    ws=${KPCLIENTD_WS_ADDRESS:-ws://127.0.0.1:$(kp_free_port)}
    listen_args=(-listen ws -ws-address "$ws")
    if [ "${KPCLIENTD_WS_ANY_ORIGIN:-0}" = 1 ]; then listen_args+=(-ws-any-origin); fi
    echo "$ws" >"$dir/ws-address"
    ;;
  *) kp_log "error: KPCLIENTD_LISTEN must be unix or ws"; exit 1 ;;
esac

"$KP_BIN/kpconfig" -dir "$dir" -socket "$sock" "${listen_args[@]}" -log-level "${KPCLIENTD_LOG_LEVEL:-DEBUG}" >/dev/null

start=$(date +%s.%N)
nohup "$KP_BIN/kpclientd" -c "$dir/client.toml" >"$dir/kpclientd.stdout" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$dir/kpclientd.pid"

for _ in $(seq 1 300); do
  if kp_ready "$dir"; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    kp_log "error: kpclientd exited during start; see $dir/kpclientd.stdout and $dir/kpclientd.log"
    cat "$dir/kpclientd.stdout" >&2 || true
    exit 1
  fi
  sleep 0.1
done
if ! kp_ready "$dir"; then
  kp_log "error: kpclientd $KP_VERSION did not accept connections within 30s"
  kill "$pid" 2>/dev/null || true
  exit 1
fi
end=$(date +%s.%N)

cat >"$dir/env" <<ENV
KPCLIENTD_DIR='$dir'
KPCLIENTD_SOCKET='$sock'
KPCLIENTD_THIN_CONFIG='$dir/thinclient.toml'
KPCLIENTD_PID='$pid'
KPCLIENTD_LOG='$dir/kpclientd.log'
KPCLIENTD_VERSION='$KP_VERSION'
KPCLIENTD_WS_ADDRESS='${ws:-}'
ENV
mkdir -p "$KP_CACHE/run"
ln -sfn "$dir" "$KP_CACHE/run/current"
kp_log "kpclientd $KP_VERSION pid $pid listening on ${ws:-$sock} after $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", b-a}')s"
echo "$dir/thinclient.toml"
