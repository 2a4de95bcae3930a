/**
 * The storage side of the fake mixnet: the replicas' boxes and the couriers' memory of
 * finished copy commands. It outlives a daemon restart, as the real network does.
 */
import { hex } from "./bytes.js"

/** What a box holds: sealed padded data, or a tombstone. */
export type BoxContent =
  | { readonly _tag: "Data"; readonly sealed: Uint8Array }
  | { readonly _tag: "Tombstone" }

/** One version of a box and when replication makes it readable. */
export interface BoxVersion {
  readonly content: BoxContent
  readonly visibleAt: number
}

/** How a finished copy command ended. */
export interface CopyOutcome {
  readonly errorCode: number
  readonly replicaErrorCode: number
  readonly failedEnvelopeIndex: bigint
}

/**
 * The replicas and couriers shared by every engine (daemon instance) built on it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Network {
  /** Box versions by hex box id, oldest first. */
  readonly boxes: Map<string, Array<BoxVersion>>
  /** Finished copy commands by hex WriteCap hash (a replayed command gets the same answer). */
  readonly copies: Map<string, CopyOutcome>
}

/** An empty network. */
export const makeNetwork = (): Network => ({ boxes: new Map(), copies: new Map() })

/** The newest version of a box readable at `now`, and whether any version exists at all. */
export const lookup = (
  network: Network,
  boxId: Uint8Array,
  now: number
): { readonly exists: boolean; readonly visible: BoxVersion | undefined; readonly newest: BoxVersion | undefined } => {
  const versions = network.boxes.get(hex(boxId)) ?? []
  let visible: BoxVersion | undefined
  for (const version of versions) if (version.visibleAt <= now) visible = version
  return { exists: versions.length > 0, visible, newest: versions.at(-1) }
}

/**
 * Stores a box version. Boxes are write-once: data onto an existing box is refused
 * ("exists"); a tombstone always lands, over data or another tombstone (deleting is what it
 * is for), so it is never "exists".
 */
export const store = (network: Network, boxId: Uint8Array, version: BoxVersion): "created" | "exists" => {
  const key = hex(boxId)
  const versions = network.boxes.get(key)
  if (versions === undefined) {
    network.boxes.set(key, [version])
    return "created"
  }
  if (version.content._tag === "Data") return "exists"
  versions.push(version)
  return "created"
}
