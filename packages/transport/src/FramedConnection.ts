/**
 * One thin-protocol connection over an `@effect/platform` Socket: length-prefixed frames in
 * both directions, with the end of the connection as a value. Used by the ThinClient and by
 * the fake daemon, so both sides share the framing code.
 *
 * @since 0.1.0
 */
import * as Socket from "@effect/platform/Socket"
import { Frame } from "@katzenpost-effect/core"
import * as Chunk from "effect/Chunk"
import * as Data from "effect/Data"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Mailbox from "effect/Mailbox"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import { type DirectWriter, directWriterOf } from "./internal/directWrite.js"

/**
 * Why a connection ended: `reason` is for people; `local` is true when this side closed it.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConnectionEnded extends Data.TaggedError("ConnectionEnded")<{
  readonly reason: string
  readonly local: boolean
}> {}

/**
 * A framed connection. Everything is bound to the scope it was opened in: closing that scope
 * closes the socket.
 *
 * @since 0.1.0
 * @category models
 */
export interface FramedConnection {
  /** The next frame body; fails with `ConnectionEnded` once the connection is over. */
  readonly take: Effect.Effect<Uint8Array, ConnectionEnded>
  /** Every frame body received and not taken yet (at least one, waiting for it if needed). */
  readonly takeAll: Effect.Effect<ReadonlyArray<Uint8Array>, ConnectionEnded>
  /**
   * Queues one frame for the connection's writer without waiting: every frame queued in the
   * same tick goes out in one socket write. `onWritten` is called once, with nothing when the
   * frame was written and with the end when the connection ended first. Returns a function
   * that withdraws the frame if it has not been handed to the socket yet.
   */
  readonly offer: (body: Uint8Array, onWritten?: (end: ConnectionEnded | undefined) => void) => () => void
  /**
   * Frames for which `handler` returns true are consumed at once, in the socket's own
   * callback, instead of being queued for `take` (`undefined` removes it). The ThinClient
   * completes replies this way, without a fiber hop.
   */
  readonly intercept: (handler: ((body: Uint8Array) => boolean) | undefined) => void
  /** Writes one frame and waits until it is written (frames never interleave). */
  readonly send: (body: Uint8Array) => Effect.Effect<void, ConnectionEnded>
  /** Writes raw bytes, for fault injection. */
  readonly sendRaw: (bytes: Uint8Array) => Effect.Effect<void, ConnectionEnded>
  /** Completes when the connection ends. */
  readonly ended: Effect.Effect<ConnectionEnded>
  /** Closes the socket now, recording `reason` as the end. */
  readonly close: (reason: string) => Effect.Effect<void>
}

/** A frame waiting for the writer. */
interface Outgoing {
  readonly bytes: Uint8Array
  /** Written as given (fault injection), not as a frame body. */
  readonly raw: boolean
  onWritten: ((end: ConnectionEnded | undefined) => void) | undefined
  withdrawn: boolean
}

const noop = () => {}

/** One buffer with every frame of the batch, length prefixes included. */
const concat = (batch: ReadonlyArray<Outgoing>): Uint8Array => {
  if (batch.length === 1 && batch[0]!.raw) return batch[0]!.bytes
  let total = 0
  for (const item of batch) total += item.bytes.length + (item.raw ? 0 : Frame.PREFIX_LENGTH)
  const buffer = Frame.allocate(total)
  let offset = 0
  for (const item of batch) {
    const length = item.bytes.length
    if (!item.raw) {
      buffer[offset] = length >>> 24
      buffer[offset + 1] = (length >>> 16) & 0xff
      buffer[offset + 2] = (length >>> 8) & 0xff
      buffer[offset + 3] = length & 0xff
      offset += Frame.PREFIX_LENGTH
    }
    buffer.set(item.bytes, offset)
    offset += length
  }
  return buffer
}

