#!/usr/bin/env bash
# Install kpclientd (katzenpost v0.0.73, pinned) and the interop helper
# binaries into $KP_CACHE/bin (default ~/.cache/katzenpost-effect/bin).
# Idempotent: an existing kpclientd built from v0.0.73 is kept.
# Needs Go >= 1.26.2 and a C compiler (kpclientd links highctidh via cgo).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mkdir -p "$KP_BIN"
start=$(date +%s.%N)

have_kpclientd() {
  [ -x "$KP_BIN/kpclientd" ] &&
    go version -m "$KP_BIN/kpclientd" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+$KP_MODULE[[:space:]]+$KP_VERSION([[:space:]]|\$)"
}

kp_module_env

if have_kpclientd; then
  kp_log "kpclientd $KP_VERSION already installed: $KP_BIN/kpclientd"
else
  kp_log "installing kpclientd $KP_VERSION into $KP_BIN"
  GOBIN="$KP_BIN" GOFLAGS=-buildvcs=false go install "$KP_MODULE/cmd/kpclientd@$KP_VERSION"
fi

# The config writer and probe are ours; rebuild every time (seconds when warm).
(cd "$INTEROP_DIR/go" && GOFLAGS=-buildvcs=false go build -o "$KP_BIN/" ./cmd/kpconfig ./cmd/probe)

end=$(date +%s.%N)
kp_log "install.sh done in $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}')s"
echo "$KP_BIN/kpclientd"
