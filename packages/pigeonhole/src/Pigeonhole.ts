/**
 * The Pigeonhole service: every Pigeonhole call of the thin-client API (keys, indexes,
 * encryption, ARQ, copy streams, courier discovery) as an Effect with an exact error type.
 *
 * Interruption is cancellation: when a fiber waiting on `startResending…` or
 * `startResendingCopyCommand` is interrupted (a timeout, a lost race, a closed scope), the
 * service sends the matching cancel request, so the daemon stops retransmitting, and drops
 * the operation from `inFlight`. While another fiber still waits on the same envelope (or
 * copy command), no cancel is sent: the daemon holds one operation per id, and cancelling it
 * would fail that other waiter too.
 *
 * @since 0.1.0
 */
import type {
  Bacap,
  EnvelopeHash,
  ErrorCodes,
  InvalidArgument,
  MessageBoxIndex,
  NoPkiDocument,
  ReadCap,
  ServiceNotFound,
  WriteCap,
  WriteCapHash
} from "@katzenpost-effect/core"
import { type ThinClient, type TransportError } from "@katzenpost-effect/transport"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { CopyError, ReadError, ReadNoRetryError, ReadResult, WriteError, WriteResult, WriteReturnBoxExistsError } from "./Arq.js"
import type { Destination, MultiPayloadEnvelopes, PayloadEnvelopes, StreamPosition, TombstoneRangeEnvelopes } from "./CopyStream.js"
import type { Courier, NotEnoughCouriers } from "./Courier.js"
import type { Envelope, ReadEnvelope, TombstoneRange, TombstoneRangeIncomplete, WriteEnvelope } from "./Envelope.js"
import * as internal from "./internal/pigeonhole.js"
import type { Keypair, Seed } from "./Keypair.js"

/**
 * Service-wide settings.
 *
 * @since 0.1.0
 * @category models
 */
export interface PigeonholeConfig {
  /**
   * Where `nextMessageBoxIndex` and `messageBoxIndexCounter` are computed: `"local"` (the
   * default; core `Bacap`, byte-identical, no round trip) or `"daemon"` (ask kpclientd).
   */
  readonly indexes?: "local" | "daemon"
  /**
   * Where `newKeypair` derives keypairs: `"daemon"` (the default; ask kpclientd) or `"local"`
   * (core `Bacap.newKeypair`, no round trip, with the generation of `bacap`).
   */
  readonly keypairs?: "daemon" | "local"
  /**
   * The hpqc BACAP generation of local keypairs: kpclientd v0.0.73 derives with
   * `"hpqc-v0.0.78"`, v0.0.104 with `"hpqc-v0.0.86"` (same keys, different first index for
   * almost every seed). The default `"detect"` asks each daemon instance once for the keypair
   * of a fixed public seed and uses the generation that reproduces it, or the daemon itself
   * when none does, so local keypairs never differ from the daemon's. Indexes are the same
   * in both generations.
   */
  readonly bacap?: Bacap.Generation | "detect"
  /**
   * Default timeout of the local (non-ARQ) calls. Default 30 seconds. The calls that pack
   * courier envelopes (`createCourierEnvelopesFrom…`) cost real CTIDH work per envelope in the
   * daemon (1.3–5 s each on a small machine), so their default grows with the work: this
   * timeout plus `envelopeTimeout` per started KiB of payload (per box for a tombstone range).
   */
  readonly timeout?: Duration.DurationInput
  /** What each started KiB (or tombstoned box) adds to the packing calls' default timeout. Default 10 seconds. */
  readonly envelopeTimeout?: Duration.DurationInput
  /** Default timeout of ARQ operations. Default 5 minutes. */
  readonly arqTimeout?: Duration.DurationInput
  /**
   * Default timeout of `startResendingCopyCommand`. Default: none. A copy command's duration
   * grows with its copy stream (the v0.0.73 courier needs 18–45 s per temporary box here, 6.9
   * minutes for 10 KiB), which this call cannot see: pass a `timeout` scaled to the stream, or
   * interrupt the call (which cancels the command). `Streams.sendPayload` scales it for you.
   */
  readonly copyTimeout?: Duration.DurationInput
  /**
   * How long the cancel sent on interruption may take, including waiting for a lost daemon
   * connection to come back, before it is given up. Default 10 seconds.
   */
  readonly cancelTimeout?: Duration.DurationInput
  /**
   * The default of `CallOptions.waitForConnection` for every call of this service (Streams
   * included). Unset: the ThinClient's own default.
   */
  readonly waitForConnection?: boolean
}

