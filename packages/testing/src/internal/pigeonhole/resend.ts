/**
 * `start_resending_encrypted_message` and its cancel: the daemon's ARQ towards a courier,
 * reduced to its observable behaviour (wire-protocol.md §5.3–5.4). One reply per operation,
 * at completion; reads wait through replication lag unless told not to retry; default writes
 * succeed after one round trip whatever the replica thinks.
 *
 * Like v0.0.73 (§2.5), unless the engine is told otherwise: a courier reply or a retransmit
 * that finds the session without a connection is dropped, and the operation stalls — its
 * entry stays (a cancel still answers it with 24) but nothing drives it until the client
 * replays the request, which replaces the entry and starts afresh.
 */
import type { MessageBoxIndex, Request } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import type { DaemonSession } from "../../DaemonHandler.js"
import { boxId, readCapRoot, seal } from "./box.js"
import { sameBytes } from "./bytes.js"
import * as Codes from "./codes.js"
import { checkpoint, type EngineContext, inFlightChanged, lagMillis, mayProceed, now, pause, replyTo, Stalled } from "./context.js"
import { type Courier, pickCourier } from "./couriers.js"
import { type InFlightEntry, messageKey } from "./inflight.js"
import { lookup, store } from "./network.js"
import { type CourierQuery, decodeQuery, descriptorKey, envelopeKeyHash, unpad } from "./query.js"
import { cancelResendReply, resendReply } from "./replies.js"

/** How an operation ended: a code and, for reads, the plaintext. */
interface Outcome {
  readonly code: number
  readonly plaintext: Uint8Array | null
}

const outcome = (code: number, plaintext: Uint8Array | null = null): Outcome => ({ code, plaintext })

const validate = (request: Request.StartResendingEncryptedMessage): boolean =>
  request.query_id !== null &&
  request.envelope_hash !== null &&
  (request.message_ciphertext?.length ?? 0) > 0 &&
  (request.envelope_descriptor?.bytes.length ?? 0) > 0 &&
  (request.read_cap === null) !== (request.write_cap === null)

/** What the courier and replicas answer a read, once the box is readable (or known missing). */
const readOnce = (
  context: EngineContext,
  request: Request.StartResendingEncryptedMessage,
  query: CourierQuery
): Effect.Effect<Outcome | "not-found"> =>
  Effect.map(now, (time) => {
    const box = lookup(context.network, query.boxId, time).visible
    if (box === undefined) return "not-found"
    if (box.content._tag === "Tombstone") return outcome(Codes.TOMBSTONE, new Uint8Array(0))
    const index: MessageBoxIndex | null = request.message_box_index
    // Without an index the daemon skips BACAP decryption and hands back the inner payload.
    if (index === null) return outcome(Codes.SUCCESS, box.content.sealed.slice())
    if (request.read_cap === null || !sameBytes(boxId(readCapRoot(request.read_cap), index), query.boxId)) {
      return outcome(Codes.BACAP_DECRYPTION_FAILED)
    }
    const plaintext = unpad(seal(index, query.boxId, box.content.sealed))
    if (plaintext === undefined) return outcome(Codes.INTERNAL_ERROR)
    return plaintext.length === 0 ? outcome(Codes.TOMBSTONE, plaintext) : outcome(Codes.SUCCESS, plaintext)
  })

const read = (
  context: EngineContext,
  appId: Uint8Array,
  request: Request.StartResendingEncryptedMessage,
  query: CourierQuery
): Effect.Effect<Outcome, Stalled> =>
  Effect.gen(function*() {
    while (true) {
      yield* pause(context.timing.roundTrip)
      const result = yield* readOnce(context, request, query)
      if (result !== "not-found") return result
      if (request.no_retry_on_box_id_not_found) return outcome(Codes.BOX_ID_NOT_FOUND)
      // BoxIdNotFound: the daemon sends again with a fresh SURB, without limit — if the reply
      // found a connection, and again if the retransmit timer does.
      yield* checkpoint(context, appId)
      yield* pause(context.timing.readRetryInterval)
      yield* checkpoint(context, appId)
    }
  })

const write = (
  context: EngineContext,
  request: Request.StartResendingEncryptedMessage,
  query: CourierQuery
): Effect.Effect<Outcome> =>
  Effect.gen(function*() {
    yield* pause(context.timing.roundTrip)
    const time = yield* now
    const stored = store(context.network, query.boxId, {
      content: query.kind === "tombstone" ? { _tag: "Tombstone" } : { _tag: "Data", sealed: query.body },
      visibleAt: time + lagMillis(context)
    })
    // By default the first ACK completes the write; the replica's answer is never looked at.
    if (!request.no_idempotent_box_already_exists) return outcome(Codes.SUCCESS)
    yield* pause(context.timing.roundTrip)
    return outcome(stored === "exists" ? Codes.BOX_ALREADY_EXISTS : Codes.SUCCESS)
  })

