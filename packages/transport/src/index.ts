/**
 * @katzenpost-effect/transport — the ThinClient service.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * from "./ClientEvent.js"
/** @since 0.1.0 */
export * as ThinClientConfig from "./Config.js"
/** @since 0.1.0 */
export * as Directory from "./Directory.js"
/** @since 0.1.0 */
export * as FramedConnection from "./FramedConnection.js"
/** @since 0.1.0 */
export * as ThinClient from "./ThinClient.js"
export type {
  /**
   * Options of `ThinClient.request` (also `ThinClient.RequestOptions`).
   *
   * @since 0.1.0
   * @category models
   */
  RequestOptions,
  /**
   * Every error a request can fail with (also `ThinClient.TransportError`).
   *
   * @since 0.1.0
   * @category errors
   */
  TransportError
} from "./ThinClient.js"
/** @since 0.1.0 */
export * from "./TransportErrors.js"
/** @since 0.2.0 */
export * from "./ConnectionState.js"
/** @since 0.2.0 */
export * as Telemetry from "./Telemetry.js"
