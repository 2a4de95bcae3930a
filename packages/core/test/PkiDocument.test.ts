import { assert, describe, it } from "@effect/vitest"
import { Codec, PkiDocument } from "@katzenpost-effect/core"
import * as Either from "effect/Either"
import { bytesOf, canonicalItem, type Item } from "./support/cborBytes.js"

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")
const seq = (start: number, length: number) => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff)
const text = (s: string): Item => ({ t: "text", s })
const bytes = (b: Uint8Array): Item => ({ t: "bytes", b })
const uint = (n: number): Item => ({ t: "uint", n: BigInt(n) })
const NULL: Item = { t: "null" }
const bool = (v: boolean): Item => ({ t: "bool", v })
const map = (entries: ReadonlyArray<readonly [string | Item, Item]>): Item => ({ t: "map", entries })

const endpoints = (services: Record<string, string | Item>): Item =>
  services === null ? NULL : map(Object.entries(services).map(([cap, ep]) => [cap, map([["endpoint", typeof ep === "string" ? text(ep) : ep]])]))

/** A MixDescriptor as the daemon sends it: a byte string holding its canonical CBOR map. */
const descriptor = (
  name: string,
  identityKey: Uint8Array,
  options: { service?: boolean; gateway?: boolean; kaetzchen?: Record<string, string | Item> } = {}
): Item =>
  bytes(
    bytesOf(
      canonicalItem(map([
        ["Name", text(name)],
        ["Epoch", uint(200000)],
        ["IdentityKey", bytes(identityKey)],
        ["LinkKey", bytes(seq(0x90, 32))],
        ["MixKeys", map([[uint(200000), bytes(seq(0xc0, 32))]])],
        ["Addresses", map([["tcp", { t: "array", items: [text("tcp://127.0.0.1:30001")] }]])],
        ["Kaetzchen", options.kaetzchen === undefined ? NULL : endpoints(options.kaetzchen)],
        [
          "KaetzchenAdvertizedData",
          options.kaetzchen?.["courier"] === undefined ? NULL : map([["courier", map([["linkPublicKey", text("70717273")]])]])
        ],
        ["IsGatewayNode", bool(options.gateway === true)],
        ["IsServiceNode", bool(options.service === true)],
        ["LoadWeight", uint(0)],
        ["AuthenticationType", text("")],
        ["Version", text("v0")]
      ]))
    )
  )

const service1 = seq(0x10, 32)
const service2 = seq(0x20, 32)
const nodes = {
  topology: { t: "array", items: [{ t: "array", items: [descriptor("mix1", seq(0x40, 32))] }] } as Item,
  // a gateway advertising echo must not be found: only service nodes count
  gateways: { t: "array", items: [descriptor("gateway1", seq(0x30, 32), { gateway: true, kaetzchen: { echo: "+echo" } })] } as Item,
  services: {
    t: "array",
    items: [
      descriptor("servicenode1", service1, { service: true, kaetzchen: { courier: "courier", echo: "+echo" } }),
      descriptor("servicenode2", service2, { service: true, kaetzchen: { echo: "+echo", testdest: "+testdest" } }),
      descriptor("odd", seq(0x50, 32), { service: true, kaetzchen: { echo: "", courier: "x".repeat(33), testdest: uint(5) } })
    ]
  } as Item
}
const replica = (id: number, identity: Uint8Array): Item =>
  map([
    ["Name", text(`replica${id}`)],
    ["ReplicaID", uint(id)],
    ["Epoch", uint(200000)],
    ["IdentityKey", bytes(identity)],
    ["LinkKey", bytes(seq(0xd0, 32))],
    ["EnvelopeKeys", map([[uint(2900), bytes(seq(0x11, 32))]])],
    ["Addresses", map([["tcp", { t: "array", items: [text("tcp://127.0.0.1:30031")] }]])]
  ])

type Width = 16 | 64
const float = (v: number, width: Width): Item => ({ t: "float", v, width })

