import { assert, describe, it } from "@effect/vitest"
import { Bacap, MessageBoxIndex, Response, type Rpc, SecureRandom, WriteCap } from "@katzenpost-effect/core"
import { CopyStream, isExpectedOutcome, Pigeonhole } from "@katzenpost-effect/pigeonhole"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { readFileSync } from "node:fs"
import { boxStore, courierHash, type Handler, next, readCapFor, type Stub, stub, writeCapFor } from "./support/StubThinClient.js"

const run = <A, E>(
  client: Stub,
  body: (pigeonhole: Pigeonhole.Pigeonhole) => Effect.Effect<A, E>,
  config: Pigeonhole.PigeonholeConfig = {}
) => Effect.flatMap(Pigeonhole.Pigeonhole, body).pipe(Effect.provide(Pigeonhole.layer(config).pipe(Layer.provide(client.layer))))

const fromHex = (hex: string) => new Uint8Array(Buffer.from(hex, "hex"))
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")

/** A healthy store, except that requests `override` answers (undefined: fall through). */
const scripted = (override: (request: Rpc.QueryRequest) => Response.QueryReply | undefined): Handler => {
  const store = boxStore()
  return (request) => {
    const reply = override(request)
    return reply === undefined ? store.handler(request) : Effect.succeed(reply)
  }
}

const arqReply = (query_id: Rpc.QueryRequest["query_id"], error_code: number, withCourier = true) =>
  Response.StartResendingEncryptedMessageReply.make({
    query_id,
    error_code,
    plaintext: null,
    courier_identity_hash: withCourier ? courierHash : null,
    courier_queue_id: withCourier ? new Uint8Array([1]) : null
  })

/** An ARQ whose reply always has `code`. */
const arqFailing = (code: number, withCourier = true) =>
  stub(scripted((r) => (r._tag === "StartResendingEncryptedMessage" ? arqReply(r.query_id, code, withCourier) : undefined)))

const writeCap = writeCapFor(3)
const readCap = readCapFor(writeCap)
const first = Bacap.firstIndex(writeCap)

/** The Go daemon's keypairs (interop/go, kpclientd v0.0.73 + hpqc v0.0.78). */
const goKeypairs: ReadonlyArray<{
  readonly name: string
  readonly seed: string
  readonly write_cap: string
  readonly read_cap: string
  readonly first_message_index: { readonly hex: string }
}> = JSON.parse(readFileSync(new URL("../../core/test/vectors/go/bacap.json", import.meta.url), "utf8")).vectors

/** kpclientd v0.0.104's keypairs (interop/v0.0.104, hpqc v0.0.86). */
const goKeypairs86: typeof goKeypairs =
  JSON.parse(readFileSync(new URL("../../core/test/vectors/go/bacap-hpqc-v0.0.86.json", import.meta.url), "utf8")).vectors

/** A daemon whose new_keypair derives with `derive` (a generation, or anything else). */
const deriving = (derive: (seed: Uint8Array) => Bacap.Keypair) =>
  stub(scripted((r) => {
    if (r._tag !== "NewKeypair") return undefined
    const keypair = derive(r.seed ?? new Uint8Array(0))
    return Response.NewKeypairReply.make({
      query_id: r.query_id,
      error_code: 0,
      write_cap: keypair.writeCap,
      read_cap: keypair.readCap,
      first_message_index: keypair.firstIndex
    })
  }))

const sent = <T extends Rpc.QueryRequest["_tag"]>(client: Stub, tag: T) =>
  client.requests.filter((r): r is Extract<Rpc.QueryRequest, { readonly _tag: T }> => r._tag === tag)

