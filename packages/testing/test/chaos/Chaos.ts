/**
 * The chaos run of issue 12, shared by the fake-daemon test and the real-kpclientd one:
 * `operations` mixed calls at `concurrency` through the Pigeonhole service (keypairs, daemon
 * indexes, encryption; with `arq`, also writes and reads through ARQ), while the daemon is
 * killed and restarted `restarts` times, evenly spread over the run. Every call must end;
 * the counts say how.
 */
import { Bacap, type MessageBoxIndex } from "@katzenpost-effect/core"
import { Pigeonhole } from "@katzenpost-effect/pigeonhole"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"

export interface ChaosOptions {
  readonly operations: number
  readonly concurrency: number
  readonly restarts: number
  /** Kills the daemon and starts it again. */
  readonly restart: Effect.Effect<void>
  /** Writes and reads through ARQ too (the fake: the real daemon is offline). */
  readonly arq: boolean
  /** A call still running after this long counts as hung. */
  readonly hangAfter: Duration.DurationInput
}

export interface ChaosCounts {
  readonly operations: number
  readonly ok: number
  /** Typed failures by tag (and daemon error code, when there is one). */
  readonly failures: Record<string, number>
  readonly hung: number
  readonly completedTwice: number
  readonly restarts: number
  readonly confirmedWrites: number
  /** Confirmed writes that could not be read back, or read back different. */
  readonly lostWrites: number
}

const describeError = (error: { readonly _tag: string }): string =>
  "code" in error && typeof error.code === "number" ? `${error._tag}(${error.code})` : error._tag

export const runChaos = (options: ChaosOptions): Effect.Effect<ChaosCounts, never, Pigeonhole.Pigeonhole> =>
  Effect.gen(function*() {
    const pigeonhole = yield* Pigeonhole.Pigeonhole
    const stream = yield* Effect.orDie(pigeonhole.newKeypair(new Uint8Array(32).fill(0x5a)))
    // Box i of the stream, for the ARQ writes (each box written once).
    const boxes: Array<MessageBoxIndex> = [stream.firstIndex]
    for (let i = 1; i < options.operations; i++) boxes.push(Either.getOrThrow(Bacap.nextIndex(boxes[i - 1]!)))
    const confirmed: Array<{ readonly box: MessageBoxIndex; readonly plaintext: Uint8Array }> = []
    const completions = new Array<number>(options.operations).fill(0)
    const failures: Record<string, number> = {}
    let ok = 0
    let hung = 0
    let done = 0

    const operation = (i: number): Effect.Effect<unknown, { readonly _tag: string }> => {
      const plaintext = new TextEncoder().encode(`chaos ${i}`)
      switch (i % (options.arq ? 5 : 3)) {
        case 0:
          return pigeonhole.newKeypair(Uint8Array.from({ length: 32 }, (_, j) => (i + j) & 0xff))
        case 1:
          return pigeonhole.nextMessageBoxIndex(boxes[i]!)
        case 2:
          return pigeonhole.encryptWrite(plaintext, stream.writeCap, boxes[i]!)
        case 3:
          return Effect.flatMap(pigeonhole.encryptWrite(plaintext, stream.writeCap, boxes[i]!), (envelope) =>
            Effect.tap(pigeonhole.startResending(envelope), () => Effect.sync(() => confirmed.push({ box: boxes[i]!, plaintext }))))
        default: {
          const written = confirmed[i % Math.max(1, confirmed.length)]
          if (written === undefined) {
            return pigeonhole.nextMessageBoxIndex(boxes[i]!)
          }
          return Effect.flatMap(pigeonhole.encryptRead(stream.readCap, written.box), (envelope) =>
            pigeonhole.startResending(envelope))
        }
      }
    }

    const one = (i: number) =>
      operation(i).pipe(
        Effect.timeoutOption(options.hangAfter),
        Effect.either,
        Effect.map((result) => {
          completions[i]!++
          done++
          if (Either.isLeft(result)) {
            const key = describeError(result.left)
            failures[key] = (failures[key] ?? 0) + 1
          } else if (Option.isNone(result.right)) hung++
          else ok++
        })
      )

    let restarts = 0
    const restarter = yield* Effect.fork(Effect.gen(function*() {
      for (let r = 1; r <= options.restarts; r++) {
        const due = Math.floor((r * options.operations) / (options.restarts + 1))
        while (done < due) yield* Effect.sleep("5 millis")
        yield* options.restart
        restarts++
      }
    }))
    yield* Effect.forEach(Array.from({ length: options.operations }, (_, i) => i), one, {
      concurrency: options.concurrency,
      discard: true
    })
    yield* Fiber.join(restarter)

    // Every write confirmed to its caller is readable, with its plaintext.
    let lostWrites = 0
    for (const write of confirmed) {
      const read = yield* Effect.either(
        Effect.flatMap(pigeonhole.encryptRead(stream.readCap, write.box), (envelope) => pigeonhole.startResending(envelope)).pipe(
          Effect.timeoutOption(options.hangAfter)
        )
      )
      const same = Either.isRight(read) && Option.isSome(read.right) &&
        Buffer.from(read.right.value.plaintext).equals(Buffer.from(write.plaintext))
      if (!same) lostWrites++
    }
    return {
      operations: options.operations,
      ok,
      failures,
      hung,
      completedTwice: completions.filter((n) => n > 1).length,
      restarts,
      confirmedWrites: confirmed.length,
      lostWrites
    }
  })
