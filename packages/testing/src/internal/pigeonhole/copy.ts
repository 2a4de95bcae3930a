/**
 * `start_resending_copy_command` and its cancel. The courier reads the temporary channel the
 * client wrote under the command's WriteCap, reassembles the copy stream, writes every
 * destination box (write-once: an existing box aborts with code 26, replica code 10 and the
 * 1-based element index), then tombstones the temporary channel. Until the whole stream is
 * stored the command is "in progress" and re-polled every CopyPollInterval, as the daemon does.
 * A reply or poll that finds the session disconnected stalls the command, as in resend.ts.
 */
import { Bacap, type MessageBoxIndex, type Request, type WriteCap } from "@katzenpost-effect/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import type { DaemonSession } from "../../DaemonHandler.js"
import { boxId, seal, writeCapRoot } from "./box.js"
import { hex } from "./bytes.js"
import * as Codes from "./codes.js"
import { checkpoint, type EngineContext, inFlightChanged, lagMillis, mayProceed, now, pause, replyTo, Stalled } from "./context.js"
import { decodeElement, type Element, unpack } from "./copyStream.js"
import { type Courier, isListed, pickCourier, pinned } from "./couriers.js"
import { copyKey, type InFlightEntry } from "./inflight.js"
import { type CopyOutcome, lookup, store } from "./network.js"
import { decodeQuery, unpad } from "./query.js"
import { cancelCopyReply, copyReply } from "./replies.js"
import { cancelEntry } from "./resend.js"

// No stream we build comes near this many elements; beyond it the command stays in progress.
const MAX_ELEMENTS = 1 << 16

const failed = (replicaErrorCode: number, failedEnvelopeIndex: number): CopyOutcome => ({
  errorCode: Codes.COPY_COMMAND_FAILED,
  replicaErrorCode,
  failedEnvelopeIndex: BigInt(failedEnvelopeIndex)
})

const succeeded: CopyOutcome = { errorCode: Codes.SUCCESS, replicaErrorCode: 0, failedEnvelopeIndex: 0n }

type TempStream =
  | { readonly _tag: "InProgress" }
  | { readonly _tag: "Failed"; readonly outcome: CopyOutcome }
  | {
    readonly _tag: "Stored"
    readonly elements: ReadonlyArray<Element>
    readonly boxes: ReadonlyArray<Uint8Array>
    readonly readableAt: number
  }

/** Reads the temporary channel (every stored version, readable or not yet) up to its final element. */
const readTempStream = (context: EngineContext, writeCap: WriteCap): TempStream => {
  const root = writeCapRoot(writeCap)
  const elements: Array<Element> = []
  const boxes: Array<Uint8Array> = []
  let readableAt = 0
  let index: MessageBoxIndex = Bacap.firstIndex(writeCap)
  for (let n = 0; n < MAX_ELEMENTS; n++) {
    const id = boxId(root, index)
    const box = lookup(context.network, id, 0).newest
    if (box === undefined) return { _tag: "InProgress" }
    if (box.content._tag === "Tombstone") return { _tag: "Failed", outcome: failed(Codes.TOMBSTONE, 0) }
    const padded = unpad(seal(index, id, box.content.sealed))
    const element = padded === undefined ? undefined : decodeElement(padded)
    if (element === undefined) return { _tag: "Failed", outcome: failed(Codes.INVALID_PAYLOAD, 0) }
    elements.push(element)
    boxes.push(id)
    readableAt = Math.max(readableAt, box.visibleAt)
    if (element.final) return { _tag: "Stored", elements, boxes, readableAt }
    const next = Bacap.nextIndex(index)
    if (Either.isLeft(next)) return { _tag: "Failed", outcome: failed(Codes.INVALID_PAYLOAD, 0) }
    index = next.right
  }
  return { _tag: "InProgress" }
}

/** Executes a stored stream at time `time`: writes the destinations, then tombstones the temporary boxes. */
const execute = (context: EngineContext, stream: Extract<TempStream, { _tag: "Stored" }>, time: number): CopyOutcome => {
  const envelopes = unpack(stream.elements)
  if (envelopes === undefined) return failed(Codes.INVALID_PAYLOAD, 0)
  const visibleAt = time + lagMillis(context)
  for (const [i, envelope] of envelopes.entries()) {
    const query = decodeQuery(envelope)
    if (query === undefined || query.kind === "read") return failed(Codes.INVALID_PAYLOAD, i + 1)
    const content = query.kind === "tombstone" ? { _tag: "Tombstone" as const } : { _tag: "Data" as const, sealed: query.body }
    if (store(context.network, query.boxId, { content, visibleAt }) === "exists") return failed(Codes.BOX_ALREADY_EXISTS, i + 1)
  }
  for (const id of stream.boxes) store(context.network, id, { content: { _tag: "Tombstone" }, visibleAt })
  return succeeded
}

