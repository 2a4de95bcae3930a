/** Envelopes: encrypting a read or a write for one box, and a run of tombstones. */
import { type EnvelopeHash, type MessageBoxIndex, PayloadTooLarge, Request as Req } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { type Envelope, type ReadEnvelope, TombstoneRangeIncomplete, type WriteEnvelope } from "../Envelope.js"
import type { Pigeonhole } from "../Pigeonhole.js"
import { checkCount, required } from "./call.js"
import { local, type ServiceContext } from "./context.js"

const EMPTY = new Uint8Array(0)

const encrypted = (
  kind: string,
  reply: {
    readonly message_ciphertext: Uint8Array | null
    readonly envelope_descriptor: Envelope["envelopeDescriptor"] | null
    readonly envelope_hash: EnvelopeHash | null
    readonly next_message_box_index: MessageBoxIndex | null
  }
) =>
  Effect.all({
    messageCiphertext: required(kind, "message_ciphertext", reply.message_ciphertext),
    envelopeDescriptor: required(kind, "envelope_descriptor", reply.envelope_descriptor),
    envelopeHash: required(kind, "envelope_hash", reply.envelope_hash),
    nextIndex: required(kind, "next_message_box_index", reply.next_message_box_index)
  })

export const encryptRead = (ctx: ServiceContext): Pigeonhole["encryptRead"] => (readCap, index, options) =>
  local(
    ctx,
    "encrypt_read",
    options,
    (query_id, o) => ctx.client.request(Req.EncryptRead.make({ query_id, read_cap: readCap, message_box_index: index }, true), o)
  ).pipe(
    Effect.flatMap((reply) => encrypted("encrypt_read_reply", reply)),
    Effect.map((fields): ReadEnvelope => ({ _tag: "ReadEnvelope", readCap, boxIndex: index, ...fields }))
  )

export const encryptWrite = (ctx: ServiceContext): Pigeonhole["encryptWrite"] => (plaintext, writeCap, index, options) =>
  Effect.gen(function*() {
    const limit = (yield* ctx.client.geometry).pigeonhole.MaxPlaintextPayloadLength
    // A zero limit means the geometry is unknown: leave the check to the daemon.
    if (limit > 0 && plaintext.length > limit) {
      return yield* Effect.fail(
        new PayloadTooLarge({
          code: 27,
          message: "plaintext is longer than the Pigeonhole geometry's MaxPlaintextPayloadLength",
          size: plaintext.length,
          limit
        })
      )
    }
    const reply = yield* local(ctx, "encrypt_write", options, (query_id, o) =>
      ctx.client.request(
        Req.EncryptWrite.make({ query_id, plaintext, write_cap: writeCap, message_box_index: index }, true),
        o
      ))
    const fields = yield* encrypted("encrypt_write_reply", reply)
    const envelope: WriteEnvelope = {
      _tag: "WriteEnvelope",
      writeCap,
      boxIndex: index,
      tombstone: plaintext.length === 0,
      ...fields
    }
    return envelope
  })

export const tombstoneRange = (ctx: ServiceContext): Pigeonhole["tombstoneRange"] => {
  const encrypt = encryptWrite(ctx)
  return (writeCap, start, maxCount, options) =>
    Effect.gen(function*() {
      yield* checkCount("maxCount", maxCount)
      const envelopes: Array<WriteEnvelope> = []
      let next = start
      while (envelopes.length < maxCount) {
        const made = yield* Effect.either(encrypt(EMPTY, writeCap, next, options))
        if (Either.isLeft(made)) {
          return yield* Effect.fail(new TombstoneRangeIncomplete({ reason: made.left, envelopes, next }))
        }
        envelopes.push(made.right)
        next = made.right.nextIndex
      }
      return { envelopes, next }
    })
}
