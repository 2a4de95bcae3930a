// Our clients in `npm run bench:compare`: `ThinClient.request` ("thin") or the Pigeonhole
// service with `indexes: "daemon"` ("pigeonhole"), measured inside Effect as an application
// would call them (one fiber per concurrent caller, each calling in a loop).
import { newQueryId, Request } from "@katzenpost-effect/core"
import { Pigeonhole } from "@katzenpost-effect/pigeonhole"
import { ThinClient, ThinClientConfig } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import { readFileSync } from "node:fs"
import { memorySampler, operations, params, percentile } from "./params.mjs"

const [kind, configPath] = process.argv.slice(2)
const mark = (what) => process.env.BENCH_DEBUG && console.error(what, performance.now().toFixed(0), "ms since start")
mark("modules loaded")
const config = Either.getOrThrow(
  ThinClientConfig.fromToml(readFileSync(configPath, "utf8"), {
    maxInFlight: 1 << 20,
    localConnections: Number(process.env.BENCH_LOCAL_CONNECTIONS ?? 1)
  })
)

const sequential = (op, n, warmup) =>
  Effect.gen(function*() {
    for (let i = 0; i < warmup; i++) yield* op
    const times = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const t = performance.now()
      yield* op
      times[i] = (performance.now() - t) * 1000
    }
    times.sort()
    return { p50: percentile(times, 50), p99: percentile(times, 99) }
  })

const concurrent = (op, c, total) =>
  Effect.gen(function*() {
    const per = Math.ceil(total / c)
    const cpu = process.cpuUsage()
    const t = performance.now()
    yield* Effect.forEach(Array.from({ length: c }), () => Effect.repeatN(op, per - 1), { concurrency: "unbounded", discard: true })
    const seconds = (performance.now() - t) / 1000
    const used = process.cpuUsage(cpu)
    return { opsPerSec: (per * c) / seconds, cpuUsPerOp: (used.user + used.system) / (per * c) }
  })

const inFlight = (op, n) =>
  Effect.gen(function*() {
    const sampler = memorySampler()
    yield* Effect.forEach(Array.from({ length: n }), () => op, { concurrency: "unbounded", discard: true })
    return sampler.stop(n)
  })

// What n fibers waiting on nothing cost in Effect itself (the same forEach shape): the part of
// the per-request figure that is not ours.
const fiberBaseline = (n) =>
  Effect.gen(function*() {
    globalThis.gc?.()
    const before = process.memoryUsage().heapUsed
    const resumes = []
    const wait = Effect.async((resume) => {
      resumes.push(resume)
    })
    const fiber = yield* Effect.fork(Effect.forEach(Array.from({ length: n }), () => wait, { concurrency: "unbounded", discard: true }))
    while (resumes.length < n) yield* Effect.sleep("1 millis")
    globalThis.gc?.()
    const perFiber = (process.memoryUsage().heapUsed - before) / n
    for (const resume of resumes) resume(Effect.void)
    yield* Fiber.join(fiber)
    return perFiber
  })

const seed = new Uint8Array(32).fill(7)

// The same 10,000 requests in one `requestAll` batch: one fiber for all of them.
const inFlightBatch = (client, index, n) =>
  Effect.gen(function*() {
    const sampler = memorySampler()
    const requests = []
    for (let i = 0; i < n; i++) {
      requests.push(Request.NextMessageBoxIndex.make({ query_id: yield* newQueryId, message_box_index: index }, true))
    }
    const exits = yield* client.requestAll(requests)
    const failed = exits.filter((exit) => exit._tag !== "Success").length
    if (failed > 0) throw new Error(`${failed} of the batch failed`)
    return sampler.stop(n)
  })

const thinOps = Effect.gen(function*() {
  const client = yield* ThinClient.ThinClient
  const keypair = Effect.flatMap(newQueryId, (query_id) => client.request(Request.NewKeypair.make({ query_id, seed }, true)))
  const first = yield* keypair
  const index = first.first_message_index
  return {
    batch: (n) => inFlightBatch(client, index, n),
    new_keypair: keypair,
    next_message_box_index: Effect.flatMap(
      newQueryId,
      (query_id) => client.request(Request.NextMessageBoxIndex.make({ query_id, message_box_index: index }, true))
    )
  }
})

const pigeonholeOps = Effect.gen(function*() {
  const pigeonhole = yield* Pigeonhole.Pigeonhole
  const first = yield* pigeonhole.newKeypair(seed)
  return {
    new_keypair: pigeonhole.newKeypair(seed),
    next_message_box_index: pigeonhole.nextMessageBoxIndex(first.firstIndex)
  }
})

const program = Effect.gen(function*() {
  mark("connected")
  const ops = yield* (kind === "pigeonhole" ? pigeonholeOps : thinOps)
  mark("first reply")
  const result = { client: kind, firstReplyAt: Date.now(), ops: {} }
  for (const name of operations) {
    const op = ops[name]
    const seq = yield* sequential(op, params.sequential, params.warmup)
    const throughput = {}
    let cpu
    for (const c of params.concurrency) {
      const run = yield* concurrent(op, c, params.ops)
      throughput[c] = run.opsPerSec
      if (c === 16) cpu = run.cpuUsPerOp
    }
    result.ops[name] = { p50: seq.p50, p99: seq.p99, opsPerSec: throughput, cpuUsPerOp: cpu }
  }
  result.memory = yield* inFlight(ops.next_message_box_index, params.inFlight)
  if (ops.batch !== undefined) result.memoryBatch = yield* ops.batch(params.inFlight)
  result.memory.effectFiberPerRequestB = yield* fiberBaseline(params.inFlight)
  return result
})

const client = ThinClient.layer(config)
const layer = kind === "pigeonhole" ? Pigeonhole.layer({ indexes: "daemon" }).pipe(Layer.provideMerge(client)) : client
const result = await Effect.runPromise(Effect.provide(program, layer))
console.log(JSON.stringify(result))
