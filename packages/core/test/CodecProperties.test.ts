import { assert, describe, it } from "@effect/vitest"
import { Codec, Frame, PkiDocument, WriteCap } from "@katzenpost-effect/core"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import { inspect } from "node:util"
import { isEmpty, requestKinds, responseKinds, type WireKind } from "../src/internal/wire.js"
import { bytesOf, type Item } from "./support/cborBytes.js"
import { responseEnvelopeV0073, structItem } from "./support/goStructs.js"

const runs = { numRuns: 150 }

/** A message of one kind. `err` of connection_status_event is always nil on the wire. */
const messageOf = (kind: WireKind): fc.Arbitrary<{ readonly _tag: string }> => {
  const arb = Arbitrary.make(kind.schema) as fc.Arbitrary<{ readonly _tag: string }>
  return kind.key === "connection_status_event"
    ? arb.chain((m) => fc.constantFrom(null, "gateway unreachable").map((err) => ({ ...m, err })))
    : arb
}

/** What a message looks like after a trip through Go's omitempty: empty values drop to zero. */
const afterOmitEmpty = (kind: WireKind, message: { readonly _tag: string }) => {
  const out: Record<string, unknown> = { ...message }
  for (const field of kind.omitEmpty) {
    if (isEmpty(out[field])) out[field] = field === "failed_envelope_index" ? 0n : typeof out[field] === "object" ? null : out[field]
  }
  return out
}

describe("encode → decode round trip", () => {
  for (const kind of requestKinds) {
    it.prop(`request ${kind.key}`, [messageOf(kind)], ([message]) => {
      const body = Either.getOrThrow(Codec.encodeRequest(message as never))
      const decoded = Either.getOrThrow(Codec.decodeRequest(body))
      assert.deepStrictEqual(decoded, afterOmitEmpty(kind, message) as never)
    }, { fastCheck: runs })
  }
  for (const kind of responseKinds) {
    for (const layout of kind.v0073 ? (["v0.0.73", "newer"] as const) : (["newer"] as const)) {
      it.prop(`response ${kind.key} (${layout} layout)`, [messageOf(kind)], ([message]) => {
        const body = Either.getOrThrow(Codec.encodeResponse(message as never, layout))
        const decoded = Either.getOrThrow(Codec.decodeResponse(body))
        assert.deepStrictEqual(decoded, afterOmitEmpty(kind, message) as never)
      }, { fastCheck: runs })
    }
  }
})

const knownKeys = new Set(responseKinds.map((k) => k.key))
const nullEnvelope = (keys: ReadonlyArray<string>) => responseEnvelopeV0073.filter(([k]) => keys.includes(k))
const envelopeBytes = (entries: ReadonlyArray<readonly [string, Uint8Array]>): Uint8Array => {
  // hand-assembled: map header, then text key + raw member bytes for each entry
  const parts: Array<number> = []
  const count = entries.length
  parts.push(...(count < 24 ? [0xa0 | count] : [0xb8, count]))
  for (const [key, value] of entries) {
    const k = new TextEncoder().encode(key)
    parts.push(...(k.length < 24 ? [0x60 | k.length] : [0x78, k.length]), ...k, ...value)
  }
  return Uint8Array.from(parts)
}
const NULL = Uint8Array.of(0xf6)

/** Any CBOR item the decoder might meet: our writer's items, nested a little. */
const leaf: fc.Arbitrary<Item> = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((n): Item => ({ t: "uint", n })),
  fc.bigInt({ min: -(1n << 64n), max: -1n }).map((n): Item => ({ t: "nint", n })),
  fc.uint8Array({ maxLength: 40 }).map((b): Item => ({ t: "bytes", b })),
  fc.string({ maxLength: 12 }).map((s): Item => ({ t: "text", s })),
  fc.boolean().map((v): Item => ({ t: "bool", v })),
  fc.constant<Item>({ t: "null" })
)
const anyItem: fc.Arbitrary<Item> = fc.letrec<{ item: Item }>((tie) => ({
  item: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("item"), { maxLength: 4 }).map((items): Item => ({ t: "array", items })),
    fc.array(fc.tuple(fc.string({ maxLength: 12 }), tie("item")), { maxLength: 4 }).map((entries): Item => ({ t: "map", entries }))
  )
})).item

/** Decoders of every entry point, as one list of results. */
const decodeAll = (bytes: Uint8Array): ReadonlyArray<Either.Either<unknown, { readonly _tag: string }>> => [
  Codec.decodeResponse(bytes),
  Codec.decodeRequest(bytes),
  PkiDocument.decode(bytes)
]

