import { assert, describe, it } from "@effect/vitest"
import { Codec, QueryId } from "@katzenpost-effect/core"
import * as Either from "effect/Either"
import { bytesOf, type Item } from "./support/cborBytes.js"

const map = (entries: ReadonlyArray<readonly [string, Item]>): Item => ({ t: "map", entries })
const token: Item = map([["client_instance_token", { t: "bytes", b: new Uint8Array(16) }]])
const empty: Item = map([])

describe("Codec.decodeRequest", () => {
  it("reads thin_close before session_token, as the daemon does", () => {
    const body = bytesOf(map([["session_token", token], ["thin_close", empty]]))
    assert.strictEqual(Either.getOrThrow(Codec.decodeRequest(body))._tag, "ThinClose")
  })

  it("reads session_token before any other request", () => {
    const body = bytesOf(map([["new_keypair", map([])], ["session_token", token]]))
    assert.strictEqual(Either.getOrThrow(Codec.decodeRequest(body))._tag, "SessionToken")
  })

  it("names an unknown request key, and says when none is set", () => {
    const unknown = Codec.decodeRequest(bytesOf(map([["new_keypair", { t: "null" }], ["teleport", empty]])))
    assert.isTrue(Either.isLeft(unknown) && unknown.left.message.includes(`unknown request key "teleport"`))
    const none = Codec.decodeRequest(bytesOf(map([["new_keypair", { t: "null" }]])))
    assert.isTrue(Either.isLeft(none) && none.left.message.includes("no request key is set"))
  })
})

describe("Codec request helpers", () => {
  const queryId = QueryId.make(new Uint8Array(16))
  it("knows which requests a v0.0.73 daemon understands", () => {
    assert.isTrue(Codec.isKnownToV0073({ _tag: "NewKeypair", query_id: queryId, seed: null }))
    assert.isTrue(Codec.isKnownToV0073({ _tag: "GetMessageBoxIndexCounter", query_id: queryId, message_box_index: null }))
    assert.isFalse(Codec.isKnownToV0073({ _tag: "GetPkiDocument", query_id: queryId, epoch: 0n }))
    assert.isFalse(Codec.isKnownToV0073({ _tag: "VoucherDeriveStream", query_id: queryId, voucher: null }))
  })
  it("gives each request its envelope key", () => {
    assert.strictEqual(
      Codec.requestKey({
        _tag: "CreateCourierEnvelopesFromMultiPayload",
        query_id: queryId,
        destinations: null,
        is_start: false,
        is_last: false,
        buffer: null
      }),
      "create_courier_envelopes_from_multi_payload"
    )
    assert.strictEqual(Codec.requestKey({ _tag: "ThinClose" }), "thin_close")
  })
  it("encodes thin_close as the empty map", () => {
    assert.strictEqual(Buffer.from(Either.getOrThrow(Codec.encodeRequest({ _tag: "ThinClose" }))).toString("hex"), "a16a7468696e5f636c6f7365a0")
  })
})

describe("Codec.peekQueryId", () => {
  const id = new Uint8Array(16).fill(9)
  const reply = (fields: ReadonlyArray<readonly [string, Item]>) =>
    bytesOf(map([["new_keypair_reply", { t: "null" }], ["get_message_box_index_counter_reply", map(fields)]]))

  it("reads the query_id of a known reply that fails its schema", () => {
    const body = reply([["query_id", { t: "bytes", b: id }], ["error_code", { t: "uint", n: 300n }]])
    assert.isTrue(Either.isLeft(Codec.decodeResponse(body)))
    const peeked = Codec.peekQueryId(body)
    assert.isTrue(peeked._tag === "Some" && Buffer.from(peeked.value).equals(Buffer.from(id)))
  })

  it("finds nothing without a 16-byte query_id, in an event, or in invalid CBOR", () => {
    assert.strictEqual(Codec.peekQueryId(reply([["query_id", { t: "bytes", b: new Uint8Array(15) }]]))._tag, "None")
    assert.strictEqual(Codec.peekQueryId(bytesOf(map([["shutdown_event", empty]])))._tag, "None")
    assert.strictEqual(Codec.peekQueryId(new Uint8Array([0xff]))._tag, "None")
  })
})
