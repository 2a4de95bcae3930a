/** What every part of the Pigeonhole service shares: the client, the in-flight registry, the configured defaults. */
import { type Bacap, ErrorCodes, newQueryId, type QueryId, queryIdIn } from "@katzenpost-effect/core"
import { type RequestOptions, Telemetry, ThinClient, type TransportError } from "@katzenpost-effect/transport"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import type { CallOptions, PigeonholeConfig } from "../Pigeonhole.js"
import { requestOptions, timeoutOf } from "./call.js"
import { makeRegistry, type Registry } from "./inFlight.js"

/** The service's shared state; the geometry is read through `client.geometry` when needed. */
export interface ServiceContext {
  readonly client: ThinClient.ThinClient
  readonly registry: Registry
  readonly localTimeout: Duration.Duration
  readonly envelopeTimeout: Duration.Duration
  readonly arqTimeout: Duration.Duration
  readonly copyTimeout: Duration.Duration
  readonly cancelTimeout: Duration.Duration
  readonly daemonIndexes: boolean
  readonly localKeypairs: boolean
  /** The service default of `CallOptions.waitForConnection` (undefined: the client's). */
  readonly waitForConnection: boolean | undefined
  /** The BACAP generation of local keypairs, or "detect" (see bacapGeneration.ts). */
  readonly bacap: Bacap.Generation | "detect"
  /** Detected generations by daemon instance token (hex); "daemon": no local one matches. */
  readonly detected: Map<string, Bacap.Generation | "daemon">
  /** The transport options of a local request made without options (computed once). */
  readonly localRequestOptions: RequestOptions
}

export const makeContext = (config: PigeonholeConfig): Effect.Effect<ServiceContext, never, ThinClient.ThinClient> =>
  Effect.gen(function*() {
    const client = yield* ThinClient.ThinClient
    const registry = yield* makeRegistry
    const localTimeout = Duration.decode(config.timeout ?? Duration.seconds(30))
    return {
      client,
      registry,
      localTimeout,
      envelopeTimeout: Duration.decode(config.envelopeTimeout ?? Duration.seconds(10)),
      arqTimeout: Duration.decode(config.arqTimeout ?? Duration.minutes(5)),
      copyTimeout: Duration.decode(config.copyTimeout ?? Duration.infinity),
      cancelTimeout: Duration.decode(config.cancelTimeout ?? Duration.seconds(10)),
      daemonIndexes: config.indexes === "daemon",
      localKeypairs: config.keypairs === "local",
      waitForConnection: config.waitForConnection,
      bacap: config.bacap ?? "detect",
      detected: new Map(),
      localRequestOptions: localRequestOptions({ localTimeout, waitForConnection: config.waitForConnection }, undefined)
    }
  })

/**
 * A local request: fresh query id, timeout, thin-namespace error code; `then` reads a
 * successful reply. With `spanName`, the call makes that span when the app traces, checked in
 * the same step (the hot local calls are not wrapped by `traced`).
 */
export const localThen = <A extends { readonly error_code: number }, B, E>(
  ctx: ServiceContext,
  operation: string,
  options: CallOptions | undefined,
  send: (queryId: QueryId, options: RequestOptions) => Effect.Effect<A, TransportError>,
  then: (reply: A) => Effect.Effect<B, E>,
  spanName?: string
): Effect.Effect<B, ErrorCodes.LocalError | TransportError | E> => {
  const transport = options === undefined ? ctx.localRequestOptions : localRequestOptions(ctx, options)
  const check = (reply: A): Effect.Effect<B, ErrorCodes.LocalError | E> => {
    const error = ErrorCodes.localError(operation, reply.error_code)
    return error === undefined ? then(reply) : Effect.fail(error)
  }
  // The query id is drawn in the same step as the request starts, unless a SecureRandom is provided.
  const start = (fiber: Fiber.RuntimeFiber<unknown, unknown>): Effect.Effect<B, ErrorCodes.LocalError | TransportError | E> => {
    const queryId = queryIdIn(fiber.currentContext)
    return queryId === undefined
      ? Effect.flatMap(newQueryId, (id) => Effect.flatMap(send(id, transport), check))
      : Effect.flatMap(send(queryId, transport), check)
  }
  return Effect.withFiberRuntime((fiber) =>
    spanName !== undefined && Telemetry.isTraced(fiber) ? Telemetry.span(Effect.withFiberRuntime(start), spanName) : start(fiber)
  )
}

/** A local request answering its successful reply as it is. */
export const local = <A extends { readonly error_code: number }>(
  ctx: ServiceContext,
  operation: string,
  options: CallOptions | undefined,
  send: (queryId: QueryId, options: RequestOptions) => Effect.Effect<A, TransportError>
): Effect.Effect<A, ErrorCodes.LocalError | TransportError> => localThen(ctx, operation, options, send, Effect.succeed)

/**
 * The transport options of a local request: the client's own timeout (covering the wait for
 * a slot, the write and the reply) is a timer on its hot path; only an infinite one is left out.
 */
const localRequestOptions = (
  ctx: { readonly localTimeout: Duration.Duration; readonly waitForConnection: boolean | undefined },
  options: CallOptions | undefined
): RequestOptions => {
  const timeout = timeoutOf(options, ctx.localTimeout)
  const base = requestOptions(options, ctx.waitForConnection)
  return Duration.isFinite(timeout) ? { ...base, timeout } : base
}

/**
 * The options of a packing call whose daemon-side work grows with `units` (started KiB of
 * payload, or tombstoned boxes): without an explicit timeout, the local timeout plus
 * `envelopeTimeout` per unit.
 */
export const scaledOptions = <O extends CallOptions>(ctx: ServiceContext, options: O | undefined, units: number): O | CallOptions =>
  options?.timeout !== undefined
    ? options
    : { ...options, timeout: Duration.sum(ctx.localTimeout, Duration.times(ctx.envelopeTimeout, Math.max(1, units))) }
