import { assert, describe, it } from "@effect/vitest"
import { Bacap, type Rpc } from "@katzenpost-effect/core"
import { Pigeonhole, Streams } from "@katzenpost-effect/pigeonhole"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import * as NestedCopy from "../src/NestedCopy.js"
import { boxStore, next, readCapFor, type Stub, stub, writeCapFor } from "./support/StubThinClient.js"

const provide = (client: Stub) => Effect.provide(Streams.layer().pipe(Layer.provideMerge(Pigeonhole.layer()), Layer.provide(client.layer)))

const text = (s: string) => new TextEncoder().encode(s)
const read = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
const settle = Effect.repeatN(Effect.yieldNow(), 20)

const tags = (client: Stub) => client.requests.map((r) => r._tag)

describe("Streams", () => {
  const writeCap = writeCapFor(5)
  const readCap = readCapFor(writeCap)

  it.effect("Alice writes and Bob reads, message after message, each advancing its position", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      yield* Effect.gen(function*() {
        const streams = yield* Streams.Streams
        const alice = yield* streams.writer(writeCap)
        const bob = yield* streams.reader(readCap)
        yield* alice.write(text("hello"))
        assert.strictEqual(read((yield* bob.read()).plaintext), "hello")
        yield* alice.write(text("one"))
        yield* alice.write(text("two"))
        assert.strictEqual(read((yield* bob.read()).plaintext), "one")
        assert.strictEqual(read((yield* bob.read()).plaintext), "two")
        const three = next(next(next(Bacap.firstIndex(writeCap))))
        assert.deepStrictEqual((yield* alice.position).bytes, three.bytes)
        assert.deepStrictEqual((yield* bob.position).bytes, three.bytes)
      }).pipe(provide(client))
    }))

  it.effect("a read before the write waits for it; tryRead answers None without moving", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      yield* Effect.gen(function*() {
        const streams = yield* Streams.Streams
        const alice = yield* streams.writer(writeCap)
        const bob = yield* streams.reader(readCap)
        assert.isTrue(Option.isNone(yield* bob.tryRead()))
        const waiting = yield* Effect.fork(bob.read())
        yield* settle
        assert.isTrue(Option.isNone(yield* Fiber.poll(waiting)))
        yield* alice.write(text("late"))
        assert.strictEqual(read((yield* Fiber.join(waiting)).plaintext), "late")
      }).pipe(provide(client))
    }))

  it.effect("a failed write does not advance; a tombstone is skipped with a Tombstone error", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      yield* Effect.gen(function*() {
        const streams = yield* Streams.Streams
        const alice = yield* streams.writer(writeCap)
        const bob = yield* streams.reader(readCap)
        assert.strictEqual((yield* Effect.flip(alice.write(new Uint8Array(5000))))._tag, "PayloadTooLarge")
        assert.deepStrictEqual((yield* alice.position).bytes, Bacap.firstIndex(writeCap).bytes)
        yield* alice.write(new Uint8Array(0))
        yield* alice.write(text("after"))
        assert.strictEqual((yield* Effect.flip(bob.read()))._tag, "Tombstone")
        assert.strictEqual(read((yield* bob.read()).plaintext), "after")
      }).pipe(provide(client))
    }))

  it.effect("after a write that timed out, writing the same message re-sends the kept envelope to the same box", () =>
    Effect.gen(function*() {
      const store = boxStore()
      let arqs = 0
      // The first ARQ reply is lost; the daemon has stored the box all the same.
      const client = stub((request) =>
        request._tag === "StartResendingEncryptedMessage" && arqs++ === 0
          ? Effect.zipRight(store.handler(request), Effect.never)
          : store.handler(request)
      )
      yield* Effect.gen(function*() {
        const streams = yield* Streams.Streams
        const alice = yield* streams.writer(writeCap)
        const first = Bacap.firstIndex(writeCap)
        const timedOut = yield* Effect.fork(alice.write(text("once"), { timeout: "1 minute" }))
        yield* settle
        yield* TestClock.adjust("1 minute")
        assert.strictEqual((yield* Effect.flip(Fiber.join(timedOut)))._tag, "RequestTimeout")
        assert.deepStrictEqual((yield* alice.position).bytes, first.bytes)
        yield* alice.write(text("once"))
        const sent = client.requests.filter(
          (r): r is Extract<Rpc.QueryRequest, { _tag: "StartResendingEncryptedMessage" }> => r._tag === "StartResendingEncryptedMessage"
        )
        assert.strictEqual(tags(client).filter((t) => t === "EncryptWrite").length, 1)
        assert.strictEqual(sent.length, 2)
        assert.deepStrictEqual(sent[1]?.envelope_hash, sent[0]?.envelope_hash)
        assert.deepStrictEqual((yield* alice.position).bytes, next(first).bytes)
        yield* alice.write(text("then"))
        const bob = yield* streams.reader(readCap)
        assert.strictEqual(read((yield* bob.read()).plaintext), "once")
        assert.strictEqual(read((yield* bob.read()).plaintext), "then")
      }).pipe(provide(client))
    }))

  it.effect("sendPayload writes the copy stream to a fresh temporary stream, then sends one copy command", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      const start = Bacap.firstIndex(writeCap)
      const nextIndex = yield* Effect.flatMap(Streams.Streams, (s) => s.sendPayload(new Uint8Array(2500), writeCap, start)).pipe(
        provide(client)
      )
      assert.deepStrictEqual(nextIndex.bytes, next(next(next(start))).bytes)
      const order = tags(client)
      assert.strictEqual(order[0], "NewKeypair")
      assert.strictEqual(order[1], "CreateCourierEnvelopesFromPayload")
      assert.strictEqual(order.filter((t) => t === "EncryptWrite").length, 3)
      assert.strictEqual(order.filter((t) => t === "StartResendingEncryptedMessage").length, 3)
      assert.strictEqual(order[order.length - 1], "StartResendingCopyCommand")
      const [keypair] = client.requests.filter((r): r is Extract<Rpc.QueryRequest, { _tag: "NewKeypair" }> => r._tag === "NewKeypair")
      assert.strictEqual(keypair?.seed?.length, 32)
    }))
})

describe("NestedCopy (experimental)", () => {
  it.effect("runs one pinned copy command per courier, outermost first", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler, { couriers: 3 })
      const writeCap = writeCapFor(6)
      yield* Effect.gen(function*() {
        const pigeonhole = yield* Pigeonhole.Pigeonhole
        const path = yield* pigeonhole.getDistinctCouriers(2)
        yield* NestedCopy.sendNestedCopy(text("nested"), writeCap, Bacap.firstIndex(writeCap), path)
        const commands = client.requests.filter(
          (r): r is Extract<Rpc.QueryRequest, { _tag: "StartResendingCopyCommand" }> => r._tag === "StartResendingCopyCommand"
        )
        assert.deepStrictEqual(
          commands.map((c) => c.courier_identity_hash),
          path.map((c) => c.identityHash)
        )
        assert.strictEqual(tags(client).filter((t) => t === "CreateCourierEnvelopesFromPayload").length, 2)
        assert.strictEqual(
          (yield* Effect.flip(NestedCopy.sendNestedCopy(text("x"), writeCap, Bacap.firstIndex(writeCap), [])))._tag,
          "InvalidArgument"
        )
      }).pipe(provide(client))
    }))
})