/** The v0.0.73 document, fields in declaration order. Lambdas are chosen exact in float16. */
const v0073Fields = (width: Width): Array<readonly [string, Item]> => [
  ["Epoch", uint(200000)],
  ["GenesisEpoch", uint(199000)],
  ["SendRatePerMinute", uint(100)],
  ["Mu", float(0.5, width)],
  ["MuMaxDelay", uint(1000)],
  ["LambdaP", float(0.25, width)],
  ["LambdaPMaxDelay", uint(30000)],
  ["LambdaL", float(0.125, width)],
  ["LambdaLMaxDelay", uint(30000)],
  ["LambdaD", float(0.0625, width)],
  ["LambdaDMaxDelay", uint(30000)],
  ["LambdaM", float(2, width)],
  ["LambdaMMaxDelay", uint(30000)],
  ["LambdaG", float(0, width)],
  ["LambdaGMaxDelay", uint(30000)],
  ["LambdaR", float(1.5, width)],
  ["LambdaRMaxDelay", uint(30000)],
  ["Topology", nodes.topology],
  ["GatewayNodes", nodes.gateways],
  ["ServiceNodes", nodes.services],
  ["StorageReplicas", { t: "array", items: [replica(0, seq(0x60, 32)), replica(1, seq(0x70, 32))] }],
  ["ConfiguredReplicaIDs", bytes(Uint8Array.of(0, 1))],
  ["ConfiguredReplicaIdentityKeys", { t: "array", items: [bytes(seq(0x60, 32)), bytes(seq(0x70, 32))] }],
  ["ReplicaEnvelopeKeys", map([[uint(0), map([[uint(2900), bytes(seq(0x11, 32))]])]])],
  ["SharedRandomCommit", map([[bytes(seq(0x01, 32)), bytes(seq(0x02, 8))]])],
  ["SharedRandomReveal", map([[bytes(seq(0x01, 32)), bytes(seq(0x03, 8))]])],
  ["SharedRandomValue", bytes(seq(0x04, 32))],
  ["PriorSharedRandom", { t: "array", items: [bytes(seq(0x05, 32))] }],
  ["SphinxGeometryHash", bytes(seq(0x00, 32))],
  ["Version", text("v1")],
  ["PKISignatureScheme", text("Ed25519 Sphincs+")]
]

const newerOnlyDropped = new Set([
  "SendRatePerMinute",
  "MuMaxDelay",
  "LambdaPMaxDelay",
  "LambdaLMaxDelay",
  "LambdaD",
  "LambdaDMaxDelay",
  "LambdaMMaxDelay",
  "LambdaGMaxDelay",
  "LambdaRMaxDelay",
  "ReplicaEnvelopeKeys"
])

const declarationOrder = bytesOf(map(v0073Fields(64)))
const canonical = bytesOf(canonicalItem(map(v0073Fields(16))))
const newer = bytesOf(map(v0073Fields(64).filter(([k]) => !newerOnlyDropped.has(k))))

describe("PkiDocument.decode", () => {
  it("the two encodings really differ in key order and float width", () => {
    assert.notStrictEqual(hex(canonical), hex(declarationOrder))
    assert.include(hex(canonical), "f93800") // 0.5 as float16
    assert.include(hex(declarationOrder), "fb3fe0000000000000") // 0.5 as float64
    assert.isTrue(hex(canonical).startsWith("b81f624d75")) // 31 keys, "Mu" (2 chars) first
  })

  it("reads the canonical (float16, sorted) and declaration-order (float64) encodings alike", () => {
    const a = Either.getOrThrow(PkiDocument.decode(canonical))
    const b = Either.getOrThrow(PkiDocument.decode(declarationOrder))
    assert.deepStrictEqual(a, b)
    assert.strictEqual(a.Epoch, 200000)
    assert.strictEqual(a.GenesisEpoch, 199000)
    assert.strictEqual(a.Mu, 0.5)
    assert.strictEqual(a.LambdaP, 0.25)
    assert.strictEqual(a.LambdaD, 0.0625)
    assert.strictEqual(a.LambdaG, 0)
    assert.strictEqual(a.LambdaR, 1.5)
    assert.strictEqual(a.LambdaRMaxDelay, 30000)
    assert.strictEqual(a.Version, "v1")
    assert.strictEqual(a.PKISignatureScheme, "Ed25519 Sphincs+")
    assert.deepStrictEqual(a.ServiceNodes?.map((n) => n.Name), ["servicenode1", "servicenode2", "odd"])
    assert.deepStrictEqual(a.GatewayNodes?.map((n) => [n.Name, n.IsGatewayNode]), [["gateway1", true]])
    assert.strictEqual(a.Topology?.[0]?.[0]?.Name, "mix1")
    assert.deepStrictEqual(a.StorageReplicas?.map((r) => [r.Name, r.ReplicaID, hex(r.IdentityKey!)]), [
      ["replica0", 0, hex(seq(0x60, 32))],
      ["replica1", 1, hex(seq(0x70, 32))]
    ])
    assert.strictEqual(hex(a.ConfiguredReplicaIDs!), "0001")
  })

  it("reads a newer document without the v0.0.73-only fields", () => {
    const doc = Either.getOrThrow(PkiDocument.decode(newer))
    assert.isUndefined(doc.SendRatePerMinute)
    assert.isUndefined(doc.LambdaD)
    assert.isUndefined(doc.MuMaxDelay)
    assert.isUndefined(doc.ReplicaEnvelopeKeys)
    assert.strictEqual(doc.LambdaP, 0.25)
    assert.strictEqual(PkiDocument.findServices(doc, "courier").length, 1)
  })

  it("refuses garbage with typed errors", () => {
    const notCbor = PkiDocument.decode(Uint8Array.of(0xff))
    assert.isTrue(Either.isLeft(notCbor) && notCbor.left._tag === "InvalidCbor")
    const notADocument = PkiDocument.decode(bytesOf(map([["Epoch", text("yesterday")]])))
    assert.isTrue(Either.isLeft(notADocument) && notADocument.left._tag === "MalformedMessage")
    const badDescriptor = PkiDocument.decode(bytesOf(map([["ServiceNodes", { t: "array", items: [bytes(Uint8Array.of(0xff))] }]])))
    assert.isTrue(Either.isLeft(badDescriptor) && badDescriptor.left._tag === "MalformedMessage")
  })

  it("refuses a document or descriptor map with a non-text key instead of reading it as empty", () => {
    const document = PkiDocument.decode(bytesOf(map([[uint(1), uint(2)], ["Epoch", uint(5)]])))
    assert.isTrue(Either.isLeft(document) && document.left._tag === "InvalidCbor")
    const descriptor = bytesOf(map([[uint(7), uint(1)], ["Name", text("mix1")]]))
    const withDescriptor = PkiDocument.decode(bytesOf(map([["ServiceNodes", { t: "array", items: [bytes(descriptor)] }]])))
    assert.isTrue(Either.isLeft(withDescriptor) && withDescriptor.left._tag === "MalformedMessage")
  })

  it("returns a typed error, not a thrown RangeError, for maps nested thousands deep", () => {
    const depth = 3000
    const nested = new Uint8Array(depth * 2 + 1 + 8)
    nested.set([0xa1, 0x65, ...new TextEncoder().encode("Epoch")], 0) // {"Epoch": {1: {1: … 0}}}
    for (let i = 0; i < depth; i++) nested.set([0xa1, 0x01], 7 + i * 2)
    nested[7 + depth * 2] = 0x00
    const decoded = PkiDocument.decode(nested.subarray(0, 8 + depth * 2))
    assert.isTrue(Either.isLeft(decoded))
  })

  it("arrives intact inside a new_pki_document_event", () => {
    const event = Either.getOrThrow(Codec.decodeResponse(bytesOf(map([["new_pki_document_event", map([["payload", bytes(canonical)]])]]))))
    assert.strictEqual(event._tag, "NewPkiDocumentEvent")
    if (event._tag !== "NewPkiDocumentEvent") return
    assert.strictEqual(Either.getOrThrow(PkiDocument.decode(event.payload!)).Epoch, 200000)
  })
})

