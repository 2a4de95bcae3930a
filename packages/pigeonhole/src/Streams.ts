/**
 * What applications want from Pigeonhole, built only from the `Pigeonhole` calls: write the
 * next message of a stream, read the next message of a stream, and move a large payload
 * with a copy stream in one call.
 *
 * @since 0.1.0
 */
import { Bacap, type BoxIdNotFound, type ErrorCodes, type MessageBoxIndex, randomBytes, type ReadCap, type WriteCap } from "@katzenpost-effect/core"
import { Telemetry as TransportTelemetry, type TransportError } from "@katzenpost-effect/transport"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import type { CopyError, ReadError, ReadNoRetryError, ReadResult, WriteError, WriteResult } from "./Arq.js"
import type { Courier } from "./Courier.js"
import type { WriteEnvelope } from "./Envelope.js"
import { firstReadIndex } from "./internal/readCap.js"
import { type CallOptions, Pigeonhole } from "./Pigeonhole.js"
import type { OnProgress } from "./Progress.js"

/**
 * Writes a stream box after box. Writes are serialized, and the position only advances
 * when a write succeeded.
 *
 * A write that failed or was interrupted after its envelope was sent may still have been
 * stored (a default write succeeds on the courier's first ACK, and the replica keeps the
 * first message of a box), so the writer keeps that envelope as pending. The next write of
 * the same message re-sends it to the same box. The next write of a different message
 * first re-sends the pending one (idempotent) and advances past it, then writes the new
 * message to the following box: an unconfirmed message is delivered in order, never
 * silently replaced. If that re-send fails, the write fails with its error and writes
 * nothing new.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamWriter {
  /**
   * The next box to be written (persist it to resume later). While a write is pending it is
   * that write's box, which may already hold the pending message.
   */
  readonly position: Effect.Effect<MessageBoxIndex>
  /**
   * Writes `message` (at most `MaxPlaintextPayloadLength` bytes) to the next box and
   * advances. A repeated write of the same box succeeds (idempotent). A pending write (see
   * `StreamWriter`) is re-sent first. `timeout` applies to the encryption and to each ARQ
   * wait separately.
   */
  readonly write: (message: Uint8Array, options?: CallOptions) => Effect.Effect<WriteResult, StreamWriteError>
}

/**
 * Everything `StreamWriter.write` can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export type StreamWriteError = WriteError | ErrorCodes.LocalError | TransportError

/**
 * Everything `StreamReader.read` can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export type StreamReadError = ReadError | ErrorCodes.LocalError | TransportError

/**
 * Reads a stream box after box. Reads are serialized; the position advances when a read
 * succeeded, and also past a tombstone (the read fails with `Tombstone`: that box was
 * deleted and will never hold a message).
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamReader {
  /** The next box to be read. */
  readonly position: Effect.Effect<MessageBoxIndex>
  /** Reads the next box, waiting until it is written (the daemon retries through replication lag). */
  readonly read: (options?: CallOptions) => Effect.Effect<ReadResult, StreamReadError>
  /**
   * Reads the next `count` boxes with up to `concurrency` reads in flight at once (default 4)
   * and returns them in order: the boxes of a stream are independent, so their round trips
   * overlap instead of adding up. All or nothing: on the first error in box order (after
   * every read has ended) it fails with that error and the position does not move, so no
   * message is lost; read box by box with `read` to step over a tombstone.
   */
  readonly readMany: (
    count: number,
    options?: CallOptions & { readonly concurrency?: number }
  ) => Effect.Effect<ReadonlyArray<ReadResult>, StreamReadError>
  /** Reads the next box if it is there now; `None` (position unchanged) if it is not. */
  readonly tryRead: (
    options?: CallOptions
  ) => Effect.Effect<
    Option.Option<ReadResult>,
    Exclude<ReadNoRetryError, BoxIdNotFound> | ErrorCodes.LocalError | TransportError
  >
}

/**
 * Options of `sendPayload`.
 *
 * @since 0.1.0
 * @category models
 */
export interface SendPayloadOptions extends CallOptions {
  /** How many copy stream boxes are encrypted and written at once. Default 4. */
  readonly concurrency?: number
  /**
   * Timeout of the copy command. Default: `timeout` when given, else 5 minutes plus 90 seconds
   * per temporary box (the v0.0.73 courier takes 18–45 s per box).
   */
  readonly copyTimeout?: Duration.DurationInput
  /** Pin the courier that executes the copy command (see `Pigeonhole.startResendingCopyCommand`). */
  readonly courier?: Courier
  /** Called at each step: packed, each temporary box written, copy command sent, done. @since 0.2.0 */
  readonly onProgress?: OnProgress
}

