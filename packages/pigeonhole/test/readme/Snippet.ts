// The README's runnable snippet: type-checked by tsc -b (not run: it prints). Kept identical by ReadmeSync.test.ts.
import { Pigeonhole, Streams } from "@katzenpost-effect/pigeonhole"
import { PigeonholeEngine } from "@katzenpost-effect/testing"
import { Effect, Layer, Redacted } from "effect"

const program = Effect.gen(function*() {
  const pigeonhole = yield* Pigeonhole.Pigeonhole
  const streams = yield* Streams.Streams
  const alice = yield* pigeonhole.newKeypair(Redacted.make(crypto.getRandomValues(new Uint8Array(32))))
  const writer = yield* streams.writer(alice.writeCap)
  const reader = yield* streams.reader(alice.readCap) // Bob only ever gets the ReadCap
  yield* writer.write(new TextEncoder().encode("hello"))
  yield* writer.write(new TextEncoder().encode("Bob"))
  for (let i = 0; i < 2; i++) console.log(new TextDecoder().decode((yield* reader.read()).plaintext))
})

const layer = Streams.layer().pipe(
  Layer.provideMerge(Pigeonhole.layer()),
  Layer.provideMerge(PigeonholeEngine.layerClient())
)
export const main = () => Effect.runPromise(program.pipe(Effect.provide(layer)))