describe("keys", () => {
  it.effect("refuses a seed that is not exactly 32 bytes, without a round trip", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      for (const size of [0, 31, 33]) {
        const error = yield* Effect.flip(run(client, (p) => p.newKeypair(new Uint8Array(size))))
        assert.strictEqual(error._tag, "InvalidArgument")
      }
      const redacted = yield* Effect.flip(run(client, (p) => p.newKeypair(Redacted.make(new Uint8Array(16)))))
      assert.strictEqual(redacted._tag, "InvalidArgument")
      assert.strictEqual(client.requests.length, 0)
    }))

  it.effect("derives a keypair from a Redacted 32-byte seed", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      const keypair = yield* run(client, (p) => p.newKeypair(Redacted.make(new Uint8Array(32).fill(5))))
      const [request] = sent(client, "NewKeypair")
      assert.deepStrictEqual(request?.seed, new Uint8Array(32).fill(5))
      assert.deepStrictEqual(keypair.readCap.bytes, Bacap.readCapOf(keypair.writeCap).bytes)
      assert.deepStrictEqual(keypair.firstIndex.bytes, Bacap.firstIndex(keypair.writeCap).bytes)
      assert.notInclude(String(keypair.writeCap), "5")
    }))

  it.effect("takes the query ids of its requests from a provided SecureRandom", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      yield* run(client, (p) => p.newKeypair(new Uint8Array(32).fill(5))).pipe(Effect.provide(SecureRandom.deterministic))
      const [request] = sent(client, "NewKeypair")
      assert.deepStrictEqual(Array.from(request?.query_id ?? []), Array.from({ length: 16 }, (_, i) => i))
    }))

  it.effect("with keypairs: \"local\" and bacap: \"hpqc-v0.0.78\", derives the Go daemon's keypair without a request", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      for (const v of goKeypairs) {
        const keypair = yield* run(client, (p) => p.newKeypair(Redacted.make(fromHex(v.seed))), { keypairs: "local", bacap: "hpqc-v0.0.78" })
        assert.strictEqual(toHex(keypair.writeCap.bytes), v.write_cap, v.name)
        assert.strictEqual(toHex(keypair.readCap.bytes), v.read_cap, v.name)
        assert.strictEqual(toHex(keypair.firstIndex.bytes), v.first_message_index.hex, v.name)
      }
      assert.strictEqual(client.requests.length, 0)
    }))

  for (const [generation, vectors] of [["hpqc-v0.0.78", goKeypairs], ["hpqc-v0.0.86", goKeypairs86]] as const) {
    it.effect(`with keypairs: "local", detects a ${generation} daemon with one probe and derives its keypairs locally`, () =>
      Effect.gen(function*() {
        const client = deriving((seed) => Either.getOrThrow(Bacap.newKeypair(seed, generation)))
        yield* Effect.gen(function*() {
          const pigeonhole = yield* Pigeonhole.Pigeonhole
          for (const v of vectors) {
            const keypair = yield* pigeonhole.newKeypair(Redacted.make(fromHex(v.seed)))
            assert.strictEqual(toHex(keypair.writeCap.bytes), v.write_cap, v.name)
            assert.strictEqual(toHex(keypair.firstIndex.bytes), v.first_message_index.hex, v.name)
          }
        }).pipe(Effect.provide(Pigeonhole.layer({ keypairs: "local" }).pipe(Layer.provide(client.layer))))
        assert.strictEqual(sent(client, "NewKeypair").length, 1)
      }))
  }

  it.effect("with keypairs: \"local\", asks the daemon for every keypair when no local generation matches it", () =>
    Effect.gen(function*() {
      // A daemon of an unknown generation: its first index is not any local derivation's.
      const client = deriving((seed) => {
        const keypair = Either.getOrThrow(Bacap.newKeypair(seed))
        const firstIndex = Either.getOrThrow(Bacap.nextIndex(keypair.firstIndex))
        const bytes = keypair.writeCap.bytes.slice()
        bytes.set(firstIndex.bytes, 64)
        const writeCap = new WriteCap(bytes)
        return { writeCap, readCap: Bacap.readCapOf(writeCap), firstIndex }
      })
      const keypair = yield* run(client, (p) => Effect.zipRight(p.newKeypair(new Uint8Array(32)), p.newKeypair(new Uint8Array(32).fill(1))), {
        keypairs: "local"
      })
      assert.strictEqual(sent(client, "NewKeypair").length, 3)
      const expected = Either.getOrThrow(Bacap.newKeypair(new Uint8Array(32).fill(1)))
      assert.deepStrictEqual(keypair.firstIndex.bytes, Either.getOrThrow(Bacap.nextIndex(expected.firstIndex)).bytes)
    }))

  it.effect("with keypairs: \"local\", still refuses a seed that is not 32 bytes with InvalidArgument", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      for (const size of [0, 31, 33]) {
        const error = yield* Effect.flip(
          run(client, (p) => p.newKeypair(new Uint8Array(size).fill(0xab)), { keypairs: "local" })
        )
        assert.strictEqual(error._tag, "InvalidArgument")
        assert.notInclude(error.message, "ab")
      }
      assert.strictEqual(client.requests.length, 0)
    }))

  it.effect("asks the daemon by default (keypairs: \"daemon\")", () =>
    Effect.gen(function*() {
      for (const config of [{}, { keypairs: "daemon" as const }]) {
        const client = stub(boxStore().handler)
        yield* run(client, (p) => p.newKeypair(new Uint8Array(32)), config)
        assert.strictEqual(sent(client, "NewKeypair").length, 1)
      }
    }))

  it.effect("maps new_keypair error 3 to InvalidRequest", () =>
    Effect.gen(function*() {
      const client = stub(
        scripted((r) => (r._tag === "NewKeypair" ? Response.NewKeypairReply.make({ query_id: r.query_id, error_code: 3 }) : undefined))
      )
      const error = yield* Effect.flip(run(client, (p) => p.newKeypair(new Uint8Array(32))))
      assert.strictEqual(error._tag, "InvalidRequest")
    }))
})

