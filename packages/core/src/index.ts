/**
 * @katzenpost-effect/core — the thin-client wire protocol as Schemas, codecs and typed
 * errors. No I/O.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Bacap from "./Bacap.js"
/** @since 0.1.0 */
export * from "./Capabilities.js"
/** @since 0.1.0 */
export * from "./ClientError.js"
/** @since 0.1.0 */
export * as Codec from "./Codec.js"
/** @since 0.1.0 */
export * from "./DaemonError.js"
/** @since 0.1.0 */
export * as ErrorCodes from "./ErrorCodes.js"
/** @since 0.1.0 */
export * as Frame from "./Frame.js"
/** @since 0.1.0 */
export * from "./Geometry.js"
/** @since 0.1.0 */
export * from "./Ids.js"
/** @since 0.1.0 */
export * as PkiDocument from "./PkiDocument.js"
/** @since 0.1.0 */
export * from "./ProtocolError.js"
/** @since 0.1.0 */
export * as Request from "./Request.js"
/** @since 0.1.0 */
export * as Response from "./Response.js"
/** @since 0.1.0 */
export * as Rpc from "./Rpc.js"
