#!/usr/bin/env bash
# The Go interop steps of CI (.ci/run calls this): regenerate the Go vectors and diff them,
# check the TS-encoded requests with the Go decoder, and run the contract suite against a
# real kpclientd v0.0.73. All of it needs github.com/katzenpost/katzenpost@v0.0.73 as a Go
# module; when the go command cannot resolve it, the steps are reported BLOCKED and skipped
# (exit 0): the TS tests already decode every committed Go vector.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/kpclientd/lib.sh"

if ! command -v go >/dev/null 2>&1; then
  echo "BLOCKED: no go command on this machine; Go interop steps skipped"
  exit 0
fi

t0=$(date +%s)
probe_cache=$(mktemp -d)
if GOFLAGS=-mod=mod GOMODCACHE="$probe_cache" GOPROXY="$(go env GOPROXY)" \
  timeout 120 go mod download -json "$KP_MODULE@$KP_VERSION" >/dev/null 2>&1; then
  served="yes"
else
  served="no"
fi
chmod -R u+w "$probe_cache" 2>/dev/null || true
rm -rf "$probe_cache"
echo "Go module proxy serves $KP_MODULE@$KP_VERSION: $served"

if ! kp_module_env; then
  echo "BLOCKED: $KP_MODULE@$KP_VERSION is not available to the go command here;"
  echo "         Go vector regeneration, the reverse check and the kpclientd contract suite are skipped."
  exit 0
fi
[ "$served" = "yes" ] || echo "note: using the copy already in this machine's Go module cache"

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
