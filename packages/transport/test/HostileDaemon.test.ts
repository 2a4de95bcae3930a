// Issue 12: a daemon that sends garbage. Every frame-level case: the caller gets its reply or
// a typed error within its timeout, nothing crashes or dies untyped, and the connection works
// afterwards (a fresh request is answered).
import { assert, describe, it } from "@effect/vitest"
import { Codec, Frame, type Rpc } from "@katzenpost-effect/core"
import { FakeDaemon } from "@katzenpost-effect/testing"
import { ThinClient } from "@katzenpost-effect/transport"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import { counterRequest, handler, hex, queryId, queryIdOf, replyTo } from "./fixtures.js"

const typed = new Set(["MalformedMessage", "RequestTimeout", "DaemonDisconnected"])
const enc = new TextEncoder()
const key = (s: string) => [0x60 + s.length, ...enc.encode(s)]
const frame = (body: ArrayLike<number>) => Frame.encodeFrame(Uint8Array.from(body))
const replyBody = (request: Rpc.QueryRequest) => Either.getOrThrow(Codec.encodeResponse(replyTo(request, { counter: 3n })))
const member = "get_message_box_index_counter_reply"
/** `{member: {query_id: id, error_code: <errorCode>}}` */
const withErrorCode = (
  id: Uint8Array,
  errorCode: ReadonlyArray<number>
) => [0xa1, ...key(member), 0xa2, ...key("query_id"), 0x50, ...id, ...key("error_code"), ...errorCode]

/** What the daemon sends, given the caller's request; then whether the caller must get its reply. */
interface Case {
  readonly name: string
  readonly send: (request: Rpc.QueryRequest) => ReadonlyArray<Uint8Array>
  /** The daemon drops the connection after sending (the stream cannot be resynchronised). */
  readonly drop?: boolean
  /** What the caller must get: its reply, a MalformedMessage (its id was recovered), or DaemonDisconnected. */
  readonly expect: "reply" | "MalformedMessage" | "DaemonDisconnected"
}

const deep = (depth: number) => [...Array(depth).fill(0x81), 0x00]

const cases: ReadonlyArray<Case> = [
  {
    name: "a truncated frame, then the connection drops",
    send: (r) => [frame(replyBody(r)).subarray(0, 20)],
    drop: true,
    expect: "DaemonDisconnected"
  },
  { name: "a length prefix above the maximum", send: () => [Uint8Array.of(0x7f, 0xff, 0xff, 0xff, 0xa0)], expect: "DaemonDisconnected" },
  { name: "a zero-length frame, then the reply", send: (r) => [frame([]), frame(replyBody(r))], expect: "reply" },
  { name: "non-map CBOR, then the reply", send: (r) => [frame([0x83, 0x01, 0x02, 0x03]), frame([0x01]), frame(replyBody(r))], expect: "reply" },
  {
    name: "two members naming the caller",
    send: (
      r
    ) => [
      frame([
        0xa2,
        ...key(member),
        ...withErrorCode(r.query_id!, [0x00]).slice(1 + key(member).length),
        ...key("new_keypair_reply"),
        0xa1,
        ...key("query_id"),
        0x50,
        ...r.query_id!
      ])
    ],
    expect: "MalformedMessage"
  },
  {
    name: "an unknown query_id, then the reply",
    send: (r) => [frame(withErrorCode(new Uint8Array(16).fill(0xee), [0x00])), frame(replyBody(r))],
    expect: "reply"
  },
  {
    name: "a missing query_id, then the reply",
    send: (r) => [frame([0xa1, ...key(member), 0xa1, ...key("error_code"), 0x00]), frame(replyBody(r))],
    expect: "reply"
  },
  { name: "a wrong type (text error_code)", send: (r) => [frame(withErrorCode(r.query_id!, [0x61, 0x78]))], expect: "MalformedMessage" },
  {
    name: "a wrong type (member is an array), then the reply",
    send: (r) => [frame([0xa1, ...key(member), 0x81, 0x00]), frame(replyBody(r))],
    expect: "reply"
  },
  {
    name: "deep nesting in a field",
    send: (r) => [frame([0xa1, ...key(member), 0xa2, ...key("query_id"), 0x50, ...r.query_id!, ...key("error_code"), ...deep(20000)])],
    expect: "MalformedMessage"
  },
  {
    name: "an indefinite-length map",
    send: (r) => [frame([0xbf, ...withErrorCode(r.query_id!, [0x00]).slice(1), 0xff])],
    expect: "MalformedMessage"
  },
  {
    name: "duplicate keys",
    send: (r) => [frame([0xa2, ...key(member), 0xf6, ...withErrorCode(r.query_id!, [0x00]).slice(1)])],
    expect: "MalformedMessage"
  },
  { name: "a tag around the envelope", send: (r) => [frame([0xd9, 0xd9, 0xf7, ...replyBody(r)])], expect: "MalformedMessage" },
  { name: "a tag as error_code", send: (r) => [frame(withErrorCode(r.query_id!, [0xc2, 0x41, 0x01]))], expect: "MalformedMessage" },
  {
    name: "a flood of 5000 undecodable frames, then the reply",
    expect: "reply",
    send: (r) => {
      const junk = frame([0xa1, 0x61, 0x61, 0xc1, 0x01])
      const flood = new Uint8Array(junk.length * 5000)
      for (let i = 0; i < 5000; i++) flood.set(junk, i * junk.length)
      return [flood, frame(replyBody(r))]
    }
  },
  { name: "a slow-loris reply, one byte at a time", send: (r) => Array.from(frame(replyBody(r)), (b) => Uint8Array.of(b)), expect: "reply" }
]

const answerWith = (daemon: FakeDaemon.FakeDaemon, request: Rpc.QueryRequest) => daemon.sendRaw(frame(replyBody(request)))

describe("a hostile daemon", () => {
  for (const c of cases) {
    it.live(c.name, () =>
      Effect.gen(function*() {
        const daemon = yield* FakeDaemon.FakeDaemon
        const client = yield* ThinClient.ThinClient
        const request = counterRequest(1)
        const call = yield* Effect.fork(client.request(request, { timeout: "3 seconds" }))
        yield* daemon.awaitRequests((r) => queryIdOf(r) === hex(queryId(1)))
        for (const bytes of c.send(request)) yield* daemon.sendRaw(bytes)
        if (c.drop === true) yield* daemon.dropConnections
        const exit = yield* Fiber.await(call)
        if (Exit.isFailure(exit)) {
          const failure = Cause.failureOption(exit.cause)
          assert.isTrue(failure._tag === "Some", `untyped end: ${Cause.pretty(exit.cause)}`)
          if (failure._tag === "Some") {
            assert.isTrue(typed.has(failure.value._tag), failure.value._tag)
            assert.strictEqual(failure.value._tag, c.expect)
          }
        } else {
          assert.strictEqual("reply", c.expect)
        }
        // The connection recovers: a fresh request is answered (after a reconnect if needed).
        const next = counterRequest(2)
        const again = yield* Effect.fork(client.request(next, { timeout: "5 seconds", waitForConnection: true }))
        yield* daemon.awaitRequests((r) => queryIdOf(r) === hex(queryId(2)))
        yield* answerWith(daemon, next)
        const reply = yield* Fiber.join(again)
        assert.strictEqual(reply._tag, "GetMessageBoxIndexCounterReply")
      }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: handler(() => Effect.void) }))))
  }
})
