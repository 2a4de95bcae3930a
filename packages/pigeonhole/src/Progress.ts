/**
 * Progress of long Pigeonhole work. On a real mixnet a 10 KiB payload takes minutes, most of
 * it in the daemon's per-envelope work and the courier's per-box writes.
 *
 * @since 0.2.0
 */
import type * as Effect from "effect/Effect"

/**
 * Where a `sendPayload` is: packing the payload into copy stream elements (one daemon call),
 * writing the temporary boxes (`boxesWritten` of `boxes`), waiting for the courier's copy,
 * or done.
 *
 * @since 0.2.0
 * @category models
 */
export interface PayloadProgress {
  readonly phase: "packing" | "writing" | "copying" | "done"
  /** Temporary copy stream boxes written so far. */
  readonly boxesWritten: number
  /** Temporary copy stream boxes in all (0 while packing). */
  readonly boxes: number
}

/**
 * A progress callback. It runs on the working fiber between steps, so keep it short (log,
 * update a Ref, offer to a queue).
 *
 * @since 0.2.0
 * @category models
 */
export type OnProgress = (progress: PayloadProgress) => Effect.Effect<void>
