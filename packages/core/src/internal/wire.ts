/** The wire tables: which envelope key carries which message, in Go declaration order. */
import type * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import * as Req from "../Request.js"
import * as Res from "../Response.js"
import { structDecoder, type StructEncoder, structEncoder } from "./fast.js"

/** One member of an envelope. */
export interface WireKind {
  readonly key: string
  readonly tag: string
  readonly schema: Schema.Schema.AnyNoContext
  /** Non-pointer fields Go tags `omitempty`: dropped when empty (false, 0, "", empty bytes). */
  readonly omitEmpty: ReadonlySet<string>
  /**
   * Pointer fields Go tags `omitempty`: dropped only when nil. fxamacker keeps a non-nil
   * pointer to a zero value, so `reply_index: 0` stays on the wire.
   */
  readonly omitNil: ReadonlySet<string>
  /** Fields only newer daemons send: dropped when null in the v0.0.73 layout. */
  readonly newerFields: ReadonlySet<string>
  /** Present in the v0.0.73 envelope. */
  readonly v0073: boolean
  /** Decodes a wire body exactly as `schema` would when every field is a common one; `undefined`: use the schema. */
  readonly fast: ((body: { readonly [key: string]: unknown }) => { readonly _tag: string } | undefined) | undefined
  /** Encodes a message's fields exactly as `schema` would when every field is a common one; `undefined`: use the schema. */
  readonly encodeFast: StructEncoder | undefined
}

const tagOf = (ast: AST.AST): string => {
  const target = AST.isTransformation(ast) ? ast.to : ast
  if (AST.isTypeLiteral(target)) {
    for (const property of target.propertySignatures) {
      if (property.name === "_tag" && AST.isLiteral(property.type) && typeof property.type.literal === "string") {
        return property.type.literal
      }
    }
  }
  throw new Error("wire table: schema without a literal _tag")
}

const kind = (
  key: string,
  schema: Schema.Schema.AnyNoContext,
  options: {
    readonly omitEmpty?: ReadonlyArray<string>
    readonly omitNil?: ReadonlyArray<string>
    readonly newerFields?: ReadonlyArray<string>
    readonly newer?: boolean
  } = {}
): WireKind => ({
  key,
  tag: tagOf(schema.ast),
  fast: structDecoder(tagOf(schema.ast), schema),
  encodeFast: structEncoder(schema),
  schema,
  omitEmpty: new Set(options.omitEmpty),
  omitNil: new Set(options.omitNil),
  newerFields: new Set(options.newerFields),
  v0073: options.newer !== true
})

/** Request envelope members, in the newest daemons' declaration order. */
export const requestKinds: ReadonlyArray<WireKind> = [
  kind("session_token", Req.SessionToken),
  kind("thin_close", Req.ThinClose),
  kind("send_message", Req.SendMessage),
  kind("new_keypair", Req.NewKeypair),
  kind("encrypt_read", Req.EncryptRead),
  kind("encrypt_write", Req.EncryptWrite),
  kind("start_resending_encrypted_message", Req.StartResendingEncryptedMessage, {
    omitEmpty: ["no_retry_on_box_id_not_found", "no_idempotent_box_already_exists"],
    omitNil: ["reply_index"]
  }),
  kind("cancel_resending_encrypted_message", Req.CancelResendingEncryptedMessage),
  kind("start_resending_copy_command", Req.StartResendingCopyCommand, {
    omitEmpty: ["courier_queue_id"],
    omitNil: ["courier_identity_hash"]
  }),
  kind("cancel_resending_copy_command", Req.CancelResendingCopyCommand),
  kind("next_message_box_index", Req.NextMessageBoxIndex),
  kind("get_message_box_index_counter", Req.GetMessageBoxIndexCounter),
  kind("get_pki_document", Req.GetPkiDocument, { newer: true }),
  kind("get_directory_authorities", Req.GetDirectoryAuthorities, { newer: true }),
  kind("create_courier_envelopes_from_payload", Req.CreateCourierEnvelopesFromPayload),
  kind("create_courier_envelopes_from_multi_payload", Req.CreateCourierEnvelopesFromMultiPayload),
  kind("create_courier_envelopes_from_tombstone_range", Req.CreateCourierEnvelopesFromTombstoneRange),
  kind("voucher_mint", Req.VoucherMint, { newer: true }),
  kind("voucher_induct", Req.VoucherInduct, { newer: true }),
  kind("voucher_open", Req.VoucherOpen, { newer: true }),
  kind("voucher_derive_stream", Req.VoucherDeriveStream, { newer: true })
]

