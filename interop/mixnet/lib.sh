# Shared settings for the loopback mixnet scripts (up, down, status). Source it; do not run it.
#
#   MX_BASE     run directory, genconfig's --baseDir and --outDir (default /tmp/kpmx). Keep it
#               short: unix socket paths below it must stay under ~107 bytes.
#   MX_BIN      where the katzenpost commands are built (default $KP_CACHE/mixnet-bin)
#   MX_EPOCH    KATZENPOST_EPOCH_DURATION for every process (default 2m)
#   MX_READY_TIMEOUT  seconds `up` waits for a usable PKI document (default 900)

MX_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$MX_DIR/../kpclientd/lib.sh"

MX_BASE=${MX_BASE:-/tmp/kpmx}
MX_BIN=${MX_BIN:-$KP_CACHE/mixnet-bin}
MX_EPOCH=${MX_EPOCH:-2m}
MX_READY_TIMEOUT=${MX_READY_TIMEOUT:-900}
MX_COMMANDS=(courier dirauth echo-plugin fetch genconfig kpclientd ping replica server)
# The client daemons of the suite, each with its own socket and state: Alice's and Bob's, and
# Carol's and Dave's, which the suite SIGKILLs and restarts (interop/mixnet/client restart WHO).
MX_CLIENTS=(alice bob carol dave)

mx_log() { printf '[mixnet %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# mx_pids: "name pid" for every process recorded under $MX_BASE/pids.
mx_pids() {
  local f
  [ -d "$MX_BASE/pids" ] || return 0
  for f in "$MX_BASE"/pids/*.pid; do
    [ -e "$f" ] || continue
    printf '%s %s\n' "$(basename "$f" .pid)" "$(cat "$f")"
  done
}

# mx_alive PID: the recorded process still runs.
mx_alive() { kill -0 "$1" 2>/dev/null; }

# mx_signal_one SIG NAME: signal the process group led by NAME's recorded pid.
mx_signal_one() {
  local pid
  [ -f "$MX_BASE/pids/$2.pid" ] || return 0
  pid=$(cat "$MX_BASE/pids/$2.pid")
  kill -"$1" -- "-$pid" 2>/dev/null || kill -"$1" "$pid" 2>/dev/null || true
}


# mx_tails [N]: the last N lines of every process's logs (readiness failures, crashes).
mx_tails() {
  local n=${1:-30} f
  for f in "$MX_BASE"/logs/*.log "$MX_BASE"/*/katzenpost.log "$MX_BASE"/*/*.log; do
    [ -s "$f" ] || continue
    printf '\n----- %s (last %s lines)\n' "$f" "$n" >&2
    tail -n "$n" "$f" >&2
  done
}

# mx_start NAME CMD...: run CMD in its own process group (setsid) with its own log, pid recorded.
mx_start() {
  local name=$1; shift
  KATZENPOST_EPOCH_DURATION=$MX_EPOCH setsid "$@" >>"$MX_BASE/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$MX_BASE/pids/$name.pid"
}

# mx_client_configs WHO: WHO's client.toml and thinclient.toml from genconfig's, listening on
# (and dialling) $MX_BASE/WHO/kpclientd.sock instead of genconfig's TCP "localhost:<port>".
mx_client_configs() {
  local dir="$MX_BASE/$1" section
  mkdir -p "$dir"
  chmod 0700 "$dir"
  for section in Listen:client.toml Dial:thinclient.toml; do
    awk -v sock="$dir/kpclientd.sock" -v table="${section%%:*}" '
      $0 == "[" table "]" { print; print "  [" table ".Unix]"; print "    Address = \"" sock "\""; skip = 1; next }
      skip && /^\[/ { skip = 0 }
      skip { next }
      { print }
    ' "$MX_BASE/client/${section#*:}" >"$dir/${section#*:}"
  done
}

# mx_client_start WHO: start WHO's kpclientd and wait (30 s) for its socket.
mx_client_start() {
  local who=$1 sock="$MX_BASE/$1/kpclientd.sock" i
  rm -f "$sock"   # the daemon does not remove a stale socket itself
  mx_start "kpclientd-$who" "$MX_BIN/kpclientd" -c "$MX_BASE/$who/client.toml"
  for i in $(seq 1 150); do
    [ -S "$sock" ] && return 0
    mx_alive "$(cat "$MX_BASE/pids/kpclientd-$who.pid")" || { mx_log "kpclientd-$who exited during start"; return 1; }
    sleep 0.2
  done
  mx_log "kpclientd-$who: no socket after 30 s"
  return 1
}