const protocolTags = new Set(["InvalidCbor", "MalformedMessage"])

const hasRepeatedKey = (item: Item): boolean => {
  if (item.t === "array") return item.items.some(hasRepeatedKey)
  if (item.t !== "map") return false
  const keys = item.entries.map(([k]) => (typeof k === "string" ? `s:${k}` : `i:${Buffer.from(bytesOf(k)).toString("hex")}`))
  return new Set(keys).size !== keys.length || item.entries.some(([, v]) => hasRepeatedKey(v))
}

describe("decoding hostile input", () => {
  it.prop("random bytes give InvalidCbor or MalformedMessage and never throw", [fc.uint8Array({ maxLength: 200 })], ([bytes]) => {
    for (const result of decodeAll(bytes)) {
      if (Either.isLeft(result)) assert.isTrue(protocolTags.has(result.left._tag), result.left._tag)
    }
  }, { fastCheck: { numRuns: 500 } })

  it.prop("well-formed CBOR of any shape gives a value or a typed error, never a throw", [anyItem], ([item]) => {
    const bytes = bytesOf(item)
    for (const result of decodeAll(bytes)) {
      if (Either.isLeft(result)) assert.isTrue(protocolTags.has(result.left._tag), result.left._tag)
    }
  }, { fastCheck: { numRuns: 500 } })

  it.prop(
    "a known member of any shape gives its message or MalformedMessage naming the kind",
    [fc.constantFrom(...responseEnvelopeV0073.map(([k]) => k)), anyItem.filter((item) => item.t !== "null")],
    ([key, item]) => {
      const result = Codec.decodeResponse(envelopeBytes([[key, bytesOf(item)]]))
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left._tag, "MalformedMessage")
        assert.include(result.left.message, key)
      } else {
        assert.strictEqual(result.right._tag, responseKinds.find((k) => k.key === key)!.tag)
      }
    },
    { fastCheck: { numRuns: 300 } }
  )

  it("refuses tags, indefinite lengths, undefined and trailing bytes with InvalidCbor", () => {
    const reply = Either.getOrThrow(
      Codec.encodeResponse({ _tag: "CancelResendingCopyCommandReply", query_id: null, error_code: 0 })
    )
    for (const hex of ["c11a00000001", "bf6161f6ff", "f7", "9f01ff", `${Buffer.from(reply).toString("hex")}00`]) {
      const result = Codec.decodeResponse(Buffer.from(hex, "hex"))
      assert.isTrue(Either.isLeft(result) && result.left._tag === "InvalidCbor", hex)
    }
  })
})

describe("forward compatibility", () => {
  it.prop(
    "a response whose only non-null key is unknown becomes UnknownResponse carrying the key",
    [
      fc.string({ minLength: 1, maxLength: 30 }).filter((k) => !knownKeys.has(k) && k !== "__proto__"),
      // A repeated key anywhere is a MalformedMessage (issue 12, defect 6).
      anyItem.filter((item) => item.t !== "null" && !hasRepeatedKey(item)),
      fc.subarray(responseEnvelopeV0073.map(([k]) => k))
    ],
    ([unknown, item, nullKeys]) => {
      const entries = [...nullEnvelope(nullKeys).map(([k]) => [k, NULL] as const), [unknown, bytesOf(item)] as const]
      const result = Either.getOrThrow(Codec.decodeResponse(envelopeBytes(entries)))
      assert.strictEqual(result._tag, "UnknownResponse")
      assert.strictEqual((result as { key: string }).key, unknown)
    }
  )

  it.prop(
    "a response with no key set is MalformedMessage",
    [fc.subarray(responseEnvelopeV0073.map(([k]) => k)), fc.array(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 3 })],
    ([keys, extra]) => {
      // Distinct keys: a repeated key is refused as a duplicate, a different MalformedMessage.
      const entries = [...keys, ...new Set(extra.filter((k) => !keys.includes(k)))].map((k) => [k, NULL] as const)
      const result = Codec.decodeResponse(envelopeBytes(entries))
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left._tag, "MalformedMessage")
        assert.include(result.left.message, "no response key is set")
      }
    }
  )

  it("a known member wins over an unknown one in the same envelope", () => {
    const body = envelopeBytes([
      ["voucher_everything_reply", bytesOf({ t: "map", entries: [] })],
      ["shutdown_event", bytesOf({ t: "map", entries: [] })]
    ])
    assert.strictEqual(Either.getOrThrow(Codec.decodeResponse(body))._tag, "ShutdownEvent")
  })
})

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")
const shown = (error: unknown) => [String(error), JSON.stringify(error), (error as Error).message, inspect(error)].join("\n")