/**
 * Options every call takes.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions {
  /**
   * Fail with `RequestTimeout` after this long (and, for ARQ calls, cancel the operation).
   * Defaults to the service's `timeout` (scaled with the work for the packing calls) /
   * `arqTimeout` / `copyTimeout`; `Duration.infinity` waits forever.
   */
  readonly timeout?: Duration.DurationInput
  /** While the daemon connection is down, wait for it instead of failing with `DaemonDisconnected`. */
  readonly waitForConnection?: boolean
}

/**
 * An ARQ operation this service is waiting on.
 *
 * @since 0.1.0
 * @category models
 */
export type InFlight =
  | { readonly _tag: "Read" | "Write"; readonly envelopeHash: EnvelopeHash }
  | { readonly _tag: "Copy"; readonly writeCapHash: WriteCapHash }

/**
 * The Pigeonhole calls.
 *
 * @since 0.1.0
 * @category models
 */
export interface Pigeonhole {
  /**
   * Derives a new stream's capabilities from a 32-byte seed (same seed, same keypair), by
   * asking the daemon or locally (see `PigeonholeConfig.keypairs`). A seed of any other
   * length fails with `InvalidArgument` before anything is computed or sent.
   */
  readonly newKeypair: (
    seed: Seed,
    options?: CallOptions
  ) => Effect.Effect<Keypair, InvalidArgument | ErrorCodes.LocalError | TransportError>
  /**
   * The box after `index` (locally by default, see `PigeonholeConfig.indexes`). An index that
   * is not 104 bytes fails with `InvalidArgument` before anything is computed or sent.
   */
  readonly nextMessageBoxIndex: (
    index: MessageBoxIndex,
    options?: CallOptions
  ) => Effect.Effect<MessageBoxIndex, InvalidArgument | ErrorCodes.LocalError | TransportError>
  /**
   * The position of `index` in its stream (locally by default). An index that is not 104
   * bytes fails with `InvalidArgument` before anything is computed or sent.
   */
  readonly messageBoxIndexCounter: (
    index: MessageBoxIndex,
    options?: CallOptions
  ) => Effect.Effect<bigint, InvalidArgument | ErrorCodes.LocalError | TransportError>
  /** Encrypts a read of the box at `index`. No network traffic. */
  readonly encryptRead: (
    readCap: ReadCap,
    index: MessageBoxIndex,
    options?: CallOptions
  ) => Effect.Effect<ReadEnvelope, ErrorCodes.LocalError | TransportError>
  /**
   * Encrypts a write of `plaintext` to the box at `index`; an empty plaintext makes a
   * tombstone. A plaintext longer than the geometry's `MaxPlaintextPayloadLength` fails with
   * `PayloadTooLarge` before anything is sent. No network traffic.
   */
  readonly encryptWrite: (
    plaintext: Uint8Array,
    writeCap: WriteCap,
    index: MessageBoxIndex,
    options?: CallOptions
  ) => Effect.Effect<WriteEnvelope, ErrorCodes.LocalError | TransportError>
  /**
   * Tombstone envelopes for `maxCount` boxes from `start` (one `encryptWrite` each; the
   * timeout applies to each). If one fails, the call fails with `TombstoneRangeIncomplete`
   * carrying the envelopes made so far and the first box left.
   */
  readonly tombstoneRange: (
    writeCap: WriteCap,
    start: MessageBoxIndex,
    maxCount: number,
    options?: CallOptions
  ) => Effect.Effect<TombstoneRange, InvalidArgument | TombstoneRangeIncomplete>
  /**
   * Sends an envelope through a courier and waits for the outcome. A read waits through
   * replication lag (the daemon retries BoxIdNotFound) and returns the plaintext; a write
   * treats BoxAlreadyExists as success (idempotent).
   */
  readonly startResending: {
    (envelope: ReadEnvelope, options?: CallOptions): Effect.Effect<ReadResult, ReadError | TransportError>
    (envelope: WriteEnvelope, options?: CallOptions): Effect.Effect<WriteResult, WriteError | TransportError>
    (
      envelope: Envelope,
      options?: CallOptions
    ): Effect.Effect<ReadResult | WriteResult, ReadError | WriteError | TransportError>
  }
  /** Reads a box, failing with BoxIdNotFound at once if it is not there (yet). */
  readonly startResendingNoRetry: (
    envelope: ReadEnvelope,
    options?: CallOptions
  ) => Effect.Effect<ReadResult, ReadNoRetryError | TransportError>
  /** Writes a box, failing with BoxAlreadyExists if it was already written. */
  readonly startResendingReturnBoxExists: (
    envelope: WriteEnvelope,
    options?: CallOptions
  ) => Effect.Effect<WriteResult, WriteReturnBoxExistsError | TransportError>
  /** Cancels an ARQ operation; its waiter fails with StartResendingCancelled. */
  readonly cancelResending: (
    envelopeHash: EnvelopeHash,
    options?: CallOptions
  ) => Effect.Effect<void, ErrorCodes.LocalError | TransportError>
  /** Packs one payload (≤ 10 MiB) for one destination as copy stream elements. */
  readonly createCourierEnvelopesFromPayload: (
    payload: Uint8Array,
    destWriteCap: WriteCap,
    destStartIndex: MessageBoxIndex,
    options?: StreamPosition & CallOptions
  ) => Effect.Effect<PayloadEnvelopes, ErrorCodes.LocalError | TransportError>
  /** Packs payloads for several destinations; thread `buffer` from one call to the next. */
  readonly createCourierEnvelopesFromMultiPayload: (
    destinations: ReadonlyArray<Destination>,
    options?: StreamPosition & { readonly buffer?: Uint8Array | undefined } & CallOptions
  ) => Effect.Effect<MultiPayloadEnvelopes, InvalidArgument | ErrorCodes.LocalError | TransportError>
  /** Packs tombstones for `maxCount` destination boxes; thread `buffer` as for multi-payload. */
  readonly createCourierEnvelopesFromTombstoneRange: (
    destWriteCap: WriteCap,
    destStartIndex: MessageBoxIndex,
    maxCount: number,
    options?: StreamPosition & { readonly buffer?: Uint8Array | undefined } & CallOptions
  ) => Effect.Effect<TombstoneRangeEnvelopes, InvalidArgument | ErrorCodes.LocalError | TransportError>
  /**
   * Asks a courier (a random one, or `courier` when given) to execute the copy stream
   * written under `writeCap`, and waits until it has.
   */
  readonly startResendingCopyCommand: (
    writeCap: WriteCap,
    options?: CallOptions & { readonly courier?: Courier | undefined }
  ) => Effect.Effect<void, CopyError | TransportError>
  /** Cancels a copy command by its WriteCap hash (see `CopyStream.writeCapHash`). */
  readonly cancelResendingCopyCommand: (
    writeCapHash: WriteCapHash,
    options?: CallOptions
  ) => Effect.Effect<void, ErrorCodes.LocalError | TransportError>
  /** Every courier in the current PKI document. */
  readonly getAllCouriers: Effect.Effect<ReadonlyArray<Courier>, NoPkiDocument | ServiceNotFound>
  /** `n` distinct couriers picked at random. */
  readonly getDistinctCouriers: (
    n: number
  ) => Effect.Effect<ReadonlyArray<Courier>, InvalidArgument | NoPkiDocument | ServiceNotFound | NotEnoughCouriers>
  /** The ARQ operations and copy commands being waited on right now. */
  readonly inFlight: Effect.Effect<ReadonlyArray<InFlight>>
}

