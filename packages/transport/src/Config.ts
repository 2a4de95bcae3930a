/**
 * The thin client's configuration: where the daemon listens, the geometry, and the client's
 * own timing and buffering choices; plus loading it from a `thinclient.toml` of any of the
 * three layouts seen in the field (v0.0.73, newer daemons, rc1).
 *
 * @since 0.1.0
 */
import * as FileSystem from "@effect/platform/FileSystem"
import type { Geometry } from "@katzenpost-effect/core"
import { Frame, ThinClientConfigError } from "@katzenpost-effect/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Toml from "smol-toml"
import type { DaemonAddress } from "./internal/address.js"
import { formatAddress, parseTcpAddress, unixAddress, wsAddress } from "./internal/address.js"
import { readConfigText } from "./internal/configFile.js"
import { decodeToml, isTomlTable } from "./internal/tomlShapes.js"

export type {
  /**
   * Where kpclientd listens: a unix socket (a path starting with `@` is a Linux abstract
   * socket), TCP (`family` 0 lets the resolver choose, 4/6 force `tcp4`/`tcp6`), or a
   * WebSocket URL (kpclientd ≥ v0.0.104 `[Listen.Ws]`; the only one a browser can dial).
   *
   * @since 0.1.0
   * @category models
   */
  DaemonAddress
}

/**
 * Everything a ThinClient needs. A plain value: build it with `make`, or load it with
 * `loadFile` / `fromToml`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ThinClientConfig {
  readonly address: DaemonAddress
  /** Geometry from the file (v0.0.73); newer daemons send it in the handshake instead. */
  readonly geometry: Option.Option<Geometry>
  /** Which thinclient.toml layout this came from, when it came from a file. */
  readonly layout: "v0.0.73" | "newer" | "rc1" | "value"
  /** Time allowed to open the socket (fails with `ConnectError`, naming the address). */
  readonly dialTimeout: Duration.Duration
  /**
   * Time allowed from the open socket to `session_token_reply` on the first connection (fails
   * with `HandshakeTimeout`). kpclientd v0.0.104 waits up to 30 s for a PKI document before
   * its first frame and serves new connections one at a time, so the default leaves room for
   * one connection queued ahead of ours. Reconnections never give up on an open socket (see
   * the README: a fresh socket would only queue behind the abandoned one).
   */
  readonly handshakeTimeout: Duration.Duration
  /** Delays between redial attempts after the connection drops. */
  readonly reconnectSchedule: Schedule.Schedule<unknown, unknown>
  /** Largest frame body accepted from the daemon (checked before allocating). */
  readonly maxFrameLength: number
  /** Events a subscriber may fall behind by before its oldest unread ones are dropped. */
  readonly eventBufferSize: number
  /** How many recent epochs' PKI documents are kept. */
  readonly pkiHistory: number
  /**
   * Default timeout of `blockingSendMessage`; also the bound on writing a `sendMessage` /
   * `sendMessageWithoutReply` to a daemon that stopped reading (then `RequestTimeout`).
   */
  readonly blockingSendTimeout: Duration.Duration
  /** Time allowed to write `thin_close` when the client's scope closes. */
  readonly closeTimeout: Duration.Duration
  /**
   * Most requests in flight at once. Past it, `request` callers wait for a slot in order
   * (back-pressure), they do not fail; replies are never held up by it.
   */
  readonly maxInFlight: number
  /** The default of `RequestOptions.waitForConnection` for every request of this client. */
  readonly waitForConnection: boolean
  /**
   * Extra connections that carry only local requests (keys, indexes, encryption, envelope
   * packing), taken in turn with the main one. kpclientd answers each connection's local
   * requests on that connection's own goroutine, so one extra connection lets it use a
   * second core under load. Each is a session of its own; events come on the main
   * connection only. Opened only on a v0.0.73 daemon (a newer one serves connections one at
   * a time). Default 0.
   */
  readonly localConnections: number
}

