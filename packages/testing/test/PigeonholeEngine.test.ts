import { assert, describe, it } from "@effect/vitest"
import { Bacap, EnvelopeHash, type MessageBoxIndex, NodeIdHash, PkiDocument, Request, WriteCapHash } from "@katzenpost-effect/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import { readFileSync } from "node:fs"
import { ed25519PublicKey } from "../src/internal/pigeonhole/keypair.js"
import * as PigeonholeEngine from "../src/PigeonholeEngine.js"
import { makePkiDocument } from "../src/PlausiblePki.js"
import { harness, type Stream } from "./engineHarness.js"

/** The Go daemon's keypairs (interop/go, kpclientd v0.0.73 + hpqc v0.0.78). */
const goKeypairs: ReadonlyArray<{
  readonly name: string
  readonly seed: string
  readonly write_cap: string
  readonly read_cap: string
  readonly first_message_index: { readonly hex: string }
}> = JSON.parse(readFileSync(new URL("../../core/test/vectors/go/bacap.json", import.meta.url), "utf8")).vectors
const hexOf = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : Buffer.from(bytes).toString("hex"))

const text = (s: string) => new TextEncoder().encode(s)
const decodeText = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b))
const MAX = 1553

const couriersOf = (document: PkiDocument.PkiDocument) =>
  PkiDocument.findServices(document, "courier").map((s) => Buffer.from(s.destinationIdHash).toString("hex"))

/** Sees whether a reply is waiting, without blocking. */
const poll = <A>(fiber: Fiber.RuntimeFiber<A>) => Effect.flatMap(Effect.yieldNow(), () => Fiber.poll(fiber))

describe("PigeonholeEngine keys and indexes", () => {
  it.scoped("derives the same 168/136/104-byte caps from the same seed", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const a = yield* h.newStream(1)
      const b = yield* h.newStream(1)
      const c = yield* h.newStream(2)
      assert.deepStrictEqual(a.writeCap.bytes, b.writeCap.bytes)
      assert.notDeepEqual(a.writeCap.bytes, c.writeCap.bytes)
      assert.strictEqual(a.writeCap.bytes.length, 168)
      assert.strictEqual(a.readCap.bytes.length, 136)
      assert.strictEqual(a.first.bytes.length, 104)
      // WriteCap = Ed25519 seed ‖ its public key ‖ first index; ReadCap = public key ‖ first index.
      assert.deepStrictEqual(ed25519PublicKey(a.writeCap.bytes.subarray(0, 32)), a.writeCap.bytes.subarray(32, 64))
      assert.deepStrictEqual(a.readCap.bytes, a.writeCap.bytes.subarray(32))
      assert.deepStrictEqual(a.first.bytes, a.writeCap.bytes.subarray(64))
    }))

  it.scoped("refuses seeds that are not 32 bytes with 3, as the daemon does (its ChaCha20 takes only a 32-byte key)", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      for (const length of [0, 31, 33, 40]) {
        const reply = yield* h.call("NewKeypairReply", Request.NewKeypair.make({ query_id: h.nextQueryId(), seed: new Uint8Array(length) }))
        assert.strictEqual(reply.error_code, 3, `${length} bytes`)
        assert.isNull(reply.write_cap)
      }
      const missing = yield* h.call("NewKeypairReply", Request.NewKeypair.make({ query_id: h.nextQueryId(), seed: null }))
      assert.strictEqual(missing.error_code, 3)
    }))

  it.scoped("derives the Go daemon's caps (kpclientd v0.0.73, hpqc v0.0.78) from the same seed", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      for (const v of goKeypairs) {
        const reply = yield* h.call(
          "NewKeypairReply",
          Request.NewKeypair.make({ query_id: h.nextQueryId(), seed: new Uint8Array(Buffer.from(v.seed, "hex")) })
        )
        assert.strictEqual(hexOf(reply.write_cap?.bytes), v.write_cap, v.name)
        assert.strictEqual(hexOf(reply.read_cap?.bytes), v.read_cap, v.name)
        assert.strictEqual(hexOf(reply.first_message_index?.bytes), v.first_message_index.hex, v.name)
      }
    }))

  it.scoped("advances indexes and reads counters with the real BACAP KDF", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const { first } = yield* h.newStream(3)
      const next = yield* h.call(
        "NextMessageBoxIndexReply",
        Request.NextMessageBoxIndex.make({ query_id: h.nextQueryId(), message_box_index: first })
      )
      assert.deepStrictEqual(next.next_message_box_index?.bytes, h.advance(first).bytes)
      const counter = yield* h.call(
        "GetMessageBoxIndexCounterReply",
        Request.GetMessageBoxIndexCounter.make({ query_id: h.nextQueryId(), message_box_index: first })
      )
      assert.strictEqual(counter.counter, Bacap.counter(first))
      const missing = yield* h.call("NextMessageBoxIndexReply", Request.NextMessageBoxIndex.make({ query_id: h.nextQueryId() }))
      assert.strictEqual(missing.error_code, 3)
    }))
})

