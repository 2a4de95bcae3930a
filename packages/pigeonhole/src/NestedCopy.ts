/**
 * **Experimental.** Nested copy: route a payload through a path of couriers, one copy
 * command per courier, each pinned to its courier (the Go reference's `SendNestedCopy`).
 *
 * Kept off the default entry point on purpose. Newer katzenpost releases removed this from
 * the reference client's API: `SendNestedCopy` went first (commit f9b17eb, "remove nest copy
 * api"), then `StartResendingCopyCommandWithCourier`, `GetAllCouriers` and
 * `GetDistinctCouriers` (commit 4d96c69, after v0.0.73). The daemon still accepts the
 * optional `courier_identity_hash` / `courier_queue_id` of a copy command on the wire.
 *
 * Why to avoid it (the commits give no reason; this is the privacy argument): when the
 * daemon picks each courier uniformly at random, one client's copy commands look like
 * anyone's. When the application pins couriers, the choice is the application's: a path
 * chosen by a rule, reused, or replayed after a restart makes the commands of one path, and
 * the client that sends them, linkable to each other by the couriers and by anyone watching
 * them. Use `Pigeonhole.startResendingCopyCommand` without a courier unless you know why you
 * need a path.
 *
 * @since 0.1.0
 * @experimental
 */
import { type ErrorCodes, InvalidArgument, type MessageBoxIndex, randomBytes, type WriteCap } from "@katzenpost-effect/core"
import type { TransportError } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type { CopyError, WriteError } from "./Arq.js"
import type { Courier } from "./Courier.js"
import type { Keypair } from "./Keypair.js"
import { type CallOptions, Pigeonhole } from "./Pigeonhole.js"

/**
 * Errors of `sendNestedCopy`.
 *
 * @since 0.1.0
 * @category models
 * @experimental
 */
export type NestedCopyError = InvalidArgument | ErrorCodes.LocalError | TransportError | WriteError | CopyError

const concat = (chunks: ReadonlyArray<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(chunks.reduce((n, chunk) => n + chunk.length, 0))
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.length
  }
  return out
}

/**
 * **Experimental** — see the module documentation before using it.
 *
 * Wraps `payload` in `courierPath.length` layers of copy streams (innermost: the destination
 * stream; each outer layer targets a fresh intermediate stream) and executes them outermost
 * first, layer `i` by `courierPath[i]` (pinned). Each layer must stay within the 10 MiB copy
 * stream limit; layers grow with the envelope overhead. Every step is a `Pigeonhole` call,
 * so interruption cancels whatever ARQ or copy command is in flight.
 *
 * @since 0.1.0
 * @category constructors
 * @experimental
 */
export const sendNestedCopy = (
  payload: Uint8Array,
  destWriteCap: WriteCap,
  destFirstIndex: MessageBoxIndex,
  courierPath: ReadonlyArray<Courier>,
  options: CallOptions = {}
): Effect.Effect<void, NestedCopyError, Pigeonhole> =>
  Effect.gen(function*() {
    if (payload.length === 0) {
      return yield* Effect.fail(new InvalidArgument({ argument: "payload", reason: "must not be empty" }))
    }
    if (courierPath.length === 0) {
      return yield* Effect.fail(new InvalidArgument({ argument: "courierPath", reason: "must name at least one courier" }))
    }
    const pigeonhole = yield* Pigeonhole
    const freshStream: Effect.Effect<Keypair, ErrorCodes.LocalError | TransportError> = Effect.flatMap(
      randomBytes(32),
      (seed) => pigeonhole.newKeypair(Redacted.make(seed), options)
    ).pipe(Effect.catchTag("InvalidArgument", (error) => Effect.die(error)))

    // Build the layers inside out: layer 0 writes the payload to the destination, layer i
    // writes layer i-1's elements to intermediate stream i-1.
    const layers: Array<ReadonlyArray<Uint8Array>> = []
    let current = payload
    let target: { readonly writeCap: WriteCap; readonly firstIndex: MessageBoxIndex } = {
      writeCap: destWriteCap,
      firstIndex: destFirstIndex
    }
    for (let layer = 0; layer < courierPath.length; layer++) {
      if (layer > 0) target = yield* freshStream
      const packed = yield* pigeonhole.createCourierEnvelopesFromPayload(current, target.writeCap, target.firstIndex, options)
      layers.push(packed.envelopes)
      current = concat(packed.envelopes)
    }

    // Execute outermost first, each layer through its own temporary stream and courier.
    for (const [step, courier] of courierPath.entries()) {
      const elements = layers[courierPath.length - 1 - step] ?? []
      const temporary = yield* freshStream
      let index = temporary.firstIndex
      for (const element of elements) {
        const envelope = yield* pigeonhole.encryptWrite(element, temporary.writeCap, index, options)
        yield* pigeonhole.startResending(envelope, options)
        index = envelope.nextIndex
      }
      yield* pigeonhole.startResendingCopyCommand(temporary.writeCap, { ...options, courier })
    }
  })