/**
 * The high-level calls.
 *
 * @since 0.1.0
 * @category models
 */
export interface Streams {
  /** A writer for the stream of `writeCap`, from `start` (default: the stream's first box). */
  readonly writer: (writeCap: WriteCap, start?: MessageBoxIndex) => Effect.Effect<StreamWriter>
  /** A reader for the stream of `readCap`, from `start` (default: the stream's first box). */
  readonly reader: (readCap: ReadCap, start?: MessageBoxIndex) => Effect.Effect<StreamReader>
  /**
   * Delivers `payload` (up to 10 MiB) to the stream of `destWriteCap` from `destStartIndex`
   * through a fresh temporary copy stream and one copy command, and returns the destination
   * index after the payload. The courier writes all of it or none.
   */
  readonly sendPayload: (
    payload: Uint8Array,
    destWriteCap: WriteCap,
    destStartIndex: MessageBoxIndex,
    options?: SendPayloadOptions
  ) => Effect.Effect<MessageBoxIndex, ErrorCodes.LocalError | TransportError | WriteError | CopyError>
}

interface PendingWrite {
  /** A copy of the message, to tell a retry from the next message. */
  readonly message: Uint8Array
  readonly envelope: WriteEnvelope
}

/** A Streams call in a span named `Streams.<name>` (when the app traces). */
const span = <A, E>(name: string, self: Effect.Effect<A, E>): Effect.Effect<A, E> => TransportTelemetry.span(self, `Streams.${name}`)

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i])

