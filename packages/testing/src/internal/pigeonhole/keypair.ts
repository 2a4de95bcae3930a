/**
 * Ed25519 public keys for the fake's PKI documents (node identity keys). Keypairs themselves
 * come from core `Bacap.newKeypair`, exactly as kpclientd v0.0.73 derives them.
 */
import { createPrivateKey, createPublicKey } from "node:crypto"
import { concat } from "./bytes.js"

// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows.
const PKCS8_ED25519 = Uint8Array.from(Buffer.from("302e020100300506032b657004220420", "hex"))

/** The Ed25519 public key of a 32-byte seed (RFC 8032), via node:crypto. */
export const ed25519PublicKey = (seed: Uint8Array): Uint8Array => {
  const key = createPrivateKey({ key: Buffer.from(concat(PKCS8_ED25519, seed)), format: "der", type: "pkcs8" })
  const spki = createPublicKey(key).export({ format: "der", type: "spki" })
  return new Uint8Array(spki.subarray(spki.length - 32))
}
