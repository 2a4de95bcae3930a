/**
 * What the SDK reports about itself: the metrics it updates (read them with
 * `Metric.value` or export them with `@effect/opentelemetry`), the span names it opens, and
 * the connection state it keeps. Attributes and labels carry only safe values (request
 * kinds, outcome tags, hash prefixes); never caps, seeds, plaintext or tokens.
 *
 * @since 0.2.0
 */
import type * as Cause from "effect/Cause"
import type * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as Spans from "./internal/spans.js"

/**
 * Options of `span`: safe attributes before the call and of its result, and the outcome
 * label of a success (default `ok`; a failure is labelled with its error tag).
 *
 * @since 0.2.0
 * @category models
 */
export type SpanOptions<A> = Spans.SpanOptions<A>

/**
 * Runs an effect in a client span annotated with `katzenpost.outcome`, but only when the
 * app installed a tracer (`Layer.setTracer`, `@effect/opentelemetry`): with Effect's default
 * tracer it runs the effect as it is, so untraced apps pay under a microsecond. The SDK's
 * services use it for every call.
 *
 * @since 0.2.0
 * @category tracing
 */
export const span: <A, E, R>(
  self: Effect.Effect<A, E, R>,
  name: string | (() => string),
  options?: SpanOptions<A>
) => Effect.Effect<A, E, R> = Spans.span

/**
 * Whether `fiber` runs under an app's tracer: for code that already runs in a step of its
 * fiber (`Effect.withFiberRuntime`) and makes its span only then, without `span`'s own step.
 *
 * @since 0.2.0
 * @category tracing
 */
export const isTraced: (fiber: Fiber.RuntimeFiber<unknown, unknown>) => boolean = Spans.isTraced

/**
 * The first 4 bytes of a public hash as hex, for span attributes.
 *
 * @since 0.2.0
 * @category tracing
 */
export const hexPrefix: (bytes: Uint8Array) => string = Spans.hexPrefix

/**
 * Requests sent to the daemon whose reply has not arrived yet (all kinds).
 *
 * @since 0.2.0
 * @category metrics
 */
export const requestsInFlight = Metric.gauge("katzenpost_thin_requests_in_flight", {
  description: "Thin-client requests waiting for their reply"
})

/**
 * Time from a request's start to its outcome, in milliseconds, labelled `kind` (the
 * request's tag, e.g. `NewKeypair`).
 *
 * @since 0.2.0
 * @category metrics
 */
export const requestDuration = Metric.histogram(
  "katzenpost_thin_request_duration_ms",
  MetricBoundaries.exponential({ start: 0.05, factor: 4, count: 14 }),
  "Thin-client request latency in milliseconds, by kind"
)

/**
 * Requests ended, labelled `kind` and `outcome` (`ok`, `daemon_error_<code>`, or the error
 * tag such as `RequestTimeout`).
 *
 * @since 0.2.0
 * @category metrics
 */
export const requestsTotal = Metric.counter("katzenpost_thin_requests_total", {
  description: "Thin-client requests ended, by kind and outcome",
  incremental: true
})

/**
 * Connections to the daemon lost (graceful or not).
 *
 * @since 0.2.0
 * @category metrics
 */
export const disconnects = Metric.counter("katzenpost_thin_disconnects_total", {
  description: "Connections to kpclientd lost",
  incremental: true
})

/**
 * Reconnections to the daemon completed (handshake done).
 *
 * @since 0.2.0
 * @category metrics
 */
export const reconnects = Metric.counter("katzenpost_thin_reconnects_total", {
  description: "Reconnections to kpclientd completed",
  incremental: true
})

/**
 * Requests sent again after a reconnection (in-flight ARQ and local requests).
 *
 * @since 0.2.0
 * @category metrics
 */
export const replayedRequests = Metric.counter("katzenpost_thin_replayed_requests_total", {
  description: "Requests sent again after a reconnection",
  incremental: true
})

/**
 * The outcome label of a failure, as metrics and spans use it: the error's `_tag`,
 * `interrupted` or `defect`. Never the error's message.
 *
 * @since 0.2.0
 * @category tracing
 */
export const failureLabel: <E>(cause: Cause.Cause<E>) => string = Spans.failureLabel
