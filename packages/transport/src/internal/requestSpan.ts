/** The span of one `ThinClient.request`, made only when the app traces (see spans.ts). */
import type { Rpc } from "@katzenpost-effect/core"
import type * as Effect from "effect/Effect"
import * as RequestMetrics from "./requestMetrics.js"
import { hexPrefix, span } from "./spans.js"

/** Safe span attributes of a request: its kind, and public hash prefixes (never caps or payloads). */
const attributesOf = (request: Rpc.QueryRequest): Record<string, unknown> => {
  const attributes: Record<string, unknown> = { "katzenpost.request.kind": request._tag }
  if (request.query_id !== null) attributes["katzenpost.query_id.prefix"] = hexPrefix(request.query_id)
  if ("envelope_hash" in request && request.envelope_hash instanceof Uint8Array) {
    attributes["katzenpost.envelope_hash.prefix"] = hexPrefix(request.envelope_hash)
  }
  return attributes
}

/** `self`, the exchange of `request`, in the span `ThinClient.<kind>` with the reply's outcome. */
export const requestSpan = <R extends Rpc.QueryRequest, A extends Rpc.ReplyOf<R>, E>(
  request: R,
  self: Effect.Effect<A, E>
): Effect.Effect<A, E> => span(self, `ThinClient.${request._tag}`, { attributes: attributesOf(request), outcome: RequestMetrics.replyOutcome })
