/**
 * Copy streams: payloads packed as courier envelopes ("copy stream elements"), written to a
 * temporary stream, then executed by a courier in one copy command. This moves payloads of
 * any size (up to 10 MiB per call) atomically: the courier writes all of it, or none.
 *
 * @since 0.1.0
 */
import { Bacap, type MessageBoxIndex, type WriteCap, type WriteCapHash } from "@katzenpost-effect/core"

/**
 * The largest payload (per call, per destination) the daemon packs: 10 MiB.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_COPY_PAYLOAD = 10 * 1024 * 1024

/**
 * One destination of a multi-payload copy stream: `payload` goes to the stream `writeCap`
 * writes, from `startIndex` on.
 *
 * @since 0.1.0
 * @category models
 */
export interface Destination {
  readonly payload: Uint8Array
  readonly writeCap: WriteCap
  readonly startIndex: MessageBoxIndex
}

/**
 * Where a call sits in its copy stream: the first call sets `isStart`, the last `isLast`.
 * A single-call stream sets both (the default).
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamPosition {
  readonly isStart?: boolean
  readonly isLast?: boolean
}

/**
 * Elements of one payload (`createCourierEnvelopesFromPayload`): write each to one box of the
 * temporary stream. `nextDestIndex` is where a following payload to the same destination starts.
 *
 * @since 0.1.0
 * @category models
 */
export interface PayloadEnvelopes {
  readonly envelopes: ReadonlyArray<Uint8Array>
  readonly nextDestIndex: MessageBoxIndex
}

/**
 * Elements of several payloads packed together (`createCourierEnvelopesFromMultiPayload`).
 * `buffer` is the encoder's residue: pass it to the next call of the same stream (and persist
 * it if the stream must survive a crash). It is `undefined` once `isLast` flushed it.
 * `nextDestIndices` has one entry per destination, in order.
 *
 * @since 0.1.0
 * @category models
 */
export interface MultiPayloadEnvelopes {
  readonly envelopes: ReadonlyArray<Uint8Array>
  readonly buffer: Uint8Array | undefined
  readonly nextDestIndices: ReadonlyArray<MessageBoxIndex>
}

/**
 * Tombstones for a range of destination boxes, packed as copy stream elements
 * (`createCourierEnvelopesFromTombstoneRange`). `buffer` as in `MultiPayloadEnvelopes`.
 *
 * @since 0.1.0
 * @category models
 */
export interface TombstoneRangeEnvelopes {
  readonly envelopes: ReadonlyArray<Uint8Array>
  readonly buffer: Uint8Array | undefined
  readonly nextDestIndex: MessageBoxIndex
}

/**
 * The id of a copy command, to cancel it: BLAKE2b-256 of the temporary stream's WriteCap.
 *
 * @since 0.1.0
 * @category hashing
 */
export const writeCapHash = (writeCap: WriteCap): WriteCapHash => Bacap.writeCapHash(writeCap)
