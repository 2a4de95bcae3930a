/** The fake daemon's state: one "process" (instance) with its sessions and connections, plus the faults tests set. */
import type { AppId, Geometry, InstanceToken, PkiDocument, Request, Response } from "@katzenpost-effect/core"
import type { FramedConnection } from "@katzenpost-effect/transport"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as SubscriptionRef from "effect/SubscriptionRef"
import type { DaemonHandler, DaemonSession } from "../DaemonHandler.js"

/** How the fake greets a new connection. */
export interface HandshakeScript {
  /** Which of the initial pair comes first (the real v0.0.73 daemon: status). */
  readonly order?: "status-first" | "pki-first"
  /** Extra responses sent before the initial pair (a broadcast racing the registration). */
  readonly before?: ReadonlyArray<Response.KnownResponse>
  /** Extra responses sent between the two messages of the pair. */
  readonly between?: ReadonlyArray<Response.KnownResponse>
  /** Never answer `session_token` (the client's handshake must time out). */
  readonly withholdTokenReply?: boolean
  /**
   * Hold each new connection this long before its initial pair, one connection at a time,
   * whether or not its client is still there: kpclientd v0.0.104 waiting for a PKI document
   * (offline: 30 s) inside its accept loop.
   */
  readonly holdEachConnection?: Duration.DurationInput
}

/** One accepted connection. */
export interface Conn {
  readonly id: number
  readonly framed: FramedConnection.FramedConnection
  /** The AppID assigned on accept; replaced by the session's on resume. */
  appId: AppId
  session: Session | undefined
}

/** One application session (token → AppID), surviving disconnects until thin_close or restart. */
export interface Session {
  readonly appId: AppId
  /** Hex of the client token; undefined for a connection that never sent one (legacy). */
  readonly token: string | undefined
  conn: Conn | undefined
  /** Legacy replies held while disconnected, flushed before `session_token_reply` on resume. */
  readonly queued: Array<Response.KnownResponse>
  readonly api: DaemonSession
  /** False once ended: its replies go nowhere. */
  alive: boolean
}

/** One daemon process: everything here is lost on restart. */
export interface Instance {
  readonly token: InstanceToken
  readonly sessions: Map<string, Session>
  readonly conns: Set<Conn>
}

/** Options and run-time faults. */
export interface Settings {
  readonly version: "v0.0.73" | "newer"
  readonly geometry: Geometry
  readonly handler: DaemonHandler
  online: boolean
  pkiDocument: PkiDocument.PkiDocument | undefined
  handshake: HandshakeScript
  accepting: boolean
  echo: boolean
  /** Frames left before the connection receiving the last one is dropped (undefined: never). */
  dropAfter: number | undefined
  /** Replies held back while paused, released in order on resume. */
  paused: Array<Effect.Effect<void>> | undefined
  replyDelay: Duration.Duration | undefined
  /** Reproduce §2.3's hazard: an old socket closing after a resume unregisters the new connection. */
  readonly staleCloseHazard: boolean
  /** A request kind v0.0.73 does not know arrived: the real daemon would have panicked. */
  crashed: boolean
  /** Sends with SURB waiting for the daemon to go online. */
  readonly offlineSends: Array<{ readonly session: Session; readonly request: Request.SendMessage }>
}

/** Observable history for tests. */
export interface Journal {
  readonly requests: SubscriptionRef.SubscriptionRef<ReadonlyArray<Request.Request>>
  readonly handshakes: SubscriptionRef.SubscriptionRef<number>
  /** Connections accepted (refused ones included). */
  readonly attempts: SubscriptionRef.SubscriptionRef<number>
  /** Open connections of the current process. */
  readonly open: SubscriptionRef.SubscriptionRef<number>
}
