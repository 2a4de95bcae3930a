/**
 * @katzenpost-effect/testing — a fake kpclientd speaking the real wire protocol, offered as Layers.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * from "./DaemonHandler.js"
/** @since 0.1.0 */
export * as FakeDaemon from "./FakeDaemon.js"
/** @since 0.1.0 */
export * as PigeonholeEngine from "./PigeonholeEngine.js"
/** @since 0.1.0 */
export * as PlausiblePki from "./PlausiblePki.js"
/** @since 0.2.0 */
export * as SpanRecorder from "./SpanRecorder.js"
