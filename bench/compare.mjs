// `npm run bench:compare` (issue 10): our ThinClient and Pigeonhole against the Go and Python
// thin clients and a raw Node floor, all on one real kpclientd v0.0.73 running offline on a
// unix socket. Rounds are interleaved (every client once per round, in a rotating order),
// each client in a fresh process; medians and spread across rounds; the load average is
// recorded. Writes build/bench-compare.json and the table into docs/performance.md.
//
// Environment: BENCH_ROUNDS (5), and the workload variables of bench/compare/params.mjs.
import { execFileSync, spawn } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { homedir, loadavg } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const build = join(root, "build")
mkdirSync(build, { recursive: true })
const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const log = (...args) => console.error("bench:compare:", ...args)
const run = (cmd, args, options = {}) => execFileSync(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"], ...options }).toString()

// --- the clients
log("building the packages, the Go bench program and the TS worker bundle")
run("npx", ["tsc", "-b", "tsconfig.build.json"])
run("bash", ["interop/go/go.sh", "build", "-o", join(build, "go-bench"), "./cmd/bench"])
// The TS worker as an application ships it: one bundled file (module load is most of the start).
let tsWorker = join(root, "bench/compare/ts.mjs")
try {
  run("npx", [
    "esbuild",
    tsWorker,
    "--bundle",
    "--minify",
    "--platform=node",
    "--format=esm",
    // The WebSocket dial's library (ws) is CommonJS and requires Node built-ins.
    "--banner:js=import { createRequire as __createRequire } from \"node:module\"; const require = __createRequire(import.meta.url);",
    "--log-level=warning",
    `--outfile=${join(build, "ts-worker.mjs")}`
  ])
  tsWorker = join(build, "ts-worker.mjs")
} catch {
  log("esbuild not available: the TS worker runs unbundled (spawn → first reply will be slower)")
}
const venv = join(homedir(), ".cache/katzenpost-effect/py-thinclient-0.0.25")
if (!existsSync(join(venv, "bin/python"))) {
  log("creating the Python venv with katzenpost-thinclient==0.0.25")
  run("python3", ["-m", "venv", venv])
  run(join(venv, "bin/pip"), ["install", "-q", "katzenpost-thinclient==0.0.25"])
}
const clients = {
  floor: (config) => ["node", ["--expose-gc", join(root, "bench/compare/floor.mjs"), config]],
  thin: (config) => ["node", ["--expose-gc", tsWorker, "thin", config]],
  pigeonhole: (config) => ["node", ["--expose-gc", tsWorker, "pigeonhole", config]],
  go: (config) => [join(build, "go-bench"), ["-config", config]],
  python: (config) => [join(venv, "bin/python"), [join(root, "bench/compare/python_bench.py"), config]]
}

// --- the daemon (offline, ERROR logging so its log does not weigh on every request)
const runDir = run("mktemp", ["-d", "/tmp/kpbench.XXXXXX"]).trim()
const config = run("bash", ["interop/kpclientd/start.sh", runDir], { env: { ...process.env, KPCLIENTD_LOG_LEVEL: "ERROR" } }).trim()
const stop = () => {
  try {
    run("bash", ["interop/kpclientd/stop.sh", runDir])
  } catch {
    // already gone
  }
}
process.on("exit", stop)
process.on("SIGINT", () => process.exit(130))

const once = (name) =>
  new Promise((resolve, reject) => {
    const [cmd, args] = clients[name](config)
    const load = loadavg()[0]
    const spawnedAt = Date.now()
    const child = spawn(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    let err = ""
    child.stdout.on("data", (chunk) => (out += chunk))
    child.stderr.on("data", (chunk) => (err += chunk))
    child.on("exit", (code) => {
      const line = out.split("\n").reverse().find((l) => l.startsWith("{"))
      if (code !== 0 || line === undefined) return reject(new Error(`${name} exited with ${code}: ${err.slice(-2000)}`))
      const result = JSON.parse(line)
      result.spawnToFirstReplyMs = result.firstReplyAt - spawnedAt
      result.load = load
      resolve(result)
    })
  })

const names = Object.keys(clients)
const samples = Object.fromEntries(names.map((n) => [n, []]))
const loadStart = loadavg()
for (let r = 0; r < rounds; r++) {
  const order = names.map((_, i) => names[(i + r) % names.length])
  for (const name of order) {
    log(`round ${r + 1}/${rounds}: ${name} (load ${loadavg()[0].toFixed(2)})`)
    samples[name].push(await once(name))
  }
}
const loadEnd = loadavg()

// --- aggregation
const median = (xs) => {
  const s = xs.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b)
  if (s.length === 0) return null
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const spread = (xs) => {
  const s = xs.filter((x) => typeof x === "number" && Number.isFinite(x))
  return s.length === 0 ? null : [Math.min(...s), Math.max(...s)]
}
const ops = ["new_keypair", "next_message_box_index"]
const measures = {}
for (const op of ops) {
  measures[`${op}.p50Us`] = (s) => s.ops[op].p50
  measures[`${op}.p99Us`] = (s) => s.ops[op].p99
  for (const c of [1, 16, 256]) measures[`${op}.opsPerSec.c${c}`] = (s) => s.ops[op].opsPerSec[c]
  measures[`${op}.cpuUsPerOp.c16`] = (s) => s.ops[op].cpuUsPerOp
}
measures["inFlight10k.rssMiB"] = (s) => s.memory?.rssMiB
measures["inFlight10k.heapMiB"] = (s) => s.memory?.heapMiB
measures["inFlight10k.heapPerRequestB"] = (s) => s.memory?.heapPerRequestB
measures["inFlight10k.retainedMiB"] = (s) => s.memory?.retainedMiB
measures["inFlight10k.retainedPerRequestB"] = (s) => s.memory?.retainedPerRequestB
measures["inFlight10k.effectFiberPerRequestB"] = (s) => s.memory?.effectFiberPerRequestB
measures["inFlight10kBatch.rssMiB"] = (s) => s.memoryBatch?.rssMiB
measures["inFlight10kBatch.retainedMiB"] = (s) => s.memoryBatch?.retainedMiB
measures["inFlight10kBatch.retainedPerRequestB"] = (s) => s.memoryBatch?.retainedPerRequestB
measures["spawnToFirstReplyMs"] = (s) => s.spawnToFirstReplyMs
const higherIsBetter = (measure) => measure.includes("opsPerSec")

const results = {}
for (const name of names) {
  results[name] = {}
  for (const [measure, get] of Object.entries(measures)) {
    const values = samples[name].map(get)
    results[name][measure] = { median: median(values), spread: spread(values), rounds: values }
  }
}
const ratio = (a, b, measure) => {
  const x = results[a][measure].median
  const y = results[b][measure].median
  return x === null || y === null || y === 0 ? null : x / y
}
const ratios = {}
for (const ours of ["thin", "pigeonhole"]) {
  for (const other of ["go", "python", "floor"]) {
    ratios[`${ours}/${other}`] = Object.fromEntries(Object.keys(measures).map((m) => [m, ratio(ours, other, m)]))
  }
}
ratios["pigeonhole/thin"] = Object.fromEntries(Object.keys(measures).map((m) => [m, ratio("pigeonhole", "thin", m)]))

// --- targets (issue 10), from this run's medians
const targets = []
const target = (name, value, ok, why) => targets.push({ target: name, value, met: value !== null && ok(value), note: why })
for (const op of ops) {
  target(`${op}: ThinClient ops/s at 16 in flight ≥ 1.0× Go (16 clients)`, ratios["thin/go"][`${op}.opsPerSec.c16`], (v) => v >= 1.0)
  target(`${op}: ThinClient ops/s at 16 in flight ≥ 1.5× Python`, ratios["thin/python"][`${op}.opsPerSec.c16`], (v) => v >= 1.5)
  target(`${op}: sequential p50 ≤ 1.5× floor`, ratios["thin/floor"][`${op}.p50Us`], (v) => v <= 1.5)
  target(`${op}: p99 ≤ 3× floor`, ratios["thin/floor"][`${op}.p99Us`], (v) => v <= 3)
  target(`${op}: CPU per op at c=16 ≤ 40 µs`, results.thin[`${op}.cpuUsPerOp.c16`].median, (v) => v <= 40)
}
// Every measure of the two clients; not the bare Effect fiber, the bench's own control (the
// same fiber in both processes, measured to tell Effect's share from ours).
const pigeonholeWorst = Object.entries(ratios["pigeonhole/thin"])
  .filter(([m, v]) => v !== null && m !== "inFlight10k.effectFiberPerRequestB")
  .map(([m, v]) => [m, higherIsBetter(m) ? 1 / v : v])
  .sort((a, b) => b[1] - a[1])[0]
target(`Pigeonhole over ThinClient ≤ 1.15× on every measure (worst: ${pigeonholeWorst?.[0]})`, pigeonholeWorst?.[1] ?? null, (v) => v <= 1.15)
target("10,000 in flight: peak heap ≤ 50 MiB (retained, after a forced GC)", results.thin["inFlight10k.retainedMiB"].median, (v) => v <= 50)
target("10,000 in flight: ≤ 5 KB per pending request (retained)", results.thin["inFlight10k.retainedPerRequestB"].median, (v) => v <= 5120)
target(
  "10,000 in flight in one `requestAll` batch: peak heap ≤ 50 MiB (retained, after a forced GC)",
  results.thin["inFlight10kBatch.retainedMiB"].median,
  (v) => v <= 50
)
target(
  "10,000 in flight in one `requestAll` batch: ≤ 5 KB per pending request (retained)",
  results.thin["inFlight10kBatch.retainedPerRequestB"].median,
  (v) => v <= 5120
)
target("spawn → first reply ≤ 250 ms", results.thin.spawnToFirstReplyMs.median, (v) => v <= 250)

const output = {
  date: new Date().toISOString(),
  node: process.version,
  rounds,
  loadAverage: { start: loadStart, end: loadEnd, perRun: Object.fromEntries(names.map((n) => [n, samples[n].map((s) => s.load)])) },
  workload: {
    warmup: Number(process.env.BENCH_WARMUP ?? 5000),
    sequential: Number(process.env.BENCH_SEQUENTIAL ?? 5000),
    opsPerConcurrencyRun: Number(process.env.BENCH_OPS ?? 20000),
    inFlight: Number(process.env.BENCH_IN_FLIGHT ?? 10000),
    tsWorker: tsWorker.endsWith("ts-worker.mjs") ? "bundled with esbuild" : "unbundled"
  },
  notes: [
    "Go: the v0.0.73 client deadlocks with two or more calls in flight on one client, so each concurrent caller has its own client (connection and session); no 10k-in-flight run (it would need 10k clients).",
    "Python: katzenpost-thinclient 0.0.25 (no release matches v0.0.73) with a thinclient.toml holding only [Dial]; it reports peak RSS (ru_maxrss), no heap figure.",
    "kpclientd v0.0.73 answers local requests inline on each connection's reader goroutine: one connection is served by one goroutine, so a single-connection client (ours, Python, the floor) cannot use both cores of the daemon, while Go's 16 clients can."
  ],
  results,
  ratios,
  targets
}
writeFileSync(join(build, "bench-compare.json"), `${JSON.stringify(output, null, 2)}\n`)

// --- the table
const f = (v, digits = 0) => (v === null || v === undefined ? "—" : v.toFixed(digits))
const cell = (name, measure, digits = 0, unit = "") => {
  const r = results[name][measure]
  if (r.median === null) return "—"
  return `${f(r.median, digits)}${unit} (${f(r.spread[0], digits)}–${f(r.spread[1], digits)})`
}
const label = {
  floor: "raw Node socket, hand-written CBOR (the floor)",
  go: "Go thin client v0.0.73 (one client per caller)",
  python: "Python katzenpost-thinclient 0.0.25",
  thin: "ours, `ThinClient.request` (localConnections: 1)",
  pigeonhole: "ours, `Pigeonhole` (indexes: \"daemon\")"
}
const lines = []
lines.push(
  `Run ${output.date}, Node ${process.version}, ${rounds} interleaved rounds; load average ${
    loadStart.map((l) => l.toFixed(2)).join(" / ")
  } at the start, ${
    loadEnd.map((l) => l.toFixed(2)).join(" / ")
  } at the end (2 cores, shared). Medians, with the spread across rounds in parentheses.`
)
for (const op of ops) {
  lines.push("")
  lines.push(`**${op}**`)
  lines.push("")
  lines.push("| client | p50 | p99 | ops/s c=1 | ops/s c=16 | ops/s c=256 | CPU/op c=16 |")
  lines.push("|---|---|---|---|---|---|---|")
  for (const name of ["floor", "go", "python", "thin", "pigeonhole"]) {
    lines.push(
      `| ${label[name]} | ${cell(name, `${op}.p50Us`, 0, " µs")} | ${cell(name, `${op}.p99Us`, 0, " µs")} | ${cell(name, `${op}.opsPerSec.c1`)} | ${
        cell(name, `${op}.opsPerSec.c16`)
      } | ${cell(name, `${op}.opsPerSec.c256`)} | ${cell(name, `${op}.cpuUsPerOp.c16`, 1, " µs")} |`
    )
  }
}
lines.push("")
lines.push(
  "| client | RSS, 10k in flight | heap in use (peak) | heap retained (peak, after GC) | retained per pending request | spawn → first reply |"
)
lines.push("|---|---|---|---|---|---|")
for (const name of ["floor", "go", "python", "thin", "pigeonhole"]) {
  lines.push(
    `| ${label[name]} | ${cell(name, "inFlight10k.rssMiB", 0, " MiB")} | ${cell(name, "inFlight10k.heapMiB", 0, " MiB")} | ${
      cell(name, "inFlight10k.retainedMiB", 0, " MiB")
    } | ${cell(name, "inFlight10k.retainedPerRequestB", 0, " B")} | ${cell(name, "spawnToFirstReplyMs", 0, " ms")} |`
  )
}
lines.push("")
lines.push(
  `The same 10,000 requests from one fiber, in one \`ThinClient.requestAll\` batch: RSS ${
    cell("thin", "inFlight10kBatch.rssMiB", 0, " MiB")
  }, heap retained ${cell("thin", "inFlight10kBatch.retainedMiB", 0, " MiB")}, ${
    cell("thin", "inFlight10kBatch.retainedPerRequestB", 0, " B")
  } per pending request.`
)
lines.push("")
lines.push(
  `Of our retained bytes per pending request, a bare Effect fiber waiting in the same \`forEach\` (measured in the same process) accounts for ${
    f(results.thin["inFlight10k.effectFiberPerRequestB"].median)
  } B.`
)
lines.push("")
lines.push("| target (issue 10) | this run | met |")
lines.push("|---|---|---|")
for (const t of targets) lines.push(`| ${t.target} | ${f(t.value, 2)} | ${t.met ? "yes" : "**no**"} |`)
const table = lines.join("\n")
console.log(table)

const docs = join(root, "docs/performance.md")
const begin = "<!-- bench:compare begin -->"
const end = "<!-- bench:compare end -->"
const text = readFileSync(docs, "utf8")
const block = `${begin}\n${table}\n${end}`
writeFileSync(docs, text.includes(begin) ? text.replace(new RegExp(`${begin}[\\s\\S]*${end}`), block) : `${text}\n${block}\n`)
log(`wrote build/bench-compare.json and docs/performance.md`)