describe("indexes", () => {
  // hpqc testvectors/bacap/message_box_index.json, advance_by_1 and advance_by_2.
  const initial = fromHex(
    "0100000000000000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbcccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
  )
  const second =
    "0200000000000000d6afc0f178b9df3102c2f2054314d06942ee2cd0b54bb510fc03070775efaf154683f8eda97ee58a8fb03e68fd1fa29228e4d907c151021a4e700ee5e54a95ee89890efb132a4d0ffb004aacbb976aea2de9aa98687c912735f1ca02cac75322"
  const third =
    "03000000000000006e25c22a3ccf35add5f32cbfee6f76323367406b6714362eae1684d1f4b87dcb6c99884c01bed7c84bb499436170d06a350970d40a4f95a0559f6b5e8736e6b5a3ec0e7e8edc575ac6b39e3f96482318ccb0eff457b379457aa74214846155cb"

  it.effect("computes the next index and its counter locally, equal to the hpqc vectors", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      const [a, b, counter] = yield* run(client, (p) =>
        Effect.gen(function*() {
          const a = yield* p.nextMessageBoxIndex(new MessageBoxIndex(initial))
          const b = yield* p.nextMessageBoxIndex(a)
          return [a, b, yield* p.messageBoxIndexCounter(b)] as const
        }))
      assert.strictEqual(toHex(a.bytes), second)
      assert.strictEqual(toHex(b.bytes), third)
      assert.strictEqual(counter, 3n)
      assert.strictEqual(client.requests.length, 0)
    }))

  it.effect("asks the daemon when configured to", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      const [a, counter] = yield* run(
        client,
        (p) => Effect.all([p.nextMessageBoxIndex(new MessageBoxIndex(initial)), p.messageBoxIndexCounter(first)]),
        { indexes: "daemon" }
      )
      assert.strictEqual(toHex(a.bytes), second)
      assert.strictEqual(counter, 1n)
      assert.deepStrictEqual(client.requests.map((r) => r._tag), ["NextMessageBoxIndex", "GetMessageBoxIndexCounter"])
    }))

  it.effect("refuses an index of the wrong length with InvalidArgument, locally or via the daemon, before sending", () =>
    Effect.gen(function*() {
      const short = new MessageBoxIndex(new Uint8Array(4))
      for (const indexes of ["local", "daemon"] as const) {
        const client = stub(boxStore().handler)
        const errors = yield* run(
          client,
          (p) => Effect.all([Effect.flip(p.nextMessageBoxIndex(short)), Effect.flip(p.messageBoxIndexCounter(short))]),
          { indexes }
        )
        assert.deepStrictEqual(errors.map((e) => e._tag), ["InvalidArgument", "InvalidArgument"], indexes)
        assert.strictEqual(client.requests.length, 0)
      }
    }))
})

