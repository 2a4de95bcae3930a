// Issue 12, chaos against the fake daemon: 1000 mixed calls at concurrency 16 (keypairs,
// daemon indexes, encryption, ARQ writes and reads) while the daemon crashes and restarts 10
// times. With waitForConnection every call ends with a result, none twice, and every
// confirmed write reads back.
import { assert, describe, it } from "@effect/vitest"
import { Pigeonhole } from "@katzenpost-effect/pigeonhole"
import { FakeDaemon, PigeonholeEngine } from "@katzenpost-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import { runChaos } from "./chaos/Chaos.js"

const layer = Pigeonhole.layer({ indexes: "daemon", waitForConnection: true }).pipe(
  Layer.provideMerge(
    PigeonholeEngine.layerClient({
      engine: { roundTrip: "2 millis", replicationLag: "0 millis" },
      client: { reconnectSchedule: Schedule.spaced("10 millis") }
    })
  )
)

describe("chaos", () => {
  it.live("1000 calls at concurrency 16 across 10 daemon crashes: all end once, confirmed writes survive", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const engine = yield* PigeonholeEngine.PigeonholeEngine
      const counts = yield* runChaos({
        operations: 1000,
        concurrency: 16,
        restarts: 10,
        arq: true,
        hangAfter: "30 seconds",
        // A crash: the daemon process and its ARQ state are gone, the replicas keep their boxes.
        restart: Effect.zipRight(engine.restart, daemon.restart)
      })
      console.log(`chaos (fake daemon): ${JSON.stringify(counts)}`)
      assert.strictEqual(counts.restarts, 10)
      assert.strictEqual(counts.hung, 0)
      assert.strictEqual(counts.completedTwice, 0)
      assert.deepStrictEqual(counts.failures, {})
      assert.strictEqual(counts.ok, 1000)
      assert.isAbove(counts.confirmedWrites, 0)
      assert.strictEqual(counts.lostWrites, 0)
    }).pipe(Effect.provide(layer)), { timeout: 120_000 })
})
