/**
 * Field schemas that reproduce how Go's fxamacker/cbor encodes and decodes struct fields:
 * pointers and slices may be null or missing (Go zero value), scalars default to zero.
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/** `uint8` */
export const U8 = Schema.Int.pipe(Schema.between(0, 255))
/** `uint32` */
export const U32 = Schema.Int.pipe(Schema.between(0, 0xffff_ffff))
/** A non-negative integer that fits a JS number (epochs, seconds, nanoseconds, counts). */
export const UInt = Schema.NonNegativeInt

const U64_MAX = (1n << 64n) - 1n
/** `uint64` as a bigint, accepting either CBOR integer width; encodes as a number when safe. */
export const U64: Schema.Schema<bigint, number | bigint> = Schema.transformOrFail(
  Schema.Union(Schema.Number, Schema.BigIntFromSelf),
  Schema.BigIntFromSelf,
  {
    strict: true,
    decode: (value, _, ast) => {
      const big = typeof value === "bigint" ? value : Number.isSafeInteger(value) ? BigInt(value) : undefined
      return big !== undefined && big >= 0n && big <= U64_MAX
        ? ParseResult.succeed(big)
        : ParseResult.fail(new ParseResult.Type(ast, value, "expected an unsigned 64-bit integer"))
    },
    encode: (value, _, ast) =>
      value < 0n || value > U64_MAX
        ? ParseResult.fail(new ParseResult.Type(ast, value, "expected an unsigned 64-bit integer"))
        : ParseResult.succeed(value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value)
  }
).annotations({ identifier: "U64", arbitrary: () => (fc) => fc.bigInt({ min: 0n, max: U64_MAX }) })

/** A byte string of any length. */
export const Bytes = Schema.Uint8ArrayFromSelf

/** A Go pointer, slice or interface: null or missing decodes to null. */
export const nullable = <S extends Schema.Schema.All>(schema: S) =>
  Schema.optionalWith(Schema.NullOr(schema), { default: () => null })

/** A Go scalar: missing decodes to its zero value. */
export const scalar = <S extends Schema.Schema.All>(schema: S, zero: Schema.Schema.Type<S>) =>
  Schema.optionalWith(schema, { default: () => zero, nullable: true })
