// `npm run demo [-- --config path/to/thinclient.toml]`: brings the build up to date with
// tsc -b (silent, and up to a minute the first time on a small machine), saying so, then
// runs the demo (packages/testing/src/bin/demo.ts) with the given arguments.
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const demo = fileURLToPath(new URL("../packages/testing/dist/bin/demo.js", import.meta.url))
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
const say = (line) => process.stderr.write(`demo: ${line}\n`)

say(
  existsSync(demo)
    ? "bringing the build up to date (tsc -b tsconfig.build.json)…"
    : "first run: building the four packages with tsc -b (silent; can take a minute on 2 cores)…"
)
const started = Date.now()
const build = spawnSync(process.execPath, [tsc, "-b", "tsconfig.build.json"], { cwd: root, stdio: "inherit" })
if (build.status !== 0) {
  say("the build failed (see above)")
  process.exit(build.status ?? 1)
}
say(`built in ${((Date.now() - started) / 1000).toFixed(1)} s; starting the demo\n`)
const run = spawnSync(process.execPath, [demo, ...process.argv.slice(2)], { cwd: root, stdio: "inherit" })
process.exit(run.status ?? 1)
