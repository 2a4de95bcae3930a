// The envelope fast path (only non-null members decoded) must agree with the general decoder.
import { assert, describe, it } from "@effect/vitest"
import { Codec } from "@katzenpost-effect/core"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import { type CborValue, decode, decodeEnvelope, encode, encodeEnvelope, isRecord, OMIT } from "../src/internal/cbor.js"
import { responseKinds } from "../src/internal/wire.js"

const withoutNulls = (value: CborValue): CborValue =>
  isRecord(value) ? Object.fromEntries(Object.entries(value).filter(([, member]) => member !== null)) : value

const agree = (bytes: Uint8Array) => {
  // Callers ignore null members, so only the non-null ones must agree.
  const fast = Either.map(decodeEnvelope(bytes), withoutNulls)
  const general = Either.map(decode(bytes), withoutNulls)
  assert.strictEqual(fast._tag, general._tag)
  if (Either.isRight(fast) && Either.isRight(general)) assert.deepStrictEqual(fast.right, general.right)
}

// `err` of connection_status_event is an opaque Go error (always nil on the wire).
const responseOf = (kind: (typeof responseKinds)[number]) =>
  (Arbitrary.make(kind.schema) as fc.Arbitrary<{ readonly _tag: string }>).map((message) =>
    kind.key === "connection_status_event" ? { ...message, err: null } : message
  )
const anyResponse = fc.oneof(...responseKinds.map(responseOf))

describe("decodeEnvelope", () => {
  it.prop("agrees with the general decoder on every response the daemon can send", [anyResponse], ([response]) => {
    agree(Either.getOrThrow(Codec.encodeResponse(response as never, "newer")))
  }, { fastCheck: { numRuns: 300 } })

  it.prop("agrees with the general decoder on arbitrary bytes", [fc.uint8Array({ maxLength: 64 })], ([bytes]) => {
    agree(bytes)
  }, { fastCheck: { numRuns: 2000 } })

  it.prop("agrees on damaged envelopes (a byte changed or the end cut off)", [
    anyResponse,
    fc.nat(),
    fc.integer({ min: 0, max: 255 }),
    fc.boolean()
  ], ([response, at, byte, cut]) => {
    const bytes = Either.getOrThrow(Codec.encodeResponse(response as never))
    const i = at % bytes.length
    const damaged = cut ? bytes.subarray(0, i) : Uint8Array.from(bytes, (b, j) => (j === i ? byte : b))
    agree(damaged)
  }, { fastCheck: { numRuns: 1000 } })

  it("skips the null members without decoding them, and keeps a non-null one", () => {
    // {"a": null, "b": 1, "c": null}
    const bytes = Uint8Array.of(0xa3, 0x61, 0x61, 0xf6, 0x61, 0x62, 0x01, 0x61, 0x63, 0xf6)
    assert.deepStrictEqual(Either.getOrThrow(decodeEnvelope(bytes)), { b: 1 })
  })

  it("refuses trailing bytes, tags and a __proto__ key like the general decoder", () => {
    assert.isTrue(Either.isLeft(decodeEnvelope(Uint8Array.of(0xa1, 0x61, 0x61, 0x01, 0x00))))
    assert.isTrue(Either.isLeft(decodeEnvelope(Uint8Array.of(0xa1, 0x61, 0x61, 0xc1, 0x01))))
    const proto = Uint8Array.of(0xa1, 0x69, ...new TextEncoder().encode("__proto__"), 0x01)
    agree(proto)
  })
})

describe("encodeEnvelope", () => {
  const simple: fc.Arbitrary<unknown> = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -0xffff_ffff, max: 0xffff_ffff }),
    fc.uint8Array({ maxLength: 40 }),
    fc.string({ maxLength: 20 }),
    fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.nat(300), fc.uint8Array({ maxLength: 8 })), { maxLength: 4 })
  )
  // Names as the wire's field names are: a JS object would put integer-like keys first.
  const name = fc.stringMatching(/^[a-z_]{1,12}$/)
  const fields = fc.uniqueArray(fc.tuple(name, fc.option(simple, { nil: OMIT })), {
    selector: ([name]) => name,
    maxLength: 8
  }).filter((pairs) => pairs.every(([name]) => name !== "__proto__"))

  it.prop("writes the general encoder's bytes, leaving out OMIT pairs", [name, fields], ([key, pairs]) => {
    const names = pairs.map(([name]) => name)
    const values = pairs.map(([, value]) => value)
    const fast = encodeEnvelope(key, names, values)
    const kept = Object.fromEntries(pairs.filter(([, value]) => value !== OMIT))
    // Every value generated here is one the fast path takes.
    assert.isDefined(fast)
    assert.deepStrictEqual(fast, encode({ [key]: kept }))
  }, { fastCheck: { numRuns: 500 } })
})