/**
 * The default reconnect schedule, like the Go client: 1 s, then doubling, capped at 60 s,
 * forever.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultReconnectSchedule: Schedule.Schedule<Duration.Duration, unknown> = Schedule.exponential("1 second", 2).pipe(
  Schedule.modifyDelay((_, delay) => Duration.min(delay, Duration.seconds(60)))
)

/**
 * The default dial timeout: opening the socket (unix, TCP connect, WebSocket upgrade).
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_DIAL_TIMEOUT: Duration.DurationInput = "10 seconds"

/**
 * The default handshake timeout: kpclientd v0.0.104 holds every new connection up to 30 s
 * waiting for a PKI document (offline: always 30 s) and serves connections one at a time,
 * so 75 s covers one connection queued ahead of ours plus our own wait, with margin.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_HANDSHAKE_TIMEOUT: Duration.DurationInput = "75 seconds"

/**
 * Options of `make`; only `address` is required.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly address: DaemonAddress
  readonly geometry?: Geometry | undefined
  readonly dialTimeout?: Duration.DurationInput | undefined
  readonly handshakeTimeout?: Duration.DurationInput | undefined
  readonly reconnectSchedule?: Schedule.Schedule<unknown, unknown> | undefined
  readonly maxFrameLength?: number | undefined
  readonly eventBufferSize?: number | undefined
  readonly pkiHistory?: number | undefined
  readonly blockingSendTimeout?: Duration.DurationInput | undefined
  readonly closeTimeout?: Duration.DurationInput | undefined
  readonly maxInFlight?: number | undefined
  readonly waitForConnection?: boolean | undefined
  readonly localConnections?: number | undefined
}

/**
 * A config with defaults: dial timeout 10 s, handshake timeout 75 s, `defaultReconnectSchedule`, 40 MiB frames,
 * 1024 buffered events per subscriber, 5 epochs of PKI documents, blocking send 30 s,
 * `thin_close` write 1 s, 4096 requests in flight, fail fast while disconnected, no extra
 * connections for local requests.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options, layout: ThinClientConfig["layout"] = "value"): ThinClientConfig => ({
  address: options.address,
  geometry: Option.fromNullable(options.geometry),
  layout,
  dialTimeout: Duration.decode(options.dialTimeout ?? DEFAULT_DIAL_TIMEOUT),
  handshakeTimeout: Duration.decode(options.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT),
  reconnectSchedule: options.reconnectSchedule ?? defaultReconnectSchedule,
  maxFrameLength: options.maxFrameLength ?? Frame.DEFAULT_MAX_FRAME_LENGTH,
  eventBufferSize: options.eventBufferSize ?? 1024,
  pkiHistory: options.pkiHistory ?? 5,
  blockingSendTimeout: Duration.decode(options.blockingSendTimeout ?? "30 seconds"),
  closeTimeout: Duration.decode(options.closeTimeout ?? "1 second"),
  maxInFlight: Math.max(1, Math.floor(options.maxInFlight ?? 4096)),
  waitForConnection: options.waitForConnection ?? false,
  localConnections: Math.max(0, Math.floor(options.localConnections ?? 0))
})

/**
 * A unix socket address (`@name` = Linux abstract socket).
 *
 * @since 0.1.0
 * @category constructors
 */
export const unix = (path: string): Either.Either<DaemonAddress, ThinClientConfigError> => unixAddress(path)

/**
 * A TCP address from Go's `host:port` and an optional network (`tcp`, `tcp4`, `tcp6`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const tcp = (address: string, network = "tcp"): Either.Either<DaemonAddress, ThinClientConfigError> => parseTcpAddress(address, network)

/**
 * A WebSocket address (`ws://host:port/…` or `wss://…`), for a kpclientd v0.0.104 with
 * `[Listen.Ws]`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ws = (url: string): Either.Either<DaemonAddress, ThinClientConfigError> => wsAddress(url)

/**
 * The address as text (`unix:/path`, `tcp:host:port`, `ws://…`), for messages.
 *
 * @since 0.1.0
 * @category utils
 */
export const addressToString: (address: DaemonAddress) => string = formatAddress

// smol-toml's message is "Invalid TOML document: <what>" followed by an excerpt of the file;
// keep what and where, not the excerpt.
const describeTomlError = (error: unknown): string => {
  if (error instanceof Toml.TomlError) {
    const what = (error.message.split("\n")[0] ?? "").replace(/^Invalid TOML document: /, "")
    return `not valid TOML at line ${error.line}, column ${error.column}: ${what}`
  }
  return `not valid TOML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`
}

/**
 * Parses the text of a thinclient.toml. Unknown keys and missing sections are errors that
 * name them; a syntax error gives its line and column. `[Dial.Unix]`, `[Dial.Tcp]` and `[Dial.Ws]`
 * (WebSocket URL) are understood.
 *
 * @since 0.1.0
 * @category loading
 */
export const fromToml = (
  text: string,
  options?: Omit<Options, "address" | "geometry"> & { readonly path?: string }
): Either.Either<ThinClientConfig, ThinClientConfigError> => {
  const path = options?.path
  const withPath = (error: ThinClientConfigError) => (path === undefined ? error : new ThinClientConfigError({ path, reason: error.reason }))
  return Either.try({
    try: () => Toml.parse(text),
    catch: (error) => new ThinClientConfigError({ reason: describeTomlError(error) })
  }).pipe(
    Either.flatMap((root) => (isTomlTable(root) ? decodeToml(root) : Either.left(new ThinClientConfigError({ reason: "not a TOML table" })))),
    Either.map((parsed) => make({ ...options, address: parsed.address, geometry: parsed.geometry }, parsed.layout)),
    Either.mapLeft(withPath)
  )
}

/**
 * Reads and parses a thinclient.toml. Only a regular file of at most 1 MiB of UTF-8 text is
 * read; anything else (a directory, a FIFO, a device, a huge file) is a `ThinClientConfigError`
 * saying so, without reading it.
 *
 * @since 0.1.0
 * @category loading
 */
export const loadFile = (
  path: string,
  options?: Omit<Options, "address" | "geometry">
): Effect.Effect<ThinClientConfig, ThinClientConfigError, FileSystem.FileSystem> =>
  Effect.flatMap(FileSystem.FileSystem, (fs) => readConfigText(fs, path)).pipe(
    Effect.flatMap((text) => fromToml(text, { ...options, path }))
  )

/**
 * The environment variable `layerConfig` reads the thinclient.toml path from.
 *
 * @since 0.1.0
 * @category loading
 */
export const CONFIG_PATH_VARIABLE = "KATZENPOST_THINCLIENT_CONFIG"
