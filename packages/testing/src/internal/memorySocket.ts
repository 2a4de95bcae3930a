/** A connected pair of in-memory `@effect/platform` Sockets: bytes written on one end are read on the other. */
import * as Socket from "@effect/platform/Socket"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Mailbox from "effect/Mailbox"

interface End {
  readonly inbox: Mailbox.Mailbox<Uint8Array>
}

const encoder = new TextEncoder()

const makeEnd = (self: End, peer: End): Socket.Socket => {
  const closeBoth = Effect.sync(() => {
    self.inbox.unsafeDone(Exit.void)
    peer.inbox.unsafeDone(Exit.void)
  })
  const write = (chunk: Uint8Array | string | Socket.CloseEvent): Effect.Effect<void, Socket.SocketError> => {
    if (Socket.isCloseEvent(chunk)) return closeBoth
    // Copy: the writer may reuse its buffer, and a real socket would not share it either.
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk.slice()
    return peer.inbox.unsafeOffer(bytes)
      ? Effect.void
      : Effect.fail(new Socket.SocketGenericError({ reason: "Write", cause: new Error("in-memory socket closed") }))
  }
  const run = <_, E = never, R = never>(
    handler: (chunk: Uint8Array) => Effect.Effect<_, E, R> | void,
    options?: { readonly onOpen?: Effect.Effect<void> | undefined }
  ): Effect.Effect<void, Socket.SocketError | E, R> =>
    Effect.gen(function*() {
      if (options?.onOpen !== undefined) yield* options.onOpen
      while (true) {
        const [chunks, done] = yield* self.inbox.takeAll
        for (const chunk of chunks) {
          const result = handler(chunk)
          if (Effect.isEffect(result)) yield* result
        }
        if (done) return
      }
    }).pipe(Effect.ensuring(closeBoth))
  return {
    [Socket.TypeId]: Socket.TypeId,
    run,
    runRaw: (handler, options) => run((chunk) => handler(chunk), options),
    writer: Effect.acquireRelease(Effect.succeed(write), () => Effect.sync(() => peer.inbox.unsafeDone(Exit.void)))
  }
}

/** A pair of connected in-memory sockets: `[client, server]`. */
export const makePair: Effect.Effect<readonly [Socket.Socket, Socket.Socket]> = Effect.gen(function*() {
  const a: End = { inbox: yield* Mailbox.make<Uint8Array>() }
  const b: End = { inbox: yield* Mailbox.make<Uint8Array>() }
  return [makeEnd(a, b), makeEnd(b, a)] as const
})
