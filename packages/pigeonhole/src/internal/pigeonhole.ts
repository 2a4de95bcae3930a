/** The Pigeonhole service implementation over a ThinClient. */
import {
  Bacap,
  ErrorCodes,
  InvalidArgument,
  newQueryId,
  PayloadTooLarge,
  randomBytes,
  Request as Req,
  type EnvelopeHash,
  type MessageBoxIndex,
  type QueryId
} from "@katzenpost-effect/core"
import { ThinClient, type RequestOptions, type TransportError } from "@katzenpost-effect/transport"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import {
  copyErrorTags,
  readErrorTags,
  readNoRetryErrorTags,
  writeErrorTags,
  writeReturnBoxExistsErrorTags,
  type ReadResult,
  type WriteResult
} from "../Arq.js"
import { MAX_COPY_PAYLOAD, writeCapHash as hashWriteCap } from "../CopyStream.js"
import { COURIER_CAPABILITY, fromService, NotEnoughCouriers, type Courier } from "../Courier.js"
import { TombstoneRangeIncomplete, type Envelope, type ReadEnvelope, type WriteEnvelope } from "../Envelope.js"
import { SEED_SIZE, type Seed } from "../Keypair.js"
import type { CallOptions, InFlight, Pigeonhole, PigeonholeConfig } from "../Pigeonhole.js"
import { failWith, narrow, requestOptions, required, timeoutOf, withTimeout } from "./call.js"
import { guard, makeRegistry } from "./inFlight.js"

const U32_MAX = 0xffff_ffff
const EMPTY = new Uint8Array(0)
const ARQ = "start_resending_encrypted_message"

const narrowRead = narrow(readErrorTags, `${ARQ} (read)`)
const narrowReadNoRetry = narrow(readNoRetryErrorTags, `${ARQ} (read, no retry)`)
const narrowWrite = narrow(writeErrorTags, `${ARQ} (write)`)
const narrowWriteReturnBoxExists = narrow(writeReturnBoxExistsErrorTags, `${ARQ} (write, return box exists)`)
const narrowCopy = narrow(copyErrorTags, "start_resending_copy_command")

const seedBytes = (seed: Seed): Uint8Array => (Redacted.isRedacted(seed) ? Redacted.value(seed) : seed)

const checkCount = (argument: string, count: number): Effect.Effect<void, InvalidArgument> =>
  Number.isInteger(count) && count >= 0 && count <= U32_MAX
    ? Effect.void
    : Effect.fail(new InvalidArgument({ argument, reason: "must be an integer from 0 to 2^32-1" }))

const checkCopyPayload = (argument: string, payload: Uint8Array): Effect.Effect<void, PayloadTooLarge> =>
  payload.length <= MAX_COPY_PAYLOAD
    ? Effect.void
    : Effect.fail(
        new PayloadTooLarge({
          code: 27,
          message: `${argument} is larger than a copy stream call accepts`,
          size: payload.length,
          limit: MAX_COPY_PAYLOAD
        })
      )

const elements = (kind: string, envelopes: ReadonlyArray<Uint8Array | null> | null) =>
  Effect.forEach(envelopes ?? [], (element, i) => required(kind, `envelopes[${i}]`, element))

