// Issue 12, transport defects: 1 (a reply broken at frame level fails its caller), 2 (a write
// right after a restart, and local requests in flight, wait for the reconnection), 3 (a bound
// on requests in flight), 4 (log amplification), 9 (a failed redial is not a defect), 10
// (outbound frames above the daemon's limit).
import * as NodeSocket from "@effect/platform-node/NodeSocket"
import { assert, describe, it } from "@effect/vitest"
import { Codec, Frame, Request } from "@katzenpost-effect/core"
import { FakeDaemon } from "@katzenpost-effect/testing"
import { FramedConnection, ThinClient } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import { answerAll, counterRequest, handler, hex, queryId, queryIdOf, replyTo } from "./fixtures.js"

/** A logger that keeps every message, at every level. */
const capture = () => {
  const lines: Array<string> = []
  const logger = Logger.make(({ logLevel, message }) => {
    lines.push(`${logLevel.label} ${Array.isArray(message) ? message.join(" ") : String(message)}`)
  })
  return { lines, layer: Logger.replace(Logger.defaultLogger, logger) }
}

const frame = (body: Uint8Array) => Frame.encodeFrame(body)

describe("defect 1: a reply broken at frame level fails the caller it names", () => {
  it.live("trailing bytes after the reply map: MalformedMessage, not a wait forever", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.ThinClient
      const request = counterRequest(1)
      const call = yield* Effect.fork(client.request(request, { timeout: "5 seconds" }))
      yield* daemon.awaitRequests((r) => queryIdOf(r) === hex(queryId(1)))
      const body = Either.getOrThrow(Codec.encodeResponse(replyTo(request, { counter: 3n })))
      yield* daemon.sendRaw(frame(Uint8Array.from([...body, 0x00])))
      const error = yield* Effect.flip(Fiber.join(call))
      assert.strictEqual(error._tag, "MalformedMessage")
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: handler(() => Effect.void) }))))
})

describe("defect 2: waitForConnection covers the moment after a restart", () => {
  it.live("a request right after daemon.restart succeeds once reconnected (6 of 6)", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.ThinClient
      for (let n = 1; n <= 6; n++) {
        yield* daemon.restart
        const reply = yield* client.request(counterRequest(n), { waitForConnection: true, timeout: "5 seconds" })
        assert.strictEqual(reply._tag, "GetMessageBoxIndexCounterReply")
      }
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: answerAll }))))

  it.live("a local request in flight when the daemon restarts is sent again (the config default), not failed", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.ThinClient
      yield* daemon.pauseReplies
      const call = yield* Effect.fork(client.request(counterRequest(7), { timeout: "5 seconds" }))
      yield* daemon.awaitRequests((r) => queryIdOf(r) === hex(queryId(7)))
      yield* daemon.restart
      yield* daemon.resumeReplies
      const reply = yield* Fiber.join(call)
      assert.strictEqual(reply._tag, "GetMessageBoxIndexCounterReply")
      assert.strictEqual((yield* daemon.awaitRequests((r) => queryIdOf(r) === hex(queryId(7)), 2)).length, 2)
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: answerAll }, { waitForConnection: true }))))

  it.live("without waitForConnection a request in flight still fails with DaemonDisconnected", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.ThinClient
      const call = yield* Effect.fork(client.request(counterRequest(8), { timeout: "5 seconds" }))
      yield* daemon.awaitRequests((r) => queryIdOf(r) === hex(queryId(8)))
      yield* daemon.restart
      const error = yield* Effect.flip(Fiber.join(call))
      assert.strictEqual(error._tag, "DaemonDisconnected")
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: handler(() => Effect.void) }))))
})

