/**
 * The browser's sockets: only WebSockets (the global constructor). A bundler picks this file
 * instead of platform.js through the "browser" field of package.json.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Socket from "@effect/platform/Socket"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { DaemonAddress } from "./address.js"

/** A fresh WebSocket to `address`; unix and TCP addresses fail (a browser has no such sockets). */
export const openSocket = (address: DaemonAddress): Effect.Effect<Socket.Socket, Socket.SocketError, Scope.Scope> =>
  address._tag === "Ws"
    ? Effect.provide(Socket.makeWebSocket(address.url), Socket.layerWebSocketConstructorGlobal)
    : Effect.fail(
      new Socket.SocketGenericError({
        reason: "Open",
        cause: new Error(`a browser cannot open ${address._tag === "Unix" ? "unix" : "TCP"} sockets; dial kpclientd over a WebSocket ([Dial.Ws])`)
      })
    )

/** No file system in a browser: `layerConfig` fails to read; build the config with `make`. */
export const fileSystem = FileSystem.layerNoop({})
