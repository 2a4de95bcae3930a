/**
 * Vectors produced by the Go reference (interop/go, katzenpost v0.0.73 + hpqc v0.0.78):
 * our decoder must read every Go message field by field, our response encoder must
 * reproduce the daemon's bytes, and BACAP arithmetic must match hpqc. Also writes the SDK's
 * request encodings to vectors/ts/requests.json for the Go checker.
 */
import { assert, describe, it } from "@effect/vitest"
import { Bacap, Codec, MessageBoxIndex, PkiDocument, WriteCap } from "@katzenpost-effect/core"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { requests } from "../src/internal/wire.js"
import { fieldDiffs, wireOf } from "./support/vectorFields.js"
import type { Vector } from "./support/vectorSpecs.js"

const dir = new URL("./vectors/", import.meta.url)
const readJson = <A>(path: string): A => JSON.parse(readFileSync(new URL(path, dir), "utf8"))
const fromHex = (hex: string) => new Uint8Array(Buffer.from(hex, "hex"))
const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")
const haveGo = existsSync(new URL("go/responses.json", dir))

interface GoVector {
  readonly name: string
  readonly go_type: string
  readonly hex: string
  readonly fields: Record<string, Record<string, unknown>>
}

const member = (v: GoVector): [string, Record<string, unknown>] => {
  const entries = Object.entries(v.fields)
  assert.strictEqual(entries.length, 1, `${v.name}: one envelope member`)
  return entries[0]!
}

describe.runIf(haveGo)("Go response vectors", () => {
  const vectors = haveGo ? readJson<ReadonlyArray<GoVector>>("go/responses.json") : []
  it("cover every v0.0.73 response kind", () => {
    assert.strictEqual(new Set(vectors.map((v) => member(v)[0])).size, 19)
  })
  for (const v of vectors) {
    it(`decodes ${v.name} field by field`, () => {
      const [key, fields] = member(v)
      const decoded = Either.getOrThrow(Codec.decodeResponse(fromHex(v.hex)))
      assert.notStrictEqual(decoded._tag, "UnknownResponse", key)
      assert.deepStrictEqual(fieldDiffs(fields, decoded), [])
    })
    it(`re-encodes ${v.name} to the daemon's exact bytes`, () => {
      const decoded = Either.getOrThrow(Codec.decodeResponse(fromHex(v.hex)))
      if (decoded._tag === "UnknownResponse") return assert.fail("unknown response")
      assert.strictEqual(hexOf(Either.getOrThrow(Codec.encodeResponse(decoded, "v0.0.73"))), v.hex)
    })
  }
})

describe.runIf(haveGo)("Go request vectors (the Go client's full 15-key envelope)", () => {
  const vectors = haveGo ? readJson<ReadonlyArray<GoVector>>("go/requests.json") : []
  it("cover every v0.0.73 request kind", () => {
    assert.strictEqual(new Set(vectors.map((v) => member(v)[0])).size, 15)
  })
  for (const v of vectors) {
    it(`decodes ${v.name} field by field`, () => {
      const [key, fields] = member(v)
      const decoded = Either.getOrThrow(Codec.decodeRequest(fromHex(v.hex)))
      assert.strictEqual(decoded._tag, requests.byKey.get(key)!.tag)
      assert.deepStrictEqual(fieldDiffs(fields, decoded), [])
    })
  }
})

interface GoIndex {
  readonly idx64: number | string
  readonly hex: string
}
interface GoBacap {
  readonly name: string
  readonly seed: string
  readonly write_cap: string
  readonly read_cap: string
  readonly first_message_index: GoIndex
  readonly write_cap_hash: string
  readonly next_indexes: ReadonlyArray<GoIndex>
  readonly advance_by_1000: GoIndex
}

const bacapFiles: ReadonlyArray<{ readonly file: string; readonly generation: Bacap.Generation; readonly seeds: number }> = [
  { file: "go/bacap.json", generation: "hpqc-v0.0.78", seeds: 4 },
  { file: "go/bacap-hpqc-v0.0.86.json", generation: "hpqc-v0.0.86", seeds: 8 }
]

