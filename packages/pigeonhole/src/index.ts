/**
 * @katzenpost-effect/pigeonhole — Pigeonhole (BACAP streams, ARQ, copy streams) as Effect
 * services over the ThinClient.
 *
 * The experimental nested copy lives in its own entry point,
 * `@katzenpost-effect/pigeonhole/NestedCopy`, off this default path.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Arq from "./Arq.js"
/** @since 0.1.0 */
export * as ContactVoucher from "./ContactVoucher.js"
/** @since 0.1.0 */
export * as CopyStream from "./CopyStream.js"
/** @since 0.1.0 */
export * as Courier from "./Courier.js"
/** @since 0.1.0 */
export * as Envelope from "./Envelope.js"
/** @since 0.1.0 */
export * as Keypair from "./Keypair.js"
/** @since 0.1.0 */
export * as Pigeonhole from "./Pigeonhole.js"
/** @since 0.1.0 */
export * as Streams from "./Streams.js"
/** @since 0.2.0 */
export * as Telemetry from "./Telemetry.js"

export {
  /**
   * Tombstone, BoxIdNotFound and BoxAlreadyExists are outcomes an application expects (a
   * deleted box, a box not written yet, a write already done), not failures.
   *
   * @since 0.1.0
   * @category predicates
   */
  isExpectedOutcome
} from "./internal/expected.js"
/** @since 0.2.0 */
export * as Progress from "./Progress.js"
