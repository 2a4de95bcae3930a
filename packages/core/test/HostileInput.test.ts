// Issue 12, defects 1, 5, 6 and 7: frame-level garbage around a reply, wire bytes in error
// messages, duplicate keys and two members, and secrets under every renderer.
import { assert, describe, it } from "@effect/vitest"
import { Codec, ReadCap, WriteCap } from "@katzenpost-effect/core"
import * as Cause from "effect/Cause"
import * as Either from "effect/Either"
import * as Inspectable from "effect/Inspectable"
import { inspect } from "node:util"
import { decode, decodeEnvelope } from "../src/internal/cbor.js"
import { bytesOf, head, type Item } from "./support/cborBytes.js"

const map = (entries: ReadonlyArray<readonly [string | Item, Item]>): Item => ({ t: "map", entries })
const id = new Uint8Array(16).fill(9)
const text = (s: string) => Array.from(new TextEncoder().encode(s))
const key = (s: string) => [...head(3, BigInt(s.length)), ...text(s)]
const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")

/** `{"new_keypair_reply": {"query_id": id, "error_code": <errorCode>}}` as raw bytes. */
const replyWith = (errorCode: ReadonlyArray<number>) =>
  Uint8Array.from([0xa1, ...key("new_keypair_reply"), 0xa2, ...key("query_id"), 0x50, ...id, ...key("error_code"), ...errorCode])
const good = replyWith([0x00])

const peeked = (body: Uint8Array) => {
  const found = Codec.peekQueryId(body)
  return found._tag === "Some" ? hexOf(found.value) : "none"
}

describe("defect 1: frame-level garbage in a reply still names its caller", () => {
  const cases: ReadonlyArray<readonly [string, Uint8Array]> = [
    ["trailing bytes after the map", Uint8Array.from([...good, 0x00])],
    ["undefined as error_code", replyWith([0xf7])],
    ["tag 2 (bignum) as error_code", replyWith([0xc2, 0x41, 0x01])],
    ["tag 55799 around the envelope", Uint8Array.from([0xd9, 0xd9, 0xf7, ...good])],
    ["an indefinite-length map", Uint8Array.from([0xbf, ...good.subarray(1), 0xff])],
    [
      "an indefinite-length key",
      Uint8Array.from([0xa1, 0x7f, ...key("new_keypair_reply"), 0xff, ...good.subarray(1 + key("new_keypair_reply").length)])
    ],
    ["a body cut short", good.subarray(0, good.length - 1)]
  ]
  for (const [name, body] of cases) {
    it(name, () => {
      assert.isTrue(Either.isLeft(Codec.decodeResponse(body)))
      assert.strictEqual(peeked(body), hexOf(id))
    })
  }
})

describe("defect 5: no wire bytes in error messages", () => {
  it("a corrupted header never quotes the bytes it found", () => {
    // A tag whose 8-byte number is key material.
    const secret = [0xa8, 0x02, 0x53, 0x9c, 0x4b, 0x71, 0x76, 0x76]
    const body = Uint8Array.from([0xdb, ...secret, 0x00])
    const error = Codec.decodeResponse(body)
    assert.isTrue(Either.isLeft(error))
    const message = Either.isLeft(error) ? error.left.message : ""
    assert.notInclude(message, BigInt(`0x${Buffer.from(secret).toString("hex")}`).toString())
    assert.include(message, "tags are not allowed")
  })

  it("a repeated key is not quoted", () => {
    const body = Uint8Array.from([0xa2, ...key("s3cr3t"), 0x01, ...key("s3cr3t"), 0x02])
    const error = decode(body)
    assert.isTrue(Either.isLeft(error) && !error.left.includes("s3cr3t") && error.left.includes("duplicate map key"))
  })

  it("every failure on random bytes is one of the fixed phrases", () => {
    for (let n = 0; n < 2000; n++) {
      const bytes = Uint8Array.from({ length: 1 + (n % 40) }, (_, i) => (n * 131 + i * 977) & 0xff)
      const result = decode(bytes)
      if (Either.isLeft(result)) assert.match(result.left, /^[A-Za-z -]+ \(body of \d+ bytes\)$/)
    }
  })
})

