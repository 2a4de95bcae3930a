/**
 * The Pigeonhole side of the fake kpclientd: keypairs, BACAP indexes, encryption, ARQ reads
 * and writes against a simulated replica network (write-once boxes, tombstones, replication
 * lag), copy streams and copy commands, cancellation — with the replies and codes of the
 * v0.0.73 daemon (wire-protocol.md §5). The socket shell hands it requests through
 * `DaemonHandler`; tests can drive it directly.
 *
 * Ciphertexts, envelope descriptors, copy-stream elements and buffers are the engine's own
 * opaque formats: the SDK must never look inside them.
 *
 * Where the reference leaves the courier's side open, the engine chooses: a copy command
 * whose temporary stream is not fully stored stays in progress (polled every
 * `copyPollInterval`); a failed copy keeps the destination boxes written before the failing
 * element; a successful one tombstones the temporary stream; a finished command's outcome is
 * remembered by the network, so a replay after a restart gets the same answer; a pinned
 * courier the PKI document does not list never answers (the daemon retransmits until
 * cancelled). Keypairs are the Go daemon's own: `new_keypair` derives them with core
 * `Bacap.newKeypair`, byte-identical to kpclientd v0.0.73 (hpqc v0.0.78), and like it answers
 * 3 to a seed that is not exactly 32 bytes.
 *
 * In-flight ARQ operations across a disconnect (wire-protocol.md §2.5): by default
 * (`stallWhileDisconnected`) the engine is as unkind as v0.0.73 — a retransmit (read retry,
 * copy poll) or courier reply that finds the session without a connection is dropped, and the
 * operation stalls: its entry stays (so `inFlightCount` counts it and a cancel still gets its
 * code-24 reply) but it never completes by itself. The client must replay or cancel it.
 *
 * A replayed request with the same `envelope_hash` (or, for copy commands, the same WriteCap)
 * **replaces** the old operation: the old one stops and its `query_id` never gets a reply;
 * only the replay's does. The real daemon replaces the hash→SURB mapping too, but its old
 * entry "may still answer" under the old `query_id`; clients must tolerate both.
 *
 * @since 0.1.0
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { type ConnectError, type Geometry, PkiDocument, referenceGeometry, type Request } from "@katzenpost-effect/core"
import { type HandshakeTimeout, ThinClient, type ThinClientConfig } from "@katzenpost-effect/transport"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as SubscriptionRef from "effect/SubscriptionRef"
import type { DaemonHandler } from "./DaemonHandler.js"
import * as FakeDaemon from "./FakeDaemon.js"
import { hex } from "./internal/pigeonhole/bytes.js"
import { type EngineContext, inFlightChanged } from "./internal/pigeonhole/context.js"
import type { Courier } from "./internal/pigeonhole/couriers.js"
import { dispatch, handles as handlesRequest } from "./internal/pigeonhole/dispatch.js"
import { InFlight, type InFlightEntry } from "./internal/pigeonhole/inflight.js"
import { makeNetwork as emptyNetwork, type Network } from "./internal/pigeonhole/network.js"
import { epochAt, makePkiDocument } from "./PlausiblePki.js"

export type {
  /**
   * The replicas and couriers: outlives a daemon restart.
   *
   * @since 0.1.0
   * @category models
   */
  Network
} from "./internal/pigeonhole/network.js"

/**
 * How the engine is built. Every duration is simulated with the Effect Clock, so `TestClock`
 * drives it in tests.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Geometry whose limits the engine enforces (default: the reference docker mixnet). */
  readonly geometry?: Geometry
  /** The PKI document to pick couriers and replicas from (default: `makePkiDocument` at the clock's epoch). */
  readonly pkiDocument?: PkiDocument.PkiDocument
  /** The replica network; pass the previous engine's to simulate a daemon restart. */
  readonly network?: Network
  /** How long after a write its box becomes readable (default 0). */
  readonly replicationLag?: Duration.DurationInput
  /** Whether the daemon holds a current PKI document (default true); without one, encryption fails with 4. */
  readonly hasPkiDocument?: boolean
  /** One courier round trip (default 0). */
  readonly roundTrip?: Duration.DurationInput
  /** Wait between reads of a box not found yet (default 250 ms). */
  readonly readRetryInterval?: Duration.DurationInput
  /** Wait between polls of an unfinished copy command (default 5 s, the daemon's CopyPollInterval). */
  readonly copyPollInterval?: Duration.DurationInput
  /**
   * Whether an operation stalls when a retransmit or courier reply finds its session without a
   * connection, as with v0.0.73 (default true): the entry stays but only a replay or cancel
   * moves it. False: the operation keeps running through the gap (replies due while
   * disconnected are still dropped).
   */
  readonly stallWhileDisconnected?: boolean
}

