/**
 * Which request kinds we may send to which daemon generation. Explicit lists, not "whatever
 * the codec knows": a v0.0.73 daemon panics on a request kind it does not know (§1.3).
 */
import type { Request } from "@katzenpost-effect/core"

/** The daemon generation, as told by the handshake: newer daemons put geometry in the status event. */
export type DaemonGeneration = "v0.0.73" | "newer"

/** Request kinds of the v0.0.73 envelope. */
export const sendableToV0073: ReadonlySet<Request.Request["_tag"]> = new Set<Request.Request["_tag"]>([
  "SessionToken",
  "ThinClose",
  "SendMessage",
  "NewKeypair",
  "EncryptRead",
  "EncryptWrite",
  "StartResendingEncryptedMessage",
  "CancelResendingEncryptedMessage",
  "StartResendingCopyCommand",
  "CancelResendingCopyCommand",
  "NextMessageBoxIndex",
  "GetMessageBoxIndexCounter",
  "CreateCourierEnvelopesFromPayload",
  "CreateCourierEnvelopesFromMultiPayload",
  "CreateCourierEnvelopesFromTombstoneRange"
])

/** Request kinds of daemons that announce their geometry (v0.0.76+), which includes v0.0.75's get_pki_document and HEAD's additions. */
export const sendableToNewer: ReadonlySet<Request.Request["_tag"]> = new Set<Request.Request["_tag"]>([
  ...sendableToV0073,
  "GetPkiDocument",
  "GetDirectoryAuthorities",
  "VoucherMint",
  "VoucherInduct",
  "VoucherOpen",
  "VoucherDeriveStream"
])

/** Whether `request` may be sent to a daemon of this generation. */
export const isSendable = (request: Request.Request, generation: DaemonGeneration): boolean =>
  (generation === "v0.0.73" ? sendableToV0073 : sendableToNewer).has(request._tag)
