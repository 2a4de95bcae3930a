/**
 * Wraps a client with spans (only when the app installed a tracer), metrics and connection
 * logs, and keeps its connection state and PKI document as state with change streams.
 * The request metrics themselves are updated inside the request machinery
 * (requestMetrics.ts); the direct-messaging calls are measured here.
 */
import type { PkiDocument, Rpc } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as SubscriptionRef from "effect/SubscriptionRef"
import type { ClientEvent } from "../ClientEvent.js"
import { ConnectionState } from "../ConnectionState.js"
import * as Telemetry from "../Telemetry.js"
import type { RequestOptions, ThinClient } from "../ThinClient.js"
import * as RequestMetrics from "./requestMetrics.js"
import { failureLabel, span } from "./spans.js"

/** The client before instrumentation: everything but the state streams. */
export type BaseClient = Omit<ThinClient, "connectionState" | "connectionChanges" | "pkiDocumentChanges">

/**
 * Runs one call with the in-flight gauge, latency histogram, outcome counter and span. The
 * metric updates are plain calls inside the call's own steps: no extra fibers or effects.
 */
const observe = <A, E>(
  kind: string,
  attributes: Record<string, unknown>,
  self: Effect.Effect<A, E>,
  success: (value: A) => string
): Effect.Effect<A, E> =>
  span(
    Effect.uninterruptibleMask((restore) => {
      const startedAt = RequestMetrics.started()
      return Effect.onExit(restore(self), (exit) =>
        Effect.sync(() => RequestMetrics.ended(kind, startedAt, Exit.isSuccess(exit) ? success(exit.value) : failureLabel(exit.cause))))
    }),
    `ThinClient.${kind}`,
    { attributes, outcome: success }
  )

const ok = () => "ok"

const isConnectionEvent = (event: ClientEvent): boolean =>
  event._tag === "ConnectionStatusEvent" || event._tag === "DaemonDisconnectedEvent" ||
  event._tag === "DaemonReconnectedEvent"

/** Logs and counts connection events, and keeps the state refs current, until the scope ends. */
const watch = (
  client: BaseClient,
  connection: SubscriptionRef.SubscriptionRef<ConnectionState>,
  pki: SubscriptionRef.SubscriptionRef<Option.Option<PkiDocument.PkiDocument>>
): Effect.Effect<void, never, Scope.Scope> =>
  Effect.gen(function*() {
    // Subscribe before reading the current values, so no change falls between the two.
    const queue = yield* client.subscribe
    const current = Effect.gen(function*() {
      const state = new ConnectionState({ daemon: yield* client.isDaemonConnected, mixnet: yield* client.isConnected })
      yield* SubscriptionRef.update(connection, (old) => (old.daemon === state.daemon && old.mixnet === state.mixnet ? old : state))
    })
    const document = Effect.flatMap(Effect.option(client.pkiDocument), (doc) => Option.isNone(doc) ? Effect.void : SubscriptionRef.set(pki, doc))
    yield* current
    yield* document
    const handle = (event: ClientEvent): Effect.Effect<void> => {
      switch (event._tag) {
        case "DaemonDisconnectedEvent":
          return Effect.zipRight(
            Metric.increment(Telemetry.disconnects),
            Effect.logWarning(`kpclientd connection lost${event.graceful ? " (daemon shut down)" : ""}: ${event.reason}`)
          )
        case "DaemonReconnectedEvent":
          return Metric.increment(Telemetry.reconnects).pipe(
            Effect.zipRight(Metric.incrementBy(Telemetry.replayedRequests, event.replayed)),
            Effect.zipRight(Effect.logInfo(
              `kpclientd reconnected (${event.sameInstance ? "same daemon" : "daemon restarted"}, session ${
                event.resumed ? "resumed" : "new"
              }); ${event.replayed} request(s) sent again`
            ))
          )
        case "PkiDocumentEvent":
          return document
        default:
          return Effect.void
      }
    }
    yield* Effect.forkScoped(Effect.forever(
      Effect.flatMap(Queue.take(queue), (event) => Effect.zipRight(handle(event), isConnectionEvent(event) ? current : Effect.void))
    ))
  })

/** The client with telemetry and its state streams; the watcher lives as long as `scope`. */
export const instrument = (client: BaseClient): Effect.Effect<ThinClient, never, Scope.Scope> =>
  Effect.gen(function*() {
    const connection = yield* SubscriptionRef.make(new ConnectionState({ daemon: false, mixnet: false }))
    const pki = yield* SubscriptionRef.make(Option.none<PkiDocument.PkiDocument>())
    yield* watch(client, connection, pki)
    const requestAll = <R extends Rpc.QueryRequest>(requests: Iterable<R>, options?: RequestOptions) =>
      span(client.requestAll(requests, options), "ThinClient.requestAll", {
        onSuccess: (exits) => ({ "katzenpost.request.count": exits.length })
      })
    return {
      // A request makes its own metrics and, when traced, its own span (requests.ts).
      ...client,
      requestAll,
      sendMessage: (surbId, payload, destination, queue) =>
        observe("SendMessage", { "katzenpost.request.kind": "SendMessage" }, client.sendMessage(surbId, payload, destination, queue), ok),
      sendMessageWithoutReply: (payload, destination, queue) =>
        observe(
          "SendMessageWithoutReply",
          { "katzenpost.request.kind": "SendMessageWithoutReply" },
          client.sendMessageWithoutReply(payload, destination, queue),
          ok
        ),
      blockingSendMessage: (payload, destination, queue, options) =>
        observe(
          "BlockingSendMessage",
          { "katzenpost.request.kind": "BlockingSendMessage" },
          client.blockingSendMessage(payload, destination, queue, options),
          ok
        ),
      connectionState: SubscriptionRef.get(connection),
      connectionChanges: connection.changes,
      pkiDocumentChanges: Stream.filterMap(pki.changes, (doc) => doc)
    }
  })