describe("PigeonholeEngine encryption", () => {
  it.scoped("returns an opaque ciphertext whose envelope hash is its BLAKE2b-256, and the next index", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const s = yield* h.newStream(4)
      const reply = yield* h.encryptWrite(s, s.first, text("hello"))
      assert.strictEqual(reply.error_code, 0)
      if (reply.message_ciphertext === null) return assert.fail("no ciphertext")
      assert.deepStrictEqual(reply.envelope_hash, EnvelopeHash.make(Bacap.blake2b256(reply.message_ciphertext)))
      assert.deepStrictEqual(reply.next_message_box_index?.bytes, h.advance(s.first).bytes)
      assert.isFalse(Buffer.from(reply.message_ciphertext).includes(Buffer.from("hello")))
      const read = yield* h.encryptRead(s, s.first)
      // Reads are padded to look like writes.
      assert.strictEqual(read.message_ciphertext?.length, reply.message_ciphertext.length)
    }))

  it.scoped("refuses plaintext longer than MaxPlaintextPayloadLength with 3", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const s = yield* h.newStream(5)
      assert.strictEqual((yield* h.encryptWrite(s, s.first, new Uint8Array(MAX))).error_code, 0)
      assert.strictEqual((yield* h.encryptWrite(s, s.first, new Uint8Array(MAX + 1))).error_code, 3)
    }))

  it.scoped("fails encryption with 4 while the daemon has no PKI document", () =>
    Effect.gen(function*() {
      const h = yield* harness({ hasPkiDocument: false })
      const s = yield* h.newStream(6)
      assert.strictEqual((yield* h.encryptWrite(s, s.first, text("x"))).error_code, 4)
      assert.strictEqual((yield* h.encryptRead(s, s.first)).error_code, 4)
      yield* h.engine.setHasPkiDocument(true)
      assert.strictEqual((yield* h.encryptRead(s, s.first)).error_code, 0)
    }))
})

