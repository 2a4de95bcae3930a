/**
 * Pigeonhole boxes between two users with their own kpclientd on the same net: Alice writes
 * with her daemon, Bob reads with his, as real users do.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { client, failure, seed, services, timed, within } from "./Mixnet.js"

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const call = { timeout: "8 minutes" } as const

const both = Effect.gen(function*() {
  const alice = yield* services(yield* client("alice"))
  const bob = yield* services(yield* client("bob"))
  return { alice, bob }
})

describe.concurrent("mixnet: boxes between Alice's and Bob's daemons", () => {
  it.live("Alice writes 3 boxes, Bob reads them in order; a tombstone then reads as Tombstone", () =>
    Effect.scoped(Effect.gen(function*() {
      const { alice, bob } = yield* both
      const keys = yield* alice.pigeonhole.newKeypair(seed(), call)
      const writer = yield* alice.streams.writer(keys.writeCap)
      const messages = ["first", "second", "third"].map((word) => `${word} ${Date.now()}`)
      const boxes = yield* timed(
        "Alice writes 3 boxes",
        Effect.forEach(messages, (message) => Effect.map(writer.write(encoder.encode(message), call), (r) => r.boxIndex))
      )
      const reader = yield* bob.streams.reader(keys.readCap)
      yield* timed(
        "Bob reads 3 boxes",
        Effect.forEach(
          messages,
          (message) => Effect.map(reader.read(call), (result) => assert.strictEqual(decoder.decode(result.plaintext), message))
        )
      )

      // Alice deletes the second message; Bob's read of that box ends with the typed Tombstone
      // (a replica may still serve the message until the tombstone reaches it: read again).
      const range = yield* alice.pigeonhole.tombstoneRange(keys.writeCap, boxes[1]!, 1, call)
      assert.strictEqual(range.envelopes.length, 1)
      yield* Effect.forEach(range.envelopes, (envelope) => alice.pigeonhole.startResending(envelope, call), { discard: true })
      const tombstone = yield* timed(
        "Bob sees the tombstone",
        within(
          Effect.gen(function*() {
            while (true) {
              const envelope = yield* bob.pigeonhole.encryptRead(keys.readCap, boxes[1]!, call)
              const outcome = yield* Effect.either(bob.pigeonhole.startResending(envelope, call))
              if (outcome._tag === "Left") return outcome.left
              assert.strictEqual(decoder.decode(outcome.right.plaintext), messages[1])
              yield* Effect.sleep("2 seconds")
            }
          }),
          "8 minutes",
          "a read of the deleted box to end with Tombstone"
        )
      )
      assert.strictEqual(tombstone._tag, "Tombstone")
    })), 20 * 60_000)

  it.live(
    "a NoRetry read of an empty box is BoxIdNotFound; a retrying read completes after a late write",
    () =>
      Effect.scoped(Effect.gen(function*() {
        const { alice, bob } = yield* both
        const keys = yield* alice.pigeonhole.newKeypair(seed(), call)
        const empty = yield* bob.pigeonhole.encryptRead(keys.readCap, keys.firstIndex, call)
        const notFound = yield* timed(
          "NoRetry read of an empty box",
          failure(bob.pigeonhole.startResendingNoRetry(empty, call), "a NoRetry read of an empty box")
        )
        assert.strictEqual(notFound._tag, "BoxIdNotFound")

        const reader = yield* bob.streams.reader(keys.readCap)
        const waiting = yield* Effect.fork(timed("retrying read through a late write", reader.read(call)))
        yield* Effect.sleep("5 seconds")
        const message = `late ${Date.now()}`
        const writer = yield* alice.streams.writer(keys.writeCap)
        yield* writer.write(encoder.encode(message), call)
        const result = yield* Fiber.join(waiting)
        assert.strictEqual(decoder.decode(result.plaintext), message)
      })),
    20 * 60_000
  )
})
