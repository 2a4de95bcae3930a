#!/usr/bin/env bash
# Kill the kpclientd of RUN_DIR without a graceful shutdown and start a new one on the same
# socket (a new process: new instance token, no sessions). Used by the contract suite's
# "daemon restarted while calls are in flight" test.
#
#   restart.sh RUN_DIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
dir=$(cd "$1" && pwd -P)
pid=$(cat "$dir/kpclientd.pid")
kill -KILL "$pid" 2>/dev/null || true
for _ in $(seq 1 100); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
rm -f "$dir/kpclientd.sock"
nohup "$KP_BIN/kpclientd" -c "$dir/client.toml" >>"$dir/kpclientd.stdout" 2>&1 </dev/null &
echo $! >"$dir/kpclientd.pid"
for _ in $(seq 1 300); do
  [ -S "$dir/kpclientd.sock" ] && exit 0
  sleep 0.05
done
kp_log "error: restarted kpclientd did not open its socket"
exit 1
