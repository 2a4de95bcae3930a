/** The SDK as an app wired to @effect/opentelemetry sees it: the docs/observability.md setup, with an in-memory exporter. */
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import { assert, describe, it } from "@effect/vitest"
import { Pigeonhole } from "@katzenpost-effect/pigeonhole"
import { PigeonholeEngine } from "@katzenpost-effect/testing"
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

const exporter = new InMemorySpanExporter()
const Telemetry = NodeSdk.layer(() => ({
  resource: { serviceName: "guestbook" },
  spanProcessor: new SimpleSpanProcessor(exporter)
}))

describe("OpenTelemetry", () => {
  it.live("an app's OpenTelemetry exporter receives the SDK's spans under the app's own span, with no secret bytes", () =>
    Effect.gen(function*() {
      exporter.reset()
      const seed = new Uint8Array(32).fill(0x7c)
      const plaintext = new TextEncoder().encode("otel must never see this")
      yield* Effect.gen(function*() {
        const p = yield* Pigeonhole.Pigeonhole
        const keys = yield* p.newKeypair(seed)
        yield* p.startResending(yield* p.encryptWrite(plaintext, keys.writeCap, keys.firstIndex))
      }).pipe(Effect.withSpan("app.sign-guestbook"))
      const spans = exporter.getFinishedSpans()
      const names = spans.map((s) => s.name)
      for (
        const name of [
          "app.sign-guestbook",
          "Pigeonhole.newKeypair",
          "ThinClient.NewKeypair",
          "Pigeonhole.encryptWrite",
          "Pigeonhole.startResending",
          "ThinClient.StartResendingEncryptedMessage"
        ]
      ) {
        assert.include(names, name)
      }
      const app = spans.find((s) => s.name === "app.sign-guestbook")!
      const write = spans.find((s) => s.name === "Pigeonhole.startResending")!
      assert.strictEqual(write.spanContext().traceId, app.spanContext().traceId)
      assert.strictEqual(write.attributes["katzenpost.outcome"], "ok")
      const printed = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events]))
      for (const secret of [seed, plaintext]) {
        assert.notInclude(printed, Buffer.from(secret).toString("hex"))
        assert.notInclude(printed, Buffer.from(secret).toString("base64"))
      }
    }).pipe(Effect.provide(Layer.merge(Pigeonhole.layer().pipe(Layer.provide(PigeonholeEngine.layerClientInMemory())), Telemetry))))
})
