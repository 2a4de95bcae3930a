import { assert, describe, it } from "@effect/vitest"
import { newSurbId } from "@katzenpost-effect/core"
import type { Request } from "@katzenpost-effect/core"
import { FakeDaemon } from "@katzenpost-effect/testing"
import type * as Transport from "@katzenpost-effect/transport"
import { ThinClient } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Queue from "effect/Queue"
import * as TestClock from "effect/TestClock"
import { hex, nodeHash, pkiDocument } from "./fixtures.js"

const payload = new Uint8Array([1, 2, 3, 4])
const queue = new TextEncoder().encode("+echo")

const sends = (requests: ReadonlyArray<Request.Request>) => requests.flatMap((request) => (request._tag === "SendMessage" ? [request] : []))

const nextTag = (events: Queue.Dequeue<Transport.ClientEvent>, tag: Transport.ClientEvent["_tag"]) =>
  Effect.gen(function*() {
    while (true) {
      const event = yield* Queue.take(events)
      if (event._tag === tag) return event
    }
  })

describe("direct messaging", () => {
  it.live("blockingSendMessage returns the SURB reply, with surbid always on the wire", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const reply = yield* client.blockingSendMessage(payload, nodeHash, queue)
      assert.deepStrictEqual([...reply.payload!], [...payload])
      const [sent] = sends(yield* daemon.requests)
      assert.isTrue(sent!.with_surb)
      assert.strictEqual(hex(sent!.surbid), hex(reply.surbid))
      assert.strictEqual(hex(sent!.destination_id_hash), hex(nodeHash))
      assert.strictEqual(hex(sent!.id), hex(reply.message_id))
    }).pipe(Effect.provide(FakeDaemon.layerClient())))

  it.live("sendMessage returns the message id; sent and reply events follow", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const events = yield* client.subscribe
      const surbId = yield* newSurbId
      const id = yield* client.sendMessage(surbId, payload, nodeHash, queue)
      const sent = yield* nextTag(events, "MessageSentEvent")
      const reply = yield* nextTag(events, "MessageReplyEvent")
      assert.strictEqual(sent._tag === "MessageSentEvent" ? hex(sent.message_id) : "", hex(id))
      assert.strictEqual(reply._tag === "MessageReplyEvent" ? hex(reply.surbid) : "", hex(surbId))
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient())))

  it.live("sendMessageWithoutReply sends without SURB", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      yield* client.sendMessageWithoutReply(payload, nodeHash, queue)
      const [sent] = sends(yield* daemon.awaitRequests((r) => r._tag === "SendMessage"))
      assert.isFalse(sent!.with_surb)
      assert.isNull(sent!.surbid)
    }).pipe(Effect.provide(FakeDaemon.layerClient())))

  it.live("refuses every send with DaemonOffline while the daemon is off the mixnet", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      assert.strictEqual((yield* Effect.flip(client.sendMessage(yield* newSurbId, payload, nodeHash, queue)))._tag, "DaemonOffline")
      assert.strictEqual((yield* Effect.flip(client.sendMessageWithoutReply(payload, nodeHash, queue)))._tag, "DaemonOffline")
      assert.strictEqual((yield* Effect.flip(client.blockingSendMessage(payload, nodeHash, queue)))._tag, "DaemonOffline")
      assert.strictEqual(sends(yield* daemon.requests).length, 0)
      yield* daemon.setOnline(true)
      yield* nextTag(events, "ConnectionStatusEvent")
      assert.strictEqual((yield* client.blockingSendMessage(payload, nodeHash, queue)).error_code, 0)
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ online: false }))))

  it.live("refuses payloads above UserForwardPayloadLength with PayloadTooLarge", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const error = yield* Effect.flip(client.sendMessageWithoutReply(new Uint8Array(2001), nodeHash, queue))
      assert.strictEqual(error._tag, "PayloadTooLarge")
      assert.deepStrictEqual(error._tag === "PayloadTooLarge" ? [error.size, error.limit] : [], [2001, 2000])
      yield* client.sendMessageWithoutReply(new Uint8Array(2000), nodeHash, queue)
    }).pipe(Effect.provide(FakeDaemon.layerClient())))

  it.effect("blockingSendMessage times out after 30 s by default", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      yield* daemon.setEcho(false)
      const call = yield* Effect.fork(client.blockingSendMessage(payload, nodeHash, queue))
      yield* daemon.awaitRequests((r) => r._tag === "SendMessage")
      yield* TestClock.adjust("29 seconds")
      assert.isNull(call.unsafePoll())
      yield* TestClock.adjust("1 second")
      const error = yield* Effect.flip(Fiber.join(call))
      assert.strictEqual(error._tag, "RequestTimeout")
      assert.strictEqual(error._tag === "RequestTimeout" ? error.millis : 0, 30_000)
    }).pipe(Effect.provide(FakeDaemon.layerClientInMemory())))

  it.live("blockingSendMessage fails at once when the daemon reports the send failed", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      yield* daemon.setEcho(false)
      const call = yield* Effect.fork(client.blockingSendMessage(payload, nodeHash, queue, { timeout: "1 hour" }))
      const [sent] = sends(yield* daemon.awaitRequests((r) => r._tag === "SendMessage"))
      yield* daemon.broadcast({
        _tag: "MessageSentEvent",
        message_id: sent!.id,
        surbid: sent!.surbid,
        sent_at: null,
        reply_eta: 0,
        forward_route: null,
        return_route: null,
        err: "no route to the destination"
      })
      const error = yield* Effect.flip(Fiber.join(call))
      assert.strictEqual(error._tag, "MessageSendFailed")
      assert.include(error.message, "no route to the destination")
    }).pipe(Effect.provide(FakeDaemon.layerClientInMemory())))

  it.live("a SURB reply queued while disconnected arrives before session_token_reply and completes the call", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      yield* daemon.pauseReplies
      const call = yield* Effect.fork(client.blockingSendMessage(payload, nodeHash, queue))
      yield* daemon.awaitRequests((r) => r._tag === "SendMessage")
      yield* daemon.setAccepting(false)
      yield* daemon.dropConnections
      yield* nextTag(events, "DaemonDisconnectedEvent")
      // The daemon answers while the session has no connection: it queues the SURB reply.
      yield* daemon.resumeReplies
      yield* daemon.setAccepting(true)
      assert.deepStrictEqual([...(yield* Fiber.join(call)).payload!], [...payload])
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient())))
})

describe("discovery", () => {
  it.live("finds services by capability, picks one at random, and names what is missing", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      assert.strictEqual((yield* client.getServices("echo")).length, 2)
      const courier = yield* client.getServices("courier")
      assert.deepStrictEqual(courier.map((s) => new TextDecoder().decode(s.recipientQueueId)), ["courier"])
      const one = yield* client.getService("echo")
      assert.include(["service1", "service2"], one.node.Name)
      const missing = yield* Effect.flip(client.getService("http"))
      assert.strictEqual(missing._tag, "ServiceNotFound")
    }).pipe(Effect.provide(FakeDaemon.layerClient({ pkiDocument: pkiDocument(3) }))))

  it.live("fails with NoPkiDocument before the daemon has a document", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      assert.strictEqual((yield* Effect.flip(client.getServices("echo")))._tag, "NoPkiDocument")
    }).pipe(Effect.provide(FakeDaemon.layerClient())))
})
