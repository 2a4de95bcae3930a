/**
 * A payload of several boxes through the copy-stream path: Alice's daemon packs and sends it
 * (Streams.sendPayload), then Bob's daemon reads the destination boxes back (the first box,
 * then the rest with readMany). 10 KiB is what fits CI here: the v0.0.73 courier spends most
 * of a copy command on its temporary boxes (docs/performance.md).
 */
import { assert, it } from "@effect/vitest"
import { Bacap } from "@katzenpost-effect/core"
import type { Arq, Streams } from "@katzenpost-effect/pigeonhole"
import * as Effect from "effect/Effect"
import { client, report, seed, services, timed } from "./Mixnet.js"

const SIZE = 10 * 1024
const reads = { timeout: "5 minutes" } as const

const concat = (parts: ReadonlyArray<Arq.ReadResult>): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.plaintext.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part.plaintext, offset)
    offset += part.plaintext.length
  }
  return out
}

/**
 * Bob reads a length-prefixed payload: the first box tells the length and the box size (every
 * box but the last is full), the rest arrive with readMany, all in order.
 */
const receive = (reader: Streams.StreamReader) =>
  Effect.gen(function*() {
    const first = yield* reader.read(reads)
    const box = first.plaintext.length
    assert.isAtLeast(box, 4)
    const total = 4 + new DataView(first.plaintext.buffer, first.plaintext.byteOffset, 4).getUint32(0, false)
    const rest = yield* reader.readMany(Math.ceil(Math.max(0, total - box) / box), reads)
    const parts = [first, ...rest]
    parts.slice(0, -1).forEach((part, i) => assert.strictEqual(part.plaintext.length, box, `box ${i + 1} is not full`))
    return { bytes: concat(parts), boxes: parts.length }
  })

it.live(`a ${SIZE / 1024} KiB payload through a copy stream arrives intact`, () =>
  Effect.scoped(Effect.gen(function*() {
    const alice = yield* services(yield* client("alice"))
    const bob = yield* services(yield* client("bob"))
    const keys = yield* alice.pigeonhole.newKeypair(seed())
    const payload = crypto.getRandomValues(new Uint8Array(SIZE))
    const framed = new Uint8Array(4 + SIZE)
    new DataView(framed.buffer).setUint32(0, SIZE, false)
    framed.set(payload, 4)
    // Library defaults only on Alice's side: packing and copy timeouts must fit a real daemon.
    const next = yield* timed(`Alice: sendPayload of ${framed.length} B`, alice.streams.sendPayload(framed, keys.writeCap, keys.firstIndex))
    const boxes = Number(Bacap.counter(next) - Bacap.counter(keys.firstIndex))
    // Bob reads only once the copy command is done: reads of destination boxes the courier has
    // not written yet, retried meanwhile by Bob's daemon, made the courier's own reads of the
    // temporary boxes time out here (copy command failed) in two of two runs.
    const reader = yield* bob.streams.reader(keys.readCap)
    const received = yield* timed(`Bob: ${boxes} boxes read with readMany`, receive(reader))
    assert.strictEqual(received.boxes, boxes)
    assert.isTrue(Buffer.from(received.bytes).equals(Buffer.from(framed)), "the payload Bob read differs from Alice's")
    yield* report(`payload occupies ${boxes} destination boxes (${received.bytes.length} B read)`)
  })), 30 * 60_000)
