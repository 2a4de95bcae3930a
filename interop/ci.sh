#!/usr/bin/env bash
# The Go interop steps of CI (.ci/run calls this): regenerate the Go vectors of both daemon
# generations and diff them, check the TS-encoded requests with the Go decoder, build
# kpclientd v0.0.73 and v0.0.104 from our own modules (interop/mixnet, interop/v0.0.104),
# and run the contract suite against each, offline: v0.0.73 on a unix socket, v0.0.104 on a
# unix socket and on a WebSocket; then the browser smoke test against v0.0.104 over its
# WebSocket. Modules resolve through ../shared/goproxy when it exists, else the configured
# proxy. Any failure fails CI.
#
#   KP_SKIP_BROWSER=1   skip the browser smoke test (it needs Debian's chromium)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/kpclientd/lib.sh"

command -v go >/dev/null 2>&1 || { echo "error: the Go steps need the go command" >&2; exit 1; }

t0=$(date +%s)
# ../shared/goproxy goes in front of the configured proxy when it exists (lib.sh).
kp_module_env || { echo "error: $KP_MODULE@$KP_VERSION cannot be resolved (GOPROXY=$GOPROXY)" >&2; exit 1; }

echo "--- regenerate Go vectors (katzenpost v0.0.73, hpqc v0.0.78) and compare with the committed ones"
(cd "$here/go" && go run ./cmd/vectors -out ../../packages/core/test/vectors/go)
echo "--- regenerate Go vectors (katzenpost v0.0.104, hpqc v0.0.86) and compare with the committed ones"
(cd "$here/v0.0.104" && go run ./cmd/vectors -out ../../packages/core/test/vectors/go)
git -C "$root" diff --exit-code -- packages/core/test/vectors/go
test -z "$(git -C "$root" status --porcelain -- packages/core/test/vectors/go)" ||
  { git -C "$root" status --short -- packages/core/test/vectors/go; echo "error: uncommitted Go vectors" >&2; exit 1; }

echo "--- Go tests of the v0.0.104 helpers (config writer)"
(cd "$here/v0.0.104" && go test ./...)

echo "--- Go decoder checks every TS-encoded request (npm test keeps the file current)"
(cd "$here/go" && go run ./cmd/check -q -in ../../packages/core/test/vectors/ts/requests.json)

for version in v0.0.73 v0.0.104; do
  echo "--- build kpclientd $version"
  s=$(date +%s)
  KPCLIENTD_VERSION=$version "$here/kpclientd/install.sh" >/dev/null
  echo "kpclientd $version ready in $(( $(date +%s) - s ))s"
done

mkdir -p "$root/build"
run_dirs=()
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for dir in "${run_dirs[@]}"; do "$here/kpclientd/stop.sh" "$dir" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT INT TERM

# contract NAME VERSION LISTEN [FILE…]: start a daemon, run the suite (or FILEs) against it,
# one file at a time (the chaos file kills and restarts the daemon), stop it.
contract() {
  local name=$1 version=$2 listen=$3 dir thin status=0
  shift 3
  dir=$(mktemp -d "${TMPDIR:-/tmp}/kpclientd.XXXXXX")
  thin=$(KPCLIENTD_VERSION=$version KPCLIENTD_LISTEN=$listen "$here/kpclientd/start.sh" "$dir") || return 1
  (cd "$root" && KPCLIENTD_VERSION=$version KATZENPOST_THINCLIENT_CONFIG="$thin" KPCLIENTD_PID_FILE="$dir/kpclientd.pid" \
    KPCLIENTD_RESTART="$here/kpclientd/restart.sh $dir" npx vitest run --project kpclientd --no-file-parallelism \
    --reporter=verbose --reporter=json --outputFile.json="build/$name.json" "$@") || status=$?
  "$here/kpclientd/stop.sh" "$dir" >/dev/null 2>&1 || true
  return $status
}

# The three runs are mostly waiting (v0.0.104 holds every new connection 30 s offline), so
# they run side by side, each with its own daemon; their logs are printed in order after.
echo "--- contract suite: kpclientd v0.0.73 (unix), v0.0.104 (unix), v0.0.104 (WebSocket), offline, in parallel"
s=$(date +%s)
# The chaos run (10 SIGKILL restarts) goes against v0.0.73 only: on v0.0.104 every restart
# costs a 30 s handshake.
runs=("vitest-kpclientd v0.0.73 unix" "vitest-kpclientd-v0.0.104 v0.0.104 unix test-kpclientd/kpclientd.test.ts"
  "vitest-kpclientd-v0.0.104-ws v0.0.104 ws test-kpclientd/kpclientd.test.ts")
for run in "${runs[@]}"; do
  set -- $run
  contract "$@" >"$root/build/$1.log" 2>&1 &
  pids+=($!)
done
failed=0
for i in "${!runs[@]}"; do
  set -- ${runs[$i]}
  if wait "${pids[$i]}"; then result=passed; else result=FAILED; failed=1; fi
  echo "=== contract suite against kpclientd $2 ($3): $result"
  cat "$root/build/$1.log"
done
pids=()
echo "contract suites took $(( $(date +%s) - s ))s"
[ "$failed" = 0 ] || { echo "error: a contract suite failed" >&2; exit 1; }

if [ "${KP_SKIP_BROWSER:-0}" != 1 ]; then
  echo "--- browser smoke test: core + transport bundled with esbuild, in headless Chromium, against kpclientd v0.0.104 over its WebSocket"
  "$here/browser/smoke.sh"
fi

echo "Go interop steps took $(( $(date +%s) - t0 ))s"
