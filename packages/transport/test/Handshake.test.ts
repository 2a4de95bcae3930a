import { assert, describe, it } from "@effect/vitest"
import { FakeDaemon } from "@katzenpost-effect/testing"
import { ThinClient } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

describe("handshake", () => {
  it.live("connects over a unix socket and learns the daemon's status", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      assert.isTrue(yield* client.isConnected)
      assert.isTrue(yield* client.isDaemonConnected)
      const token = yield* client.instanceToken
      assert.deepStrictEqual(Option.map(token, (t) => Buffer.from(t).toString("hex")), Option.some(Buffer.from(yield* daemon.instanceToken).toString("hex")))
      assert.strictEqual(yield* daemon.sessions, 1)
    }).pipe(Effect.provide(FakeDaemon.layerClient())))
})
