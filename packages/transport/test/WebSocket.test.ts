/**
 * `[Dial.Ws]`: the client dials kpclientd v0.0.104's WebSocket listener with
 * `@effect/platform`'s WebSocket socket; the fake daemon listens on one the same way.
 */
import { assert, describe, it } from "@effect/vitest"
import { newQueryId, Request } from "@katzenpost-effect/core"
import { FakeDaemon } from "@katzenpost-effect/testing"
import { ThinClient, ThinClientConfig } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Queue from "effect/Queue"
import { answerAll } from "./fixtures.js"

const overWebSocket = (daemon: FakeDaemon.FakeDaemon) =>
  Effect.gen(function*() {
    const url = daemon.webSocketUrl
    assert.isDefined(url)
    const toml = `[Dial]\n[Dial.Ws]\nAddress = "${url}"\n`
    const config = Either.getOrThrow(ThinClientConfig.fromToml(toml, { reconnectSchedule: FakeDaemon.clientConfig(daemon).reconnectSchedule }))
    return yield* ThinClient.make({ ...config, geometry: FakeDaemon.clientConfig(daemon).geometry })
  })

describe("WebSocket dial", () => {
  it.live("handshakes and answers requests over a WebSocket", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* overWebSocket(daemon)
      assert.isTrue(yield* client.isDaemonConnected)
      const reply = yield* client.request(Request.GetMessageBoxIndexCounter.make({ query_id: yield* newQueryId, message_box_index: null }))
      assert.strictEqual(reply._tag, "GetMessageBoxIndexCounterReply")
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layer({ webSocket: true, handler: answerAll }))))

  it.live("resumes the session over a new WebSocket after a drop", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* overWebSocket(daemon)
      const events = yield* client.subscribe
      yield* daemon.dropConnections
      let event = yield* Queue.take(events)
      while (event._tag !== "DaemonReconnectedEvent") event = yield* Queue.take(events)
      assert.isTrue(event.resumed)
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layer({ webSocket: true }))))

  it.live("names the URL and asks whether kpclientd is running when nothing listens", () =>
    Effect.gen(function*() {
      const address = Either.getOrThrow(ThinClientConfig.ws("ws://127.0.0.1:1/"))
      const error = yield* Effect.flip(ThinClient.make(ThinClientConfig.make({ address, dialTimeout: "2 seconds" })))
      assert.strictEqual(error._tag, "ConnectError")
      assert.include(error.message, "ws://127.0.0.1:1/")
      assert.include(error.message, "is kpclientd running")
    }).pipe(Effect.scoped))
})
