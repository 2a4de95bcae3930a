/** The mutable state of one client. Only read and written inside `Effect.sync` blocks of its own fibers. */
import type { Geometry, InstanceToken, Response, Rpc } from "@katzenpost-effect/core"
import type * as Deferred from "effect/Deferred"
import type * as Scope from "effect/Scope"
import type { FramedConnection } from "../FramedConnection.js"
import type { MessageSendFailed } from "../TransportErrors.js"
import type { TransportError } from "../ThinClient.js"
import * as PkiCache from "./pkiCache.js"
import type { DaemonGeneration } from "./sendable.js"

/** One established connection (handshake done). */
export interface Live {
  readonly connection: FramedConnection
  readonly scope: Scope.CloseableScope
  /** A `shutdown_event` arrived: the coming disconnect is the daemon stopping. */
  graceful: boolean
}

/** A request waiting for its reply. */
export interface PendingQuery {
  readonly operation: string
  /** The encoded request, kept to replay ARQ requests verbatim. */
  readonly body: Uint8Array
  readonly arq: boolean
  /** The ARQ request itself, when `arq` (to answer it locally once cancelled). */
  readonly arqRequest: Rpc.ArqRequest | undefined
  /** The key a cancel request names this ARQ operation by (see cancels.ts). */
  readonly cancelKey: string | undefined
  /** A cancel for it was sent: never replay it; the daemon's code-24 reply (or ours) completes it. */
  cancelled: boolean
  readonly deferred: Deferred.Deferred<Response.QueryReply, TransportError>
  /** The connection it was last written to: replay skips it there. */
  sentOn: Live | undefined
}

/** Everything the client knows. */
export interface ClientState {
  closed: boolean
  live: Live | undefined
  /** Why the last connection ended, for `DaemonDisconnected` errors. */
  lastDisconnect: string
  /** The reconnect schedule ended without success. */
  gaveUp: boolean
  /** The daemon's mixnet status. */
  mixnet: boolean
  instanceToken: InstanceToken | undefined
  geometry: Geometry | undefined
  generation: DaemonGeneration
  readonly pki: PkiCache.PkiCache
  /** Pending queries by hex query id. */
  readonly pending: Map<string, PendingQuery>
  /** `blockingSendMessage` callers by hex SURB id. */
  readonly surbWaiters: Map<string, Deferred.Deferred<Response.MessageReplyEvent, TransportError | MessageSendFailed>>
}

/** The state before the first connection. */
export const initial = (): ClientState => ({
  closed: false,
  live: undefined,
  lastDisconnect: "not connected yet",
  gaveUp: false,
  mixnet: false,
  instanceToken: undefined,
  geometry: undefined,
  generation: "v0.0.73",
  pki: PkiCache.empty(),
  pending: new Map(),
  surbWaiters: new Map()
})
