/**
 * Every request a thin client can send, as Effect Schemas with the wire field names
 * (`client/thin/thin_messages.go` at v0.0.73, plus the newer daemons' requests).
 * Pointer fields decode missing or null as `null`, as Go does.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { EnvelopeDescriptorFromBytes, MessageBoxIndexFromBytes, ReadCapFromBytes, WriteCapFromBytes } from "./Capabilities.js"
import { ClientToken, EnvelopeHash, MessageId, NodeIdHash, QueryId, SurbId, WriteCapHash } from "./Ids.js"
import { fastMake } from "./internal/fastMake.js"
import { Bytes, nullable, scalar, U32, U64, U8 } from "./internal/fields.js"

// Every request struct gets the fast `make` (internal/fastMake.ts): it is called on every request.
const tagged = <Tag extends string, Fields extends Schema.Struct.Fields>(tag: Tag, fields: Fields): Schema.TaggedStruct<Tag, Fields> =>
  fastMake(Schema.TaggedStruct(tag, fields))

const queryId = nullable(QueryId)
const bool = scalar(Schema.Boolean, false)
const bytes = nullable(Bytes)
const writeCap = nullable(WriteCapFromBytes)
const readCap = nullable(ReadCapFromBytes)
const index = nullable(MessageBoxIndexFromBytes)

/** Binds this connection to a session (handshake). @since 0.1.0 @category requests */
export const SessionToken = tagged("SessionToken", { client_instance_token: nullable(ClientToken) })
/** @since 0.1.0 @category requests */
export type SessionToken = typeof SessionToken.Type

/** Ends the session: the daemon drops all its state. @since 0.1.0 @category requests */
export const ThinClose = tagged("ThinClose", {})
/** @since 0.1.0 @category requests */
export type ThinClose = typeof ThinClose.Type

/** Legacy direct message to a mixnet service. @since 0.1.0 @category requests */
export const SendMessage = tagged("SendMessage", {
  id: nullable(MessageId),
  with_surb: bool,
  surbid: nullable(SurbId),
  destination_id_hash: nullable(NodeIdHash),
  recipient_queue_id: bytes,
  payload: bytes
})
/** @since 0.1.0 @category requests */
export type SendMessage = typeof SendMessage.Type

/** Derives a BACAP keypair from a 32-byte seed. @since 0.1.0 @category requests */
export const NewKeypair = tagged("NewKeypair", { query_id: queryId, seed: bytes })
/** @since 0.1.0 @category requests */
export type NewKeypair = typeof NewKeypair.Type

/** Encrypts a read of one box. @since 0.1.0 @category requests */
export const EncryptRead = tagged("EncryptRead", {
  query_id: queryId,
  read_cap: readCap,
  message_box_index: index
})
/** @since 0.1.0 @category requests */
export type EncryptRead = typeof EncryptRead.Type

/** Encrypts a write (empty plaintext: a tombstone) of one box. @since 0.1.0 @category requests */
export const EncryptWrite = tagged("EncryptWrite", {
  query_id: queryId,
  plaintext: bytes,
  write_cap: writeCap,
  message_box_index: index
})
/** @since 0.1.0 @category requests */
export type EncryptWrite = typeof EncryptWrite.Type

/** Sends an encrypted read or write through a courier with ARQ. @since 0.1.0 @category requests */
export const StartResendingEncryptedMessage = tagged("StartResendingEncryptedMessage", {
  query_id: queryId,
  read_cap: readCap,
  write_cap: writeCap,
  message_box_index: index,
  reply_index: nullable(U8),
  envelope_descriptor: nullable(EnvelopeDescriptorFromBytes),
  message_ciphertext: bytes,
  envelope_hash: nullable(EnvelopeHash),
  no_retry_on_box_id_not_found: bool,
  no_idempotent_box_already_exists: bool
})
/** @since 0.1.0 @category requests */
export type StartResendingEncryptedMessage = typeof StartResendingEncryptedMessage.Type

/** Stops an ARQ operation by envelope hash. @since 0.1.0 @category requests */
export const CancelResendingEncryptedMessage = tagged("CancelResendingEncryptedMessage", {
  query_id: queryId,
  envelope_hash: nullable(EnvelopeHash)
})
/** @since 0.1.0 @category requests */
export type CancelResendingEncryptedMessage = typeof CancelResendingEncryptedMessage.Type

/** Asks a courier to execute the copy stream written under a WriteCap. @since 0.1.0 @category requests */
export const StartResendingCopyCommand = tagged("StartResendingCopyCommand", {
  query_id: queryId,
  write_cap: writeCap,
  courier_identity_hash: nullable(NodeIdHash),
  courier_queue_id: bytes
})
/** @since 0.1.0 @category requests */
export type StartResendingCopyCommand = typeof StartResendingCopyCommand.Type

/** Stops a copy command by WriteCap hash. @since 0.1.0 @category requests */
export const CancelResendingCopyCommand = tagged("CancelResendingCopyCommand", {
  query_id: queryId,
  write_cap_hash: nullable(WriteCapHash)
})
/** @since 0.1.0 @category requests */
export type CancelResendingCopyCommand = typeof CancelResendingCopyCommand.Type

/** Asks the daemon for the next box index. @since 0.1.0 @category requests */
export const NextMessageBoxIndex = tagged("NextMessageBoxIndex", { query_id: queryId, message_box_index: index })
/** @since 0.1.0 @category requests */
export type NextMessageBoxIndex = typeof NextMessageBoxIndex.Type

