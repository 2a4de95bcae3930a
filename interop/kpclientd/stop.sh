#!/usr/bin/env bash
# Stop a kpclientd started by start.sh.
#
#   stop.sh [RUN_DIR]      (default: $KP_CACHE/run/current)
#
# Sends SIGTERM to the pid in RUN_DIR/kpclientd.pid, waits up to 10 s, then
# SIGKILL. Removes the socket and pid file; the run directory (configs,
# logs) is removed too unless KEEP_RUN_DIR=1.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir=${1:-$KP_CACHE/run/current}
if [ ! -e "$dir" ]; then
  kp_log "nothing to stop: $dir does not exist"
  exit 0
fi
dir=$(cd "$dir" && pwd -P)
pidfile="$dir/kpclientd.pid"

# alive PID: true while the process exists and is not a zombie (a daemon that
# panicked may linger as a zombie until its reaper collects it)
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || echo "?")
  [ "$state" != "Z" ]
}
if [ -f "$pidfile" ]; then
  pid=$(cat "$pidfile")
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      kp_log "kpclientd $pid did not exit after SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    kp_log "stopped kpclientd $pid"
  else
    if grep -q '^panic:' "$dir/kpclientd.stdout" 2>/dev/null; then
      kp_log "kpclientd $pid had already died of a panic:"
      grep -A3 '^panic:' "$dir/kpclientd.stdout" >&2 || true
    else
      kp_log "kpclientd $pid was not running"
    fi
  fi
  rm -f "$pidfile"
fi
rm -f "$dir/kpclientd.sock"
if [ "$(readlink -f "$KP_CACHE/run/current" 2>/dev/null)" = "$dir" ]; then
  rm -f "$KP_CACHE/run/current"
fi
if [ "${KEEP_RUN_DIR:-0}" != "1" ]; then
  rm -rf "$dir"
fi
