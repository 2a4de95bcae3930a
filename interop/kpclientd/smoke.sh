#!/usr/bin/env bash
# End-to-end check against the real daemon, offline:
# install (idempotent) -> start -> probe (raw framing + reference thin client,
# plus a replay of each vector file given as argument) -> stop.
#
#   smoke.sh [REQUEST_VECTOR_FILE...]
#
# Replayed files must hold thin.Request vectors whose BACAP caps are real
# (see README: an encrypt_read with an invalid read-cap public key panics
# kpclientd v0.0.73).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

"$here/install.sh" >/dev/null
thin_cfg=$("$here/start.sh")
run_dir=$(dirname "$thin_cfg")
trap 'KEEP_RUN_DIR=${KEEP_RUN_DIR:-0} "$here/stop.sh" "$run_dir"' EXIT

args=(-config "$thin_cfg" -mode both)
for f in "$@"; do
  args+=(-replay "$f")
done
"$KP_BIN/probe" "${args[@]}"
