/** Legacy direct messaging (`send_message`) and the blocking SURB round trip. */
import {
  ClientClosed,
  Codec,
  DaemonDisconnected,
  DaemonOffline,
  newMessageId,
  newSurbId,
  PayloadTooLarge,
  Request,
  RequestTimeout
} from "@katzenpost-effect/core"
import type { MessageId, NodeIdHash, Response, SurbId } from "@katzenpost-effect/core"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { TransportError } from "../ThinClient.js"
import type { MessageSendFailed } from "../TransportErrors.js"
import type { ClientEnv } from "./env.js"
import { idKey } from "./idKey.js"

/**
 * A direct send; `surbId` set means with SURB (and `surbid` is then always on the wire). The
 * write is bounded by `blockingSendTimeout` (`RequestTimeout` when the daemon stops reading).
 */
export const send = (
  env: ClientEnv,
  operation: string,
  surbId: SurbId | null,
  payload: Uint8Array,
  destination: NodeIdHash,
  queue: Uint8Array
): Effect.Effect<MessageId, DaemonOffline | PayloadTooLarge | TransportError> =>
  Effect.gen(function*() {
    const state = env.state
    if (state.closed) return yield* new ClientClosed({ operation })
    if (state.live === undefined) return yield* new DaemonDisconnected({ operation, reason: state.lastDisconnect })
    // Like the Go client: refuse rather than let the daemon queue it behind a paused sender.
    if (!state.mixnet) return yield* new DaemonOffline({ operation })
    const limit = state.geometry?.sphinx.UserForwardPayloadLength ?? 0
    if (payload.length > limit) {
      return yield* new PayloadTooLarge({ code: 27, message: "Payload too large", size: payload.length, limit })
    }
    const id = yield* newMessageId
    const request = Request.SendMessage.make({
      id,
      with_surb: surbId !== null,
      surbid: surbId,
      destination_id_hash: destination,
      recipient_queue_id: queue,
      payload
    })
    const encoded = Codec.encodeRequest(request)
    if (Either.isLeft(encoded)) return yield* encoded.left
    // A daemon that stopped reading (§3.1) would block the write forever: bound it.
    const bound = env.config.blockingSendTimeout
    yield* state.live.connection.send(encoded.right).pipe(
      Effect.mapError((end) => new DaemonDisconnected({ operation, reason: end.reason })),
      Effect.timeoutFail({ duration: bound, onTimeout: () => new RequestTimeout({ operation, millis: Duration.toMillis(bound) }) })
    )
    return id
  })

/** Sends with a fresh SURB and waits for the reply event carrying it. */
export const blockingSend = (
  env: ClientEnv,
  payload: Uint8Array,
  destination: NodeIdHash,
  queue: Uint8Array,
  timeout: Duration.DurationInput | undefined
): Effect.Effect<Response.MessageReplyEvent, DaemonOffline | PayloadTooLarge | MessageSendFailed | TransportError> =>
  Effect.gen(function*() {
    const operation = "blocking_send_message"
    const surbId = yield* newSurbId
    const key = idKey(surbId)
    const waiter = yield* Deferred.make<Response.MessageReplyEvent, TransportError | MessageSendFailed>()
    const duration = Duration.decode(timeout ?? env.config.blockingSendTimeout)
    // The waiter exists before the send, and survives reconnects: the daemon queues SURB replies for a resumed session.
    yield* Effect.sync(() => env.state.surbWaiters.set(key, waiter))
    return yield* send(env, operation, surbId, payload, destination, queue).pipe(
      Effect.zipRight(Deferred.await(waiter)),
      Effect.timeoutFail({ duration, onTimeout: () => new RequestTimeout({ operation, millis: Duration.toMillis(duration) }) }),
      Effect.ensuring(Effect.sync(() => {
        if (env.state.surbWaiters.get(key) === waiter) env.state.surbWaiters.delete(key)
      }))
    )
  })
