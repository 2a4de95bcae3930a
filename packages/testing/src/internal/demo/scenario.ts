/**
 * The demo's story, told with the public SDK only (Pigeonhole and Streams services): Alice
 * makes a stream, writes to it, sends a letter through a copy stream and deletes a message;
 * Bob, holding only the ReadCap, reads it all and sees the deletion.
 */
import { Bacap, type MessageBoxIndex, randomBytes, type ReadCap } from "@katzenpost-effect/core"
import { type Arq, isExpectedOutcome, type Pigeonhole, type Progress, type Streams } from "@katzenpost-effect/pigeonhole"
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import type { Metrics } from "./metrics.js"
import { count, fail, heading, line, millis, note, ok, shortHex } from "./output.js"

/** What the scenario runs with. */
export interface Services {
  readonly pigeonhole: Pigeonhole.Pigeonhole
  readonly streams: Streams.Streams
  readonly metrics: Metrics
  /** How long one operation may take before the step fails. */
  readonly timeout: Duration.Duration
}

/** A step did not do what it should (already reported). */
export class StepFailed extends Data.TaggedError("StepFailed")<{ readonly step: number }> {}

/** A result that is not what the step expected. */
class Unexpected extends Data.TaggedError("Unexpected")<{ readonly message: string }> {}

const TOTAL = 5
const encoder = new TextEncoder()
const decoder = new TextDecoder()

const MESSAGES = [
  "Hello Bob, this is the first message on our stream.",
  "A second one. I will delete this one later.",
  "And a third, written while you were already waiting for it."
] as const

/** About 3.4 KB of text: three boxes. */
const letter = (): Uint8Array =>
  encoder.encode(
    Array.from(
      { length: 48 },
      (_, i) => `${String(i + 1).padStart(2, "0")}. Pigeonhole boxes are write-once; a copy stream moves many at once.\n`
    ).join("")
  )

const describe = (error: unknown): string => {
  if (typeof error !== "object" || error === null || !("_tag" in error)) return String(error)
  const message = "message" in error && typeof error.message === "string" && error.message !== "" ? `: ${error.message}` : ""
  return `${String(error._tag)}${message}`
}

const step = <A, E>(n: number, title: string, body: Effect.Effect<A, E>): Effect.Effect<A, StepFailed> =>
  Effect.zipRight(heading(n, TOTAL, title), body).pipe(
    Effect.catchAll((error) => Effect.zipRight(fail(describe(error)), Effect.fail(new StepFailed({ step: n }))))
  )

const expectText = (result: Arq.ReadResult, expected: string): Effect.Effect<string, Unexpected> => {
  const text = decoder.decode(result.plaintext)
  return text === expected ? Effect.succeed(text) : Effect.fail(new Unexpected({ message: `expected "${expected}", read "${text}"` }))
}

const u32be = (n: number): Uint8Array => {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, n, false)
  return out
}

/** Runs the five steps; fails with `StepFailed` at the first one that goes wrong. */
export const run = (services: Services): Effect.Effect<void, StepFailed> =>
  Effect.gen(function*() {
    const { metrics, pigeonhole, streams } = services
    const call = { timeout: services.timeout }
    const started = yield* Clock.currentTimeMillis

    const alice = yield* step(
      1,
      "Alice creates a stream",
      Effect.gen(function*() {
        const keypair = yield* pigeonhole.newKeypair(Redacted.make(yield* randomBytes(32)), call)
        yield* ok(
          `keypair from a fresh 32-byte seed: WriteCap ${keypair.writeCap.bytes.length} B (Alice keeps it), ` +
            `ReadCap ${keypair.readCap.bytes.length} B (Alice hands it to Bob)`
        )
        return keypair
      })
    )
    const bobReadCap: ReadCap = alice.readCap
    const writer = yield* streams.writer(alice.writeCap)
    const reader = yield* streams.reader(bobReadCap)

    const write = (n: number) =>
      Effect.gen(function*() {
        const message = encoder.encode(MESSAGES[n]!)
        const [took, result] = yield* Effect.timed(writer.write(message, call))
        metrics.messagesWritten++
        metrics.bytesWritten += message.length
        yield* ok(
          `Alice wrote message ${n + 1} (${message.length} B) via courier ${shortHex(result.courier.identityHash)} in ${
            millis(Duration.toMillis(took))
          }`
        )
        return result
      })

    const read = (n: number, what: string) =>
      Effect.gen(function*() {
        const [took, result] = yield* Effect.timed(reader.read(call))
        const text = yield* expectText(result, MESSAGES[n]!)
        metrics.messagesRead++
        metrics.bytesRead += result.plaintext.length
        yield* ok(`Bob read message ${n + 1}: "${text}" (${what}${millis(Duration.toMillis(took))})`)
      })

    const second = yield* step(
      2,
      "Alice writes two messages; Bob reads them",
      Effect.gen(function*() {
        yield* write(0)
        const box2 = yield* write(1)
        yield* read(0, "waited through replication lag: ")
        yield* read(1, "")
        return box2.boxIndex
      })
    )

    yield* step(
      3,
      "Bob waits for a third message before Alice writes it",
      Effect.gen(function*() {
        const waiting = yield* Effect.fork(Effect.timed(reader.read(call)))
        yield* Effect.sleep("300 millis")
        yield* note("Bob is reading box 3, which is still empty: the daemon keeps retrying (BoxIdNotFound)")
        yield* write(2)
        const [took, result] = yield* Fiber.join(waiting)
        const text = yield* expectText(result, MESSAGES[2])
        metrics.messagesRead++
        metrics.bytesRead += result.plaintext.length
        yield* ok(`Bob read message 3: "${text}" after waiting ${millis(Duration.toMillis(took))} in all`)
      })
    )

    yield* step(
      4,
      "Alice sends a letter larger than one box through a copy stream",
      Effect.gen(function*() {
        const body = letter()
        const framed = new Uint8Array(4 + body.length)
        framed.set(u32be(body.length))
        framed.set(body, 4)
        const start = yield* writer.position
        const progress = (p: Progress.PayloadProgress): Effect.Effect<void> =>
          p.phase === "packing"
            ? note("packing the letter into copy stream elements (the daemon's work)…")
            : p.phase === "writing"
            ? note(p.boxesWritten === 0 ? `writing ${p.boxes} temporary boxes…` : `temporary box ${p.boxesWritten}/${p.boxes} written`)
            : p.phase === "copying"
            ? note("copy command sent: the courier copies the stream into Alice's boxes…")
            : Effect.void
        const [took, next] = yield* Effect.timed(
          streams.sendPayload(framed, alice.writeCap, start, { ...call, onProgress: progress })
        )
        const boxes = Bacap.counter(next) - Bacap.counter(start)
        metrics.bytesWritten += framed.length
        yield* ok(
          `courier executed the copy command: ${count(framed.length)} B into ${boxes} of Alice's boxes ` +
            `(${millis(Duration.toMillis(took))}, temporary stream written and consumed)`
        )
        const received = yield* readLetter(reader.read(call), boxes)
        metrics.bytesRead += received.bytes
        const expected = decoder.decode(body)
        if (received.text !== expected) return yield* new Unexpected({ message: "the letter Bob reassembled differs from Alice's" })
        yield* ok(`Bob reassembled the letter from ${received.boxes} boxes: ${count(body.length)} B, identical to what Alice sent`)
      })
    )

    yield* step(
      5,
      "Alice deletes message 2; Bob sees the tombstone",
      Effect.gen(function*() {
        const range = yield* pigeonhole.tombstoneRange(alice.writeCap, second, 1, call)
        yield* Effect.forEach(range.envelopes, (envelope) => pigeonhole.startResending(envelope, call), { discard: true })
        yield* ok("Alice wrote a tombstone over box 2")
        yield* seeTombstone(pigeonhole, bobReadCap, second, services.timeout)
      })
    )

    const elapsed = (yield* Clock.currentTimeMillis) - started
    yield* summary(metrics, elapsed)
  })