describe("PigeonholeEngine ARQ", () => {
  it.scoped("writes a box and reads it back, naming the courier in every reply", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const s = yield* h.newStream(10)
      const written = yield* h.write(s, s.first, text("first message"))
      assert.strictEqual(written.error_code, 0)
      assert.isNull(written.plaintext)
      const read = yield* h.read(s, s.first)
      assert.strictEqual(read.error_code, 0)
      assert.strictEqual(decodeText(read.plaintext), "first message")
      const listed = couriersOf(h.engine.pkiDocument)
      for (const reply of [written, read]) {
        assert.include(listed, Buffer.from(reply.courier_identity_hash ?? []).toString("hex"))
        assert.strictEqual(decodeText(reply.courier_queue_id), "courier")
      }
      assert.strictEqual(yield* h.engine.boxCount, 1)
      assert.strictEqual(yield* h.engine.inFlightCount, 0)
    }))

  it.scoped("a read waits through replication lag, then answers once", () =>
    Effect.gen(function*() {
      const h = yield* harness({ replicationLag: "5 seconds", readRetryInterval: "1 second" })
      const s = yield* h.newStream(11)
      assert.strictEqual((yield* h.write(s, s.first, text("lagging"))).error_code, 0)
      const reading = yield* Effect.fork(h.read(s, s.first))
      yield* TestClock.adjust("4 seconds")
      assert.isTrue(Option.isNone(yield* poll(reading)))
      yield* TestClock.adjust("2 seconds")
      const reply = yield* Fiber.join(reading)
      assert.strictEqual(reply.error_code, 0)
      assert.strictEqual(decodeText(reply.plaintext), "lagging")
      assert.strictEqual(yield* h.engine.inFlightCount, 0)
    }))

  it.scoped("a read before the write retries BoxIdNotFound until the box appears", () =>
    Effect.gen(function*() {
      const h = yield* harness({ readRetryInterval: "1 second" })
      const s = yield* h.newStream(12)
      const started = yield* h.startRead(s, s.first)
      yield* TestClock.adjust("30 seconds")
      assert.strictEqual(yield* h.inbox.size, 0)
      assert.strictEqual((yield* h.write(s, s.first, text("late"))).error_code, 0)
      yield* TestClock.adjust("1 second")
      const reply = yield* started.reply
      assert.strictEqual(reply.error_code, 0)
      assert.strictEqual(decodeText(reply.plaintext), "late")
    }))

  it.scoped("no_retry_on_box_id_not_found returns BoxIdNotFound (1) at once", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const s = yield* h.newStream(13)
      const reply = yield* h.read(s, s.first, { noRetry: true })
      assert.strictEqual(reply.error_code, 1)
      assert.isNotNull(reply.courier_identity_hash)
    }))

  it.scoped("boxes are write-once: a second write is idempotent success by default, 10 with no_idempotent_box_already_exists", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const s = yield* h.newStream(14)
      assert.strictEqual((yield* h.write(s, s.first, text("original"))).error_code, 0)
      assert.strictEqual((yield* h.write(s, s.first, text("again"))).error_code, 0)
      assert.strictEqual((yield* h.write(s, s.first, text("again"), { noIdempotent: true })).error_code, 10)
      const fresh = h.advance(s.first)
      assert.strictEqual((yield* h.write(s, fresh, text("new"), { noIdempotent: true })).error_code, 0)
      assert.strictEqual(decodeText((yield* h.read(s, s.first)).plaintext), "original")
    }))

  it.scoped("a tombstoned box reads as code 11 with an empty plaintext", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const s = yield* h.newStream(15)
      assert.strictEqual((yield* h.write(s, s.first, text("doomed"))).error_code, 0)
      assert.strictEqual((yield* h.write(s, s.first, new Uint8Array(0))).error_code, 0)
      const reply = yield* h.read(s, s.first)
      assert.strictEqual(reply.error_code, 11)
      assert.deepStrictEqual(reply.plaintext, new Uint8Array(0))
    }))

  it.scoped("validation errors reply 3 without courier fields; no PKI document replies 4", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const s = yield* h.newStream(16)
      const encrypted = yield* h.encryptRead(s, s.first)
      const both = { ...h.resendRequest(encrypted, { readCap: s.readCap }, s.first), write_cap: s.writeCap }
      const invalid = yield* h.call("StartResendingEncryptedMessageReply", both)
      assert.strictEqual(invalid.error_code, 3)
      assert.isNull(invalid.courier_identity_hash)
      assert.isNull(invalid.courier_queue_id)
      yield* h.engine.setHasPkiDocument(false)
      const offline = yield* h.call("StartResendingEncryptedMessageReply", h.resendRequest(encrypted, { readCap: s.readCap }, s.first))
      assert.strictEqual(offline.error_code, 4)
      assert.isNull(offline.courier_identity_hash)
    }))

  it.scoped("cancel sends 24 to the original query first, then 0; unknown hashes get 0", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const s = yield* h.newStream(17)
      const started = yield* h.startRead(s, s.first)
      yield* TestClock.adjust("10 seconds")
      assert.strictEqual(yield* h.engine.inFlightCount, 1)
      const cancelId = h.nextQueryId()
      yield* h.send(Request.CancelResendingEncryptedMessage.make({ query_id: cancelId, envelope_hash: started.request.envelope_hash }))
      const original = yield* started.reply
      assert.strictEqual(original.error_code, 24)
      assert.deepStrictEqual(original.query_id, started.request.query_id)
      assert.isNotNull(original.courier_identity_hash)
      const cancelled = yield* h.take("CancelResendingEncryptedMessageReply")
      assert.strictEqual(cancelled.error_code, 0)
      assert.deepStrictEqual(cancelled.query_id, cancelId)
      assert.strictEqual(yield* h.engine.inFlightCount, 0)

      const unknown = yield* h.call(
        "CancelResendingEncryptedMessageReply",
        Request.CancelResendingEncryptedMessage.make({ query_id: h.nextQueryId(), envelope_hash: EnvelopeHash.make(new Uint8Array(32)) })
      )
      assert.strictEqual(unknown.error_code, 0)
      yield* TestClock.adjust("1 minute")
      assert.strictEqual(yield* h.inbox.size, 0)
    }))

  it.scoped("without stalling, ARQ state survives a disconnect, but a reply due while disconnected is dropped", () =>
    Effect.gen(function*() {
      const h = yield* harness({ readRetryInterval: "1 second", stallWhileDisconnected: false })
      const s = yield* h.newStream(18)
      yield* h.startRead(s, s.first)
      h.link.connected = false
      yield* TestClock.adjust("5 seconds")
      assert.strictEqual(yield* h.engine.inFlightCount, 1)
      // Another daemon on the same network writes the box.
      const writer = yield* harness({ network: h.engine.network })
      assert.strictEqual((yield* writer.write(s, s.first, text("while away"))).error_code, 0)
      yield* TestClock.adjust("2 seconds")
      assert.strictEqual(yield* h.engine.inFlightCount, 0)
      h.link.connected = true
      assert.strictEqual(yield* h.inbox.size, 0)
    }))

  it.scoped("ending a session stops its ARQ without a reply", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const s = yield* h.newStream(19)
      yield* h.startRead(s, s.first)
      yield* h.engine.endSession(h.session.appId)
      assert.strictEqual(yield* h.engine.inFlightCount, 0)
      yield* TestClock.adjust("1 minute")
      assert.strictEqual(yield* h.inbox.size, 0)
    }))

  it.scoped("a restart loses ARQ state but not the replicas' boxes", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const s = yield* h.newStream(20)
      yield* h.write(s, s.first, text("durable"))
      yield* h.startRead(s, h.advance(s.first))
      yield* h.engine.restart
      assert.strictEqual(yield* h.engine.inFlightCount, 0)
      assert.strictEqual(yield* h.engine.boxCount, 1)
      const again = yield* harness({ network: h.engine.network })
      assert.strictEqual(decodeText((yield* again.read(s, s.first)).plaintext), "durable")
      yield* h.engine.reset
      assert.strictEqual(yield* h.engine.boxCount, 0)
    }))
})

