/**
 * The ThinClient service: one connection to kpclientd, its handshake, request/reply
 * correlation, events and reconnection.
 *
 * @since 0.1.0
 */
import type * as Socket from "@effect/platform/Socket"
import type {
  ClientClosed,
  DaemonDisconnected,
  DaemonOffline,
  Geometry,
  InstanceToken,
  MalformedMessage,
  MessageId,
  NodeIdHash,
  NoPkiDocument,
  PayloadTooLarge,
  PkiDocument,
  RequestTimeout,
  Response,
  Rpc,
  ServiceNotFound,
  SurbId
} from "@katzenpost-effect/core"
import type { ConnectError, ThinClientConfigError } from "@katzenpost-effect/core"
import * as Config from "effect/Config"
import type * as ConfigErrorModule from "effect/ConfigError"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import type * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import type { ClientEvent } from "./ClientEvent.js"
import type { ThinClientConfig } from "./Config.js"
import { CONFIG_PATH_VARIABLE, loadFile } from "./Config.js"
import type { ConnectionState } from "./ConnectionState.js"
import * as Client from "./internal/client.js"
import { instrument } from "./internal/instrument.js"
import * as Platform from "./internal/platform.js"
import type { HandshakeTimeout, MessageSendFailed, UnsupportedRequest } from "./TransportErrors.js"

/**
 * Why a request could not be answered by the daemon.
 *
 * @since 0.1.0
 * @category errors
 */
export type TransportError = DaemonDisconnected | ClientClosed | RequestTimeout | MalformedMessage | UnsupportedRequest

/**
 * Options of one request.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestOptions {
  /** Fail with `RequestTimeout` after this long, counting the write and the wait for the reply (default: no timeout). */
  readonly timeout?: Duration.DurationInput
  /** While disconnected, wait for the reconnection instead of failing fast. */
  readonly waitForConnection?: boolean
}

/**
 * The thin client.
 *
 * @since 0.1.0
 * @category models
 */
export interface ThinClient {
  /**
   * Sends a request that the daemon answers with one reply carrying its `query_id`, and waits
   * for that reply. ARQ requests (`start_resending_*`) are remembered until they complete
   * and are sent again, with the same query id, after every reconnection. Interrupting the
   * caller only stops waiting: sending the matching cancel is the caller's job.
   */
  readonly request: <R extends Rpc.QueryRequest>(
    request: R,
    options?: RequestOptions
  ) => Effect.Effect<Rpc.ReplyOf<R>, TransportError>
  /**
   * Sends every request and waits for all the replies in this one fiber (none is forked per
   * request): each element's outcome as an `Exit`, in order; a refused or failed request does
   * not stop the others. Options apply to each request. For bulk local work (thousands of
   * keypairs, indexes or envelopes), where a fiber per call would cost more than the call.
   */
  readonly requestAll: <R extends Rpc.QueryRequest>(
    requests: Iterable<R>,
    options?: RequestOptions
  ) => Effect.Effect<Array<Exit.Exit<Rpc.ReplyOf<R>, TransportError>>>
  /** Every event, from the moment of subscription. See the package README for the back-pressure policy. */
  readonly events: Stream.Stream<ClientEvent>
  /**
   * A subscription as a queue, subscribed when this effect runs (so nothing published after
   * it is missed), ended with the scope. Same back-pressure policy as `events`.
   */
  readonly subscribe: Effect.Effect<Queue.Dequeue<ClientEvent>, never, Scope.Scope>
  /** The daemon's last reported mixnet status. */
  readonly isConnected: Effect.Effect<boolean>
  /** Whether the socket to the daemon is up and the handshake done. */
  readonly isDaemonConnected: Effect.Effect<boolean>
  /** The daemon process's instance token from the last handshake. */
  readonly instanceToken: Effect.Effect<Option.Option<InstanceToken>>
  /** Sphinx and Pigeonhole geometry (from config, or from the handshake on newer daemons). */
  readonly geometry: Effect.Effect<Geometry>
  /** The current PKI document. */
  readonly pkiDocument: Effect.Effect<PkiDocument.PkiDocument, NoPkiDocument>
  /** A cached document of a recent epoch, falling back to the current one. */
  readonly pkiDocumentForEpoch: (epoch: number) => Effect.Effect<PkiDocument.PkiDocument, NoPkiDocument>
  /** All services with a capability; fails when there is none. */
  readonly getServices: (
    capability: string
  ) => Effect.Effect<ReadonlyArray<PkiDocument.ServiceDescriptor>, NoPkiDocument | ServiceNotFound>
  /** One service with a capability, picked at random. */
  readonly getService: (capability: string) => Effect.Effect<PkiDocument.ServiceDescriptor, NoPkiDocument | ServiceNotFound>
  /** Legacy send with a SURB; the reply arrives as a `MessageReplyEvent`. Returns the message id. */
  readonly sendMessage: (
    surbId: SurbId,
    payload: Uint8Array,
    destination: NodeIdHash,
    queue: Uint8Array
  ) => Effect.Effect<MessageId, DaemonOffline | PayloadTooLarge | TransportError>
  /** Legacy fire-and-forget send (no SURB, no reply). */
  readonly sendMessageWithoutReply: (
    payload: Uint8Array,
    destination: NodeIdHash,
    queue: Uint8Array
  ) => Effect.Effect<void, DaemonOffline | PayloadTooLarge | TransportError>
  /** Legacy send that waits for the SURB reply (default timeout 30 s). */
  readonly blockingSendMessage: (
    payload: Uint8Array,
    destination: NodeIdHash,
    queue: Uint8Array,
    options?: { readonly timeout?: Duration.DurationInput }
  ) => Effect.Effect<Response.MessageReplyEvent, DaemonOffline | PayloadTooLarge | MessageSendFailed | TransportError>
  /** Closes the socket without `thin_close`: the daemon keeps the session; the client reconnects. */
  readonly disconnect: Effect.Effect<void>
  /** Whether the daemon socket and the mixnet are up, as last seen. @since 0.2.0 */
  readonly connectionState: Effect.Effect<ConnectionState>
  /** The connection state and every change to it, starting with the current value. @since 0.2.0 */
  readonly connectionChanges: Stream.Stream<ConnectionState>
  /**
   * The current PKI document (once there is one) and every later one. A late subscriber
   * gets the current document first. @since 0.2.0
   */
  readonly pkiDocumentChanges: Stream.Stream<PkiDocument.PkiDocument>
}

