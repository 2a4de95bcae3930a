/** What the demo counts: thin-client round trips (by counting requests) and application bytes. */
import { Rpc } from "@katzenpost-effect/core"
import { type ThinClient } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"

/** Counters of one run. */
export interface Metrics {
  roundTrips: number
  arqRoundTrips: number
  messagesWritten: number
  messagesRead: number
  bytesWritten: number
  bytesRead: number
}

/** Fresh counters. */
export const makeMetrics = (): Metrics => ({
  roundTrips: 0,
  arqRoundTrips: 0,
  messagesWritten: 0,
  messagesRead: 0,
  bytesWritten: 0,
  bytesRead: 0
})

/** The same client, counting every request it sends (each is one request/reply round trip with the daemon). */
export const counting = (client: ThinClient.ThinClient, metrics: Metrics): ThinClient.ThinClient => ({
  ...client,
  request: (request, options) =>
    Effect.zipRight(
      Effect.sync(() => {
        metrics.roundTrips++
        if (Rpc.isArqRequest(request)) metrics.arqRoundTrips++
      }),
      client.request(request, options)
    ),
  requestAll: (requests, options) =>
    Effect.suspend(() => {
      const all = Array.from(requests)
      metrics.roundTrips += all.length
      metrics.arqRoundTrips += all.filter(Rpc.isArqRequest).length
      return client.requestAll(all, options)
    })
})
