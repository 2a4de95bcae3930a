/** The demo (`npm run demo -- --config …`, built by `npm run build`) against Alice's daemon. */
import { assert, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { repoRoot, thinConfig, timed } from "./Mixnet.js"

const demo = `${repoRoot}packages/testing/dist/bin/demo.js`

/** Runs the built demo; its output goes to the test log; the exit code is the result. */
const runDemo = (args: ReadonlyArray<string>) =>
  Effect.async<number | null, Error>((resume) => {
    if (!existsSync(demo)) {
      resume(Effect.fail(new Error(`${demo} is missing: run npm run build first`)))
      return
    }
    const child = spawn(process.execPath, [demo, ...args], { stdio: ["ignore", "inherit", "inherit"] })
    child.on("error", (error) => resume(Effect.fail(error)))
    child.on("exit", (code) => resume(Effect.succeed(code)))
    return Effect.sync(() => child.kill("SIGKILL"))
  })

it.live("the demo against the net exits 0", () =>
  Effect.gen(function*() {
    const code = yield* timed("demo", runDemo(["--config", thinConfig("alice")])).pipe(
      Effect.timeoutFail({ duration: "25 minutes", onTimeout: () => new Error("the demo did not finish in 25 minutes") })
    )
    assert.strictEqual(code, 0)
  }), 30 * 60_000)