/** Response envelope members, in the newest daemons' declaration order. */
export const responseKinds: ReadonlyArray<WireKind> = [
  kind("session_token_reply", Res.SessionTokenReply),
  kind("shutdown_event", Res.ShutdownEvent),
  kind("connection_status_event", Res.ConnectionStatusEvent, { newerFields: ["sphinx_geometry", "pigeonhole_geometry"] }),
  kind("new_pki_document_event", Res.NewPkiDocumentEvent),
  kind("message_sent_event", Res.MessageSentEvent, { omitEmpty: ["forward_route", "return_route", "err"] }),
  kind("message_reply_event", Res.MessageReplyEvent, { omitNil: ["reply_index"] }),
  kind("message_id_garbage_collected", Res.MessageIdGarbageCollected),
  kind("new_keypair_reply", Res.NewKeypairReply),
  kind("encrypt_read_reply", Res.EncryptReadReply),
  kind("encrypt_write_reply", Res.EncryptWriteReply),
  kind("start_resending_encrypted_message_reply", Res.StartResendingEncryptedMessageReply),
  kind("cancel_resending_encrypted_message_reply", Res.CancelResendingEncryptedMessageReply),
  kind("start_resending_copy_command_reply", Res.StartResendingCopyCommandReply, {
    omitEmpty: ["replica_error_code", "failed_envelope_index"]
  }),
  kind("cancel_resending_copy_command_reply", Res.CancelResendingCopyCommandReply),
  kind("next_message_box_index_reply", Res.NextMessageBoxIndexReply),
  kind("get_message_box_index_counter_reply", Res.GetMessageBoxIndexCounterReply),
  kind("get_pki_document_reply", Res.GetPkiDocumentReply, { newer: true }),
  kind("get_directory_authorities_reply", Res.GetDirectoryAuthoritiesReply, { newer: true }),
  kind("create_courier_envelopes_from_payload_reply", Res.CreateCourierEnvelopesFromPayloadReply),
  kind("create_courier_envelopes_from_multi_payload_reply", Res.CreateCourierEnvelopesFromMultiPayloadReply),
  kind("create_courier_envelopes_from_tombstone_range_reply", Res.CreateCourierEnvelopesFromTombstoneRangeReply),
  kind("voucher_mint_reply", Res.VoucherMintReply, { newer: true }),
  kind("voucher_induct_reply", Res.VoucherInductReply, { newer: true }),
  kind("voucher_open_reply", Res.VoucherOpenReply, { newer: true }),
  kind("voucher_derive_stream_reply", Res.VoucherDeriveStreamReply, { newer: true })
]

const index = (kinds: ReadonlyArray<WireKind>) => ({
  byKey: new Map(kinds.map((k) => [k.key, k])),
  byTag: new Map(kinds.map((k) => [k.tag, k]))
})

/** Lookups by envelope key and by tag. */
export const requests = index(requestKinds)
/** Lookups by envelope key and by tag. */
export const responses = index(responseKinds)

/** Go's `omitempty` test on an encoded CBOR value. */
export const isEmpty = (value: unknown): boolean =>
  value === null || value === undefined || value === false || value === 0 || value === 0n || value === "" ||
  (value instanceof Uint8Array && value.length === 0) || (Array.isArray(value) && value.length === 0)
