/**
 * keystream.ts without node:crypto, for browser bundles (the "browser" field of package.json
 * maps one to the other): ChaCha20 (RFC 8439 block function, zero nonce, counter from 0) and
 * the Ed25519 public key of a seed (RFC 8032: SHA-512, clamp, scalar times the base point),
 * in plain TypeScript with BigInt field arithmetic. Tests hold both equal to node:crypto.
 */
import { sha512 } from "@noble/hashes/sha2.js"

const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n))

const quarter = (s: Uint32Array, a: number, b: number, c: number, d: number) => {
  s[a] = (s[a]! + s[b]!) | 0
  s[d] = rotl(s[d]! ^ s[a]!, 16)
  s[c] = (s[c]! + s[d]!) | 0
  s[b] = rotl(s[b]! ^ s[c]!, 12)
  s[a] = (s[a]! + s[b]!) | 0
  s[d] = rotl(s[d]! ^ s[a]!, 8)
  s[c] = (s[c]! + s[d]!) | 0
  s[b] = rotl(s[b]! ^ s[c]!, 7)
}

/** The first `length` bytes of the ChaCha20 keystream under a 32-byte `key`. */
export const chacha20Keystream = (key: Uint8Array, length: number): Uint8Array => {
  if (key.length !== 32) throw new RangeError("ChaCha20 key must be 32 bytes")
  const keyWords = new DataView(key.buffer, key.byteOffset, 32)
  const input = new Uint32Array(16)
  input.set([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574])
  for (let i = 0; i < 8; i++) input[4 + i] = keyWords.getUint32(i * 4, true)
  const out = new Uint8Array(length)
  const view = new DataView(out.buffer)
  const block = new Uint32Array(16)
  const tail = new DataView(new ArrayBuffer(64))
  for (let offset = 0, counter = 0; offset < length; offset += 64, counter++) {
    input[12] = counter
    block.set(input)
    for (let round = 0; round < 10; round++) {
      quarter(block, 0, 4, 8, 12)
      quarter(block, 1, 5, 9, 13)
      quarter(block, 2, 6, 10, 14)
      quarter(block, 3, 7, 11, 15)
      quarter(block, 0, 5, 10, 15)
      quarter(block, 1, 6, 11, 12)
      quarter(block, 2, 7, 8, 13)
      quarter(block, 3, 4, 9, 14)
    }
    for (let i = 0; i < 16; i++) tail.setUint32(i * 4, (block[i]! + input[i]!) >>> 0, true)
    const take = Math.min(64, length - offset)
    for (let i = 0; i < take; i++) view.setUint8(offset + i, tail.getUint8(i))
  }
  return out
}

const P = (1n << 255n) - 19n
const D = (-121665n * inverse(121666n)) % P
const mod = (a: bigint) => ((a % P) + P) % P

function inverse(a: bigint): bigint {
  // Fermat: a^(p-2) mod p.
  let result = 1n
  let base = ((a % P) + P) % P
  for (let e = P - 2n; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * base) % P
    base = (base * base) % P
  }
  return result
}

/** A point in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z. */
type Point = readonly [bigint, bigint, bigint, bigint]

const add = ([x1, y1, z1, t1]: Point, [x2, y2, z2, t2]: Point): Point => {
  const a = mod((y1 - x1) * (y2 - x2))
  const b = mod((y1 + x1) * (y2 + x2))
  const c = mod(2n * D * t1 * t2)
  const d = mod(2n * z1 * z2)
  const e = b - a
  const f = d - c
  const g = d + c
  const h = b + a
  return [mod(e * f), mod(g * h), mod(f * g), mod(e * h)]
}

const BASE_Y = mod(4n * inverse(5n))
const baseX = (): bigint => {
  // x from y: x² = (y² − 1) / (d·y² + 1), the even root.
  const y2 = mod(BASE_Y * BASE_Y)
  const x2 = mod((y2 - 1n) * inverse(D * y2 + 1n))
  let x = 1n
  let base = x2
  for (let e = (P + 3n) / 8n; e > 0n; e >>= 1n) {
    if (e & 1n) x = (x * base) % P
    base = (base * base) % P
  }
  if (mod(x * x - x2) !== 0n) x = mod(x * 19681161376707505956807079304988542015446066515923890162744021073123829784752n)
  return x % 2n === 0n ? x : P - x
}
const BASE_X = baseX()
const BASE: Point = [BASE_X, BASE_Y, 1n, mod(BASE_X * BASE_Y)]

/** The Ed25519 public key of a 32-byte seed (RFC 8032). */
export const ed25519PublicKey = (seed: Uint8Array): Uint8Array => {
  if (seed.length !== 32) throw new RangeError("Ed25519 seed must be 32 bytes")
  const h = sha512(seed)
  h[0]! &= 248
  h[31]! &= 127
  h[31]! |= 64
  let scalar = 0n
  for (let i = 31; i >= 0; i--) scalar = (scalar << 8n) | BigInt(h[i]!)
  let result: Point = [0n, 1n, 1n, 0n]
  let addend = BASE
  for (; scalar > 0n; scalar >>= 1n) {
    if (scalar & 1n) result = add(result, addend)
    addend = add(addend, addend)
  }
  const zInv = inverse(result[2])
  const x = mod(result[0] * zInv)
  let y = mod(result[1] * zInv)
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++, y >>= 8n) out[i] = Number(y & 0xffn)
  if (x & 1n) out[31]! |= 0x80
  return out
}