/** Asks the daemon for an index's counter (not in rc1). @since 0.1.0 @category requests */
export const GetMessageBoxIndexCounter = tagged("GetMessageBoxIndexCounter", {
  query_id: queryId,
  message_box_index: index
})
/** @since 0.1.0 @category requests */
export type GetMessageBoxIndexCounter = typeof GetMessageBoxIndexCounter.Type

/** Packs one payload into copy-stream elements. @since 0.1.0 @category requests */
export const CreateCourierEnvelopesFromPayload = tagged("CreateCourierEnvelopesFromPayload", {
  query_id: queryId,
  payload: bytes,
  dest_write_cap: writeCap,
  dest_start_index: index,
  is_start: bool,
  is_last: bool
})
/** @since 0.1.0 @category requests */
export type CreateCourierEnvelopesFromPayload = typeof CreateCourierEnvelopesFromPayload.Type

/** One destination of a multi-payload copy stream. @since 0.1.0 @category requests */
export const DestinationPayload = Schema.Struct({ payload: bytes, write_cap: writeCap, start_index: index })
/** @since 0.1.0 @category requests */
export type DestinationPayload = typeof DestinationPayload.Type

/** Packs payloads for several destinations, threading the encoder buffer. @since 0.1.0 @category requests */
export const CreateCourierEnvelopesFromMultiPayload = tagged("CreateCourierEnvelopesFromMultiPayload", {
  query_id: queryId,
  destinations: nullable(Schema.Array(DestinationPayload)),
  is_start: bool,
  is_last: bool,
  buffer: bytes
})
/** @since 0.1.0 @category requests */
export type CreateCourierEnvelopesFromMultiPayload = typeof CreateCourierEnvelopesFromMultiPayload.Type

/** Packs tombstones for a range of boxes. @since 0.1.0 @category requests */
export const CreateCourierEnvelopesFromTombstoneRange = tagged("CreateCourierEnvelopesFromTombstoneRange", {
  query_id: queryId,
  dest_write_cap: writeCap,
  dest_start_index: index,
  max_count: scalar(U32, 0),
  is_start: bool,
  is_last: bool,
  buffer: bytes
})
/** @since 0.1.0 @category requests */
export type CreateCourierEnvelopesFromTombstoneRange = typeof CreateCourierEnvelopesFromTombstoneRange.Type

/** Newer daemons (v0.0.75+): fetch a PKI document by epoch. @since 0.1.0 @category requests */
export const GetPkiDocument = tagged("GetPkiDocument", { query_id: queryId, epoch: scalar(U64, 0n) })
/** @since 0.1.0 @category requests */
export type GetPkiDocument = typeof GetPkiDocument.Type

/** Newer daemons: list directory authorities. @since 0.1.0 @category requests */
export const GetDirectoryAuthorities = tagged("GetDirectoryAuthorities", { query_id: queryId })
/** @since 0.1.0 @category requests */
export type GetDirectoryAuthorities = typeof GetDirectoryAuthorities.Type

/** Newer daemons: mint a voucher. @since 0.1.0 @category requests */
export const VoucherMint = tagged("VoucherMint", {
  query_id: queryId,
  message_write_cap: bytes,
  display_name: scalar(Schema.String, "")
})
/** @since 0.1.0 @category requests */
export type VoucherMint = typeof VoucherMint.Type

/** Newer daemons: induct a voucher. @since 0.1.0 @category requests */
export const VoucherInduct = tagged("VoucherInduct", {
  query_id: queryId,
  voucher: bytes,
  voucher_payload: bytes,
  who_reply: bytes
})
/** @since 0.1.0 @category requests */
export type VoucherInduct = typeof VoucherInduct.Type

/** Newer daemons: open a sealed voucher reply. @since 0.1.0 @category requests */
export const VoucherOpen = tagged("VoucherOpen", {
  query_id: queryId,
  voucher_secret_key: bytes,
  sealed_reply: bytes,
  message_write_cap: bytes
})
/** @since 0.1.0 @category requests */
export type VoucherOpen = typeof VoucherOpen.Type

/** Newer daemons: derive a stream from a voucher. @since 0.1.0 @category requests */
export const VoucherDeriveStream = tagged("VoucherDeriveStream", { query_id: queryId, voucher: bytes })
/** @since 0.1.0 @category requests */
export type VoucherDeriveStream = typeof VoucherDeriveStream.Type

/**
 * Any request.
 *
 * @since 0.1.0
 * @category requests
 */
export const Request = Schema.Union(
  SessionToken,
  ThinClose,
  SendMessage,
  NewKeypair,
  EncryptRead,
  EncryptWrite,
  StartResendingEncryptedMessage,
  CancelResendingEncryptedMessage,
  StartResendingCopyCommand,
  CancelResendingCopyCommand,
  NextMessageBoxIndex,
  GetMessageBoxIndexCounter,
  CreateCourierEnvelopesFromPayload,
  CreateCourierEnvelopesFromMultiPayload,
  CreateCourierEnvelopesFromTombstoneRange,
  GetPkiDocument,
  GetDirectoryAuthorities,
  VoucherMint,
  VoucherInduct,
  VoucherOpen,
  VoucherDeriveStream
)
/** @since 0.1.0 @category requests */
export type Request = typeof Request.Type
