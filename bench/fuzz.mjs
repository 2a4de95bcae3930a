// Fuzzing every decode path with mutated golden frames (issue 12): the Go vectors' requests,
// responses and PKI documents, mutated (bit flips, byte changes, insertions, deletions,
// truncations, splices, corrupted length prefixes) and fed to the frame decoder,
// Codec.decodeResponse / decodeRequest / peekQueryId, the envelope fast path and
// PkiDocument.decode. Nothing may throw: every bad input is a typed Left. Reports the count
// of throws per path (must be 0; exit code 1 otherwise).
//
//   npm run bench:fuzz            (FUZZ_ITERATIONS, default 100000 mutated frames; FUZZ_SEED)
import { existsSync, readFileSync } from "node:fs"

const dist = (path) => new URL(`../packages/core/dist/${path}`, import.meta.url)
if (!existsSync(dist("index.js"))) {
  console.error("packages/core is not built: run `npm run bench:fuzz` (it builds first)")
  process.exit(1)
}
const { Codec, Frame, PkiDocument } = await import(dist("index.js").href)
const { decodeEnvelope } = await import(dist("internal/cbor.js").href)

const iterations = Number(process.env.FUZZ_ITERATIONS ?? 100000)
let seed = Number(process.env.FUZZ_SEED ?? 12)
// xorshift32: reproducible from FUZZ_SEED.
const random = () => {
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return (seed >>> 0) / 0x1_0000_0000
}
const int = (n) => Math.floor(random() * n)

const vectors = (file) => JSON.parse(readFileSync(new URL(`../packages/core/test/vectors/go/${file}`, import.meta.url), "utf8"))
const hexes = [
  ...vectors("requests.json").map((v) => v.hex),
  ...vectors("responses.json").map((v) => v.hex)
]
const pki = vectors("pki.json")
for (const key of ["canonical_hex", "default_hex"]) if (typeof pki[key] === "string") hexes.push(pki[key])
const golden = hexes.map((h) => Uint8Array.from(Buffer.from(h, "hex")))

const mutate = (bytes) => {
  const out = Array.from(bytes)
  const rounds = 1 + int(4)
  for (let r = 0; r < rounds; r++) {
    const at = out.length === 0 ? 0 : int(out.length)
    switch (int(8)) {
      case 0:
        if (out.length) out[at] ^= 1 << int(8)
        break
      case 1:
        if (out.length) out[at] = int(256)
        break
      case 2:
        out.splice(at, 0, int(256))
        break
      case 3:
        out.splice(at, 1 + int(4))
        break
      case 4:
        out.length = at
        break
      case 5: {
        const other = golden[int(golden.length)]
        const from = int(other.length)
        out.splice(at, 0, ...other.subarray(from, from + 1 + int(32)))
        break
      }
      case 6:
        if (out.length) out[at] = [0x1b, 0x5b, 0x7f, 0x9f, 0xbf, 0xc0, 0xd9, 0xf7, 0xff, 0xfb][int(10)]
        break
      default: {
        const n = 1 + int(8)
        for (let i = 0; i < n; i++) out.splice(at, 0, out[at] ?? 0)
      }
    }
  }
  return Uint8Array.from(out)
}

const paths = {
  "Frame decoder": (body) => {
    const decoder = Frame.makeDecoder({ maxLength: 1 << 20 })
    // The body with a (possibly corrupted) length prefix, pushed in random chunks.
    const prefix = Frame.lengthPrefix(random() < 0.8 ? body.length : int(1 << 22))
    const stream = new Uint8Array(prefix.length + body.length)
    stream.set(prefix)
    stream.set(body, prefix.length)
    for (let i = 0; i < stream.length;) {
      const n = 1 + int(64)
      decoder.push(stream.subarray(i, i + n))
      i += n
    }
    decoder.end()
  },
  "Codec.decodeResponse": (body) => Codec.decodeResponse(body),
  "Codec.decodeRequest": (body) => Codec.decodeRequest(body),
  "Codec.peekQueryId": (body) => Codec.peekQueryId(body),
  "envelope fast path": (body) => decodeEnvelope(body),
  "PkiDocument.decode": (body) => PkiDocument.decode(body)
}
const throws = Object.fromEntries(Object.keys(paths).map((p) => [p, 0]))
const examples = {}
const start = performance.now()
for (let i = 0; i < iterations; i++) {
  const body = mutate(golden[int(golden.length)])
  for (const [name, run] of Object.entries(paths)) {
    try {
      run(body)
    } catch (error) {
      throws[name]++
      examples[name] ??= { hex: Buffer.from(body).toString("hex").slice(0, 200), error: String(error).slice(0, 200) }
    }
  }
}
const seconds = (performance.now() - start) / 1000
const total = Object.values(throws).reduce((a, b) => a + b, 0)
console.log(
  `fuzz: ${iterations} mutated golden frames (${golden.length} golden) through ${Object.keys(paths).length} decode paths in ${seconds.toFixed(1)} s`
)
for (const [name, count] of Object.entries(throws)) console.log(`  ${name}: ${count} throws`)
if (total > 0) {
  console.log(JSON.stringify(examples, null, 2))
  process.exit(1)
}
console.log("fuzz: 0 throws")
