/**
 * A fake kpclientd: listens on a unix socket in a temp dir (and accepts in-memory
 * connections), speaks the real framing and messages, greets and resumes sessions like the
 * daemon, echoes legacy sends, hands everything else to a `DaemonHandler`, and lets tests
 * inject faults.
 *
 * @since 0.1.0
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeSocketServer from "@effect/platform-node/NodeSocketServer"
import * as FileSystem from "@effect/platform/FileSystem"
import type * as Socket from "@effect/platform/Socket"
import { referenceGeometry, Response } from "@katzenpost-effect/core"
import type { ConnectError, Geometry, InstanceToken, PkiDocument, Request } from "@katzenpost-effect/core"
import type { HandshakeTimeout } from "@katzenpost-effect/transport"
import { ThinClient, ThinClientConfig } from "@katzenpost-effect/transport"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as SubscriptionRef from "effect/SubscriptionRef"
import type { DaemonHandler } from "./DaemonHandler.js"
import * as Daemon from "./internal/daemon.js"
import type { HandshakeScript } from "./internal/daemonState.js"
import { internalErrorHandler } from "./internal/defaultHandler.js"
import { flushOfflineSends } from "./internal/echo.js"
import { makePair } from "./internal/memorySocket.js"

export type {
  /**
   * How the fake greets new connections: pair order, extra events around the pair, or no
   * token reply at all.
   *
   * @since 0.1.0
   * @category models
   */
  HandshakeScript
}

/**
 * Options of the fake daemon.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Gives requests other than handshake, close and send_message their meaning (default: error 4 to every query). */
  readonly handler?: DaemonHandler
  /** The document sent at handshake (default: none, i.e. `payload: null`). */
  readonly pkiDocument?: PkiDocument.PkiDocument
  /** The daemon's mixnet status (default true). */
  readonly online?: boolean
  /** Response layout and handshake generation (default "v0.0.73": no geometry in the status event). */
  readonly version?: "v0.0.73" | "newer"
  /** Geometry announced by a "newer" daemon (default: the reference geometry). */
  readonly geometry?: Geometry
  /** Greeting script (default: status, then PKI document). */
  readonly handshake?: HandshakeScript
  /** Where to listen (default: a socket in a fresh temp dir); "@name" is a Linux abstract socket. */
  readonly socketPath?: string
  /**
   * Also listen on a WebSocket at 127.0.0.1 (a free port), like kpclientd v0.0.104's
   * `[Listen.Ws]`: the same length-prefixed stream in binary messages. See `webSocketUrl`.
   */
  readonly webSocket?: boolean
  /**
   * Reproduce the v0.0.73 stale-socket hazard (wire-protocol.md §2.3, default false): when an
   * old socket of a session closes after a new socket resumed it, the new connection loses the
   * session (its replies are dropped, as if disconnected) and the grace period starts.
   */
  readonly staleCloseHazard?: boolean
}

/**
 * The fake daemon, as tests drive it.
 *
 * @since 0.1.0
 * @category models
 */
export interface FakeDaemon {
  /** The unix socket it listens on. */
  readonly socketPath: string
  /** The WebSocket URL (`ws://127.0.0.1:PORT/`) when made with `webSocket: true`. */
  readonly webSocketUrl: string | undefined
  /** An in-memory connection to it (for `ThinClient.makeWith`). */
  readonly connect: Effect.Effect<Socket.Socket, never, Scope.Scope>
  /** The current process's instance token. */
  readonly instanceToken: Effect.Effect<InstanceToken>
  /** Every request received since start, in order. */
  readonly requests: Effect.Effect<ReadonlyArray<Request.Request>>
  /** Waits until `count` received requests (history included) satisfy `predicate`; returns them. */
  readonly awaitRequests: (
    predicate: (request: Request.Request) => boolean,
    count?: number
  ) => Effect.Effect<ReadonlyArray<Request.Request>>
  /** Waits until `count` session-token handshakes have completed since start. */
  readonly awaitHandshakes: (count: number) => Effect.Effect<void>
  /** Waits until `count` connections have been accepted since start (refused ones included). */
  readonly awaitConnectionAttempts: (count: number) => Effect.Effect<void>
  /** Connections accepted since start (refused ones included). */
  readonly connectionAttempts: Effect.Effect<number>
  /** Open connections of the current process. */
  readonly connections: Effect.Effect<number>
  /** Waits until the current process has exactly `count` open connections. */
  readonly awaitConnections: (count: number) => Effect.Effect<void>
  /** Sessions of the current process. */
  readonly sessions: Effect.Effect<number>
  /** Whether a request kind unknown to v0.0.73 ever arrived (the real daemon would have crashed). */
  readonly crashed: Effect.Effect<boolean>
  /** Drops every connection now (a network cut; sessions survive). */
  readonly dropConnections: Effect.Effect<void>
  /** Drops the connection that receives the `n`-th next frame, before handling it. */
  readonly dropAfterFrames: (n: number) => Effect.Effect<void>
  /** Ends every session that has no connection, as if its grace period expired. */
  readonly expireSessions: Effect.Effect<void>
  /** Crash and start again: new instance token, all sessions lost, no shutdown event. */
  readonly restart: Effect.Effect<void>
  /** Graceful stop (`shutdown_event` to everyone) and start again as a new process. */
  readonly shutdown: Effect.Effect<void>
  /** Refuse (accept then close) new connections, or accept them again. */
  readonly setAccepting: (accepting: boolean) => Effect.Effect<void>
  /** Changes the mixnet status and broadcasts a `connection_status_event`. */
  readonly setOnline: (online: boolean) => Effect.Effect<void>
  /** Changes the document and broadcasts a `new_pki_document_event`. */
  readonly publishPkiDocument: (document: PkiDocument.PkiDocument | undefined) => Effect.Effect<void>
  /** Sends a response to every connection. */
  readonly broadcast: (response: Response.KnownResponse) => Effect.Effect<void>
  /** Sends raw bytes (malformed or oversized frames) to every connection. */
  readonly sendRaw: (bytes: Uint8Array) => Effect.Effect<void>
  /** Replaces the greeting script for new connections. */
  readonly setHandshake: (script: HandshakeScript) => Effect.Effect<void>
  /** Holds every session reply (including echo) until `resumeReplies`. */
  readonly pauseReplies: Effect.Effect<void>
  /** Releases held replies, in order. */
  readonly resumeReplies: Effect.Effect<void>
  /** Delays every session reply (undefined: no delay). */
  readonly setReplyDelay: (delay: Duration.DurationInput | undefined) => Effect.Effect<void>
  /** Turns the echo service for `send_message` on or off (off: sends are swallowed). */
  readonly setEcho: (enabled: boolean) => Effect.Effect<void>
}

