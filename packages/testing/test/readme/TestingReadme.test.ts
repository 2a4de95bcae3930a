// The snippet of packages/testing/README.md, kept compiling and passing here.
import { assert, it } from "@effect/vitest"
import { Pigeonhole } from "@katzenpost-effect/pigeonhole"
import { FakeDaemon, PigeonholeEngine } from "@katzenpost-effect/testing"
import { Effect, Layer } from "effect"

const TestLayer = Pigeonhole.layer().pipe(Layer.provideMerge(PigeonholeEngine.layerClient()))

it.live("a write made across a daemon crash waits for the reconnection", () =>
  Effect.gen(function*() {
    const pigeonhole = yield* Pigeonhole.Pigeonhole
    const daemon = yield* FakeDaemon.FakeDaemon
    const keys = yield* pigeonhole.newKeypair(new Uint8Array(32).fill(1))
    const envelope = yield* pigeonhole.encryptWrite(new TextEncoder().encode("hi"), keys.writeCap, keys.firstIndex)
    yield* daemon.restart // new instance token, sessions and in-flight ARQ lost, as in the real daemon
    const written = yield* pigeonhole.startResending(envelope, { waitForConnection: true })
    assert.strictEqual(written.courier.identityHash.length, 32)
  }).pipe(Effect.provide(TestLayer)))
