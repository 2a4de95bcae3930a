// Issue 12, defect 2: the service-wide waitForConnection default of Pigeonhole (Streams call
// through it) — with it, a call made while the daemon is unreachable waits for the
// reconnection; without it, the call fails fast unless it asks to wait itself.
import { assert, describe, it } from "@effect/vitest"
import { Pigeonhole } from "@katzenpost-effect/pigeonhole"
import { FakeDaemon, PigeonholeEngine } from "@katzenpost-effect/testing"
import { ThinClient } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Queue from "effect/Queue"
import * as Schedule from "effect/Schedule"

const layer = (waitForConnection: boolean | undefined) =>
  Pigeonhole.layer({ indexes: "daemon", ...(waitForConnection === undefined ? {} : { waitForConnection }) }).pipe(
    Layer.provideMerge(PigeonholeEngine.layerClient({ client: { reconnectSchedule: Schedule.spaced("10 millis") } }))
  )

/** Makes the daemon unreachable and waits until the client knows. */
const cut = Effect.gen(function*() {
  const daemon = yield* FakeDaemon.FakeDaemon
  const client = yield* ThinClient.ThinClient
  const events = yield* client.subscribe
  yield* daemon.setAccepting(false)
  yield* daemon.dropConnections
  while ((yield* Queue.take(events))._tag !== "DaemonDisconnectedEvent") {
    // other events
  }
  return daemon
})

describe("Pigeonhole waitForConnection default", () => {
  it.live("with it, a call made while the daemon is unreachable completes after the reconnection", () =>
    Effect.gen(function*() {
      const pigeonhole = yield* Pigeonhole.Pigeonhole
      const { firstIndex } = yield* pigeonhole.newKeypair(new Uint8Array(32).fill(1))
      const daemon = yield* cut
      const attempts = yield* daemon.connectionAttempts
      const call = yield* Effect.fork(pigeonhole.nextMessageBoxIndex(firstIndex))
      yield* daemon.awaitConnectionAttempts(attempts + 3)
      yield* daemon.setAccepting(true)
      const next = yield* Fiber.join(call)
      assert.strictEqual(next._tag, "MessageBoxIndex")
    }).pipe(Effect.scoped, Effect.provide(layer(true))))

  it.live("without it the call fails fast; a call's own waitForConnection still waits", () =>
    Effect.gen(function*() {
      const pigeonhole = yield* Pigeonhole.Pigeonhole
      const { firstIndex } = yield* pigeonhole.newKeypair(new Uint8Array(32).fill(2))
      const daemon = yield* cut
      const error = yield* Effect.flip(pigeonhole.nextMessageBoxIndex(firstIndex))
      assert.strictEqual(error._tag, "DaemonDisconnected")
      const call = yield* Effect.fork(pigeonhole.nextMessageBoxIndex(firstIndex, { waitForConnection: true }))
      yield* daemon.setAccepting(true)
      assert.strictEqual((yield* Fiber.join(call))._tag, "MessageBoxIndex")
    }).pipe(Effect.scoped, Effect.provide(layer(undefined))))
})
