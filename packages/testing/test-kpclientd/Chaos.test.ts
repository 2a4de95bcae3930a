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

/** With `localConnections`, the calls also go over lanes, which die and reopen with every restart. */
const layer = (localConnections: number) =>
  Pigeonhole.layer({ indexes: "daemon", waitForConnection: true }).pipe(
    Layer.provideMerge(
      Layer.scoped(
        ThinClient.ThinClient,
        Effect.flatMap(
          ThinClientConfig.loadFile(configPath ?? "", {
            reconnectSchedule: Schedule.spaced("50 millis"),
            waitForConnection: true,
            localConnections
          }),
          ThinClient.make
        )
      ).pipe(Layer.provide(NodeFileSystem.layer))
    )
  )

const chaos = (operations: number, restarts: number, localConnections: number) => async () => {
  if (configPath === undefined || restartCommand === undefined) {
    throw new Error("set KATZENPOST_THINCLIENT_CONFIG and KPCLIENTD_RESTART (see interop/ci.sh)")
  }
  const counts = await Effect.runPromise(
    runChaos({ operations, concurrency: 16, restarts, arq: false, hangAfter: "60 seconds", restart }).pipe(
      Effect.provide(layer(localConnections))
    )
  )
  console.log(`chaos (real kpclientd, ${localConnections} extra connections): ${JSON.stringify(counts)}`)
  assert.strictEqual(counts.restarts, restarts)
  assert.strictEqual(counts.hung, 0)
  assert.strictEqual(counts.completedTwice, 0)
  // The only typed failure the daemon really gives offline is code 4 (ThinClient offline).
  for (const key of Object.keys(counts.failures)) assert.match(key, /\(4\)$/, key)
  assert.strictEqual(counts.ok + Object.values(counts.failures).reduce((a, b) => a + b, 0), operations)
}

describe("chaos: real kpclientd", () => {
  it("1000 calls at concurrency 16 across 10 SIGKILL restarts: all end with a result, none twice", chaos(1000, 10, 0), 300_000)
  it("the same over a lane (localConnections: 1): 600 calls across 5 restarts", chaos(600, 5, 1), 300_000)
})
