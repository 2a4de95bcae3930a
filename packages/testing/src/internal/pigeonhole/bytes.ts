/** Byte-level building blocks of the engine's own (opaque) formats. */

/** Concatenates byte strings. */
export const concat = (...parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** A 4-byte big-endian length. */
export const u32be = (n: number): Uint8Array => {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, n, false)
  return out
}

/** UTF-8 bytes of a domain-separation label. */
export const label = (text: string): Uint8Array => new TextEncoder().encode(text)

/** Lowercase hex, for map keys. */
export const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("hex")

/** Byte equality (lengths first). */
export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}

/** A cursor over a byte string; every read returns `undefined` when the input is too short. */
export class Reader {
  private offset = 0
  constructor(private readonly bytes: Uint8Array) {}
  take(n: number): Uint8Array | undefined {
    if (n < 0 || this.offset + n > this.bytes.length) return undefined
    const out = this.bytes.subarray(this.offset, this.offset + n)
    this.offset += n
    return out
  }
  u8(): number | undefined {
    return this.take(1)?.[0]
  }
  u32(): number | undefined {
    const b = this.take(4)
    return b === undefined ? undefined : new DataView(b.buffer, b.byteOffset, 4).getUint32(0, false)
  }
  get remaining(): number {
    return this.bytes.length - this.offset
  }
}
