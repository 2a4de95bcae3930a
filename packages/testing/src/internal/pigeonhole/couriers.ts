/** Courier choice from the engine's PKI document, as the daemon does it (random `"courier"` service). */
import { NodeIdHash, PkiDocument } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import { sameBytes } from "./bytes.js"

/** Where courier queries go; echoed in every terminal ARQ reply. */
export interface Courier {
  readonly identityHash: NodeIdHash
  readonly queueId: Uint8Array
}

/** Every courier the document lists. */
export const couriers = (document: PkiDocument.PkiDocument): ReadonlyArray<Courier> =>
  PkiDocument.findServices(document, "courier").map((s) => ({ identityHash: s.destinationIdHash, queueId: s.recipientQueueId }))

/** A random courier, or `undefined` when the document has none. */
export const pickCourier = (document: PkiDocument.PkiDocument): Effect.Effect<Courier | undefined> => {
  const all = couriers(document)
  return all.length === 0 ? Effect.succeed(undefined) : Effect.map(Random.nextIntBetween(0, all.length), (i) => all[i])
}

/** Whether the document lists this courier (a pinned courier it does not list never answers). */
export const isListed = (document: PkiDocument.PkiDocument, courier: Courier): boolean =>
  couriers(document).some((c) => sameBytes(c.identityHash, courier.identityHash) && sameBytes(c.queueId, courier.queueId))

/** A courier named by the client. */
export const pinned = (identityHash: Uint8Array, queueId: Uint8Array): Courier => ({
  identityHash: NodeIdHash.make(identityHash),
  queueId
})
