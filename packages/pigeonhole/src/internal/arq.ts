/** ARQ: the startResending variants for envelopes, their cancel, and cancellation of an interrupted wait. */
import { ErrorCodes, newQueryId, Request as Req } from "@katzenpost-effect/core"
import type { TransportError } from "@katzenpost-effect/transport"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import { readErrorTags, readNoRetryErrorTags, type ReadResult, writeErrorTags, type WriteResult, writeReturnBoxExistsErrorTags } from "../Arq.js"
import type { Courier } from "../Courier.js"
import type { Envelope, ReadEnvelope, WriteEnvelope } from "../Envelope.js"
import type { CallOptions, InFlight, Pigeonhole } from "../Pigeonhole.js"
import { failWith, narrow, requestOptions, required, timeoutOf, withTimeout } from "./call.js"
import { local, type ServiceContext } from "./context.js"
import { guard } from "./inFlight.js"
import { observeArq } from "./observe.js"

const ARQ = "start_resending_encrypted_message"

const narrowRead = narrow(readErrorTags, `${ARQ} (read)`)
const narrowReadNoRetry = narrow(readNoRetryErrorTags, `${ARQ} (read, no retry)`)
const narrowWrite = narrow(writeErrorTags, `${ARQ} (write)`)
const narrowWriteReturnBoxExists = narrow(writeReturnBoxExistsErrorTags, `${ARQ} (write, return box exists)`)

/**
 * Sends the cancel for an interrupted wait, on its own fiber: the interruption (a timeout
 * included) completes as soon as the cancel has been handed to the client, not when the
 * daemon answers it, so a `RequestTimeout` arrives at its deadline. The cancel fiber waits
 * for the connection (while the socket is down the daemon keeps the session, and its ARQ
 * entry, for the grace period, so a cancel that failed fast would let the daemon finish an
 * operation the caller was told was interrupted), is bounded by `cancelTimeout`, and logs a
 * failure.
 */
const cancelOnInterrupt = <E extends { readonly _tag: string }>(
  ctx: ServiceContext,
  cancel: (options: CallOptions) => Effect.Effect<void, E>
): Effect.Effect<void> => {
  const options: CallOptions = { timeout: ctx.cancelTimeout, waitForConnection: true }
  return Effect.flatMap(Deferred.make<void>(), (started) =>
    Effect.forkDaemon(
      // `request` registers and queues the cancel synchronously once it runs: by the time the
      // interrupted fiber resumes after `started`, the cancel is in the client's hands.
      Effect.zipRight(
        Deferred.succeed(started, undefined),
        Effect.interruptible(cancel(options)).pipe(
          Effect.catchAll((error) => Effect.logWarning(`cancel after interruption failed: ${error._tag}`))
        )
      )
    ).pipe(Effect.zipRight(Deferred.await(started))))
}

/**
 * Waits on an ARQ operation (an envelope or a copy command) within the ARQ timeout, listed in
 * `inFlight` meanwhile; if the wait is interrupted, `cancel` is sent as `cancelOnInterrupt` says.
 */
export const awaitArq = <A, E, C extends { readonly _tag: string }>(
  ctx: ServiceContext,
  operation: InFlight,
  name: string,
  options: CallOptions | undefined,
  cancel: (options: CallOptions) => Effect.Effect<void, C>,
  wait: Effect.Effect<A, E>
) =>
  guard(ctx.registry, operation, cancelOnInterrupt(ctx, cancel), wait).pipe(
    withTimeout(name, timeoutOf(options, ctx.arqTimeout))
  )

export const cancelResending = (ctx: ServiceContext): Pigeonhole["cancelResending"] => (envelopeHash, options) =>
  local(
    ctx,
    "cancel_resending_encrypted_message",
    options,
    (query_id, o) => ctx.client.request(Req.CancelResendingEncryptedMessage.make({ query_id, envelope_hash: envelopeHash }, true), o)
  ).pipe(
    Effect.asVoid
  )

const courierOf = (reply: {
  readonly courier_identity_hash: Courier["identityHash"] | null
  readonly courier_queue_id: Uint8Array | null
}) =>
  Effect.all({
    identityHash: required("start_resending_encrypted_message_reply", "courier_identity_hash", reply.courier_identity_hash),
    queueId: required("start_resending_encrypted_message_reply", "courier_queue_id", reply.courier_queue_id)
  })

