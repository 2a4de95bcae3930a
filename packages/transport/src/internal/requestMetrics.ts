/**
 * The request metrics (`Telemetry`), updated with plain calls from the request's own state
 * machine: no effect or fiber per update. Label arrays are made once per kind and outcome,
 * because a metric caches its registry entry by the identity of the label array.
 */
import * as MetricLabel from "effect/MetricLabel"
import * as Telemetry from "../Telemetry.js"

const NO_LABELS: ReadonlyArray<MetricLabel.MetricLabel> = []
const kindLabels = new Map<string, ReadonlyArray<MetricLabel.MetricLabel>>()
const outcomeLabels = new Map<string, Map<string, ReadonlyArray<MetricLabel.MetricLabel>>>()

const labelsOfKind = (kind: string): ReadonlyArray<MetricLabel.MetricLabel> => {
  let labels = kindLabels.get(kind)
  if (labels === undefined) {
    labels = [MetricLabel.make("kind", kind)]
    kindLabels.set(kind, labels)
  }
  return labels
}

const labelsOfOutcome = (kind: string, outcome: string): ReadonlyArray<MetricLabel.MetricLabel> => {
  let byOutcome = outcomeLabels.get(kind)
  if (byOutcome === undefined) {
    byOutcome = new Map()
    outcomeLabels.set(kind, byOutcome)
  }
  let labels = byOutcome.get(outcome)
  if (labels === undefined) {
    labels = [MetricLabel.make("kind", kind), MetricLabel.make("outcome", outcome)]
    byOutcome.set(outcome, labels)
  }
  return labels
}

/** A request started: counts it in flight; returns its start time. */
export const started = (): number => {
  Telemetry.requestsInFlight.unsafeModify(1, NO_LABELS)
  return performance.now()
}

/** A request started with `started` ended with `outcome`. */
export const ended = (kind: string, startedAt: number, outcome: string): void => {
  Telemetry.requestsInFlight.unsafeModify(-1, NO_LABELS)
  Telemetry.requestDuration.unsafeUpdate(performance.now() - startedAt, labelsOfKind(kind))
  Telemetry.requestsTotal.unsafeUpdate(1, labelsOfOutcome(kind, outcome))
}

/** A request refused before it started (closed client, unsupported, not connected). */
export const refused = (kind: string, outcome: string): void => {
  Telemetry.requestDuration.unsafeUpdate(0, labelsOfKind(kind))
  Telemetry.requestsTotal.unsafeUpdate(1, labelsOfOutcome(kind, outcome))
}

/** `ok`, or `daemon_error_<code>` for a reply that carries a daemon error code. */
export const replyOutcome = (reply: { readonly error_code?: number }): string =>
  reply.error_code === undefined || reply.error_code === 0 ? "ok" : `daemon_error_${reply.error_code}`
