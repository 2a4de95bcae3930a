/** `ThinClient.request`: correlation by query id, fail-fast while disconnected, ARQ bookkeeping. */
import { ClientClosed, Codec, DaemonDisconnected, MalformedMessage, RequestTimeout, Rpc } from "@katzenpost-effect/core"
import type { Response } from "@katzenpost-effect/core"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { RequestOptions, TransportError } from "../ThinClient.js"
import { UnsupportedRequest } from "../TransportErrors.js"
import type { ClientEnv } from "./env.js"
import { cancelledKey, startedKey } from "./cancels.js"
import { hexKey } from "./hex.js"
import { isSendable } from "./sendable.js"
import type { PendingQuery } from "./state.js"

const isReplyTo = <R extends Rpc.QueryRequest>(request: R, reply: Response.QueryReply): reply is Rpc.ReplyOf<R> =>
  reply._tag === Rpc.replyTag[request._tag]

const notConnected = (env: ClientEnv, operation: string) =>
  env.state.closed
    ? new ClientClosed({ operation })
    : new DaemonDisconnected({ operation, reason: env.state.lastDisconnect })

/** Waits until a connection is up; fails if the client closes or gives up meanwhile. */
export const awaitConnection = (env: ClientEnv, operation: string): Effect.Effect<void, ClientClosed | DaemonDisconnected> =>
  Effect.gen(function*() {
    while (env.state.live === undefined) {
      if (env.state.closed || env.state.gaveUp) return yield* notConnected(env, operation)
      yield* env.connected.await
    }
  })

/** Sends a query request and waits for its reply. */
export const request = <R extends Rpc.QueryRequest>(
  env: ClientEnv,
  request: R,
  options?: RequestOptions
): Effect.Effect<Rpc.ReplyOf<R>, TransportError | UnsupportedRequest> =>
  Effect.gen(function*() {
    const operation = Codec.requestKey(request)
    const state = env.state
    if (state.closed) return yield* new ClientClosed({ operation })
    if (!isSendable(request, state.generation)) return yield* new UnsupportedRequest({ operation, daemon: state.generation })
    if (request.query_id === null) return yield* new MalformedMessage({ kind: operation, reason: "query_id is required" })
    const key = hexKey(request.query_id)
    if (state.pending.has(key)) return yield* new MalformedMessage({ kind: operation, reason: "this query_id is already in flight" })
    const encoded = Codec.encodeRequest(request)
    if (Either.isLeft(encoded)) return yield* encoded.left
    const arqRequest = Rpc.isArqRequest(request) ? request : undefined
    const arq = arqRequest !== undefined
    // Nothing replays a request once the client gave up: every kind fails at once then.
    if (state.live === undefined && state.gaveUp) return yield* notConnected(env, operation)
    if (!arq && state.live === undefined) {
      // ARQ requests wait for the next connection (they are replayed); others fail fast unless asked to wait.
      if (options?.waitForConnection !== true || state.gaveUp) return yield* notConnected(env, operation)
      yield* awaitConnection(env, operation)
    }
    const entry: PendingQuery = {
      operation,
      body: encoded.right,
      arq,
      arqRequest,
      cancelKey: arqRequest === undefined ? undefined : startedKey(arqRequest),
      cancelled: false,
      deferred: yield* Deferred.make<Response.QueryReply, TransportError>(),
      sentOn: undefined
    }
    // Registration and the connection snapshot happen together, so a reconnect's replay and this
    // send never both write the request to the same connection.
    // The give-up check is repeated here, atomically with registration: `giveUp` may have
    // cleared `pending` since the check above, and an entry added after that would never end.
    const cancels = cancelledKey(request)
    const registered = yield* Effect.sync(() => {
      if (state.live === undefined && (state.gaveUp || state.closed)) return false
      state.pending.set(key, entry)
      entry.sentOn = state.live
      // Marked before the write: whether or not the cancel reaches the daemon, the caller asked
      // to stop these operations, so a reconnect must not start them again.
      if (cancels !== undefined && state.live !== undefined) {
        for (const other of state.pending.values()) if (other.cancelKey === cancels) other.cancelled = true
      }
      return true
    })
    if (!registered) return yield* notConnected(env, operation)
    const live = entry.sentOn
    const forget = Effect.sync(() => {
      if (state.pending.get(key) === entry) state.pending.delete(key)
    })
    const exchange = Effect.gen(function*() {
      if (live !== undefined) {
        const sent = yield* Effect.either(live.connection.send(entry.body))
        if (Either.isLeft(sent) && !arq) {
          return yield* new DaemonDisconnected({ operation, reason: sent.left.reason })
        }
      } else if (!arq) {
        return yield* notConnected(env, operation)
      }
      return yield* Deferred.await(entry.deferred)
    })
    // The timeout covers the write too: a daemon that stopped reading (§3.1) blocks it.
    const timeout = options?.timeout
    const reply = yield* (timeout === undefined ? exchange : Effect.timeoutFail(exchange, {
      duration: timeout,
      onTimeout: () => new RequestTimeout({ operation, millis: Duration.toMillis(Duration.decode(timeout)) })
    })).pipe(Effect.ensuring(forget))
    if (!isReplyTo(request, reply)) {
      return yield* new MalformedMessage({ kind: operation, reason: `answered by a ${reply._tag}` })
    }
    return reply
  })
