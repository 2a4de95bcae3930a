#!/usr/bin/env bash
# Packs every workspace package (prepack builds it), installs the tarballs into a fresh app
# beside the newest Effect 3 (or the versions given), and checks what a user would get:
# exactly one copy of `effect` in node_modules, a strict compile of scripts/pack-app/main.ts
# against the published .d.ts, a Pigeonhole write and read on the fake daemon with no
# "Executing an Effect versioned …" warning, no .tsbuildinfo in any tarball, and the demo bin.
#
#   scripts/pack-app.sh                       # newest effect 3.x, @effect/platform 0.x, platform-node 0.x
#   EFFECT=3.19.0 PLATFORM=0.93.0 PLATFORM_NODE=0.100.0 scripts/pack-app.sh   # a given set
#   KEEP=1 scripts/pack-app.sh                # keep the temp app and print its path
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
effect="${EFFECT:-^3}"
platform="${PLATFORM:-<1}"
platform_node="${PLATFORM_NODE:-<1}"
work="$(mktemp -d "${TMPDIR:-/tmp}/kpe-pack-app.XXXXXX")"
cleanup() { if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work"; fi; }
trap cleanup EXIT
t0=$(date +%s)
say() { printf '[pack-app %3ss] %s\n' "$(( $(date +%s) - t0 ))" "$*"; }

say "npm pack every workspace package into $work/tarballs"
mkdir -p "$work/tarballs" "$work/app"
(cd "$root" && npm pack --workspaces --pack-destination "$work/tarballs" --silent >/dev/null)
ls "$work/tarballs"
for tarball in "$work"/tarballs/*.tgz; do
  listing="$(tar tzf "$tarball")"
  if grep -q 'tsbuildinfo$' <<<"$listing"; then echo "FAIL: $(basename "$tarball") contains a .tsbuildinfo" >&2; exit 1; fi
  for required in package/LICENSE package/README.md package/dist/index.js package/dist/index.d.ts; do
    grep -qx "$required" <<<"$listing" || { echo "FAIL: $(basename "$tarball") lacks $required" >&2; exit 1; }
  done
done

say "install the tarballs with effect@$effect @effect/platform@$platform @effect/platform-node@$platform_node"
cp "$root/scripts/pack-app/main.ts" "$root/scripts/pack-app/tsconfig.json" "$work/app/"
cat >"$work/app/package.json" <<'JSON'
{ "name": "kpe-pack-app", "private": true, "type": "module" }
JSON
ts_version="$(node -p 'require(process.argv[1]).version' "$root/node_modules/typescript/package.json")"
(cd "$work/app" && npm install --no-audit --no-fund --loglevel=error \
  "$work"/tarballs/*.tgz \
  "effect@$effect" "@effect/platform@$platform" "@effect/platform-node@$platform_node" \
  "typescript@$ts_version" "@types/node@^20")
(cd "$work/app" && node -e '
  for (const name of ["effect", "@effect/platform", "@effect/platform-node"])
    console.log(`${name} ${require(`${name}/package.json`).version}`)')

say "exactly one effect in node_modules"
copies="$(cd "$work/app" && find node_modules -path '*node_modules/effect/package.json' | sort)"
echo "$copies"
if [ "$(printf '%s\n' "$copies" | grep -c .)" -ne 1 ]; then echo "FAIL: expected exactly one copy of effect" >&2; exit 1; fi

say "strict compile (skipLibCheck off) against the published .d.ts"
(cd "$work/app" && npx tsc -p tsconfig.json)

say "run: Pigeonhole write + read on the fake daemon"
(cd "$work/app" && node dist/main.js) 2>&1 | tee "$work/run.log"
grep -q "pigeonhole write + read on the fake daemon: ok" "$work/run.log" || { echo "FAIL: the app did not report success" >&2; exit 1; }
if grep -q "Executing an Effect versioned" "$work/run.log"; then echo "FAIL: more than one Effect runtime" >&2; exit 1; fi

say "the demo bin: npx katzenpost-effect-demo"
(cd "$work/app" && npx --no-install katzenpost-effect-demo) >"$work/demo.log" 2>&1 || { cat "$work/demo.log"; echo "FAIL: demo bin" >&2; exit 1; }
tail -n 3 "$work/demo.log"
if grep -q "Executing an Effect versioned" "$work/demo.log"; then echo "FAIL: more than one Effect runtime in the demo" >&2; exit 1; fi

say "ok"
