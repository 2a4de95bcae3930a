/** Drives a PigeonholeEngine directly: one session whose replies land in a queue. */
import { assert } from "@effect/vitest"
import { Bacap, type MessageBoxIndex, QueryId, type ReadCap, Request, type Response, type WriteCap } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import type { DaemonSession } from "../src/DaemonHandler.js"
import * as PigeonholeEngine from "../src/PigeonholeEngine.js"
import { makePkiDocument } from "../src/PlausiblePki.js"

type Tag = Response.KnownResponse["_tag"]
type Of<T extends Tag> = Extract<Response.KnownResponse, { readonly _tag: T }>

/** Asserts a reply's tag and narrows it. */
export const expectReply = <T extends Tag>(tag: T, reply: Response.KnownResponse): Of<T> => {
  const is = (r: Response.KnownResponse): r is Of<T> => r._tag === tag
  if (!is(reply)) return assert.fail(`expected ${tag}, got ${reply._tag}`)
  return reply
}

/** A stream's caps. */
export interface Stream {
  readonly writeCap: WriteCap
  readonly readCap: ReadCap
  readonly first: MessageBoxIndex
}

const queryId = (n: number) => Uint8Array.from({ length: 16 }, (_, i) => (n + i) & 0xff)

/** The engine, one session, and helpers that send requests and take replies. */
export const harness = (options: PigeonholeEngine.Options = {}) =>
  Effect.gen(function*() {
    const engine = yield* PigeonholeEngine.make({ pkiDocument: makePkiDocument(), ...options })
    const inbox = yield* Queue.unbounded<Response.KnownResponse>()
    const link = { connected: true }
    let queries = 0
    const session: DaemonSession = {
      appId: new Uint8Array(16).fill(7),
      reply: (response) => (link.connected ? Effect.asVoid(Queue.offer(inbox, response)) : Effect.void),
      connected: Effect.sync(() => link.connected)
    }
    const nextQueryId = () => QueryId.make(queryId(++queries))
    const send = (request: Request.Request) => engine.handle(session, request)
    const take = <T extends Tag>(tag: T): Effect.Effect<Of<T>> => Effect.map(Queue.take(inbox), (r) => expectReply(tag, r))
    const call = <T extends Tag>(tag: T, request: Request.Request) => Effect.zipRight(send(request), take(tag))

    const newStream = (seedByte: number): Effect.Effect<Stream> =>
      Effect.map(
        call("NewKeypairReply", Request.NewKeypair.make({ query_id: nextQueryId(), seed: new Uint8Array(32).fill(seedByte) })),
        (reply) => {
          assert.strictEqual(reply.error_code, 0)
          if (reply.write_cap === null || reply.read_cap === null || reply.first_message_index === null) return assert.fail("no caps")
          return { writeCap: reply.write_cap, readCap: reply.read_cap, first: reply.first_message_index }
        }
      )

    const encryptWrite = (stream: Stream, index: MessageBoxIndex, plaintext: Uint8Array) =>
      call(
        "EncryptWriteReply",
        Request.EncryptWrite.make({ query_id: nextQueryId(), plaintext, write_cap: stream.writeCap, message_box_index: index })
      )

    const encryptRead = (stream: Stream, index: MessageBoxIndex) =>
      call("EncryptReadReply", Request.EncryptRead.make({ query_id: nextQueryId(), read_cap: stream.readCap, message_box_index: index }))

    /** The start_resending request for an encrypt reply (sent by the caller, answered later). */
    const resendRequest = (
      encrypted: Of<"EncryptReadReply"> | Of<"EncryptWriteReply">,
      target: { readonly readCap: ReadCap } | { readonly writeCap: WriteCap },
      index: MessageBoxIndex,
      flags: { readonly noRetry?: boolean; readonly noIdempotent?: boolean } = {}
    ) =>
      Request.StartResendingEncryptedMessage.make({
        query_id: nextQueryId(),
        read_cap: "readCap" in target ? target.readCap : null,
        write_cap: "writeCap" in target ? target.writeCap : null,
        message_box_index: index,
        envelope_descriptor: encrypted.envelope_descriptor,
        message_ciphertext: encrypted.message_ciphertext,
        envelope_hash: encrypted.envelope_hash,
        no_retry_on_box_id_not_found: flags.noRetry ?? false,
        no_idempotent_box_already_exists: flags.noIdempotent ?? false
      })

    /** Encrypts and sends a write; waits for its reply. */
    const write = (stream: Stream, index: MessageBoxIndex, plaintext: Uint8Array, flags: { readonly noIdempotent?: boolean } = {}) =>
      Effect.flatMap(encryptWrite(stream, index, plaintext), (encrypted) =>
        call("StartResendingEncryptedMessageReply", resendRequest(encrypted, { writeCap: stream.writeCap }, index, flags)))

    /** Encrypts and sends a read; `start` sends it, the returned effect waits for the reply. */
    const startRead = (stream: Stream, index: MessageBoxIndex, flags: { readonly noRetry?: boolean } = {}) =>
      Effect.flatMap(encryptRead(stream, index), (encrypted) => {
        const request = resendRequest(encrypted, { readCap: stream.readCap }, index, flags)
        return Effect.as(send(request), { request, reply: take("StartResendingEncryptedMessageReply") })
      })

    const read = (stream: Stream, index: MessageBoxIndex, flags: { readonly noRetry?: boolean } = {}) =>
      Effect.flatMap(startRead(stream, index, flags), (started) =>
        started.reply)

    const advance = (index: MessageBoxIndex, steps = 1): MessageBoxIndex => {
      const next = Bacap.advanceTo(index, Bacap.counter(index) + BigInt(steps))
      return next._tag === "Right" ? next.right : assert.fail("index overflow")
    }

    return {
      engine,
      inbox,
      session,
      link,
      nextQueryId,
      send,
      take,
      call,
      newStream,
      encryptWrite,
      encryptRead,
      resendRequest,
      write,
      startRead,
      read,
      advance
    }
  })
