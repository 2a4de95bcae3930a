import { assert, describe, it } from "@effect/vitest"
import { Codec } from "@katzenpost-effect/core"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { readFileSync, writeFileSync } from "node:fs"
import { requests, responses } from "../src/internal/wire.js"
import { requestEnvelopeV0073, responseEnvelopeNewer, responseEnvelopeV0073 } from "./support/goStructs.js"
import { fieldDiffs, wireOf } from "./support/vectorFields.js"
import { goldenVectors, type Vector } from "./support/vectorSpecs.js"

const dir = new URL("./vectors/", import.meta.url)
const read = (file: string): ReadonlyArray<Vector> => JSON.parse(readFileSync(new URL(file, dir), "utf8"))
const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")

const built = goldenVectors()
if (process.env["UPDATE_VECTORS"] === "1") {
  for (const [file, vectors] of Object.entries(built)) {
    writeFileSync(new URL(file, dir), `${JSON.stringify(vectors, null, 2)}\n`)
  }
}

describe("golden vector files", () => {
  for (const [file, vectors] of Object.entries(built)) {
    it(`${file} holds exactly the bytes the hand-written Go struct rules produce`, () => {
      assert.deepStrictEqual(read(file), JSON.parse(JSON.stringify(vectors)))
    })
  }

  it("cover every v0.0.73 request and response kind", () => {
    const requestKinds = new Set(read("requests.json").map((v) => v.kind))
    const responseKinds = new Set(read("responses.json").map((v) => v.kind))
    assert.deepStrictEqual([...requestKinds].sort(), requestEnvelopeV0073.map(([k]) => k).sort())
    assert.deepStrictEqual([...responseKinds].sort(), responseEnvelopeV0073.map(([k]) => k).sort())
  })

  it("cover every newer-only request and response kind", () => {
    const newerRequests = new Set(read("requests-newer.json").map((v) => v.kind))
    const newerResponses = new Set(read("responses-newer.json").map((v) => v.kind))
    for (const kind of requests.byKey.values()) if (!kind.v0073) assert.isTrue(newerRequests.has(kind.key), kind.key)
    for (const kind of responses.byKey.values()) if (!kind.v0073) assert.isTrue(newerResponses.has(kind.key), kind.key)
  })

  it("have v0.0.73 responses with a 19-key envelope and newer ones with 25 keys", () => {
    assert.strictEqual(responseEnvelopeV0073.length, 19)
    assert.strictEqual(responseEnvelopeNewer.length, 25)
    for (const v of read("responses.json")) assert.isTrue(v.hex.startsWith("b3"), v.name)
    for (const v of read("responses-newer.json")) assert.isTrue(v.hex.startsWith("b819"), v.name)
  })
})

const requestMessage = (v: Vector) => {
  const kind = requests.byKey.get(v.kind)!
  return Schema.decodeUnknownSync(kind.schema)({ ...wireOf(v.fields as Record<string, unknown>), _tag: kind.tag })
}
const responseMessage = (v: Vector) => {
  const kind = responses.byKey.get(v.kind)!
  return Schema.decodeUnknownSync(kind.schema)({ ...wireOf(v.fields as Record<string, unknown>), _tag: kind.tag })
}

describe.each(["requests.json", "requests-newer.json"])("Codec and %s", (file) => {
  for (const v of read(file)) {
    it(`encodes ${v.name} to exactly the vector bytes`, () => {
      const encoded = Codec.encodeRequest(requestMessage(v))
      assert.strictEqual(hexOf(Either.getOrThrow(encoded)), v.hex)
    })
    it(`decodes ${v.name} to the vector fields`, () => {
      const decoded = Either.getOrThrow(Codec.decodeRequest(Buffer.from(v.hex, "hex")))
      assert.strictEqual(decoded._tag, requests.byKey.get(v.kind)!.tag)
      assert.deepStrictEqual(fieldDiffs(v.fields as Record<string, unknown>, decoded), [])
    })
  }
})

describe.each(
  [
    ["responses.json", "v0.0.73"],
    ["responses-newer.json", "newer"]
  ] as const
)("Codec and %s", (file, layout) => {
  for (const v of read(file)) {
    it(`encodes ${v.name} to exactly the vector bytes (${layout} layout)`, () => {
      const encoded = Codec.encodeResponse(responseMessage(v) as never, layout)
      assert.strictEqual(hexOf(Either.getOrThrow(encoded)), v.hex)
    })
    it(`decodes ${v.name} to the vector fields`, () => {
      const decoded = Either.getOrThrow(Codec.decodeResponse(Buffer.from(v.hex, "hex")))
      assert.strictEqual(decoded._tag, responses.byKey.get(v.kind)!.tag)
      assert.deepStrictEqual(fieldDiffs(v.fields as Record<string, unknown>, decoded), [])
    })
  }
})