describe("encrypt", () => {
  it.effect("refuses a plaintext longer than MaxPlaintextPayloadLength before sending", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      const error = yield* Effect.flip(run(client, (p) => p.encryptWrite(new Uint8Array(1554), writeCap, first)))
      assert.strictEqual(error._tag, "PayloadTooLarge")
      if (error._tag === "PayloadTooLarge") {
        assert.strictEqual(error.size, 1554)
        assert.strictEqual(error.limit, 1553)
      }
      assert.strictEqual(client.requests.length, 0)
      const envelope = yield* run(client, (p) => p.encryptWrite(new Uint8Array(1553), writeCap, first))
      assert.isFalse(envelope.tombstone)
      assert.strictEqual(client.requests.length, 1)
    }))

  it.effect("makes a tombstone from an empty plaintext", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      const envelope = yield* run(client, (p) => p.encryptWrite(new Uint8Array(0), writeCap, first))
      assert.isTrue(envelope.tombstone)
      assert.deepStrictEqual(sent(client, "EncryptWrite")[0]?.plaintext, new Uint8Array(0))
      assert.deepStrictEqual(envelope.nextIndex.bytes, next(first).bytes)
    }))

  it.effect("maps encrypt_read error 4 to InternalError and a missing field to MalformedMessage", () =>
    Effect.gen(function*() {
      const failing = stub(
        scripted((r) => (r._tag === "EncryptRead" ? Response.EncryptReadReply.make({ query_id: r.query_id, error_code: 4 }) : undefined))
      )
      assert.strictEqual((yield* Effect.flip(run(failing, (p) => p.encryptRead(readCap, first))))._tag, "InternalError")
      const empty = stub(
        scripted((r) => (r._tag === "EncryptRead" ? Response.EncryptReadReply.make({ query_id: r.query_id }) : undefined))
      )
      const malformed = yield* Effect.flip(run(empty, (p) => p.encryptRead(readCap, first)))
      assert.strictEqual(malformed._tag, "MalformedMessage")
    }))
})

describe("tombstoneRange", () => {
  it.effect("returns the envelopes made so far and the first box left when a write fails mid-range", () =>
    Effect.gen(function*() {
      let writes = 0
      const client = stub(
        scripted((r) =>
          r._tag === "EncryptWrite" && ++writes === 3
            ? Response.EncryptWriteReply.make({ query_id: r.query_id, error_code: 4 })
            : undefined
        )
      )
      const error = yield* Effect.flip(run(client, (p) => p.tombstoneRange(writeCap, first, 5)))
      assert.strictEqual(error._tag, "TombstoneRangeIncomplete")
      if (error._tag !== "TombstoneRangeIncomplete") return
      assert.strictEqual(error.envelopes.length, 2)
      assert.strictEqual(error.reason._tag, "InternalError")
      assert.deepStrictEqual(error.next.bytes, next(next(first)).bytes)
      assert.deepStrictEqual(error.envelopes.map((e) => e.boxIndex.bytes), [first.bytes, next(first).bytes])
      assert.isTrue(error.envelopes.every((e) => e.tombstone))
    }))

  it.effect("makes one tombstone per box and returns the index after the range", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      const range = yield* run(client, (p) => p.tombstoneRange(writeCap, first, 3))
      assert.strictEqual(range.envelopes.length, 3)
      assert.deepStrictEqual(range.next.bytes, next(next(next(first))).bytes)
      assert.isTrue(sent(client, "EncryptWrite").every((r) => r.plaintext?.length === 0))
    }))

  it.effect("answers an empty range without a round trip and refuses a bad count", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      const range = yield* run(client, (p) => p.tombstoneRange(writeCap, first, 0))
      assert.strictEqual(range.envelopes.length, 0)
      assert.strictEqual(range.next, first)
      assert.strictEqual((yield* Effect.flip(run(client, (p) => p.tombstoneRange(writeCap, first, -1))))._tag, "InvalidArgument")
      assert.strictEqual(client.requests.length, 0)
    }))
})

