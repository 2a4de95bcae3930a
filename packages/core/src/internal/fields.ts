/**
 * Field schemas that reproduce how Go's fxamacker/cbor encodes and decodes struct fields:
 * pointers and slices may be null or missing (Go zero value), scalars default to zero.
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { FAIL, registerNullable, registerScalar, registerSchema } from "./fast.js"

const isInt = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value)
registerSchema(Schema.Int, (value) => (isInt(value) ? value : FAIL))
registerSchema(Schema.Boolean, (value) => (typeof value === "boolean" ? value : FAIL))
registerSchema(Schema.String, (value) => (typeof value === "string" ? value : FAIL))
registerSchema(Schema.Uint8ArrayFromSelf, (value) => (value instanceof Uint8Array ? value : FAIL))

/** `uint8` */
export const U8 = registerSchema(
  Schema.Int.pipe(Schema.between(0, 255)),
  (value) => (isInt(value) && value >= 0 && value <= 255 ? value : FAIL)
)
/** `uint32` */
export const U32 = Schema.Int.pipe(Schema.between(0, 0xffff_ffff))
/** A non-negative integer that fits a JS number (epochs, seconds, nanoseconds, counts). */
export const UInt = registerSchema(Schema.NonNegativeInt, (value) => (isInt(value) && value >= 0 ? value : FAIL))

const U64_MAX = (1n << 64n) - 1n
/** `uint64` as a bigint, accepting either CBOR integer width; encodes as a number when safe. */
export const U64: Schema.Schema<bigint, number | bigint> = registerSchema(
  Schema.transformOrFail(
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
  ).annotations({ identifier: "U64", arbitrary: () => (fc) => fc.bigInt({ min: 0n, max: U64_MAX }) }),
  (value) => {
    const big = typeof value === "bigint" ? value : typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : undefined
    return big !== undefined && big >= 0n && big <= U64_MAX ? big : FAIL
  }
)

/** A byte string of any length. */
export const Bytes = Schema.Uint8ArrayFromSelf

/** A Go pointer, slice or interface: null or missing decodes to null. */
export const nullable = <S extends Schema.Schema.All>(schema: S) =>
  registerNullable(Schema.optionalWith(Schema.NullOr(schema), { default: () => null }), schema)

/** A Go scalar: missing decodes to its zero value. */
export const scalar = <S extends Schema.Schema.All>(schema: S, zero: Schema.Schema.Type<S>) =>
  registerScalar(Schema.optionalWith(schema, { default: () => zero, nullable: true }), schema, zero)
