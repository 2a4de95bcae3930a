/**
 * Extra connections for local requests (`localConnections`). kpclientd answers the local
 * requests of a connection on that connection's reader goroutine, one after another, so one
 * connection keeps the daemon on one core; local requests taken in turn over several use more.
 * A lane is a session of its own (fresh token, never resumed) that carries only repeatable
 * local requests: its replies complete their callers like the main connection's (the pending
 * table is keyed by query id), its events are dropped (the main connection has the same ones).
 * Lanes open after each main connection and close with it; a lane that ends on its own hands
 * its requests to the main connection.
 */
import { Codec, DaemonDisconnected, newClientToken, Request } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import { dialAndHandshake } from "./connector.js"
import type { ClientEnv } from "./env.js"
import { completeReplyFrame, dispatch, handleFrame, isQueryReply } from "./inbound.js"
import { keepsAcrossDisconnect, sendEntry } from "./requests.js"
import type { ClientState, Live } from "./state.js"

// A copy of its own: the encoded body is a view on a shared slab, which it would keep alive.
const thinCloseBody = Either.getOrThrow(Codec.encodeRequest(Request.ThinClose.make({}))).slice()

/**
 * Says `thin_close` on a connection (the daemon ends its session), within `closeTimeout`.
 * Interruptible even in a finalizer: a write the daemon never drains must not hang the close.
 */
export const sayThinClose = (env: ClientEnv, live: Live): Effect.Effect<void> =>
  Effect.ignore(Effect.interruptible(Effect.timeout(live.connection.send(thinCloseBody), env.config.closeTimeout)))

/** The connection a local request goes out on: the main one and the lanes in turn. */
export const pickConnection = (state: ClientState, main: Live): Live => {
  const lanes = state.lanes
  if (lanes.length === 0) return main
  const turn = state.nextLane
  state.nextLane = turn >= lanes.length ? 0 : turn + 1
  return turn === 0 || turn > lanes.length ? main : lanes[turn - 1]!
}

// Replies complete their callers; events and the rest are the main connection's business.
const laneFrame = (env: ClientEnv, lane: Live, body: Uint8Array): Effect.Effect<void> | undefined => {
  const decoded = Codec.decodeResponse(body)
  if (Either.isLeft(decoded)) return handleFrame(env, lane, body)
  return isQueryReply(decoded.right) ? dispatch(env, lane, decoded.right) : undefined
}

/** Removes a lane that ended and hands its requests to the main connection (or treats them as disconnected). */
const dropLane = (env: ClientEnv, lane: Live, reason: string) =>
  Effect.gen(function*() {
    const state = env.state
    const at = state.lanes.indexOf(lane)
    if (at >= 0) state.lanes.splice(at, 1)
    yield* Scope.close(lane.scope, Exit.void)
    // Closing: the close fails every caller with ClientClosed.
    if (state.closed) return
    for (const [key, entry] of state.pending.entries()) {
      if (entry.sentOn !== lane) continue
      if (state.live !== undefined) sendEntry(entry, state.live)
      else if (!keepsAcrossDisconnect(entry)) {
        state.pending.delete(key)
        entry.fail(new DaemonDisconnected({ operation: entry.operation, reason }))
      }
    }
  })

const serveLane = (env: ClientEnv, lane: Live) =>
  Effect.gen(function*() {
    while (true) {
      const next = yield* Effect.either(lane.connection.takeAll)
      if (Either.isLeft(next)) return yield* dropLane(env, lane, next.left.reason)
      for (const body of next.right) {
        const rest = laneFrame(env, lane, body)
        if (rest !== undefined) yield* rest
      }
    }
  })

const openLane = (env: ClientEnv, main: Live) =>
  Effect.gen(function*() {
    const scope = yield* Scope.fork(env.scope, ExecutionStrategy.sequential)
    const token = Redacted.make(yield* newClientToken)
    const { connection } = yield* Effect.onError(dialAndHandshake(env, scope, true, token), () => Scope.close(scope, Exit.void))
    const lane: Live = { connection, scope, graceful: false, lane: true }
    if (env.state.live !== main || env.state.closed) return yield* retire(env, lane)
    connection.intercept((body) => completeReplyFrame(env, body))
    env.state.lanes.push(lane)
    yield* Effect.forkIn(serveLane(env, lane), env.scope)
  })

/**
 * Opens the configured lanes for the main connection `main`; gives up quietly on the first
 * failure. Only on a v0.0.73 daemon: a newer one serves connections one at a time and holds
 * each for up to 30 s, so a lane would queue behind the main connection and then delay its
 * reconnection.
 */
export const openLanes = (env: ClientEnv, main: Live): Effect.Effect<void> =>
  Effect.gen(function*() {
    const state = env.state
    if (state.generation !== "v0.0.73") return
    while (state.live === main && !state.closed && state.lanes.length < env.config.localConnections) {
      const opened = yield* Effect.either(openLane(env, main))
      if (Either.isLeft(opened)) {
        return yield* Effect.logDebug(`kpclientd: no extra connection for local requests: ${opened.left.message}`)
      }
    }
  })

/** Ends a lane: `thin_close` (its session ends, if the daemon still reads it), then its scope. */
const retire = (env: ClientEnv, lane: Live): Effect.Effect<void> => Effect.zipRight(sayThinClose(env, lane), Scope.close(lane.scope, Exit.void))

/** Retires every lane (the main connection went away, or the client closes). */
export const closeLanes = (env: ClientEnv): Effect.Effect<void> =>
  Effect.suspend(() => {
    const lanes = env.state.lanes.splice(0, env.state.lanes.length)
    env.state.nextLane = 0
    return Effect.forEach(lanes, (lane) => retire(env, lane), { concurrency: "unbounded", discard: true })
  })
