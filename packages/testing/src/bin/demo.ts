#!/usr/bin/env node
/**
 * `npm run demo`: a full Pigeonhole exchange between Alice and Bob, on the embedded fake
 * kpclientd by default, or on a real one with `--config path/to/thinclient.toml` (or
 * `KATZENPOST_THINCLIENT_CONFIG`). Exits 0 only if every step did what it should.
 * `KATZENPOST_DEMO_TRACE=1` prints the SDK's span tree at the end.
 *
 * @since 0.1.0
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Pigeonhole, Streams } from "@katzenpost-effect/pigeonhole"
import { ThinClient } from "@katzenpost-effect/transport"
import * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { counting, makeMetrics } from "../internal/demo/metrics.js"
import { fail, line, millis, note } from "../internal/demo/output.js"
import { run } from "../internal/demo/scenario.js"
import { connect, fromArgs, type Target } from "../internal/demo/target.js"
import { makeRecorder } from "../internal/demo/trace.js"

class DemoFailed extends Data.TaggedError("DemoFailed")<{}> {}

const describe = (error: { readonly _tag: string; readonly message?: string }): string =>
  error.message === undefined || error.message === "" ? error._tag : `${error._tag}: ${error.message}`

const main = (target: Target): Effect.Effect<void, DemoFailed> =>
  Effect.scoped(
    Effect.gen(function*() {
      yield* line("katzenpost-effect demo: Alice and Bob over Pigeonhole")
      const connected = yield* connect(target)
      yield* note(`daemon: ${connected.description}`)
      const online = yield* connected.client.isConnected
      const document = yield* Effect.option(connected.client.pkiDocument)
      yield* note(
        `mixnet ${online ? "connected" : "offline"}; PKI document ${
          Option.match(document, { onNone: () => "not received (encryption will fail with InternalError)", onSome: (d) => `epoch ${d.Epoch}` })
        }`
      )
      if (connected.replicationLag !== undefined) {
        yield* note(`simulated replication lag ${millis(Duration.toMillis(connected.replicationLag))}`)
      }
      const metrics = makeMetrics()
      const services = yield* Effect.gen(function*() {
        const pigeonhole = yield* Pigeonhole.make({ arqTimeout: connected.arqTimeout })
        const streams = yield* Streams.make.pipe(Effect.provideService(Pigeonhole.Pigeonhole, pigeonhole))
        return { pigeonhole, streams }
      }).pipe(Effect.provideService(ThinClient.ThinClient, counting(connected.client, metrics)))
      const scenario = run({ ...services, metrics, timeout: connected.arqTimeout })
      if (process.env["KATZENPOST_DEMO_TRACE"] !== "1") return yield* scenario
      const recorder = makeRecorder()
      yield* Effect.ensuring(Effect.withSpan(scenario, "demo").pipe(Effect.withTracer(recorder.tracer)), recorder.print)
    })
  ).pipe(
    Effect.provide(NodeFileSystem.layer),
    Effect.catchAll((error) =>
      error._tag === "StepFailed" ? Effect.fail(new DemoFailed()) : Effect.zipRight(fail(describe(error)), Effect.fail(new DemoFailed()))
    ),
    Effect.catchAllDefect((defect) => Effect.zipRight(fail(Cause.pretty(Cause.die(defect))), Effect.fail(new DemoFailed())))
  )

const target = fromArgs(process.argv.slice(2), process.env)
if (typeof target === "string") {
  process.stderr.write(`${target}\n`)
  process.exitCode = 2
} else {
  NodeRuntime.runMain(main(target), { disableErrorReporting: true })
}
