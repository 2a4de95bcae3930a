/** hex.ts without Node's Buffer, for browser bundles (the "browser" field of package.json). */
const DIGITS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"))

/** Lowercase hex of bytes, for map keys. */
export const hexKey = (bytes: Uint8Array): string => {
  let out = ""
  for (const byte of bytes) out += DIGITS[byte]
  return out
}
