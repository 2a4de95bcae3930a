/**
 * The directory calls of kpclientd v0.0.104 as a service: the signed, certificate-wrapped
 * PKI document of an epoch, and the directory authorities the daemon is configured with.
 * On a v0.0.73 daemon each fails with `UnsupportedRequest` without sending anything (that
 * daemon crashes on request kinds it does not know).
 *
 * @since 0.1.0
 */
import { ErrorCodes, MalformedMessage, newQueryId, Request, type Response } from "@katzenpost-effect/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { type RequestOptions, ThinClient, type TransportError } from "./ThinClient.js"

/**
 * A PKI document as the daemon holds it: the `cert.Certificate` wrapping the document with
 * the directory authorities' signatures intact. Verifying those signatures (against
 * `getDirectoryAuthorities`) is left to the caller; `ThinClient.pkiDocument` is the decoded,
 * stripped document the daemon announces.
 *
 * @since 0.1.0
 * @category models
 */
export interface SignedPkiDocument {
  readonly epoch: bigint
  readonly certificate: Uint8Array
}

/**
 * One directory authority of the daemon's configuration (keys as PEM text).
 *
 * @since 0.1.0
 * @category models
 */
export type DirectoryAuthority = Response.DirectoryAuthority

/**
 * Why a directory call failed: the daemon's code (offline, or no authorities configured:
 * `ServiceUnavailable`, code 10) or the transport's (`UnsupportedRequest` on v0.0.73).
 *
 * @since 0.1.0
 * @category errors
 */
export type DirectoryError = ErrorCodes.LocalError | MalformedMessage | TransportError

/**
 * The directory service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Directory {
  /** The signed document of `epoch` (0n, the default: the current epoch). */
  readonly getPkiDocument: (epoch?: bigint, options?: RequestOptions) => Effect.Effect<SignedPkiDocument, DirectoryError>
  /** The directory authorities the daemon is configured with. */
  readonly getDirectoryAuthorities: (options?: RequestOptions) => Effect.Effect<ReadonlyArray<DirectoryAuthority>, DirectoryError>
}

/**
 * The Directory service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export const Directory = Context.GenericTag<Directory>("@katzenpost-effect/transport/Directory")

const checked = <A extends { readonly error_code: number }>(family: string, reply: A): Effect.Effect<A, ErrorCodes.LocalError> => {
  const error = ErrorCodes.localError(family, reply.error_code)
  return error === undefined ? Effect.succeed(reply) : Effect.fail(error)
}

/**
 * The service over the ThinClient in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Directory, never, ThinClient> = Effect.map(ThinClient, (client): Directory => ({
  getPkiDocument: (epoch = 0n, options) =>
    newQueryId.pipe(
      Effect.flatMap((query_id) => client.request(Request.GetPkiDocument.make({ query_id, epoch }), options)),
      Effect.flatMap((reply) => checked("get_pki_document", reply)),
      Effect.flatMap((reply) =>
        reply.payload === null
          ? Effect.fail(new MalformedMessage({ kind: "get_pki_document_reply", reason: "payload is null in a successful reply" }))
          : Effect.succeed({ epoch: reply.epoch, certificate: reply.payload })
      )
    ),
  getDirectoryAuthorities: (options) =>
    newQueryId.pipe(
      Effect.flatMap((query_id) => client.request(Request.GetDirectoryAuthorities.make({ query_id }), options)),
      Effect.flatMap((reply) => checked("get_directory_authorities", reply)),
      Effect.map((reply) => (reply.authorities ?? []).flatMap((authority) => (authority === null ? [] : [authority])))
    )
}))

/**
 * The service as a Layer over the ThinClient.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Directory, never, ThinClient> = Layer.effect(Directory, make)
