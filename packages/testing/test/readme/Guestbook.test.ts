// The example app of the top-level README, kept compiling and passing here.
import { assert, it } from "@effect/vitest"
import { Pigeonhole, Streams } from "@katzenpost-effect/pigeonhole"
import { PigeonholeEngine } from "@katzenpost-effect/testing"
import { Context, Effect, Layer } from "effect"

class Guestbook extends Context.Tag("Guestbook")<Guestbook, {
  readonly sign: (entry: string) => Effect.Effect<void, Streams.StreamWriteError>
  readonly next: Effect.Effect<string, Streams.StreamReadError>
}>() {}

const GuestbookLive = Layer.effect(
  Guestbook,
  Effect.gen(function*() {
    const keys = yield* (yield* Pigeonhole.Pigeonhole).newKeypair(crypto.getRandomValues(new Uint8Array(32)))
    const writer = yield* (yield* Streams.Streams).writer(keys.writeCap)
    const reader = yield* (yield* Streams.Streams).reader(keys.readCap)
    return {
      sign: (entry) => writer.write(new TextEncoder().encode(entry)),
      next: Effect.map(reader.read(), (box) => new TextDecoder().decode(box.plaintext))
    }
  })
).pipe(Layer.provide(Streams.layer()), Layer.provideMerge(Pigeonhole.layer()))

// In production: Layer.provide(GuestbookLive, ThinClient.layerConfig()) (from @katzenpost-effect/transport). In tests: the fake daemon.
it.live("the guestbook reads back what was signed", () =>
  Effect.gen(function*() {
    const book = yield* Guestbook
    yield* book.sign("hello from the mixnet")
    assert.strictEqual(yield* book.next, "hello from the mixnet")
  }).pipe(Effect.provide(GuestbookLive.pipe(Layer.provide(PigeonholeEngine.layerClient())))))