/** Bob reads boxes until the length-prefixed letter is complete. */
const readLetter = <E>(readNext: Effect.Effect<Arq.ReadResult, E>, expectedBoxes: bigint) =>
  Effect.gen(function*() {
    const parts: Array<Uint8Array> = []
    let have = 0
    let total = Infinity
    let boxes = 0
    while (have < total) {
      const result = yield* readNext
      parts.push(result.plaintext)
      have += result.plaintext.length
      boxes++
      if (boxes === 1 && result.plaintext.length >= 4) {
        total = 4 + new DataView(result.plaintext.buffer, result.plaintext.byteOffset, 4).getUint32(0, false)
      }
      if (BigInt(boxes) > expectedBoxes) return yield* new Unexpected({ message: `letter not complete after ${boxes} boxes` })
    }
    const all = new Uint8Array(have)
    let offset = 0
    for (const part of parts) {
      all.set(part, offset)
      offset += part.length
    }
    return { text: decoder.decode(all.subarray(4, total)), bytes: have, boxes }
  })

/** Reads a box until the tombstone has replicated; the Tombstone error is the expected outcome. */
const seeTombstone = (pigeonhole: Pigeonhole.Pigeonhole, readCap: ReadCap, box: MessageBoxIndex, timeout: Duration.Duration) =>
  Effect.gen(function*() {
    const deadline = (yield* Clock.currentTimeMillis) + Duration.toMillis(timeout)
    while (true) {
      const envelope = yield* pigeonhole.encryptRead(readCap, box, { timeout })
      const outcome = yield* Effect.either(pigeonhole.startResending(envelope, { timeout }))
      if (outcome._tag === "Left") {
        if (outcome.left._tag === "Tombstone" && isExpectedOutcome(outcome.left)) {
          return yield* ok("Bob read box 2: Tombstone, an expected outcome (isExpectedOutcome), not a failure")
        }
        return yield* Effect.fail(outcome.left)
      }
      if ((yield* Clock.currentTimeMillis) > deadline) {
        return yield* new Unexpected({ message: "box 2 still holds its message: the tombstone never arrived" })
      }
      yield* note("Bob still reads the old message 2 (the tombstone is replicating); reading again in 0.5 s")
      yield* Effect.sleep("500 millis")
    }
  })

const summary = (metrics: Metrics, elapsed: number) =>
  Effect.gen(function*() {
    yield* line("\nSummary")
    yield* ok("every step did what it should")
    yield* note(`messages     ${metrics.messagesWritten} written, ${metrics.messagesRead} read; one letter via copy stream; one box tombstoned`)
    yield* note(`bytes        ${count(metrics.bytesWritten)} written, ${count(metrics.bytesRead)} read (plaintext)`)
    yield* note(`round trips  ${metrics.roundTrips} requests to the daemon, ${metrics.arqRoundTrips} of them through couriers (ARQ)`)
    yield* note(`time         ${millis(elapsed)}`)
  })