/**
 * The fake daemon service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export const FakeDaemon = Context.GenericTag<FakeDaemon>("@katzenpost-effect/testing/FakeDaemon")

/**
 * Starts a fake daemon in the current scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<FakeDaemon, never, Scope.Scope | FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const dir = yield* Effect.orDie(fs.makeTempDirectoryScoped({ prefix: "kpfake-" }))
    const socketPath = options.socketPath ?? `${dir}/kpclientd.sock`
    const daemon: Daemon.Daemon = {
      settings: {
        version: options.version ?? "v0.0.73",
        geometry: options.geometry ?? referenceGeometry,
        handler: options.handler ?? internalErrorHandler,
        online: options.online ?? true,
        pkiDocument: options.pkiDocument,
        handshake: options.handshake ?? {},
        accepting: true,
        echo: true,
        dropAfter: undefined,
        paused: undefined,
        replyDelay: undefined,
        staleCloseHazard: options.staleCloseHazard ?? false,
        crashed: false,
        offlineSends: []
      },
      instance: Daemon.newInstance(),
      journal: {
        requests: yield* SubscriptionRef.make<ReadonlyArray<Request.Request>>([]),
        handshakes: yield* SubscriptionRef.make(0),
        attempts: yield* SubscriptionRef.make(0),
        open: yield* SubscriptionRef.make(0)
      },
      nextConnId: 0,
      acceptLoop: yield* Effect.makeSemaphore(1)
    }
    const settings = daemon.settings
    const server = yield* Effect.orDie(NodeSocketServer.make({ path: socketPath.startsWith("@") ? `\0${socketPath.slice(1)}` : socketPath }))
    // Made after the server, so its fibers (and their sockets) end before the server's close waits for them.
    const connections = yield* FiberSet.make()
    yield* FiberSet.run(connections, server.run((socket) => Daemon.serve(daemon, socket)))
    let webSocketUrl: string | undefined
    if (options.webSocket === true) {
      const ws = yield* Effect.orDie(NodeSocketServer.makeWebSocket({ host: "127.0.0.1", port: 0 }))
      if (ws.address._tag === "TcpAddress") webSocketUrl = `ws://127.0.0.1:${ws.address.port}/`
      yield* FiberSet.run(connections, ws.run((socket) => Daemon.serve(daemon, socket)))
    }
    // Stopping the daemon: shutdown_event to everyone still connected, before the sockets close.
    yield* Effect.addFinalizer(() =>
      Effect.suspend(() => {
        settings.accepting = false
        // Unlinking the socket first keeps reconnecting clients out: a connection accepted while the
        // server closes would never be served, and the server's close would wait for it forever.
        const unlink = socketPath.startsWith("@") ? Effect.void : Effect.ignore(fs.remove(socketPath))
        return Effect.zipRight(
          unlink,
          Effect.zipRight(Daemon.broadcast(daemon, Response.ShutdownEvent.make({})), Daemon.dropAll(daemon, "daemon stopped"))
        )
      })
    )

    const fakeDaemon: FakeDaemon = {
      socketPath,
      webSocketUrl,
      connect: Effect.gen(function*() {
        const [client, server] = yield* makePair
        yield* FiberSet.run(connections, Daemon.serve(daemon, server))
        return client
      }),
      instanceToken: Effect.sync(() => daemon.instance.token),
      requests: SubscriptionRef.get(daemon.journal.requests),
      awaitRequests: (predicate, count = 1) =>
        daemon.journal.requests.changes.pipe(
          Stream.map((log) => log.filter(predicate)),
          Stream.filter((matching) => matching.length >= count),
          Stream.runHead,
          Effect.map(Option.getOrElse((): ReadonlyArray<Request.Request> => []))
        ),
      awaitHandshakes: (count) => daemon.journal.handshakes.changes.pipe(Stream.filter((n) => n >= count), Stream.runHead, Effect.asVoid),
      awaitConnectionAttempts: (count) => daemon.journal.attempts.changes.pipe(Stream.filter((n) => n >= count), Stream.runHead, Effect.asVoid),
      connectionAttempts: SubscriptionRef.get(daemon.journal.attempts),
      connections: Effect.sync(() => daemon.instance.conns.size),
      awaitConnections: (count) => daemon.journal.open.changes.pipe(Stream.filter((n) => n === count), Stream.runHead, Effect.asVoid),
      sessions: Effect.sync(() => new Set(daemon.instance.sessions.values()).size),
      crashed: Effect.sync(() => settings.crashed),
      dropConnections: Daemon.dropAll(daemon, "fault: connection dropped"),
      dropAfterFrames: (n) =>
        Effect.sync(() => {
          settings.dropAfter = n
        }),
      expireSessions: Effect.suspend(() =>
        Effect.forEach(
          [...new Set(daemon.instance.sessions.values())].filter((session) => session.conn === undefined),
          (session) => Daemon.endSession(daemon, session),
          { discard: true }
        )
      ),
      restart: Daemon.restart(daemon, false),
      shutdown: Daemon.restart(daemon, true),
      setAccepting: (accepting) =>
        Effect.sync(() => {
          settings.accepting = accepting
        }),
      setOnline: (online) =>
        Effect.suspend(() => {
          settings.online = online
          return Effect.zipRight(
            Daemon.broadcast(daemon, Daemon.statusEvent(daemon)),
            online ? flushOfflineSends(settings) : Effect.void
          )
        }),
      publishPkiDocument: (document) =>
        Effect.suspend(() => {
          settings.pkiDocument = document
          return Daemon.broadcast(daemon, Daemon.pkiEvent(daemon))
        }),
      broadcast: (response) => Daemon.broadcast(daemon, response),
      sendRaw: (bytes) =>
        Effect.suspend(() => Effect.forEach([...daemon.instance.conns], (conn) => Effect.ignore(conn.framed.sendRaw(bytes)), { discard: true })),
      setHandshake: (script) =>
        Effect.sync(() => {
          settings.handshake = script
        }),
      pauseReplies: Effect.sync(() => {
        settings.paused ??= []
      }),
      resumeReplies: Effect.suspend(() => {
        const held = settings.paused ?? []
        settings.paused = undefined
        return Effect.forEach(held, (send) => send, { discard: true })
      }),
      setReplyDelay: (delay) =>
        Effect.sync(() => {
          settings.replyDelay = delay === undefined ? undefined : Duration.decode(delay)
        }),
      setEcho: (enabled) =>
        Effect.sync(() => {
          settings.echo = enabled
        })
    }
    return fakeDaemon
  })

/**
 * The fake daemon as a Layer (temp dir and socket removed when the layer is released).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<FakeDaemon> =>
  Layer.scoped(FakeDaemon, make(options)).pipe(Layer.provide(NodeFileSystem.layer))

/**
 * A ThinClient config for a fake daemon's unix socket: the reference geometry (a v0.0.73
 * daemon sends none), a fast reconnect schedule (every 20 ms) and a 2 s handshake timeout.
 *
 * @since 0.1.0
 * @category constructors
 */
