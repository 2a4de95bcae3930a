/**
 * `ThinClient.request`, the hot path: one `Effect.async` per request and no fiber of its own.
 * The request takes a slot (`maxInFlight`; past it, callers wait in order), registers a plain
 * completion in the pending table, and hands its frame to the connection's writer without
 * waiting. The reply path completes the caller and passes its slot on synchronously, so it
 * never waits for anything. A timeout on the live clock is an entry in the client's deadline
 * list (deadlines.ts), armed inside the same callback.
 */
import { ClientClosed, Codec, DaemonDisconnected, Frame, MalformedMessage, RequestTimeout, Rpc } from "@katzenpost-effect/core"
import type { Request, Response } from "@katzenpost-effect/core"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import type * as FiberStatus from "effect/FiberStatus"
import * as RuntimeFlags from "effect/RuntimeFlags"
import type { RequestOptions, TransportError } from "../ThinClient.js"
import { UnsupportedRequest } from "../TransportErrors.js"
import { cancelledKey, startedKey } from "./cancels.js"
import type { Timed } from "./deadlines.js"
import type { ClientEnv } from "./env.js"
import { idKey } from "./idKey.js"
import { pickConnection } from "./lanes.js"
import * as RequestMetrics from "./requestMetrics.js"
import { requestSpan } from "./requestSpan.js"
import { isSendable } from "./sendable.js"
import { isTraced } from "./spans.js"
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
  const frame = entry.frame()
  if (frame === undefined) return
  entry.sentOn = live
  entry.written = false
  entry.withdraw = live.connection.offer(frame, (end) => {
    if (entry.sentOn !== live) return
    if (end === undefined) {
      entry.written = true
      // Nothing to withdraw any more; the closure would keep the frame alive while the reply is awaited.
      entry.withdraw = noop
      entry.dropFrame()
      return
    }
    // A waiting caller's request goes out again after the reconnect (see `keepsAcrossDisconnect`);
    // a lane's requests are handed to the main connection when the lane ends (lanes.ts).
    if (entry.arq || entry.wait || live.lane) return
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
  const pending = state.pending.values()
  state.pending.clear()
  const waiting = state.waiting.splice(0, state.waiting.length)
  for (const entry of pending) entry.fail(error(entry.operation))
  for (const waiter of waiting) waiter.fail(error(waiter.operation))
}

const isReplyTo = <R extends Rpc.QueryRequest>(request: R, reply: Response.QueryReply): reply is Rpc.ReplyOf<R> =>
  reply._tag === Rpc.replyTag[request._tag]

/**
 * One request's state, from its slot to its completion: the pending entry, the slot waiter
 * and the completion in one object, so a request in flight holds one object and no closures.
 */
class Call<R extends Rpc.QueryRequest> implements PendingQuery, Waiting, Timed {
  readonly arqRequest: Rpc.ArqRequest | undefined
  readonly cancelKey: string | undefined
  readonly resend: boolean
  /** A repeatable local request: it may go out on a lane (lanes.ts). */
  readonly local: boolean
  cancelled = false
  sentOn: Live | undefined = undefined
  written = false
  withdraw: () => void = noop
  /** Completed (or given up): nothing may complete it again. */
  private settled = false
  /** Holds a slot and sits in the pending table (until completed). */
  private registered = false
  /** Waits for a slot in `state.waiting`. */
  private queued = false
  /** Its place in the client's live-clock deadlines (deadlines.ts), while it has a timeout there. */
  deadline = 0
  previous: Timed | undefined = undefined
  next: Timed | undefined = undefined
  private timeoutMillis: number | undefined = undefined
  /** When it started, for the latency metric (see requestMetrics.ts). */
  private readonly startedAt = RequestMetrics.started()

  constructor(
    readonly env: ClientEnv,
    readonly request: R,
    readonly key: string,
    readonly operation: string,
    private body: Uint8Array | undefined,
    readonly arq: boolean,
    readonly wait: boolean,
    /** The caller's completion (`exchange` sets it when its wait starts). */
    public resume: (result: Exit.Exit<Rpc.ReplyOf<R>, TransportError>) => void
  ) {
    const arqRequest = Rpc.isArqRequest(request) ? request : undefined
    this.arqRequest = arqRequest
    this.cancelKey = arqRequest === undefined ? undefined : startedKey(arqRequest)
    this.local = !arq && repeatable.has(request._tag)
    this.resend = arq || (wait && this.local)
  }

  frame(): Uint8Array | undefined {
    if (this.body !== undefined) return this.body
    // The same request encoded once already; only a broken invariant could fail here.
    const encoded = Codec.encodeRequest(this.request)
    if (Either.isRight(encoded)) return encoded.right
    this.fail(encoded.left)
    return undefined
  }

  dropFrame(): void {
    this.body = undefined
  }

  succeed(reply: Response.QueryReply): void {
    if (isReplyTo(this.request, reply)) this.finish(Exit.succeed(reply), RequestMetrics.replyOutcome(reply))
    else this.fail(new MalformedMessage({ kind: this.operation, reason: `answered by a ${reply._tag}` }))
  }

  fail(error: TransportError): void {
    this.finish(Exit.fail(error), error._tag)
  }

  /** Takes a slot now or queues for one; arms the timer of a live-clock timeout. */
  begin(millis: number | undefined): void {
    const state = this.env.state
    if (millis !== undefined) {
      this.timeoutMillis = millis
      state.deadlines.add(this, millis)
    }
    if (state.inFlight < this.env.config.maxInFlight) {
      state.inFlight++
      if (!this.start()) state.inFlight--
    } else {
      this.queued = true
      state.waiting.push(this)
    }
  }

  /** Registers and sends; false (the caller already failed, the slot stays free) when it cannot. */
  start(): boolean {
    this.queued = false
    if (this.settled) return false
    const env = this.env
    const state = env.state
    const live = state.live
    if (state.closed) {
      this.fail(new ClientClosed({ operation: this.operation }))
      return false
    }
    if (live === undefined && (state.gaveUp || (!this.arq && !this.wait))) {
      this.fail(notConnected(env, this.operation))
      return false
    }
    if (state.pending.has(this.key)) {
      this.fail(new MalformedMessage({ kind: this.operation, reason: "this query_id is already in flight" }))
      return false
    }
    this.registered = true
    state.pending.set(this.key, this)
    // Marked before the write: whether or not the cancel reaches the daemon, the caller asked
    // to stop these operations, so a reconnect must not start them again.
    const cancels = cancelledKey(this.request)
    if (cancels !== undefined && live !== undefined) {
      for (const other of state.pending.values()) if (other.cancelKey === cancels) other.cancelled = true
    }
    if (live !== undefined) sendEntry(this, this.local ? pickConnection(state, live) : live)
    return true
  }

  /** Its live-clock timeout passed (deadlines.ts). */
  expire(): void {
    this.fail(new RequestTimeout({ operation: this.operation, millis: this.timeoutMillis ?? 0 }))
  }

  /** The caller stopped waiting (interruption, Effect's timeout): only stop waiting. */
  interrupt(): void {
    if (this.settled) return
    this.cleanUp()
    RequestMetrics.ended(this.request._tag, this.startedAt, "interrupted")
  }

  private finish(result: Exit.Exit<Rpc.ReplyOf<R>, TransportError>, outcome: string): void {
    if (this.settled) return
    this.cleanUp()
    RequestMetrics.ended(this.request._tag, this.startedAt, outcome)
    this.resume(result)
  }

  private cleanUp(): void {
    this.settled = true
    const state = this.env.state
    if (this.timeoutMillis !== undefined) state.deadlines.remove(this)
    if (this.queued) {
      this.queued = false
      const at = state.waiting.indexOf(this)
      if (at >= 0) state.waiting.splice(at, 1)
    }
    if (this.registered) {
      this.registered = false
      if (state.pending.get(this.key) === this) state.pending.delete(this.key)
      this.withdraw()
      releaseSlot(this.env)
    }
  }
}

const refuse = <E extends TransportError | UnsupportedRequest>(kind: Request.Request["_tag"], error: E): Effect.Effect<never, E> => {
  RequestMetrics.refused(kind, error._tag)
  return Effect.fail(error)
}

/** A request checked and encoded, ready for its `Call`. */
interface Prepared {
  readonly queryId: Uint8Array
  readonly operation: string
  readonly body: Uint8Array
  readonly arq: boolean
  readonly wait: boolean
}

/** Checks and encodes a request; the error it is refused with otherwise (nothing was sent). */
const prepare = (env: ClientEnv, request: Rpc.QueryRequest, options: RequestOptions | undefined): Prepared | TransportError => {
  const operation = Codec.requestKey(request)
  const state = env.state
  if (state.closed) return new ClientClosed({ operation })
  if (!isSendable(request, state.generation)) return new UnsupportedRequest({ operation, daemon: state.generation })
  const queryId = request.query_id
  if (queryId === null) return new MalformedMessage({ kind: operation, reason: "query_id is required" })
  const encoded = Codec.encodeRequest(request)
  if (Either.isLeft(encoded)) return encoded.left
  const body = encoded.right
  if (body.length > DAEMON_MAX_FRAME_LENGTH) {
    return new MalformedMessage({
      kind: operation,
      reason: `the request is ${body.length} bytes, above the daemon's limit of ${DAEMON_MAX_FRAME_LENGTH}; nothing was sent`
    })
  }
  const arq = Rpc.isArqRequest(request)
  const wait = options?.waitForConnection ?? env.config.waitForConnection
  // Nothing replays a request once the client gave up; others fail fast unless asked to wait.
  if (state.live === undefined && (state.gaveUp || (!arq && !wait))) return notConnected(env, operation)
  return { queryId, operation, body, arq, wait }
}

const isRefusal = (prepared: Prepared | TransportError): prepared is TransportError => "_tag" in prepared

/** A request's timeout in milliseconds, if finite. */
const millisOf = (options: RequestOptions | undefined): number | undefined => {
  if (options?.timeout === undefined) return undefined
  const timeout = Duration.decode(options.timeout)
  return Duration.isFinite(timeout) ? Duration.toMillis(timeout) : undefined
}

/** Whether a timeout of `millis` can be a deadline of the client's own list (the live clock), not Effect's timeout. */
const onLiveClock = (fiber: Fiber.RuntimeFiber<unknown, unknown>, millis: number): boolean =>
  Context.get(fiber.currentDefaultServices, Clock.Clock).constructor === liveClock && millis <= MAX_TIMER_MILLIS

/**
 * `wait` for a caller that can be interrupted. The async has no canceler of its own (Effect
 * would wrap it in `onInterrupt`: several more steps and objects on every success).
 * Interruption is enabled around the wait only, and one failure handler outside it, run
 * uninterruptibly, lets `calls` go when the wait ends without an outcome; a call that
 * completed is settled already, so nothing happens to it then.
 */
const lettingGo = <A, E>(wait: Effect.Effect<A, E>, calls: { readonly interrupt: () => void }): Effect.Effect<A, E> =>
  Effect.uninterruptible(Effect.catchAllCause(Effect.interruptible(wait), (cause) => {
    calls.interrupt()
    return Effect.failCause(cause)
  }))

/**
 * The wait for the reply: one `Effect.async`, no fiber; interruption only stops waiting. A
 * caller that can be interrupted (`interruptible`, its fiber's flags when the request starts)
 * waits through `lettingGo`; one in an uninterruptible region gets the bare wait.
 */
const exchange = <R extends Rpc.QueryRequest>(
  env: ClientEnv,
  request: R,
  prepared: Prepared,
  millis: number | undefined,
  interruptible: boolean
): Effect.Effect<Rpc.ReplyOf<R>, TransportError> => {
  const call = new Call(env, request, idKey(prepared.queryId), prepared.operation, prepared.body, prepared.arq, prepared.wait, noop)
  const wait = Effect.async<Rpc.ReplyOf<R>, TransportError>((resume) => {
    call.resume = resume
    call.begin(millis)
  })
  return interruptible ? lettingGo(wait, call) : wait
}

/**
 * Sends a query request and waits for its reply; in the span `ThinClient.<kind>` when the app
 * traces (checked in the same step, so an untraced request costs no extra step).
 */
export const request = <R extends Rpc.QueryRequest>(
  env: ClientEnv,
  request: R,
  options?: RequestOptions
): Effect.Effect<Rpc.ReplyOf<R>, TransportError> =>
  Effect.withFiberRuntime((fiber, status) =>
    isTraced(fiber) ? requestSpan(request, untraced(env, request, options)) : send(env, request, options, fiber, status)
  )

const untraced = <R extends Rpc.QueryRequest>(
  env: ClientEnv,
  request: R,
  options: RequestOptions | undefined
): Effect.Effect<Rpc.ReplyOf<R>, TransportError> => Effect.withFiberRuntime((fiber, status) => send(env, request, options, fiber, status))

const send = <R extends Rpc.QueryRequest>(
  env: ClientEnv,
  request: R,
  options: RequestOptions | undefined,
  fiber: Fiber.RuntimeFiber<unknown, unknown>,
  status: FiberStatus.Running
): Effect.Effect<Rpc.ReplyOf<R>, TransportError> => {
  const prepared = prepare(env, request, options)
  if (isRefusal(prepared)) return refuse(request._tag, prepared)
  const millis = millisOf(options)
  if (millis === undefined || onLiveClock(fiber, millis)) {
    return exchange(env, request, prepared, millis, RuntimeFlags.interruption(status.runtimeFlags))
  }
  // The timeout covers the wait for a slot and the write too: a daemon that stopped reading (§3.1) blocks it.
  // Effect's timeout runs the wait in a fiber of its own: its flags are read there.
  const timed = Effect.withFiberRuntime<Rpc.ReplyOf<R>, TransportError>((_, inner) =>
    exchange(env, request, prepared, undefined, RuntimeFlags.interruption(inner.runtimeFlags))
  )
  return Effect.timeoutFail(timed, {
    duration: millis,
    onTimeout: () => new RequestTimeout({ operation: prepared.operation, millis })
  })
}

/**
 * Sends every request and waits for all their replies, in one fiber: each element's outcome
 * as an `Exit`, in order (a refused or failed request does not stop the others). Options
 * apply to each request. Interruption stops waiting for all of them.
 */
export const requestAll = <R extends Rpc.QueryRequest>(
  env: ClientEnv,
  requests: Iterable<R>,
  options?: RequestOptions
): Effect.Effect<Array<Exit.Exit<Rpc.ReplyOf<R>, TransportError>>> =>
  Effect.withFiberRuntime((fiber, status) => {
    const all = Array.from(requests)
    const millis = millisOf(options)
    // Under a test clock, each request is timed by Effect, as `request` does.
    if (millis !== undefined && !onLiveClock(fiber, millis)) {
      return Effect.forEach(all, (one) => Effect.exit(request(env, one, options)), { concurrency: "unbounded" })
    }
    const calls: Array<Call<R>> = []
    const wait = Effect.async<Array<Exit.Exit<Rpc.ReplyOf<R>, TransportError>>>((resume) => {
      const results = new Array<Exit.Exit<Rpc.ReplyOf<R>, TransportError>>(all.length)
      let remaining = all.length
      const settle = (at: number) => (exit: Exit.Exit<Rpc.ReplyOf<R>, TransportError>) => {
        results[at] = exit
        if (--remaining === 0) resume(Effect.succeed(results))
      }
      if (remaining === 0) resume(Effect.succeed(results))
      for (let at = 0; at < all.length; at++) {
        const one = all[at]!
        const prepared = prepare(env, one, options)
        if (isRefusal(prepared)) {
          RequestMetrics.refused(one._tag, prepared._tag)
          settle(at)(Exit.fail(prepared))
          continue
        }
        const call = new Call(env, one, idKey(prepared.queryId), prepared.operation, prepared.body, prepared.arq, prepared.wait, settle(at))
        calls.push(call)
        call.begin(millis)
      }
    })
    if (!RuntimeFlags.interruption(status.runtimeFlags)) return wait
    return lettingGo(wait, {
      interrupt: () => {
        for (const call of calls) call.interrupt()
      }
    })
  })
