/**
 * The connect handshake (wire-protocol.md §2.1): the daemon's status and PKI document in
 * either order, then our session token, then its reply. Anything else that arrives meanwhile
 * (broadcasts, replies queued for a resumed session) is kept, in order, for afterwards.
 */
import { Codec, Request } from "@katzenpost-effect/core"
import type { ClientToken, Response } from "@katzenpost-effect/core"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import type { ConnectionEnded, FramedConnection } from "../FramedConnection.js"

/** What the handshake learned. */
export interface Handshake {
  readonly status: Response.ConnectionStatusEvent
  readonly pki: Response.NewPkiDocumentEvent
  readonly reply: Response.SessionTokenReply
  /**
   * Frame bodies that arrived during the handshake and are not part of it (undecodable ones
   * included, so a malformed reply still reaches its caller), in arrival order.
   */
  readonly early: ReadonlyArray<Uint8Array>
}

/** The daemon broke the handshake sequence. */
export class HandshakeViolation extends Data.TaggedError("HandshakeViolation")<{ readonly reason: string }> {}

/** Runs the handshake on a fresh connection. */
export const run = (
  connection: FramedConnection,
  token: Redacted.Redacted<ClientToken>
): Effect.Effect<Handshake, ConnectionEnded | HandshakeViolation> =>
  Effect.gen(function*() {
    let status: Response.ConnectionStatusEvent | undefined
    let pki: Response.NewPkiDocumentEvent | undefined
    let tokenSent = false
    const early: Array<Uint8Array> = []
    while (true) {
      const body = yield* connection.take
      const decoded = Codec.decodeResponse(body)
      if (Either.isLeft(decoded)) {
        // Routed after the handshake like any frame: logged and skipped, its caller (if any) failed.
        early.push(body)
        continue
      }
      const response = decoded.right
      if (response._tag === "ConnectionStatusEvent" && status === undefined) status = response
      else if (response._tag === "NewPkiDocumentEvent" && pki === undefined) pki = response
      else if (response._tag === "SessionTokenReply") {
        if (!tokenSent || status === undefined || pki === undefined) {
          return yield* new HandshakeViolation({ reason: "session_token_reply before the session token was sent" })
        }
        return { status, pki, reply: response, early }
      } else early.push(body)
      if (!tokenSent && status !== undefined && pki !== undefined) {
        const request = Request.SessionToken.make({ client_instance_token: Redacted.value(token) })
        const encoded = Codec.encodeRequest(request)
        if (Either.isLeft(encoded)) return yield* new HandshakeViolation({ reason: encoded.left.message })
        yield* connection.send(encoded.right)
        tokenSent = true
      }
    }
  })
