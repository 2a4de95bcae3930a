/**
 * The one place that knows which CBOR library we use (cborg, chosen by measurement:
 * docs/performance.md). Everything else speaks `CborValue`.
 */
import * as cborg from "cborg"
import * as Either from "effect/Either"
import { allocate } from "./slab.js"

/** A decoded CBOR item as we allow it: no tags, byte strings as Uint8Array. */
export type CborValue =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | ReadonlyArray<CborValue>
  | ReadonlyMap<CborValue, CborValue>
  | { readonly [key: string]: CborValue }

const keepOrder = () => 0

/**
 * A number Go declares `float64` (the PKI document's Mu and Lambdas): written as a CBOR float
 * even when it is whole, as Go does (`0` is `f9 0000` canonically, never the integer `00`).
 */
export class GoFloat {
  constructor(readonly value: number) {}
}

const goFloatEncoder = (value: unknown): Array<cborg.Token> | null =>
  value instanceof GoFloat ? [new cborg.Token(cborg.Type.float, value.value)] : null

const encodeOptions = {
  // Go (fxamacker, default mode) writes struct fields in declaration order; so do we.
  mapSorter: keepOrder,
  // Only finite numbers we put there ourselves; a NaN or undefined is a bug upstream.
  float64: false,
  typeEncoders: {
    undefined: () => {
      throw new TypeError("undefined is not encodable")
    },
    Object: goFloatEncoder
  }
} as const

// Go never emits indefinite lengths, `undefined` or a map key twice; cborg accepts all three unless told not to.
const strictness = { allowIndefinite: false, allowUndefined: false, rejectDuplicateMapKeys: true } as const
const objectDecodeOptions = { ...strictness, useMaps: false } as const
const mapDecodeOptions = { ...strictness, useMaps: true } as const

/** The reason a `decode` failure gives for a map with a repeated key. */
export const DUPLICATE_KEY_REASON = "duplicate map key"

/**
 * The fixed vocabulary of decoding failures. cborg's own messages can quote wire bytes (a tag
 * number, a repeated key, a byte value), and wire bytes can be secrets: only these phrases,
 * plus the body length, ever leave this module.
 */
const failures: ReadonlyArray<readonly [string, string]> = [
  ["repeat map key", DUPLICATE_KEY_REASON],
  ["tag not supported", "tags are not allowed"],
  ["undefined values", "undefined is not allowed"],
  ["indefinite length", "indefinite lengths are not allowed"],
  ["too many terminals", "trailing bytes after the item"],
  ["did not find any content", "empty body"],
  ["not enough", "truncated item"],
  ["non-string keys", "non-text map key"],
  ["Infinity", "non-finite float"],
  ["NaN", "non-finite float"],
  ["safe integer range", "integer out of range"],
  ["BigInt larger", "integer out of range"],
  ["64-bit integer", "length out of range"],
  ["more bytes than necessary", "non-minimal integer"],
  ["unexpected break", "unexpected break"],
  ["no decoder for major type", "reserved initial byte"],
  ["invalid minor", "reserved initial byte"],
  ["simple values", "simple values are not allowed"],
  ["Maximum call stack", "nested too deeply"]
]

/** A decoder failure in the fixed vocabulary, with the body length (never bytes). */
export const failureReason = (error: unknown, length: number): string => {
  const text = error instanceof Error ? error.message : ""
  for (const [needle, reason] of failures) if (text.includes(needle)) return `${reason} (body of ${length} bytes)`
  return `not well-formed CBOR (body of ${length} bytes)`
}

/** Encodes one CBOR item. Maps keep insertion order, integers use the shortest head. */
export const encode = (value: unknown): Uint8Array => cborg.encode(value, encodeOptions)

/**
 * Decodes exactly one CBOR item. Maps with text keys become plain objects; with `useMaps`
 * every map becomes a `Map` (needed for the PKI document's integer and byte-string keys).
 * Tags, indefinite lengths, `undefined` and trailing bytes are refused.
 */
