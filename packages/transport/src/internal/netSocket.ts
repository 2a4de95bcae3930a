/**
 * Unix and TCP sockets for Node: `@effect/platform-node`'s `fromDuplex` over a `node:net`
 * connection we open ourselves, so the framed connection can also write to it directly
 * (directWrite.ts). Opening and closing behave as `NodeSocket.makeNet`.
 */
import * as NodeSocket from "@effect/platform-node/NodeSocket"
import * as Socket from "@effect/platform/Socket"
import * as Effect from "effect/Effect"
import * as Scope from "effect/Scope"
import * as Net from "node:net"
import { withDirectWriter } from "./directWrite.js"

/** A socket to `options` (connected when the Socket runs), with a direct writer. */
export const makeNet = (options: Net.NetConnectOpts): Effect.Effect<Socket.Socket> => {
  let current: Net.Socket | undefined
  const open = Effect.scopeWith((scope) =>
    Effect.zipRight(
      Scope.addFinalizer(
        scope,
        Effect.sync(() => {
          const conn = current
          current = undefined
          if (conn !== undefined && !conn.destroyed) conn.destroySoon()
        })
      ),
      Effect.async<Net.Socket, Socket.SocketError>((resume) => {
        const conn = Net.createConnection(options)
        current = conn
        conn.once("connect", () => resume(Effect.succeed(conn)))
        conn.on("error", (cause) => resume(Effect.fail(new Socket.SocketGenericError({ reason: "Open", cause }))))
      })
    )
  )
  return Effect.map(
    NodeSocket.fromDuplex(open),
    (socket) => withDirectWriter(socket, () => (current === undefined || current.destroyed || current.connecting ? undefined : current))
  )
}
