/**
 * One thin-protocol connection over an `@effect/platform` Socket: length-prefixed frames in
 * both directions, with the end of the connection as a value. Used by the ThinClient and by
 * the fake daemon, so both sides share the framing code.
 *
 * @since 0.1.0
 */
import * as Socket from "@effect/platform/Socket"
import { Frame } from "@katzenpost-effect/core"
import * as Data from "effect/Data"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Mailbox from "effect/Mailbox"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"

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
  /** Writes one frame (prefix and body in a single write, so frames never interleave). */
  readonly send: (body: Uint8Array) => Effect.Effect<void, ConnectionEnded>
  /** Writes raw bytes, for fault injection. */
  readonly sendRaw: (bytes: Uint8Array) => Effect.Effect<void, ConnectionEnded>
  /** Completes when the connection ends. */
  readonly ended: Effect.Effect<ConnectionEnded>
  /** Closes the socket now, recording `reason` as the end. */
  readonly close: (reason: string) => Effect.Effect<void>
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
    const finishOnce = (end: ConnectionEnded) =>
      Effect.sync(() => {
        if (endReason !== undefined) return
        endReason = end
        frames.unsafeDone(Exit.fail(end))
        Deferred.unsafeDone(endedWith, Exit.succeed(end))
      })
    const write = yield* socket.writer

    const onChunk = (chunk: Uint8Array): Effect.Effect<void, ConnectionEnded> | void => {
      const result = decoder.push(chunk)
      if (Either.isLeft(result)) return Effect.fail(new ConnectionEnded({ reason: result.left.message, local: true }))
      for (const body of result.right) frames.unsafeOffer(body)
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
      Effect.forkScoped
    )

    const ended = Deferred.await(endedWith)
    yield* Effect.raceFirst(Deferred.await(opened), Effect.flatMap(ended, Effect.fail))

    const guarded = (bytes: Uint8Array) =>
      Effect.flatMap(Deferred.poll(endedWith), (done) =>
        done._tag === "Some"
          ? Effect.flatMap(done.value, Effect.fail)
          // Interruptible even inside finalizers: the race must be able to stop its loser (a write
          // to a socket that closed meanwhile waits forever for it to reopen).
          : Effect.interruptible(Effect.raceFirst(
            Effect.mapError(write(bytes), (error) => new ConnectionEnded({ reason: describe(error), local: false })),
            Effect.flatMap(ended, Effect.fail)
          )))

    return {
      take: Effect.catchTag(frames.take, "NoSuchElementException", () => Effect.flatMap(ended, Effect.fail)),
      send: (body) => guarded(Frame.encodeFrame(body)),
      sendRaw: guarded,
      ended,
      close: (reason) =>
        Effect.zipRight(
          finishOnce(new ConnectionEnded({ reason, local: true })),
          Effect.ignore(Effect.interruptible(Effect.timeout(write(new Socket.CloseEvent(1000)), "100 millis")))
        )
    }
  })
