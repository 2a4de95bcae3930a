/**
 * The engine's own ciphertext formats. The SDK never looks inside them; only the engine
 * reads them back. A courier query (`message_ciphertext`, and each courier envelope of a
 * copy stream) is:
 *
 *   "KPFQ" ‖ version 1 ‖ kind ‖ box id (32) ‖ BLAKE2b-256(envelope key) (32) ‖ u32 len ‖ body
 *
 * where the body is the sealed, padded plaintext for a write and zeros of the same length
 * for reads and tombstones (the real daemon pads reads and tombstones to look like writes).
 * An envelope descriptor is "KPFD" ‖ envelope key (32) ‖ replica numbers (2); the key
 * stands for the real descriptor's MKEM private key.
 */
import { blake2b } from "@noble/hashes/blake2.js"
import { concat, label, Reader, sameBytes, u32be } from "./bytes.js"

const QUERY_MAGIC = label("KPFQ")
const DESCRIPTOR_MAGIC = label("KPFD")
const VERSION = 1

/** What a courier query asks for. */
export type QueryKind = "read" | "write" | "tombstone"
const kinds: ReadonlyArray<QueryKind> = ["read", "write", "tombstone"]

/** A decoded courier query. */
export interface CourierQuery {
  readonly kind: QueryKind
  readonly boxId: Uint8Array
  readonly envelopeKeyHash: Uint8Array
  /** Sealed padded plaintext (writes); zeros otherwise. */
  readonly body: Uint8Array
}

/** BLAKE2b-256 of an envelope key, as carried in the query. */
export const envelopeKeyHash = (envelopeKey: Uint8Array): Uint8Array => blake2b(envelopeKey, { dkLen: 32 })

/** Serializes a courier query. */
export const encodeQuery = (query: CourierQuery): Uint8Array =>
  concat(
    QUERY_MAGIC,
    Uint8Array.of(VERSION, kinds.indexOf(query.kind)),
    query.boxId,
    query.envelopeKeyHash,
    u32be(query.body.length),
    query.body
  )

/** Parses a courier query; `undefined` if it is not one of ours. */
export const decodeQuery = (bytes: Uint8Array): CourierQuery | undefined => {
  const reader = new Reader(bytes)
  const magic = reader.take(4)
  if (magic === undefined || !sameBytes(magic, QUERY_MAGIC) || reader.u8() !== VERSION) return undefined
  const kind = kinds[reader.u8() ?? -1]
  const boxId = reader.take(32)
  const keyHash = reader.take(32)
  const length = reader.u32()
  const body = length === undefined ? undefined : reader.take(length)
  if (kind === undefined || boxId === undefined || keyHash === undefined || body === undefined || reader.remaining !== 0) {
    return undefined
  }
  return { kind, boxId, envelopeKeyHash: keyHash, body }
}

/** Pads a plaintext to `maxPlaintext + 4` bytes: u32 length ‖ plaintext ‖ zeros. */
export const pad = (plaintext: Uint8Array, maxPlaintext: number): Uint8Array =>
  concat(u32be(plaintext.length), plaintext, new Uint8Array(maxPlaintext - plaintext.length))

/** The plaintext inside a padded body; `undefined` if the length prefix is impossible. */
export const unpad = (padded: Uint8Array): Uint8Array | undefined => {
  const reader = new Reader(padded)
  const length = reader.u32()
  return length === undefined ? undefined : reader.take(length)?.slice()
}

/** Serializes an envelope descriptor. */
export const encodeDescriptor = (envelopeKey: Uint8Array, replicas: readonly [number, number]): Uint8Array =>
  concat(DESCRIPTOR_MAGIC, envelopeKey, Uint8Array.from(replicas))

/** The envelope key inside a descriptor; `undefined` if it is not one of ours. */
export const descriptorKey = (bytes: Uint8Array): Uint8Array | undefined => {
  const reader = new Reader(bytes)
  const magic = reader.take(4)
  if (magic === undefined || !sameBytes(magic, DESCRIPTOR_MAGIC)) return undefined
  const key = reader.take(32)
  return reader.take(2) === undefined || reader.remaining !== 0 ? undefined : key
}