describe("PigeonholeEngine ARQ across a disconnect (v0.0.73 stall)", () => {
  it.scoped("a read retry firing while disconnected stalls the read: no reply after resume, a replay completes it", () =>
    Effect.gen(function*() {
      const h = yield* harness({ readRetryInterval: "1 second" })
      const s = yield* h.newStream(40)
      const started = yield* h.startRead(s, s.first)
      // The first BoxIdNotFound arrives while connected; the retry one second later does not.
      yield* TestClock.adjust("10 millis")
      h.link.connected = false
      yield* TestClock.adjust("5 seconds")
      const writer = yield* harness({ network: h.engine.network })
      assert.strictEqual((yield* writer.write(s, s.first, text("while away"))).error_code, 0)
      h.link.connected = true
      yield* TestClock.adjust("1 minute")
      // Nothing drives the entry any more, but it is still there.
      assert.strictEqual(yield* h.inbox.size, 0)
      assert.strictEqual(yield* h.engine.inFlightCount, 1)
      // The client's replay (same envelope_hash) replaces the entry and starts afresh.
      yield* h.send(started.request)
      const reply = yield* started.reply
      assert.strictEqual(reply.error_code, 0)
      assert.strictEqual(decodeText(reply.plaintext), "while away")
      assert.strictEqual(yield* h.engine.inFlightCount, 0)
    }))

  it.scoped("a courier reply arriving while disconnected is lost; the entry stays and a cancel answers it with 24", () =>
    Effect.gen(function*() {
      const h = yield* harness({ roundTrip: "1 second" })
      const s = yield* h.newStream(41)
      const encrypted = yield* h.encryptWrite(s, s.first, text("stored, unacknowledged"))
      const request = h.resendRequest(encrypted, { writeCap: s.writeCap }, s.first)
      yield* h.send(request)
      h.link.connected = false
      yield* TestClock.adjust("2 seconds")
      // The courier stored the box; its reply found no connection.
      assert.strictEqual(yield* h.engine.boxCount, 1)
      h.link.connected = true
      yield* TestClock.adjust("1 minute")
      assert.strictEqual(yield* h.inbox.size, 0)
      assert.strictEqual(yield* h.engine.inFlightCount, 1)
      const cancelId = h.nextQueryId()
      yield* h.send(Request.CancelResendingEncryptedMessage.make({ query_id: cancelId, envelope_hash: request.envelope_hash }))
      const original = yield* h.take("StartResendingEncryptedMessageReply")
      assert.strictEqual(original.error_code, 24)
      assert.deepStrictEqual(original.query_id, request.query_id)
      assert.strictEqual((yield* h.take("CancelResendingEncryptedMessageReply")).error_code, 0)
      yield* h.engine.awaitInFlight(0)
    }))

  it.scoped("a copy command polled while disconnected stalls until replayed", () =>
    Effect.gen(function*() {
      const h = yield* harness({ copyPollInterval: "5 seconds" })
      const temp = yield* h.newStream(42)
      const dest = yield* h.newStream(43)
      const request = Request.StartResendingCopyCommand.make({
        query_id: h.nextQueryId(),
        write_cap: temp.writeCap,
        courier_identity_hash: null,
        courier_queue_id: null
      })
      yield* h.send(request)
      // "In progress" arrives while connected; the poll five seconds later does not.
      yield* TestClock.adjust("10 millis")
      h.link.connected = false
      yield* TestClock.adjust("6 seconds")
      h.link.connected = true
      const built = yield* h.call(
        "CreateCourierEnvelopesFromPayloadReply",
        Request.CreateCourierEnvelopesFromPayload.make({
          query_id: h.nextQueryId(),
          payload: text("copied after the gap"),
          dest_write_cap: dest.writeCap,
          dest_start_index: dest.first,
          is_start: true,
          is_last: true
        })
      )
      let index: MessageBoxIndex = temp.first
      for (const element of built.envelopes ?? []) {
        if (element === null) return assert.fail("null element")
        assert.strictEqual((yield* h.write(temp, index, element)).error_code, 0)
        index = h.advance(index)
      }
      yield* TestClock.adjust("1 minute")
      assert.strictEqual(yield* h.inbox.size, 0)
      assert.strictEqual(yield* h.engine.inFlightCount, 1)
      yield* h.send(request)
      yield* TestClock.adjust("5 seconds")
      const reply = yield* h.take("StartResendingCopyCommandReply")
      assert.strictEqual(reply.error_code, 0)
      assert.deepStrictEqual(reply.query_id, request.query_id)
    }))

  it.scoped("awaitInFlight follows starts, completions and cancels", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const s = yield* h.newStream(44)
      const waiting = yield* Effect.fork(h.engine.awaitInFlight(2))
      yield* h.startRead(s, s.first)
      assert.isTrue(Option.isNone(yield* poll(waiting)))
      const second = yield* h.startRead(s, h.advance(s.first))
      yield* Fiber.join(waiting)
      yield* h.send(Request.CancelResendingEncryptedMessage.make({ query_id: h.nextQueryId(), envelope_hash: second.request.envelope_hash }))
      yield* h.engine.awaitInFlight(1)
      yield* h.engine.endSession(h.session.appId)
      yield* h.engine.awaitInFlight(0)
    }))
})

