/**
 * Node's sockets and file system. Bundlers targeting browsers take platform.browser.js
 * instead (the "browser" field of package.json), so nothing here reaches a browser bundle.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeSocket from "@effect/platform-node/NodeSocket"
import * as Socket from "@effect/platform/Socket"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { DaemonAddress } from "./address.js"
import { unixSocketPath } from "./address.js"
import { makeNet } from "./netSocket.js"

/** A fresh socket to `address`: unix or TCP (TCP_NODELAY on) with node:net, WebSocket with `ws`. */
export const openSocket = (address: DaemonAddress): Effect.Effect<Socket.Socket, Socket.SocketError, Scope.Scope> => {
  switch (address._tag) {
    case "Unix":
      return makeNet({ path: unixSocketPath(address.path) })
    case "Tcp":
      return makeNet({ host: address.host, port: address.port, family: address.family, noDelay: true })
    case "Ws":
      return Effect.provide(Socket.makeWebSocket(address.url), NodeSocket.layerWebSocketConstructor)
  }
}

/** The file system `layerConfig` reads thinclient.toml with. */
export const fileSystem = NodeFileSystem.layer
