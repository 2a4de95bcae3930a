/**
 * The Pigeonhole metrics. Every Pigeonhole and Streams call also opens a span named
 * `Pigeonhole.<call>` / `Streams.<call>` when the app installed a tracer (see the transport
 * package's `Telemetry`).
 *
 * @since 0.2.0
 */
import * as Metric from "effect/Metric"

/**
 * ARQ operations ended, labelled `kind` (`read`, `write`, `copy`) and `outcome` (`ok` or the
 * error tag, e.g. `BoxIdNotFound`, `Tombstone`, `RequestTimeout`, `interrupted`).
 *
 * @since 0.2.0
 * @category metrics
 */
export const arqOutcomes = Metric.counter("katzenpost_pigeonhole_arq_outcomes_total", {
  description: "Pigeonhole ARQ operations ended, by kind and outcome",
  incremental: true
})
