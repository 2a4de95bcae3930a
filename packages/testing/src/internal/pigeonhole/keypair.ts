/**
 * `new_keypair` as the fake daemon does it: a deterministic WriteCap from a seed, with the
 * real 168-byte layout (Ed25519 seed ‖ public key ‖ first MessageBoxIndex).
 *
 * The real daemon feeds the seed to a ChaCha20 keystream (hpqc `NewDeterministicRandReader`)
 * and reads the Ed25519 key, HKDF state and start index from it, so its caps differ from ours
 * for the same seed. Ours come from HKDF-BLAKE2b-512 over the seed; what matches the real
 * daemon is the layout, the determinism, and the one `NextIndex` applied to the start index.
 */
import { Bacap, MESSAGE_BOX_INDEX_SIZE, MessageBoxIndex, WriteCap } from "@katzenpost-effect/core"
import { blake2b } from "@noble/hashes/blake2.js"
import { hkdf } from "@noble/hashes/hkdf.js"
import * as Either from "effect/Either"
import { createPrivateKey, createPublicKey } from "node:crypto"
import { concat, label } from "./bytes.js"

const INFO = label("katzenpost-effect fake kpclientd new_keypair v1")
// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows.
const PKCS8_ED25519 = Uint8Array.from(Buffer.from("302e020100300506032b657004220420", "hex"))
// Start indexes stay below 2^62 so a stream never nears the 64-bit overflow.
const START_MASK = (1n << 62n) - 1n

/** The Ed25519 public key of a 32-byte seed (RFC 8032), via node:crypto. */
export const ed25519PublicKey = (seed: Uint8Array): Uint8Array => {
  const key = createPrivateKey({ key: Buffer.from(concat(PKCS8_ED25519, seed)), format: "der", type: "pkcs8" })
  const spki = createPublicKey(key).export({ format: "der", type: "spki" })
  return new Uint8Array(spki.subarray(spki.length - 32))
}

/** The WriteCap a seed derives to; `Left` only if the start index cannot advance (never, given the mask). */
export const writeCapFromSeed = (seed: Uint8Array): Either.Either<WriteCap, string> => {
  const okm = hkdf(blake2b, seed, new Uint8Array(0), INFO, 32 + 8 + 32 + 32 + 32)
  const edSeed = okm.slice(0, 32)
  const start = new Uint8Array(MESSAGE_BOX_INDEX_SIZE)
  const view = new DataView(start.buffer)
  view.setBigUint64(0, new DataView(okm.buffer, okm.byteOffset + 32, 8).getBigUint64(0, true) & START_MASK, true)
  start.set(okm.subarray(40, 136), 8) // K ‖ E ‖ H
  return Either.mapBoth(Bacap.nextIndex(new MessageBoxIndex(start)), {
    onLeft: (error) => error.reason,
    onRight: (first) => new WriteCap(concat(edSeed, ed25519PublicKey(edSeed), first.bytes))
  })
}
