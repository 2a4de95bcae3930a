import type * as Socket from "@effect/platform/Socket"
import { assert, describe, it } from "@effect/vitest"
import { FakeDaemon } from "@katzenpost-effect/testing"
import * as Transport from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import { answerAll, arqRequest, counterRequest, nodeHash } from "./fixtures.js"

/** Sockets whose writes never complete once `stalled.on` is set: a daemon that stopped reading (§3.1). */
const stallable = (daemon: FakeDaemon.FakeDaemon) => {
  const stalled = { on: false }
  const stall = (socket: Socket.Socket): Socket.Socket => ({
    ...socket,
    writer: Effect.map(socket.writer, (write) => (chunk: Parameters<typeof write>[0]) => (stalled.on ? Effect.never : write(chunk)))
  })
  return { stalled, open: Effect.map(daemon.connect, stall) }
}

describe("a daemon that stopped reading", () => {
  it.live("a request's timeout covers the write, not only the wait for the reply", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const { open, stalled } = stallable(daemon)
      const client = yield* Transport.ThinClient.makeWith(FakeDaemon.clientConfig(daemon, { closeTimeout: "50 millis" }), open)
      stalled.on = true
      for (const request of [counterRequest(1), arqRequest(2)]) {
        const error = yield* Effect.flip(client.request(request, { timeout: "100 millis" }).pipe(Effect.timeout("1 second")))
        assert.strictEqual(error._tag, "RequestTimeout")
      }
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layer({ handler: answerAll }))))

  it.live("a direct send gives up after blockingSendTimeout with RequestTimeout", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const { open, stalled } = stallable(daemon)
      const config = FakeDaemon.clientConfig(daemon, { blockingSendTimeout: "100 millis", closeTimeout: "50 millis" })
      const client = yield* Transport.ThinClient.makeWith(config, open)
      stalled.on = true
      const payload = new Uint8Array([1, 2, 3])
      const queue = new TextEncoder().encode("+echo")
      const error = yield* Effect.flip(client.sendMessageWithoutReply(payload, nodeHash, queue).pipe(Effect.timeout("1 second")))
      assert.strictEqual(error._tag, "RequestTimeout")
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layer())))
})
