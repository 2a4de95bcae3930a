/**
 * What a ThinClient subscriber sees: the daemon's events, decoded, plus the client's own
 * connection events.
 *
 * @since 0.1.0
 */
import type { PkiDocument, Response } from "@katzenpost-effect/core"
import * as Data from "effect/Data"

/**
 * The daemon's mixnet status changed (`connection_status_event`).
 *
 * @since 0.1.0
 * @category events
 */
export type ConnectionStatus = Response.ConnectionStatusEvent

/**
 * A new PKI document, decoded (`document` is undefined when the payload was null or could
 * not be decoded; `payload` keeps the raw bytes).
 *
 * @since 0.1.0
 * @category events
 */
export interface PkiDocumentEvent {
  readonly _tag: "PkiDocumentEvent"
  readonly epoch: number | undefined
  readonly document: PkiDocument.PkiDocument | undefined
  readonly payload: Uint8Array | null
}

/**
 * The connection to the daemon was lost. `graceful` when a `shutdown_event` preceded it.
 *
 * @since 0.1.0
 * @category events
 */
export class DaemonDisconnectedEvent extends Data.TaggedClass("DaemonDisconnectedEvent")<{
  readonly graceful: boolean
  readonly reason: string
}> {}

/**
 * The client reconnected and completed the handshake. `sameInstance` is false after a
 * daemon restart; `resumed` is the daemon's answer to the session token.
 *
 * @since 0.1.0
 * @category events
 */
export class DaemonReconnectedEvent extends Data.TaggedClass("DaemonReconnectedEvent")<{
  readonly sameInstance: boolean
  readonly resumed: boolean
  readonly replayed: number
}> {}

/**
 * Every event a subscriber can receive.
 *
 * @since 0.1.0
 * @category events
 */
export type ClientEvent =
  | ConnectionStatus
  | PkiDocumentEvent
  | Response.MessageSentEvent
  | Response.MessageReplyEvent
  | Response.MessageIdGarbageCollected
  | Response.ShutdownEvent
  | Response.UnknownResponse
  | DaemonDisconnectedEvent
  | DaemonReconnectedEvent
