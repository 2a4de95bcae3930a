import { assert, describe, it } from "@effect/vitest"
import { Bacap, Response, type Rpc } from "@katzenpost-effect/core"
import { CopyStream, Pigeonhole } from "@katzenpost-effect/pigeonhole"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import { boxStore, type Handler, readCapFor, type Stub, stub, writeCapFor } from "./support/StubThinClient.js"

const writeCap = writeCapFor(4)
const readCap = readCapFor(writeCap)
const first = Bacap.firstIndex(writeCap)

/** A daemon whose ARQ operations and copy commands never complete (nor, if asked, do cancels). */
const hanging = (options: { readonly hangCancels?: boolean } = {}): Stub => {
  const store = boxStore()
  const handler: Handler = (request) =>
    request._tag === "StartResendingEncryptedMessage" || request._tag === "StartResendingCopyCommand"
      ? Effect.never
      : options.hangCancels === true &&
          (request._tag === "CancelResendingEncryptedMessage" || request._tag === "CancelResendingCopyCommand")
      ? Effect.never
      : store.handler(request)
  return stub(handler)
}

const provide = (client: Stub, config: Pigeonhole.PigeonholeConfig = {}) => Effect.provide(Pigeonhole.layer(config).pipe(Layer.provide(client.layer)))

const cancels = (client: Stub) =>
  client.requests.filter(
    (r): r is Extract<Rpc.QueryRequest, { readonly _tag: "CancelResendingEncryptedMessage" }> => r._tag === "CancelResendingEncryptedMessage"
  )
const copyCancels = (client: Stub) =>
  client.requests.filter(
    (r): r is Extract<Rpc.QueryRequest, { readonly _tag: "CancelResendingCopyCommand" }> => r._tag === "CancelResendingCopyCommand"
  )

/** Lets the forked fiber reach its wait. */
const settle = Effect.repeatN(Effect.yieldNow(), 20)

