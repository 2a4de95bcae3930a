/**
 * An in-memory tracer for tests: it keeps every span (Effect's own span objects, so names,
 * parents, attributes and end status are real) without any exporter. Use it to assert what
 * the SDK, or your app, reports.
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Tracer from "effect/Tracer"

/**
 * A tracer and the spans it has made, in start order.
 *
 * @since 0.2.0
 * @category models
 */
export interface SpanRecorder {
  readonly tracer: Tracer.Tracer
  readonly spans: ReadonlyArray<Tracer.Span>
  /** `Layer.setTracer(tracer)`, to provide it to a whole program. */
  readonly layer: Layer.Layer<never>
}

/**
 * A fresh recorder.
 *
 * @since 0.2.0
 * @category constructors
 * @example
 * ```ts
 * import { SpanRecorder } from "@katzenpost-effect/testing"
 * import { Effect } from "effect"
 *
 * const recorder = SpanRecorder.make()
 * Effect.runSync(Effect.withSpan(Effect.void, "work").pipe(Effect.withTracer(recorder.tracer)))
 * console.log(recorder.spans.map((span) => span.name)) // ["work"]
 * ```
 */
export const make = (): SpanRecorder => {
  const native = Effect.runSync(Effect.tracer)
  const spans: Array<Tracer.Span> = []
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const span = native.span(name, parent, context, links, startTime, kind)
      spans.push(span)
      return span
    },
    context: (f) => f()
  })
  return { tracer, spans, layer: Layer.setTracer(tracer) }
}
