/**
 * Which reply answers which request, at the type level and at run time.
 *
 * @since 0.1.0
 */
import type * as Req from "./Request.js"
import type * as Res from "./Response.js"

/**
 * Requests answered by exactly one reply carrying their `query_id`.
 *
 * @since 0.1.0
 * @category models
 */
export type QueryRequest = Extract<Req.Request, { readonly query_id: unknown }>

/**
 * The reply tag of each query request.
 *
 * @since 0.1.0
 * @category constants
 */
export const replyTag = {
  NewKeypair: "NewKeypairReply",
  EncryptRead: "EncryptReadReply",
  EncryptWrite: "EncryptWriteReply",
  StartResendingEncryptedMessage: "StartResendingEncryptedMessageReply",
  CancelResendingEncryptedMessage: "CancelResendingEncryptedMessageReply",
  StartResendingCopyCommand: "StartResendingCopyCommandReply",
  CancelResendingCopyCommand: "CancelResendingCopyCommandReply",
  NextMessageBoxIndex: "NextMessageBoxIndexReply",
  GetMessageBoxIndexCounter: "GetMessageBoxIndexCounterReply",
  CreateCourierEnvelopesFromPayload: "CreateCourierEnvelopesFromPayloadReply",
  CreateCourierEnvelopesFromMultiPayload: "CreateCourierEnvelopesFromMultiPayloadReply",
  CreateCourierEnvelopesFromTombstoneRange: "CreateCourierEnvelopesFromTombstoneRangeReply",
  GetPkiDocument: "GetPkiDocumentReply",
  GetDirectoryAuthorities: "GetDirectoryAuthoritiesReply",
  VoucherMint: "VoucherMintReply",
  VoucherInduct: "VoucherInductReply",
  VoucherOpen: "VoucherOpenReply",
  VoucherDeriveStream: "VoucherDeriveStreamReply"
} as const satisfies Record<QueryRequest["_tag"], Res.QueryReply["_tag"]>

/**
 * The reply type of a query request.
 *
 * @since 0.1.0
 * @category models
 */
export type ReplyOf<R extends QueryRequest> = Extract<Res.QueryReply, { readonly _tag: (typeof replyTag)[R["_tag"]] }>

/**
 * ARQ requests: the daemon retransmits them until they complete, and a client replays them
 * after reconnecting.
 *
 * @since 0.1.0
 * @category models
 */
export type ArqRequest = Req.StartResendingEncryptedMessage | Req.StartResendingCopyCommand

/**
 * Whether a request is an ARQ request.
 *
 * @since 0.1.0
 * @category guards
 */
export const isArqRequest = (request: Req.Request): request is ArqRequest =>
  request._tag === "StartResendingEncryptedMessage" || request._tag === "StartResendingCopyCommand"
