/**
 * Every reply and event the daemon sends, as Effect Schemas with the wire field names
 * (`client/thin/thin_events.go` at v0.0.73, plus the newer daemons' replies).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { EnvelopeDescriptorFromBytes, MessageBoxIndexFromBytes, ReadCapFromBytes, WriteCapFromBytes } from "./Capabilities.js"
import { PigeonholeGeometry, SphinxGeometry } from "./Geometry.js"
import { AppId, EnvelopeHash, InstanceToken, MessageId, NodeIdHash, QueryId, SurbId } from "./Ids.js"
import { Bytes, nullable, scalar, U64, U8 } from "./internal/fields.js"

const queryId = nullable(QueryId)
const errorCode = scalar(U8, 0)
const bytes = nullable(Bytes)
const index = nullable(MessageBoxIndexFromBytes)
const envelopes = nullable(Schema.Array(Schema.NullOr(Bytes)))
const text = scalar(Schema.String, "")

/** Answers `session_token`. @since 0.1.0 @category replies */
export const SessionTokenReply = Schema.TaggedStruct("SessionTokenReply", {
  app_id: nullable(AppId),
  resumed: scalar(Schema.Boolean, false)
})
/** @since 0.1.0 @category replies */
export type SessionTokenReply = typeof SessionTokenReply.Type

/** The daemon is shutting down. @since 0.1.0 @category events */
export const ShutdownEvent = Schema.TaggedStruct("ShutdownEvent", {})
/** @since 0.1.0 @category events */
export type ShutdownEvent = typeof ShutdownEvent.Type

/** The daemon's mixnet connectivity; geometry fields only from v0.0.76. @since 0.1.0 @category events */
export const ConnectionStatusEvent = Schema.TaggedStruct("ConnectionStatusEvent", {
  is_connected: scalar(Schema.Boolean, false),
  err: nullable(Schema.Unknown),
  instance_token: nullable(InstanceToken),
  sphinx_geometry: nullable(SphinxGeometry),
  pigeonhole_geometry: nullable(PigeonholeGeometry)
})
/** @since 0.1.0 @category events */
export type ConnectionStatusEvent = typeof ConnectionStatusEvent.Type

/** A new PKI document (CBOR, without signatures), or null. @since 0.1.0 @category events */
export const NewPkiDocumentEvent = Schema.TaggedStruct("NewPkiDocumentEvent", { payload: bytes })
/** @since 0.1.0 @category events */
export type NewPkiDocumentEvent = typeof NewPkiDocumentEvent.Type

/** A legacy `send_message` with SURB left the daemon (or failed to). @since 0.1.0 @category events */
export const MessageSentEvent = Schema.TaggedStruct("MessageSentEvent", {
  message_id: nullable(MessageId),
  surbid: nullable(SurbId),
  /** Unix seconds. */
  sent_at: nullable(Schema.Int),
  /** Nanoseconds. */
  reply_eta: scalar(Schema.Int, 0),
  /**
   * kpclientd v0.0.104: the hops the packet was sent over, gateway to destination. Null or
   * empty means unknown (an older daemon, or one that could not name the hops).
   */
  forward_route: nullable(Schema.Array(Schema.String)),
  /** kpclientd v0.0.104: the hops the SURB travels back over; null or empty without a SURB or when unknown. */
  return_route: nullable(Schema.Array(Schema.String)),
  err: text
})
/** @since 0.1.0 @category events */
export type MessageSentEvent = typeof MessageSentEvent.Type

/** A SURB reply to a legacy `send_message`. @since 0.1.0 @category events */
export const MessageReplyEvent = Schema.TaggedStruct("MessageReplyEvent", {
  message_id: nullable(MessageId),
  surbid: nullable(SurbId),
  payload: bytes,
  reply_index: nullable(U8),
  error_code: errorCode
})
/** @since 0.1.0 @category events */
export type MessageReplyEvent = typeof MessageReplyEvent.Type

