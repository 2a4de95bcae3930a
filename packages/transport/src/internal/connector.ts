/**
 * One connection attempt: open the socket, frame it, handshake, then install the connection
 * as the client's current one and replay every in-flight ARQ request on it.
 */
import { type ClientToken, ConnectError } from "@katzenpost-effect/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import type * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import { DaemonReconnectedEvent } from "../ClientEvent.js"
import * as FramedConnection from "../FramedConnection.js"
import { HandshakeTimeout } from "../TransportErrors.js"
import { cancelledReply } from "./cancels.js"
import type { ClientEnv } from "./env.js"
import * as Handshake from "./handshake.js"
import { idKey } from "./idKey.js"
import { acceptPkiDocument, acceptStatus, completeReplyFrame, handleFrame } from "./inbound.js"
import { sendEntry } from "./requests.js"
import type { Live } from "./state.js"

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array | null): boolean => a !== undefined && b !== null && idKey(a) === idKey(b)

/** Every dial failure names the address (in ConnectError's message) and suggests the usual cause. */
const dialFailed = (env: ClientEnv, reason: string) =>
  new ConnectError({ address: env.address, reason: `${reason} (is kpclientd running and listening there?)` })

/** Opens the socket and frames it, within the dial timeout. */
const dial = (env: ClientEnv, scope: Scope.Scope) =>
  Effect.gen(function*() {
    const socket = yield* Effect.mapError(env.openSocket, (error) => dialFailed(env, `cannot open socket: ${error.message}`))
    return yield* Effect.mapError(
      FramedConnection.open(socket, { maxFrameLength: env.config.maxFrameLength }),
      (end) => dialFailed(env, end.reason)
    )
  }).pipe(
    Scope.extend(scope),
    Effect.timeoutFail({
      duration: env.config.dialTimeout,
      onTimeout: () => dialFailed(env, `no connection within ${Duration.toMillis(env.config.dialTimeout)} ms`)
    })
  )

/**
 * The first connection's handshake has `handshakeTimeout`. A reconnection's has none: it
 * waits on its open socket until the handshake completes or the socket ends, with a warning
 * once the timeout has passed. kpclientd v0.0.104 serves new connections one at a time and
 * spends up to 30 s on each even after the client left, so abandoning a slow handshake for a
 * fresh socket would only queue the new one behind the old, again and again.
 */
const handshake = (
  env: ClientEnv,
  connection: FramedConnection.FramedConnection,
  initial: boolean,
  token: Redacted.Redacted<ClientToken>
) => {
  const run = Effect.mapError(
    Handshake.run(connection, token),
    (error) => new ConnectError({ address: env.address, reason: `handshake failed: ${error.reason}` })
  )
  const millis = Duration.toMillis(env.config.handshakeTimeout)
  if (initial) {
    return Effect.timeoutFail(run, {
      duration: env.config.handshakeTimeout,
      onTimeout: () => new HandshakeTimeout({ address: env.address, millis })
    })
  }
  const warn = Effect.delay(
    Effect.logWarning(`kpclientd at ${env.address}: no handshake after ${millis} ms; still waiting on the open connection`),
    env.config.handshakeTimeout
  )
  return Effect.raceFirst(run, Effect.zipRight(warn, Effect.never))
}

/** Dials and handshakes with `token` (the client's session, or a lane's own). */
export const dialAndHandshake = (env: ClientEnv, scope: Scope.Scope, initial: boolean, token: Redacted.Redacted<ClientToken> = env.token) =>
  Effect.gen(function*() {
    const connection = yield* dial(env, scope)
    return { connection, handshake: yield* handshake(env, connection, initial, token) }
  })

/**
 * Sends every in-flight ARQ request not yet written to this connection; returns how many.
 * Cancelled ones are not resumed: their cancel's connection died before the daemon's code-24
 * reply, so they get that reply locally.
 */
const replay = (env: ClientEnv, live: Live) =>
  Effect.sync(() => {
    const state = env.state
    let replayed = 0
    for (const [key, entry] of state.pending.entries()) {
      if (entry.sentOn === live) continue
      if (entry.cancelled && entry.arqRequest !== undefined) {
        state.pending.delete(key)
        entry.succeed(cancelledReply(entry.arqRequest))
        continue
      }
      // A write failure means this connection is already gone: the next one replays again.
      sendEntry(entry, live)
      replayed++
    }
    return replayed
  })

const install = (env: ClientEnv, live: Live, handshake: Handshake.Handshake, initial: boolean) =>
  Effect.gen(function*() {
    const state = env.state
    const previous = { mixnet: state.mixnet, token: state.instanceToken, epoch: state.pki.current?.Epoch }
    // Each handshake decides the generation and geometry afresh: the daemon behind the socket
    // may have been replaced by an older one, which would crash on newer request kinds.
    const status = handshake.status
    const announced = status.sphinx_geometry !== null && status.pigeonhole_geometry !== null
      ? Option.some({ sphinx: status.sphinx_geometry, pigeonhole: status.pigeonhole_geometry })
      : Option.none()
    const geometry = Option.orElse(announced, () => env.config.geometry)
    if (Option.isNone(geometry)) {
      return yield* new ConnectError({
        address: env.address,
        reason: "no geometry: thinclient.toml has none and the daemon did not send one"
      })
    }
    yield* acceptStatus(env, status)
    state.generation = Option.isSome(announced) ? "newer" : "v0.0.73"
    state.geometry = geometry.value
    const pkiEvent = yield* acceptPkiDocument(env, handshake.pki)
    const sameInstance = sameBytes(previous.token, handshake.status.instance_token)
    state.instanceToken = handshake.status.instance_token ?? undefined
    state.live = live
    yield* env.connected.open
    if (!initial) {
      // Subscribers missed the gap: tell them what changed while we were away.
      if (previous.mixnet !== handshake.status.is_connected || !sameInstance) {
        yield* PubSub.publish(env.events, handshake.status)
      }
      if (pkiEvent.epoch !== undefined && pkiEvent.epoch !== previous.epoch) yield* PubSub.publish(env.events, pkiEvent)
    }
    yield* Effect.forEach(handshake.early, (body) => handleFrame(env, live, body) ?? Effect.void, { discard: true })
    // From now on replies complete their callers straight from the socket's callback.
    live.connection.intercept((body) => completeReplyFrame(env, body))
    const replayed = yield* replay(env, live)
    if (!initial) {
      yield* PubSub.publish(env.events, new DaemonReconnectedEvent({ sameInstance, resumed: handshake.reply.resumed, replayed }))
    }
  })

/** Dials, handshakes and installs a connection; on failure nothing is left open. */
export const connect = (env: ClientEnv, initial: boolean) =>
  Effect.gen(function*() {
    const scope = yield* Scope.fork(env.scope, ExecutionStrategy.sequential)
    return yield* Effect.gen(function*() {
      const { connection, handshake: done } = yield* dialAndHandshake(env, scope, initial)
      const live: Live = { connection, scope, graceful: false, lane: false }
      yield* install(env, live, done, initial)
      return live
    }).pipe(Effect.onError(() => Scope.close(scope, Exit.void)))
  })
