/**
 * The connection's life after the first handshake: read until the socket ends, report the
 * disconnect, redial on the configured schedule, and start over.
 */
import { DaemonDisconnected } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import { DaemonDisconnectedEvent } from "../ClientEvent.js"
import type { ConnectionEnded } from "../FramedConnection.js"
import { connect } from "./connector.js"
import type { ClientEnv } from "./env.js"
import { handleFrame } from "./inbound.js"
import { closeLanes, openLanes } from "./lanes.js"
import { failEveryone, keepsAcrossDisconnect } from "./requests.js"
import type { Live } from "./state.js"

// Every frame received since the last turn is handled in one go; replies complete their callers synchronously.
const serve = (env: ClientEnv, live: Live): Effect.Effect<ConnectionEnded> =>
  Effect.gen(function*() {
    while (true) {
      const next = yield* Effect.either(live.connection.takeAll)
      if (Either.isLeft(next)) return next.left
      for (const body of next.right) {
        const rest = handleFrame(env, live, body)
        if (rest !== undefined) yield* rest
      }
    }
  })

/**
 * Fails every caller whose reply died with the connection; keeps ARQ requests and the
 * requests of callers waiting for the connection that will be sent again (see
 * `keepsAcrossDisconnect`).
 */
const failLost = (env: ClientEnv, reason: string) =>
  Effect.sync(() => {
    for (const [key, entry] of env.state.pending.entries()) {
      if (keepsAcrossDisconnect(entry)) continue
      env.state.pending.delete(key)
      entry.fail(new DaemonDisconnected({ operation: entry.operation, reason }))
    }
  })

const disconnected = (env: ClientEnv, live: Live, end: ConnectionEnded) =>
  Effect.gen(function*() {
    const reason = live.graceful ? `the daemon shut down (${end.reason})` : end.reason
    // First: a lane finishing its handshake meanwhile sees the main connection gone and closes.
    env.state.live = undefined
    env.state.mixnet = false
    env.state.lastDisconnect = reason
    yield* Scope.close(live.scope, Exit.void)
    // The lanes go with it (their sessions ended, if the daemon still reads them): their
    // requests are lost or kept like the main connection's.
    yield* closeLanes(env)
    yield* env.connected.close
    yield* failLost(env, reason)
    yield* PubSub.publish(env.events, new DaemonDisconnectedEvent({ graceful: live.graceful, reason }))
  })

const reconnect = (env: ClientEnv): Effect.Effect<Option.Option<Live>> =>
  Effect.gen(function*() {
    const driver = yield* Schedule.driver(env.config.reconnectSchedule)
    while (true) {
      // The delay comes before every attempt, the first one included (like the Go client).
      const step = yield* Effect.option(driver.next(undefined))
      if (Option.isNone(step)) return Option.none()
      const attempt = yield* Effect.either(connect(env, false))
      if (Either.isRight(attempt)) return Option.some(attempt.right)
      yield* Effect.logInfo(`kpclientd reconnect attempt failed (retrying on schedule): ${attempt.left.message}`)
    }
  })

const giveUp = (env: ClientEnv) =>
  Effect.gen(function*() {
    const reason = `gave up reconnecting after: ${env.state.lastDisconnect}`
    env.state.gaveUp = true
    env.state.lastDisconnect = reason
    // Callers waiting for a connection re-check the state and fail.
    yield* env.connected.open
    yield* Effect.logWarning(`kpclientd: ${reason}`)
    yield* Effect.sync(() => failEveryone(env, (operation) => new DaemonDisconnected({ operation, reason })))
  })

/** Runs until the client closes or the reconnect schedule gives up. */
export const supervise = (env: ClientEnv, first: Live): Effect.Effect<void> =>
  Effect.gen(function*() {
    let live = first
    while (true) {
      if (env.config.localConnections > 0) yield* Effect.forkIn(openLanes(env, live), env.scope)
      const end = yield* serve(env, live)
      yield* disconnected(env, live, end)
      const next = yield* reconnect(env)
      if (Option.isNone(next)) return yield* giveUp(env)
      live = next.value
    }
  })
