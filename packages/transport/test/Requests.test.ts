import { assert, describe, it } from "@effect/vitest"
import { Frame, Request, Response, type Rpc } from "@katzenpost-effect/core"
import { FakeDaemon } from "@katzenpost-effect/testing"
import * as Transport from "@katzenpost-effect/transport"
import { ThinClient } from "@katzenpost-effect/transport"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Queue from "effect/Queue"
import * as Scope from "effect/Scope"
import { answerAll, arqRequest, counterRequest, handler, hex, nodeHash, queryId, queryIdOf, replyTo } from "./fixtures.js"
import { LogCapture } from "./LogCapture.js"

const counterReply = (request: Rpc.QueryRequest, counter: bigint) => replyTo(request, { counter })

const text = (s: string) => {
  const bytes = new TextEncoder().encode(s)
  return [...(bytes.length < 24 ? [0x60 + bytes.length] : [0x78, bytes.length]), ...bytes]
}

/** A known reply carrying `id` whose error_code (300) does not fit its u8 field. */
const malformedCounterReply = (id: Uint8Array) =>
  new Uint8Array([
    0xa1,
    ...text("get_message_box_index_counter_reply"),
    0xa2,
    ...text("query_id"),
    0x50,
    ...id,
    ...text("error_code"),
    0x19,
    0x01,
    0x2c
  ])

/** Leaves the first query unanswered, answers the rest. */
const answerAfterFirst = () => {
  let seen = 0
  return handler((session, request) => (seen++ === 0 ? Effect.void : session.reply(replyTo(request))))
}

const awaitDisconnected = (events: Queue.Dequeue<Transport.ClientEvent>) =>
  Effect.gen(function*() {
    while ((yield* Queue.take(events))._tag !== "DaemonDisconnectedEvent") {}
  })

