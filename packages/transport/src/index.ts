/**
 * @katzenpost-effect/transport — the ThinClient service.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * from "./ClientEvent.js"
/** @since 0.1.0 */
export * from "./ThinClient.js"
