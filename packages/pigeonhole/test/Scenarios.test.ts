/**
 * The reference clients' Pigeonhole scenarios, run through the SDK against the fake
 * kpclientd of `@katzenpost-effect/testing` over its unix socket.
 */
import { assert, describe, it } from "@effect/vitest"
import { Bacap, type MessageBoxIndex, type ReadCap, type Request, type WriteCap } from "@katzenpost-effect/core"
import { Pigeonhole, Streams } from "@katzenpost-effect/pigeonhole"
import { FakeDaemon, PigeonholeEngine } from "@katzenpost-effect/testing"
import { ThinClient } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"

const text = (s: string) => new TextEncoder().encode(s)
const decode = (b: Uint8Array) => new TextDecoder().decode(b)
const seed = (n: number) => new Uint8Array(32).fill(n)

const services = (engine: PigeonholeEngine.Options = {}) =>
  Streams.layer().pipe(
    Layer.provideMerge(Pigeonhole.layer({ arqTimeout: "20 seconds" })),
    Layer.provideMerge(PigeonholeEngine.layerClient({ engine: { readRetryInterval: "20 millis", ...engine } }))
  )

/** Writes `message` to the box at `index` with the low-level calls. */
const writeBox = (
  p: Pigeonhole.Pigeonhole,
  keys: { readonly writeCap: WriteCap },
  index: MessageBoxIndex,
  message: Uint8Array,
  options: Pigeonhole.CallOptions = {}
) => Effect.flatMap(p.encryptWrite(message, keys.writeCap, index, options), (envelope) => p.startResending(envelope, options))

const readBox = (p: Pigeonhole.Pigeonhole, keys: { readonly readCap: ReadCap }, index: MessageBoxIndex) =>
  Effect.flatMap(p.encryptRead(keys.readCap, index), (envelope) => p.startResending(envelope))

/** Waits (bounded) until the engine holds `count` ARQ operations. */
const awaitInFlight = (engine: PigeonholeEngine.PigeonholeEngine, count: number) =>
  engine.awaitInFlight(count).pipe(
    Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => new Error(`engine never held ${count} ARQ operations`) })
  )

const isTag = <T extends Request.Request["_tag"]>(tag: T) => (request: Request.Request): boolean => request._tag === tag

