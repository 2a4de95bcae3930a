/** What every request handler of the engine shares: configuration, mutable knobs, state. */
import type { Geometry, PkiDocument, Response } from "@katzenpost-effect/core"
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as SubscriptionRef from "effect/SubscriptionRef"
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
  /** `inFlight.size`, republished after every change so tests can wait for a count. */
  readonly inFlightSize: SubscriptionRef.SubscriptionRef<number>
  /**
   * Like v0.0.73: a retransmit or courier reply that finds the session without a connection
   * stops the operation's fiber and leaves its entry in the table (false: keep running).
   */
  readonly stallWhileDisconnected: boolean
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
export const pause = (duration: Duration.Duration): Effect.Effect<void> => Duration.toMillis(duration) <= 0 ? Effect.void : Effect.sleep(duration)

/** The current time (milliseconds, from the Effect Clock so TestClock drives it). */
export const now: Effect.Effect<number> = Clock.currentTimeMillis

/** The replication lag now, in milliseconds. */
export const lagMillis = (context: EngineContext): number => Duration.toMillis(context.knobs.replicationLag)

/** Republishes the number of in-flight operations (call after every change of `inFlight`). */
export const inFlightChanged = (context: EngineContext): Effect.Effect<void> =>
  Effect.suspend(() => SubscriptionRef.set(context.inFlightSize, context.inFlight.size))

/** An ARQ operation stopped because its session had no connection: the entry stays, the fiber ends. */
export class Stalled extends Data.TaggedError("Stalled") {}

/** Whether an ARQ event of the session may proceed now: it has a connection, or the engine does not stall. */
export const mayProceed = (context: EngineContext, appId: Uint8Array): Effect.Effect<boolean> =>
  Effect.suspend(() => {
    if (!context.stallWhileDisconnected) return Effect.succeed(true)
    return context.sessions.get(hex(appId))?.connected ?? Effect.succeed(false)
  })

/**
 * A retransmit firing or a courier reply arriving for the session: fails with `Stalled` when
 * it has no connection and the engine stalls (v0.0.73 drops the fire or the reply).
 */
export const checkpoint = (context: EngineContext, appId: Uint8Array): Effect.Effect<void, Stalled> =>
  Effect.flatMap(mayProceed(context, appId), (ok) => (ok ? Effect.void : Effect.fail(new Stalled())))
