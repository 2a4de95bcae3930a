// Request round trips through the ThinClient against the fake daemon (in memory and over a
// unix socket), sequential and pipelined, with heap growth after many requests; reported as
// ratios against the pure codec work of the same round trip (encode request, decode it,
// encode reply, decode it) measured in the same run. Run with `npm run bench:roundtrip`.
import { existsSync } from "node:fs"
import { performance } from "node:perf_hooks"

const dist = (name) => new URL(`../packages/${name}/dist/index.js`, import.meta.url)
for (const name of ["core", "transport", "testing"]) {
  if (!existsSync(dist(name))) {
    console.error(`packages/${name} is not built: run \`npm run build\` (npm run bench:roundtrip does this)`)
    process.exit(1)
  }
}
const { Codec, newQueryId, Bacap, MessageBoxIndex } = await import(dist("core").href)
const { ThinClient } = await import(dist("transport").href)
const { PigeonholeEngine } = await import(dist("testing").href)
const { Effect, Either, Layer } = await import("effect")

const N = 5000
const index = new MessageBoxIndex(Uint8Array.from({ length: 104 }, (_, i) => i))
const request = (queryId) => ({ _tag: "NextMessageBoxIndex", query_id: queryId, message_box_index: index })

// Baseline: the work one round trip needs anyway, without I/O or fibers: the client's encode
// and decode, and the daemon side's decode, BACAP step and Go-style reply encode.
const baseline = () => {
  const queryId = Effect.runSync(newQueryId)
  const body = Either.getOrThrow(Codec.encodeRequest(request(queryId)))
  Either.getOrThrow(Codec.decodeRequest(body))
  const reply = Either.getOrThrow(Codec.encodeResponse({
    _tag: "NextMessageBoxIndexReply",
    query_id: queryId,
    next_message_box_index: Either.getOrThrow(Bacap.nextIndex(index)),
    error_code: 0
  }))
  Either.getOrThrow(Codec.decodeResponse(reply))
}
for (let i = 0; i < 500; i++) baseline()
let t = performance.now()
for (let i = 0; i < N; i++) baseline()
const baselineUs = ((performance.now() - t) * 1000) / N

const measure = (layer) =>
  Effect.runPromise(
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const one = Effect.flatMap(newQueryId, (id) => client.request(request(id)))
      yield* Effect.repeatN(one, 200)
      global.gc?.()
      const heapBefore = process.memoryUsage().heapUsed
      let start = performance.now()
      yield* Effect.repeatN(one, N - 1)
      const sequentialUs = ((performance.now() - start) * 1000) / N
      start = performance.now()
      yield* Effect.forEach(Array.from({ length: N }), () => one, { concurrency: 64, discard: true })
      const pipelinedUs = ((performance.now() - start) * 1000) / N
      global.gc?.()
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore
      return { sequentialUs, pipelinedUs, heapGrowth }
    }).pipe(Effect.provide(layer))
  )

const inMemory = await measure(PigeonholeEngine.layerClientInMemory().pipe(Layer.orDie))
const overSocket = await measure(PigeonholeEngine.layerClient().pipe(Layer.orDie))

const row = (name, us) => `| ${name} | ${us.toFixed(1)} µs | ${(us / baselineUs).toFixed(1)}× |`
console.log(`Round trips of next_message_box_index (${N} each; baseline = codec + BACAP work of one round trip, ${baselineUs.toFixed(1)} µs)\n`)
console.log("| path | per request | vs baseline |\n|---|---|---|")
console.log(row("in memory, sequential", inMemory.sequentialUs))
console.log(row("in memory, 64 in flight", inMemory.pipelinedUs))
console.log(row("unix socket, sequential", overSocket.sequentialUs))
console.log(row("unix socket, 64 in flight", overSocket.pipelinedUs))
const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`
console.log(
  `\nheap growth over ${2 * N} requests: in memory ${kib(inMemory.heapGrowth)}, unix socket ${kib(overSocket.heapGrowth)}` +
    ` (${(overSocket.heapGrowth / (2 * N)).toFixed(0)} B per request; the fake daemon keeps every request it received for tests, which is most of it)`
)