/** The courier's side: descriptor and query checks, then the read or write itself. */
const run = (
  context: EngineContext,
  appId: Uint8Array,
  request: Request.StartResendingEncryptedMessage,
  query: CourierQuery | undefined
): Effect.Effect<Outcome, Stalled> => {
  const key = request.envelope_descriptor === null ? undefined : descriptorKey(request.envelope_descriptor.bytes)
  if (query === undefined || key === undefined) return Effect.succeed(outcome(Codes.INTERNAL_ERROR))
  if (!sameBytes(envelopeKeyHash(key), query.envelopeKeyHash)) return Effect.succeed(outcome(Codes.MKEM_DECRYPTION_FAILED))
  const isRead = request.read_cap !== null
  if (isRead !== (query.kind === "read")) return Effect.succeed(outcome(Codes.INTERNAL_ERROR))
  return isRead ? read(context, appId, request, query) : write(context, request, query)
}

/** `start_resending_encrypted_message`: validates, picks a courier, and leaves the rest to an ARQ fiber. */
export const startResending = (
  context: EngineContext,
  session: DaemonSession,
  request: Request.StartResendingEncryptedMessage
): Effect.Effect<void> =>
  Effect.gen(function*() {
    const { envelope_hash, message_ciphertext, query_id } = request
    if (!validate(request) || envelope_hash === null || message_ciphertext === null) {
      return yield* session.reply(resendReply(query_id, Codes.INVALID_REQUEST, undefined))
    }
    const courier: Courier | undefined = context.knobs.hasPkiDocument ? yield* pickCourier(context.document) : undefined
    if (courier === undefined) return yield* session.reply(resendReply(query_id, Codes.INTERNAL_ERROR, undefined))
    // A first send that cannot be composed into a Sphinx packet fails at once.
    if (message_ciphertext.length > context.geometry.sphinx.UserForwardPayloadLength) {
      return yield* session.reply(resendReply(query_id, Codes.INTERNAL_ERROR, courier))
    }
    const appId = session.appId
    const key = messageKey(envelope_hash)
    const entry: InFlightEntry = { fiber: undefined, cancelled: resendReply(query_id, Codes.CANCELLED, courier) }
    const replaced = context.inFlight.add(appId, key, entry)
    yield* inFlightChanged(context)
    if (replaced?.fiber !== undefined) yield* Fiber.interrupt(replaced.fiber)
    const arq = Effect.flatMap(run(context, appId, request, decodeQuery(message_ciphertext)), (result) =>
      Effect.flatMap(mayProceed(context, appId), (connected) =>
        Effect.suspend(() => {
          // The courier's reply finds no connection: lost, and the entry stays without a timer.
          if (!connected) {
            return Effect.fail(new Stalled())
          }
          if (!context.inFlight.settle(appId, key, entry)) {
            return Effect.void
          }
          return Effect.zipRight(
            inFlightChanged(context),
            replyTo(context, appId, resendReply(query_id, result.code, courier, result.plaintext))
          )
        })))
    entry.fiber = yield* Effect.forkIn(
      Effect.catchTag(arq, "Stalled", () =>
        Effect.void),
      context.scope
    )
  })

/** Interrupts a removed entry's fiber and sends the original request its code-24 reply. */
export const cancelEntry = (
  context: EngineContext,
  appId: Uint8Array,
  entry: InFlightEntry | undefined
): Effect.Effect<void> =>
  entry === undefined
    ? Effect.void
    : Effect.zipRight(
      entry.fiber === undefined ? Effect.void : Fiber.interrupt(entry.fiber),
      Effect.zipRight(inFlightChanged(context), replyTo(context, appId, entry.cancelled))
    )

/** `cancel_resending_encrypted_message`: the original gets 24 first (if still in flight), then this 0. */
export const cancelResending = (
  context: EngineContext,
  session: DaemonSession,
  request: Request.CancelResendingEncryptedMessage
): Effect.Effect<void> => {
  const { envelope_hash, query_id } = request
  if (query_id === null || envelope_hash === null) return session.reply(cancelResendReply(query_id, Codes.INVALID_REQUEST))
  return Effect.suspend(() => cancelEntry(context, session.appId, context.inFlight.take(session.appId, messageKey(envelope_hash)))).pipe(
    Effect.zipRight(session.reply(cancelResendReply(query_id, Codes.SUCCESS)))
  )
}
