/** Shared test helpers: ids, requests, replies and scripted daemon handlers. */
import { EnvelopeHash, NodeIdHash, QueryId, Request, Response, Rpc } from "@katzenpost-effect/core"
import type { PkiDocument } from "@katzenpost-effect/core"
import type { DaemonHandler, DaemonSession } from "@katzenpost-effect/testing"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"

/** A query id whose bytes are all `n`. */
export const queryId = (n: number) => QueryId.make(new Uint8Array(16).fill(n))

/** Hex of bytes, for comparisons. */
export const hex = (bytes: Uint8Array | null | undefined) => (bytes == null ? "null" : Buffer.from(bytes).toString("hex"))

/** A non-ARQ (local) request. */
export const counterRequest = (n: number) => Request.GetMessageBoxIndexCounter.make({ query_id: queryId(n), message_box_index: null })

/** An ARQ read/write request with a recognisable envelope hash. */
export const arqRequest = (n: number) =>
  Request.StartResendingEncryptedMessage.make({
    query_id: queryId(n),
    read_cap: null,
    write_cap: null,
    message_box_index: null,
    reply_index: null,
    envelope_descriptor: null,
    message_ciphertext: new Uint8Array([1, 2, 3]),
    envelope_hash: EnvelopeHash.make(new Uint8Array(32).fill(n)),
    no_retry_on_box_id_not_found: false,
    no_idempotent_box_already_exists: false
  })

/** An ARQ copy command. */
export const copyRequest = (n: number) =>
  Request.StartResendingCopyCommand.make({ query_id: queryId(n), write_cap: null, courier_identity_hash: null, courier_queue_id: null })

const decodeReply = Schema.decodeUnknownEither(Response.KnownResponse)

/** The success reply to a query request (extra fields optional). */
export const replyTo = (request: Rpc.QueryRequest, fields: Record<string, unknown> = {}): Response.KnownResponse =>
  Either.getOrThrow(decodeReply({ _tag: Rpc.replyTag[request._tag], query_id: request.query_id, error_code: 0, ...fields }))

/** The query id of a request, as hex ("" if none). */
export const queryIdOf = (request: Request.Request) => ("query_id" in request ? hex(request.query_id) : "")

/** A handler built from one function over (session, query request). */
export const handler = (
  handle: (session: DaemonSession, request: Rpc.QueryRequest) => Effect.Effect<void>,
  onEnd: (appId: Uint8Array) => Effect.Effect<void> = () => Effect.void
): DaemonHandler => ({
  handle: (session, request) => ("query_id" in request ? handle(session, request) : Effect.void),
  endSession: onEnd
})

/** Answers every query at once. */
export const answerAll = handler((session, request) => session.reply(replyTo(request)))

/** Never answers ARQ requests on the first `held` arrivals of each query id; answers the rest. */
export const holdArq = (held = 1): DaemonHandler => {
  const seen = new Map<string, number>()
  return handler((session, request) => {
    if (!Rpc.isArqRequest(request)) return session.reply(replyTo(request))
    const key = hex(request.query_id)
    const count = (seen.get(key) ?? 0) + 1
    seen.set(key, count)
    return count <= held ? Effect.void : session.reply(replyTo(request, { plaintext: new Uint8Array([42]) }))
  })
}

/** A 32-byte node id hash. */
export const nodeHash = NodeIdHash.make(new Uint8Array(32).fill(7))

/** A PKI document with service nodes offering `echo` (two nodes) and `courier` (one). */
export const pkiDocument = (epoch: number): PkiDocument.PkiDocument => {
  const node = (name: string, key: number, kaetzchen: Record<string, Record<string, unknown>>) => ({
    Name: name,
    Epoch: epoch,
    IdentityKey: new Uint8Array(32).fill(key),
    LinkKey: new Uint8Array(32).fill(key + 1),
    Addresses: null,
    Kaetzchen: kaetzchen,
    KaetzchenAdvertizedData: null,
    IsGatewayNode: false,
    IsServiceNode: true,
    LoadWeight: 0,
    AuthenticationType: "",
    Version: ""
  })
  return {
    Epoch: epoch,
    ServiceNodes: [
      node("service1", 10, { echo: { endpoint: "+echo" }, courier: { endpoint: "courier" } }),
      node("service2", 20, { echo: { endpoint: "+echo" } })
    ],
    Version: "v1"
  }
}