describe("requests", () => {
  it.live("correlates concurrent replies that arrive in reverse order", () => {
    const held: Array<() => Effect.Effect<void>> = []
    const reverse = handler((session, request) => {
      held.push(() => session.reply(counterReply(request, BigInt(request.query_id![0]!))))
      return held.length === 3 ? Effect.forEach(held.reverse(), (send) => send(), { discard: true }) : Effect.void
    })
    return Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const replies = yield* Effect.forEach([1, 2, 3], (n) => client.request(counterRequest(n)), { concurrency: "unbounded" })
      assert.deepStrictEqual(replies.map((reply) => reply.counter), [1n, 2n, 3n])
      assert.deepStrictEqual(replies.map((reply) => hex(reply.query_id)), [1, 2, 3].map((n) => hex(queryId(n))))
    }).pipe(Effect.provide(FakeDaemon.layerClient({ handler: reverse })))
  })

  it.live("drops a duplicate reply for one query id", () => {
    let calls = 0
    const twice = handler((session, request) => {
      calls++
      // First request: two replies (1, then the duplicate 2). Second request: 3.
      return calls === 1
        ? Effect.zipRight(session.reply(counterReply(request, 1n)), session.reply(counterReply(request, 2n)))
        : session.reply(counterReply(request, 3n))
    })
    return Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const events = yield* client.subscribe
      assert.strictEqual((yield* client.request(counterRequest(9))).counter, 1n)
      // The duplicate (2) must neither answer the next caller nor disturb the connection.
      const next = yield* client.request(counterRequest(10))
      assert.deepStrictEqual([next.counter, hex(next.query_id)], [3n, hex(queryId(10))])
      assert.deepStrictEqual(Chunk.toReadonlyArray(yield* Queue.takeAll(events)), [])
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: twice })))
  })

  it.live("fails fast with DaemonDisconnected while disconnected, or waits when asked to", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      yield* daemon.setAccepting(false)
      yield* daemon.dropConnections
      yield* awaitDisconnected(events)
      const error = yield* Effect.flip(client.request(counterRequest(1)))
      assert.strictEqual(error._tag, "DaemonDisconnected")
      const waiting = yield* Effect.fork(client.request(counterRequest(2), { waitForConnection: true }))
      yield* daemon.setAccepting(true)
      assert.strictEqual(hex((yield* Fiber.join(waiting)).query_id), hex(queryId(2)))
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: answerAll }))))

  it.live("fails a request whose socket drops before the reply with DaemonDisconnected", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      yield* daemon.dropAfterFrames(1)
      const error = yield* Effect.flip(client.request(counterRequest(4)))
      assert.strictEqual(error._tag, "DaemonDisconnected")
      // The client is back afterwards.
      yield* daemon.awaitHandshakes(2)
      assert.strictEqual((yield* client.request(counterRequest(5), { waitForConnection: true })).error_code, 0)
    }).pipe(Effect.provide(FakeDaemon.layerClient({ handler: answerAll }))))

  it.live("fails every waiting caller with ClientClosed when the client closes, after sending thin_close", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      yield* daemon.setEcho(false)
      const scope = yield* Scope.make()
      const client = yield* Scope.extend(Transport.ThinClient.make(FakeDaemon.clientConfig(daemon)), scope)
      const local = yield* Effect.fork(client.request(counterRequest(1)))
      const arq = yield* Effect.fork(client.request(arqRequest(2)))
      const blocking = yield* Effect.fork(client.blockingSendMessage(new Uint8Array([1]), nodeHash, new Uint8Array([1])))
      yield* daemon.awaitRequests((r) => r._tag === "SendMessage" || "query_id" in r, 3)
      yield* Scope.close(scope, Exit.void)
      assert.strictEqual((yield* Effect.flip(Fiber.join(local)))._tag, "ClientClosed")
      assert.strictEqual((yield* Effect.flip(Fiber.join(arq)))._tag, "ClientClosed")
      assert.strictEqual((yield* Effect.flip(Fiber.join(blocking)))._tag, "ClientClosed")
      yield* daemon.awaitRequests((r) => r._tag === "ThinClose")
      assert.strictEqual(yield* daemon.sessions, 0)
      assert.strictEqual((yield* Effect.flip(client.request(counterRequest(3))))._tag, "ClientClosed")
    }).pipe(Effect.provide(FakeDaemon.layer({ handler: handler(() => Effect.void) }))))

  it.live("never sends a v0.0.73 daemon a request kind it does not know", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const error = yield* Effect.flip(client.request(Request.GetPkiDocument.make({ query_id: queryId(1), epoch: 0n })))
      assert.strictEqual(error._tag, "UnsupportedRequest")
      assert.isFalse(yield* daemon.crashed)
      assert.isFalse((yield* daemon.requests).some((r) => r._tag === "GetPkiDocument"))
    }).pipe(Effect.provide(FakeDaemon.layerClient({ handler: answerAll }))))

  it.live("sends newer request kinds to a daemon that announced itself newer", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const reply = yield* client.request(Request.GetPkiDocument.make({ query_id: queryId(1), epoch: 0n }))
      assert.strictEqual(reply._tag, "GetPkiDocumentReply")
    }).pipe(Effect.provide(FakeDaemon.layerClient({ handler: answerAll, version: "newer" }))))

  it.live("times out a request with RequestTimeout and forgets it", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const error = yield* Effect.flip(client.request(counterRequest(1), { timeout: "50 millis" }))
      assert.strictEqual(error._tag, "RequestTimeout")
      // The same query id can be used again: the entry was removed.
      const again = yield* Effect.flip(client.request(counterRequest(1), { timeout: "10 millis" }))
      assert.strictEqual(again._tag, "RequestTimeout")
    }).pipe(Effect.provide(FakeDaemon.layerClient({ handler: handler(() => Effect.void) }))))

  it.live("waits for a reply the daemon delays", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      // Held, the first reply cannot beat the timeout; the second is only delayed and is waited for.
      yield* daemon.pauseReplies
      assert.strictEqual((yield* Effect.flip(client.request(counterRequest(1), { timeout: "5 millis" })))._tag, "RequestTimeout")
      yield* daemon.resumeReplies
      yield* daemon.setReplyDelay("40 millis")
      assert.strictEqual((yield* client.request(counterRequest(2))).error_code, 0)
    }).pipe(Effect.provide(FakeDaemon.layerClient({ handler: answerAll }))))

  it.live("interrupting a waiting caller frees its query id and its slot at once", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const first = yield* Effect.fork(client.request(counterRequest(1)))
      yield* daemon.awaitRequests((r) => queryIdOf(r) === hex(queryId(1)))
      yield* Fiber.interrupt(first)
      // With maxInFlight 1, the same id goes out only if the slot and the pending entry are free.
      const again = yield* client.request(counterRequest(1), { timeout: "2 seconds" })
      assert.strictEqual(again.error_code, 0)
    }).pipe(Effect.provide(FakeDaemon.layerClient({ handler: answerAfterFirst() }, { maxInFlight: 1 }))))

  it.live("a caller in an uninterruptible region gets its reply even when its fiber is interrupted", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      yield* daemon.pauseReplies
      const got: Array<bigint> = []
      const call = yield* Effect.fork(
        Effect.uninterruptible(Effect.map(client.request(counterRequest(2)), (reply) => got.push(reply.counter)))
      )
      yield* daemon.awaitRequests((r) => queryIdOf(r) === hex(queryId(2)))
      const interrupting = yield* Effect.fork(Fiber.interrupt(call))
      yield* Effect.sleep("20 millis")
      assert.deepStrictEqual(got, [])
      yield* daemon.resumeReplies
      yield* Fiber.join(interrupting)
      assert.deepStrictEqual(got, [2n])
    }).pipe(Effect.provide(FakeDaemon.layerClient({ handler: handler((session, request) => session.reply(counterReply(request, 2n))) }))))

  it.live("refuses a request without query id, and a second request with an id in flight", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const missing = yield* Effect.flip(client.request(Request.NextMessageBoxIndex.make({ query_id: null, message_box_index: null })))
      assert.strictEqual(missing._tag, "MalformedMessage")
      const first = yield* Effect.fork(client.request(counterRequest(1)))
      const daemon = yield* FakeDaemon.FakeDaemon
      yield* daemon.awaitRequests((r) => queryIdOf(r) === hex(queryId(1)))
      const twice = yield* Effect.flip(client.request(counterRequest(1)))
      assert.strictEqual(twice._tag, "MalformedMessage")
      yield* Fiber.interrupt(first)
    }).pipe(Effect.provide(FakeDaemon.layerClient({ handler: handler(() => Effect.void) }))))

  it.live("fails the caller of a reply that fails its schema with MalformedMessage", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const call = yield* Effect.fork(client.request(counterRequest(3)))
      yield* daemon.awaitRequests((request) => queryIdOf(request) === hex(queryId(3)))
      // One for nobody (skipped), one for the waiting caller.
      yield* daemon.sendRaw(Frame.encodeFrame(malformedCounterReply(queryId(4))))
      yield* daemon.sendRaw(Frame.encodeFrame(malformedCounterReply(queryId(3))))
      const error = yield* Effect.flip(Fiber.join(call).pipe(Effect.timeout("1 second")))
      assert.strictEqual(error._tag, "MalformedMessage")
      assert.match(error.message, /get_message_box_index_counter_reply/)
      // The connection stays up and the id is free again.
      assert.strictEqual((yield* client.request(counterRequest(3), { timeout: "1 second" })).error_code, 0)
      assert.strictEqual(yield* daemon.connectionAttempts, 1)
      // Both malformed replies are logged as skipped, whether or not someone waited for them.
      const logs = yield* LogCapture
      for (let i = 0; i < 2; i++) {
        assert.match(
          yield* logs.next,
          /^WARN skipping an undecodable message from kpclientd: malformed get_message_box_index_counter_reply: error_code: /
        )
      }
      assert.deepStrictEqual(yield* logs.rest, [])
    }).pipe(Effect.provide(FakeDaemon.layerClient({ handler: answerAfterFirst() })), Effect.provide(LogCapture.layer)))

  it.live("replies are not held up by a subscriber that never reads", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      yield* client.subscribe
      for (let i = 0; i < 50; i++) yield* daemon.broadcast(Response.MessageIdGarbageCollected.make({ message_id: null }))
      assert.strictEqual((yield* client.request(counterRequest(1))).error_code, 0)
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: answerAll }, { eventBufferSize: 4 }))))
})
