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
  | { readonly t: "map"; readonly entries: ReadonlyArray<readonly [string, Item]> }
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
        write({ t: "text", s: key }, out)
        write(value, out)
      }
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

/** Lowercase hex of an item's bytes. */
export const hexOf = (item: Item): string => Buffer.from(bytesOf(item)).toString("hex")
