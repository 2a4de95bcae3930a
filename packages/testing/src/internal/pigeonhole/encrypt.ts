/** `encrypt_read` and `encrypt_write`: a sealed courier query for one box, without advancing any state. */
import { Bacap, type Request } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { DaemonSession } from "../../DaemonHandler.js"
import { readCapRoot, writeCapRoot } from "./box.js"
import { INTERNAL_ERROR, INVALID_REQUEST, SUCCESS } from "./codes.js"
import type { EngineContext } from "./context.js"
import { encryptError, encryptReply, type EncryptTag } from "./replies.js"
import { canEncrypt, sealQuery } from "./seal.js"

const encrypt = (
  context: EngineContext,
  session: DaemonSession,
  tag: EncryptTag,
  request: { readonly query_id: Request.EncryptRead["query_id"]; readonly message_box_index: Request.EncryptRead["message_box_index"] },
  root: Uint8Array,
  plaintext: Uint8Array | undefined
): Effect.Effect<void> => {
  const index = request.message_box_index
  if (index === null) return session.reply(encryptError(tag, request.query_id, INVALID_REQUEST))
  if (!canEncrypt(context)) return session.reply(encryptError(tag, request.query_id, INTERNAL_ERROR))
  return Either.match(Bacap.nextIndex(index), {
    onLeft: () => session.reply(encryptError(tag, request.query_id, INTERNAL_ERROR)),
    onRight: (next) =>
      Effect.flatMap(sealQuery(context, root, index, plaintext), (sealed) =>
        session.reply(encryptReply(tag, {
          query_id: request.query_id,
          message_ciphertext: sealed.ciphertext,
          envelope_descriptor: sealed.descriptor,
          envelope_hash: sealed.envelopeHash,
          next_message_box_index: next,
          error_code: SUCCESS
        })))
  })
}

/** `encrypt_read`. */
export const encryptRead = (context: EngineContext, session: DaemonSession, request: Request.EncryptRead): Effect.Effect<void> =>
  request.read_cap === null
    ? session.reply(encryptError("EncryptReadReply", request.query_id, INVALID_REQUEST))
    : encrypt(context, session, "EncryptReadReply", request, readCapRoot(request.read_cap), undefined)

/** `encrypt_write`; an empty plaintext is a tombstone. */
export const encryptWrite = (context: EngineContext, session: DaemonSession, request: Request.EncryptWrite): Effect.Effect<void> => {
  const { plaintext, write_cap } = request
  if (write_cap === null || plaintext === null) return session.reply(encryptError("EncryptWriteReply", request.query_id, INVALID_REQUEST))
  if (plaintext.length > context.geometry.pigeonhole.MaxPlaintextPayloadLength) {
    return session.reply(encryptError("EncryptWriteReply", request.query_id, INVALID_REQUEST))
  }
  return encrypt(context, session, "EncryptWriteReply", request, writeCapRoot(write_cap), plaintext)
}
