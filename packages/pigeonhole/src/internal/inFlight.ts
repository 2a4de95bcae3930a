/** The ARQ operations a Pigeonhole service is waiting on, keyed by their ARQ id. */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Ref from "effect/Ref"
import type { InFlight } from "../Pigeonhole.js"
import { hex } from "./call.js"

interface Entry {
  readonly operation: InFlight
  readonly count: number
}

const keyOf = (operation: InFlight): string =>
  operation._tag === "Copy" ? `copy:${hex(operation.writeCapHash)}` : `arq:${hex(operation.envelopeHash)}`

/** A registry of in-flight operations; the same id may be awaited more than once. */
export interface Registry {
  readonly add: (operation: InFlight) => Effect.Effect<void>
  /** Drops one waiter of the operation; answers how many waiters of its id remain. */
  readonly remove: (operation: InFlight) => Effect.Effect<number>
  readonly list: Effect.Effect<ReadonlyArray<InFlight>>
}

export const makeRegistry: Effect.Effect<Registry> = Effect.map(
  Ref.make<ReadonlyMap<string, Entry>>(new Map()),
  (ref): Registry => ({
    add: (operation) =>
      Ref.update(ref, (map) => {
        const key = keyOf(operation)
        const next = new Map(map)
        next.set(key, { operation, count: (map.get(key)?.count ?? 0) + 1 })
        return next
      }),
    remove: (operation) =>
      Ref.modify(ref, (map): [number, ReadonlyMap<string, Entry>] => {
        const key = keyOf(operation)
        const entry = map.get(key)
        if (entry === undefined) return [0, map]
        const next = new Map(map)
        if (entry.count > 1) next.set(key, { operation: entry.operation, count: entry.count - 1 })
        else next.delete(key)
        return [entry.count - 1, next]
      }),
    list: Effect.map(Ref.get(ref), (map) => Array.from(map.values(), (entry) => entry.operation))
  })
)

/**
 * Runs an ARQ wait so that interruption is cancellation: while `wait` runs the operation is
 * in the registry; when it ends the record is dropped, and if it was interrupted (including
 * by its own timeout) `cancel` is sent before the interruption completes — unless another
 * wait on the same id remains: the daemon holds one ARQ entry per id, so cancelling it would
 * fail that other caller too. The last waiter to be interrupted sends the cancel.
 */
export const guard = <A, E, R>(
  registry: Registry,
  operation: InFlight,
  cancel: Effect.Effect<void>,
  wait: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.zipRight(
      registry.add(operation),
      Effect.onExit(restore(wait), (exit) =>
        Effect.flatMap(
          registry.remove(operation),
          (remaining) => remaining === 0 && Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause) ? cancel : Effect.void
        ))
    )
  )