export const decode = (
  bytes: Uint8Array,
  options?: { readonly useMaps?: boolean }
): Either.Either<CborValue, string> => {
  try {
    const value: CborValue = cborg.decode(bytes, options?.useMaps === true ? mapDecodeOptions : objectDecodeOptions)
    return Either.right(value)
  } catch (error) {
    return Either.left(failureReason(error, bytes.length))
  }
}

// Every tag is read as its content, for `decodeLoose`.
const anyTag = new Proxy<Array<(inner: unknown) => unknown>>([], {
  get: (target, property) => (typeof property === "string" && /^[0-9]+$/.test(property) ? (inner: unknown) => inner : Reflect.get(target, property))
})
const looseOptions: cborg.DecodeOptions = { allowIndefinite: true, allowUndefined: true, rejectDuplicateMapKeys: false, useMaps: false, tags: anyTag }

/**
 * Decodes the first CBOR item as leniently as cborg allows (indefinite lengths, `undefined`,
 * any tag read as its content, trailing bytes ignored). Only for recovering what a broken
 * message was about (`peekQueryId`), never for accepting it.
 */
export const decodeLoose = (bytes: Uint8Array): CborValue | undefined => {
  try {
    const [value]: [CborValue, Uint8Array] = cborg.decodeFirst(bytes, looseOptions)
    return value
  } catch {
    return undefined
  }
}

/** True for a plain object produced by `decode` (a CBOR map with text keys). */
export const isRecord = (value: CborValue): value is { readonly [key: string]: CborValue } =>
  typeof value === "object" && value !== null && !(value instanceof Uint8Array) && !Array.isArray(value) &&
  !(value instanceof Map)

/** Encodes with canonical (length-first sorted) map keys, as Go's CanonicalEncOptions. */
export const encodeCanonical = (value: unknown): Uint8Array => cborg.encode(value, { typeEncoders: { Object: goFloatEncoder } })

/**
 * Turns maps whose keys are all text into plain objects, recursively; other maps stay
 * `Map`s. Used on items decoded with `useMaps`.
 */
export const normalize = (value: CborValue): CborValue => {
  if (value instanceof Map) {
    const entries = Array.from(value.entries(), ([k, v]): [CborValue, CborValue] => [k, normalize(v)])
    if (entries.every(([k]) => typeof k === "string" && k !== "__proto__")) {
      const object: { [key: string]: CborValue } = {}
      for (const [k, v] of entries) object[String(k)] = v
      return object
    }
    return new Map(entries)
  }
  if (Array.isArray(value)) return value.map(normalize)
  return value
}

/**
 * Decodes one CBOR item that must be a map with text keys (the PKI document and its
 * descriptors), with nested maps normalized as `normalize` does. A map with any non-text
 * key is refused rather than read as an empty struct; nesting too deep to walk is refused
 * rather than thrown.
 */
export const decodeRecord = (bytes: Uint8Array): Either.Either<{ readonly [key: string]: CborValue }, string> =>
  Either.flatMap(decode(bytes, { useMaps: true }), (value) => {
    let normalized: CborValue
    try {
      normalized = normalize(value)
    } catch {
      return Either.left("nested too deeply")
    }
    return isRecord(normalized) ? Either.right(normalized) : Either.left("expected a map with text keys")
  })

const utf8 = new TextDecoder("utf-8", { fatal: true })

// The reader below allocates nothing it does not return: a head's value and size are left in
// these two variables (the reader is synchronous), and seen keys in fixed scratch arrays.
let headValue = 0
let headEnd = 0

