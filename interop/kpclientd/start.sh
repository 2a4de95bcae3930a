#!/usr/bin/env bash
# Start an offline kpclientd v0.0.73 on a UNIX socket in a fresh directory.
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

"$KP_BIN/kpconfig" -dir "$dir" -socket "$sock" -log-level "${KPCLIENTD_LOG_LEVEL:-DEBUG}" >/dev/null

start=$(date +%s.%N)
nohup "$KP_BIN/kpclientd" -c "$dir/client.toml" >"$dir/kpclientd.stdout" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$dir/kpclientd.pid"

for _ in $(seq 1 300); do
  if [ -S "$sock" ]; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    kp_log "error: kpclientd exited during start; see $dir/kpclientd.stdout and $dir/kpclientd.log"
    cat "$dir/kpclientd.stdout" >&2 || true
    exit 1
  fi
  sleep 0.1
done
if [ ! -S "$sock" ]; then
  kp_log "error: socket $sock did not appear within 30s"
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
ENV
mkdir -p "$KP_CACHE/run"
ln -sfn "$dir" "$KP_CACHE/run/current"
kp_log "kpclientd pid $pid listening on $sock after $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", b-a}')s"
echo "$dir/thinclient.toml"
