/**
 * Fast decoders for the reply schemas: for the field schemas the envelopes use (fixed-size
 * ids, byte strings, secret byte classes, small integers, text, booleans), a plain function
 * that gives exactly what the Schema would, or `FAIL` when it is not sure. A message decodes
 * through its fields' fast functions when every field has one and every value passes;
 * anything else goes through the Schema, so errors (and every unusual value) are exactly the
 * Schema's. Property tests hold the two equal.
 */
import * as Predicate from "effect/Predicate"

/** "Not sure: ask the Schema." */
export const FAIL: unique symbol = Symbol.for("@katzenpost-effect/core/fast/FAIL")

/** A fast decoder of one value: the decoded value, or `FAIL`. */
export type Fast = (value: unknown) => unknown

const forSchema = new WeakMap<object, Fast>()
const forField = new WeakMap<object, Fast>()
const encodeSchema = new WeakMap<object, Fast>()
const encodeField = new WeakMap<object, Fast>()

/**
 * Records the fast decoder of a schema (by identity), and its fast encoder (default: the
 * decoder, for schemas whose type and encoded sides are the same values); returns the schema.
 */
export const registerSchema = <S extends object>(schema: S, fast: Fast, encode?: Fast): S => {
  forSchema.set(schema, fast)
  encodeSchema.set(schema, encode ?? fast)
  return schema
}

/** Records a field (property signature) as Go's nullable of `inner`: missing or null is null. */
export const registerNullable = <P extends object>(field: P, inner: object): P => {
  const fast = forSchema.get(inner)
  if (fast !== undefined) forField.set(field, (value) => (value === undefined || value === null ? null : fast(value)))
  const encode = encodeSchema.get(inner)
  if (encode !== undefined) encodeField.set(field, (value) => (value === null ? null : value === undefined ? FAIL : encode(value)))
  return field
}

/** Records a field as Go's scalar of `inner`: missing or null is `zero`. */
export const registerScalar = <P extends object>(field: P, inner: object, zero: unknown): P => {
  const fast = forSchema.get(inner)
  if (fast !== undefined) forField.set(field, (value) => (value === undefined || value === null ? zero : fast(value)))
  const encode = encodeSchema.get(inner)
  if (encode !== undefined) encodeField.set(field, (value) => (value === undefined || value === null ? FAIL : encode(value)))
  return field
}

/** A tagged struct's field names (`_tag` left out) and their functions in `table`, if every field has one. */
const fieldsIn = (
  schema: unknown,
  table: WeakMap<object, Fast>
): { readonly names: ReadonlyArray<string>; readonly fns: ReadonlyArray<Fast> } | undefined => {
  if (!Predicate.hasProperty(schema, "fields") || !Predicate.isObject(schema.fields)) return undefined
  const names: Array<string> = []
  const fns: Array<Fast> = []
  for (const [name, field] of Object.entries(schema.fields)) {
    if (name === "_tag") continue
    const fast = Predicate.isObject(field) ? table.get(field) : undefined
    if (fast === undefined) return undefined
    names.push(name)
    fns.push(fast)
  }
  return { names, fns }
}

/** The fast encoder of a tagged struct: its wire field names, and their values for one message. */
export interface StructEncoder {
  /** The wire fields, in the schema's order (`_tag` left out). */
  readonly names: ReadonlyArray<string>
  /** The encoded values, one per name (a fresh array the caller may change); `undefined`: use the Schema. */
  readonly encode: (message: { readonly [key: string]: unknown }) => Array<unknown> | undefined
}

/** The fast encoder of a tagged struct, if every field has one. */
export const structEncoder = (schema: unknown): StructEncoder | undefined => {
  const fields = fieldsIn(schema, encodeField)
  if (fields === undefined) return undefined
  const { fns: encoders, names } = fields
  return {
    names,
    encode: (message) => {
      const out = new Array<unknown>(names.length)
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!
        const value = encoders[i]!(Object.hasOwn(message, name) ? message[name] : undefined)
        if (value === FAIL) return undefined
        out[i] = value
      }
      return out
    }
  }
}

/**
 * The fast decoder of a tagged struct's wire body (a plain object), if every field has one:
 * it returns the decoded message or `undefined` (then use the Schema).
 */
export const structDecoder = (
  tag: string,
  schema: unknown
): ((body: { readonly [key: string]: unknown }) => { readonly _tag: string } | undefined) | undefined => {
  const fields = fieldsIn(schema, forField)
  if (fields === undefined) return undefined
  const { fns: decoders, names } = fields
  return (body) => {
    const out: { _tag: string; [key: string]: unknown } = { _tag: tag }
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!
      const value = decoders[i]!(Object.hasOwn(body, name) ? body[name] : undefined)
      if (value === FAIL) return undefined
      out[name] = value
    }
    return out
  }
}
