// Workload shared by every client of `npm run bench:compare` (the Go and Python programs read
// the same environment variables): operations, counts, concurrency levels.
export const params = {
  warmup: Number(process.env.BENCH_WARMUP ?? 5000),
  sequential: Number(process.env.BENCH_SEQUENTIAL ?? 5000),
  ops: Number(process.env.BENCH_OPS ?? 20000),
  concurrency: (process.env.BENCH_CONCURRENCY ?? "1,16,256").split(",").map(Number),
  inFlight: Number(process.env.BENCH_IN_FLIGHT ?? 10000)
}
export const operations = ["new_keypair", "next_message_box_index"]

/** p-th percentile (0..100) of a sorted array. */
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]

/** Runs `op` sequentially: warm-up, then `n` timed calls; p50/p99 in µs. */
export const sequential = async (op, n, warmup) => {
  for (let i = 0; i < warmup; i++) await op()
  const times = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await op()
    times[i] = (performance.now() - t) * 1000
  }
  times.sort()
  return { p50: percentile(times, 50), p99: percentile(times, 99) }
}

/** `total` calls spread over `c` callers each calling in a loop; ops/s and CPU µs per op. */
export const concurrent = async (op, c, total) => {
  const per = Math.ceil(total / c)
  const cpu = process.cpuUsage()
  const t = performance.now()
  await Promise.all(Array.from({ length: c }, async () => {
    for (let i = 0; i < per; i++) await op()
  }))
  const seconds = (performance.now() - t) / 1000
  const used = process.cpuUsage(cpu)
  return { opsPerSec: (per * c) / seconds, cpuUsPerOp: (used.user + used.system) / (per * c) }
}

/**
 * Memory with `n` calls in flight at once, sampled every millisecond while they run: peak RSS,
 * peak heap in use (garbage included), and peak heap retained (measured right after a forced
 * GC, i.e. what the pending calls really hold), per pending call against the heap before.
 */
export const memorySampler = () => {
  globalThis.gc?.()
  const before = process.memoryUsage()
  const peak = { rss: before.rss, heap: before.heapUsed, retained: before.heapUsed }
  const sample = () => {
    const m = process.memoryUsage()
    peak.rss = Math.max(peak.rss, m.rss)
    peak.heap = Math.max(peak.heap, m.heapUsed)
    if (globalThis.gc !== undefined) {
      globalThis.gc()
      peak.retained = Math.max(peak.retained, process.memoryUsage().heapUsed)
    }
  }
  const timer = setInterval(sample, 1)
  const mib = (b) => b / 1048576
  return {
    sample,
    stop: (n) => {
      clearInterval(timer)
      return {
        rssMiB: mib(peak.rss),
        heapMiB: mib(peak.heap),
        retainedMiB: mib(peak.retained),
        retainedPerRequestB: (peak.retained - before.heapUsed) / n,
        heapPerRequestB: (peak.heap - before.heapUsed) / n
      }
    }
  }
}

export const inFlight = async (op, n) => {
  const sampler = memorySampler()
  const all = Array.from({ length: n }, () => op())
  sampler.sample()
  await Promise.all(all)
  return sampler.stop(n)
}
