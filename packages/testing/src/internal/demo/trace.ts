/**
 * `KATZENPOST_DEMO_TRACE=1`: the demo records the SDK's spans and prints them as a tree at
 * the end (names, durations, outcomes). The span attributes hold no secrets, so neither
 * does the tree.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import type * as Tracer from "effect/Tracer"
import * as SpanRecorder from "../../SpanRecorder.js"

interface Recorded {
  readonly span: Tracer.Span
  readonly parent: string | undefined
}

/** A tracer that keeps Effect's own spans, and a printer for the tree they form. */
export const makeRecorder = () => {
  const { spans: recorded, tracer } = SpanRecorder.make()
  const print: Effect.Effect<void> = Effect.suspend(() => {
    const spans: ReadonlyArray<Recorded> = recorded.map((span) => ({
      span,
      parent: span.parent._tag === "Some" ? span.parent.value.spanId : undefined
    }))
    const ids = new Set(spans.map((s) => s.span.spanId))
    const children = new Map<string | undefined, Array<Recorded>>()
    for (const recorded of spans) {
      const key = recorded.parent !== undefined && ids.has(recorded.parent) ? recorded.parent : undefined
      children.set(key, [...(children.get(key) ?? []), recorded])
    }
    const lines: Array<string> = []
    const walk = (parent: string | undefined, depth: number) => {
      for (const { span } of children.get(parent) ?? []) {
        const ms = span.status._tag === "Ended" ? Number(span.status.endTime - span.status.startTime) / 1e6 : NaN
        const outcome = String(span.attributes.get("katzenpost.outcome") ?? "")
        lines.push(`${"  ".repeat(depth)}${span.name}  ${ms.toFixed(1)} ms  ${outcome}`)
        walk(span.spanId, depth + 1)
      }
    }
    walk(undefined, 0)
    return Console.log(`\nspan tree (${spans.length} spans):\n${lines.join("\n")}`)
  })
  return { tracer, print }
}
