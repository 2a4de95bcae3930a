/**
 * `ThinClient.request`, the hot path: one `Effect.async` per request and no fiber of its own.
 * The request takes a slot (`maxInFlight`; past it, callers wait in order), registers a plain
 * completion in the pending table, and hands its frame to the connection's writer without
 * waiting. The reply path completes the caller and passes its slot on synchronously, so it
 * never waits for anything. A timeout on the live clock is a timer inside the same callback.
 */
import { ClientClosed, Codec, DaemonDisconnected, Frame, MalformedMessage, RequestTimeout, Rpc } from "@katzenpost-effect/core"
import type { Request, Response } from "@katzenpost-effect/core"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { RequestOptions, TransportError } from "../ThinClient.js"
import { UnsupportedRequest } from "../TransportErrors.js"
import { cancelledKey, startedKey } from "./cancels.js"
import type { ClientEnv } from "./env.js"
import { hexKey } from "./hex.js"
import { isSendable } from "./sendable.js"
import type { Live, PendingQuery, Waiting } from "./state.js"

/**
 * Local requests the daemon answers by pure computation (keys, indexes, encryption, envelope
 * building): sending one twice is harmless, so a caller that waits for the connection gets
 * it sent again after a reconnect instead of `DaemonDisconnected`.
 */
const repeatable: ReadonlySet<Request.Request["_tag"]> = new Set<Request.Request["_tag"]>([
  "NewKeypair",
  "EncryptRead",
  "EncryptWrite",
  "NextMessageBoxIndex",
  "GetMessageBoxIndexCounter",
  "CreateCourierEnvelopesFromPayload",
  "CreateCourierEnvelopesFromMultiPayload",
  "CreateCourierEnvelopesFromTombstoneRange",
  "GetPkiDocument",
  "GetDirectoryAuthorities"
])

/** The largest frame body the daemon reads (`thin.MaxMessageSize`): past it, it drops the connection. */
const DAEMON_MAX_FRAME_LENGTH = Frame.DEFAULT_MAX_FRAME_LENGTH

// Timers beyond this are treated as infinite, as Effect's own clock does.
const MAX_TIMER_MILLIS = 2 ** 31 - 1

// The platform clock's class: with it, a timeout is a plain timer; with another (TestClock), Effect's timeout.
const liveClock = Clock.make().constructor

const notConnected = (env: ClientEnv, operation: string) =>
  env.state.closed
    ? new ClientClosed({ operation })
    : new DaemonDisconnected({ operation, reason: env.state.lastDisconnect })

/** Hands a freed slot to the oldest waiting request, or returns it. Never waits. */
export const releaseSlot = (env: ClientEnv): void => {
  const state = env.state
  while (state.waiting.length > 0) {
    // `start` takes the slot if it registers; otherwise it has already failed its caller.
    if (state.waiting.shift()!.start()) return
  }
  state.inFlight--
}

/** Hands a pending request's frame to `live`'s writer. */
export const sendEntry = (entry: PendingQuery, live: Live): void => {
  entry.sentOn = live
  entry.written = false
  entry.withdraw = live.connection.offer(entry.body, (end) => {
    if (entry.sentOn !== live) return
    if (end === undefined) {
      entry.written = true
      return
    }
    // A waiting caller's request goes out again after the reconnect (see `keepsAcrossDisconnect`).
    if (entry.arq || entry.wait) return
    entry.fail(new DaemonDisconnected({ operation: entry.operation, reason: end.reason }))
  })
}

/**
 * Whether a pending request survives the loss of its connection: ARQ requests always (the
 * daemon keeps them, and they are replayed); a waiting caller's request if it is repeatable
 * or was never written.
 */
export const keepsAcrossDisconnect = (entry: PendingQuery): boolean => entry.arq || (entry.wait && (entry.resend || !entry.written))

const noop = () => {}

/** Fails every pending and every slot-waiting caller (the client closed or gave up). */
export const failEveryone = (env: ClientEnv, error: (operation: string) => TransportError): void => {
  const state = env.state
  const pending = [...state.pending.values()]
  state.pending.clear()
  const waiting = state.waiting.splice(0, state.waiting.length)
  for (const entry of pending) entry.fail(error(entry.operation))
  for (const waiter of waiting) waiter.fail(error(waiter.operation))
}

const isReplyTo = <R extends Rpc.QueryRequest>(request: R, reply: Response.QueryReply): reply is Rpc.ReplyOf<R> =>
  reply._tag === Rpc.replyTag[request._tag]

