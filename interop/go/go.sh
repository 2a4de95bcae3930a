#!/usr/bin/env bash
# Run the go command inside interop/go with katzenpost v0.0.73 resolvable
# (see interop/kpclientd/lib.sh kp_module_env), e.g.
#   interop/go/go.sh run ./cmd/vectors -out ../../packages/core/test/vectors/go
#   interop/go/go.sh run ./cmd/check -in ../../packages/core/test/vectors/ts/requests.json
#   interop/go/go.sh test ./...
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../kpclientd/lib.sh"
kp_module_env
cd "$here"
GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false" exec go "$@"