for (const { file, generation, seeds } of bacapFiles) {
  describe.runIf(existsSync(new URL(file, dir)))(`Go BACAP vectors (${generation})`, () => {
    const { vectors } = readJson<{ vectors: ReadonlyArray<GoBacap> }>(file)
    const other = Bacap.GENERATIONS.find((g) => g !== generation)!
    it(`hold the ${seeds} seeds of the Go fixtures`, () => {
      assert.strictEqual(vectors.length, seeds)
    })
    it(`the other generation (${other}) derives a different first index for every seed`, () => {
      for (const v of vectors) {
        assert.notStrictEqual(hexOf(Either.getOrThrow(Bacap.newKeypair(fromHex(v.seed), other)).firstIndex.bytes), v.first_message_index.hex, v.name)
      }
    })
    for (const v of vectors) {
      const writeCap = new WriteCap(fromHex(v.write_cap))
      const first = new MessageBoxIndex(fromHex(v.first_message_index.hex))
      it(`${v.name}: ReadCap, first index and WriteCap hash come out of the WriteCap`, () => {
        assert.strictEqual(hexOf(Bacap.readCapOf(writeCap).bytes), v.read_cap)
        assert.strictEqual(hexOf(Bacap.firstIndex(writeCap).bytes), v.first_message_index.hex)
        assert.strictEqual(hexOf(Bacap.writeCapHash(writeCap)), v.write_cap_hash)
        assert.strictEqual(Bacap.counter(first), BigInt(v.first_message_index.idx64))
      })
      it(`${v.name}: newKeypair(seed, "${generation}") derives the daemon's WriteCap, ReadCap and first index`, () => {
        const keypair = Either.getOrThrow(Bacap.newKeypair(fromHex(v.seed), generation))
        assert.strictEqual(hexOf(keypair.writeCap.bytes), v.write_cap)
        assert.strictEqual(hexOf(keypair.readCap.bytes), v.read_cap)
        assert.strictEqual(hexOf(keypair.firstIndex.bytes), v.first_message_index.hex)
        assert.strictEqual(Bacap.counter(keypair.firstIndex), BigInt(v.first_message_index.idx64))
      })
      it(`${v.name}: the nextIndex chain matches hpqc step by step`, () => {
        let index = first
        for (const [i, expected] of v.next_indexes.entries()) {
          index = Either.getOrThrow(Bacap.nextIndex(index))
          assert.strictEqual(hexOf(index.bytes), expected.hex, `step ${i + 1}`)
          assert.strictEqual(Bacap.counter(index), BigInt(expected.idx64), `counter at step ${i + 1}`)
        }
      })
      it(`${v.name}: advancing by 1000 matches hpqc`, () => {
        const target = BigInt(v.advance_by_1000.idx64)
        assert.strictEqual(target - Bacap.counter(first), 1000n)
        assert.strictEqual(hexOf(Either.getOrThrow(Bacap.advanceTo(first, target)).bytes), v.advance_by_1000.hex)
      })
    }
  })
}

interface GoService {
  readonly capability: string
  readonly node_name: string
  readonly recipient_queue_id: string
  readonly identity_key: string
  readonly destination_id_hash: string
}
interface GoPki {
  readonly canonical_hex: string
  readonly default_hex: string
  readonly fields: {
    readonly Epoch: number
    readonly GenesisEpoch: number
    readonly SendRatePerMinute: number
    readonly Mu: number
    readonly LambdaP: number
    readonly LambdaG: number
    readonly LambdaR: number
    readonly Version: string
    readonly PKISignatureScheme: string
    readonly SphinxGeometryHash: string
    readonly topology_layers: number
    readonly gateway_names: ReadonlyArray<string>
    readonly service_node_names: ReadonlyArray<string>
    readonly services: Record<string, ReadonlyArray<GoService>>
    readonly storage_replicas: ReadonlyArray<{ readonly Name: string; readonly ReplicaID: number; readonly IdentityKey: string }>
    readonly mix_descriptors: ReadonlyArray<{ readonly hex: string; readonly fields: { readonly Name: string; readonly IdentityKey: string } }>
  }
}

