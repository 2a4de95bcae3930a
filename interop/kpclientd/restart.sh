#!/usr/bin/env bash
# Kill the kpclientd of RUN_DIR (started by start.sh, whatever its version and listener)
# without a graceful shutdown and start a new one on the same address (a new process: new
# instance token, no sessions). Used by the contract suite's "daemon restarted while calls
# are in flight" test.
#
#   restart.sh RUN_DIR
set -euo pipefail
dir=$(cd "$1" && pwd -P)
KPCLIENTD_VERSION=$(sed -n "s/^KPCLIENTD_VERSION='\(.*\)'\$/\1/p" "$dir/env" 2>/dev/null || true)
export KPCLIENTD_VERSION=${KPCLIENTD_VERSION:-v0.0.73}
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
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
  kp_ready "$dir" && exit 0
  sleep 0.05
done
kp_log "error: restarted kpclientd did not open its socket"
exit 1