// Reads the definite-length head at `offset` into headValue/headEnd; false when it needs the
// general decoder (indefinite or 8-byte lengths, or a head cut short).
const readHead = (bytes: Uint8Array, offset: number): boolean => {
  const info = bytes[offset]! & 0x1f
  if (info < 24) {
    headValue = info
    headEnd = offset + 1
  } else if (info === 24 && offset + 1 < bytes.length) {
    headValue = bytes[offset + 1]!
    headEnd = offset + 2
  } else if (info === 25 && offset + 2 < bytes.length) {
    headValue = (bytes[offset + 1]! << 8) | bytes[offset + 2]!
    headEnd = offset + 3
  } else if (info === 26 && offset + 4 < bytes.length) {
    headValue = ((bytes[offset + 1]! << 24) >>> 0) + (bytes[offset + 2]! << 16) + (bytes[offset + 3]! << 8) + bytes[offset + 4]!
    headEnd = offset + 5
  } else {
    return false
  }
  return true
}

const sameRange = (bytes: Uint8Array, a: number, b: number, length: number): boolean => {
  for (let i = 0; i < length; i++) if (bytes[a + i] !== bytes[b + i]) return false
  return true
}

// Key names seen before, by a hash of their bytes: the same few dozen names arrive in every
// reply, and a hit costs neither a TextDecoder call nor a subarray.
const MAX_INTERNED = 512
const MAX_INTERNED_LENGTH = 48
const interned = new Map<number, { readonly bytes: Uint8Array; readonly name: string }>()

const keyName = (bytes: Uint8Array, start: number, end: number): string => {
  const length = end - start
  if (length > MAX_INTERNED_LENGTH) return utf8.decode(bytes.subarray(start, end))
  let hash = length
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193)
  const known = interned.get(hash)
  if (known !== undefined && known.bytes.length === length) {
    let same = true
    for (let i = 0; i < length; i++) {
      if (known.bytes[i] !== bytes[start + i]) {
        same = false
        break
      }
    }
    if (same) return known.name
  }
  const name = utf8.decode(bytes.subarray(start, end))
  if (interned.size < MAX_INTERNED) interned.set(hash, { bytes: bytes.slice(start, end), name })
  return name
}

// Seen keys of the envelope being read (offset and length), for the repeated-key check.
const MAX_SPARSE_KEYS = 64
const keyStarts = new Int32Array(MAX_SPARSE_KEYS)
const keyLengths = new Int32Array(MAX_SPARSE_KEYS)

const sparse = (bytes: Uint8Array): { [key: string]: CborValue } | undefined => {
  if (bytes.length === 0 || bytes[0]! >> 5 !== 5 || !readHead(bytes, 0)) return undefined
  const pairs = headValue
  if (pairs > MAX_SPARSE_KEYS) return undefined
  const members: { [key: string]: CborValue } = {}
  let offset = headEnd
  for (let pair = 0; pair < pairs; pair++) {
    if (offset >= bytes.length || bytes[offset]! >> 5 !== 3 || !readHead(bytes, offset)) return undefined
    const keyStart = headEnd
    const keyLength = headValue
    offset = keyStart + keyLength
    if (offset >= bytes.length) return undefined
    // A key seen before, null or not: the general decoder refuses the map.
    for (let i = 0; i < pair; i++) if (keyLengths[i] === keyLength && sameRange(bytes, keyStarts[i]!, keyStart, keyLength)) return undefined
    keyStarts[pair] = keyStart
    keyLengths[pair] = keyLength
    if (bytes[offset] === 0xf6) {
      offset += 1
      continue
    }
    const name = keyName(bytes, keyStart, offset)
    if (name === "__proto__") return undefined
    const end = simpleMap(bytes, offset, members, name)
    if (end >= 0) {
      offset = end
      continue
    }
    const [value, rest]: [CborValue, Uint8Array] = cborg.decodeFirst(bytes.subarray(offset), objectDecodeOptions)
    members[name] = value
    offset = bytes.length - rest.length
  }
  return offset === bytes.length ? members : undefined
}

