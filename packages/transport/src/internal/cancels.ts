/**
 * Which in-flight ARQ operation a cancel request stops: both are named by one key (the
 * envelope hash of an encrypted message, the BLAKE2b-256 of a copy command's WriteCap), so
 * a cancelled operation is completed instead of replayed after a reconnect.
 */
import { Bacap, Response } from "@katzenpost-effect/core"
import type { Request, Rpc } from "@katzenpost-effect/core"
import { idKey } from "./idKey.js"

/** The daemon's error code for a cancelled ARQ operation (`StartResendingCancelled`). */
const START_RESENDING_CANCELLED = 24

/** The key of the operation an ARQ request starts, if it names one. */
export const startedKey = (request: Rpc.ArqRequest): string | undefined => {
  switch (request._tag) {
    case "StartResendingEncryptedMessage":
      return request.envelope_hash === null ? undefined : `envelope:${idKey(request.envelope_hash)}`
    case "StartResendingCopyCommand":
      return request.write_cap === null ? undefined : `copy:${idKey(Bacap.writeCapHash(request.write_cap))}`
  }
}

/** The key of the operation a cancel request stops; undefined for every other request. */
export const cancelledKey = (request: Request.Request): string | undefined => {
  switch (request._tag) {
    case "CancelResendingEncryptedMessage":
      return request.envelope_hash === null ? undefined : `envelope:${idKey(request.envelope_hash)}`
    case "CancelResendingCopyCommand":
      return request.write_cap_hash === null ? undefined : `copy:${idKey(request.write_cap_hash)}`
    default:
      return undefined
  }
}

/** The reply the daemon gives a cancelled ARQ request (error 24), for when its connection died first. */
export const cancelledReply = (request: Rpc.ArqRequest): Response.QueryReply => {
  switch (request._tag) {
    case "StartResendingEncryptedMessage":
      return Response.StartResendingEncryptedMessageReply.make({
        query_id: request.query_id,
        plaintext: null,
        error_code: START_RESENDING_CANCELLED,
        courier_identity_hash: null,
        courier_queue_id: null
      })
    case "StartResendingCopyCommand":
      return Response.StartResendingCopyCommandReply.make({
        query_id: request.query_id,
        error_code: START_RESENDING_CANCELLED,
        replica_error_code: 0,
        failed_envelope_index: 0n
      })
  }
}
