/**
 * Box ids and box sealing. A box id binds the stream's root public key to the index's
 * blinding factor, so writer (WriteCap) and reader (ReadCap) compute the same id; the box
 * body is sealed with a keystream from the index's encryption key, so only holders of the
 * index can read it. Real BACAP blinds an Ed25519 key and uses AES-GCM-SIV; this is the
 * fake's stand-in with the same who-can-compute-what.
 */
import type { MessageBoxIndex, ReadCap, WriteCap } from "@katzenpost-effect/core"
import { blake2b } from "@noble/hashes/blake2.js"
import { hkdf } from "@noble/hashes/hkdf.js"
import { concat, label, u32be } from "./bytes.js"

const BOX_ID = label("katzenpost-effect fake box id v1")
// The daemon's per-box key context (client/constants/constants.go).
const CONTEXT = label("pigeonhole context")
const BLOCK = 255 * 64

/** The root public key of a WriteCap (bytes 32..64). */
export const writeCapRoot = (writeCap: WriteCap): Uint8Array => writeCap.bytes.subarray(32, 64)

/** The root public key of a ReadCap (bytes 0..32). */
export const readCapRoot = (readCap: ReadCap): Uint8Array => readCap.bytes.subarray(0, 32)

/** The 32-byte id of the box at `index` of the stream rooted at `root`. */
export const boxId = (root: Uint8Array, index: MessageBoxIndex): Uint8Array =>
  blake2b(concat(BOX_ID, root, index.bytes.subarray(8, 40)), { dkLen: 32 })

/** Seals (or unseals: it is an XOR) a box body under the index's encryption key. */
export const seal = (index: MessageBoxIndex, id: Uint8Array, body: Uint8Array): Uint8Array => {
  if (body.length === 0) return new Uint8Array(0)
  const out = new Uint8Array(body.length)
  // HKDF-BLAKE2b-512 yields at most 255 blocks of 64 bytes per call: key one call per block run.
  for (let block = 0; block * BLOCK < body.length; block++) {
    const start = block * BLOCK
    const length = Math.min(BLOCK, body.length - start)
    const stream = hkdf(blake2b, index.bytes.subarray(40, 72), CONTEXT, concat(id, u32be(block)), length)
    for (let i = 0; i < length; i++) out[start + i] = body[start + i]! ^ stream[i]!
  }
  return out
}
