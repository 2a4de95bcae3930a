#!/usr/bin/env bash
# Packs every workspace package (prepack builds it) and checks what a user would get, in a
# fresh app per Effect version set:
#   newest  the newest effect 3.x, @effect/platform 0.x and @effect/platform-node 0.x;
#   lowest  exactly the lower bounds of the packages' peerDependencies (read from package.json).
# In each app: exactly one copy of `effect` in node_modules, a strict compile (skipLibCheck off)
# of scripts/pack-app/main.ts against the published .d.ts, and a Pigeonhole write and read on
# the fake daemon with no "Executing an Effect versioned …" warning. Also: no .tsbuildinfo in
# any tarball, LICENSE/README/dist in each, and (newest) the demo bin via npx.
#
#   scripts/pack-app.sh                 # both sets
#   SETS=newest scripts/pack-app.sh     # one set
#   KEEP=1 scripts/pack-app.sh          # keep the temp dir and print its path
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kpe-pack-app.XXXXXX")"
cleanup() { if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work"; fi; }
trap cleanup EXIT
t0=$(date +%s)
say() { printf '[pack-app %3ss] %s\n' "$(( $(date +%s) - t0 ))" "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

say "npm pack every workspace package (prepack builds it)"
mkdir -p "$work/tarballs"
(cd "$root" && npm pack --workspaces --pack-destination "$work/tarballs" --silent >/dev/null)
for tarball in "$work"/tarballs/*.tgz; do
  listing="$(tar tzf "$tarball")"
  echo "  $(basename "$tarball"): $(grep -c . <<<"$listing") files"
  if grep -q 'tsbuildinfo$' <<<"$listing"; then fail "$(basename "$tarball") contains a .tsbuildinfo"; fi
  for required in package/LICENSE package/README.md package/dist/index.js package/dist/index.d.ts; do
    grep -qx "$required" <<<"$listing" || fail "$(basename "$tarball") lacks $required"
  done
done

# The lower bound of a peer range in the packages' package.json ("^3.20.0", ">=0.94.5 <1").
lowest() {
  node -e '
    const [name] = process.argv.slice(1)
    const ranges = new Set()
    for (const pkg of ["core", "transport", "pigeonhole", "testing"]) {
      const range = require(`./packages/${pkg}/package.json`).peerDependencies?.[name]
      if (range !== undefined) ranges.add(range)
    }
    if (ranges.size !== 1) { console.error(`${name}: expected one peer range, got ${[...ranges]}`); process.exit(1) }
    const match = /^(?:\^|>=)(\d+\.\d+\.\d+)/.exec([...ranges][0])
    if (match === null) { console.error(`${name}: cannot read a lower bound from ${[...ranges][0]}`); process.exit(1) }
    console.log(match[1])' "$1"
}
ts_version="$(node -p 'require(process.argv[1]).version' "$root/node_modules/typescript/package.json")"

run_app() {
  local set="$1" effect="$2" platform="$3" platform_node="$4" app="$work/app-$1"
  say "[$set] install the tarballs with effect@$effect @effect/platform@$platform @effect/platform-node@$platform_node"
  mkdir -p "$app"
  cp "$root/scripts/pack-app/main.ts" "$root/scripts/pack-app/tsconfig.json" "$app/"
  echo '{ "name": "kpe-pack-app", "private": true, "type": "module" }' >"$app/package.json"
  (cd "$app" && npm install --no-audit --no-fund --loglevel=error \
    "$work"/tarballs/*.tgz \
    "effect@$effect" "@effect/platform@$platform" "@effect/platform-node@$platform_node" \
    "typescript@$ts_version" "@types/node@^20" >/dev/null)
  (cd "$app" && node -e '
    for (const name of ["effect", "@effect/platform", "@effect/platform-node"])
      console.log(`  ${name} ${require(`${name}/package.json`).version}`)')

  local copies
  copies="$(cd "$app" && find node_modules -path '*node_modules/effect/package.json' | sort)"
  say "[$set] copies of effect: $(tr '\n' ' ' <<<"$copies")"
  [ "$(grep -c . <<<"$copies")" -eq 1 ] || fail "[$set] expected exactly one copy of effect"

  say "[$set] strict compile (skipLibCheck off) against the published .d.ts"
  (cd "$app" && npx --no-install tsc -p tsconfig.json) || fail "[$set] the app does not compile"

  say "[$set] run: Pigeonhole write + read on the fake daemon"
  (cd "$app" && node dist/main.js) >"$app/run.log" 2>&1 || { cat "$app/run.log"; fail "[$set] the app failed"; }
  cat "$app/run.log"
  grep -q "pigeonhole write + read on the fake daemon: ok" "$app/run.log" || fail "[$set] the app did not report success"
  if grep -q "Executing an Effect versioned" "$app/run.log"; then fail "[$set] more than one Effect runtime"; fi

  if [ "$set" = newest ]; then
    say "[$set] the demo bin: npx katzenpost-effect-demo"
    (cd "$app" && npx --no-install katzenpost-effect-demo) >"$app/demo.log" 2>&1 || { cat "$app/demo.log"; fail "demo bin"; }
    tail -n 3 "$app/demo.log"
    if grep -q "Executing an Effect versioned" "$app/demo.log"; then fail "more than one Effect runtime in the demo"; fi
  fi
}

for set in ${SETS:-newest lowest}; do
  case "$set" in
    newest) run_app newest "^3" "<1" "<1" ;;
    lowest) cd "$root" && run_app lowest "$(lowest effect)" "$(lowest @effect/platform)" "$(lowest @effect/platform-node)" ;;
    *) fail "unknown set $set (newest, lowest)" ;;
  esac
done
say "ok"