/**
 * Reads a member the way cborg would decode it, when it is a definite-length map of text keys
 * to null, booleans, integers up to 32 bits, byte strings and text (what replies are made of),
 * into `into[name]`; returns the offset after it. -1 for anything else (nested items, floats,
 * big integers, indefinite lengths, repeated keys…): then cborg decodes it, with its own checks
 * and errors.
 */
const simpleMap = (bytes: Uint8Array, at: number, into: { [key: string]: CborValue }, name: string): number => {
  if (bytes[at]! >> 5 !== 5 || !readHead(bytes, at)) return -1
  const pairs = headValue
  const out: { [key: string]: CborValue } = {}
  let offset = headEnd
  for (let pair = 0; pair < pairs; pair++) {
    if (offset >= bytes.length || bytes[offset]! >> 5 !== 3 || !readHead(bytes, offset)) return -1
    const keyStart = headEnd
    offset = keyStart + headValue
    if (offset >= bytes.length) return -1
    const key = keyName(bytes, keyStart, offset)
    if (key === "__proto__" || Object.hasOwn(out, key)) return -1
    const byte = bytes[offset]!
    const major = byte >> 5
    if (byte === 0xf6 || byte === 0xf5 || byte === 0xf4) {
      out[key] = byte === 0xf6 ? null : byte === 0xf5
      offset += 1
    } else if (major <= 3) {
      if (!readHead(bytes, offset)) return -1
      const start = headEnd
      const length = headValue
      if (major === 0) {
        out[key] = length
        offset = start
      } else if (major === 1) {
        out[key] = -1 - length
        offset = start
      } else {
        if (start + length > bytes.length) return -1
        out[key] = major === 2 ? bytes.slice(start, start + length) : utf8.decode(bytes.subarray(start, start + length))
        offset = start + length
      }
    } else {
      return -1
    }
  }
  into[name] = out
  return offset
}

/**
 * Decodes a thin-protocol envelope: a map of which at most one member is non-null. Only the
 * non-null members are decoded (the envelope's 18 null keys are skipped without building
 * strings); the result holds those members. Anything unusual (not a map, non-text keys,
 * odd lengths, trailing bytes, bad UTF-8) goes through `decode`, so errors and strictness
 * are exactly those of `decode`.
 */
export const decodeEnvelope = (bytes: Uint8Array): Either.Either<CborValue, string> => {
  try {
    const members = sparse(bytes)
    if (members !== undefined) return Either.right(members)
  } catch {
    // Fall through: the general decoder reports what is wrong.
  }
  return decode(bytes)
}

const utf8Encoder = new TextEncoder()

// Bytes of the head of an item of major type `major` with argument `n` (shortest form, n < 2^32).
const headSize = (n: number): number => (n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5)
const writeHead = (out: Uint8Array, at: number, major: number, n: number): number => {
  const m = major << 5
  if (n < 24) {
    out[at] = m | n
    return at + 1
  }
  if (n < 0x100) {
    out[at] = m | 24
    out[at + 1] = n
    return at + 2
  }
  if (n < 0x10000) {
    out[at] = m | 25
    out[at + 1] = n >>> 8
    out[at + 2] = n & 0xff
    return at + 3
  }
  out[at] = m | 26
  out[at + 1] = n >>> 24
  out[at + 2] = (n >>> 16) & 0xff
  out[at + 3] = (n >>> 8) & 0xff
  out[at + 4] = n & 0xff
  return at + 5
}

// Text values of the message being encoded, UTF-8, in order (the encoder is synchronous):
// measured once in the size pass, copied in the write pass. Requests rarely carry text.
const texts: Array<Uint8Array> = []
let nextText = 0

