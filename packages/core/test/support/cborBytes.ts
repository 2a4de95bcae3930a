/**
 * A deliberately tiny CBOR writer for the golden vectors, independent of cborg and of the
 * codec under test: definite lengths, shortest integer heads, maps in the order given.
 * It knows only the items the thin protocol uses.
 */

/** One CBOR data item as the vectors describe it. */
export type Item =
  | { readonly t: "uint"; readonly n: bigint }
  | { readonly t: "nint"; readonly n: bigint }
  | { readonly t: "bytes"; readonly b: Uint8Array }
  | { readonly t: "text"; readonly s: string }
  | { readonly t: "array"; readonly items: ReadonlyArray<Item> }
  | { readonly t: "map"; readonly entries: ReadonlyArray<readonly [string | Item, Item]> }
  | { readonly t: "float"; readonly v: number; readonly width: 16 | 32 | 64 }
  | { readonly t: "bool"; readonly v: boolean }
  | { readonly t: "null" }

/** Major type and argument as a head, in the shortest form (RFC 8949 §4.2.1). */
export const head = (major: number, arg: bigint): Array<number> => {
  const m = major << 5
  if (arg < 24n) return [m | Number(arg)]
  if (arg < 0x100n) return [m | 24, Number(arg)]
  if (arg < 0x10000n) return [m | 25, ...beBytes(arg, 2)]
  if (arg < 0x1_0000_0000n) return [m | 26, ...beBytes(arg, 4)]
  return [m | 27, ...beBytes(arg, 8)]
}

const beBytes = (value: bigint, size: number): Array<number> => {
  const out: Array<number> = []
  for (let i = size - 1; i >= 0; i--) out.push(Number((value >> BigInt(8 * i)) & 0xffn))
  return out
}

const utf8 = new TextEncoder()

/** IEEE 754 bytes of a float at a width; half precision only for values it holds exactly. */
const floatBytes = (v: number, width: 16 | 32 | 64): Array<number> => {
  if (width === 64) {
    const view = new DataView(new ArrayBuffer(8))
    view.setFloat64(0, v)
    return [0xfb, ...new Uint8Array(view.buffer)]
  }
  if (width === 32) {
    const view = new DataView(new ArrayBuffer(4))
    view.setFloat32(0, v)
    if (view.getFloat32(0) !== v) throw new Error(`${v} is not exact in float32`)
    return [0xfa, ...new Uint8Array(view.buffer)]
  }
  // half: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits; normal numbers and zero
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0
  const a = Math.abs(v)
  let half: number
  if (a === 0) half = sign
  else {
    const e = Math.floor(Math.log2(a))
    const mantissa = (a / 2 ** e - 1) * 1024
    if (e < -14 || e > 15 || !Number.isInteger(mantissa)) throw new Error(`${v} is not exact in float16`)
    half = sign | ((e + 15) << 10) | mantissa
  }
  return [0xf9, half >> 8, half & 0xff]
}

const write = (item: Item, out: Array<number>): void => {
  switch (item.t) {
    case "uint":
      out.push(...head(0, item.n))
      return
    case "nint":
      out.push(...head(1, -1n - item.n))
      return
    case "bytes":
      out.push(...head(2, BigInt(item.b.length)))
      for (const byte of item.b) out.push(byte)
      return
    case "text": {
      const bytes = utf8.encode(item.s)
      out.push(...head(3, BigInt(bytes.length)))
      for (const byte of bytes) out.push(byte)
      return
    }
    case "array":
      out.push(...head(4, BigInt(item.items.length)))
      for (const inner of item.items) write(inner, out)
      return
    case "map":
      out.push(...head(5, BigInt(item.entries.length)))
      for (const [key, value] of item.entries) {
        write(typeof key === "string" ? { t: "text", s: key } : key, out)
        write(value, out)
      }
      return
    case "float":
      out.push(...floatBytes(item.v, item.width))
      return
    case "bool":
      out.push(item.v ? 0xf5 : 0xf4)
      return
    case "null":
      out.push(0xf6)
      return
  }
}

/** The bytes of an item. */
export const bytesOf = (item: Item): Uint8Array => {
  const out: Array<number> = []
  write(item, out)
  return Uint8Array.from(out)
}

/**
 * A map with its keys in canonical order (RFC 7049 §3.9, what fxamacker's CanonicalEncOptions
 * does): shorter encoded keys first, then bytewise.
 */
export const canonicalMap = (entries: ReadonlyArray<readonly [string | Item, Item]>): Item => {
  const keyed = entries.map(([k, v]) => ({ k: bytesOf(typeof k === "string" ? { t: "text", s: k } : k), entry: [k, v] as const }))
  keyed.sort((x, y) => x.k.length - y.k.length || Buffer.compare(Buffer.from(x.k), Buffer.from(y.k)))
  return { t: "map", entries: keyed.map((x) => x.entry) }
}

/** An item with every map in it, at any depth, in canonical key order. */
export const canonicalItem = (item: Item): Item => {
  if (item.t === "array") return { t: "array", items: item.items.map(canonicalItem) }
  if (item.t === "map") return canonicalMap(item.entries.map(([k, v]) => [k, canonicalItem(v)] as const))
  return item
}

/** Lowercase hex of an item's bytes. */
export const hexOf = (item: Item): string => Buffer.from(bytesOf(item)).toString("hex")