/** A legacy SURB expired (never sent by v0.0.73). @since 0.1.0 @category events */
export const MessageIdGarbageCollected = Schema.TaggedStruct("MessageIdGarbageCollected", { message_id: nullable(MessageId) })
/** @since 0.1.0 @category events */
export type MessageIdGarbageCollected = typeof MessageIdGarbageCollected.Type

/** Answers `new_keypair`. @since 0.1.0 @category replies */
export const NewKeypairReply = Schema.TaggedStruct("NewKeypairReply", {
  query_id: queryId,
  write_cap: nullable(WriteCapFromBytes),
  read_cap: nullable(ReadCapFromBytes),
  first_message_index: index,
  error_code: errorCode
})
/** @since 0.1.0 @category replies */
export type NewKeypairReply = typeof NewKeypairReply.Type

const encryptReplyFields = {
  query_id: queryId,
  message_ciphertext: bytes,
  envelope_descriptor: nullable(EnvelopeDescriptorFromBytes),
  envelope_hash: nullable(EnvelopeHash),
  next_message_box_index: index,
  error_code: errorCode
}

/** Answers `encrypt_read`. @since 0.1.0 @category replies */
export const EncryptReadReply = Schema.TaggedStruct("EncryptReadReply", encryptReplyFields)
/** @since 0.1.0 @category replies */
export type EncryptReadReply = typeof EncryptReadReply.Type

/** Answers `encrypt_write`. @since 0.1.0 @category replies */
export const EncryptWriteReply = Schema.TaggedStruct("EncryptWriteReply", encryptReplyFields)
/** @since 0.1.0 @category replies */
export type EncryptWriteReply = typeof EncryptWriteReply.Type

/** Completes an ARQ operation (also sent, code 24, when it was cancelled). @since 0.1.0 @category replies */
export const StartResendingEncryptedMessageReply = Schema.TaggedStruct("StartResendingEncryptedMessageReply", {
  query_id: queryId,
  plaintext: bytes,
  error_code: errorCode,
  courier_identity_hash: nullable(NodeIdHash),
  courier_queue_id: bytes
})
/** @since 0.1.0 @category replies */
export type StartResendingEncryptedMessageReply = typeof StartResendingEncryptedMessageReply.Type

/** Answers `cancel_resending_encrypted_message`. @since 0.1.0 @category replies */
export const CancelResendingEncryptedMessageReply = Schema.TaggedStruct("CancelResendingEncryptedMessageReply", {
  query_id: queryId,
  error_code: errorCode
})
/** @since 0.1.0 @category replies */
export type CancelResendingEncryptedMessageReply = typeof CancelResendingEncryptedMessageReply.Type

/** Completes a copy command; on code 26 names the replica error and the failed element. @since 0.1.0 @category replies */
export const StartResendingCopyCommandReply = Schema.TaggedStruct("StartResendingCopyCommandReply", {
  query_id: queryId,
  error_code: errorCode,
  replica_error_code: scalar(U8, 0),
  failed_envelope_index: scalar(U64, 0n)
})
/** @since 0.1.0 @category replies */
export type StartResendingCopyCommandReply = typeof StartResendingCopyCommandReply.Type

/** Answers `cancel_resending_copy_command`. @since 0.1.0 @category replies */
export const CancelResendingCopyCommandReply = Schema.TaggedStruct("CancelResendingCopyCommandReply", {
  query_id: queryId,
  error_code: errorCode
})
/** @since 0.1.0 @category replies */
export type CancelResendingCopyCommandReply = typeof CancelResendingCopyCommandReply.Type

/** Answers `next_message_box_index`. @since 0.1.0 @category replies */
export const NextMessageBoxIndexReply = Schema.TaggedStruct("NextMessageBoxIndexReply", {
  query_id: queryId,
  next_message_box_index: index,
  error_code: errorCode
})
/** @since 0.1.0 @category replies */
export type NextMessageBoxIndexReply = typeof NextMessageBoxIndexReply.Type

