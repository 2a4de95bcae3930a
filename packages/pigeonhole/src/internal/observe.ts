/** Spans and ARQ outcome counts for the Pigeonhole and Streams calls. */
import { Telemetry as TransportTelemetry } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Metric from "effect/Metric"
import * as Telemetry from "../Telemetry.js"

const outcomes = new Map<string, Metric.Metric.Counter<number>>()

const outcomeCounter = (kind: string, outcome: string): Metric.Metric.Counter<number> => {
  const key = `${kind}|${outcome}`
  let counter = outcomes.get(key)
  if (counter === undefined) {
    counter = Telemetry.arqOutcomes.pipe(Metric.tagged("kind", kind), Metric.tagged("outcome", outcome))
    outcomes.set(key, counter)
  }
  return counter
}

/** A call of `service` named `name`, in a span when the app traces. */
export const traced =
  (service: "Pigeonhole" | "Streams", name: string) => <Args extends ReadonlyArray<unknown>, A, E>(f: (...args: Args) => Effect.Effect<A, E>) => {
    const spanName = `${service}.${name}`
    return (...args: Args): Effect.Effect<A, E> => TransportTelemetry.span(f(...args), spanName)
  }

/** An ARQ operation: its span (with the envelope or cap-hash prefix and the courier) and its outcome count. */
export const observeArq = <A, E>(
  name: string,
  kind: "read" | "write" | "copy",
  id: Uint8Array,
  self: Effect.Effect<A, E>,
  courierOf: (value: A) => Uint8Array | undefined
): Effect.Effect<A, E> =>
  TransportTelemetry.span(
    Effect.onExit(self, (exit) => Metric.increment(outcomeCounter(kind, Exit.isSuccess(exit) ? "ok" : TransportTelemetry.failureLabel(exit.cause)))),
    `Pigeonhole.${name}`,
    {
      attributes: {
        "katzenpost.arq.kind": kind,
        [kind === "copy" ? "katzenpost.write_cap_hash.prefix" : "katzenpost.envelope_hash.prefix"]: TransportTelemetry
          .hexPrefix(id)
      },
      onSuccess: (value) => {
        const courier = courierOf(value)
        return courier === undefined ? {} : { "katzenpost.courier.prefix": TransportTelemetry.hexPrefix(courier) }
      }
    }
  )
