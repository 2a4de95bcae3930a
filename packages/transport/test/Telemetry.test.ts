import { assert, describe, it } from "@effect/vitest"
import { QueryId, Request } from "@katzenpost-effect/core"
import { FakeDaemon, PigeonholeEngine, SpanRecorder } from "@katzenpost-effect/testing"
import { ConnectionState, Telemetry, ThinClient } from "@katzenpost-effect/transport"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

const recordingTracer = SpanRecorder.make

const seed = new Uint8Array(32).map((_, i) => 0xa0 + i)
const seedForms = [Buffer.from(seed).toString("hex"), Buffer.from(seed).toString("base64"), Buffer.from(seed.subarray(0, 8)).toString("hex")]

const newKeypair = (n: number) => Request.NewKeypair.make({ query_id: QueryId.make(new Uint8Array(16).fill(n)), seed })

const counterValue = (metric: Metric.Metric.Counter<number>) => Effect.map(Metric.value(metric), (state) => state.count)

describe("telemetry", () => {
  it.live("each request gets a span with its kind, query-id prefix and outcome, and no secret bytes", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const { spans, tracer } = recordingTracer()
      const logs: Array<string> = []
      const logger = Logger.make(({ message }) => logs.push(String(message)))
      yield* client.request(newKeypair(1)).pipe(Effect.withTracer(tracer), Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
      const span = spans.find((s) => s.name === "ThinClient.NewKeypair")
      assert.isDefined(span)
      assert.strictEqual(span!.attributes.get("katzenpost.request.kind"), "NewKeypair")
      assert.strictEqual(span!.attributes.get("katzenpost.query_id.prefix"), "01010101")
      assert.strictEqual(span!.attributes.get("katzenpost.outcome"), "ok")
      assert.strictEqual(span!.status._tag, "Ended")
      const printed = JSON.stringify([...spans.flatMap((s) => [...s.attributes.entries()])]) + logs.join("\n")
      for (const form of seedForms) assert.notInclude(printed, form)
    }).pipe(Effect.provide(PigeonholeEngine.layerClientInMemory())))

  it.live("without an app tracer no span is opened (the hot path stays as it was)", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const span = yield* client.request(newKeypair(2)).pipe(Effect.zipRight(Effect.option(Effect.currentSpan)))
      assert.isTrue(Option.isNone(span))
    }).pipe(Effect.provide(PigeonholeEngine.layerClientInMemory())))

  it.live("metrics count requests by kind and outcome, disconnects, reconnects and replays", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const ok = Telemetry.requestsTotal.pipe(Metric.tagged("kind", "NewKeypair"), Metric.tagged("outcome", "ok"))
      const before = {
        ok: yield* counterValue(ok),
        disconnects: yield* counterValue(Telemetry.disconnects),
        reconnects: yield* counterValue(Telemetry.reconnects)
      }
      yield* client.request(newKeypair(3))
      yield* client.request(newKeypair(4))
      const changes = yield* Stream.take(client.connectionChanges, 3).pipe(Stream.runCollect, Effect.fork)
      yield* daemon.restart
      const seen = Chunk.toReadonlyArray(yield* Fiber.join(changes)).map((s) => s.daemon)
      assert.deepStrictEqual(seen, [true, false, true])
      assert.strictEqual((yield* counterValue(ok)) - before.ok, 2)
      assert.strictEqual((yield* counterValue(Telemetry.disconnects)) - before.disconnects, 1)
      assert.strictEqual((yield* counterValue(Telemetry.reconnects)) - before.reconnects, 1)
      const latency = yield* Metric.value(Telemetry.requestDuration.pipe(Metric.tagged("kind", "NewKeypair")))
      assert.isAtLeast(latency.count, 2)
      assert.strictEqual((yield* Metric.value(Telemetry.requestsInFlight)).value, 0)
      const histogramKinds = (yield* Metric.snapshot).filter((pair) => pair.metricKey.name === "katzenpost_thin_request_duration_ms")
      assert.isAbove(histogramKinds.length, 0)
    }).pipe(Effect.provide(PigeonholeEngine.layerClientInMemory())))

  it.live("a late subscriber to the state streams gets the current value first", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      yield* daemon.setOnline(false)
      yield* Stream.runHead(Stream.filter(client.connectionChanges, (s) => !s.mixnet))
      const first = yield* Stream.runHead(client.connectionChanges)
      assert.deepStrictEqual(Option.getOrThrow(first), new ConnectionState({ daemon: true, mixnet: false }))
      assert.deepStrictEqual(yield* client.connectionState, new ConnectionState({ daemon: true, mixnet: false }))
    }).pipe(Effect.provide(PigeonholeEngine.layerClientInMemory())))
})
