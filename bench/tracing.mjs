// `npm run bench:tracing` (issue 13): what telemetry costs on the request hot path. One
// process, one real kpclientd v0.0.73 offline (interop/kpclientd), 16 callers of
// `ThinClient.request(new_keypair)`, interleaved rounds of: no tracer installed (the SDK
// opens no span, only its metrics run) and an app tracer installed (Effect's native spans,
// no exporter). Reports CPU per request and ops/s, medians over rounds, and their ratio.
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { loadavg } from "node:os"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const run = (cmd, args, env = process.env) => execFileSync(cmd, args, { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] }).toString().trim()
run("npx", ["tsc", "-b", "tsconfig.build.json"])
const { newQueryId, Request } = await import("@katzenpost-effect/core")
const { ThinClient, ThinClientConfig } = await import("@katzenpost-effect/transport")
const Effect = await import("effect/Effect")
const Either = await import("effect/Either")
const Tracer = await import("effect/Tracer")

const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const total = Number(process.env.BENCH_REQUESTS ?? 16000)
const runDir = run("mktemp", ["-d", "/tmp/kptrace.XXXXXX"])
const thin = run("bash", ["interop/kpclientd/start.sh", runDir], { ...process.env, KPCLIENTD_LOG_LEVEL: "ERROR" })
process.on("exit", () => {
  try {
    run("bash", ["interop/kpclientd/stop.sh", runDir])
  } catch {
    // already stopped
  }
})

const config = Either.getOrThrow(ThinClientConfig.fromToml(readFileSync(thin, "utf8"), { maxInFlight: 1 << 20 }))
const native = Effect.runSync(Effect.tracer)
const appTracer = Tracer.make({ span: (...args) => native.span(...args), context: (f) => f() })
const seed = new Uint8Array(32).fill(7)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const measure = (client, traced) =>
  Effect.gen(function*() {
    const op = Effect.flatMap(newQueryId, (query_id) => client.request(Request.NewKeypair.make({ query_id, seed }, true)))
    const callers = (n) =>
      Effect.forEach(Array.from({ length: 16 }), () => Effect.repeatN(op, n / 16 - 1), { concurrency: "unbounded", discard: true })
    const withTracer = (effect) => (traced ? Effect.withTracer(effect, appTracer) : effect)
    yield* withTracer(callers(1600))
    const cpu = process.cpuUsage()
    const t = performance.now()
    yield* withTracer(callers(total))
    const used = process.cpuUsage(cpu)
    return { cpuUsPerOp: (used.user + used.system) / total, opsPerSec: total / ((performance.now() - t) / 1000) }
  })

const results = { off: [], on: [] }
const load = [loadavg()[0]]
await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
  const client = yield* ThinClient.make(config)
  for (let round = 0; round < rounds; round++) {
    for (const mode of round % 2 === 0 ? ["off", "on"] : ["on", "off"]) results[mode].push(yield* measure(client, mode === "on"))
  }
})))
load.push(loadavg()[0])
const summary = (mode, key) => median(results[mode].map((r) => r[key]))
const row = (label, mode) => `| ${label} | ${summary(mode, "cpuUsPerOp").toFixed(1)} µs | ${summary(mode, "opsPerSec").toFixed(0)} |`
console.log(`tracing cost, ${rounds} interleaved rounds of ${total} new_keypair at 16 in flight (load ${load.map((l) => l.toFixed(1)).join(" → ")})`)
console.log("| | CPU per request | ops/s |\n|---|---|---|")
console.log(row("no tracer (metrics only)", "off"))
console.log(row("app tracer installed", "on"))
console.log(
  `ratio on/off: CPU ${(summary("on", "cpuUsPerOp") / summary("off", "cpuUsPerOp")).toFixed(2)}×, ops/s ${
    (summary("on", "opsPerSec") / summary("off", "opsPerSec")).toFixed(2)
  }×`
)
process.exit(0)
