/**
 * Which hpqc BACAP generation the connected daemon derives keypairs with, for
 * `keypairs: "local"`: configured, or detected by asking the daemon for one keypair from a
 * fixed, public probe seed and comparing it with each local derivation. The answer is kept
 * per daemon instance (instance token): a restarted or replaced daemon is asked again.
 */
import { Bacap, type ErrorCodes, Request as Req } from "@katzenpost-effect/core"
import type { TransportError } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type { CallOptions } from "../Pigeonhole.js"
import { local, type ServiceContext } from "./context.js"

/** A public seed whose first index differs between the generations (bytes 0x00…0x1f). */
const PROBE_SEED = Uint8Array.from({ length: Bacap.KEYPAIR_SEED_SIZE }, (_, i) => i)

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i])

const tokenKey = (token: Uint8Array | undefined) => (token === undefined ? "" : Array.from(token, (b) => b.toString(16).padStart(2, "0")).join(""))

/** The generation that reproduces the daemon's probe keypair, or "daemon" when none does. */
const detect = (ctx: ServiceContext, options: CallOptions | undefined) =>
  local(ctx, "new_keypair", options, (query_id, o) => ctx.client.request(Req.NewKeypair.make({ query_id, seed: PROBE_SEED }), o)).pipe(
    Effect.flatMap((reply) => {
      const remote = reply.write_cap
      const match = remote === null
        ? undefined
        : Bacap.GENERATIONS.find((generation) =>
          Either.match(Bacap.newKeypair(PROBE_SEED, generation), {
            onLeft: () => false,
            onRight: (keypair) => sameBytes(keypair.writeCap.bytes, remote.bytes)
          })
        )
      return match === undefined
        ? Effect.as(Effect.logWarning("kpclientd derives BACAP keypairs unlike every local generation; asking the daemon instead"), "daemon" as const)
        : Effect.succeed(match)
    })
  )

/**
 * The generation local derivation must use for the daemon behind `ctx.client` now, or
 * "daemon" when local derivation cannot match it.
 */
export const generationFor = (
  ctx: ServiceContext,
  options: CallOptions | undefined
): Effect.Effect<Bacap.Generation | "daemon", ErrorCodes.LocalError | TransportError> =>
  Effect.gen(function*() {
    if (ctx.bacap !== "detect") return ctx.bacap
    const token = tokenKey(Option.getOrUndefined(yield* ctx.client.instanceToken))
    const known = ctx.detected.get(token)
    if (known !== undefined) return known
    const found = yield* detect(ctx, options)
    ctx.detected.set(token, found)
    return found
  })