/** Answers `get_message_box_index_counter`. @since 0.1.0 @category replies */
export const GetMessageBoxIndexCounterReply = Schema.TaggedStruct("GetMessageBoxIndexCounterReply", {
  query_id: queryId,
  counter: scalar(U64, 0n),
  error_code: errorCode
})
/** @since 0.1.0 @category replies */
export type GetMessageBoxIndexCounterReply = typeof GetMessageBoxIndexCounterReply.Type

/** Answers `create_courier_envelopes_from_payload`. @since 0.1.0 @category replies */
export const CreateCourierEnvelopesFromPayloadReply = Schema.TaggedStruct("CreateCourierEnvelopesFromPayloadReply", {
  query_id: queryId,
  envelopes,
  next_dest_index: index,
  error_code: errorCode
})
/** @since 0.1.0 @category replies */
export type CreateCourierEnvelopesFromPayloadReply = typeof CreateCourierEnvelopesFromPayloadReply.Type

/** Answers `create_courier_envelopes_from_multi_payload`. @since 0.1.0 @category replies */
export const CreateCourierEnvelopesFromMultiPayloadReply = Schema.TaggedStruct("CreateCourierEnvelopesFromMultiPayloadReply", {
  query_id: queryId,
  envelopes,
  buffer: bytes,
  next_dest_indices: nullable(Schema.Array(Schema.NullOr(MessageBoxIndexFromBytes))),
  error_code: errorCode
})
/** @since 0.1.0 @category replies */
export type CreateCourierEnvelopesFromMultiPayloadReply = typeof CreateCourierEnvelopesFromMultiPayloadReply.Type

/** Answers `create_courier_envelopes_from_tombstone_range`. @since 0.1.0 @category replies */
export const CreateCourierEnvelopesFromTombstoneRangeReply = Schema.TaggedStruct(
  "CreateCourierEnvelopesFromTombstoneRangeReply",
  { query_id: queryId, envelopes, buffer: bytes, next_dest_index: index, error_code: errorCode }
)
/** @since 0.1.0 @category replies */
export type CreateCourierEnvelopesFromTombstoneRangeReply = typeof CreateCourierEnvelopesFromTombstoneRangeReply.Type

/** Newer daemons: answers `get_pki_document` (signed, cert-wrapped). @since 0.1.0 @category replies */
export const GetPkiDocumentReply = Schema.TaggedStruct("GetPkiDocumentReply", {
  query_id: queryId,
  payload: bytes,
  epoch: scalar(U64, 0n),
  error_code: errorCode
})
/** @since 0.1.0 @category replies */
export type GetPkiDocumentReply = typeof GetPkiDocumentReply.Type

/** Newer daemons: one directory authority. @since 0.1.0 @category replies */
export const DirectoryAuthority = Schema.Struct({
  identifier: text,
  pki_signature_scheme: text,
  wire_kem_scheme: text,
  addresses: nullable(Schema.Array(Schema.String)),
  identity_public_key_pem: text,
  link_public_key_pem: text,
  identity_key_hash: bytes
})
/** @since 0.1.0 @category replies */
export type DirectoryAuthority = typeof DirectoryAuthority.Type

/** Newer daemons: answers `get_directory_authorities`. @since 0.1.0 @category replies */
export const GetDirectoryAuthoritiesReply = Schema.TaggedStruct("GetDirectoryAuthoritiesReply", {
  query_id: queryId,
  authorities: nullable(Schema.Array(Schema.NullOr(DirectoryAuthority))),
  error_code: errorCode
})
/** @since 0.1.0 @category replies */
export type GetDirectoryAuthoritiesReply = typeof GetDirectoryAuthoritiesReply.Type