describe("PkiDocument.findServices", () => {
  const doc = Either.getOrThrow(PkiDocument.decode(canonical))

  it("finds couriers on service nodes, with the endpoint as queue id", () => {
    const found = PkiDocument.findServices(doc, "courier")
    assert.deepStrictEqual(found.map((s) => [s.node.Name, new TextDecoder().decode(s.recipientQueueId)]), [["servicenode1", "courier"]])
  })

  it("finds echo services on service nodes only, skipping empty, oversized and non-text endpoints", () => {
    const found = PkiDocument.findServices(doc, "echo")
    assert.deepStrictEqual(found.map((s) => [s.capability, s.node.Name, hex(s.recipientQueueId)]), [
      ["echo", "servicenode1", "2b6563686f"],
      ["echo", "servicenode2", "2b6563686f"]
    ])
    assert.deepStrictEqual(PkiDocument.findServices(doc, "testdest").map((s) => s.node.Name), ["servicenode2"])
  })

  it("the destination hash is BLAKE2b-256 of the node's identity key", () => {
    // python3 -c "import hashlib; print(hashlib.blake2b(bytes(range(0x10, 0x30)), digest_size=32).hexdigest())"
    const [first, second] = PkiDocument.findServices(doc, "echo")
    assert.strictEqual(hex(first!.destinationIdHash), "44c7d1e1b6d9d1c8878b625989aab30297f8f9e3593c63cb944941949e989d28")
    assert.strictEqual(hex(second!.destinationIdHash), "20f01c2c9470650a95375bb28254ac56fa844bf8d663a4ffb10273fca29481b9")
  })

  it("finds nothing for an unknown capability or a document without service nodes", () => {
    assert.deepStrictEqual(PkiDocument.findServices(doc, "http"), [])
    assert.deepStrictEqual(PkiDocument.findServices(Either.getOrThrow(PkiDocument.decode(bytesOf(map([])))), "courier"), [])
  })
})

describe("PkiDocument.encode", () => {
  it("re-encodes canonically: what it writes decodes to the same document", () => {
    const doc = Either.getOrThrow(PkiDocument.decode(declarationOrder))
    const again = Either.getOrThrow(PkiDocument.encode(doc))
    assert.deepStrictEqual(Either.getOrThrow(PkiDocument.decode(again)), doc)
  })

  it("reproduces the canonical bytes the daemon sends at handshake", () => {
    const doc = Either.getOrThrow(PkiDocument.decode(canonical))
    assert.strictEqual(hex(Either.getOrThrow(PkiDocument.encode(doc))), hex(canonical))
  })
})
