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
/** @since 0.1.0 */
export type { RequestOptions, TransportError } from "./ThinClient.js"
/** @since 0.1.0 */
export * from "./TransportErrors.js"
