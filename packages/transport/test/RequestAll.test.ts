import { assert, describe, it } from "@effect/vitest"
import { QueryId, Request, type Rpc } from "@katzenpost-effect/core"
import { FakeDaemon } from "@katzenpost-effect/testing"
import { ThinClient } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import { answerAll, counterRequest, handler, hex, queryId, queryIdOf, replyTo } from "./fixtures.js"

/** Answers each query with its first id byte as the counter; never answers ids 13 and 113. */
const numbered = handler((session, request: Rpc.QueryRequest) => {
  const first = request.query_id?.[0] ?? 0
  return first === 13 || first === 113 ? Effect.void : session.reply(replyTo(request, { counter: BigInt(first) }))
})

const counterOf = <A, E>(exit: Exit.Exit<A, E>): unknown =>
  Exit.isSuccess(exit) && typeof exit.value === "object" && exit.value !== null && "counter" in exit.value ? exit.value.counter : undefined

describe("requestAll", () => {
  it.live("answers every request in order, in one fiber; a refused one does not stop the others", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const requests = [
        counterRequest(1),
        Request.NextMessageBoxIndex.make({ query_id: null, message_box_index: null }),
        counterRequest(3),
        counterRequest(1)
      ]
      const exits = yield* client.requestAll(requests)
      assert.strictEqual(exits.length, 4)
      assert.strictEqual(counterOf(exits[0]!), 1n)
      assert.isTrue(Exit.isFailure(exits[1]!))
      assert.strictEqual(counterOf(exits[2]!), 3n)
      // The same query id twice in one batch: the second is refused, as for two calls.
      assert.isTrue(Exit.isFailure(exits[3]!))
      assert.deepStrictEqual(yield* client.requestAll([]), [])
    }).pipe(Effect.provide(FakeDaemon.layerClient({ handler: numbered }))))

  it.live("each request has its own timeout; the rest are answered", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const exits = yield* client.requestAll([counterRequest(12), counterRequest(13), counterRequest(14)], { timeout: "100 millis" })
      assert.strictEqual(counterOf(exits[0]!), 12n)
      assert.isTrue(Exit.isFailure(exits[1]!) && exits[1].cause._tag === "Fail" && exits[1].cause.error._tag === "RequestTimeout")
      assert.strictEqual(counterOf(exits[2]!), 14n)
    }).pipe(Effect.provide(FakeDaemon.layerClient({ handler: numbered }))))

  it.effect("under the test clock, the timeouts are Effect's", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const batch = yield* Effect.fork(client.requestAll([counterRequest(13), counterRequest(113)], { timeout: "1 second" }))
      const daemon = yield* FakeDaemon.FakeDaemon
      yield* daemon.awaitRequests((r) => queryIdOf(r) === hex(queryId(13)))
      yield* TestClock.adjust("1 second")
      const exits = yield* Fiber.join(batch)
      assert.isTrue(exits.every((exit) => Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error._tag === "RequestTimeout"))
    }).pipe(Effect.provide(FakeDaemon.layerClient({ handler: numbered }))))

  it.live("interrupting the batch stops waiting for all of it (the ids are free again)", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const batch = yield* Effect.fork(client.requestAll([counterRequest(13), counterRequest(13)]))
      yield* daemon.awaitRequests((r) => queryIdOf(r) === hex(queryId(13)))
      yield* Fiber.interrupt(batch)
      const again = yield* Effect.flip(client.request(counterRequest(13), { timeout: "20 millis" }))
      assert.strictEqual(again._tag, "RequestTimeout", "not refused as already in flight")
    }).pipe(Effect.provide(FakeDaemon.layerClient({ handler: numbered }))))

  it.live("a batch in an uninterruptible region gets its outcomes even when its fiber is interrupted", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      yield* daemon.pauseReplies
      const got: Array<unknown> = []
      const batch = yield* Effect.fork(
        Effect.uninterruptible(Effect.map(client.requestAll([counterRequest(4), counterRequest(5)]), (exits) => got.push(...exits.map(counterOf))))
      )
      yield* daemon.awaitRequests((r) => queryIdOf(r) === hex(queryId(5)))
      const interrupting = yield* Effect.fork(Fiber.interrupt(batch))
      yield* Effect.sleep("20 millis")
      assert.deepStrictEqual(got, [])
      yield* daemon.resumeReplies
      yield* Fiber.join(interrupting)
      assert.deepStrictEqual(got, [4n, 5n])
    }).pipe(Effect.provide(FakeDaemon.layerClient({ handler: numbered }))))

  it.live("10,000 local requests in one batch", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const requests = Array.from({ length: 10_000 }, (_, i) =>
        Request.GetMessageBoxIndexCounter.make({
          query_id: QueryId.make(Uint8Array.from({ length: 16 }, (_, j) => j < 2 ? (i >> (8 * j)) & 0xff : 200)),
          message_box_index: null
        }))
      const exits = yield* client.requestAll(requests)
      assert.strictEqual(exits.filter(Exit.isSuccess).length, 10_000)
    }).pipe(Effect.provide(FakeDaemon.layerClient({ handler: answerAll }))))
})
