// The app that scripts/pack-app.sh builds against the packed tarballs: one Pigeonhole write
// and one read on the fake daemon, with the SDK used only through its published entry points.
import { Pigeonhole, Streams } from "@katzenpost-effect/pigeonhole"
import { PigeonholeEngine } from "@katzenpost-effect/testing"
import { ThinClient } from "@katzenpost-effect/transport"
import { Effect, Layer, Redacted } from "effect"

const program = Effect.gen(function*() {
  const client = yield* ThinClient.ThinClient
  const pigeonhole = yield* Pigeonhole.Pigeonhole
  const streams = yield* Streams.Streams
  const keys = yield* pigeonhole.newKeypair(Redacted.make(crypto.getRandomValues(new Uint8Array(32))))
  const writer = yield* streams.writer(keys.writeCap)
  const reader = yield* streams.reader(keys.readCap)
  yield* writer.write(new TextEncoder().encode("written from a packed tarball"))
  const box = yield* reader.read()
  const text = new TextDecoder().decode(box.plaintext)
  if (text !== "written from a packed tarball") return yield* Effect.dieMessage(`read back ${JSON.stringify(text)}`)
  const connected = yield* client.isConnected
  yield* Effect.log(`pigeonhole write + read on the fake daemon: ok (connected: ${connected})`)
})

const layer = Streams.layer().pipe(
  Layer.provideMerge(Pigeonhole.layer()),
  Layer.provideMerge(PigeonholeEngine.layerClient())
)

Effect.runPromiseExit(program.pipe(Effect.provide(layer))).then((exit) => {
  if (exit._tag === "Failure") {
    console.error(exit.cause)
    process.exitCode = 1
  }
})
