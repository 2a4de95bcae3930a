/** The handler used when a test gives none: every query request is answered with InternalError (4). */
import { Response, Rpc } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { DaemonHandler } from "../DaemonHandler.js"

const decodeReply = Schema.decodeUnknownEither(Response.KnownResponse)

/** Answers query requests with `error_code` 4 and nothing else set; ignores the rest. */
export const internalErrorHandler: DaemonHandler = {
  handle: (session, request) => {
    if (!("query_id" in request)) return Effect.void
    const tag = Rpc.replyTag[request._tag]
    const reply = decodeReply({ _tag: tag, query_id: request.query_id, error_code: 4 })
    return Either.isRight(reply) ? session.reply(reply.right) : Effect.logError(`cannot build ${tag}`)
  },
  endSession: () => Effect.void
}