describe("defect 3: a bound on requests in flight", () => {
  it.live("past maxInFlight callers wait (none fails), and replies free their slots", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.ThinClient
      yield* daemon.pauseReplies
      const calls = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 10 }, (_, i) => counterRequest(i + 1)), (r) => client.request(r, { timeout: "5 seconds" }), {
          concurrency: "unbounded"
        })
      )
      yield* daemon.awaitRequests((r) => r._tag === "GetMessageBoxIndexCounter", 3)
      // Nothing else can go out until a reply comes back: give the writer a moment to prove it.
      yield* Effect.sleep("50 millis")
      assert.strictEqual((yield* daemon.requests).filter((r) => r._tag === "GetMessageBoxIndexCounter").length, 3)
      yield* daemon.resumeReplies
      const replies = yield* Fiber.join(calls)
      assert.strictEqual(replies.length, 10)
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: answerAll }, { maxInFlight: 3 }))))

  it.live("a timed-out waiter leaves the queue and the bound holds", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.ThinClient
      yield* daemon.pauseReplies
      const first = yield* Effect.fork(client.request(counterRequest(1), { timeout: "5 seconds" }))
      yield* daemon.awaitRequests((r) => queryIdOf(r) === hex(queryId(1)))
      const error = yield* Effect.flip(client.request(counterRequest(2), { timeout: "30 millis" }))
      assert.strictEqual(error._tag, "RequestTimeout")
      yield* daemon.resumeReplies
      yield* Fiber.join(first)
      const third = yield* client.request(counterRequest(3), { timeout: "5 seconds" })
      assert.strictEqual(third._tag, "GetMessageBoxIndexCounterReply")
      assert.isFalse((yield* daemon.requests).some((r) => queryIdOf(r) === hex(queryId(2))))
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: answerAll }, { maxInFlight: 1 }))))
})

describe("defect 4: undecodable frames are logged at a bounded rate", () => {
  it.live("2000 bad frames give a handful of warnings, and the next reply is not held up", () => {
    const { layer, lines } = capture()
    return Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.makeWith(FakeDaemon.clientConfig(daemon), daemon.connect)
      const garbage = frame(Uint8Array.of(0xa1, 0x61, 0x61, 0xc1, 0x01))
      const flood = new Uint8Array(garbage.length * 2000)
      for (let i = 0; i < 2000; i++) flood.set(garbage, i * garbage.length)
      yield* daemon.sendRaw(flood)
      const reply = yield* client.request(counterRequest(1), { timeout: "5 seconds" })
      assert.strictEqual(reply._tag, "GetMessageBoxIndexCounterReply")
      const warnings = lines.filter((line) => line.includes("undecodable"))
      assert.isAtMost(warnings.length, 12)
      assert.isAtLeast(warnings.length, 1)
    }).pipe(Effect.scoped, Effect.provide(layer), Effect.provide(FakeDaemon.layer({ handler: answerAll })))
  })
})

describe("defect 9: a failed dial is an expected outcome", () => {
  it.live("no 'unhandled error' is logged when the socket cannot connect", () => {
    const { layer, lines } = capture()
    return Effect.gen(function*() {
      const socket = yield* NodeSocket.makeNet({ path: "/nonexistent/katzenpost-effect.sock" })
      const opened = yield* Effect.either(FramedConnection.open(socket))
      assert.isTrue(Either.isLeft(opened))
      yield* Effect.sleep("20 millis")
      assert.deepStrictEqual(lines.filter((line) => line.includes("unhandled")), [], lines.join("\n"))
    }).pipe(Effect.scoped, Effect.provide(layer), Logger.withMinimumLogLevel(LogLevel.All))
  })
})

describe("defect 10: outbound frames above the daemon's limit", () => {
  it.live("fail with a typed error before any byte is written", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.ThinClient
      const request = Request.EncryptWrite.make({
        query_id: queryId(1),
        plaintext: new Uint8Array(Frame.DEFAULT_MAX_FRAME_LENGTH + 1),
        write_cap: null,
        message_box_index: null
      })
      const error = yield* Effect.flip(client.request(request))
      assert.strictEqual(error._tag, "MalformedMessage")
      assert.include(error.message, "nothing was sent")
      assert.isFalse((yield* daemon.requests).some((r) => r._tag === "EncryptWrite"))
      const reply = yield* client.request(counterRequest(2), { timeout: "5 seconds" })
      assert.strictEqual(reply._tag, "GetMessageBoxIndexCounterReply")
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: answerAll }))))
})
