/**
 * A socket that lets `FramedConnection` write its frames synchronously from the caller's own
 * callback, instead of through the Socket's Effect-based writer and a writer fiber. Our Node
 * unix and TCP sockets carry one; any other Socket (WebSocket, in-memory, an app's own) goes
 * through the writer fiber as before.
 */
import type * as Socket from "@effect/platform/Socket"

/** What a direct writer needs of the underlying stream (node:net's `Socket.write`). */
export interface DirectWriter {
  /** Queues `bytes` in the stream; `done` is called once, with the error if the write failed. */
  readonly write: (bytes: Uint8Array, done: (error?: Error | null) => void) => boolean
}

const DirectWriterId: unique symbol = Symbol.for("@katzenpost-effect/transport/DirectWriter")

interface WithDirectWriter {
  readonly [DirectWriterId]: () => DirectWriter | undefined
}

/** `socket`, marked so that `FramedConnection` writes through `current()` once it is open. */
export const withDirectWriter = (socket: Socket.Socket, current: () => DirectWriter | undefined): Socket.Socket => {
  const marked: Socket.Socket & WithDirectWriter = { ...socket, [DirectWriterId]: current }
  return marked
}

const isMarked = (socket: Socket.Socket): socket is Socket.Socket & WithDirectWriter => DirectWriterId in socket

/** The direct writer of an open socket, if it has one. */
export const directWriterOf = (socket: Socket.Socket): DirectWriter | undefined => isMarked(socket) ? socket[DirectWriterId]() : undefined
