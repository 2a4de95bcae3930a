/**
 * A payload of several boxes through the copy-stream path: Alice's daemon packs and sends it
 * (Streams.sendPayload), Bob's daemon reads the destination boxes back (readMany). 10 KiB is
 * what fits CI here: the v0.0.73 courier spends 18–45 s per temporary box (docs/performance.md).
 */
import { assert, it } from "@effect/vitest"
import { Bacap } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import { client, report, seed, services, timed } from "./Mixnet.js"

const SIZE = 10 * 1024

it.live(`a ${SIZE / 1024} KiB payload through a copy stream arrives intact`, () =>
  Effect.scoped(Effect.gen(function*() {
    const alice = yield* services(yield* client("alice"))
    const bob = yield* services(yield* client("bob"))
    const keys = yield* alice.pigeonhole.newKeypair(seed())
    const payload = crypto.getRandomValues(new Uint8Array(SIZE))
    // Library defaults only: the packing and copy timeouts must fit a real daemon by themselves.
    const next = yield* timed(`sendPayload ${SIZE} B`, alice.streams.sendPayload(payload, keys.writeCap, keys.firstIndex))
    const boxes = Number(Bacap.counter(next) - Bacap.counter(keys.firstIndex))
    yield* report(`payload occupies ${boxes} destination boxes`)
    const reader = yield* bob.streams.reader(keys.readCap)
    const parts = yield* timed(`Bob reads ${boxes} boxes (readMany)`, reader.readMany(boxes, { timeout: "10 minutes" }))
    const received = new Uint8Array(parts.reduce((n, part) => n + part.plaintext.length, 0))
    let offset = 0
    for (const part of parts) {
      received.set(part.plaintext, offset)
      offset += part.plaintext.length
    }
    assert.strictEqual(received.length, payload.length)
    assert.isTrue(Buffer.from(received).equals(Buffer.from(payload)), "the payload Bob read differs from Alice's")
  })), 30 * 60_000)
