// The fast field decoders (issue 10: decode only what is needed, as cheaply as the correctness
// tests allow) must agree with the Schemas: same value when they answer, and they may only
// decline (then the Schema decides, errors included).
import { assert, describe, it } from "@effect/vitest"
import { Codec, type Request } from "@katzenpost-effect/core"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as Equal from "effect/Equal"
import * as fc from "effect/FastCheck"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { encode } from "../src/internal/cbor.js"
import { requestKinds, responseKinds, type WireKind } from "../src/internal/wire.js"

const withFast = [...responseKinds, ...requestKinds].filter((kind) => kind.fast !== undefined)

const same = (a: unknown, b: unknown): boolean => {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b))
  if (Equal.isEqual(a) || Equal.isEqual(b)) return Equal.equals(a, b)
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const ka = Object.keys(a).sort()
    const kb = Object.keys(b).sort()
    return ka.join() === kb.join() && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  }
  return a === b
}

const wireOf = (kind: WireKind) =>
  (Arbitrary.make(kind.schema) as fc.Arbitrary<{ readonly _tag: string }>).map((message) => {
    const { _tag, ...wire } = Schema.encodeSync(kind.schema)(message) as Record<string, unknown>
    return wire
  })

// Values of the kinds fields hold, and others: wrong lengths, wrong types, floats, big numbers.
const junk = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer({ min: -2, max: 300 }),
  fc.double(),
  fc.bigInt({ min: -1n, max: 1n << 65n }),
  fc.string({ maxLength: 4 }),
  fc.uint8Array({ minLength: 0, maxLength: 200 }),
  fc.constantFrom(16, 32, 104, 136, 168).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
  fc.array(fc.constant(null), { maxLength: 2 })
)

describe("fast decoders", () => {
  it("cover the replies on the hot path", () => {
    for (const key of ["new_keypair_reply", "next_message_box_index_reply", "encrypt_write_reply", "start_resending_encrypted_message_reply"]) {
      assert.isDefined(responseKinds.find((k) => k.key === key)?.fast, key)
    }
  })

  for (const kind of withFast) {
    it.prop(`${kind.key}: equal to the Schema on every valid body`, [wireOf(kind)], ([wire]) => {
      const fast = kind.fast!(wire)
      const schema = Schema.decodeUnknownEither(kind.schema)({ ...wire, _tag: kind.tag })
      assert.isTrue(Either.isRight(schema))
      assert.isDefined(fast)
      assert.isTrue(Either.isRight(schema) && same(fast, schema.right))
    }, { fastCheck: { numRuns: 40 } })

    const fields = Predicate.hasProperty(kind.schema, "fields") && Predicate.isObject(kind.schema.fields) ? kind.schema.fields : {}
    const fieldNames = Object.keys(fields).filter((k) => k !== "_tag")
    it.prop(`${kind.key}: on any body, answers only what the Schema answers`, [
      fc.record(Object.fromEntries(fieldNames.map((name) => [name, junk])), { requiredKeys: [] })
    ], ([wire]) => {
      const fast = kind.fast!(wire)
      if (fast === undefined) return
      const schema = Schema.decodeUnknownEither(kind.schema)({ ...wire, _tag: kind.tag })
      assert.isTrue(Either.isRight(schema) && same(fast, schema.right))
    }, { fastCheck: { numRuns: 100 } })
  }
})

describe("fast request encoding", () => {
  const anyRequest = fc.oneof(...requestKinds.map((kind) => Arbitrary.make(kind.schema) as fc.Arbitrary<Request.Request>))
  it.prop("gives the bytes of the Schema + cborg path for every request", [anyRequest], ([request]) => {
    const fast = Codec.encodeRequest(request)
    const general = Either.map(Codec.requestToWire(request), (wire) => encode(wire))
    assert.strictEqual(fast._tag, general._tag)
    if (Either.isRight(fast) && Either.isRight(general)) {
      assert.strictEqual(Buffer.from(fast.right).toString("hex"), Buffer.from(general.right).toString("hex"))
    }
  }, { fastCheck: { numRuns: 2000 } })

  it("takes the fast path for the hot requests", () => {
    for (const key of ["new_keypair", "next_message_box_index", "encrypt_write", "start_resending_encrypted_message"]) {
      assert.isDefined(requestKinds.find((k) => k.key === key)?.encodeFast, key)
    }
  })
})
