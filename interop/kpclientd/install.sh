#!/usr/bin/env bash
# Build kpclientd and the interop helper binaries into $KP_BIN (lib.sh):
#   v0.0.73 (default): from interop/mixnet (pinned by its go.sum) into ~/.cache/katzenpost-effect/bin
#   KPCLIENTD_VERSION=v0.0.104: from interop/v0.0.104 into ~/.cache/katzenpost-effect/v0.0.104/bin
# Idempotent: an existing kpclientd built from that version is kept.
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
  kp_log "building kpclientd $KP_VERSION into $KP_BIN (from ${KP_BUILD_DIR#"$INTEROP_DIR"/}, pinned by its go.sum)"
  # Not `go install …@version`: that asks the checksum database, which answers 404 here.
  (cd "$KP_BUILD_DIR" && go build -o "$KP_BIN/" "$KP_MODULE/cmd/kpclientd")
fi

# The config writer and probe are ours; rebuild every time (seconds when warm).
if [ "$KP_VERSION" = v0.0.73 ]; then
  (cd "$KP_HELPER_DIR" && go build -o "$KP_BIN/" ./cmd/kpconfig ./cmd/probe)
else
  (cd "$KP_HELPER_DIR" && go build -o "$KP_BIN/" ./cmd/kpconfig)
fi

end=$(date +%s.%N)
kp_log "install.sh done in $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}')s"
echo "$KP_BIN/kpclientd"
