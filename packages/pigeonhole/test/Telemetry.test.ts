import { assert, describe, it } from "@effect/vitest"
import { Pigeonhole, type Progress, Streams, Telemetry } from "@katzenpost-effect/pigeonhole"
import { PigeonholeEngine, SpanRecorder } from "@katzenpost-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Metric from "effect/Metric"

const recordingTracer = SpanRecorder.make

/** Every printable form of a secret that must not leak: hex, base64, and an 8-byte hex window. */
const forms = (bytes: Uint8Array) => [
  Buffer.from(bytes).toString("hex"),
  Buffer.from(bytes).toString("base64"),
  Buffer.from(bytes.subarray(8, 16)).toString("hex"),
  Buffer.from(bytes.subarray(0, 12)).toString("base64")
]

const services = Pigeonhole.layer({ arqTimeout: "20 seconds" }).pipe(
  Layer.provideMerge(PigeonholeEngine.layerClientInMemory({ engine: { readRetryInterval: "20 millis" } }))
)

const outcome = (kind: string, tag: string) =>
  Effect.map(Metric.value(Telemetry.arqOutcomes.pipe(Metric.tagged("kind", kind), Metric.tagged("outcome", tag))), (s) => s.count)

describe("Pigeonhole telemetry", () => {
  it.live("a write and a read give one span per call with safe attributes and ARQ outcome counts", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const { spans, tracer } = recordingTracer()
      const logs: Array<string> = []
      const logger = Logger.make(({ message }) => logs.push(String(message)))
      const seed = new Uint8Array(32).map((_, i) => 0x51 + i)
      const plaintext = new TextEncoder().encode("a secret plaintext that must not be in any span")
      const before = { write: yield* outcome("write", "ok"), missing: yield* outcome("read", "BoxIdNotFound") }
      const program = Effect.gen(function*() {
        const keys = yield* p.newKeypair(seed)
        const next = yield* p.nextMessageBoxIndex(keys.firstIndex)
        const missing = yield* p.encryptRead(keys.readCap, next)
        const notThere = yield* Effect.flip(p.startResendingNoRetry(missing))
        assert.strictEqual(notThere._tag, "BoxIdNotFound")
        const envelope = yield* p.encryptWrite(plaintext, keys.writeCap, keys.firstIndex)
        yield* p.startResending(envelope)
        const read = yield* p.startResending(yield* p.encryptRead(keys.readCap, keys.firstIndex))
        assert.deepStrictEqual([...read.plaintext], [...plaintext])
        return { keys, envelope }
      })
      const { envelope, keys } = yield* program.pipe(
        Effect.withTracer(tracer),
        Effect.provide(Logger.replace(Logger.defaultLogger, logger))
      )
      const names = spans.map((s) => s.name)
      for (
        const name of [
          "Pigeonhole.newKeypair",
          "Pigeonhole.nextMessageBoxIndex",
          "Pigeonhole.encryptWrite",
          "Pigeonhole.startResending",
          "Pigeonhole.startResendingNoRetry"
        ]
      ) {
        assert.include(names, name)
      }
      const write = spans.find((s) => s.name === "Pigeonhole.startResending" && s.attributes.get("katzenpost.arq.kind") === "write")
      assert.strictEqual(write?.attributes.get("katzenpost.outcome"), "ok")
      assert.strictEqual(write?.attributes.get("katzenpost.envelope_hash.prefix"), Buffer.from(envelope.envelopeHash.subarray(0, 4)).toString("hex"))
      assert.match(String(write?.attributes.get("katzenpost.courier.prefix")), /^[0-9a-f]{8}$/)
      const noRetry = spans.find((s) => s.name === "Pigeonhole.startResendingNoRetry")
      assert.strictEqual(noRetry?.attributes.get("katzenpost.outcome"), "BoxIdNotFound")
      // The ThinClient request spans nest under the Pigeonhole ones.
      const request = spans.find((s) => s.name === "ThinClient.StartResendingEncryptedMessage")
      assert.isDefined(request)
      const parentId = request!.parent._tag === "Some" ? request!.parent.value.spanId : ""
      assert.match(spans.find((s) => s.spanId === parentId)?.name ?? "", /^Pigeonhole\.startResending/)
      const printed = JSON.stringify(spans.map((s) => [s.name, [...s.attributes.entries()]])) + logs.join("\n")
      for (const secret of [seed, plaintext, keys.writeCap.bytes, keys.readCap.bytes, keys.firstIndex.bytes]) {
        for (const form of forms(secret)) assert.notInclude(printed, form)
      }
      assert.strictEqual((yield* outcome("write", "ok")) - before.write, 1)
      assert.strictEqual((yield* outcome("read", "BoxIdNotFound")) - before.missing, 1)
    }).pipe(Effect.provide(services)))

  it.live("the local calls answered by the daemon make their span, with the request's span under it, and fail in it too", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const { spans, tracer } = recordingTracer()
      const keys = yield* p.newKeypair(new Uint8Array(32).fill(3)).pipe(Effect.withTracer(tracer))
      yield* p.nextMessageBoxIndex(keys.firstIndex).pipe(Effect.withTracer(tracer))
      yield* Effect.flip(p.newKeypair(new Uint8Array(3))).pipe(Effect.withTracer(tracer))
      const parentOf = (name: string) => {
        const child = spans.find((s) => s.name === name)
        const id = child?.parent._tag === "Some" ? child.parent.value.spanId : ""
        return spans.find((s) => s.spanId === id)?.name
      }
      assert.strictEqual(parentOf("ThinClient.NewKeypair"), "Pigeonhole.newKeypair")
      assert.strictEqual(parentOf("ThinClient.NextMessageBoxIndex"), "Pigeonhole.nextMessageBoxIndex")
      const outcomes = spans.filter((s) => s.name === "Pigeonhole.newKeypair").map((s) => s.attributes.get("katzenpost.outcome"))
      assert.deepStrictEqual(outcomes, ["ok", "InvalidArgument"])
      // Without a tracer, nothing is recorded.
      yield* p.newKeypair(new Uint8Array(32).fill(3))
      assert.strictEqual(spans.filter((s) => s.name === "Pigeonhole.newKeypair").length, 2)
    }).pipe(
      Effect.provide(
        Pigeonhole.layer({ indexes: "daemon" }).pipe(Layer.provideMerge(PigeonholeEngine.layerClientInMemory()))
      )
    ))

  it.live("sendPayload reports progress: packing, each temporary box written, copying, done; Streams calls get spans", () =>
    Effect.gen(function*() {
      const p = yield* Pigeonhole.Pigeonhole
      const streams = yield* Streams.Streams
      const { spans, tracer } = recordingTracer()
      const seen: Array<Progress.PayloadProgress> = []
      const destination = yield* p.newKeypair(new Uint8Array(32).fill(9))
      const payload = new Uint8Array(5000).map((_, i) => i % 251)
      yield* streams.sendPayload(payload, destination.writeCap, destination.firstIndex, {
        onProgress: (progress) => Effect.sync(() => seen.push(progress))
      }).pipe(Effect.withTracer(tracer))
      const boxes = seen[seen.length - 1]!.boxes
      assert.isAbove(boxes, 1)
      assert.deepStrictEqual(seen.map((s) => s.phase), ["packing", "writing", ...Array<string>(boxes).fill("writing"), "copying", "done"])
      assert.deepStrictEqual(seen.filter((s) => s.phase === "writing").map((s) => s.boxesWritten), Array.from({ length: boxes + 1 }, (_, i) => i))
      assert.include(spans.map((s) => s.name), "Streams.sendPayload")
      assert.include(spans.map((s) => s.name), "Pigeonhole.startResendingCopyCommand")
      const reader = yield* streams.reader(destination.readCap)
      const first = yield* reader.read().pipe(Effect.withTracer(tracer))
      assert.isAbove(first.plaintext.length, 0)
      assert.include(spans.map((s) => s.name), "Streams.read")
    }).pipe(Effect.provide(Streams.layer().pipe(Layer.provideMerge(services)))))
})
