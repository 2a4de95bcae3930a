/** The current PKI document and those of the last few epochs. */
import type { PkiDocument } from "@katzenpost-effect/core"

/** Mutable cache owned by one client; only touched inside `Effect.sync`. */
export interface PkiCache {
  current: PkiDocument.PkiDocument | undefined
  readonly byEpoch: Map<number, PkiDocument.PkiDocument>
}

/** An empty cache. */
export const empty = (): PkiCache => ({ current: undefined, byEpoch: new Map() })

/** Records a document; returns whether it is a new epoch. Keeps at most `history` epochs. */
export const add = (cache: PkiCache, document: PkiDocument.PkiDocument, history: number): boolean => {
  const isNew = cache.current?.Epoch !== document.Epoch
  if (cache.current === undefined || document.Epoch >= cache.current.Epoch) cache.current = document
  cache.byEpoch.set(document.Epoch, document)
  const epochs = [...cache.byEpoch.keys()].sort((a, b) => a - b)
  for (const epoch of epochs.slice(0, Math.max(0, epochs.length - history))) cache.byEpoch.delete(epoch)
  return isNew
}

/** The document of `epoch`, falling back to the current one (like the Go client). */
export const forEpoch = (cache: PkiCache, epoch: number): PkiDocument.PkiDocument | undefined => cache.byEpoch.get(epoch) ?? cache.current