describe("ARQ", () => {
  const read = (client: Stub) => run(client, (p) => Effect.flatMap(p.encryptRead(readCap, first), (envelope) => p.startResending(envelope)))
  const readNoRetry = (client: Stub) =>
    run(client, (p) => Effect.flatMap(p.encryptRead(readCap, first), (envelope) => p.startResendingNoRetry(envelope)))
  const write = (client: Stub) =>
    run(client, (p) => Effect.flatMap(p.encryptWrite(new Uint8Array([1]), writeCap, first), (envelope) => p.startResending(envelope)))
  const writeReturnBoxExists = (client: Stub) =>
    run(client, (p) => Effect.flatMap(p.encryptWrite(new Uint8Array([1]), writeCap, first), (envelope) => p.startResendingReturnBoxExists(envelope)))

  it.effect("a read returns the plaintext with the courier identity and queue", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      yield* write(client)
      const result = yield* read(client)
      assert.deepStrictEqual(result.plaintext, new Uint8Array([1]))
      assert.deepStrictEqual(result.courier.identityHash, courierHash)
      assert.strictEqual(new TextDecoder().decode(result.courier.queueId), "courier")
      const [request] = sent(client, "StartResendingEncryptedMessage").slice(-1)
      assert.isNotNull(request?.read_cap)
      assert.isNull(request?.write_cap)
      assert.isFalse(request?.no_retry_on_box_id_not_found)
    }))

  it.effect("maps a default read's codes to its family, and out-of-family codes to UnknownDaemonError", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* Effect.flip(read(arqFailing(22))))._tag, "MkemDecryptionFailed")
      assert.strictEqual((yield* Effect.flip(read(arqFailing(11))))._tag, "Tombstone")
      assert.strictEqual((yield* Effect.flip(read(arqFailing(3, false))))._tag, "InvalidRequest")
      assert.strictEqual((yield* Effect.flip(read(arqFailing(3))))._tag, "InvalidSignature")
      assert.strictEqual((yield* Effect.flip(read(arqFailing(24))))._tag, "StartResendingCancelled")
      for (const code of [1, 6, 10, 99]) {
        const error = yield* Effect.flip(read(arqFailing(code)))
        assert.strictEqual(error._tag, "UnknownDaemonError")
        if (error._tag === "UnknownDaemonError") {
          assert.strictEqual(error.code, code)
          assert.include(error.family, "start_resending_encrypted_message")
        }
      }
    }))

  it.effect("NoRetry sets its flag and returns BoxIdNotFound as an expected outcome", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      const error = yield* Effect.flip(readNoRetry(client))
      assert.strictEqual(error._tag, "BoxIdNotFound")
      assert.isTrue(isExpectedOutcome(error))
      assert.isTrue(sent(client, "StartResendingEncryptedMessage")[0]?.no_retry_on_box_id_not_found)
    }))

  it.effect("a default write is idempotent and cannot fail with BoxAlreadyExists", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      yield* write(client)
      yield* write(client)
      assert.isFalse(sent(client, "StartResendingEncryptedMessage")[0]?.no_idempotent_box_already_exists)
      assert.isNull(sent(client, "StartResendingEncryptedMessage")[0]?.read_cap)
      assert.strictEqual((yield* Effect.flip(write(arqFailing(6))))._tag, "StorageFull")
      assert.strictEqual((yield* Effect.flip(write(arqFailing(10))))._tag, "UnknownDaemonError")
      assert.strictEqual((yield* Effect.flip(write(arqFailing(11))))._tag, "UnknownDaemonError")
    }))

  it.effect("ReturnBoxExists sets its flag and fails with BoxAlreadyExists on a second write", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      yield* writeReturnBoxExists(client)
      const error = yield* Effect.flip(writeReturnBoxExists(client))
      assert.strictEqual(error._tag, "BoxAlreadyExists")
      assert.isTrue(sent(client, "StartResendingEncryptedMessage")[1]?.no_idempotent_box_already_exists)
    }))

  it.effect("a success reply without a courier is malformed", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(write(arqFailing(0, false)))
      assert.strictEqual(error._tag, "MalformedMessage")
    }))
})

