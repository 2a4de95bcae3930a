/**
 * `create_courier_envelopes_from_payload`, `…_from_multi_payload` and `…_from_tombstone_range`:
 * courier envelopes for destination boxes (chunks of MaxPlaintextPayloadLength − 4 bytes, or
 * tombstones), packed into copy-stream elements that each fit one box of the temporary
 * channel. Stateless: the encoder residual travels in the client's buffer.
 */
import { Bacap, type MessageBoxIndex, type Request, type WriteCap } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { DaemonSession } from "../../DaemonHandler.js"
import { writeCapRoot } from "./box.js"
import { INTERNAL_ERROR, INVALID_REQUEST, MAX_COPY_PAYLOAD, SUCCESS } from "./codes.js"
import type { EngineContext } from "./context.js"
import { decodeBuffer, emptyState, encodeBuffer, type EncoderState, pack } from "./copyStream.js"
import { fromMultiPayloadError, fromPayloadError, fromTombstoneRangeError } from "./replies.js"
import { canEncrypt, sealQuery } from "./seal.js"

/** A request the engine refuses with this thin code. */
class Refused {
  constructor(readonly code: number) {}
}

/** The boxes a destination's envelopes fill: `plaintexts[i]` goes to the i-th index from `start`. */
const envelopesFor = (
  context: EngineContext,
  writeCap: WriteCap,
  start: MessageBoxIndex,
  plaintexts: ReadonlyArray<Uint8Array>
): Effect.Effect<{ readonly envelopes: ReadonlyArray<Uint8Array>; readonly next: MessageBoxIndex }, Refused> =>
  Effect.gen(function*() {
    const envelopes: Array<Uint8Array> = []
    let index = start
    for (const plaintext of plaintexts) {
      envelopes.push((yield* sealQuery(context, writeCapRoot(writeCap), index, plaintext)).ciphertext)
      index = yield* Either.mapLeft(Bacap.nextIndex(index), () => new Refused(INTERNAL_ERROR))
    }
    return { envelopes, next: index }
  })

const chunks = (context: EngineContext, payload: Uint8Array): ReadonlyArray<Uint8Array> => {
  const size = context.geometry.pigeonhole.MaxPlaintextPayloadLength - 4
  const out: Array<Uint8Array> = []
  for (let offset = 0; offset < payload.length; offset += size) out.push(payload.slice(offset, offset + size))
  return out
}

interface Destination {
  readonly payload: Uint8Array
  readonly writeCap: WriteCap
  readonly start: MessageBoxIndex
}

const destination = (
  payload: Uint8Array | null,
  writeCap: WriteCap | null,
  start: MessageBoxIndex | null
): Either.Either<Destination, Refused> =>
  writeCap === null || start === null || (payload?.length ?? 0) > MAX_COPY_PAYLOAD
    ? Either.left(new Refused(INVALID_REQUEST))
    : Either.right({ payload: payload ?? new Uint8Array(0), writeCap, start })

const requireDocument = (context: EngineContext): Effect.Effect<void, Refused> =>
  canEncrypt(context) ? Effect.void : Effect.fail(new Refused(INTERNAL_ERROR))

const restore = (buffer: Uint8Array | null, isStart: boolean): Either.Either<EncoderState, Refused> => {
  const state = decodeBuffer(buffer)
  return state === undefined
    ? Either.left(new Refused(INVALID_REQUEST))
    : Either.right(isStart ? { ...state, pendingStart: true } : state)
}

const elementSize = (context: EngineContext): number => context.geometry.pigeonhole.MaxPlaintextPayloadLength

/** `create_courier_envelopes_from_payload`: always flushes, so no buffer. */
export const fromPayload = (
  context: EngineContext,
  session: DaemonSession,
  request: Request.CreateCourierEnvelopesFromPayload
): Effect.Effect<void> =>
  Effect.gen(function*() {
    const dest = yield* destination(request.payload, request.dest_write_cap, request.dest_start_index)
    yield* requireDocument(context)
    const { envelopes, next } = yield* envelopesFor(context, dest.writeCap, dest.start, chunks(context, dest.payload))
    const state = request.is_start ? { ...emptyState, pendingStart: true } : emptyState
    const packed = pack(state, envelopes, elementSize(context), request.is_last ? "final" : "flush")
    yield* session.reply({
      _tag: "CreateCourierEnvelopesFromPayloadReply",
      query_id: request.query_id,
      envelopes: packed.elements,
      next_dest_index: next,
      error_code: SUCCESS
    })
  }).pipe(Effect.catchAll((refused) => session.reply(fromPayloadError(request.query_id, refused.code))))

/** `create_courier_envelopes_from_multi_payload`: buffer threaded between calls. */
export const fromMultiPayload = (
  context: EngineContext,
  session: DaemonSession,
  request: Request.CreateCourierEnvelopesFromMultiPayload
): Effect.Effect<void> =>
  Effect.gen(function*() {
    const requested = request.destinations ?? []
    if (requested.length === 0) return yield* Effect.fail(new Refused(INVALID_REQUEST))
    const dests = yield* Effect.forEach(requested, (d) => destination(d.payload, d.write_cap, d.start_index))
    const state = yield* restore(request.buffer, request.is_start)
    yield* requireDocument(context)
    const envelopes: Array<Uint8Array> = []
    const nexts: Array<MessageBoxIndex> = []
    for (const dest of dests) {
      const packed = yield* envelopesFor(context, dest.writeCap, dest.start, chunks(context, dest.payload))
      for (const envelope of packed.envelopes) envelopes.push(envelope)
      nexts.push(packed.next)
    }
    const packed = pack(state, envelopes, elementSize(context), request.is_last ? "final" : "keep")
    yield* session.reply({
      _tag: "CreateCourierEnvelopesFromMultiPayloadReply",
      query_id: request.query_id,
      envelopes: packed.elements,
      buffer: request.is_last ? null : encodeBuffer(packed.state),
      next_dest_indices: nexts,
      error_code: SUCCESS
    })
  }).pipe(Effect.catchAll((refused) => session.reply(fromMultiPayloadError(request.query_id, refused.code))))

/** `create_courier_envelopes_from_tombstone_range`: `max_count` 0 answers at once with no envelopes. */
export const fromTombstoneRange = (
  context: EngineContext,
  session: DaemonSession,
  request: Request.CreateCourierEnvelopesFromTombstoneRange
): Effect.Effect<void> =>
  Effect.gen(function*() {
    const dest = yield* destination(null, request.dest_write_cap, request.dest_start_index)
    if (request.max_count === 0) {
      return yield* session.reply({
        _tag: "CreateCourierEnvelopesFromTombstoneRangeReply",
        query_id: request.query_id,
        envelopes: null,
        buffer: null,
        next_dest_index: dest.start,
        error_code: SUCCESS
      })
    }
    const state = yield* restore(request.buffer, request.is_start)
    yield* requireDocument(context)
    const tombstones = Array.from({ length: request.max_count }, () => new Uint8Array(0))
    const { envelopes, next } = yield* envelopesFor(context, dest.writeCap, dest.start, tombstones)
    const packed = pack(state, envelopes, elementSize(context), request.is_last ? "final" : "keep")
    yield* session.reply({
      _tag: "CreateCourierEnvelopesFromTombstoneRangeReply",
      query_id: request.query_id,
      envelopes: packed.elements,
      buffer: request.is_last ? null : encodeBuffer(packed.state),
      next_dest_index: next,
      error_code: SUCCESS
    })
  }).pipe(Effect.catchAll((refused) => session.reply(fromTombstoneRangeError(request.query_id, refused.code))))
