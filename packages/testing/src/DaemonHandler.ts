/**
 * The seam between the fake daemon's socket shell (framing, handshake, sessions, faults) and
 * the engines that give requests their meaning (Pigeonhole, echo).
 *
 * @since 0.1.0
 */
import type { Request, Response } from "@katzenpost-effect/core"
import type * as Effect from "effect/Effect"

/**
 * One application session of the fake daemon, as an engine sees it.
 *
 * @since 0.1.0
 * @category models
 */
export interface DaemonSession {
  /** The daemon's id for this session (`session_token_reply.app_id`). */
  readonly appId: Uint8Array
  /** Sends a response to this session's current connection; dropped if none (like the real daemon). */
  readonly reply: (response: Response.KnownResponse) => Effect.Effect<void>
  /** Whether the session has a connection right now (false between a disconnect and its resume). */
  readonly connected: Effect.Effect<boolean>
}

/**
 * What the socket shell calls for each decoded request, and when a session ends
 * (`thin_close` or grace-period expiry).
 *
 * @since 0.1.0
 * @category models
 */
export interface DaemonHandler {
  /** Handles one request of a session; replies go through `session.reply`, now or later. */
  readonly handle: (session: DaemonSession, request: Request.Request) => Effect.Effect<void>
  /** Destroys all state of a session (ARQ entries included) without replying. */
  readonly endSession: (appId: Uint8Array) => Effect.Effect<void>
}