describe("Pigeonhole scenarios against the fake daemon", () => {
  it.live("Alice writes a box and Bob reads it", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const alice = yield* p.newKeypair(seed(1))
      const written = yield* writeBox(p, alice, alice.firstIndex, text("hello Bob"))
      assert.strictEqual(written.courier.identityHash.length, 32)
      const result = yield* readBox(p, alice, alice.firstIndex)
      assert.strictEqual(decode(result.plaintext), "hello Bob")
      assert.isAbove(result.courier.queueId.length, 0)
    }).pipe(Effect.provide(services())))

  it.live("several messages, interleaved and in bulk, arrive in order", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const streams = yield* Streams.Streams
      const alice = yield* p.newKeypair(seed(2))
      const writer = yield* streams.writer(alice.writeCap)
      const reader = yield* streams.reader(alice.readCap)
      for (const message of ["a", "b", "c"]) {
        yield* writer.write(text(message))
        assert.strictEqual(decode((yield* reader.read()).plaintext), message)
      }
      const bulk = Array.from({ length: 8 }, (_, i) => `bulk ${i}`)
      for (const message of bulk) yield* writer.write(text(message))
      const received: Array<string> = []
      for (let i = 0; i < bulk.length; i++) received.push(decode((yield* reader.read()).plaintext))
      assert.deepStrictEqual(received, bulk)
      assert.strictEqual(Bacap.counter(yield* writer.position), Bacap.counter(yield* reader.position))
    }).pipe(Effect.provide(services())))

  it.live("a stream write interrupted after the daemon took it is not overwritten: the next message follows it", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const streams = yield* Streams.Streams
      const daemon = yield* FakeDaemon.FakeDaemon
      const alice = yield* p.newKeypair(seed(16))
      const writer = yield* streams.writer(alice.writeCap)
      const reader = yield* streams.reader(alice.readCap)
      const engine = yield* PigeonholeEngine.PigeonholeEngine
      const writing = yield* Effect.fork(writer.write(text("A")))
      // The daemon writes A one round trip (400 ms) after receiving it, but its reply is held:
      // the caller never learns that the write succeeded. Replies can only be paused once the
      // write's own encryption reply has come back, hence the long round trip.
      yield* daemon.awaitRequests(isTag("StartResendingEncryptedMessage"), 1)
      yield* daemon.pauseReplies
      yield* engine.boxCount.pipe(
        Effect.repeat({ until: (n) => n === 1, schedule: Schedule.spaced("5 millis") }),
        Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => new Error("the daemon never wrote A") })
      )
      const interrupting = yield* Effect.fork(Fiber.interrupt(writing))
      yield* daemon.resumeReplies
      yield* Fiber.join(interrupting)
      assert.strictEqual(Bacap.counter(yield* writer.position), Bacap.counter(alice.firstIndex))
      yield* writer.write(text("B"))
      const received: Array<string> = []
      for (let i = 0; i < 2; i++) received.push(decode((yield* reader.read({ timeout: "5 seconds" })).plaintext))
      assert.deepStrictEqual(received, ["A", "B"])
      assert.strictEqual(Bacap.counter(yield* writer.position), Bacap.counter(alice.firstIndex) + 2n)
    }).pipe(Effect.provide(services({ roundTrip: "400 millis" }))))

  it.live("a read before the write waits through replication lag", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const daemon = yield* FakeDaemon.FakeDaemon
      const alice = yield* p.newKeypair(seed(3))
      const reading = yield* Effect.fork(readBox(p, alice, alice.firstIndex))
      yield* daemon.awaitRequests(isTag("StartResendingEncryptedMessage"), 1)
      assert.isTrue(Option.isNone(yield* Fiber.poll(reading)))
      yield* writeBox(p, alice, alice.firstIndex, text("late"))
      assert.strictEqual(decode((yield* Fiber.join(reading)).plaintext), "late")
    }).pipe(Effect.provide(services({ replicationLag: "150 millis" }))))

  it.live("NoRetry answers BoxIdNotFound for a box not written yet", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const alice = yield* p.newKeypair(seed(4))
      const envelope = yield* p.encryptRead(alice.readCap, alice.firstIndex)
      const error = yield* Effect.flip(p.startResendingNoRetry(envelope))
      assert.strictEqual(error._tag, "BoxIdNotFound")
    }).pipe(Effect.provide(services())))

  it.live("a second write is idempotent by default and BoxAlreadyExists with ReturnBoxExists", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const alice = yield* p.newKeypair(seed(5))
      yield* writeBox(p, alice, alice.firstIndex, text("first"))
      yield* writeBox(p, alice, alice.firstIndex, text("again"))
      const envelope = yield* p.encryptWrite(text("third"), alice.writeCap, alice.firstIndex)
      const error = yield* Effect.flip(p.startResendingReturnBoxExists(envelope))
      assert.strictEqual(error._tag, "BoxAlreadyExists")
      assert.strictEqual(decode((yield* readBox(p, alice, alice.firstIndex)).plaintext), "first")
    }).pipe(Effect.provide(services())))

  it.live("tombstones a box, then a range", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const alice = yield* p.newKeypair(seed(6))
      let index = alice.firstIndex
      const indexes = [index]
      for (const message of ["one", "two", "three"]) {
        yield* writeBox(p, alice, index, text(message))
        index = yield* p.nextMessageBoxIndex(index)
        indexes.push(index)
      }
      const [first, second, third] = indexes
      if (first === undefined || second === undefined || third === undefined) return assert.fail("indexes")
      yield* writeBox(p, alice, first, new Uint8Array(0))
      assert.strictEqual((yield* Effect.flip(readBox(p, alice, first)))._tag, "Tombstone")
      const range = yield* p.tombstoneRange(alice.writeCap, second, 2)
      yield* Effect.forEach(range.envelopes, (envelope) => p.startResending(envelope), { discard: true })
      assert.strictEqual((yield* Effect.flip(readBox(p, alice, second)))._tag, "Tombstone")
      assert.strictEqual((yield* Effect.flip(readBox(p, alice, third)))._tag, "Tombstone")
      assert.strictEqual(Bacap.counter(range.next), Bacap.counter(third) + 1n)
    }).pipe(Effect.provide(services())))

  it.live("a copy command delivers one payload across several boxes", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const streams = yield* Streams.Streams
      const dest = yield* p.newKeypair(seed(7))
      const payload = Uint8Array.from({ length: 4000 }, (_, i) => (i * 13) % 256)
      const next = yield* streams.sendPayload(payload, dest.writeCap, dest.firstIndex)
      const reader = yield* streams.reader(dest.readCap)
      const parts: Array<Uint8Array> = []
      while (Bacap.counter(yield* reader.position) < Bacap.counter(next)) parts.push((yield* reader.read()).plaintext)
      assert.deepStrictEqual(new Uint8Array(Buffer.concat(parts)), payload)
    }).pipe(Effect.provide(services())))

  it.live("a copy stream built from multi-payload calls threads its buffer and reaches both destinations", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const a = yield* p.newKeypair(seed(8))
      const b = yield* p.newKeypair(seed(9))
      const temporary = yield* p.newKeypair(seed(10))
      const one = yield* p.createCourierEnvelopesFromMultiPayload(
        [
          { payload: text("to a"), writeCap: a.writeCap, startIndex: a.firstIndex },
          { payload: text("to b"), writeCap: b.writeCap, startIndex: b.firstIndex }
        ],
        { isStart: true, isLast: false }
      )
      const aNext = one.nextDestIndices[0] ?? a.firstIndex
      const two = yield* p.createCourierEnvelopesFromMultiPayload(
        [{ payload: text("to a, second"), writeCap: a.writeCap, startIndex: aNext }],
        { isStart: false, isLast: true, buffer: one.buffer }
      )
      assert.strictEqual(two.buffer, undefined)
      let index = temporary.firstIndex
      for (const element of [...one.envelopes, ...two.envelopes]) {
        const envelope = yield* p.encryptWrite(element, temporary.writeCap, index)
        yield* p.startResending(envelope)
        index = envelope.nextIndex
      }
      yield* p.startResendingCopyCommand(temporary.writeCap)
      assert.strictEqual(decode((yield* readBox(p, a, a.firstIndex)).plaintext), "to a")
      assert.strictEqual(decode((yield* readBox(p, a, aNext)).plaintext), "to a, second")
      assert.strictEqual(decode((yield* readBox(p, b, b.firstIndex)).plaintext), "to b")
    }).pipe(Effect.provide(services())))

  it.live("a copy onto an already written box fails with the failed envelope index", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const streams = yield* Streams.Streams
      const dest = yield* p.newKeypair(seed(11))
      yield* writeBox(p, dest, dest.firstIndex, text("already here"))
      const error = yield* Effect.flip(streams.sendPayload(text("collides"), dest.writeCap, dest.firstIndex))
      assert.strictEqual(error._tag, "CopyCommandFailed")
      if (error._tag === "CopyCommandFailed") {
        assert.strictEqual(error.replicaErrorCode, 10)
        assert.isAbove(Number(error.failedEnvelopeIndex), 0)
      }
    }).pipe(Effect.provide(services())))

  it.live("cancelling during an ARQ read fails the waiter with StartResendingCancelled", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const engine = yield* PigeonholeEngine.PigeonholeEngine
      const daemon = yield* FakeDaemon.FakeDaemon
      const alice = yield* p.newKeypair(seed(12))
      const envelope = yield* p.encryptRead(alice.readCap, alice.firstIndex)
      const reading = yield* Effect.fork(p.startResending(envelope))
      yield* daemon.awaitRequests(isTag("StartResendingEncryptedMessage"), 1)
      yield* p.cancelResending(envelope.envelopeHash)
      assert.strictEqual((yield* Effect.flip(Fiber.join(reading)))._tag, "StartResendingCancelled")
      assert.strictEqual(yield* engine.inFlightCount, 0)
    }).pipe(Effect.provide(services())))

  it.live("interrupting a waiting read, or timing it out, sends the cancel to the daemon", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const engine = yield* PigeonholeEngine.PigeonholeEngine
      const daemon = yield* FakeDaemon.FakeDaemon
      const alice = yield* p.newKeypair(seed(13))
      const envelope = yield* p.encryptRead(alice.readCap, alice.firstIndex)
      const reading = yield* Effect.fork(p.startResending(envelope))
      yield* awaitInFlight(engine, 1)
      yield* Fiber.interrupt(reading)
      yield* daemon.awaitRequests(isTag("CancelResendingEncryptedMessage"), 1)
      assert.strictEqual(yield* engine.inFlightCount, 0)
      const error = yield* Effect.flip(p.startResending(envelope, { timeout: "200 millis" }))
      assert.strictEqual(error._tag, "RequestTimeout")
      yield* daemon.awaitRequests(isTag("CancelResendingEncryptedMessage"), 2)
      assert.strictEqual(yield* engine.inFlightCount, 0)
      assert.deepStrictEqual(yield* p.inFlight, [])
    }).pipe(Effect.provide(services())))

  it.live("a wait interrupted while the socket is down sends its cancel once the session resumes", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const engine = yield* PigeonholeEngine.PigeonholeEngine
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.ThinClient
      const alice = yield* p.newKeypair(seed(15))
      const envelope = yield* p.encryptRead(alice.readCap, alice.firstIndex)
      const reading = yield* Effect.fork(p.startResending(envelope, { waitForConnection: true }))
      yield* awaitInFlight(engine, 1)
      yield* daemon.setAccepting(false)
      yield* daemon.dropConnections
      yield* client.isDaemonConnected.pipe(
        Effect.repeat({ until: (up) => !up, schedule: Schedule.spaced("5 millis") }),
        Effect.timeoutFail({ duration: "1 second", onTimeout: () => new Error("the client never saw the drop") })
      )
      // The daemon still holds the ARQ entry for the session's grace period.
      assert.strictEqual(yield* engine.inFlightCount, 1)
      const interrupting = yield* Effect.fork(Fiber.interrupt(reading))
      // The interrupt has started (the interrupter waits on the reader's cancel) and the socket is still down.
      yield* Effect.zipRight(Effect.yieldNow(), Fiber.status(interrupting)).pipe(
        Effect.repeat({ until: (status) => status._tag === "Suspended", schedule: Schedule.forever }),
        Effect.timeoutFail({ duration: "1 second", onTimeout: () => new Error("the interrupt never started") })
      )
      assert.strictEqual(yield* daemon.connections, 0)
      assert.isTrue(Option.isNone(yield* Fiber.poll(interrupting)))
      yield* daemon.setAccepting(true)
      yield* daemon.awaitRequests(isTag("CancelResendingEncryptedMessage"), 1).pipe(
        Effect.timeoutFail({ duration: "2 seconds", onTimeout: () => new Error("the cancel never reached the daemon") })
      )
      yield* Fiber.join(interrupting)
      assert.strictEqual(yield* engine.inFlightCount, 0)
      assert.deepStrictEqual(yield* p.inFlight, [])
    }).pipe(Effect.provide(services())))

  it.effect("a write stalled by a disconnect (v0.0.73: its reply was lost) completes through the reconnect's replay", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const engine = yield* PigeonholeEngine.PigeonholeEngine
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* ThinClient.ThinClient
      const events = yield* client.subscribe
      const alice = yield* p.newKeypair(seed(17))
      const envelope = yield* p.encryptWrite(text("acked while away"), alice.writeCap, alice.firstIndex)
      const writing = yield* Effect.fork(p.startResending(envelope))
      yield* engine.awaitInFlight(1)
      yield* daemon.setAccepting(false)
      yield* daemon.dropConnections
      yield* Stream.fromQueue(events).pipe(Stream.filter((e) => e._tag === "DaemonDisconnectedEvent"), Stream.runHead)
      // The courier stores the box one round trip later; its reply finds no connection.
      yield* TestClock.adjust("150 millis")
      assert.strictEqual(yield* engine.boxCount, 1)
      assert.strictEqual(yield* engine.inFlightCount, 1)
      yield* daemon.setAccepting(true)
      yield* TestClock.adjust("20 millis")
      yield* daemon.awaitRequests(isTag("StartResendingEncryptedMessage"), 2)
      yield* TestClock.adjust("100 millis")
      yield* Fiber.join(writing)
      yield* engine.awaitInFlight(0)
    }).pipe(
      Effect.scoped,
      Effect.provide(
        Pigeonhole.layer({ arqTimeout: "20 seconds" }).pipe(
          Layer.provideMerge(PigeonholeEngine.layerClientInMemory({ engine: { roundTrip: "100 millis" } }))
        )
      )
    ))

  it.live("a read in flight across a daemon restart completes after the replay", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const daemon = yield* FakeDaemon.FakeDaemon
      const alice = yield* p.newKeypair(seed(14))
      const envelope = yield* p.encryptRead(alice.readCap, alice.firstIndex)
      const reading = yield* Effect.fork(p.startResending(envelope, { waitForConnection: true }))
      yield* daemon.awaitRequests(isTag("StartResendingEncryptedMessage"), 1)
      yield* daemon.restart
      yield* daemon.awaitHandshakes(2)
      yield* writeBox(p, alice, alice.firstIndex, text("after restart"), { waitForConnection: true })
      const result = yield* Fiber.join(reading)
      assert.strictEqual(decode(result.plaintext), "after restart")
    }).pipe(Effect.provide(services())))
})