// Encoded size of a value the simple encoder handles, or -1 (then cborg encodes the message).
const simpleSize = (value: unknown): number => {
  if (value === null || value === true || value === false) return 1
  if (typeof value === "number") {
    if (!Number.isInteger(value) || Object.is(value, -0) || Math.abs(value) > 0xffff_ffff) return -1
    return headSize(value < 0 ? -1 - value : value)
  }
  if (value instanceof Uint8Array) return value.length > 0xffff_ffff ? -1 : headSize(value.length) + value.length
  if (typeof value === "string") {
    // Lone surrogates: leave them to cborg, whatever it makes of them.
    if (/[\uD800-\uDFFF]/.test(value)) return -1
    const bytes = utf8Encoder.encode(value)
    texts.push(bytes)
    return headSize(bytes.length) + bytes.length
  }
  if (Array.isArray(value)) {
    let size = headSize(value.length)
    for (const item of value) {
      const itemSize = simpleSize(item)
      if (itemSize < 0) return -1
      size += itemSize
    }
    return size
  }
  return -1
}

// Writes a value `simpleSize` accepted (so only the kinds handled here reach it).
const writeSimple = (out: Uint8Array, at: number, value: unknown): number => {
  if (value === null) {
    out[at] = 0xf6
    return at + 1
  }
  if (value === true || value === false) {
    out[at] = value ? 0xf5 : 0xf4
    return at + 1
  }
  if (typeof value === "number") return value < 0 ? writeHead(out, at, 1, -1 - value) : writeHead(out, at, 0, value)
  if (value instanceof Uint8Array) return writeBytes(out, at, 2, value)
  if (typeof value === "string") return writeBytes(out, at, 3, texts[nextText++]!)
  if (!Array.isArray(value)) return at
  let offset = writeHead(out, at, 4, value.length)
  for (const item of value) offset = writeSimple(out, offset, item)
  return offset
}

const writeBytes = (out: Uint8Array, at: number, major: number, bytes: Uint8Array): number => {
  const start = writeHead(out, at, major, bytes.length)
  out.set(bytes, start)
  return start + bytes.length
}

// Envelope keys and field names are a fixed, small set: their UTF-8 bytes are kept.
const nameBytes = new Map<string, Uint8Array>()
const nameOf = (name: string): Uint8Array => {
  let bytes = nameBytes.get(name)
  if (bytes === undefined) {
    bytes = utf8Encoder.encode(name)
    if (nameBytes.size < 256) nameBytes.set(name, bytes)
  }
  return bytes
}

/** A value `encodeEnvelope` leaves out, with its name. */
export const OMIT: unique symbol = Symbol.for("@katzenpost-effect/core/cbor/OMIT")

/**
 * `{ key: { name: value, ... } }` in exactly the bytes `encode` would give, for envelopes whose
 * values are null, booleans, integers, byte and text strings and arrays of those (`values[i]`
 * is the value of `names[i]`; `OMIT` leaves the pair out); `undefined` for anything else (then
 * use `encode`). Requests are all such envelopes.
 */
export const encodeEnvelope = (key: string, names: ReadonlyArray<string>, values: ReadonlyArray<unknown>): Uint8Array | undefined => {
  texts.length = 0
  nextText = 0
  const keyBytes = nameOf(key)
  let pairs = 0
  let size = 1 + headSize(keyBytes.length) + keyBytes.length
  for (let i = 0; i < names.length; i++) {
    const value = values[i]
    if (value === OMIT) continue
    const name = nameOf(names[i]!)
    const valueSize = simpleSize(value)
    if (valueSize < 0) return undefined
    size += headSize(name.length) + name.length + valueSize
    pairs++
  }
  size += headSize(pairs)
  const out = allocate(size)
  let at = writeHead(out, 0, 5, 1)
  at = writeBytes(out, at, 3, keyBytes)
  at = writeHead(out, at, 5, pairs)
  for (let i = 0; i < names.length; i++) {
    const value = values[i]
    if (value === OMIT) continue
    at = writeBytes(out, at, 3, nameOf(names[i]!))
    at = writeSimple(out, at, value)
  }
  return out
}