/** Newer daemons: answers `voucher_mint`. @since 0.1.0 @category replies */
export const VoucherMintReply = Schema.TaggedStruct("VoucherMintReply", {
  query_id: queryId,
  voucher: bytes,
  voucher_payload: bytes,
  voucher_write_cap: bytes,
  voucher_read_cap: bytes,
  voucher_secret_key: bytes,
  voucher_public_key: bytes,
  error_code: errorCode
})
/** @since 0.1.0 @category replies */
export type VoucherMintReply = typeof VoucherMintReply.Type

/** Newer daemons: answers `voucher_induct`. @since 0.1.0 @category replies */
export const VoucherInductReply = Schema.TaggedStruct("VoucherInductReply", {
  query_id: queryId,
  display_name: text,
  mutated_message_read_cap: bytes,
  sealed_reply: bytes,
  voucher_write_cap: bytes,
  voucher_read_cap: bytes,
  salt: bytes,
  error_code: errorCode
})
/** @since 0.1.0 @category replies */
export type VoucherInductReply = typeof VoucherInductReply.Type

/** Newer daemons: answers `voucher_open`. @since 0.1.0 @category replies */
export const VoucherOpenReply = Schema.TaggedStruct("VoucherOpenReply", {
  query_id: queryId,
  who_reply: bytes,
  salt: bytes,
  mutated_message_write_cap: bytes,
  error_code: errorCode
})
/** @since 0.1.0 @category replies */
export type VoucherOpenReply = typeof VoucherOpenReply.Type

/** Newer daemons: answers `voucher_derive_stream`. @since 0.1.0 @category replies */
export const VoucherDeriveStreamReply = Schema.TaggedStruct("VoucherDeriveStreamReply", {
  query_id: queryId,
  voucher_write_cap: bytes,
  voucher_read_cap: bytes,
  error_code: errorCode
})
/** @since 0.1.0 @category replies */
export type VoucherDeriveStreamReply = typeof VoucherDeriveStreamReply.Type

/**
 * A response whose only non-null key we do not know (a newer daemon). Kept, not dropped.
 *
 * @since 0.1.0
 * @category replies
 */
export interface UnknownResponse {
  readonly _tag: "UnknownResponse"
  readonly key: string
  readonly value: unknown
}

/**
 * Every known response.
 *
 * @since 0.1.0
 * @category replies
 */
export const KnownResponse = Schema.Union(
  SessionTokenReply,
  ShutdownEvent,
  ConnectionStatusEvent,
  NewPkiDocumentEvent,
  MessageSentEvent,
  MessageReplyEvent,
  MessageIdGarbageCollected,
  NewKeypairReply,
  EncryptReadReply,
  EncryptWriteReply,
  StartResendingEncryptedMessageReply,
  CancelResendingEncryptedMessageReply,
  StartResendingCopyCommandReply,
  CancelResendingCopyCommandReply,
  NextMessageBoxIndexReply,
  GetMessageBoxIndexCounterReply,
  CreateCourierEnvelopesFromPayloadReply,
  CreateCourierEnvelopesFromMultiPayloadReply,
  CreateCourierEnvelopesFromTombstoneRangeReply,
  GetPkiDocumentReply,
  GetDirectoryAuthoritiesReply,
  VoucherMintReply,
  VoucherInductReply,
  VoucherOpenReply,
  VoucherDeriveStreamReply
)
/** @since 0.1.0 @category replies */
export type KnownResponse = typeof KnownResponse.Type

/** Anything the daemon can send. @since 0.1.0 @category replies */
export type Response = KnownResponse | UnknownResponse

/** Responses that answer a request and carry its `query_id`. @since 0.1.0 @category replies */
export type QueryReply = Extract<KnownResponse, { readonly query_id: unknown }>

/** Unsolicited events (no `query_id`). @since 0.1.0 @category events */
export type Event = Exclude<KnownResponse, QueryReply | SessionTokenReply>