/**
 * The Pigeonhole service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export const Pigeonhole = Context.GenericTag<Pigeonhole>("@katzenpost-effect/pigeonhole/Pigeonhole")

/**
 * Builds the service on the ThinClient in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (config?: PigeonholeConfig) => Effect.Effect<Pigeonhole, never, ThinClient.ThinClient> = internal.make

/**
 * The service as a layer.
 *
 * @example
 * import { Pigeonhole } from "@katzenpost-effect/pigeonhole"
 * import { ThinClient } from "@katzenpost-effect/transport"
 * import { Effect, Layer, Redacted } from "effect"
 *
 * // In production: the ThinClient from the thinclient.toml that KATZENPOST_THINCLIENT_CONFIG names.
 * const PigeonholeLive = Pigeonhole.layer({ arqTimeout: "2 minutes" }).pipe(Layer.provide(ThinClient.layerConfig()))
 *
 * const program = Effect.gen(function*() {
 *   const pigeonhole = yield* Pigeonhole.Pigeonhole
 *   const keys = yield* pigeonhole.newKeypair(Redacted.make(crypto.getRandomValues(new Uint8Array(32))))
 *   return keys.readCap
 * })
 *
 * export const main = program.pipe(Effect.provide(PigeonholeLive))
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (config: PigeonholeConfig = {}): Layer.Layer<Pigeonhole, never, ThinClient.ThinClient> => Layer.effect(Pigeonhole, make(config))