const describe = (error: unknown): string => {
  if (Socket.isSocketError(error)) {
    if (error.reason === "Close") return `socket closed (code ${error.code})`
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ""
    return `socket ${error.reason.toLowerCase()} error${cause}`
  }
  if (error instanceof Error) return error.message
  return String(error)
}

/**
 * Opens a framed connection on a socket: runs the socket in a fiber of the current scope and
 * waits until it is open. Frames longer than `maxFrameLength` end the connection before
 * anything is allocated for them.
 *
 * @since 0.1.0
 * @category constructors
 */
export const open = (
  socket: Socket.Socket,
  options?: { readonly maxFrameLength?: number }
): Effect.Effect<FramedConnection, ConnectionEnded, Scope.Scope> =>
  Effect.gen(function*() {
    const decoder = Frame.makeDecoder({ maxLength: options?.maxFrameLength ?? Frame.DEFAULT_MAX_FRAME_LENGTH })
    const frames = yield* Mailbox.make<Uint8Array, ConnectionEnded>()
    const opened = yield* Deferred.make<void>()
    const endedWith = yield* Deferred.make<ConnectionEnded>()
    let endReason: ConnectionEnded | undefined
    // The first reason wins: a local close is not overwritten by the interruption it causes.
    const finishNow = (end: ConnectionEnded): void => {
      if (endReason !== undefined) return
      endReason = end
      frames.unsafeDone(Exit.fail(end))
      Deferred.unsafeDone(endedWith, Exit.succeed(end))
      failQueued(end)
    }
    const finishOnce = (end: ConnectionEnded) => Effect.sync(() => finishNow(end))
    const write = yield* socket.writer
    const outgoing: Array<Outgoing> = []
    let writing: ReadonlyArray<Outgoing> = []
    let wake: ((effect: Effect.Effect<void>) => void) | undefined
    const settle = (items: ReadonlyArray<Outgoing>, end: ConnectionEnded | undefined) => {
      for (const item of items) {
        const done = item.onWritten
        item.onWritten = undefined
        if (done !== undefined && !item.withdrawn) done(end)
      }
    }
    const failQueued = (end: ConnectionEnded) => {
      const queued = outgoing.splice(0, outgoing.length)
      const inWrite = writing
      writing = []
      settle(inWrite, end)
      settle(queued, end)
    }
    let interceptor: ((body: Uint8Array) => boolean) | undefined
    const onChunk = (chunk: Uint8Array): Effect.Effect<void, ConnectionEnded> | void => {
      const result = decoder.push(chunk)
      if (Either.isLeft(result)) return Effect.fail(new ConnectionEnded({ reason: result.left.message, local: true }))
      for (const body of result.right) if (interceptor === undefined || !interceptor(body)) frames.unsafeOffer(body)
      // The good frames before an oversized prefix are delivered first, then the connection ends.
      const failed = decoder.failure()
      if (Option.isSome(failed)) return Effect.fail(new ConnectionEnded({ reason: failed.value.message, local: true }))
    }

    // onExit, not exit + flatMap: the end must be recorded even when the fiber is interrupted.
    yield* socket.run(onChunk, { onOpen: Deferred.succeed(opened, undefined) }).pipe(
      Effect.onExit((exit) => {
        if (Exit.isSuccess(exit)) {
          const truncated = decoder.end()
          return finishOnce(
            new ConnectionEnded({
              reason: Either.isLeft(truncated) ? `closed by the peer (${truncated.left.message})` : "closed by the peer",
              local: false
            })
          )
        }
        const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
        if (failure instanceof ConnectionEnded) return finishOnce(failure)
        if (failure !== undefined) return finishOnce(new ConnectionEnded({ reason: describe(failure), local: false }))
        return finishOnce(new ConnectionEnded({ reason: "connection closed", local: true }))
      }),
      // The end is recorded above and read through `ended`: a socket that fails (a refused
      // redial, a reset) is an expected outcome, not a fiber dying with an unhandled error.
      Effect.catchAllCause(() => Effect.void),
      Effect.forkScoped
    )

    const ended = Deferred.await(endedWith)
    yield* Effect.raceFirst(Deferred.await(opened), Effect.flatMap(ended, Effect.fail))

    const takeBatch = (): ReadonlyArray<Outgoing> => outgoing.splice(0, outgoing.length).filter((item) => !item.withdrawn)
    const direct: DirectWriter | undefined = directWriterOf(socket)

    // With a direct writer, frames are written from the callbacks themselves: everything
    // offered in one turn of the event loop goes out in one write, one write at a time (the
    // next waits for the previous one's callback, so a daemon that stopped reading holds the
    // frames here, where they can be withdrawn).
    let flushQueued = false
    const flush = (): void => {
      flushQueued = false
      if (direct === undefined || writing.length > 0 || endReason !== undefined) return
      const batch = takeBatch()
      if (batch.length === 0) return
      writing = batch
      direct.write(concat(batch), (error) => {
        if (writing !== batch) return
        if (error) {
          finishNow(new ConnectionEnded({ reason: describe(error), local: false }))
          return
        }
        writing = []
        settle(batch, undefined)
        if (outgoing.length > 0) flush()
      })
    }

    // Otherwise one writer fiber takes everything queued since its last write and writes it at once.
    const writer = Effect.gen(function*() {
      while (true) {
        if (outgoing.length === 0) {
          yield* Effect.async<void>((resume) => {
            wake = resume
            return Effect.sync(() => {
              wake = undefined
            })
          })
        }
        const batch = takeBatch()
        if (batch.length === 0) continue
        writing = batch
        const result = yield* Effect.either(write(concat(batch)))
        if (Either.isLeft(result)) {
          yield* finishOnce(new ConnectionEnded({ reason: describe(result.left), local: false }))
          return
        }
        writing = []
        settle(batch, undefined)
      }
    })
    // Interruptible even inside finalizers: a write to a socket that closed meanwhile waits
    // forever for it to reopen; the scope's end must be able to stop it.
    if (direct === undefined) yield* Effect.forkScoped(Effect.interruptible(writer))

    const offer = (bytes: Uint8Array, raw: boolean, onWritten?: (end: ConnectionEnded | undefined) => void): () => void => {
      if (endReason !== undefined) {
        onWritten?.(endReason)
        return noop
      }
      const item: Outgoing = { bytes, raw, onWritten, withdrawn: false }
      outgoing.push(item)
      if (direct !== undefined) {
        if (!flushQueued && writing.length === 0) {
          flushQueued = true
          queueMicrotask(flush)
        }
      } else if (wake !== undefined) {
        const resume = wake
        wake = undefined
        resume(Effect.void)
      }
      return () => {
        item.withdrawn = true
      }
    }
    const sendWith = (bytes: Uint8Array, raw: boolean) =>
      Effect.async<void, ConnectionEnded>((resume) => {
        const withdraw = offer(bytes, raw, (end) => resume(end === undefined ? Effect.void : Effect.fail(end)))
        return Effect.sync(withdraw)
      })

    return {
      take: Effect.catchTag(frames.take, "NoSuchElementException", () => Effect.flatMap(ended, Effect.fail)),
      takeAll: Effect.flatMap(frames.takeAll, ([chunk, done]) =>
        chunk.length > 0 ? Effect.succeed(Chunk.toReadonlyArray(chunk)) : done ? Effect.flatMap(ended, Effect.fail) : Effect.succeed([])),
      offer: (body, onWritten) =>
        offer(body, false, onWritten),
      intercept: (handler) => {
        interceptor = handler
      },
      send: (body) =>
        sendWith(body, false),
      sendRaw: (bytes) => sendWith(bytes, true),
      ended,
      close: (reason) =>
        Effect.zipRight(
          finishOnce(new ConnectionEnded({ reason, local: true })),
          Effect.ignore(Effect.interruptible(Effect.timeout(write(new Socket.CloseEvent(1000)), "100 millis")))
        )
    }
  })
