/** Copy streams: courier envelopes built from a payload, from several, or from a range of tombstones. */
import { InvalidArgument, PayloadTooLarge, Request as Req } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import { MAX_COPY_PAYLOAD } from "../CopyStream.js"
import type { Pigeonhole } from "../Pigeonhole.js"
import { checkCount, required } from "./call.js"
import { local, scaledOptions, type ServiceContext } from "./context.js"

const checkCopyPayload = (argument: string, payload: Uint8Array): Effect.Effect<void, PayloadTooLarge> =>
  payload.length <= MAX_COPY_PAYLOAD
    ? Effect.void
    : Effect.fail(
      new PayloadTooLarge({
        code: 27,
        message: `${argument} is larger than a copy stream call accepts`,
        size: payload.length,
        limit: MAX_COPY_PAYLOAD
      })
    )

/** Started KiB of a payload: the unit of the packing calls' default timeout. */
const kib = (bytes: number): number => Math.ceil(bytes / 1024)

const elements = (kind: string, envelopes: ReadonlyArray<Uint8Array | null> | null) =>
  Effect.forEach(envelopes ?? [], (element, i) => required(kind, `envelopes[${i}]`, element))

export const createCourierEnvelopesFromPayload =
  (ctx: ServiceContext): Pigeonhole["createCourierEnvelopesFromPayload"] => (payload, destWriteCap, destStartIndex, options) =>
    checkCopyPayload("payload", payload).pipe(
      Effect.zipRight(
        local(ctx, "create_courier_envelopes_from_payload", scaledOptions(ctx, options, kib(payload.length)), (query_id, o) =>
          ctx.client.request(
            Req.CreateCourierEnvelopesFromPayload.make({
              query_id,
              payload,
              dest_write_cap: destWriteCap,
              dest_start_index: destStartIndex,
              is_start: options?.isStart ?? true,
              is_last: options?.isLast ?? true
            }, true),
            o
          ))
      ),
      Effect.flatMap((reply) =>
        Effect.all({
          envelopes: elements("create_courier_envelopes_from_payload_reply", reply.envelopes),
          nextDestIndex: required("create_courier_envelopes_from_payload_reply", "next_dest_index", reply.next_dest_index)
        })
      )
    )

export const createCourierEnvelopesFromMultiPayload =
  (ctx: ServiceContext): Pigeonhole["createCourierEnvelopesFromMultiPayload"] => (destinations, options) =>
    Effect.gen(function*() {
      if (destinations.length === 0) {
        return yield* Effect.fail(new InvalidArgument({ argument: "destinations", reason: "must not be empty" }))
      }
      yield* Effect.forEach(destinations, (d, i) => checkCopyPayload(`destinations[${i}].payload`, d.payload), {
        discard: true
      })
      const kind = "create_courier_envelopes_from_multi_payload_reply"
      const units = destinations.reduce((sum, d) => sum + kib(d.payload.length), 0)
      const reply = yield* local(ctx, "create_courier_envelopes_from_multi_payload", scaledOptions(ctx, options, units), (query_id, o) =>
        ctx.client.request(
          Req.CreateCourierEnvelopesFromMultiPayload.make({
            query_id,
            destinations: destinations.map((d) => ({
              payload: d.payload,
              write_cap: d.writeCap,
              start_index: d.startIndex
            })),
            is_start: options?.isStart ?? true,
            is_last: options?.isLast ?? true,
            buffer: options?.buffer ?? null
          }, true),
          o
        ))
      return {
        envelopes: yield* elements(kind, reply.envelopes),
        buffer: reply.buffer ?? undefined,
        nextDestIndices: yield* Effect.forEach(reply.next_dest_indices ?? [], (index, i) =>
          required(kind, `next_dest_indices[${i}]`, index))
      }
    })

export const createCourierEnvelopesFromTombstoneRange =
  (ctx: ServiceContext): Pigeonhole["createCourierEnvelopesFromTombstoneRange"] => (destWriteCap, destStartIndex, maxCount, options) =>
    checkCount("maxCount", maxCount).pipe(
      Effect.zipRight(
        local(ctx, "create_courier_envelopes_from_tombstone_range", scaledOptions(ctx, options, maxCount), (query_id, o) =>
          ctx.client.request(
            Req.CreateCourierEnvelopesFromTombstoneRange.make({
              query_id,
              dest_write_cap: destWriteCap,
              dest_start_index: destStartIndex,
              max_count: maxCount,
              is_start: options?.isStart ?? true,
              is_last: options?.isLast ?? true,
              buffer: options?.buffer ?? null
            }, true),
            o
          ))
      ),
      Effect.flatMap((reply) => {
        const kind = "create_courier_envelopes_from_tombstone_range_reply"
        return Effect.all({
          envelopes: elements(kind, reply.envelopes),
          buffer: Effect.succeed(reply.buffer ?? undefined),
          nextDestIndex: required(kind, "next_dest_index", reply.next_dest_index)
        })
      })
    )
