/** What every request handler of the engine shares: configuration, mutable knobs, state. */
import type { Geometry, PkiDocument, Response } from "@katzenpost-effect/core"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { DaemonSession } from "../../DaemonHandler.js"
import { hex } from "./bytes.js"
import type { Courier } from "./couriers.js"
import type { InFlight } from "./inflight.js"
import type { Network } from "./network.js"

/** How long the simulated mixnet takes. */
export interface Timing {
  /** One courier round trip (ACK or payload reply). */
  readonly roundTrip: Duration.Duration
  /** How long a read waits before asking again after BoxIdNotFound. */
  readonly readRetryInterval: Duration.Duration
  /** How often an unfinished copy command is polled (the daemon's CopyPollInterval, 5 s). */
  readonly copyPollInterval: Duration.Duration
}

/** The engine's shared state. */
export interface EngineContext {
  readonly geometry: Geometry
  readonly document: PkiDocument.PkiDocument
  readonly network: Network
  readonly timing: Timing
  readonly knobs: { replicationLag: Duration.Duration; hasPkiDocument: boolean }
  readonly inFlight: InFlight
  /** The latest session object seen per app id: replies follow the session to its current connection. */
  readonly sessions: Map<string, DaemonSession>
  /** Every copy command accepted, with the courier it went to. */
  readonly copyLog: Array<{ readonly courier: Courier; readonly pinned: boolean }>
  /** Where ARQ fibers live; closing it stops them all. */
  readonly scope: Scope.Scope
}

/** Sends a response to a session's current connection (dropped when it has none). */
export const replyTo = (context: EngineContext, appId: Uint8Array, response: Response.KnownResponse): Effect.Effect<void> =>
  Effect.suspend(() => context.sessions.get(hex(appId))?.reply(response) ?? Effect.void)

/** Sleeps, skipping zero durations. */
export const pause = (duration: Duration.Duration): Effect.Effect<void> =>
  Duration.toMillis(duration) <= 0 ? Effect.void : Effect.sleep(duration)

/** The current time (milliseconds, from the Effect Clock so TestClock drives it). */
export const now: Effect.Effect<number> = Clock.currentTimeMillis

/** The replication lag now, in milliseconds. */
export const lagMillis = (context: EngineContext): number => Duration.toMillis(context.knobs.replicationLag)