describe("defect 6: duplicate keys and two members, the same on every path", () => {
  const reply = bytesOf(map([["query_id", { t: "bytes", b: id }], ["error_code", { t: "uint", n: 0n }]]))
  const withReply = Uint8Array.from([0xa2, ...key("new_keypair_reply"), ...reply, ...key("new_keypair_reply"), 0xf6])
  const withNullFirst = Uint8Array.from([0xa2, ...key("new_keypair_reply"), 0xf6, ...key("new_keypair_reply"), ...reply])

  it("{K: reply, K: null} and {K: null, K: reply} are refused by the fast and the general decoder", () => {
    for (const body of [withReply, withNullFirst]) {
      assert.isTrue(Either.isLeft(decodeEnvelope(body)))
      assert.isTrue(Either.isLeft(decode(body)))
      const decoded = Codec.decodeResponse(body)
      assert.isTrue(Either.isLeft(decoded) && decoded.left._tag === "MalformedMessage")
    }
  })

  it("a repeated key inside a member is refused too", () => {
    const inner = Uint8Array.from([0xa1, ...key("new_keypair_reply"), 0xa2, ...key("error_code"), 0x00, ...key("error_code"), 0x01])
    const decoded = Codec.decodeResponse(inner)
    assert.isTrue(Either.isLeft(decoded) && decoded.left._tag === "MalformedMessage")
  })

  it("two non-null known members are a MalformedMessage that still names the caller; an unknown one beside a known one is ignored", () => {
    const two = Uint8Array.from([0xa2, ...key("new_keypair_reply"), ...reply, ...key("encrypt_read_reply"), ...reply])
    const decoded = Codec.decodeResponse(two)
    assert.isTrue(Either.isLeft(decoded) && decoded.left.message.includes("more than one member"))
    assert.strictEqual(peeked(two), hexOf(id))
    const withUnknown = Uint8Array.from([0xa2, ...key("teleport_reply"), ...reply, ...key("new_keypair_reply"), ...reply])
    const known = Codec.decodeResponse(withUnknown)
    assert.isTrue(Either.isRight(known) && known.right._tag === "NewKeypairReply")
  })

  it("a whole float error_code reads as the integer, a fractional one fails", () => {
    const whole = Codec.decodeResponse(replyWith([0xf9, 0x00, 0x00]))
    assert.isTrue(Either.isRight(whole))
    const fractional = Codec.decodeResponse(replyWith([0xf9, 0x3e, 0x00]))
    assert.isTrue(Either.isLeft(fractional) && fractional.left._tag === "MalformedMessage")
  })

  it("a key with invalid UTF-8 is an unknown key on both paths", () => {
    const body = Uint8Array.from([0xa2, 0x62, 0xff, 0xfe, 0xf6, ...key("new_keypair_reply"), ...reply])
    const fast = Codec.decodeResponse(body)
    assert.isTrue(Either.isRight(fast) && fast.right._tag === "NewKeypairReply")
    assert.deepStrictEqual(Either.map(decode(body), (v) => Object.keys(v as object).length), Either.right(2))
  })
})

describe("defect 7: secret bytes render redacted everywhere", () => {
  const bytes = Uint8Array.from({ length: 136 }, (_, i) => (i * 7 + 1) & 0xff)
  const cap = new ReadCap(bytes)
  const leaks = (rendered: string) =>
    rendered.includes(hexOf(bytes).slice(0, 16)) || rendered.includes(`${bytes[0]},${bytes[1]},${bytes[2]}`) ||
    rendered.includes(`${bytes[0]}, ${bytes[1]}, ${bytes[2]}`)

  it("under String, JSON (also of a spread copy), util.inspect, Inspectable and Cause.pretty", () => {
    const renderings = [
      String(cap),
      JSON.stringify(cap),
      JSON.stringify({ ...cap }),
      JSON.stringify({ cap }),
      inspect(cap, { showHidden: true, depth: 5 }),
      inspect({ ...cap }, { showHidden: true }),
      Inspectable.format(cap),
      Inspectable.toStringUnknown({ cap }),
      Cause.pretty(Cause.fail(cap)),
      Cause.pretty(Cause.die({ cap }))
    ]
    for (const rendered of renderings) assert.isFalse(leaks(rendered), rendered)
    assert.deepStrictEqual(Object.keys(cap), ["_tag"])
  })

  it("the bytes stay reachable on purpose, and equality is by content", () => {
    assert.strictEqual(hexOf(cap.bytes), hexOf(bytes))
    assert.isFalse(new WriteCap(new Uint8Array(168)).bytes.some((b) => b !== 0))
  })
})
