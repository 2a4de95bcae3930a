#!/usr/bin/env bash
# Build kpclientd (katzenpost v0.0.73, pinned by interop/mixnet/go.sum) and the interop helper
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
  kp_log "building kpclientd $KP_VERSION into $KP_BIN (from interop/mixnet, pinned by its go.sum)"
  # Not `go install …@version`: that asks the checksum database, which answers 404 here.
  (cd "$INTEROP_DIR/mixnet" && go build -o "$KP_BIN/" "$KP_MODULE/cmd/kpclientd")
fi

# The config writer and probe are ours; rebuild every time (seconds when warm).
(cd "$INTEROP_DIR/go" && go build -o "$KP_BIN/" ./cmd/kpconfig ./cmd/probe)

end=$(date +%s.%N)
kp_log "install.sh done in $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}')s"
echo "$KP_BIN/kpclientd"
