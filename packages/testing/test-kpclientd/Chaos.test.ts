/**
 * Issue 12, chaos against a real kpclientd v0.0.73 (offline): 1000 local calls at concurrency
 * 16 (keypairs, daemon indexes, encryption) while the daemon is SIGKILLed and restarted 10
 * times (KPCLIENTD_RESTART, as interop/ci.sh passes it). With waitForConnection every call
 * ends with a result, none twice.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { Pigeonhole } from "@katzenpost-effect/pigeonhole"
import { ThinClient, ThinClientConfig } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import { spawn } from "node:child_process"
import { assert, describe, it } from "vitest"
import { runChaos } from "../test/chaos/Chaos.js"

const configPath = process.env[ThinClientConfig.CONFIG_PATH_VARIABLE]
const restartCommand = process.env["KPCLIENTD_RESTART"]

/** Runs the restart command without blocking the event loop (the calls keep going meanwhile). */
const restart = Effect.async<void>((resume) => {
  const [command, ...args] = (restartCommand ?? "").split(" ")
  // Its own process group: the restarted daemon must outlive this test worker (the contract suite runs next).
  const child = spawn(command ?? "", args, { stdio: "ignore", detached: true })
  child.on("exit", (code) => resume(code === 0 ? Effect.void : Effect.dieMessage(`restart exited with ${code}`)))
  child.on("error", (error) => resume(Effect.die(error)))
})

const layer = Pigeonhole.layer({ indexes: "daemon", waitForConnection: true }).pipe(
  Layer.provideMerge(
    Layer.scoped(
      ThinClient.ThinClient,
      Effect.flatMap(
        ThinClientConfig.loadFile(configPath ?? "", { reconnectSchedule: Schedule.spaced("50 millis"), waitForConnection: true }),
        ThinClient.make
      )
    ).pipe(Layer.provide(NodeFileSystem.layer))
  )
)

describe("chaos: real kpclientd", () => {
  it("1000 calls at concurrency 16 across 10 SIGKILL restarts: all end with a result, none twice", async () => {
    if (configPath === undefined || restartCommand === undefined) {
      throw new Error("set KATZENPOST_THINCLIENT_CONFIG and KPCLIENTD_RESTART (see interop/ci.sh)")
    }
    const counts = await Effect.runPromise(
      runChaos({ operations: 1000, concurrency: 16, restarts: 10, arq: false, hangAfter: "60 seconds", restart }).pipe(
        Effect.provide(layer)
      )
    )
    console.log(`chaos (real kpclientd): ${JSON.stringify(counts)}`)
    assert.strictEqual(counts.restarts, 10)
    assert.strictEqual(counts.hung, 0)
    assert.strictEqual(counts.completedTwice, 0)
    // The only typed failure the daemon really gives offline is code 4 (ThinClient offline).
    for (const key of Object.keys(counts.failures)) assert.match(key, /\(4\)$/, key)
    assert.strictEqual(counts.ok + Object.values(counts.failures).reduce((a, b) => a + b, 0), 1000)
  }, 300_000)
})