/**
 * The Streams service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export const Streams = Context.GenericTag<Streams>("@katzenpost-effect/pigeonhole/Streams")

/**
 * Builds the service on the Pigeonhole service in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Streams, never, Pigeonhole> = Effect.map(Pigeonhole, (pigeonhole): Streams => {
  /** `count` consecutive box indexes from `start` (local BACAP unless configured otherwise). */
  const indexesFrom = (start: MessageBoxIndex, count: number) =>
    Effect.gen(function*() {
      const indexes: Array<MessageBoxIndex> = []
      let index = start
      for (let i = 0; i < count; i++) {
        indexes.push(index)
        if (i + 1 < count) index = yield* pigeonhole.nextMessageBoxIndex(index)
      }
      return indexes
    }).pipe(Effect.catchTag("InvalidArgument", (error) => Effect.die(error)))

  const writer: Streams["writer"] = (writeCap, start = Bacap.firstIndex(writeCap)) =>
    Effect.gen(function*() {
      const position = yield* Ref.make(start)
      // The sent but unconfirmed write at `position`, if any (see StreamWriter).
      const pending = yield* Ref.make(Option.none<PendingWrite>())
      const lock = yield* Effect.makeSemaphore(1)
      /** Sends the envelope of the box at `position`; on success clears it and advances. */
      const send = (envelope: WriteEnvelope, options: CallOptions | undefined) =>
        Effect.zipLeft(
          pigeonhole.startResending(envelope, options),
          Effect.zipRight(Ref.set(pending, Option.none()), Ref.set(position, envelope.nextIndex))
        )
      return {
        position: Ref.get(position),
        write: (message, options) =>
          span(
            "write",
            lock.withPermits(1)(
              Effect.gen(function*() {
                const unconfirmed = yield* Ref.get(pending)
                if (Option.isSome(unconfirmed)) {
                  if (sameBytes(unconfirmed.value.message, message)) return yield* send(unconfirmed.value.envelope, options)
                  yield* send(unconfirmed.value.envelope, options)
                }
                const envelope = yield* pigeonhole.encryptWrite(message, writeCap, yield* Ref.get(position), options)
                // Kept before sending: from here on the box may hold this message.
                yield* Ref.set(pending, Option.some({ message: message.slice(), envelope }))
                return yield* send(envelope, options)
              })
            )
          )
      }
    })

  const reader: Streams["reader"] = (readCap, start = firstReadIndex(readCap)) =>
    Effect.gen(function*() {
      const position = yield* Ref.make(start)
      const lock = yield* Effect.makeSemaphore(1)
      const readWith = <E extends { readonly _tag: string }>(
        options: CallOptions | undefined,
        send: (envelope: Parameters<typeof pigeonhole.startResendingNoRetry>[0]) => Effect.Effect<ReadResult, E>
      ) =>
        lock.withPermits(1)(
          Effect.gen(function*() {
            const envelope = yield* pigeonhole.encryptRead(readCap, yield* Ref.get(position), options)
            const result = yield* send(envelope).pipe(
              Effect.tapError((error) => (error._tag === "Tombstone" ? Ref.set(position, envelope.nextIndex) : Effect.void))
            )
            yield* Ref.set(position, envelope.nextIndex)
            return result
          })
        )
      const readMany: StreamReader["readMany"] = (count, options = {}) =>
        lock.withPermits(1)(
          Effect.gen(function*() {
            const { concurrency = 4, ...call } = options
            const indexes = yield* indexesFrom(yield* Ref.get(position), count)
            const outcomes = yield* Effect.forEach(
              indexes,
              (index) =>
                Effect.either(
                  Effect.flatMap(pigeonhole.encryptRead(readCap, index, call), (envelope) =>
                    Effect.map(pigeonhole.startResending(envelope, call), (result) => ({ result, next: envelope.nextIndex })))
                ),
              { concurrency }
            )
            const results: Array<ReadResult> = []
            for (const outcome of outcomes) {
              if (outcome._tag === "Left") {
                return yield* Effect.fail(outcome.left)
              }
              results.push(outcome.right.result)
            }
            const last = outcomes[outcomes.length - 1]
            if (last !== undefined && last._tag === "Right") {
              yield* Ref.set(position, last.right.next)
            }
            return results
          })
        )
      return {
        position: Ref.get(position),
        read: (options) =>
          span("read", readWith(options, (envelope) => pigeonhole.startResending(envelope, options))),
        readMany: (count, options) => span("readMany", readMany(count, options)),
        tryRead: (options) =>
          span(
            "tryRead",
            readWith(options, (envelope) => pigeonhole.startResendingNoRetry(envelope, options)).pipe(
              Effect.map(Option.some),
              Effect.catchTag("BoxIdNotFound", () => Effect.succeedNone)
            )
          )
      }
    })

  const sendPayload: Streams["sendPayload"] = (payload, destWriteCap, destStartIndex, options = {}) =>
    Effect.gen(function*() {
      const { concurrency = 4, copyTimeout, courier, onProgress, ...call } = options
      const report = onProgress ?? (() => Effect.void)
      yield* report({ phase: "packing", boxesWritten: 0, boxes: 0 })
      // The temporary stream only lives for this copy; its seed is never kept.
      const seed = Redacted.make(yield* randomBytes(32))
      const temporary = yield* pigeonhole
        .newKeypair(seed, call)
        .pipe(Effect.catchTag("InvalidArgument", (error) => Effect.die(error)))
      const packed = yield* pigeonhole.createCourierEnvelopesFromPayload(payload, destWriteCap, destStartIndex, {
        ...call,
        isStart: true,
        isLast: true
      })
      // Each temporary box is encrypted (CTIDH work in the daemon) and written on its own, so
      // up to `concurrency` boxes are in one of the two steps at once instead of all
      // encryptions running one after another before the first write.
      const boxes = packed.envelopes.length
      const indexes = yield* indexesFrom(temporary.firstIndex, boxes)
      let boxesWritten = 0
      yield* report({ phase: "writing", boxesWritten, boxes })
      yield* Effect.forEach(
        packed.envelopes,
        (element, i) =>
          Effect.flatMap(pigeonhole.encryptWrite(element, temporary.writeCap, indexes[i]!, call), (envelope) =>
            pigeonhole.startResending(envelope, call)).pipe(
              Effect.zipRight(Effect.suspend(() =>
                report({ phase: "writing", boxesWritten: ++boxesWritten, boxes })
              ))
            ),
        { concurrency, discard: true }
      )
      yield* report({ phase: "copying", boxesWritten, boxes })
      const copy = {
        ...call,
        timeout: copyTimeout ??
          call.timeout ??
          Duration.sum(Duration.minutes(5), Duration.times(Duration.seconds(90), packed.envelopes.length))
      }
      yield* pigeonhole.startResendingCopyCommand(temporary.writeCap, courier === undefined ? copy : { ...copy, courier })
      yield* report({ phase: "done", boxesWritten, boxes })
      return packed.nextDestIndex
    }).pipe((self) => TransportTelemetry.span(self, "Streams.sendPayload", { attributes: { "katzenpost.payload.bytes": payload.length } }))

  return { writer, reader, sendPayload }
})

const live: Layer.Layer<Streams, never, Pigeonhole> = Layer.effect(Streams, make)

/**
 * The service as a layer (needs `Pigeonhole`). A function, like every `layer` in this SDK,
 * although it takes no options yet.
 *
 * @example
 * import { Pigeonhole, Streams } from "@katzenpost-effect/pigeonhole"
 * import { Layer } from "effect"
 *
 * const layer = Streams.layer().pipe(Layer.provideMerge(Pigeonhole.layer()))
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (): Layer.Layer<Streams, never, Pigeonhole> => live