describe("interruption is cancellation", () => {
  it.effect("a read that times out sends cancel_resending_encrypted_message with its envelope hash", () =>
    Effect.gen(function*() {
      const client = hanging()
      yield* Effect.gen(function*() {
        const p = yield* Pigeonhole.Pigeonhole
        const envelope = yield* p.encryptRead(readCap, first)
        const fiber = yield* Effect.fork(p.startResending(envelope, { timeout: "30 seconds" }))
        yield* settle
        assert.deepStrictEqual((yield* p.inFlight).map((op) => op._tag), ["Read"])
        yield* TestClock.adjust("29 seconds")
        assert.strictEqual(cancels(client).length, 0)
        yield* TestClock.adjust("1 second")
        const error = yield* Effect.flip(Fiber.join(fiber))
        assert.strictEqual(error._tag, "RequestTimeout")
        if (error._tag === "RequestTimeout") assert.strictEqual(error.millis, 30_000)
        const [cancel] = cancels(client)
        assert.deepStrictEqual(cancel?.envelope_hash, envelope.envelopeHash)
        assert.deepStrictEqual(yield* p.inFlight, [])
      }).pipe(provide(client))
    }))

  it.effect("interrupting the waiting fiber sends the cancel before the interruption completes", () =>
    Effect.gen(function*() {
      const client = hanging()
      yield* Effect.gen(function*() {
        const p = yield* Pigeonhole.Pigeonhole
        const envelope = yield* p.encryptWrite(new Uint8Array([1]), writeCap, first)
        const fiber = yield* Effect.fork(p.startResending(envelope))
        yield* settle
        yield* Fiber.interrupt(fiber)
        assert.deepStrictEqual(cancels(client).map((c) => c.envelope_hash), [envelope.envelopeHash])
        assert.deepStrictEqual(yield* p.inFlight, [])
      }).pipe(provide(client))
    }))

  it.effect("losing a race and closing a scope both send the cancel", () =>
    Effect.gen(function*() {
      const client = hanging()
      yield* Effect.gen(function*() {
        const p = yield* Pigeonhole.Pigeonhole
        const envelope = yield* p.encryptRead(readCap, first)
        const raced = yield* Effect.fork(Effect.race(p.startResendingNoRetry(envelope), Effect.sleep("5 seconds")))
        yield* settle
        yield* TestClock.adjust("5 seconds")
        yield* Fiber.join(raced)
        assert.strictEqual(cancels(client).length, 1)
        yield* Effect.scoped(Effect.zipRight(Effect.forkScoped(p.startResending(envelope)), settle))
        assert.strictEqual(cancels(client).length, 2)
        assert.deepStrictEqual(yield* p.inFlight, [])
      }).pipe(provide(client))
    }))

  it.effect("interrupting one of two waits on the same envelope leaves the daemon's operation to the other", () =>
    Effect.gen(function*() {
      const client = hanging()
      yield* Effect.gen(function*() {
        const p = yield* Pigeonhole.Pigeonhole
        const envelope = yield* p.encryptWrite(new Uint8Array([1]), writeCap, first)
        const one = yield* Effect.fork(p.startResending(envelope))
        const two = yield* Effect.fork(p.startResending(envelope))
        yield* settle
        yield* Fiber.interrupt(one)
        assert.strictEqual(cancels(client).length, 0)
        assert.deepStrictEqual((yield* p.inFlight).map((op) => op._tag), ["Write"])
        assert.isTrue(Option.isNone(yield* Fiber.poll(two)))
        yield* Fiber.interrupt(two)
        assert.deepStrictEqual(cancels(client).map((c) => c.envelope_hash), [envelope.envelopeHash])
        assert.deepStrictEqual(yield* p.inFlight, [])
      }).pipe(provide(client))
    }))

  it.effect("the same holds for two copy commands of one WriteCap", () =>
    Effect.gen(function*() {
      const client = hanging()
      yield* Effect.gen(function*() {
        const p = yield* Pigeonhole.Pigeonhole
        const one = yield* Effect.fork(p.startResendingCopyCommand(writeCap))
        const two = yield* Effect.fork(p.startResendingCopyCommand(writeCap, { timeout: "1 minute" }))
        yield* settle
        yield* Fiber.interrupt(one)
        assert.strictEqual(copyCancels(client).length, 0)
        yield* TestClock.adjust("1 minute")
        assert.strictEqual((yield* Effect.flip(Fiber.join(two)))._tag, "RequestTimeout")
        assert.strictEqual(copyCancels(client).length, 1)
        assert.deepStrictEqual(yield* p.inFlight, [])
      }).pipe(provide(client))
    }))

  it.effect("a copy command that times out sends cancel_resending_copy_command with the WriteCap hash", () =>
    Effect.gen(function*() {
      const client = hanging()
      yield* Effect.gen(function*() {
        const p = yield* Pigeonhole.Pigeonhole
        const fiber = yield* Effect.fork(p.startResendingCopyCommand(writeCap, { timeout: "1 minute" }))
        yield* settle
        assert.deepStrictEqual((yield* p.inFlight).map((op) => op._tag), ["Copy"])
        yield* TestClock.adjust("1 minute")
        assert.strictEqual((yield* Effect.flip(Fiber.join(fiber)))._tag, "RequestTimeout")
        assert.deepStrictEqual(copyCancels(client).map((c) => c.write_cap_hash), [CopyStream.writeCapHash(writeCap)])
        assert.deepStrictEqual(yield* p.inFlight, [])
      }).pipe(provide(client))
    }))

  it.effect("ARQ calls default to the service's arqTimeout; Duration.infinity waits forever", () =>
    Effect.gen(function*() {
      const client = hanging()
      yield* Effect.gen(function*() {
        const p = yield* Pigeonhole.Pigeonhole
        const envelope = yield* p.encryptRead(readCap, first)
        const bounded = yield* Effect.fork(p.startResending(envelope))
        const unbounded = yield* Effect.fork(p.startResending(envelope, { timeout: Duration.infinity }))
        yield* settle
        yield* TestClock.adjust("2 minutes")
        assert.strictEqual((yield* Effect.flip(Fiber.join(bounded)))._tag, "RequestTimeout")
        // Both wait on one envelope: the daemon's operation stays for the unbounded wait.
        assert.strictEqual(cancels(client).length, 0)
        yield* TestClock.adjust("1000 days")
        assert.isTrue(Option.isNone(yield* Fiber.poll(unbounded)))
        assert.strictEqual((yield* p.inFlight).length, 1)
        yield* Fiber.interrupt(unbounded)
        assert.strictEqual(cancels(client).length, 1)
      }).pipe(provide(client, { arqTimeout: "2 minutes" }))
    }))

  it.effect("the timeout arrives at its deadline even when the cancel never answers (issue 12, defect 8); the cancel is given up after cancelTimeout", () =>
    Effect.gen(function*() {
      const client = hanging({ hangCancels: true })
      yield* Effect.gen(function*() {
        const p = yield* Pigeonhole.Pigeonhole
        const envelope = yield* p.encryptRead(readCap, first)
        const fiber = yield* Effect.fork(p.startResending(envelope, { timeout: "10 seconds" }))
        yield* settle
        yield* TestClock.adjust("10 seconds")
        yield* settle
        const exit = yield* Fiber.poll(fiber)
        assert.isTrue(Option.isSome(exit), "the RequestTimeout waited for the cancel")
        assert.strictEqual((yield* Effect.flip(Fiber.join(fiber)))._tag, "RequestTimeout")
        assert.strictEqual(cancels(client).length, 1)
        yield* TestClock.adjust("3 seconds")
        assert.deepStrictEqual(yield* p.inFlight, [])
      }).pipe(provide(client, { cancelTimeout: "3 seconds" }))
    }))

  it.effect("an explicit cancel makes the waiter fail with StartResendingCancelled", () =>
    Effect.gen(function*() {
      const store = boxStore()
      const waiting = yield* Deferred.make<Rpc.QueryRequest["query_id"]>()
      const cancelled = yield* Deferred.make<void>()
      const handler: Handler = (request) => {
        switch (request._tag) {
          case "StartResendingEncryptedMessage":
            return Deferred.succeed(waiting, request.query_id).pipe(
              Effect.zipRight(Deferred.await(cancelled)),
              Effect.as(
                Response.StartResendingEncryptedMessageReply.make({
                  query_id: request.query_id,
                  error_code: 24,
                  courier_identity_hash: null,
                  courier_queue_id: null
                })
              )
            )
          case "CancelResendingEncryptedMessage":
            return Deferred.succeed(cancelled, undefined).pipe(
              Effect.as(Response.CancelResendingEncryptedMessageReply.make({ query_id: request.query_id }))
            )
          default:
            return store.handler(request)
        }
      }
      const client = stub(handler)
      yield* Effect.gen(function*() {
        const p = yield* Pigeonhole.Pigeonhole
        const envelope = yield* p.encryptRead(readCap, first)
        const fiber = yield* Effect.fork(p.startResending(envelope))
        yield* Deferred.await(waiting)
        yield* p.cancelResending(envelope.envelopeHash)
        const error = yield* Effect.flip(Fiber.join(fiber))
        assert.strictEqual(error._tag, "StartResendingCancelled")
        assert.deepStrictEqual(yield* p.inFlight, [])
      }).pipe(provide(client))
    }))
})
