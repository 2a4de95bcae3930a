/**
 * Local BACAP arithmetic (hpqc `bacap`): keypairs from a seed, box index advance, counters,
 * capability hashes and the ReadCap inside a WriteCap. Byte-identical to the daemon, with no
 * round trip.
 *
 * @since 0.1.0
 */
import { blake2b } from "@noble/hashes/blake2.js"
import { hkdf } from "@noble/hashes/hkdf.js"
import * as Either from "effect/Either"
import { MESSAGE_BOX_INDEX_SIZE, MessageBoxIndex, ReadCap, WRITE_CAP_SIZE, WriteCap } from "./Capabilities.js"
import { InvalidArgument } from "./ClientError.js"
import { NodeIdHash, WriteCapHash } from "./Ids.js"
import { chacha20Keystream, ed25519PublicKey } from "./internal/keystream.js"

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

/**
 * The seed length `newKeypair` takes (the ChaCha20 key of hpqc `NewDeterministicRandReader`).
 *
 * @since 0.1.0
 * @category constants
 */
export const KEYPAIR_SEED_SIZE = 32

/**
 * Which hpqc derives the keypair: `"hpqc-v0.0.78"` (kpclientd v0.0.73) or `"hpqc-v0.0.86"`
 * (kpclientd v0.0.104). They differ only in how the start index is clamped, so the same
 * seed gives the same keys but, for almost every seed, a different first index.
 *
 * @since 0.1.0
 * @category models
 */
export type Generation = "hpqc-v0.0.78" | "hpqc-v0.0.86"

/**
 * Every generation `newKeypair` knows, oldest first.
 *
 * @since 0.1.0
 * @category constants
 */
export const GENERATIONS: ReadonlyArray<Generation> = ["hpqc-v0.0.78", "hpqc-v0.0.86"]

/**
 * A new stream's capabilities and its first box index.
 *
 * @since 0.1.0
 * @category models
 */
export interface Keypair {
  readonly writeCap: WriteCap
  readonly readCap: ReadCap
  readonly firstIndex: MessageBoxIndex
}

const seedError = (reason: string) => new InvalidArgument({ argument: "seed", reason })

/**
 * Derives a stream's capabilities from a 32-byte seed, as `new_keypair` does: the seed keys a
 * ChaCha20 keystream (all-zero nonce, counter 0) whose bytes 0–31 are the Ed25519 seed,
 * 32–63 the HKDF state and 64–79 the start index: two little-endian u64 summands, clamped
 * per `generation`, added with 64-bit wraparound. hpqc v0.0.78 masks each summand's lowest
 * byte (bytes 0 and 8) with 0x2f; hpqc v0.0.86 masks each one's highest byte (bytes 7 and
 * 15) with 0x3f. One `NextIndex` step from there is the first index. WriteCap = Ed25519
 * seed ‖ public key ‖ first index; ReadCap = public key ‖ first index.
 *
 * `generation` defaults to `"hpqc-v0.0.78"`, byte-identical to kpclientd v0.0.73; pass
 * `"hpqc-v0.0.86"` for kpclientd v0.0.104. The Pigeonhole service's `keypairs: "local"`
 * picks the generation of the daemon it talks to. A seed that is not exactly 32 bytes fails with `InvalidArgument` naming the
 * seed, never its bytes (as does the one-in-2^64 seed whose start index is the last of the
 * 64-bit space, which hpqc refuses too).
 *
 * @since 0.1.0
 * @category capabilities
 */
export const newKeypair = (
  seed: Uint8Array,
  generation: Generation = "hpqc-v0.0.78"
): Either.Either<Keypair, InvalidArgument> => {
  if (seed.length !== KEYPAIR_SEED_SIZE) return Either.left(seedError(`must be exactly ${KEYPAIR_SEED_SIZE} bytes`))
  return Either.flatMap(
    Either.try({
      try: () => {
        const stream = chacha20Keystream(seed, 80)
        const edSeed = stream.slice(0, 32)
        return { edSeed, publicKey: ed25519PublicKey(edSeed), start: startIndex(stream, generation) }
      },
      catch: () => seedError("key derivation failed")
    }),
    ({ edSeed, publicKey, start }) =>
      Either.map(
        Either.mapLeft(nextIndex(start), () => seedError("derives the last index of the 64-bit space")),
        (first) => {
          const writeCap = new Uint8Array(WRITE_CAP_SIZE)
          writeCap.set(edSeed, 0)
          writeCap.set(publicKey, 32)
          writeCap.set(first.bytes, 64)
          return { writeCap: new WriteCap(writeCap), readCap: new ReadCap(writeCap.slice(32)), firstIndex: first }
        }
      )
  )
}

/** hpqc `NewMessageBoxIndex` before its `NextIndex`: Idx64 and HKDF state (K and E unused). */
const startIndex = (stream: Uint8Array, generation: Generation): MessageBoxIndex => {
  const material = stream.slice(64, 80)
  if (generation === "hpqc-v0.0.78") {
    material[0]! &= 0x2f
    material[8]! &= 0x2f
  } else {
    material[7]! &= 0x3f
    material[15]! &= 0x3f
  }
  const view = new DataView(material.buffer)
  const start = new Uint8Array(MESSAGE_BOX_INDEX_SIZE)
  new DataView(start.buffer).setBigUint64(0, (view.getBigUint64(0, true) + view.getBigUint64(8, true)) & U64_MAX, true)
  start.set(stream.subarray(32, 64), 72)
  return new MessageBoxIndex(start)
}