/**
 * A copy command the engine accepted, and the courier it went to.
 *
 * @since 0.1.0
 * @category models
 */
export interface CopyCommandRecord {
  readonly courier: Courier
  /** Whether the client pinned the courier (`courier_identity_hash` and `courier_queue_id`). */
  readonly pinned: boolean
}

/**
 * The engine: a `DaemonHandler` plus controls for tests.
 *
 * @since 0.1.0
 * @category models
 */
export interface PigeonholeEngine extends DaemonHandler {
  /** The replica network (pass it to `make` to restart the daemon over the same storage). */
  readonly network: Network
  /** The PKI document the engine routes by; the shell announces the same one. */
  readonly pkiDocument: PkiDocument.PkiDocument
  /** The document as the daemon sends it in `new_pki_document_event` (canonical CBOR). */
  readonly pkiDocumentPayload: Uint8Array
  /** The geometry the engine enforces. */
  readonly geometry: Geometry
  /** Whether the engine answers a request (the shell answers the rest). */
  readonly handles: (request: Request.Request) => boolean
  /** Changes the replication lag of writes from now on. */
  readonly setReplicationLag: (lag: Duration.DurationInput) => Effect.Effect<void>
  /** Gives or takes away the daemon's current PKI document. */
  readonly setHasPkiDocument: (has: boolean) => Effect.Effect<void>
  /** How many boxes the replicas hold (tombstoned ones included). */
  readonly boxCount: Effect.Effect<number>
  /** How many ARQ operations (messages and copy commands) are in flight. */
  readonly inFlightCount: Effect.Effect<number>
  /** Waits until exactly `count` ARQ operations are in flight (stalled ones included). */
  readonly awaitInFlight: (count: number) => Effect.Effect<void>
  /** The copy commands accepted so far. */
  readonly copyCommands: Effect.Effect<ReadonlyArray<CopyCommandRecord>>
  /** Loses all daemon state, as a restarted daemon does: ARQ operations stop without replies. Storage stays. */
  readonly restart: Effect.Effect<void>
  /** `restart`, and empties the replica network too. */
  readonly reset: Effect.Effect<void>
}

/**
 * An empty replica network, to share between engines.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeNetwork = (): Network => emptyNetwork()

/**
 * Whether the engine answers a request: the v0.0.73 Pigeonhole requests. `session_token`,
 * `thin_close`, `send_message` and newer daemons' requests belong to the shell.
 *
 * @since 0.1.0
 * @category guards
 */
export const handles = (request: Request.Request): boolean => handlesRequest(request)

const stop = (entries: ReadonlyArray<InFlightEntry>): Effect.Effect<void> =>
  Effect.forEach(entries, (entry) => (entry.fiber === undefined ? Effect.void : Fiber.interrupt(entry.fiber)), {
    discard: true
  })

/**
 * Builds an engine. Its ARQ fibers live in the surrounding scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<PigeonholeEngine, never, Scope.Scope> =>
  Effect.gen(function*() {
    const scope = yield* Effect.scope
    const document = options.pkiDocument ?? makePkiDocument({ epoch: epochAt(yield* Clock.currentTimeMillis) })
    const pkiDocumentPayload = yield* Effect.orDie(PkiDocument.encode(document))
    const context: EngineContext = {
      geometry: options.geometry ?? referenceGeometry,
      document,
      network: options.network ?? emptyNetwork(),
      timing: {
        roundTrip: Duration.decode(options.roundTrip ?? Duration.zero),
        readRetryInterval: Duration.decode(options.readRetryInterval ?? Duration.millis(250)),
        copyPollInterval: Duration.decode(options.copyPollInterval ?? Duration.seconds(5))
      },
      knobs: {
        replicationLag: Duration.decode(options.replicationLag ?? Duration.zero),
        hasPkiDocument: options.hasPkiDocument ?? true
      },
      inFlight: new InFlight(),
      inFlightSize: yield* SubscriptionRef.make(0),
      stallWhileDisconnected: options.stallWhileDisconnected ?? true,
      sessions: new Map(),
      copyLog: [],
      scope
    }
    const restart = Effect.suspend(() => {
      context.sessions.clear()
      context.copyLog.length = 0
      return Effect.zipRight(stop(context.inFlight.takeAll()), inFlightChanged(context))
    })
    return {
      handle: (session, request) => dispatch(context, session, request),
      endSession: (appId) =>
        Effect.suspend(() => {
          context.sessions.delete(hex(appId))
          return Effect.zipRight(stop(context.inFlight.takeSession(appId)), inFlightChanged(context))
        }),
      network: context.network,
      pkiDocument: document,
      pkiDocumentPayload,
      geometry: context.geometry,
      handles,
      setReplicationLag: (lag) => Effect.sync(() => void (context.knobs.replicationLag = Duration.decode(lag))),
      setHasPkiDocument: (has) => Effect.sync(() => void (context.knobs.hasPkiDocument = has)),
      boxCount: Effect.sync(() => context.network.boxes.size),
      inFlightCount: Effect.sync(() => context.inFlight.size),
      awaitInFlight: (count) => context.inFlightSize.changes.pipe(Stream.filter((n) => n === count), Stream.runHead, Effect.asVoid),
      copyCommands: Effect.sync(() => context.copyLog.slice()),
      restart,
      reset: Effect.zipRight(
        restart,
        Effect.sync(() => {
          context.network.boxes.clear()
          context.network.copies.clear()
        })
      )
    }
  })

/**
 * The engine service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export const PigeonholeEngine = Context.GenericTag<PigeonholeEngine>("@katzenpost-effect/testing/PigeonholeEngine")

/**
 * The engine as a Layer (its ARQ fibers stop when the layer is released).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<PigeonholeEngine> => Layer.scoped(PigeonholeEngine, make(options))

/**
 * Options of `layerClient`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ClientOptions {
  /** The engine's options. */
  readonly engine?: Options
  /** The fake daemon's options (its handler and PKI document come from the engine). */
  readonly daemon?: Omit<FakeDaemon.Options, "handler" | "pkiDocument">
  /** ThinClient.ThinClient overrides (see `FakeDaemon.clientConfig`). */
  readonly client?: Omit<ThinClientConfig.Options, "address">
  /** Greet with `payload: null`, as a daemon that has no document yet (default false). */
  readonly withoutPkiDocument?: boolean
}

