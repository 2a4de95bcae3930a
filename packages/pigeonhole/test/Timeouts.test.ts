import { assert, describe, it } from "@effect/vitest"
import { Bacap } from "@katzenpost-effect/core"
import { Pigeonhole, Streams } from "@katzenpost-effect/pigeonhole"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import { boxStore, type Handler, next, readCapFor, type Stub, stub, writeCapFor } from "./support/StubThinClient.js"

const writeCap = writeCapFor(8)
const readCap = readCapFor(writeCap)
const first = Bacap.firstIndex(writeCap)
const settle = Effect.repeatN(Effect.yieldNow(), 20)
const text = (s: string) => new TextEncoder().encode(s)

const provide = (client: Stub, config: Pigeonhole.PigeonholeConfig = {}) =>
  Effect.provide(Streams.layer().pipe(Layer.provideMerge(Pigeonhole.layer(config)), Layer.provide(client.layer)))

/** The box store, except that the named requests never get an answer. */
const never = (...tags: ReadonlyArray<string>): Stub => {
  const store = boxStore()
  const handler: Handler = (request) => (tags.includes(request._tag) ? Effect.never : store.handler(request))
  return stub(handler)
}

/** The error an effect must fail with; a success is a defect with a short message. */
const failure = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.matchEffect(effect, { onFailure: Effect.succeed, onSuccess: () => Effect.dieMessage("expected a failure") })

describe("defaults that fit a real daemon", () => {
  it.effect("packing a payload defaults to the local timeout plus 10 s per started KiB", () =>
    Effect.gen(function*() {
      yield* Effect.gen(function*() {
        const p = yield* Pigeonhole.Pigeonhole
        const fiber = yield* Effect.fork(p.createCourierEnvelopesFromPayload(new Uint8Array(10 * 1024 + 1), writeCap, first))
        yield* settle
        yield* TestClock.adjust("139 seconds") // 30 s + 11 × 10 s
        assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
        yield* TestClock.adjust("1 second")
        const error = yield* failure(Fiber.join(fiber))
        assert.strictEqual(error._tag, "RequestTimeout")
        if (error._tag === "RequestTimeout") assert.strictEqual(error.millis, 140_000)
        // An explicit timeout is kept as given.
        const bounded = yield* Effect.fork(p.createCourierEnvelopesFromPayload(new Uint8Array(10 * 1024), writeCap, first, { timeout: "5 seconds" }))
        yield* settle
        yield* TestClock.adjust("5 seconds")
        assert.strictEqual((yield* failure(Fiber.join(bounded)))._tag, "RequestTimeout")
      }).pipe(provide(never("CreateCourierEnvelopesFromPayload")))
    }))

  it.effect("a tombstone range's packing default grows with the box count; envelopeTimeout sets the step", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const fiber = yield* Effect.fork(p.createCourierEnvelopesFromTombstoneRange(writeCap, first, 4))
      yield* settle
      yield* TestClock.adjust("49 seconds") // 30 s + 4 × 5 s
      assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
      yield* TestClock.adjust("1 second")
      assert.strictEqual((yield* failure(Fiber.join(fiber)))._tag, "RequestTimeout")
    }).pipe(provide(never("CreateCourierEnvelopesFromTombstoneRange"), { envelopeTimeout: "5 seconds" })))

  it.effect("a copy command has no short default timeout; interrupting it still cancels it", () =>
    Effect.gen(function*() {
      const client = never("StartResendingCopyCommand")
      yield* Effect.gen(function*() {
        const p = yield* Pigeonhole.Pigeonhole
        const fiber = yield* Effect.fork(p.startResendingCopyCommand(writeCap))
        yield* settle
        yield* TestClock.adjust("1000 days")
        assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
        yield* Fiber.interrupt(fiber)
        assert.strictEqual(client.requests.filter((r) => r._tag === "CancelResendingCopyCommand").length, 1)
      }).pipe(provide(client))
    }))

  it.effect("sendPayload bounds its copy command by 5 min + 90 s per temporary box unless told otherwise", () =>
    Effect.gen(function*() {
      const client = never("StartResendingCopyCommand")
      yield* Effect.gen(function*() {
        const streams = yield* Streams.Streams
        const fiber = yield* Effect.fork(streams.sendPayload(new Uint8Array(2500), writeCap, first))
        yield* settle
        const boxes = client.requests.filter((r) => r._tag === "EncryptWrite").length
        assert.isAtLeast(boxes, 2)
        yield* TestClock.adjust(`${300 + 90 * boxes - 1} seconds`)
        assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
        yield* TestClock.adjust("1 second")
        assert.strictEqual((yield* failure(Fiber.join(fiber)))._tag, "RequestTimeout")
      }).pipe(provide(client))
    }))
})

describe("overlapping independent boxes", () => {
  it.effect("sendPayload encrypts and writes temporary boxes concurrently, at most `concurrency` at once", () =>
    Effect.gen(function*() {
      const store = boxStore()
      let busy = 0
      let most = 0
      const handler: Handler = (request) =>
        request._tag === "EncryptWrite"
          ? Effect.acquireUseRelease(
            Effect.sync(() => {
              most = Math.max(most, ++busy)
            }),
            () => Effect.zipRight(Effect.sleep("1 second"), store.handler(request)),
            () =>
              Effect.sync(() => {
                busy--
              })
          )
          : store.handler(request)
      const client = stub(handler)
      yield* Effect.gen(function*() {
        const streams = yield* Streams.Streams
        const fiber = yield* Effect.fork(streams.sendPayload(new Uint8Array(6000), writeCap, first, { concurrency: 3 }))
        for (let i = 0; i < 10 && Option.isNone(yield* Fiber.poll(fiber)); i++) {
          yield* settle
          yield* TestClock.adjust("1 second")
        }
        assert.isTrue(Exit.isSuccess(yield* Fiber.await(fiber)))
        assert.strictEqual(most, 3)
      }).pipe(provide(client))
    }))

  it.effect("readMany reads the next boxes concurrently, in order, and moves only when all arrived", () =>
    Effect.gen(function*() {
      yield* Effect.gen(function*() {
        const streams = yield* Streams.Streams
        const alice = yield* streams.writer(writeCap)
        const bob = yield* streams.reader(readCap)
        for (const word of ["a", "b", "c"]) yield* alice.write(text(word))
        // Box 4 is empty: the batch fails (a read waits for it until its timeout) and Bob's
        // position stays, so nothing read in that batch is lost.
        const partial = yield* Effect.fork(bob.readMany(4, { timeout: "1 minute" }))
        yield* settle
        yield* TestClock.adjust("1 minute")
        assert.strictEqual((yield* failure(Fiber.join(partial)))._tag, "RequestTimeout")
        assert.deepStrictEqual((yield* bob.position).bytes, first.bytes)
        const three = yield* bob.readMany(3)
        assert.deepStrictEqual(three.map((r) => new TextDecoder().decode(r.plaintext)), ["a", "b", "c"])
        assert.deepStrictEqual((yield* bob.position).bytes, next(next(next(first))).bytes)
        assert.deepStrictEqual(yield* bob.readMany(0), [])
      }).pipe(provide(stub(boxStore().handler)))
    }))
})
