/**
 * Identifiers of the thin protocol (16-byte ids and tokens, 32-byte hashes) as branded byte
 * strings, and their random generators.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { fixedBytes } from "./internal/bytes.js"

/** Correlates a request with its reply (`query_id`). @since 0.1.0 @category ids */
export const QueryId = fixedBytes(16, "QueryId")
/** @since 0.1.0 @category ids */
export type QueryId = typeof QueryId.Type

/** Identifies a legacy `send_message` (`id`, `message_id`). @since 0.1.0 @category ids */
export const MessageId = fixedBytes(16, "MessageId")
/** @since 0.1.0 @category ids */
export type MessageId = typeof MessageId.Type

/** Identifies a SURB and its reply (`surbid`). @since 0.1.0 @category ids */
export const SurbId = fixedBytes(16, "SurbId")
/** @since 0.1.0 @category ids */
export type SurbId = typeof SurbId.Type

/** The daemon process's identity (`instance_token`); changes on restart. @since 0.1.0 @category ids */
export const InstanceToken = fixedBytes(16, "InstanceToken")
/** @since 0.1.0 @category ids */
export type InstanceToken = typeof InstanceToken.Type

/**
 * The client's session token (`client_instance_token`). It is a bearer secret: whoever
 * presents it takes over the session, so keep it out of logs.
 *
 * @since 0.1.0
 * @category ids
 */
export const ClientToken = fixedBytes(16, "ClientToken")
/** @since 0.1.0 @category ids */
export type ClientToken = typeof ClientToken.Type

/** The daemon's id for one application session (`app_id`). @since 0.1.0 @category ids */
export const AppId = fixedBytes(16, "AppId")
/** @since 0.1.0 @category ids */
export type AppId = typeof AppId.Type

/** BLAKE2b-256 of a courier envelope; the ARQ key (`envelope_hash`). @since 0.1.0 @category hashes */
export const EnvelopeHash = fixedBytes(32, "EnvelopeHash")
/** @since 0.1.0 @category hashes */
export type EnvelopeHash = typeof EnvelopeHash.Type

/** BLAKE2b-256 of a WriteCap; the copy-command key (`write_cap_hash`). @since 0.1.0 @category hashes */
export const WriteCapHash = fixedBytes(32, "WriteCapHash")
/** @since 0.1.0 @category hashes */
export type WriteCapHash = typeof WriteCapHash.Type

/** BLAKE2b-256 of a node's identity key (`destination_id_hash`, `courier_identity_hash`). @since 0.1.0 @category hashes */
export const NodeIdHash = fixedBytes(32, "NodeIdHash")
/** @since 0.1.0 @category hashes */
export type NodeIdHash = typeof NodeIdHash.Type

const POOL_SIZE = 4096
let pool = new Uint8Array(0)
let poolOffset = 0

const drawRandom = (size: number): Uint8Array => {
  if (size > POOL_SIZE) return globalThis.crypto.getRandomValues(new Uint8Array(size))
  if (poolOffset + size > pool.length) {
    pool = globalThis.crypto.getRandomValues(new Uint8Array(POOL_SIZE))
    poolOffset = 0
  }
  const bytes = pool.slice(poolOffset, poolOffset + size)
  // Zeroed once handed out, so the pool never holds bytes someone else owns.
  pool.fill(0, poolOffset, poolOffset + size)
  poolOffset += size
  return bytes
}

/**
 * The source of random bytes for ids. Defaults to the platform CSPRNG; tests can provide a
 * deterministic one.
 *
 * @since 0.1.0
 * @category services
 */
export class SecureRandom extends Context.Tag("@katzenpost-effect/core/SecureRandom")<
  SecureRandom,
  { readonly bytes: (size: number) => Effect.Effect<Uint8Array> }
>() {
  /**
   * The platform CSPRNG (`crypto.getRandomValues`), drawn in 4 KiB batches: one call per 256
   * query ids instead of one each. Every caller gets its own copy of bytes never handed out
   * before.
   */
  static readonly crypto: Context.Tag.Service<SecureRandom> = {
    bytes: (size) => Effect.sync(() => drawRandom(size))
  }
  /** A layer with the platform CSPRNG. */
  static readonly layer = Layer.succeed(SecureRandom, SecureRandom.crypto)
  /** A deterministic counter-based source for tests: byte i of call n is (n + i) mod 256. */
  static readonly deterministic = Layer.sync(SecureRandom, () => {
    let calls = 0
    return {
      bytes: (size) =>
        Effect.sync(() => {
          const n = calls++
          return Uint8Array.from({ length: size }, (_, i) => (n + i) & 0xff)
        })
    }
  })
}

/**
 * Random bytes from the `SecureRandom` in context, or the platform CSPRNG when none is provided.
 *
 * @since 0.1.0
 * @category constructors
 */
export const randomBytes = (size: number): Effect.Effect<Uint8Array> =>
  Effect.flatMap(Effect.serviceOption(SecureRandom), (random) => random._tag === "Some" ? random.value.bytes(size) : SecureRandom.crypto.bytes(size))

/** A fresh random query id. @since 0.1.0 @category constructors */
// 16 fresh random bytes are a valid id by construction: no validation on the hot path, and
// with the default source one step of the fiber instead of four (it runs on every request).
export const newQueryId: Effect.Effect<QueryId> = Effect.withFiberRuntime((fiber) => {
  const id = queryIdIn(fiber.currentContext)
  return id !== undefined
    ? Effect.succeed(id)
    : Effect.map(Context.unsafeGet(fiber.currentContext, SecureRandom).bytes(16), (b) => QueryId.make(b, true))
})

/**
 * A fresh random query id drawn now from the platform CSPRNG, or `undefined` when `context`
 * provides a `SecureRandom` (whose bytes are an effect: use `newQueryId`). For code that
 * already runs inside a step of its fiber (`Effect.withFiberRuntime`) and wants no extra step.
 *
 * @since 0.2.0
 * @category constructors
 */
export const queryIdIn = (context: Context.Context<never>): QueryId | undefined =>
  context.unsafeMap.has(SecureRandom.key) ? undefined : QueryId.make(drawRandom(16), true)
/** A fresh random message id. @since 0.1.0 @category constructors */
export const newMessageId: Effect.Effect<MessageId> = Effect.map(randomBytes(16), (b) => MessageId.make(b))
/** A fresh random SURB id. @since 0.1.0 @category constructors */
export const newSurbId: Effect.Effect<SurbId> = Effect.map(randomBytes(16), (b) => SurbId.make(b))
/** A fresh random client session token. @since 0.1.0 @category constructors */
export const newClientToken: Effect.Effect<ClientToken> = Effect.map(randomBytes(16), (b) => ClientToken.make(b))
/** Alias of `newClientToken`, named as in the reference clients. @since 0.1.0 @category constructors */
export const newInstanceToken: Effect.Effect<ClientToken> = newClientToken