describe("PigeonholeEngine copy streams", () => {
  /** Writes copy-stream elements into the temporary channel's boxes, from its first index. */
  const fillTemp = (h: Effect.Effect.Success<ReturnType<typeof harness>>, temp: Stream, elements: ReadonlyArray<Uint8Array | null>) =>
    Effect.gen(function*() {
      let index: MessageBoxIndex = temp.first
      for (const element of elements) {
        if (element === null) return assert.fail("null element")
        assert.isAtMost(element.length, MAX)
        assert.strictEqual((yield* h.write(temp, index, element)).error_code, 0)
        index = h.advance(index)
      }
      return index
    })

  const copy = (h: Effect.Effect.Success<ReturnType<typeof harness>>, temp: Stream, courier?: { hash: Uint8Array; queue: Uint8Array }) =>
    h.call(
      "StartResendingCopyCommandReply",
      Request.StartResendingCopyCommand.make({
        query_id: h.nextQueryId(),
        write_cap: temp.writeCap,
        courier_identity_hash: courier === undefined ? null : NodeIdHash.make(courier.hash),
        courier_queue_id: courier?.queue ?? null
      })
    )

  const readAll = (h: Effect.Effect.Success<ReturnType<typeof harness>>, dest: Stream, count: number) =>
    Effect.gen(function*() {
      const parts: Array<Uint8Array> = []
      let index = dest.first
      for (let i = 0; i < count; i++) {
        const reply = yield* h.read(dest, index, { noRetry: true })
        assert.strictEqual(reply.error_code, 0)
        parts.push(reply.plaintext ?? new Uint8Array(0))
        index = h.advance(index)
      }
      return Buffer.concat(parts)
    })

  it.scoped("a payload larger than one box travels through a copy stream and lands in the destination boxes", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const dest = yield* h.newStream(30)
      const temp = yield* h.newStream(31)
      const payload = Uint8Array.from({ length: 4000 }, (_, i) => i % 251)
      const packed = yield* h.call(
        "CreateCourierEnvelopesFromPayloadReply",
        Request.CreateCourierEnvelopesFromPayload.make({
          query_id: h.nextQueryId(),
          payload,
          dest_write_cap: dest.writeCap,
          dest_start_index: dest.first,
          is_start: true,
          is_last: true
        })
      )
      assert.strictEqual(packed.error_code, 0)
      // 4000 bytes in chunks of 1549: three destination boxes.
      assert.deepStrictEqual(packed.next_dest_index?.bytes, h.advance(dest.first, 3).bytes)
      yield* fillTemp(h, temp, packed.envelopes ?? [])
      const done = yield* copy(h, temp)
      assert.strictEqual(done.error_code, 0)
      assert.deepStrictEqual(new Uint8Array(yield* readAll(h, dest, 3)), payload)
      // The courier tombstones the temporary channel afterwards.
      assert.strictEqual((yield* h.read(temp, temp.first)).error_code, 11)
      // A replay of the same command (daemon restart) gets the same answer.
      assert.strictEqual((yield* copy(h, temp)).error_code, 0)
    }))

  it.scoped("multi-payload threads the encoder buffer between calls", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const a = yield* h.newStream(32)
      const b = yield* h.newStream(33)
      const temp = yield* h.newStream(34)
      const first = yield* h.call(
        "CreateCourierEnvelopesFromMultiPayloadReply",
        Request.CreateCourierEnvelopesFromMultiPayload.make({
          query_id: h.nextQueryId(),
          destinations: [{ payload: text("to a"), write_cap: a.writeCap, start_index: a.first }],
          is_start: true,
          is_last: false,
          buffer: null
        })
      )
      assert.strictEqual(first.error_code, 0)
      assert.isNotNull(first.buffer)
      const second = yield* h.call(
        "CreateCourierEnvelopesFromMultiPayloadReply",
        Request.CreateCourierEnvelopesFromMultiPayload.make({
          query_id: h.nextQueryId(),
          destinations: [{ payload: text("to b"), write_cap: b.writeCap, start_index: b.first }],
          is_start: false,
          is_last: true,
          buffer: first.buffer
        })
      )
      assert.strictEqual(second.error_code, 0)
      assert.isNull(second.buffer)
      assert.deepStrictEqual(second.next_dest_indices?.map((i) => i?.bytes), [h.advance(b.first).bytes])
      yield* fillTemp(h, temp, [...(first.envelopes ?? []), ...(second.envelopes ?? [])])
      assert.strictEqual((yield* copy(h, temp)).error_code, 0)
      assert.strictEqual(decodeText((yield* h.read(a, a.first)).plaintext), "to a")
      assert.strictEqual(decodeText((yield* h.read(b, b.first)).plaintext), "to b")
    }))

  it.scoped("a tombstone range of 0 answers at once; a range tombstones its boxes through a copy", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const dest = yield* h.newStream(35)
      const temp = yield* h.newStream(36)
      const empty = yield* h.call(
        "CreateCourierEnvelopesFromTombstoneRangeReply",
        Request.CreateCourierEnvelopesFromTombstoneRange.make({
          query_id: h.nextQueryId(),
          dest_write_cap: dest.writeCap,
          dest_start_index: dest.first,
          max_count: 0,
          is_start: true,
          is_last: true
        })
      )
      assert.isNull(empty.envelopes)
      assert.isNull(empty.buffer)
      assert.deepStrictEqual(empty.next_dest_index?.bytes, dest.first.bytes)
      yield* h.write(dest, dest.first, text("one"))
      yield* h.write(dest, h.advance(dest.first), text("two"))
      const range = yield* h.call(
        "CreateCourierEnvelopesFromTombstoneRangeReply",
        Request.CreateCourierEnvelopesFromTombstoneRange.make({
          query_id: h.nextQueryId(),
          dest_write_cap: dest.writeCap,
          dest_start_index: dest.first,
          max_count: 2,
          is_start: true,
          is_last: true
        })
      )
      assert.deepStrictEqual(range.next_dest_index?.bytes, h.advance(dest.first, 2).bytes)
      yield* fillTemp(h, temp, range.envelopes ?? [])
      assert.strictEqual((yield* copy(h, temp)).error_code, 0)
      assert.strictEqual((yield* h.read(dest, dest.first)).error_code, 11)
      assert.strictEqual((yield* h.read(dest, h.advance(dest.first))).error_code, 11)
    }))

  it.scoped("a copy onto an existing box fails with 26, replica code 10 and the 1-based element index", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const dest = yield* h.newStream(37)
      const temp = yield* h.newStream(38)
      yield* h.write(dest, h.advance(dest.first), text("already here"))
      const packed = yield* h.call(
        "CreateCourierEnvelopesFromPayloadReply",
        Request.CreateCourierEnvelopesFromPayload.make({
          query_id: h.nextQueryId(),
          payload: new Uint8Array(3000).fill(1),
          dest_write_cap: dest.writeCap,
          dest_start_index: dest.first,
          is_start: true,
          is_last: true
        })
      )
      yield* fillTemp(h, temp, packed.envelopes ?? [])
      const failed = yield* copy(h, temp)
      assert.strictEqual(failed.error_code, 26)
      assert.strictEqual(failed.replica_error_code, 10)
      assert.strictEqual(failed.failed_envelope_index, 2n)
    }))

  it.scoped("cancelling a copy command sends 24 to the original, then 0", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const temp = yield* h.newStream(39)
      const queryId = h.nextQueryId()
      yield* h.send(Request.StartResendingCopyCommand.make({ query_id: queryId, write_cap: temp.writeCap }))
      // Nothing written to the temporary channel: the command stays in progress, polled every 5 s.
      yield* TestClock.adjust("20 seconds")
      assert.strictEqual(yield* h.engine.inFlightCount, 1)
      yield* h.send(
        Request.CancelResendingCopyCommand.make({ query_id: h.nextQueryId(), write_cap_hash: WriteCapHash.make(Bacap.writeCapHash(temp.writeCap)) })
      )
      const original = yield* h.take("StartResendingCopyCommandReply")
      assert.strictEqual(original.error_code, 24)
      assert.deepStrictEqual(original.query_id, queryId)
      assert.strictEqual((yield* h.take("CancelResendingCopyCommandReply")).error_code, 0)
      assert.strictEqual(yield* h.engine.inFlightCount, 0)
    }))

  it.scoped("a pinned courier is used when both courier fields are set", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const dest = yield* h.newStream(40)
      const temp = yield* h.newStream(41)
      const packed = yield* h.call(
        "CreateCourierEnvelopesFromPayloadReply",
        Request.CreateCourierEnvelopesFromPayload.make({
          query_id: h.nextQueryId(),
          payload: text("pinned"),
          dest_write_cap: dest.writeCap,
          dest_start_index: dest.first,
          is_start: true,
          is_last: true
        })
      )
      yield* fillTemp(h, temp, packed.envelopes ?? [])
      const courier = PkiDocument.findServices(h.engine.pkiDocument, "courier")[0]!
      assert.strictEqual((yield* copy(h, temp, { hash: courier.destinationIdHash, queue: courier.recipientQueueId })).error_code, 0)
      const [record] = yield* h.engine.copyCommands
      assert.isTrue(record?.pinned)
      assert.deepStrictEqual(record?.courier.identityHash, courier.destinationIdHash)
    }))

  it.scoped("a copy command stays in progress until the stream's final element is stored, polled every CopyPollInterval", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const dest = yield* h.newStream(44)
      const temp = yield* h.newStream(45)
      const packed = yield* h.call(
        "CreateCourierEnvelopesFromPayloadReply",
        Request.CreateCourierEnvelopesFromPayload.make({
          query_id: h.nextQueryId(),
          payload: new Uint8Array(2000).fill(9),
          dest_write_cap: dest.writeCap,
          dest_start_index: dest.first,
          is_start: true,
          is_last: true
        })
      )
      const elements = packed.envelopes ?? []
      assert.isAbove(elements.length, 1)
      const rest = yield* fillTemp(h, temp, elements.slice(0, 1))
      const queryId = h.nextQueryId()
      yield* h.send(Request.StartResendingCopyCommand.make({ query_id: queryId, write_cap: temp.writeCap }))
      yield* TestClock.adjust("12 seconds")
      assert.strictEqual(yield* h.inbox.size, 0)
      let index = rest
      for (const element of elements.slice(1)) {
        assert.strictEqual((yield* h.write(temp, index, element ?? new Uint8Array(0))).error_code, 0)
        index = h.advance(index)
      }
      yield* TestClock.adjust("5 seconds")
      const done = yield* h.take("StartResendingCopyCommandReply")
      assert.deepStrictEqual(done.query_id, queryId)
      assert.strictEqual(done.error_code, 0)
    }))

  it.scoped("a pinned courier the PKI document does not list never answers (the daemon retransmits until cancelled)", () =>
    Effect.gen(function*() {
      const h = yield* harness()
      const temp = yield* h.newStream(46)
      yield* h.send(
        Request.StartResendingCopyCommand.make({
          query_id: h.nextQueryId(),
          write_cap: temp.writeCap,
          courier_identity_hash: NodeIdHash.make(new Uint8Array(32).fill(0xee)),
          courier_queue_id: text("courier")
        })
      )
      yield* TestClock.adjust("1 minute")
      assert.strictEqual(yield* h.inbox.size, 0)
      assert.strictEqual(yield* h.engine.inFlightCount, 1)
    }))

  it.scoped("a copy command waits for the temporary channel to replicate before executing", () =>
    Effect.gen(function*() {
      const h = yield* harness({ replicationLag: Duration.seconds(3) })
      const dest = yield* h.newStream(42)
      const temp = yield* h.newStream(43)
      const packed = yield* h.call(
        "CreateCourierEnvelopesFromPayloadReply",
        Request.CreateCourierEnvelopesFromPayload.make({
          query_id: h.nextQueryId(),
          payload: text("after lag"),
          dest_write_cap: dest.writeCap,
          dest_start_index: dest.first,
          is_start: true,
          is_last: true
        })
      )
      yield* fillTemp(h, temp, packed.envelopes ?? [])
      const copying = yield* Effect.fork(copy(h, temp))
      yield* TestClock.adjust("2 seconds")
      assert.isTrue(Option.isNone(yield* poll(copying)))
      yield* TestClock.adjust("1 second")
      assert.strictEqual((yield* Fiber.join(copying)).error_code, 0)
    }))
})

