/**
 * kpclientd v0.0.104 holds each new connection up to 30 s (offline: always) before its first
 * frame, one connection at a time, even after the client left. The fake reproduces that with
 * `holdEachConnection`; these tests scale the 30 s down to 300 ms.
 */
import { assert, describe, it } from "@effect/vitest"
import { FakeDaemon } from "@katzenpost-effect/testing"
import { ThinClient, ThinClientConfig } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Queue from "effect/Queue"

describe("slow handshakes (kpclientd v0.0.104)", () => {
  it.live("connects when the handshake takes longer than the dial but less than the handshake timeout", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.make(FakeDaemon.clientConfig(daemon, { dialTimeout: "100 millis", handshakeTimeout: "2 seconds" }))
      assert.isTrue(yield* client.isDaemonConnected)
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layer({ handshake: { holdEachConnection: "300 millis" } }))))

  it.live("a first handshake that times out fails once and leaves nothing dialing", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.make(FakeDaemon.clientConfig(daemon, { handshakeTimeout: "100 millis" }))
        .pipe(Effect.retry({ times: 0 }), Effect.either)
      // The first connection is held 300 ms: with a 100 ms handshake timeout it fails, and the
      // client dials nothing more on its own.
      assert.isTrue(Either.isLeft(client))
      assert.strictEqual(Either.isLeft(client) ? client.left._tag : "", "HandshakeTimeout")
      yield* Effect.sleep("700 millis")
      assert.strictEqual(yield* daemon.connectionAttempts, 1)
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layer({ handshake: { holdEachConnection: "300 millis" } }))))

  it.live("reconnects through a held handshake with one socket, whatever the handshake timeout", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.make(FakeDaemon.clientConfig(daemon, { handshakeTimeout: "100 millis" }))
      const events = yield* client.subscribe
      yield* daemon.setHandshake({ holdEachConnection: "300 millis" })
      yield* daemon.dropConnections
      while ((yield* Queue.take(events))._tag !== "DaemonReconnectedEvent") {}
      // The initial connection and exactly one reconnection: the held one was never abandoned.
      assert.strictEqual(yield* daemon.connectionAttempts, 2)
      assert.isTrue(yield* client.isDaemonConnected)
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layer())), 10_000)

  it.live("names the address and asks whether kpclientd is running when nothing listens", () =>
    Effect.gen(function*() {
      const address = Either.getOrThrow(ThinClientConfig.unix(`/tmp/kp-effect-nothing-here-${process.pid}.sock`))
      const error = yield* Effect.flip(ThinClient.make(ThinClientConfig.make({ address })))
      assert.strictEqual(error._tag, "ConnectError")
      assert.include(error.message, `unix:/tmp/kp-effect-nothing-here-${process.pid}.sock`)
      assert.include(error.message, "is kpclientd running")
    }).pipe(Effect.scoped))
})