/**
 * The ThinClient service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export const ThinClient = Context.GenericTag<ThinClient>("@katzenpost-effect/transport/ThinClient")

/**
 * Opens a socket to the configured address: unix and TCP with Node's `net` (TCP_NODELAY on;
 * `@name` unix paths are Linux abstract sockets), WebSocket URLs with `@effect/platform`'s
 * WebSocket socket (the `ws` package in Node, the global WebSocket in a browser bundle, which
 * can dial nothing else). One fresh socket per connection attempt.
 *
 * @since 0.1.0
 * @category constructors
 */
export const openSocket = (config: ThinClientConfig): Effect.Effect<Socket.Socket, Socket.SocketError, Scope.Scope> =>
  Platform.openSocket(config.address)

/**
 * A client over sockets from `open` (one per connection attempt): for in-memory sockets in
 * tests, or any other transport. Connects and completes the handshake before returning;
 * closing the scope sends `thin_close` and fails every waiting caller with `ClientClosed`.
 * Every call is measured (see `Telemetry`) and, when the app installed a tracer, gets a
 * span; connection changes are logged.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeWith = (
  config: ThinClientConfig,
  open: Effect.Effect<Socket.Socket, Socket.SocketError, Scope.Scope>
): Effect.Effect<ThinClient, ConnectError | HandshakeTimeout, Scope.Scope> => Effect.flatMap(Client.make(config, open), instrument)

/**
 * A client connected to the daemon at `config.address`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (config: ThinClientConfig): Effect.Effect<ThinClient, ConnectError | HandshakeTimeout, Scope.Scope> =>
  makeWith(config, openSocket(config))

/**
 * The ThinClient as a Layer, from a config value.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (config: ThinClientConfig): Layer.Layer<ThinClient, ConnectError | HandshakeTimeout> => Layer.scoped(ThinClient, make(config))

/**
 * The ThinClient as a Layer, from the thinclient.toml named by `path` (default: the
 * `KATZENPOST_THINCLIENT_CONFIG` variable).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  path: Config.Config<string> = Config.string(CONFIG_PATH_VARIABLE)
): Layer.Layer<ThinClient, ThinClientConfigError | ConnectError | HandshakeTimeout | ConfigErrorModule.ConfigError> =>
  Layer.scoped(
    ThinClient,
    Effect.flatMap(Effect.flatMap(path, (file) => loadFile(file)), make)
  ).pipe(Layer.provide(Platform.fileSystem))