/** @internal */
export const make = (config: PigeonholeConfig = {}): Effect.Effect<Pigeonhole, never, ThinClient.ThinClient> =>
  Effect.gen(function* () {
    const client = yield* ThinClient.ThinClient
    const registry = yield* makeRegistry
    const localTimeout = Duration.decode(config.timeout ?? Duration.seconds(30))
    const arqTimeout = Duration.decode(config.arqTimeout ?? Duration.minutes(5))
    const cancelTimeout = Duration.decode(config.cancelTimeout ?? Duration.seconds(10))
    const daemonIndexes = config.indexes === "daemon"
    const localKeypairs = config.keypairs === "local"

    /** A local request: fresh query id, timeout, thin-namespace error code. */
    const local = <A extends { readonly error_code: number }>(
      operation: string,
      options: CallOptions | undefined,
      send: (queryId: QueryId, options: RequestOptions) => Effect.Effect<A, TransportError>
    ): Effect.Effect<A, ErrorCodes.LocalError | TransportError> =>
      Effect.flatMap(newQueryId, (queryId) => send(queryId, requestOptions(options))).pipe(
        withTimeout(operation, timeoutOf(options, localTimeout)),
        Effect.tap((reply) => failWith(ErrorCodes.localError(operation, reply.error_code)))
      )

    const newKeypair: Pigeonhole["newKeypair"] = (seed, options) => {
      const bytes = seedBytes(seed)
      if (bytes.length !== SEED_SIZE) {
        return Effect.fail(new InvalidArgument({ argument: "seed", reason: `must be exactly ${SEED_SIZE} bytes` }))
      }
      if (localKeypairs) {
        return Either.match(Bacap.newKeypair(bytes), {
          onLeft: (error) => Effect.fail(error),
          onRight: (keypair) => Effect.succeed(keypair)
        })
      }
      return local("new_keypair", options, (query_id, o) =>
        client.request(Req.NewKeypair.make({ query_id, seed: bytes }), o)).pipe(
        Effect.flatMap((reply) =>
          Effect.all({
            writeCap: required("new_keypair_reply", "write_cap", reply.write_cap),
            readCap: required("new_keypair_reply", "read_cap", reply.read_cap),
            firstIndex: required("new_keypair_reply", "first_message_index", reply.first_message_index)
          })
        )
      )
    }

    /** A caller-built index of the wrong length fails before any work (local or daemon). */
    const checkIndex = (index: MessageBoxIndex): Effect.Effect<MessageBoxIndex, InvalidArgument> =>
      Either.match(Bacap.validateIndex(index, "index"), {
        onLeft: (error) => Effect.fail(error),
        onRight: (valid) => Effect.succeed(valid)
      })

    const nextMessageBoxIndex: Pigeonhole["nextMessageBoxIndex"] = (index, options) =>
      Effect.zipRight(checkIndex(index), nextMessageBoxIndexOf(index, options))

    const nextMessageBoxIndexOf: Pigeonhole["nextMessageBoxIndex"] = (index, options) =>
      daemonIndexes
        ? local("next_message_box_index", options, (query_id, o) =>
          client.request(Req.NextMessageBoxIndex.make({ query_id, message_box_index: index }), o)).pipe(
          Effect.flatMap((reply) =>
            required("next_message_box_index_reply", "next_message_box_index", reply.next_message_box_index)
          )
        )
        : Either.match(Bacap.nextIndex(index), {
          onLeft: (error) => Effect.fail(error),
          onRight: (next) => Effect.succeed(next)
        })

    const messageBoxIndexCounter: Pigeonhole["messageBoxIndexCounter"] = (index, options) =>
      Effect.zipRight(
        checkIndex(index),
        daemonIndexes
          ? local("get_message_box_index_counter", options, (query_id, o) =>
            client.request(Req.GetMessageBoxIndexCounter.make({ query_id, message_box_index: index }), o)).pipe(
            Effect.map((reply) => reply.counter)
          )
          : Effect.sync(() => Bacap.counter(index))
      )

    const encrypted = (
      kind: string,
      reply: {
        readonly message_ciphertext: Uint8Array | null
        readonly envelope_descriptor: Envelope["envelopeDescriptor"] | null
        readonly envelope_hash: EnvelopeHash | null
        readonly next_message_box_index: MessageBoxIndex | null
      }
    ) =>
      Effect.all({
        messageCiphertext: required(kind, "message_ciphertext", reply.message_ciphertext),
        envelopeDescriptor: required(kind, "envelope_descriptor", reply.envelope_descriptor),
        envelopeHash: required(kind, "envelope_hash", reply.envelope_hash),
        nextIndex: required(kind, "next_message_box_index", reply.next_message_box_index)
      })

    const encryptRead: Pigeonhole["encryptRead"] = (readCap, index, options) =>
      local("encrypt_read", options, (query_id, o) =>
        client.request(Req.EncryptRead.make({ query_id, read_cap: readCap, message_box_index: index }), o)).pipe(
        Effect.flatMap((reply) => encrypted("encrypt_read_reply", reply)),
        Effect.map((fields): ReadEnvelope => ({ _tag: "ReadEnvelope", readCap, boxIndex: index, ...fields }))
      )

    const encryptWrite: Pigeonhole["encryptWrite"] = (plaintext, writeCap, index, options) =>
      Effect.gen(function* () {
        const limit = (yield* client.geometry).pigeonhole.MaxPlaintextPayloadLength
        // A zero limit means the geometry is unknown: leave the check to the daemon.
        if (limit > 0 && plaintext.length > limit) {
          return yield* Effect.fail(
            new PayloadTooLarge({
              code: 27,
              message: "plaintext is longer than the Pigeonhole geometry's MaxPlaintextPayloadLength",
              size: plaintext.length,
              limit
            })
          )
        }
        const reply = yield* local("encrypt_write", options, (query_id, o) =>
          client.request(
            Req.EncryptWrite.make({ query_id, plaintext, write_cap: writeCap, message_box_index: index }),
            o
          ))
        const fields = yield* encrypted("encrypt_write_reply", reply)
        const envelope: WriteEnvelope = {
          _tag: "WriteEnvelope",
          writeCap,
          boxIndex: index,
          tombstone: plaintext.length === 0,
          ...fields
        }
        return envelope
      })

    const tombstoneRange: Pigeonhole["tombstoneRange"] = (writeCap, start, maxCount, options) =>
      Effect.gen(function* () {
        yield* checkCount("maxCount", maxCount)
        const envelopes: Array<WriteEnvelope> = []
        let next = start
        while (envelopes.length < maxCount) {
          const made = yield* Effect.either(encryptWrite(EMPTY, writeCap, next, options))
          if (Either.isLeft(made)) {
            return yield* Effect.fail(new TombstoneRangeIncomplete({ reason: made.left, envelopes, next }))
          }
          envelopes.push(made.right)
          next = made.right.nextIndex
        }
        return { envelopes, next }
      })

    /**
     * Sends the cancel for an interrupted wait. It runs on its own fiber: the interrupted
     * fiber's finalizer is uninterruptible, so a timeout there could never interrupt a
     * cancel the daemon does not answer. It waits for the connection: while the socket is
     * down the daemon keeps the session, and its ARQ entry, for the grace period, so a cancel
     * that failed fast would let the daemon finish an operation the caller was told was
     * interrupted. Bounded by `cancelTimeout`; a failure is logged.
     */
    const cancelOnInterrupt = (operation: InFlight): Effect.Effect<void> => {
      const options: CallOptions = { timeout: cancelTimeout, waitForConnection: true }
      return Effect.forkDaemon(
        Effect.interruptible(
          operation._tag === "Copy"
            ? cancelResendingCopyCommand(operation.writeCapHash, options)
            : cancelResending(operation.envelopeHash, options)
        ).pipe(Effect.catchAll((error) => Effect.logWarning(`cancel after interruption failed: ${error._tag}`)))
      ).pipe(Effect.flatMap(Fiber.await), Effect.asVoid)
    }

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
      envelope: Envelope,
      flags: { readonly noRetry: boolean; readonly returnBoxExists: boolean },
      toError: (error: ErrorCodes.ArqError) => E,
      options: CallOptions | undefined
    ) => {
      const isRead = envelope._tag === "ReadEnvelope"
      const operation: InFlight = { _tag: isRead ? "Read" : "Write", envelopeHash: envelope.envelopeHash }
      const wait = Effect.flatMap(newQueryId, (query_id) =>
        client.request(
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
          }),
          requestOptions(options)
        ))
      return guard(registry, operation, cancelOnInterrupt(operation), wait).pipe(
        withTimeout(ARQ, timeoutOf(options, arqTimeout)),
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
      envelope: ReadEnvelope,
      noRetry: boolean,
      toError: (error: ErrorCodes.ArqError) => E,
      options: CallOptions | undefined
    ): Effect.Effect<ReadResult, E | TransportError> =>
      resend(envelope, { noRetry, returnBoxExists: false }, toError, options).pipe(
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
        )
      )

    const write = <E>(
      envelope: WriteEnvelope,
      returnBoxExists: boolean,
      toError: (error: ErrorCodes.ArqError) => E,
      options: CallOptions | undefined
    ): Effect.Effect<WriteResult, E | TransportError> =>
      resend(envelope, { noRetry: false, returnBoxExists }, toError, options).pipe(
        Effect.map(({ courier }): WriteResult => ({
          _tag: "WriteResult",
          courier,
          envelopeHash: envelope.envelopeHash,
          boxIndex: envelope.boxIndex
        }))
      )

    function startResending(envelope: ReadEnvelope, options?: CallOptions): ReturnType<typeof readDefault>
    function startResending(envelope: WriteEnvelope, options?: CallOptions): ReturnType<typeof writeDefault>
    function startResending(
      envelope: Envelope,
      options?: CallOptions
    ): ReturnType<typeof readDefault> | ReturnType<typeof writeDefault>
    function startResending(envelope: Envelope, options?: CallOptions) {
      return envelope._tag === "ReadEnvelope" ? readDefault(envelope, options) : writeDefault(envelope, options)
    }
    const readDefault = (envelope: ReadEnvelope, options?: CallOptions) => read(envelope, false, narrowRead, options)
    const writeDefault = (envelope: WriteEnvelope, options?: CallOptions) => write(envelope, false, narrowWrite, options)

    const cancelResending: Pigeonhole["cancelResending"] = (envelopeHash, options) =>
      local("cancel_resending_encrypted_message", options, (query_id, o) =>
        client.request(Req.CancelResendingEncryptedMessage.make({ query_id, envelope_hash: envelopeHash }), o)).pipe(
        Effect.asVoid
      )

    const createCourierEnvelopesFromPayload: Pigeonhole["createCourierEnvelopesFromPayload"] = (
      payload,
      destWriteCap,
      destStartIndex,
      options
    ) =>
      checkCopyPayload("payload", payload).pipe(
        Effect.zipRight(
          local("create_courier_envelopes_from_payload", options, (query_id, o) =>
            client.request(
              Req.CreateCourierEnvelopesFromPayload.make({
                query_id,
                payload,
                dest_write_cap: destWriteCap,
                dest_start_index: destStartIndex,
                is_start: options?.isStart ?? true,
                is_last: options?.isLast ?? true
              }),
              o
            ))
        ),
        Effect.flatMap((reply) =>
          Effect.all({
            envelopes: elements("create_courier_envelopes_from_payload_reply", reply.envelopes),
            nextDestIndex: required("create_courier_envelopes_from_payload_reply", "next_dest_index", reply.next_dest_index)
          })
        )
      )

    const createCourierEnvelopesFromMultiPayload: Pigeonhole["createCourierEnvelopesFromMultiPayload"] = (
      destinations,
      options
    ) =>
      Effect.gen(function* () {
        if (destinations.length === 0) {
          return yield* Effect.fail(new InvalidArgument({ argument: "destinations", reason: "must not be empty" }))
        }
        yield* Effect.forEach(destinations, (d, i) => checkCopyPayload(`destinations[${i}].payload`, d.payload), {
          discard: true
        })
        const kind = "create_courier_envelopes_from_multi_payload_reply"
        const reply = yield* local("create_courier_envelopes_from_multi_payload", options, (query_id, o) =>
          client.request(
            Req.CreateCourierEnvelopesFromMultiPayload.make({
              query_id,
              destinations: destinations.map((d) => ({
                payload: d.payload,
                write_cap: d.writeCap,
                start_index: d.startIndex
              })),
              is_start: options?.isStart ?? true,
              is_last: options?.isLast ?? true,
              buffer: options?.buffer ?? null
            }),
            o
          ))
        return {
          envelopes: yield* elements(kind, reply.envelopes),
          buffer: reply.buffer ?? undefined,
          nextDestIndices: yield* Effect.forEach(reply.next_dest_indices ?? [], (index, i) =>
            required(kind, `next_dest_indices[${i}]`, index))
        }
      })

    const createCourierEnvelopesFromTombstoneRange: Pigeonhole["createCourierEnvelopesFromTombstoneRange"] = (
      destWriteCap,
      destStartIndex,
      maxCount,
      options
    ) =>
      checkCount("maxCount", maxCount).pipe(
        Effect.zipRight(
          local("create_courier_envelopes_from_tombstone_range", options, (query_id, o) =>
            client.request(
              Req.CreateCourierEnvelopesFromTombstoneRange.make({
                query_id,
                dest_write_cap: destWriteCap,
                dest_start_index: destStartIndex,
                max_count: maxCount,
                is_start: options?.isStart ?? true,
                is_last: options?.isLast ?? true,
                buffer: options?.buffer ?? null
              }),
              o
            ))
        ),
        Effect.flatMap((reply) => {
          const kind = "create_courier_envelopes_from_tombstone_range_reply"
          return Effect.all({
            envelopes: elements(kind, reply.envelopes),
            buffer: Effect.succeed(reply.buffer ?? undefined),
            nextDestIndex: required(kind, "next_dest_index", reply.next_dest_index)
          })
        })
      )

    const startResendingCopyCommand: Pigeonhole["startResendingCopyCommand"] = (writeCap, options) => {
      const operation: InFlight = { _tag: "Copy", writeCapHash: hashWriteCap(writeCap) }
      const courier = options?.courier
      const wait = Effect.flatMap(newQueryId, (query_id) =>
        client.request(
          Req.StartResendingCopyCommand.make({
            query_id,
            write_cap: writeCap,
            courier_identity_hash: courier?.identityHash ?? null,
            courier_queue_id: courier?.queueId ?? null
          }),
          requestOptions(options)
        ))
      return guard(registry, operation, cancelOnInterrupt(operation), wait).pipe(
        withTimeout("start_resending_copy_command", timeoutOf(options, arqTimeout)),
        Effect.flatMap((reply) => {
          const error = ErrorCodes.copyCommandError(reply)
          return error === undefined ? Effect.void : Effect.fail(narrowCopy(error))
        })
      )
    }

    const cancelResendingCopyCommand: Pigeonhole["cancelResendingCopyCommand"] = (writeCapHash, options) =>
      local("cancel_resending_copy_command", options, (query_id, o) =>
        client.request(Req.CancelResendingCopyCommand.make({ query_id, write_cap_hash: writeCapHash }), o)).pipe(
        Effect.asVoid
      )

    const getAllCouriers: Pigeonhole["getAllCouriers"] = Effect.map(
      client.getServices(COURIER_CAPABILITY),
      (services) => services.map(fromService)
    )

    const getDistinctCouriers: Pigeonhole["getDistinctCouriers"] = (n) =>
      Effect.gen(function* () {
        yield* checkCount("n", n)
        const couriers = [...(yield* getAllCouriers)]
        if (couriers.length < n) {
          return yield* Effect.fail(new NotEnoughCouriers({ requested: n, available: couriers.length }))
        }
        // Picked with the CSPRNG: the choice of couriers should not be guessable.
        const random = new DataView((yield* randomBytes(4 * n)).buffer)
        const picked: Array<Courier> = []
        for (let i = 0; i < n; i++) picked.push(...couriers.splice(random.getUint32(4 * i) % couriers.length, 1))
        return picked
      })

    return {
      newKeypair,
      nextMessageBoxIndex,
      messageBoxIndexCounter,
      encryptRead,
      encryptWrite,
      tombstoneRange,
      startResending,
      startResendingNoRetry: (envelope, options) => read(envelope, true, narrowReadNoRetry, options),
      startResendingReturnBoxExists: (envelope, options) => write(envelope, true, narrowWriteReturnBoxExists, options),
      cancelResending,
      createCourierEnvelopesFromPayload,
      createCourierEnvelopesFromMultiPayload,
      createCourierEnvelopesFromTombstoneRange,
      startResendingCopyCommand,
      cancelResendingCopyCommand,
      getAllCouriers,
      getDistinctCouriers,
      inFlight: registry.list
    }
  })
