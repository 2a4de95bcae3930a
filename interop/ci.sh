#!/usr/bin/env bash
# The Go interop steps of CI (.ci/run calls this): regenerate the Go vectors and diff them,
# check the TS-encoded requests with the Go decoder, and run the contract suite against a
# real kpclientd v0.0.73. All of it needs github.com/katzenpost/katzenpost@v0.0.73 as a Go
# module, resolved through ../shared/goproxy when it exists, else the configured proxy; any
# failure fails CI.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/kpclientd/lib.sh"

command -v go >/dev/null 2>&1 || { echo "error: the Go steps need the go command" >&2; exit 1; }

t0=$(date +%s)
# ../shared/goproxy goes in front of the configured proxy when it exists (lib.sh).
kp_module_env || { echo "error: $KP_MODULE@$KP_VERSION cannot be resolved (GOPROXY=$GOPROXY)" >&2; exit 1; }

echo "--- regenerate Go vectors and compare with the committed ones"
(cd "$here/go" && GOFLAGS=-buildvcs=false go run ./cmd/vectors -out ../../packages/core/test/vectors/go)
git -C "$root" diff --exit-code -- packages/core/test/vectors/go

echo "--- Go decoder checks every TS-encoded request (npm test keeps the file current)"
(cd "$here/go" && GOFLAGS=-buildvcs=false go run ./cmd/check -q -in ../../packages/core/test/vectors/ts/requests.json)

echo "--- contract suite against a real kpclientd $KP_VERSION (offline)"
"$here/kpclientd/install.sh" >/dev/null
run_dir=$(mktemp -d "${TMPDIR:-/tmp}/kpclientd.XXXXXX")
cleanup() { KEEP_RUN_DIR=${KEEP_RUN_DIR:-} "$here/kpclientd/stop.sh" "$run_dir" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM
thin=$("$here/kpclientd/start.sh" "$run_dir")
(cd "$root" && KATZENPOST_THINCLIENT_CONFIG="$thin" KPCLIENTD_PID_FILE="$run_dir/kpclientd.pid" \
  KPCLIENTD_RESTART="$here/kpclientd/restart.sh $run_dir" npm run test:kpclientd -- --reporter=default --reporter=json --outputFile.json=build/vitest-kpclientd.json)

echo "Go interop steps took $(( $(date +%s) - t0 ))s"
