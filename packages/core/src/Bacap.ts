/**
 * Local BACAP arithmetic (hpqc `bacap`): box index advance, counters, capability hashes and
 * the ReadCap inside a WriteCap. Byte-identical to the daemon, with no round trip.
 *
 * @since 0.1.0
 */
import { blake2b } from "@noble/hashes/blake2.js"
import { hkdf } from "@noble/hashes/hkdf.js"
import * as Either from "effect/Either"
import { MESSAGE_BOX_INDEX_SIZE, MessageBoxIndex, ReadCap, type WriteCap } from "./Capabilities.js"
import { InvalidArgument } from "./ClientError.js"
import { NodeIdHash, WriteCapHash } from "./Ids.js"

const U64_MAX = (1n << 64n) - 1n

/**
 * BLAKE2b-256, the hash of `hash.Sum256` in hpqc.
 *
 * @since 0.1.0
 * @category hashing
 */
export const blake2b256 = (bytes: Uint8Array): Uint8Array => blake2b(bytes, { dkLen: 32 })

/**
 * The id of a copy command: BLAKE2b-256 of the WriteCap's 168 bytes.
 *
 * @since 0.1.0
 * @category hashing
 */
export const writeCapHash = (writeCap: WriteCap): WriteCapHash => WriteCapHash.make(blake2b256(writeCap.bytes))

/**
 * A node's destination id: BLAKE2b-256 of its identity key.
 *
 * @since 0.1.0
 * @category hashing
 */
export const nodeIdHash = (identityKey: Uint8Array): NodeIdHash => NodeIdHash.make(blake2b256(identityKey))

/**
 * Checks that an index has the 104 bytes of a BACAP `MessageBoxIndex` (the constructor does
 * not: it also wraps bytes a caller built). Names the argument, never its value.
 *
 * @since 0.1.0
 * @category indexes
 */
export const validateIndex = (
  index: MessageBoxIndex,
  argument = "index"
): Either.Either<MessageBoxIndex, InvalidArgument> =>
  index.bytes.length === MESSAGE_BOX_INDEX_SIZE
    ? Either.right(index)
    : Either.left(new InvalidArgument({ argument, reason: `must be exactly ${MESSAGE_BOX_INDEX_SIZE} bytes` }))

/**
 * The position of an index in its stream (`Idx64`, the first 8 bytes, little-endian).
 * Never throws: an index shorter than 8 bytes is read as zero-padded, so check a
 * caller-built index with `validateIndex` first (`advanceTo` and `nextIndex` do).
 *
 * @since 0.1.0
 * @category indexes
 */
export const counter = (index: MessageBoxIndex): bigint => {
  const bytes = index.bytes
  if (bytes.length >= 8) return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true)
  let value = 0n
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] ?? 0)
  return value
}

const step = (bytes: Uint8Array): Uint8Array => {
  const info = bytes.subarray(0, 8)
  const okm = hkdf(blake2b, bytes.subarray(72, 104), new Uint8Array(0), info, 96)
  const next = new Uint8Array(MESSAGE_BOX_INDEX_SIZE)
  new DataView(next.buffer).setBigUint64(0, new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true) + 1n, true)
  next.set(okm.subarray(64, 96), 8) // blinding factor K
  next.set(okm.subarray(32, 64), 40) // encryption key E
  next.set(okm.subarray(0, 32), 72) // HKDF state H
  return next
}

/**
 * Advances an index to `target` (HKDF-BLAKE2b-512 per step). The same index is returned
 * unchanged; an index that is not 104 bytes, a lower target or an overflow is refused.
 *
 * @since 0.1.0
 * @category indexes
 */
export const advanceTo = (index: MessageBoxIndex, target: bigint): Either.Either<MessageBoxIndex, InvalidArgument> =>
  Either.flatMap(validateIndex(index), (valid) => advance(valid, target))

const advance = (index: MessageBoxIndex, target: bigint): Either.Either<MessageBoxIndex, InvalidArgument> => {
  const current = counter(index)
  if (target < current) {
    return Either.left(new InvalidArgument({ argument: "target", reason: "cannot advance a box index backwards" }))
  }
  if (target > U64_MAX) return Either.left(new InvalidArgument({ argument: "target", reason: "beyond the 64-bit index space" }))
  let bytes = index.bytes
  for (let i = current; i < target; i++) bytes = step(bytes)
  return Either.right(bytes === index.bytes ? index : new MessageBoxIndex(bytes))
}

/**
 * The next box index (what `next_message_box_index` answers).
 *
 * @since 0.1.0
 * @category indexes
 */
export const nextIndex = (index: MessageBoxIndex): Either.Either<MessageBoxIndex, InvalidArgument> =>
  Either.flatMap(validateIndex(index), (valid) => advance(valid, counter(valid) + 1n))

/**
 * The first box index of the stream a WriteCap writes.
 *
 * @since 0.1.0
 * @category capabilities
 */
export const firstIndex = (writeCap: WriteCap): MessageBoxIndex => new MessageBoxIndex(writeCap.bytes.slice(64, 168))

/**
 * The ReadCap that belongs to a WriteCap: root public key ‖ first index.
 *
 * @since 0.1.0
 * @category capabilities
 */
export const readCapOf = (writeCap: WriteCap): ReadCap => new ReadCap(writeCap.bytes.slice(32, 168))
