/** Map keys for byte-string ids. */

/** Lowercase hex of a byte string: the key of pending tables. */
export const hexKey = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("hex")
