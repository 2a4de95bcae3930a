#!/usr/bin/env bash
# Build the katzenpost v0.0.73 commands of the loopback mixnet into $MX_BIN from our own
# module (go.mod/go.sum here), unless the binaries there were built from the same go.mod,
# go.sum and Go version. Needs cgo (CTIDH) and librocksdb-dev (the replica).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

stamp_want=$(cat "$MX_DIR/go.mod" "$MX_DIR/go.sum" <(go version) | sha256sum | cut -d' ' -f1)
stamp_file="$MX_BIN/.stamp"
fresh=1
for cmd in "${MX_COMMANDS[@]}"; do
  [ -x "$MX_BIN/$cmd" ] || fresh=0
done
if [ "$fresh" = 1 ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp_want" ]; then
  mx_log "binaries in $MX_BIN are up to date"
  exit 0
fi

if ! pkg-config --exists rocksdb 2>/dev/null && [ ! -e /usr/include/rocksdb/c.h ]; then
  mx_log "installing librocksdb-dev (the replica links RocksDB)"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get update
  $sudo_cmd apt-get install -y librocksdb-dev
fi

kp_goproxy_env
mkdir -p "$MX_BIN"
rm -f "$stamp_file"
start=$(date +%s)
pkgs=()
for cmd in "${MX_COMMANDS[@]}"; do pkgs+=("$KP_MODULE/cmd/$cmd"); done
(cd "$MX_DIR" && CGO_ENABLED=1 go build -o "$MX_BIN/" "${pkgs[@]}")
echo "$stamp_want" >"$stamp_file"
mx_log "built ${#pkgs[@]} commands into $MX_BIN in $(( $(date +%s) - start ))s"