/** One ARQ round: send, wait (cancel on interruption), map the reply. */
const resend = <E>(
  ctx: ServiceContext,
  envelope: Envelope,
  flags: { readonly noRetry: boolean; readonly returnBoxExists: boolean },
  toError: (error: ErrorCodes.ArqError) => E,
  options: CallOptions | undefined
) => {
  const isRead = envelope._tag === "ReadEnvelope"
  const operation: InFlight = { _tag: isRead ? "Read" : "Write", envelopeHash: envelope.envelopeHash }
  const wait = Effect.flatMap(newQueryId, (query_id) =>
    ctx.client.request(
      Req.StartResendingEncryptedMessage.make({
        query_id,
        read_cap: isRead ? envelope.readCap : null,
        write_cap: isRead ? null : envelope.writeCap,
        // Reads need the index for BACAP decryption; writes do not send it (as the Go client).
        message_box_index: isRead ? envelope.boxIndex : null,
        reply_index: null,
        envelope_descriptor: envelope.envelopeDescriptor,
        message_ciphertext: envelope.messageCiphertext,
        envelope_hash: envelope.envelopeHash,
        no_retry_on_box_id_not_found: flags.noRetry,
        no_idempotent_box_already_exists: flags.returnBoxExists
      }, true),
      requestOptions(options, ctx.waitForConnection)
    ))
  const cancel = (o: CallOptions) => cancelResending(ctx)(envelope.envelopeHash, o)
  return awaitArq(ctx, operation, ARQ, options, cancel, wait).pipe(
    Effect.flatMap((reply) => {
      const error = ErrorCodes.arqError(reply)
      return failWith(error === undefined ? undefined : toError(error)).pipe(
        Effect.zipRight(courierOf(reply)),
        Effect.map((courier) => ({ reply, courier }))
      )
    })
  )
}

const read = <E>(
  name: string,
  ctx: ServiceContext,
  envelope: ReadEnvelope,
  noRetry: boolean,
  toError: (error: ErrorCodes.ArqError) => E,
  options: CallOptions | undefined
): Effect.Effect<ReadResult, E | TransportError> =>
  resend(ctx, envelope, { noRetry, returnBoxExists: false }, toError, options).pipe(
    Effect.flatMap(({ courier, reply }) =>
      Effect.map(
        required("start_resending_encrypted_message_reply", "plaintext", reply.plaintext),
        (plaintext): ReadResult => ({
          _tag: "ReadResult",
          plaintext,
          courier,
          envelopeHash: envelope.envelopeHash,
          boxIndex: envelope.boxIndex
        })
      )
    ),
    (self) => observeArq(name, "read", envelope.envelopeHash, self, (result) => result.courier.identityHash)
  )

const write = <E>(
  name: string,
  ctx: ServiceContext,
  envelope: WriteEnvelope,
  returnBoxExists: boolean,
  toError: (error: ErrorCodes.ArqError) => E,
  options: CallOptions | undefined
): Effect.Effect<WriteResult, E | TransportError> =>
  resend(ctx, envelope, { noRetry: false, returnBoxExists }, toError, options).pipe(
    Effect.map(({ courier }): WriteResult => ({
      _tag: "WriteResult",
      courier,
      envelopeHash: envelope.envelopeHash,
      boxIndex: envelope.boxIndex
    })),
    (self) => observeArq(name, "write", envelope.envelopeHash, self, (result) => result.courier.identityHash)
  )

export const startResending = (ctx: ServiceContext): Pigeonhole["startResending"] => {
  const readDefault = (envelope: ReadEnvelope, options?: CallOptions) => read("startResending", ctx, envelope, false, narrowRead, options)
  const writeDefault = (envelope: WriteEnvelope, options?: CallOptions) => write("startResending", ctx, envelope, false, narrowWrite, options)
  function start(envelope: ReadEnvelope, options?: CallOptions): ReturnType<typeof readDefault>
  function start(envelope: WriteEnvelope, options?: CallOptions): ReturnType<typeof writeDefault>
  function start(
    envelope: Envelope,
    options?: CallOptions
  ): ReturnType<typeof readDefault> | ReturnType<typeof writeDefault>
  function start(envelope: Envelope, options?: CallOptions) {
    return envelope._tag === "ReadEnvelope" ? readDefault(envelope, options) : writeDefault(envelope, options)
  }
  return start
}

export const startResendingNoRetry = (ctx: ServiceContext): Pigeonhole["startResendingNoRetry"] => (envelope, options) =>
  read("startResendingNoRetry", ctx, envelope, true, narrowReadNoRetry, options)

export const startResendingReturnBoxExists = (ctx: ServiceContext): Pigeonhole["startResendingReturnBoxExists"] => (envelope, options) =>
  write("startResendingReturnBoxExists", ctx, envelope, true, narrowWriteReturnBoxExists, options)