/**
 * A fake kpclientd with Pigeonhole semantics on a unix socket, and a ThinClient connected to
 * it: what the SDK's Pigeonhole services need in tests, with the engine and the daemon's
 * fault controls at hand.
 *
 * @example
 * import { Pigeonhole, Streams } from "@katzenpost-effect/pigeonhole"
 * import { PigeonholeEngine } from "@katzenpost-effect/testing"
 * import { Effect, Layer } from "effect"
 *
 * const TestLayer = Streams.layer().pipe(
 *   Layer.provideMerge(Pigeonhole.layer()),
 *   Layer.provideMerge(PigeonholeEngine.layerClient())
 * )
 *
 * const roundTrip = Effect.gen(function*() {
 *   const keys = yield* (yield* Pigeonhole.Pigeonhole).newKeypair(new Uint8Array(32).fill(7))
 *   const streams = yield* Streams.Streams
 *   yield* (yield* streams.writer(keys.writeCap)).write(new TextEncoder().encode("hi"))
 *   const box = yield* (yield* streams.reader(keys.readCap)).read()
 *   return new TextDecoder().decode(box.plaintext) // "hi"
 * }).pipe(Effect.provide(TestLayer))
 *
 * export const main = () => Effect.runPromise(roundTrip)
 *
 * @since 0.1.0
 * @category layers
 */
export const layerClient = (
  options: ClientOptions = {}
): Layer.Layer<PigeonholeEngine | FakeDaemon.FakeDaemon | ThinClient.ThinClient, ConnectError | HandshakeTimeout> =>
  withClient(options, (_, config) => ThinClient.make(config))

/**
 * The same as `layerClient`, with the ThinClient connected in memory: no socket file.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerClientInMemory = (
  options: ClientOptions = {}
): Layer.Layer<PigeonholeEngine | FakeDaemon.FakeDaemon | ThinClient.ThinClient, ConnectError | HandshakeTimeout> =>
  withClient(options, (fake, config) => ThinClient.makeWith(config, fake.connect))

const withClient = (
  options: ClientOptions,
  connect: (
    fake: FakeDaemon.FakeDaemon,
    config: ThinClientConfig.ThinClientConfig
  ) => Effect.Effect<ThinClient.ThinClient, ConnectError | HandshakeTimeout, Scope.Scope>
) => {
  const daemon = Layer.scoped(
    FakeDaemon.FakeDaemon,
    Effect.flatMap(PigeonholeEngine, (engine) =>
      FakeDaemon.make({
        ...options.daemon,
        handler: engine,
        ...(options.withoutPkiDocument === true ? {} : { pkiDocument: engine.pkiDocument })
      }))
  ).pipe(Layer.provide(NodeFileSystem.layer))
  const client = Layer.scoped(
    ThinClient.ThinClient,
    Effect.flatMap(FakeDaemon.FakeDaemon, (fake) => connect(fake, FakeDaemon.clientConfig(fake, options.client)))
  )
  return client.pipe(Layer.provideMerge(daemon), Layer.provideMerge(layer(options.engine)))
}
