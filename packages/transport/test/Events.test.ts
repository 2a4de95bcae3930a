import { assert, describe, it } from "@effect/vitest"
import { Codec, Frame, Response } from "@katzenpost-effect/core"
import { FakeDaemon } from "@katzenpost-effect/testing"
import * as Transport from "@katzenpost-effect/transport"
import { ThinClient } from "@katzenpost-effect/transport"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Queue from "effect/Queue"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { answerAll, counterRequest, handler, pkiDocument, replyTo } from "./fixtures.js"
import { LogCapture } from "./LogCapture.js"

const gc = Response.MessageIdGarbageCollected.make({ message_id: null })

const sent = (n: number) => Response.MessageSentEvent.make({ message_id: null, surbid: null, sent_at: n, reply_eta: 0, err: "" })

const sentAt = (events: Chunk.Chunk<Transport.ClientEvent>) =>
  Chunk.toReadonlyArray(events).map((event) => (event._tag === "MessageSentEvent" ? event.sent_at ?? -1 : -1))

const nextTag = (events: Queue.Dequeue<Transport.ClientEvent>, tag: Transport.ClientEvent["_tag"]) =>
  Effect.gen(function*() {
    while (true) {
      const event = yield* Queue.take(events)
      if (event._tag === tag) return event
    }
  })

describe("events", () => {
  it.live("a slow subscriber keeps only the newest events; fast subscribers and replies are unaffected", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const slow = yield* client.subscribe
      const fast = yield* client.subscribe
      const seenByFast: Array<number> = []
      for (let batch = 0; batch < 5; batch++) {
        for (let i = 0; i < 3; i++) yield* daemon.broadcast(sent(batch * 3 + i))
        // Replies travel behind the events on the socket: once this one is back, the batch was dispatched.
        assert.strictEqual((yield* client.request(counterRequest(batch + 1))).error_code, 0)
        seenByFast.push(...sentAt(yield* Queue.takeAll(fast)))
      }
      assert.deepStrictEqual(seenByFast, Array.from({ length: 15 }, (_, i) => i))
      assert.deepStrictEqual(sentAt(yield* Queue.takeAll(slow)), [11, 12, 13, 14])
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: answerAll }, { eventBufferSize: 4 }))))

  it.live("publishes status changes and decoded PKI documents, and keeps recent epochs", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      yield* daemon.setOnline(false)
      const status = yield* nextTag(events, "ConnectionStatusEvent")
      assert.isFalse(status._tag === "ConnectionStatusEvent" && status.is_connected)
      assert.isFalse(yield* client.isConnected)
      yield* daemon.publishPkiDocument(pkiDocument(8))
      const document = yield* nextTag(events, "PkiDocumentEvent")
      assert.strictEqual(document._tag === "PkiDocumentEvent" ? document.epoch : -1, 8)
      assert.strictEqual((yield* client.pkiDocument).Epoch, 8)
      assert.strictEqual((yield* client.pkiDocumentForEpoch(7)).Epoch, 7)
      assert.strictEqual((yield* client.pkiDocumentForEpoch(99)).Epoch, 8)
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ pkiDocument: pkiDocument(7) }))))

  it.live("skips an undecodable message without dropping the connection", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      yield* daemon.sendRaw(Frame.encodeFrame(new Uint8Array([0xff, 0x00, 0x13])))
      // A known key with a malformed member: skipped too.
      const status = new TextEncoder().encode("connection_status_event")
      yield* daemon.sendRaw(Frame.encodeFrame(new Uint8Array([0xa1, 0x60 + status.length, ...status, 0x01])))
      // An unknown key (a newer daemon's message) is kept and delivered as UnknownResponse.
      yield* daemon.sendRaw(Frame.encodeFrame(new Uint8Array([0xa1, 0x61, 0x78, 0x01])))
      assert.strictEqual((yield* client.request(counterRequest(1))).error_code, 0)
      yield* daemon.broadcast(gc)
      assert.strictEqual((yield* Queue.take(events))._tag, "UnknownResponse")
      assert.strictEqual((yield* Queue.take(events))._tag, "MessageIdGarbageCollected")
      assert.strictEqual(yield* daemon.connectionAttempts, 1)
      const logs = yield* LogCapture
      assert.strictEqual(
        yield* logs.next,
        "WARN skipping an undecodable message from kpclientd: invalid CBOR: indefinite lengths are not allowed (body of 3 bytes)"
      )
      assert.strictEqual(yield* logs.next, "WARN skipping an undecodable message from kpclientd: malformed connection_status_event: expected a map")
      assert.deepStrictEqual(yield* logs.rest, []) // the unknown key is not a warning
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: answerAll })), Effect.provide(LogCapture.layer)))

  it.live("drops the connection on a frame above the maximum length, then reconnects", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      yield* daemon.sendRaw(Frame.lengthPrefix(1024 * 1024))
      const disconnected = yield* nextTag(events, "DaemonDisconnectedEvent")
      assert.match(disconnected._tag === "DaemonDisconnectedEvent" ? disconnected.reason : "", /above the maximum of 4096/)
      yield* nextTag(events, "DaemonReconnectedEvent")
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({}, { maxFrameLength: 4096 }))))

  it.live("delivers the frames before an oversized length prefix, then drops the connection", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      const call = yield* Effect.fork(client.request(counterRequest(1)))
      yield* daemon.awaitRequests((request) => request._tag === "GetMessageBoxIndexCounter")
      const reply = Either.getOrThrow(Codec.encodeResponse(replyTo(counterRequest(1))))
      // One chunk: a good reply, then a prefix above the maximum.
      const prefix = Frame.lengthPrefix(1024 * 1024)
      const frame = Frame.encodeFrame(reply)
      const chunk = new Uint8Array(frame.length + prefix.length)
      chunk.set(frame)
      chunk.set(prefix, frame.length)
      yield* daemon.sendRaw(chunk)
      assert.strictEqual((yield* Fiber.join(call)).error_code, 0)
      yield* nextTag(events, "DaemonDisconnectedEvent")
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: handler(() => Effect.void) }, { maxFrameLength: 4096 }))))

  it.live("ends the event streams when the client closes", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const scope = yield* Scope.make()
      const client = yield* Scope.extend(Transport.ThinClient.make(FakeDaemon.clientConfig(daemon)), scope)
      const subscription = yield* Scope.extend(client.subscribe, scope)
      yield* Scope.close(scope, Exit.void)
      assert.isTrue(yield* Queue.isShutdown(subscription))
      assert.strictEqual(Chunk.size(yield* Stream.runCollect(client.events)), 0)
    }).pipe(Effect.provide(FakeDaemon.layer())))
})
