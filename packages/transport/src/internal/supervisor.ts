/**
 * The connection's life after the first handshake: read until the socket ends, report the
 * disconnect, redial on the configured schedule, and start over.
 */
import { DaemonDisconnected } from "@katzenpost-effect/core"
import * as Deferred from "effect/Deferred"
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
import type { Live } from "./state.js"

const serve = (env: ClientEnv, live: Live): Effect.Effect<ConnectionEnded> =>
  Effect.gen(function*() {
    while (true) {
      const next = yield* Effect.either(live.connection.take)
      if (Either.isLeft(next)) return next.left
      yield* handleFrame(env, live, next.right)
    }
  })

/** Fails every waiting non-ARQ caller: their replies died with the connection. */
const failNonArq = (env: ClientEnv, reason: string) =>
  Effect.forEach(
    [...env.state.pending.entries()].filter(([, entry]) => !entry.arq),
    ([key, entry]) => {
      env.state.pending.delete(key)
      return Deferred.fail(entry.deferred, new DaemonDisconnected({ operation: entry.operation, reason }))
    },
    { discard: true }
  )

const disconnected = (env: ClientEnv, live: Live, end: ConnectionEnded) =>
  Effect.gen(function*() {
    yield* Scope.close(live.scope, Exit.void)
    const reason = live.graceful ? `the daemon shut down (${end.reason})` : end.reason
    env.state.live = undefined
    env.state.mixnet = false
    env.state.lastDisconnect = reason
    yield* env.connected.close
    yield* failNonArq(env, reason)
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
      yield* Effect.logDebug(`kpclientd reconnect attempt failed: ${attempt.left.message}`)
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
    const entries = [...env.state.pending.values()]
    env.state.pending.clear()
    yield* Effect.forEach(entries, (entry) => Deferred.fail(entry.deferred, new DaemonDisconnected({ operation: entry.operation, reason })), {
      discard: true
    })
  })

/** Runs until the client closes or the reconnect schedule gives up. */
export const supervise = (env: ClientEnv, first: Live): Effect.Effect<void> =>
  Effect.gen(function*() {
    let live = first
    while (true) {
      const end = yield* serve(env, live)
      yield* disconnected(env, live, end)
      const next = yield* reconnect(env)
      if (Option.isNone(next)) return yield* giveUp(env)
      live = next.value
    }
  })
