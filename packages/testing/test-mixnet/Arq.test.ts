/**
 * ARQ lifecycles on Carol's daemon, one after the other (the second test SIGKILLs it):
 * interruption is cancellation in the daemon, and a daemon crash mid-ARQ ends every call
 * exactly once.
 */
import { assert, describe, it } from "@effect/vitest"
import type { ClientEvent } from "@katzenpost-effect/transport"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Schedule from "effect/Schedule"
import { readFileSync } from "node:fs"
import { client, clientControl, env, report, seed, services, timed, within } from "./Mixnet.js"

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const call = { timeout: "8 minutes" } as const

/** How often Carol's daemon logged that it cancelled an ARQ operation on request. */
const daemonCancellations = Effect.sync(() =>
  readFileSync(`${env["MIXNET_BASE"]}/logs/kpclientd-carol.log`, "utf8")
    .split("\n")
    .filter((line) => line.includes("cancelResendingEncryptedMessage: Sending cancellation")).length
)

/** Counts how often an effect ends (success, failure or interruption). */
const counted = <A, E, R>(effect: Effect.Effect<A, E, R>) => {
  const ends = { count: 0 }
  return {
    ends,
    effect: Effect.ensuring(
      effect,
      Effect.sync(() => {
        ends.count++
      })
    )
  }
}

/** A success, or a failure with a typed (tagged) error: never a defect or an interruption. */
const assertEndedTyped = <A, E>(what: string, exit: Exit.Exit<A, E>) => {
  if (Exit.isSuccess(exit)) return report(`${what}: succeeded`)
  const failure = Cause.failureOption(exit.cause)
  assert.isTrue(
    Option.isSome(failure) && typeof failure.value === "object" && failure.value !== null && "_tag" in failure.value,
    `${what} ended without a typed error: ${Cause.pretty(exit.cause)}`
  )
  return report(`${what}: failed with ${Option.isSome(failure) ? String((failure.value as { _tag: unknown })._tag) : "?"}`)
}

const nextReconnection = (events: Queue.Dequeue<ClientEvent>) =>
  Effect.gen(function*() {
    while (true) {
      const event = yield* Queue.take(events)
      if (event._tag === "DaemonReconnectedEvent") return event
    }
  })

describe.sequential("mixnet: ARQ on Carol's daemon", () => {
  it.live("interrupting an ARQ cancels it in the daemon; no late reply arrives", () =>
    Effect.scoped(Effect.gen(function*() {
      const thin = yield* client("carol")
      const carol = yield* services(thin)
      const events = yield* thin.subscribe
      const keys = yield* carol.pigeonhole.newKeypair(seed(), call)
      const envelope = yield* carol.pigeonhole.encryptRead(keys.readCap, keys.firstIndex, call)
      const read = counted(carol.pigeonhole.startResending(envelope, call))
      const fiber = yield* Effect.fork(read.effect)
      yield* within(
        carol.pigeonhole.inFlight.pipe(Effect.repeat({ until: (ops) => ops.length === 1, schedule: Schedule.spaced("100 millis") })),
        "30 seconds",
        "the read to be in flight"
      )
      yield* Effect.sleep("5 seconds") // the daemon is now retrying the empty box
      const before = yield* daemonCancellations
      const exit = yield* timed("interrupting the ARQ (cancel round trip)", Fiber.interrupt(fiber))
      assert.isTrue(Exit.isInterrupted(exit))
      assert.deepStrictEqual(yield* carol.pigeonhole.inFlight, [])
      // The daemon logs each cancellation it performs on request.
      yield* within(
        daemonCancellations.pipe(Effect.repeat({ until: (n) => n > before, schedule: Schedule.spaced("200 millis") })),
        "30 seconds",
        "Carol's daemon to log the cancellation"
      )

      // The box is written now: a still-running operation would find it and answer.
      const message = `after the cancel ${Date.now()}`
      const writer = yield* carol.streams.writer(keys.writeCap)
      yield* writer.write(encoder.encode(message), call)
      const reader = yield* carol.streams.reader(keys.readCap)
      assert.strictEqual(decoder.decode((yield* reader.read(call)).plaintext), message)
      yield* Effect.sleep("10 seconds")
      assert.strictEqual(read.ends.count, 1, "the interrupted call ended exactly once")
      const stray = (yield* Queue.takeAll(events)).pipe((all) => Array.from(all).filter((e) => e._tag === "UnknownResponse"))
      assert.deepStrictEqual(stray, [])
    })), 20 * 60_000)

  it.live("kpclientd SIGKILLed mid-ARQ and restarted: every call ends exactly once, nothing hangs", () =>
    Effect.scoped(Effect.gen(function*() {
      const thin = yield* client("carol")
      const carol = yield* services(thin)
      const events = yield* thin.subscribe
      const keys = yield* carol.pigeonhole.newKeypair(seed(), call)
      const writer = yield* carol.streams.writer(keys.writeCap)
      const reader = yield* carol.streams.reader(keys.readCap)
      const message = `across a crash ${Date.now()}`
      // In flight when the daemon dies: a write, a read of that box, and a read of a box that is
      // never written (bounded by its timeout).
      const write = counted(writer.write(encoder.encode(message), call))
      const readBack = counted(reader.read(call))
      const second = yield* carol.pigeonhole.nextMessageBoxIndex(keys.firstIndex)
      const never = counted(Effect.flatMap(
        carol.pigeonhole.encryptRead(keys.readCap, second, call),
        (envelope) => carol.pigeonhole.startResending(envelope, { timeout: "2 minutes" })
      ))
      const writeFiber = yield* Effect.fork(Effect.exit(write.effect))
      const readFiber = yield* Effect.fork(Effect.exit(readBack.effect))
      const neverFiber = yield* Effect.fork(Effect.exit(never.effect))
      yield* within(
        carol.pigeonhole.inFlight.pipe(Effect.repeat({ until: (ops) => ops.length >= 2, schedule: Schedule.spaced("100 millis") })),
        "1 minute",
        "the ARQs to be in flight"
      )
      yield* Effect.sleep("2 seconds")
      yield* clientControl("restart", "carol")
      const reconnected = yield* within(nextReconnection(events), "1 minute", "the client to reconnect to the new daemon")
      assert.isFalse(reconnected.sameInstance)
      yield* report(`reconnected to the restarted daemon, ${reconnected.replayed} requests replayed`)
      const [writeExit, readExit, neverExit] = yield* timed(
        "calls in flight across the crash end",
        within(
          Effect.all([Fiber.join(writeFiber), Fiber.join(readFiber), Fiber.join(neverFiber)]),
          "12 minutes",
          "every call in flight across the crash to end"
        )
      )
      yield* assertEndedTyped("write", writeExit)
      yield* assertEndedTyped("read of the written box", readExit)
      yield* assertEndedTyped("read of a never-written box", neverExit)
      if (Exit.isSuccess(readExit)) assert.strictEqual(decoder.decode(readExit.value.plaintext), message)
      assert.isTrue(Exit.isFailure(neverExit))
      yield* Effect.sleep("2 seconds")
      assert.deepStrictEqual([write.ends.count, readBack.ends.count, never.ends.count], [1, 1, 1])
    })), 20 * 60_000)
})