describe("copy streams", () => {
  it.effect("threads the encoder buffer through multi-payload calls", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      const destination = { payload: new Uint8Array(250).fill(1), writeCap, startIndex: first }
      const [one, two] = yield* run(client, (p) =>
        Effect.gen(function*() {
          const one = yield* p.createCourierEnvelopesFromMultiPayload([destination], { isStart: true, isLast: false })
          const two = yield* p.createCourierEnvelopesFromMultiPayload([destination], {
            isStart: false,
            isLast: true,
            buffer: one.buffer
          })
          return [one, two] as const
        }))
      assert.strictEqual(one.envelopes.length, 2)
      assert.strictEqual(one.buffer?.length, 50)
      const [first_, second_] = sent(client, "CreateCourierEnvelopesFromMultiPayload")
      assert.isNull(first_?.buffer)
      assert.isTrue(first_?.is_start)
      assert.isFalse(first_?.is_last)
      assert.deepStrictEqual(second_?.buffer, one.buffer)
      assert.isFalse(second_?.is_start)
      assert.strictEqual(two.buffer, undefined)
      assert.strictEqual(two.envelopes.length, 3)
      assert.strictEqual(two.nextDestIndices.length, 1)
    }))

  it.effect("refuses empty destinations and oversized payloads before sending", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      assert.strictEqual((yield* Effect.flip(run(client, (p) => p.createCourierEnvelopesFromMultiPayload([]))))._tag, "InvalidArgument")
      const huge = new Uint8Array(CopyStream.MAX_COPY_PAYLOAD + 1)
      assert.strictEqual(
        (yield* Effect.flip(run(client, (p) => p.createCourierEnvelopesFromPayload(huge, writeCap, first))))._tag,
        "PayloadTooLarge"
      )
      assert.strictEqual(client.requests.length, 0)
    }))

  it.effect("packs one payload and a tombstone range", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler)
      const packed = yield* run(client, (p) => p.createCourierEnvelopesFromPayload(new Uint8Array(2500), writeCap, first))
      assert.strictEqual(packed.envelopes.length, 3)
      const request = sent(client, "CreateCourierEnvelopesFromPayload")[0]
      assert.isTrue(request?.is_start && request.is_last)
      const tombstones = yield* run(client, (p) => p.createCourierEnvelopesFromTombstoneRange(writeCap, first, 4, { isStart: true, isLast: true }))
      assert.strictEqual(tombstones.envelopes.length, 4)
      assert.strictEqual(sent(client, "CreateCourierEnvelopesFromTombstoneRange")[0]?.max_count, 4)
    }))

  it.effect("maps copy command failure 26 with the replica code and the failed envelope index", () =>
    Effect.gen(function*() {
      const failing = (code: number) =>
        stub(
          scripted((r) =>
            r._tag === "StartResendingCopyCommand"
              ? Response.StartResendingCopyCommandReply.make({
                query_id: r.query_id,
                error_code: code,
                replica_error_code: 10,
                failed_envelope_index: 3n
              })
              : undefined
          )
        )
      const error = yield* Effect.flip(run(failing(26), (p) => p.startResendingCopyCommand(writeCap)))
      assert.strictEqual(error._tag, "CopyCommandFailed")
      if (error._tag === "CopyCommandFailed") {
        assert.strictEqual(error.replicaErrorCode, 10)
        assert.strictEqual(error.failedEnvelopeIndex, 3n)
      }
      assert.strictEqual((yield* Effect.flip(run(failing(22), (p) => p.startResendingCopyCommand(writeCap))))._tag, "UnknownDaemonError")
      assert.strictEqual((yield* Effect.flip(run(failing(24), (p) => p.startResendingCopyCommand(writeCap))))._tag, "StartResendingCancelled")
    }))

  it.effect("pins the courier only when asked", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler, { couriers: 2 })
      yield* run(client, (p) =>
        Effect.gen(function*() {
          yield* p.startResendingCopyCommand(writeCap)
          const [courier] = yield* p.getDistinctCouriers(1)
          yield* p.startResendingCopyCommand(writeCap, courier === undefined ? {} : { courier })
        }))
      const [random, pinned] = sent(client, "StartResendingCopyCommand")
      assert.isNull(random?.courier_identity_hash)
      assert.isNull(random?.courier_queue_id)
      assert.strictEqual(pinned?.courier_identity_hash?.length, 32)
      assert.include(new TextDecoder().decode(pinned?.courier_queue_id ?? new Uint8Array(0)), "courier-")
    }))

  it("computes the copy command id as BLAKE2b-256 of the WriteCap", () => {
    assert.deepStrictEqual(CopyStream.writeCapHash(writeCap), Bacap.blake2b256(writeCap.bytes))
  })
})

describe("couriers", () => {
  it.effect("lists all couriers and picks n distinct ones", () =>
    Effect.gen(function*() {
      const client = stub(boxStore().handler, { couriers: 3 })
      const [all, two, error] = yield* run(client, (p) =>
        Effect.all([p.getAllCouriers, p.getDistinctCouriers(2), Effect.flip(p.getDistinctCouriers(4))]))
      assert.strictEqual(all.length, 3)
      assert.strictEqual(
        new Set(two.map((c) =>
          toHex(c.identityHash)
        )).size,
        2
      )
      assert.strictEqual(error._tag, "NotEnoughCouriers")
    }))

  it.effect("fails with ServiceNotFound when the document lists no courier", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(run(stub(boxStore().handler), (p) => p.getAllCouriers))
      assert.strictEqual(error._tag, "ServiceNotFound")
    }))
})
