/** Routes each Pigeonhole request to its handler; every other request is not the engine's business. */
import { Codec, type Request, Rpc } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import type { DaemonSession } from "../../DaemonHandler.js"
import { hex } from "./bytes.js"
import type { EngineContext } from "./context.js"
import { cancelCopy, startCopy } from "./copy.js"
import { encryptRead, encryptWrite } from "./encrypt.js"
import { fromMultiPayload, fromPayload, fromTombstoneRange } from "./envelopes.js"
import { getMessageBoxIndexCounter, newKeypair, nextMessageBoxIndex } from "./indexes.js"
import { cancelResending, startResending } from "./resend.js"

/** Whether the engine answers this request: the v0.0.73 requests answered by a reply (all Pigeonhole). */
export const handles = (request: Request.Request): boolean => request._tag in Rpc.replyTag && Codec.isKnownToV0073(request)

/** Handles one request; requests the engine does not answer are ignored. */
export const dispatch = (context: EngineContext, session: DaemonSession, request: Request.Request): Effect.Effect<void> =>
  Effect.suspend(() => {
    if (!handles(request)) return Effect.void
    context.sessions.set(hex(session.appId), session)
    switch (request._tag) {
      case "NewKeypair":
        return newKeypair(session, request)
      case "NextMessageBoxIndex":
        return nextMessageBoxIndex(session, request)
      case "GetMessageBoxIndexCounter":
        return getMessageBoxIndexCounter(session, request)
      case "EncryptRead":
        return encryptRead(context, session, request)
      case "EncryptWrite":
        return encryptWrite(context, session, request)
      case "StartResendingEncryptedMessage":
        return startResending(context, session, request)
      case "CancelResendingEncryptedMessage":
        return cancelResending(context, session, request)
      case "StartResendingCopyCommand":
        return startCopy(context, session, request)
      case "CancelResendingCopyCommand":
        return cancelCopy(context, session, request)
      case "CreateCourierEnvelopesFromPayload":
        return fromPayload(context, session, request)
      case "CreateCourierEnvelopesFromMultiPayload":
        return fromMultiPayload(context, session, request)
      case "CreateCourierEnvelopesFromTombstoneRange":
        return fromTombstoneRange(context, session, request)
      default:
        return Effect.void
    }
  })