describe("errors name fields, never their bytes", () => {
  const validWriteCap = fc.uint8Array({ minLength: 168, maxLength: 168 })
  const wrongLength = (size: number) => fc.uint8Array({ minLength: 8, maxLength: 300 }).filter((b) => b.length !== size)

  it.prop(
    "a WriteCap of the wrong length is MalformedMessage naming write_cap without its bytes",
    [wrongLength(168), fc.uint8Array({ minLength: 136, maxLength: 136 })],
    ([badCap, readCap]) => {
      const body = bytesOf({
        t: "map",
        entries: [[
          "new_keypair_reply",
          structItem("NewKeypairReply", { query_id: new Uint8Array(16), write_cap: badCap, read_cap: readCap, error_code: 0 })
        ]]
      })
      const result = Codec.decodeResponse(body)
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left._tag, "MalformedMessage")
        assert.include(result.left.message, "write_cap")
        const text = shown(result.left)
        assert.notInclude(text, hex(badCap))
        assert.notInclude(text, hex(badCap.subarray(0, 8)))
        assert.notInclude(text, hex(readCap.subarray(0, 8)))
      }
    }
  )

  it.prop(
    "a valid WriteCap next to a malformed field does not leak into the error",
    [validWriteCap, wrongLength(136)],
    ([writeCap, badReadCap]) => {
      const body = bytesOf({
        t: "map",
        entries: [[
          "new_keypair_reply",
          structItem("NewKeypairReply", { query_id: new Uint8Array(16), write_cap: writeCap, read_cap: badReadCap, error_code: 0 })
        ]]
      })
      const result = Codec.decodeResponse(body)
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) {
        assert.include(result.left.message, "read_cap")
        assert.notInclude(shown(result.left), hex(writeCap.subarray(0, 8)))
        assert.notInclude(shown(result.left), hex(badReadCap.subarray(0, 8)))
      }
    }
  )

  it.prop("encoding a request with a WriteCap of the wrong length names write_cap without its bytes", [wrongLength(168)], ([bad]) => {
    const result = Codec.encodeRequest({
      _tag: "StartResendingCopyCommand",
      query_id: null,
      write_cap: new WriteCap(bad),
      courier_identity_hash: null,
      courier_queue_id: null
    })
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      assert.strictEqual(result.left._tag, "MalformedMessage")
      assert.include(result.left.message, "write_cap")
      assert.notInclude(shown(result.left), hex(bad.subarray(0, 8)))
    }
  })

  it("a 17-byte query_id is MalformedMessage naming query_id", () => {
    const body = bytesOf({
      t: "map",
      entries: [["cancel_resending_copy_command_reply", structItem("CancelReply", { query_id: new Uint8Array(17), error_code: 0 })]]
    })
    const result = Codec.decodeResponse(body)
    assert.isTrue(Either.isLeft(result) && result.left._tag === "MalformedMessage" && result.left.message.includes("query_id"))
  })

  it("an error_code above 255 is MalformedMessage naming error_code", () => {
    const body = bytesOf({
      t: "map",
      entries: [["cancel_resending_copy_command_reply", structItem("CancelReply", { query_id: new Uint8Array(16), error_code: 256 })]]
    })
    const result = Codec.decodeResponse(body)
    assert.isTrue(Either.isLeft(result) && result.left._tag === "MalformedMessage" && result.left.message.includes("error_code"))
  })

  it("a negative uint64 is refused on encode", () => {
    const result = Codec.encodeRequest({ _tag: "GetPkiDocument", query_id: null, epoch: -1n })
    assert.isTrue(Either.isLeft(result) && result.left.message.includes("epoch"))
  })
})

// Frame is exercised in Frame.test.ts; this keeps the import honest for the frame+codec path.
describe("frames carrying messages", () => {
  it.prop("every encoded response survives framing and decoding", [messageOf(responseKinds[7]!)], ([message]) => {
    const body = Either.getOrThrow(Codec.encodeResponse(message as never))
    const frames = Either.getOrThrow(Frame.makeDecoder().push(Frame.encodeFrame(body)))
    assert.deepStrictEqual(Either.getOrThrow(Codec.decodeResponse(frames[0]!)), message as never)
  })
})