describe.runIf(existsSync(new URL("go/pki.json", dir)))("Go PKI document vectors", () => {
  const pki = readJson<GoPki>("go/pki.json")
  const f = pki.fields
  for (
    const [encoding, hex] of [
      ["canonical (handshake)", pki.canonical_hex],
      ["default (later broadcasts)", pki.default_hex]
    ] as const
  ) {
    it(`decodes the ${encoding} encoding to the same document`, () => {
      const doc = Either.getOrThrow(PkiDocument.decode(fromHex(hex)))
      assert.strictEqual(doc.Epoch, f.Epoch)
      assert.strictEqual(doc.GenesisEpoch, f.GenesisEpoch)
      assert.strictEqual(doc.SendRatePerMinute, f.SendRatePerMinute)
      assert.strictEqual(doc.Mu, f.Mu)
      assert.strictEqual(doc.LambdaP, f.LambdaP)
      assert.strictEqual(doc.LambdaG, f.LambdaG)
      assert.strictEqual(doc.LambdaR, f.LambdaR)
      assert.strictEqual(doc.Version, f.Version)
      assert.strictEqual(doc.PKISignatureScheme, f.PKISignatureScheme)
      assert.strictEqual(hexOf(doc.SphinxGeometryHash!), f.SphinxGeometryHash)
      assert.strictEqual(doc.Topology?.length, f.topology_layers)
      assert.deepStrictEqual(doc.GatewayNodes?.map((n) => n.Name), f.gateway_names)
      assert.deepStrictEqual(doc.ServiceNodes?.map((n) => n.Name), f.service_node_names)
      assert.deepStrictEqual(
        doc.StorageReplicas?.map((r) => [r.Name, r.ReplicaID, hexOf(r.IdentityKey!)]),
        f.storage_replicas.map((r) => [r.Name, r.ReplicaID, r.IdentityKey])
      )
      for (const [capability, expected] of Object.entries(f.services)) {
        const found = PkiDocument.findServices(doc, capability)
        assert.deepStrictEqual(
          found.map((s) => ({
            capability: s.capability,
            node_name: s.node.Name,
            recipient_queue_id: hexOf(s.recipientQueueId),
            identity_key: hexOf(s.node.IdentityKey!),
            destination_id_hash: hexOf(s.destinationIdHash)
          })),
          expected.map((s) => ({
            capability: s.capability,
            node_name: s.node_name,
            recipient_queue_id: s.recipient_queue_id,
            identity_key: s.identity_key,
            destination_id_hash: s.destination_id_hash
          }))
        )
      }
    })
  }
  it("re-encodes the document to the daemon's canonical handshake blob, byte for byte", () => {
    const doc = Either.getOrThrow(PkiDocument.decode(fromHex(pki.canonical_hex)))
    assert.strictEqual(hexOf(Either.getOrThrow(PkiDocument.encode(doc))), pki.canonical_hex)
  })
  it("decodes each MixDescriptor byte string on its own", () => {
    for (const d of f.mix_descriptors) {
      const descriptor = Schema.decodeUnknownSync(PkiDocument.MixDescriptorFromBytes)(fromHex(d.hex))
      assert.strictEqual(descriptor.Name, d.fields.Name)
      assert.strictEqual(hexOf(descriptor.IdentityKey!), d.fields.IdentityKey)
    }
  })
  it("re-encodes each MixDescriptor to Go's canonical bytes", () => {
    for (const d of f.mix_descriptors) {
      const descriptor = Schema.decodeUnknownSync(PkiDocument.MixDescriptorFromBytes)(fromHex(d.hex))
      assert.strictEqual(hexOf(Schema.encodeSync(PkiDocument.MixDescriptorFromBytes)(descriptor)), d.hex, d.fields.Name)
    }
  })
})

/** The SDK's minimal request encodings, for `interop/go/cmd/check -in vectors/ts/requests.json`. */
const tsRequestVectors = () => {
  const ours = readJson<ReadonlyArray<Vector>>("requests.json").map((v) => {
    const kind = requests.byKey.get(v.kind)!
    const message = Schema.decodeUnknownSync(kind.schema)({ ...wireOf(v.fields as Record<string, unknown>), _tag: kind.tag })
    return {
      name: v.name,
      go_type: "thin.Request",
      hex: hexOf(Either.getOrThrow(Codec.encodeRequest(message as never))),
      fields: { [v.kind]: v.fields }
    }
  })
  const fromGo = haveGo
    ? readJson<ReadonlyArray<GoVector>>("go/requests.json").map((v) => {
      const decoded = Either.getOrThrow(Codec.decodeRequest(fromHex(v.hex)))
      return { name: `go/${v.name}`, go_type: "thin.Request", hex: hexOf(Either.getOrThrow(Codec.encodeRequest(decoded))), fields: v.fields }
    })
    : []
  return [...ours, ...fromGo]
}

describe("vectors/ts/requests.json (for the Go checker)", () => {
  const path = new URL("ts/requests.json", dir)
  const built = tsRequestVectors()
  if (process.env["UPDATE_VECTORS"] === "1") {
    mkdirSync(new URL("ts/", dir), { recursive: true })
    writeFileSync(path, `${JSON.stringify(built, null, 2)}\n`)
  }
  it("holds the SDK's current request encodings", () => {
    assert.deepStrictEqual(JSON.parse(readFileSync(path, "utf8")), built)
  })
})
