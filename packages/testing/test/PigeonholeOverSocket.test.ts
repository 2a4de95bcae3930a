import { assert, describe, it } from "@effect/vitest"
import { Pigeonhole, Streams } from "@katzenpost-effect/pigeonhole"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as FakeDaemon from "../src/FakeDaemon.js"
import * as PigeonholeEngine from "../src/PigeonholeEngine.js"

const text = (s: string) => new TextEncoder().encode(s)
const decode = (b: Uint8Array) => new TextDecoder().decode(b)
const seed = (n: number) => new Uint8Array(32).fill(n)

/** Waits (polling the engine, bounded) until it holds `count` ARQ operations. */
const awaitInFlight = (engine: PigeonholeEngine.PigeonholeEngine, count: number) =>
  engine.awaitInFlight(count).pipe(
    Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => new Error(`engine never held ${count} ARQ operations`) })
  )

const services = (engine: PigeonholeEngine.Options = {}) =>
  Layer.mergeAll(Pigeonhole.layer({ arqTimeout: "20 seconds" }), Streams.layer().pipe(Layer.provide(Pigeonhole.layer()))).pipe(
    Layer.provideMerge(PigeonholeEngine.layerClient({ engine: { readRetryInterval: "20 millis", ...engine } }))
  )

describe("PigeonholeEngine behind the fake daemon's socket", () => {
  it.live("Alice writes a stream and Bob reads it through the SDK", () =>
    Effect.gen(function*() {
      const pigeonhole = yield* Pigeonhole.Pigeonhole
      const streams = yield* Streams.Streams
      const alice = yield* pigeonhole.newKeypair(seed(1))
      const writer = yield* streams.writer(alice.writeCap)
      const reader = yield* streams.reader(alice.readCap)
      yield* writer.write(text("one"))
      yield* writer.write(text("two"))
      assert.strictEqual(decode((yield* reader.read()).plaintext), "one")
      assert.strictEqual(decode((yield* reader.read()).plaintext), "two")
    }).pipe(Effect.provide(services({ replicationLag: "100 millis" }))))

  it.live("a payload larger than one box arrives through a copy stream", () =>
    Effect.gen(function*() {
      const pigeonhole = yield* Pigeonhole.Pigeonhole
      const streams = yield* Streams.Streams
      const dest = yield* pigeonhole.newKeypair(seed(2))
      const payload = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 256)
      yield* streams.sendPayload(payload, dest.writeCap, dest.firstIndex)
      const reader = yield* streams.reader(dest.readCap)
      const parts: Array<Uint8Array> = []
      for (let i = 0; i < 4; i++) parts.push((yield* reader.read()).plaintext)
      assert.deepStrictEqual(new Uint8Array(Buffer.concat(parts)), payload)
    }).pipe(Effect.provide(services())))

  it.live("interrupting a waiting read cancels it in the daemon", () =>
    Effect.gen(function*() {
      const pigeonhole = yield* Pigeonhole.Pigeonhole
      const engine = yield* PigeonholeEngine.PigeonholeEngine
      const alice = yield* pigeonhole.newKeypair(seed(3))
      const envelope = yield* pigeonhole.encryptRead(alice.readCap, alice.firstIndex)
      const reading = yield* Effect.fork(pigeonhole.startResending(envelope))
      yield* awaitInFlight(engine, 1)
      yield* Fiber.interrupt(reading)
      yield* awaitInFlight(engine, 0)
    }).pipe(Effect.provide(services())))

  it.live("a read in flight across a daemon restart completes after the client replays it", () =>
    Effect.gen(function*() {
      const pigeonhole = yield* Pigeonhole.Pigeonhole
      const daemon = yield* FakeDaemon.FakeDaemon
      const engine = yield* PigeonholeEngine.PigeonholeEngine
      const alice = yield* pigeonhole.newKeypair(seed(4))
      const envelope = yield* pigeonhole.encryptRead(alice.readCap, alice.firstIndex)
      const reading = yield* Effect.fork(pigeonhole.startResending(envelope, { waitForConnection: true }))
      yield* awaitInFlight(engine, 1)
      yield* daemon.restart
      // The restarted daemon forgot the read; the client's replay brings it back.
      yield* daemon.awaitHandshakes(2)
      yield* awaitInFlight(engine, 1)
      const write = yield* pigeonhole.encryptWrite(text("after restart"), alice.writeCap, alice.firstIndex, { waitForConnection: true })
      yield* pigeonhole.startResending(write, { waitForConnection: true })
      const result = yield* Fiber.join(reading).pipe(Effect.timeout(Duration.seconds(5)))
      assert.strictEqual(decode(result.plaintext), "after restart")
    }).pipe(Effect.provide(services())))
})
