/** Byte-string helpers shared by the schema modules. */
import type * as Brand from "effect/Brand"
import * as Schema from "effect/Schema"
import { FAIL, registerSchema } from "./fast.js"

/** A byte string of exactly `size` bytes, branded so ids of different kinds never mix. */
export const fixedBytes = <const B extends string>(size: number, brand: B) =>
  registerSchema(
    Schema.Uint8ArrayFromSelf.pipe(
      Schema.filter((bytes) => bytes.length === size || `expected ${size} bytes, got ${bytes.length}`),
      Schema.brand(brand)
    ).annotations({
      identifier: brand,
      title: `${brand} (${size} bytes)`,
      arbitrary: () => (fc) => fc.uint8Array({ minLength: size, maxLength: size }).map((bytes) => bytes as typeof bytes & Brand.Brand<B>)
    }),
    (value) => (value instanceof Uint8Array && value.length === size ? value : FAIL)
  )

/** Constant-time-ish equality of two byte strings (length first). */
export const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

/** Lowercase hex of a byte string. */
export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("hex")

/** Bytes from hex; odd lengths and non-hex characters are refused with `undefined`. */
export const fromHex = (hex: string): Uint8Array | undefined => {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined
  return new Uint8Array(Buffer.from(hex, "hex"))
}

/** A map key for a byte string (hex), for pending tables keyed by ids. */
export const bytesKey = (bytes: Uint8Array): string => toHex(bytes)
