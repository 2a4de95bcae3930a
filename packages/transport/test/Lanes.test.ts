// `localConnections`: extra connections (lanes) that carry local requests in turn with the
// main connection (internal/lanes.ts).
import { assert, describe, it } from "@effect/vitest"
import type { Rpc } from "@katzenpost-effect/core"
import { FakeDaemon } from "@katzenpost-effect/testing"
import { ThinClient } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { answerAll, arqRequest, counterRequest, handler, hex, holdArq, replyTo } from "./fixtures.js"

/** Answers every query at once and records which session each one arrived on. */
const recording = () => {
  const seen: Array<{ readonly kind: Rpc.QueryRequest["_tag"]; readonly session: string }> = []
  return {
    seen,
    handler: handler((session, request) => {
      seen.push({ kind: request._tag, session: hex(session.appId) })
      return session.reply(replyTo(request, request._tag === "StartResendingEncryptedMessage" ? { plaintext: new Uint8Array([1]) } : {}))
    })
  }
}

/**
 * Waits until a lane carries local requests (it opens in the background after the handshake);
 * returns the main session. Afterwards, with one lane, the next local request takes the main
 * connection, the one after it the lane.
 */
const laneInUse = (client: ThinClient.ThinClient, seen: ReturnType<typeof recording>["seen"]) =>
  Effect.gen(function*() {
    yield* client.request(arqRequest(99))
    const main = seen.at(-1)!.session
    for (let n = 100; n < 300; n++) {
      yield* client.request(counterRequest(n))
      if (seen.at(-1)!.session !== main) return main
    }
    return assert.fail("no lane ever carried a request")
  })

describe("localConnections", () => {
  it.live("local requests take the main connection and the lane in turn; ARQ requests only the main one", () => {
    const { handler: answer, seen } = recording()
    return Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.ThinClient
      const main = yield* laneInUse(client, seen)
      const lane = seen.at(-1)!.session
      const from = seen.length
      for (let n = 1; n <= 4; n++) yield* client.request(counterRequest(n))
      for (let n = 5; n <= 6; n++) yield* client.request(arqRequest(n))
      assert.deepStrictEqual(seen.slice(from).map((s) => s.session), [main, lane, main, lane, main, main])
      assert.strictEqual(yield* daemon.sessions, 2)
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: answer }, { localConnections: 1 })))
  })

  it.live("events arrive once, from the main connection", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.ThinClient
      yield* daemon.awaitConnections(3)
      const events = yield* client.subscribe
      yield* daemon.setOnline(false)
      yield* daemon.setOnline(true)
      yield* daemon.setOnline(false)
      const statuses: Array<boolean> = []
      while (statuses.length < 3) {
        const event = yield* events.take
        if (event._tag === "ConnectionStatusEvent") statuses.push(event.is_connected)
      }
      // With the lanes' copies, the second event would repeat the first.
      assert.deepStrictEqual(statuses, [false, true, false])
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({}, { localConnections: 2 }))))

  it.live("a lane that drops hands its request to the main connection; the caller never sees it", () => {
    const { handler: answer, seen } = recording()
    return Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.ThinClient
      const main = yield* laneInUse(client, seen)
      // The next request goes out on the main connection, the one after it on the lane, which drops on receiving it.
      yield* client.request(counterRequest(1))
      yield* daemon.dropAfterFrames(1)
      const reply = yield* client.request(counterRequest(2), { timeout: "5 seconds" })
      assert.strictEqual(hex(reply.query_id), hex(counterRequest(2).query_id))
      assert.strictEqual(seen.at(-1)!.session, main, "answered on the main connection")
      assert.isTrue(yield* client.isDaemonConnected)
      yield* daemon.awaitConnections(1)
      yield* client.request(counterRequest(3))
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: answer }, { localConnections: 1 })))
  })

  it.live("the lanes close with the main connection and open again after the reconnect", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.ThinClient
      yield* daemon.awaitConnections(2)
      const reconnected = yield* client.events.pipe(
        Stream.filter((event) => event._tag === "DaemonReconnectedEvent"),
        Stream.take(1),
        Stream.runDrain,
        Effect.fork
      )
      yield* daemon.dropConnections
      yield* reconnected.await
      yield* daemon.awaitConnections(2)
      for (let n = 1; n <= 2; n++) yield* client.request(counterRequest(n))
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: holdArq() }, { localConnections: 1 }))))

  it.live("closing the client ends the lanes' sessions too (thin_close on each)", () => {
    const { handler: answer, seen } = recording()
    return Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      yield* Effect.scoped(Effect.gen(function*() {
        const client = yield* ThinClient.make(FakeDaemon.clientConfig(daemon, { localConnections: 2 }))
        // Both lanes carry requests (they open in the background).
        for (let n = 1; new Set(seen.map((s) => s.session)).size < 3; n++) {
          if (n > 300) return assert.fail("the lanes never carried a request")
          yield* client.request(counterRequest(n))
        }
        assert.strictEqual(yield* daemon.sessions, 3)
      }))
      yield* daemon.awaitConnections(0)
      assert.strictEqual(yield* daemon.sessions, 0)
    }).pipe(Effect.provide(FakeDaemon.layer({ handler: answer })))
  })

  it.live("a newer daemon gets no lanes (it serves one connection at a time)", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.ThinClient
      for (let n = 1; n <= 20; n++) yield* client.request(counterRequest(n))
      assert.strictEqual(yield* daemon.connectionAttempts, 1)
      assert.strictEqual(yield* daemon.sessions, 1)
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ version: "newer", handler: answerAll }, { localConnections: 1 }))))
})