/** Sends a query request and waits for its reply. */
export const request = <R extends Rpc.QueryRequest>(
  env: ClientEnv,
  request: R,
  options?: RequestOptions
): Effect.Effect<Rpc.ReplyOf<R>, TransportError | UnsupportedRequest> =>
  Effect.suspend(() => {
    const operation = Codec.requestKey(request)
    const state = env.state
    if (state.closed) return Effect.fail(new ClientClosed({ operation }))
    if (!isSendable(request, state.generation)) return Effect.fail(new UnsupportedRequest({ operation, daemon: state.generation }))
    if (request.query_id === null) return Effect.fail(new MalformedMessage({ kind: operation, reason: "query_id is required" }))
    const encoded = Codec.encodeRequest(request)
    if (Either.isLeft(encoded)) return Effect.fail(encoded.left)
    const body = encoded.right
    if (body.length > DAEMON_MAX_FRAME_LENGTH) {
      return Effect.fail(
        new MalformedMessage({
          kind: operation,
          reason: `the request is ${body.length} bytes, above the daemon's limit of ${DAEMON_MAX_FRAME_LENGTH}; nothing was sent`
        })
      )
    }
    const arq = Rpc.isArqRequest(request)
    const wait = options?.waitForConnection ?? env.config.waitForConnection
    // Nothing replays a request once the client gave up; others fail fast unless asked to wait.
    if (state.live === undefined && (state.gaveUp || (!arq && !wait))) return Effect.fail(notConnected(env, operation))
    const timeout = options?.timeout === undefined ? undefined : Duration.decode(options.timeout)
    const millis = timeout === undefined || !Duration.isFinite(timeout) ? undefined : Duration.toMillis(timeout)
    const exchange = (timer: number | undefined) =>
      Effect.async<Rpc.ReplyOf<R>, TransportError>((resume) => {
        const key = hexKey(request.query_id!)
        let settled = false
        let entry: PendingQuery | undefined
        let waiting: Waiting | undefined
        let handle: ReturnType<typeof setTimeout> | undefined
        const cleanUp = () => {
          settled = true
          if (handle !== undefined) clearTimeout(handle)
          if (waiting !== undefined) {
            const at = state.waiting.indexOf(waiting)
            if (at >= 0) state.waiting.splice(at, 1)
            waiting = undefined
          }
          if (entry !== undefined) {
            if (state.pending.get(key) === entry) state.pending.delete(key)
            entry.withdraw()
            entry = undefined
            releaseSlot(env)
          }
        }
        const finish = (result: Effect.Effect<Rpc.ReplyOf<R>, TransportError>) => {
          if (settled) return
          cleanUp()
          resume(result)
        }
        const fail = (error: TransportError) => finish(Effect.fail(error))
        // Registers and sends; false (the caller already failed) when it cannot.
        const start = (): boolean => {
          waiting = undefined
          if (settled) return false
          const live = state.live
          if (state.closed) {
            fail(new ClientClosed({ operation }))
            return false
          }
          if (live === undefined && (state.gaveUp || (!arq && !wait))) {
            fail(notConnected(env, operation))
            return false
          }
          if (state.pending.has(key)) {
            fail(new MalformedMessage({ kind: operation, reason: "this query_id is already in flight" }))
            return false
          }
          const registered: PendingQuery = {
            operation,
            body,
            arq,
            arqRequest: arq ? request : undefined,
            cancelKey: arq ? startedKey(request) : undefined,
            wait,
            resend: arq || (wait && repeatable.has(request._tag)),
            cancelled: false,
            sentOn: undefined,
            written: false,
            withdraw: noop,
            succeed: (reply) =>
              isReplyTo(request, reply)
                ? finish(Effect.succeed(reply))
                : fail(new MalformedMessage({ kind: operation, reason: `answered by a ${reply._tag}` })),
            fail
          }
          entry = registered
          state.pending.set(key, registered)
          // Marked before the write: whether or not the cancel reaches the daemon, the caller asked
          // to stop these operations, so a reconnect must not start them again.
          const cancels = cancelledKey(request)
          if (cancels !== undefined && live !== undefined) {
            for (const other of state.pending.values()) if (other.cancelKey === cancels) other.cancelled = true
          }
          if (live !== undefined) sendEntry(registered, live)
          return true
        }
        if (timer !== undefined) {
          handle = setTimeout(() => fail(new RequestTimeout({ operation, millis: timer })), timer)
        }
        if (state.inFlight < env.config.maxInFlight) {
          state.inFlight++
          if (!start()) state.inFlight--
        } else {
          waiting = { operation, start, fail }
          state.waiting.push(waiting)
        }
        // Interruption (the caller's, or Effect's timeout) only stops waiting.
        return Effect.sync(() => {
          if (!settled) cleanUp()
        })
      })
    const reply = millis === undefined
      ? exchange(undefined)
      : Effect.clockWith((clock) =>
        clock.constructor === liveClock && millis <= MAX_TIMER_MILLIS
          ? exchange(millis)
          // The timeout covers the wait for a slot and the write too: a daemon that stopped reading (§3.1) blocks it.
          : Effect.timeoutFail(exchange(undefined), { duration: millis, onTimeout: () => new RequestTimeout({ operation, millis }) })
      )
    return reply
  })
