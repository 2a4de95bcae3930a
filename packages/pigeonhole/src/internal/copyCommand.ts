/** Copy commands: asking a courier to copy a finished copy stream into its destination boxes, and cancelling that. */
import { ErrorCodes, newQueryId, Request as Req } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import { copyErrorTags } from "../Arq.js"
import { writeCapHash as hashWriteCap } from "../CopyStream.js"
import type { CallOptions, InFlight, Pigeonhole } from "../Pigeonhole.js"
import { awaitArq } from "./arq.js"
import { narrow, requestOptions } from "./call.js"
import { local, type ServiceContext } from "./context.js"
import { observeArq } from "./observe.js"

const COPY = "start_resending_copy_command"

const narrowCopy = narrow(copyErrorTags, COPY)

export const cancelResendingCopyCommand = (ctx: ServiceContext): Pigeonhole["cancelResendingCopyCommand"] => (writeCapHash, options) =>
  local(
    ctx,
    "cancel_resending_copy_command",
    options,
    (query_id, o) => ctx.client.request(Req.CancelResendingCopyCommand.make({ query_id, write_cap_hash: writeCapHash }, true), o)
  ).pipe(
    Effect.asVoid
  )

export const startResendingCopyCommand = (ctx: ServiceContext): Pigeonhole["startResendingCopyCommand"] => (writeCap, options) => {
  const operation: InFlight = { _tag: "Copy", writeCapHash: hashWriteCap(writeCap) }
  const courier = options?.courier
  const wait = Effect.flatMap(newQueryId, (query_id) =>
    ctx.client.request(
      Req.StartResendingCopyCommand.make({
        query_id,
        write_cap: writeCap,
        courier_identity_hash: courier?.identityHash ?? null,
        courier_queue_id: courier?.queueId ?? null
      }, true),
      requestOptions(options, ctx.waitForConnection)
    ))
  const cancel = (o: CallOptions) => cancelResendingCopyCommand(ctx)(operation.writeCapHash, o)
  // No short default: the command's duration grows with the copy stream (PigeonholeConfig.copyTimeout).
  const timeout = options?.timeout ?? ctx.copyTimeout
  return awaitArq(ctx, operation, COPY, { ...options, timeout }, cancel, wait).pipe(
    Effect.flatMap((reply) => {
      const error = ErrorCodes.copyCommandError(reply)
      return error === undefined ? Effect.void : Effect.fail(narrowCopy(error))
    }),
    (self) => observeArq("startResendingCopyCommand", "copy", operation.writeCapHash, self, () => courier?.identityHash)
  )
}