export const clientConfig = (
  daemon: FakeDaemon,
  overrides: Omit<ThinClientConfig.Options, "address"> = {}
): ThinClientConfig.ThinClientConfig =>
  ThinClientConfig.make({
    geometry: referenceGeometry,
    reconnectSchedule: Schedule.spaced("20 millis"),
    handshakeTimeout: "2 seconds",
    ...overrides,
    address: { _tag: "Unix", path: daemon.socketPath }
  })

/**
 * A fake daemon plus a ThinClient connected to it over its unix socket.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerClient = (
  options: Options = {},
  client: Omit<ThinClientConfig.Options, "address"> = {}
): Layer.Layer<FakeDaemon | ThinClient.ThinClient, ConnectError | HandshakeTimeout> =>
  Layer.scoped(ThinClient.ThinClient, Effect.flatMap(FakeDaemon, (daemon) => ThinClient.make(clientConfig(daemon, client)))).pipe(
    Layer.provideMerge(layer(options))
  )

/**
 * A fake daemon plus a ThinClient connected to it in memory (no socket file involved).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerClientInMemory = (
  options: Options = {},
  client: Omit<ThinClientConfig.Options, "address"> = {}
): Layer.Layer<FakeDaemon | ThinClient.ThinClient, ConnectError | HandshakeTimeout> =>
  Layer.scoped(
    ThinClient.ThinClient,
    Effect.flatMap(FakeDaemon, (daemon) => ThinClient.makeWith(clientConfig(daemon, client), daemon.connect))
  ).pipe(Layer.provideMerge(layer(options)))
