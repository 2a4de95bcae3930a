/** Builds courier queries: what encrypt_read / encrypt_write and the copy-stream packers emit. */
import { Bacap, EnvelopeDescriptor, EnvelopeHash, type MessageBoxIndex, randomBytes } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import { boxId, seal } from "./box.js"
import type { EngineContext } from "./context.js"
import { encodeDescriptor, encodeQuery, envelopeKeyHash, pad, type QueryKind } from "./query.js"

/** A courier query ready to send, with what the client needs to send it. */
export interface SealedQuery {
  readonly ciphertext: Uint8Array
  readonly descriptor: EnvelopeDescriptor
  readonly envelopeHash: EnvelopeHash
}

/** The shard's two replicas for a box, as replica ids from the document. */
const replicasFor = (context: EngineContext, id: Uint8Array): readonly [number, number] => {
  const replicas = context.document.StorageReplicas ?? []
  const first = (id[0] ?? 0) % Math.max(replicas.length, 1)
  const second = (first + 1) % Math.max(replicas.length, 1)
  return [replicas[first]?.ReplicaID ?? 0, replicas[second]?.ReplicaID ?? 0]
}

/** Whether the engine can encrypt now: a current PKI document with at least two storage replicas. */
export const canEncrypt = (context: EngineContext): boolean => context.knobs.hasPkiDocument && (context.document.StorageReplicas?.length ?? 0) >= 2

/**
 * Seals one query for the box at `index` of the stream rooted at `root`. `plaintext` is the
 * data of a write, empty for a tombstone, `undefined` for a read.
 */
export const sealQuery = (
  context: EngineContext,
  root: Uint8Array,
  index: MessageBoxIndex,
  plaintext: Uint8Array | undefined
): Effect.Effect<SealedQuery> =>
  Effect.map(randomBytes(32), (envelopeKey) => {
    const max = context.geometry.pigeonhole.MaxPlaintextPayloadLength
    const id = boxId(root, index)
    const kind: QueryKind = plaintext === undefined ? "read" : plaintext.length === 0 ? "tombstone" : "write"
    const body = kind === "write" && plaintext !== undefined ? seal(index, id, pad(plaintext, max)) : new Uint8Array(max + 4)
    const ciphertext = encodeQuery({ kind, boxId: id, envelopeKeyHash: envelopeKeyHash(envelopeKey), body })
    return {
      ciphertext,
      descriptor: new EnvelopeDescriptor(encodeDescriptor(envelopeKey, replicasFor(context, id))),
      envelopeHash: EnvelopeHash.make(Bacap.blake2b256(ciphertext))
    }
  })
