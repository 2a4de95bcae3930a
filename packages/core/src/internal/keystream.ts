/**
 * The two primitives of `new_keypair` that `@noble/hashes` does not offer, via node:crypto:
 * the ChaCha20 keystream of hpqc `NewDeterministicRandReader` and the Ed25519 public key of
 * a raw seed. Both are pure (same input, same bytes) and throw only on a wrong-length input.
 */
import { createCipheriv, createPrivateKey, createPublicKey } from "node:crypto"

// OpenSSL's ChaCha20 iv: 4-byte little-endian block counter ‖ 12-byte nonce. All zero, as in
// hpqc (zero nonce, counter 0).
const ZERO_IV = new Uint8Array(16)
// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows.
const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex")

/** The first `length` bytes of the ChaCha20 keystream under a 32-byte `key`. */
export const chacha20Keystream = (key: Uint8Array, length: number): Uint8Array => {
  const cipher = createCipheriv("chacha20", key, ZERO_IV)
  const stream = Buffer.concat([cipher.update(new Uint8Array(length)), cipher.final()])
  return new Uint8Array(stream.buffer, stream.byteOffset, stream.length)
}

/** The Ed25519 public key of a 32-byte seed (RFC 8032), the last 32 bytes of its SPKI DER. */
export const ed25519PublicKey = (seed: Uint8Array): Uint8Array => {
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: "der", type: "pkcs8" })
  const spki = createPublicKey(key).export({ format: "der", type: "spki" })
  return new Uint8Array(spki.subarray(spki.length - 32))
}
