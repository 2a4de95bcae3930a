/** Daemon addresses: unix socket paths (with Linux abstract names), TCP host:port, WebSocket URLs. */
import { ThinClientConfigError } from "@katzenpost-effect/core"
import * as Either from "effect/Either"

/**
 * Where kpclientd listens.
 */
export type DaemonAddress =
  | { readonly _tag: "Unix"; readonly path: string }
  | { readonly _tag: "Tcp"; readonly host: string; readonly port: number; readonly family: 0 | 4 | 6 }
  | { readonly _tag: "Ws"; readonly url: string }

/** A unix socket address; a path starting with "@" names a Linux abstract socket. */
export const unixAddress = (path: string): Either.Either<DaemonAddress, ThinClientConfigError> =>
  path.length === 0 || path === "@"
    ? Either.left(new ThinClientConfigError({ reason: "bad address: empty unix socket path" }))
    : Either.right({ _tag: "Unix", path })

/** Parses Go's `host:port` (IPv6 hosts in brackets) with an optional network `tcp`/`tcp4`/`tcp6`. */
export const parseTcpAddress = (address: string, network: string): Either.Either<DaemonAddress, ThinClientConfigError> => {
  const families: Record<string, 0 | 4 | 6> = { "": 0, tcp: 0, tcp4: 4, tcp6: 6 }
  // Own keys only: "constructor" or "toString" must not pass as a network.
  const family = Object.hasOwn(families, network) ? families[network] : undefined
  if (family === undefined) {
    return Either.left(new ThinClientConfigError({ reason: `bad network "${network}": expected tcp, tcp4 or tcp6` }))
  }
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(address)
  const port = match?.[3] === undefined ? NaN : Number(match[3])
  if (match === null || !(port >= 1 && port <= 65535)) {
    return Either.left(new ThinClientConfigError({ reason: `bad address "${address}": expected host:port` }))
  }
  const host = match[1] ?? match[2] ?? ""
  return Either.right({ _tag: "Tcp", host: host === "" ? "localhost" : host, port, family })
}

/**
 * A WebSocket URL (`ws://` or `wss://`), as kpclientd v0.0.104's `[Dial.Ws]` takes it. The
 * daemon carries the same length-prefixed stream in binary messages.
 */
export const wsAddress = (url: string): Either.Either<DaemonAddress, ThinClientConfigError> => {
  const parsed = URL.canParse(url) ? new URL(url) : undefined
  if (parsed === undefined || (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") || parsed.host === "") {
    return Either.left(new ThinClientConfigError({ reason: `bad address "${url}": expected a ws:// or wss:// URL` }))
  }
  return Either.right({ _tag: "Ws", url: parsed.href })
}

/** The address as Go would print it, for messages. */
export const formatAddress = (address: DaemonAddress): string => {
  switch (address._tag) {
    case "Unix":
      return `unix:${address.path}`
    case "Tcp":
      return `tcp:${address.host.includes(":") ? `[${address.host}]` : address.host}:${address.port}`
    case "Ws":
      return address.url
  }
}

/** The `node:net` path of a unix address: "@name" becomes the abstract name "\0name". */
export const unixSocketPath = (path: string): string => (path.startsWith("@") ? `\0${path.slice(1)}` : path)
