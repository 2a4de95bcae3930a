#!/usr/bin/env bash
# The browser smoke test: build the packages, start an offline kpclientd v0.0.104 listening
# on a WebSocket (any Origin: the page is served from another port), and run smoke.mjs, which
# bundles page.ts with esbuild and checks it in headless Chromium (Debian's chromium,
# installed with apt-get when missing). Exits non-zero unless the page reports success.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export KPCLIENTD_VERSION=v0.0.104
. "$here/../kpclientd/lib.sh"

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  kp_log "installing Debian's chromium"
  if [ "$(id -u)" = 0 ]; then apt-get install -y chromium >/dev/null; else sudo apt-get install -y chromium >/dev/null; fi
fi

(cd "$root" && npx tsc -b tsconfig.build.json && npx tsc -p interop/browser)
"$here/../kpclientd/install.sh" >/dev/null
dir=$(mktemp -d "${TMPDIR:-/tmp}/kpclientd.XXXXXX")
trap '"$here/../kpclientd/stop.sh" "$dir" >/dev/null 2>&1 || true' EXIT INT TERM
KPCLIENTD_LISTEN=ws KPCLIENTD_WS_ANY_ORIGIN=1 "$here/../kpclientd/start.sh" "$dir" >/dev/null
url=$(cat "$dir/ws-address")
(cd "$root" && node --experimental-websocket --no-warnings "$here/smoke.mjs" "$url" "$chromium" "${KP_BROWSER_TIMEOUT:-150}")
