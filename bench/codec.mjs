// Measures cbor2, cbor-x and cborg on the thin protocol's real messages, against a plain
// 10 MiB copy as the floor. Run with `npm run bench` (builds packages/core first).
// Plain JS on purpose: no TypeScript runner needed, imports the built core from dist.
import { Decoder as CborXDecoder, Encoder as CborXEncoder } from "cbor-x"
import * as cbor2 from "cbor2"
import * as cborg from "cborg"
import { existsSync } from "node:fs"
import os from "node:os"
import { performance } from "node:perf_hooks"

const coreEntry = new URL("../packages/core/dist/index.js", import.meta.url)
if (!existsSync(coreEntry)) {
  console.error("packages/core is not built: run `npx tsc -b packages/core` (npm run bench does this)")
  process.exit(1)
}
const { Codec, QueryId } = await import(coreEntry.href)
const Either = await import("effect/Either")

// ---------------------------------------------------------------------------- libraries
// Each library set up to write what Go writes: maps in insertion order, byte strings as
// plain byte strings (major type 2), no tags, no records; and to read maps into objects.
const cborxEncoder = new CborXEncoder({ useRecords: false, tagUint8Array: false, variableMapSize: true, mapsAsObjects: true })
const cborxDecoder = new CborXDecoder({ useRecords: false, mapsAsObjects: true })
const keepOrder = () => 0
const libraries = {
  cbor2: {
    encode: (v) => cbor2.encode(v),
    decode: (b) => cbor2.decode(b)
  },
  "cbor-x": {
    encode: (v) => cborxEncoder.encode(v),
    decode: (b) => cborxDecoder.decode(b)
  },
  cborg: {
    encode: (v) => cborg.encode(v, { mapSorter: keepOrder, float64: false }),
    decode: (b) => cborg.decode(b, { useMaps: false, allowIndefinite: false, allowUndefined: false, rejectDuplicateMapKeys: false })
  }
}

// ---------------------------------------------------------------------------- messages
const seq = (n, start = 0) => Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff)
const MiB = 1024 * 1024
const responseKeys = [
  "session_token_reply",
  "shutdown_event",
  "connection_status_event",
  "new_pki_document_event",
  "message_sent_event",
  "message_reply_event",
  "message_id_garbage_collected",
  "new_keypair_reply",
  "encrypt_read_reply",
  "encrypt_write_reply",
  "start_resending_encrypted_message_reply",
  "cancel_resending_encrypted_message_reply",
  "start_resending_copy_command_reply",
  "cancel_resending_copy_command_reply",
  "next_message_box_index_reply",
  "get_message_box_index_counter_reply",
  "create_courier_envelopes_from_payload_reply",
  "create_courier_envelopes_from_multi_payload_reply",
  "create_courier_envelopes_from_tombstone_range_reply"
]
const envelope = (key, body) => Object.fromEntries(responseKeys.map((k) => [k, k === key ? body : null]))

const smallRequest = { new_keypair: { query_id: seq(16), seed: seq(32, 0xe0) } }
const typicalReply = envelope("start_resending_encrypted_message_reply", {
  query_id: seq(16),
  plaintext: seq(100, 7),
  error_code: 0,
  courier_identity_hash: seq(32, 0x80),
  courier_queue_id: new TextEncoder().encode("courier")
})
const bigPayload = seq(10 * MiB, 3)
const bigRequest = {
  create_courier_envelopes_from_payload: {
    query_id: seq(16),
    payload: bigPayload,
    dest_write_cap: seq(168, 1),
    dest_start_index: seq(104, 0x41),
    is_start: true,
    is_last: true
  }
}
const bigReply = envelope("create_courier_envelopes_from_payload_reply", {
  query_id: seq(16),
  envelopes: [bigPayload],
  next_dest_index: seq(104, 0x61),
  error_code: 0
})