describe("PlausiblePki", () => {
  it("encodes and decodes, listing echo and courier services and two or more storage replicas", () => {
    const document = makePkiDocument({ epoch: 123456 })
    const payload = PkiDocument.encode(document)
    if (payload._tag === "Left") return assert.fail(payload.left.reason)
    const decoded = PkiDocument.decode(payload.right)
    if (decoded._tag === "Left") return assert.fail(String(decoded.left))
    assert.strictEqual(decoded.right.Epoch, 123456)
    assert.lengthOf(PkiDocument.findServices(decoded.right, "courier"), 2)
    const echo = PkiDocument.findServices(decoded.right, "echo")
    assert.lengthOf(echo, 2)
    assert.strictEqual(new TextDecoder().decode(echo[0]!.recipientQueueId), "+echo")
    assert.isAtLeast(decoded.right.StorageReplicas?.length ?? 0, 2)
    assert.instanceOf(decoded.right.StorageReplicas?.[0]?.EnvelopeKeys, Map)
  })

  it.scoped("the engine exposes the document it routes by, encoded as the daemon sends it", () =>
    Effect.gen(function*() {
      const engine = yield* PigeonholeEngine.make()
      const decoded = PkiDocument.decode(engine.pkiDocumentPayload)
      assert.strictEqual(decoded._tag, "Right")
    }))
})
