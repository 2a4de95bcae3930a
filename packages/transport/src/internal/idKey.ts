/**
 * Map keys for byte-string ids (query ids, SURB ids, hashes): one UTF-16 code unit per two
 * bytes, after one for the length, so distinct byte strings always get distinct keys. No
 * Buffer, so the same code runs in browsers; about twice as fast as hex on the request path.
 */
export const idKey = (bytes: Uint8Array): string => {
  // Query ids and SURB ids are 16 bytes: one string built at once, not nine concatenations.
  if (bytes.length === 16) {
    return String.fromCharCode(
      16,
      0,
      unit(bytes, 0),
      unit(bytes, 2),
      unit(bytes, 4),
      unit(bytes, 6),
      unit(bytes, 8),
      unit(bytes, 10),
      unit(bytes, 12),
      unit(bytes, 14)
    )
  }
  const length = bytes.length
  let key = String.fromCharCode(length & 0xffff, length >>> 16)
  let i = 0
  for (; i + 1 < length; i += 2) key += String.fromCharCode(unit(bytes, i))
  if (i < length) key += String.fromCharCode(bytes[i]!)
  return key
}

const unit = (bytes: Uint8Array, i: number): number => (bytes[i]! << 8) | bytes[i + 1]!
