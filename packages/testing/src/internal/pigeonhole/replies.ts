/**
 * Reply builders. Error replies carry only `query_id` and `error_code`; every other field is
 * null or zero, as the Go daemon encodes them.
 */
import type { QueryId, Response } from "@katzenpost-effect/core"
import type { Courier } from "./couriers.js"

type Q = QueryId | null

/** `new_keypair_reply` with an error. */
export const keypairError = (query_id: Q, error_code: number): Response.NewKeypairReply => ({
  _tag: "NewKeypairReply",
  query_id,
  write_cap: null,
  read_cap: null,
  first_message_index: null,
  error_code
})

/** Which of the two encrypt replies. */
export type EncryptTag = "EncryptReadReply" | "EncryptWriteReply"

/** `encrypt_read_reply` or `encrypt_write_reply` (they have the same fields). */
export const encryptReply = (
  tag: EncryptTag,
  fields: Omit<Response.EncryptReadReply, "_tag">
): Response.EncryptReadReply | Response.EncryptWriteReply => tag === "EncryptReadReply" ? { _tag: tag, ...fields } : { _tag: tag, ...fields }

/** `encrypt_read_reply` / `encrypt_write_reply` with an error. */
export const encryptError = (tag: EncryptTag, query_id: Q, error_code: number) =>
  encryptReply(tag, {
    query_id,
    message_ciphertext: null,
    envelope_descriptor: null,
    envelope_hash: null,
    next_message_box_index: null,
    error_code
  })

/** `start_resending_encrypted_message_reply`; courier fields only once a courier was chosen. */
export const resendReply = (
  query_id: Q,
  error_code: number,
  courier: Courier | undefined,
  plaintext: Uint8Array | null = null
): Response.StartResendingEncryptedMessageReply => ({
  _tag: "StartResendingEncryptedMessageReply",
  query_id,
  plaintext,
  error_code,
  courier_identity_hash: courier?.identityHash ?? null,
  courier_queue_id: courier?.queueId ?? null
})

/** `cancel_resending_encrypted_message_reply`. */
export const cancelResendReply = (query_id: Q, error_code: number): Response.CancelResendingEncryptedMessageReply => ({
  _tag: "CancelResendingEncryptedMessageReply",
  query_id,
  error_code
})

/** `start_resending_copy_command_reply`. */
export const copyReply = (
  query_id: Q,
  error_code: number,
  replica_error_code = 0,
  failed_envelope_index = 0n
): Response.StartResendingCopyCommandReply => ({
  _tag: "StartResendingCopyCommandReply",
  query_id,
  error_code,
  replica_error_code,
  failed_envelope_index
})

/** `cancel_resending_copy_command_reply`. */
export const cancelCopyReply = (query_id: Q, error_code: number): Response.CancelResendingCopyCommandReply => ({
  _tag: "CancelResendingCopyCommandReply",
  query_id,
  error_code
})

/** `next_message_box_index_reply` with an error. */
export const nextIndexError = (query_id: Q, error_code: number): Response.NextMessageBoxIndexReply => ({
  _tag: "NextMessageBoxIndexReply",
  query_id,
  next_message_box_index: null,
  error_code
})

/** `get_message_box_index_counter_reply` with an error. */
export const counterError = (query_id: Q, error_code: number): Response.GetMessageBoxIndexCounterReply => ({
  _tag: "GetMessageBoxIndexCounterReply",
  query_id,
  counter: 0n,
  error_code
})

/** `create_courier_envelopes_from_payload_reply` with an error. */
export const fromPayloadError = (query_id: Q, error_code: number): Response.CreateCourierEnvelopesFromPayloadReply => ({
  _tag: "CreateCourierEnvelopesFromPayloadReply",
  query_id,
  envelopes: null,
  next_dest_index: null,
  error_code
})

/** `create_courier_envelopes_from_multi_payload_reply` with an error. */
export const fromMultiPayloadError = (query_id: Q, error_code: number): Response.CreateCourierEnvelopesFromMultiPayloadReply => ({
  _tag: "CreateCourierEnvelopesFromMultiPayloadReply",
  query_id,
  envelopes: null,
  buffer: null,
  next_dest_indices: null,
  error_code
})

/** `create_courier_envelopes_from_tombstone_range_reply` with an error. */
export const fromTombstoneRangeError = (
  query_id: Q,
  error_code: number
): Response.CreateCourierEnvelopesFromTombstoneRangeReply => ({
  _tag: "CreateCourierEnvelopesFromTombstoneRangeReply",
  query_id,
  envelopes: null,
  buffer: null,
  next_dest_index: null,
  error_code
})