/**
 * Waits until the courier has an answer, and returns the step that produces it; the caller
 * runs that step only if the command is still in flight, so a cancel never races a write.
 */
const courierAnswer = (
  context: EngineContext,
  appId: Uint8Array,
  writeCap: WriteCap,
  courier: Courier
): Effect.Effect<(time: number) => CopyOutcome, Stalled> =>
  Effect.gen(function*() {
    const hash = hex(Bacap.writeCapHash(writeCap))
    // A pinned courier the document does not list never answers: the daemon retransmits forever.
    const reachable = isListed(context.document, courier)
    while (true) {
      yield* pause(context.timing.roundTrip)
      const cached = reachable ? context.network.copies.get(hash) : undefined
      if (cached !== undefined) return () => cached
      const stream: TempStream = reachable ? readTempStream(context, writeCap) : { _tag: "InProgress" }
      if (stream._tag === "Failed") return () => stream.outcome
      if (stream._tag === "Stored") {
        // The courier reads through replication lag itself before it executes.
        const time = yield* now
        yield* pause(Duration.millis(Math.max(0, stream.readableAt - time)))
        return (time) => {
          const result = execute(context, stream, time)
          context.network.copies.set(hash, result)
          return result
        }
      }
      // "In progress" came back (if it found a connection); the poll timer fires (likewise).
      yield* checkpoint(context, appId)
      yield* pause(context.timing.copyPollInterval)
      yield* checkpoint(context, appId)
    }
  })

/** `start_resending_copy_command`; a courier is pinned only when both courier fields are set. */
export const startCopy = (
  context: EngineContext,
  session: DaemonSession,
  request: Request.StartResendingCopyCommand
): Effect.Effect<void> =>
  Effect.gen(function*() {
    const { query_id, write_cap } = request
    if (query_id === null || write_cap === null) return yield* session.reply(copyReply(query_id, Codes.INVALID_REQUEST))
    if (!context.knobs.hasPkiDocument) return yield* session.reply(copyReply(query_id, Codes.INTERNAL_ERROR))
    const isPinned = request.courier_identity_hash !== null && (request.courier_queue_id?.length ?? 0) > 0
    const courier = isPinned && request.courier_identity_hash !== null && request.courier_queue_id !== null
      ? pinned(request.courier_identity_hash, request.courier_queue_id)
      : yield* pickCourier(context.document)
    if (courier === undefined) return yield* session.reply(copyReply(query_id, Codes.INTERNAL_ERROR))
    context.copyLog.push({ courier, pinned: isPinned })
    const appId = session.appId
    const key = copyKey(Bacap.writeCapHash(write_cap))
    const entry: InFlightEntry = { fiber: undefined, cancelled: copyReply(query_id, Codes.CANCELLED) }
    const replaced = context.inFlight.add(appId, key, entry)
    yield* inFlightChanged(context)
    if (replaced?.fiber !== undefined) yield* Fiber.interrupt(replaced.fiber)
    const arq = Effect.flatMap(courierAnswer(context, appId, write_cap, courier), (answer) =>
      Effect.flatMap(Effect.zip(now, mayProceed(context, appId)), ([time, connected]) =>
        Effect.suspend(() => {
          if (!context.inFlight.isCurrent(appId, key, entry)) {
            return Effect.void
          }
          // The courier executes either way; without a connection its reply is lost and the entry stays.
          const result = answer(time)
          if (!connected) {
            return Effect.fail(new Stalled())
          }
          context.inFlight.settle(appId, key, entry)
          return Effect.zipRight(
            inFlightChanged(context),
            replyTo(context, appId, copyReply(query_id, result.errorCode, result.replicaErrorCode, result.failedEnvelopeIndex))
          )
        })))
    entry.fiber = yield* Effect.forkIn(
      Effect.catchTag(arq, "Stalled", () =>
        Effect.void),
      context.scope
    )
  })

/** `cancel_resending_copy_command`: the original gets 24 first (if still in flight), then this 0. */
export const cancelCopy = (
  context: EngineContext,
  session: DaemonSession,
  request: Request.CancelResendingCopyCommand
): Effect.Effect<void> => {
  const { query_id, write_cap_hash } = request
  if (query_id === null || write_cap_hash === null) return session.reply(cancelCopyReply(query_id, Codes.INVALID_REQUEST))
  return Effect.suspend(() => cancelEntry(context, session.appId, context.inFlight.take(session.appId, copyKey(write_cap_hash)))).pipe(
    Effect.zipRight(session.reply(cancelCopyReply(query_id, Codes.SUCCESS)))
  )
}