// ---------------------------------------------------------------------------- checks
const hex = (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex")
const reference = {
  smallRequest: cborg.encode(smallRequest, { mapSorter: keepOrder }),
  typicalReply: cborg.encode(typicalReply, { mapSorter: keepOrder })
}
// Our codec must produce the same bytes as the raw cborg path (it adds schema validation).
const viaCodec = Either.getOrThrow(Codec.encodeRequest({ _tag: "NewKeypair", query_id: QueryId.make(seq(16)), seed: seq(32, 0xe0) }))
if (hex(viaCodec) !== hex(reference.smallRequest)) throw new Error("Codec and raw cborg disagree on new_keypair")

const sameBytes = {}
for (const [name, lib] of Object.entries(libraries)) {
  sameBytes[name] = ["smallRequest", "typicalReply"].every((m) =>
    hex(lib.encode(m === "smallRequest" ? smallRequest : typicalReply)) === hex(reference[m])
  )
  const back = lib.decode(reference.typicalReply)
  const pt = back.start_resending_encrypted_message_reply.plaintext
  sameBytes[name] = sameBytes[name] && pt instanceof Uint8Array && hex(pt) === hex(seq(100, 7))
}
const strictness = {}
const probe = (lib, hexInput) => {
  try {
    const v = lib.decode(Buffer.from(hexInput, "hex"))
    return v instanceof Date ? "Date" : v === undefined ? "undefined" : v?.constructor?.name ?? typeof v
  } catch {
    return "refused"
  }
}
for (const [name, lib] of Object.entries(libraries)) {
  strictness[name] = {
    "tag 1 (epoch time)": probe(lib, "c11a00000001"),
    "integer map key": probe(lib, "a10102"),
    "byte string": probe(lib, "43010203")
  }
}

// ---------------------------------------------------------------------------- timing
const gc = globalThis.gc ?? (() => {})
/**
 * Median time per operation in µs: each round runs enough calls to last about 50 ms
 * (at least 3), and the median of the rounds is reported, which shrugs off a noisy neighbour.
 */
const time = (fn, rounds = 11) => {
  const warm = performance.now()
  let calls = 0
  while (performance.now() - warm < 300 || calls < 3) {
    fn()
    calls++
  }
  const perCall = (performance.now() - warm) / calls
  const iterations = Math.max(3, Math.round(50 / perCall))
  const samples = []
  for (let r = 0; r < rounds; r++) {
    gc()
    const start = performance.now()
    for (let i = 0; i < iterations; i++) fn()
    samples.push(((performance.now() - start) * 1000) / iterations)
  }
  samples.sort((a, b) => a - b)
  return samples[Math.floor(samples.length / 2)]
}

const encodedBig = {}
for (const [name, lib] of Object.entries(libraries)) encodedBig[name] = { request: lib.encode(bigRequest), reply: lib.encode(bigReply) }

const floor = time(() => bigPayload.slice())
const rows = []
const small = (label, f) =>
  rows.push({ label, kind: "small", results: Object.fromEntries(Object.entries(libraries).map(([n, lib]) => [n, time(() => f(lib, n))])) })
const large = (label, f) =>
  rows.push({ label, kind: "large", results: Object.fromEntries(Object.entries(libraries).map(([n, lib]) => [n, time(() => f(lib, n))])) })

small("encode small request (new_keypair, 2 fields)", (lib) => lib.encode(smallRequest))
small("decode typical reply (19 keys, all null but one)", (lib) => lib.decode(reference.typicalReply))
large("encode 10 MiB payload request", (lib) => lib.encode(bigRequest))
large("decode 10 MiB payload request", (lib, n) => lib.decode(encodedBig[n].request))
large("encode 10 MiB payload reply (19-key envelope)", (lib) => lib.encode(bigReply))
large("decode 10 MiB payload reply (19-key envelope)", (lib, n) => lib.decode(encodedBig[n].reply))

// Our full codec (schema validation and branding included), on the same messages.
const typicalBody = Either.getOrThrow(Codec.encodeResponse(Either.getOrThrow(Codec.decodeResponse(reference.typicalReply))))
const codecRows = {
  "Codec.encodeRequest small request": time(() => Codec.encodeRequest({ _tag: "NewKeypair", query_id: QueryId.make(seq(16)), seed: seq(32, 0xe0) })),
  "Codec.decodeResponse typical reply": time(() => Codec.decodeResponse(typicalBody))
}

// ---------------------------------------------------------------------------- report
const fmt = (us) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(2)} µs`)
const names = Object.keys(libraries)
console.log(`# codec bench — node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"} ×${os.cpus().length}, ${new Date().toISOString().slice(0, 10)}`)
console.log(`floor: plain copy of 10 MiB = ${fmt(floor)}\n`)
console.log(`| message | ${names.join(" | ")} |`)
console.log(`|---|${names.map(() => "---").join("|")}|`)
for (const row of rows) {
  const best = Math.min(...Object.values(row.results))
  const cell = (n) => {
    const us = row.results[n]
    return row.kind === "large" ? `${fmt(us)} (${(us / floor).toFixed(1)}× copy)` : `${fmt(us)} (${(us / best).toFixed(1)}× best)`
  }
  console.log(`| ${row.label} | ${names.map(cell).join(" | ")} |`)
}
console.log(`\nour Codec (cborg + Schema validation): ${Object.entries(codecRows).map(([k, v]) => `${k} ${fmt(v)}`).join("; ")}`)
console.log(
  `\nsame bytes as Go's layout for both small messages, byte strings decoded as Uint8Array: ${
    names.map((n) => `${n} ${sameBytes[n] ? "yes" : "NO"}`).join(", ")
  }`
)
console.log("\nstrictness (what decoding yields):")
for (const n of names) console.log(`  ${n}: ${Object.entries(strictness[n]).map(([k, v]) => `${k} → ${v}`).join("; ")}`)
