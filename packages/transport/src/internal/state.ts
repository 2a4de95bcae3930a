/** The mutable state of one client. Only read and written inside `Effect.sync` blocks of its own fibers. */
import type { Geometry, InstanceToken, Response, Rpc } from "@katzenpost-effect/core"
import type * as Deferred from "effect/Deferred"
import type * as Scope from "effect/Scope"
import type { FramedConnection } from "../FramedConnection.js"
import type { TransportError } from "../ThinClient.js"
import type { MessageSendFailed } from "../TransportErrors.js"
import { Deadlines } from "./deadlines.js"
import { PendingTable } from "./pendingTable.js"
import * as PkiCache from "./pkiCache.js"
import type { DaemonGeneration } from "./sendable.js"

/** One established connection (handshake done). */
export interface Live {
  readonly connection: FramedConnection
  readonly scope: Scope.CloseableScope
  /** A `shutdown_event` arrived: the coming disconnect is the daemon stopping. */
  graceful: boolean
  /** An extra connection for local requests (`localConnections`), not the main one. */
  readonly lane: boolean
}

/** A request waiting for its reply. */
export interface PendingQuery {
  readonly operation: string
  /**
   * The encoded request: the first encoding until it is written, then encoded again from the
   * request whenever it is sent again (a reconnect, a lane's end), so a request waiting for
   * its reply holds no frame. Undefined when that fails (it failed its caller).
   */
  frame(): Uint8Array | undefined
  /** Lets go of the frame once written. */
  dropFrame(): void
  readonly arq: boolean
  /** The ARQ request itself, when `arq` (to answer it locally once cancelled). */
  readonly arqRequest: Rpc.ArqRequest | undefined
  /** The key a cancel request names this ARQ operation by (see cancels.ts). */
  readonly cancelKey: string | undefined
  /** The caller waits for a lost connection: an unwritten request is sent after the reconnect. */
  readonly wait: boolean
  /**
   * Sent again after a reconnect even when it was written: ARQ requests, and local repeatable
   * requests (pure computations in the daemon) whose caller waits for the connection.
   */
  readonly resend: boolean
  /** A cancel for it was sent: never replay it; the daemon's code-24 reply (or ours) completes it. */
  cancelled: boolean
  /** The connection it was last handed to: replay skips it there. */
  sentOn: Live | undefined
  /** The frame reached the socket of `sentOn`. */
  written: boolean
  /** Withdraws the frame from `sentOn`'s writer if it is still queued. */
  withdraw: () => void
  /** Completes the caller with the reply (checked against the request kind); once. */
  readonly succeed: (reply: Response.QueryReply) => void
  /** Completes the caller with an error; once. */
  readonly fail: (error: TransportError) => void
}

/** A request waiting for a free slot (`maxInFlight`); `start` registers and sends it. */
export interface Waiting {
  readonly operation: string
  /** Takes the slot and sends; false when it failed its caller instead (the slot stays free). */
  readonly start: () => boolean
  readonly fail: (error: TransportError) => void
}

/** Everything the client knows. */
export interface ClientState {
  closed: boolean
  live: Live | undefined
  /** The open extra connections for local requests (see lanes.ts). */
  lanes: Array<Live>
  /** Which connection the next local request takes: 0 the main one, i the lane i - 1. */
  nextLane: number
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
  /** Pending queries by query-id key (`idKey`). */
  readonly pending: PendingTable<PendingQuery>
  /** Requests in flight (registered and not completed), bounded by `maxInFlight`. */
  inFlight: number
  /** Requests waiting for a slot, oldest first. */
  readonly waiting: Array<Waiting>
  /** The live-clock timeouts of requests in flight or waiting for a slot. */
  readonly deadlines: Deadlines
  /** The rate limit of undecodable-message warnings: this second's window, and counts. */
  readonly undecodable: { windowStart: number; logged: number; suppressed: number; total: number }
  /** `blockingSendMessage` callers by hex SURB id. */
  readonly surbWaiters: Map<string, Deferred.Deferred<Response.MessageReplyEvent, TransportError | MessageSendFailed>>
}

/** The state before the first connection. */
export const initial = (): ClientState => ({
  closed: false,
  live: undefined,
  lanes: [],
  nextLane: 0,
  lastDisconnect: "not connected yet",
  gaveUp: false,
  mixnet: false,
  instanceToken: undefined,
  geometry: undefined,
  generation: "v0.0.73",
  pki: PkiCache.empty(),
  pending: new PendingTable(),
  inFlight: 0,
  waiting: [],
  deadlines: new Deadlines(),
  undecodable: { windowStart: Number.NEGATIVE_INFINITY, logged: 0, suppressed: 0, total: 0 },
  surbWaiters: new Map()
})
