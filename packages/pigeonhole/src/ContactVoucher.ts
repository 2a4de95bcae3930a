/**
 * The Contact Voucher API of kpclientd v0.0.104 (hpqc `voucher`, local cryptography, no
 * mixnet): mint a voucher for a stream, induct it on the other side, open the sealed reply,
 * derive the voucher's own stream. Errors are the daemon's codes, 28–30 as typed errors
 * with Go's texts; on a v0.0.73 daemon every call fails with `UnsupportedRequest` without
 * sending anything. Write caps and secret keys come back `Redacted`.
 *
 * @since 0.1.0
 */
import { ErrorCodes, MalformedMessage, newQueryId, type QueryId, Request, type Rpc } from "@katzenpost-effect/core"
import { type RequestOptions, ThinClient, type TransportError } from "@katzenpost-effect/transport"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

/**
 * Secret bytes as given: plain or `Redacted`.
 *
 * @since 0.1.0
 * @category models
 */
export type SecretInput = Uint8Array | Redacted.Redacted<Uint8Array>

/**
 * Why a voucher call failed.
 *
 * @since 0.1.0
 * @category errors
 */
export type VoucherCallError = ErrorCodes.VoucherError | MalformedMessage | TransportError

/**
 * What `mint` returns: the voucher and payload to hand to the contact, and the voucher
 * stream's caps and reply keypair, kept by the minter.
 *
 * @since 0.1.0
 * @category models
 */
export interface Minted {
  readonly voucher: Uint8Array
  readonly voucherPayload: Uint8Array
  readonly voucherWriteCap: Redacted.Redacted<Uint8Array>
  readonly voucherReadCap: Uint8Array
  readonly voucherSecretKey: Redacted.Redacted<Uint8Array>
  readonly voucherPublicKey: Uint8Array
}

/**
 * What `induct` returns to the contact: the minter's name and (mutated) read cap, the sealed
 * reply to write to the voucher stream, and that stream's caps.
 *
 * @since 0.1.0
 * @category models
 */
export interface Inducted {
  readonly displayName: string
  readonly mutatedMessageReadCap: Uint8Array
  readonly sealedReply: Uint8Array
  readonly voucherWriteCap: Redacted.Redacted<Uint8Array>
  readonly voucherReadCap: Uint8Array
  readonly salt: Uint8Array
}

/**
 * What `open` returns to the minter: the contact's reply and the mutated write cap.
 *
 * @since 0.1.0
 * @category models
 */
export interface Opened {
  readonly whoReply: Uint8Array
  readonly salt: Uint8Array
  readonly mutatedMessageWriteCap: Redacted.Redacted<Uint8Array>
}

/**
 * The caps of a voucher's stream.
 *
 * @since 0.1.0
 * @category models
 */
export interface VoucherStream {
  readonly voucherWriteCap: Redacted.Redacted<Uint8Array>
  readonly voucherReadCap: Uint8Array
}

/**
 * The Contact Voucher service.
 *
 * @since 0.1.0
 * @category models
 */
export interface ContactVoucher {
  readonly mint: (messageWriteCap: SecretInput, displayName: string, options?: RequestOptions) => Effect.Effect<Minted, VoucherCallError>
  readonly induct: (
    voucher: Uint8Array,
    voucherPayload: Uint8Array,
    whoReply: Uint8Array,
    options?: RequestOptions
  ) => Effect.Effect<Inducted, VoucherCallError>
  readonly open: (
    voucherSecretKey: SecretInput,
    sealedReply: Uint8Array,
    messageWriteCap: SecretInput,
    options?: RequestOptions
  ) => Effect.Effect<Opened, VoucherCallError>
  readonly deriveStream: (voucher: Uint8Array, options?: RequestOptions) => Effect.Effect<VoucherStream, VoucherCallError>
}

/**
 * The ContactVoucher service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export const ContactVoucher = Context.GenericTag<ContactVoucher>("@katzenpost-effect/pigeonhole/ContactVoucher")

const reveal = (secret: SecretInput): Uint8Array => (Redacted.isRedacted(secret) ? Redacted.value(secret) : secret)

/** A successful reply's field; names the field, never its value. */
const field = (kind: string, name: string, value: Uint8Array | null): Effect.Effect<Uint8Array, MalformedMessage> =>
  value === null ? Effect.fail(new MalformedMessage({ kind, reason: `${name} is null in a successful reply` })) : Effect.succeed(value)

const secret = (kind: string, name: string, value: Uint8Array | null) => Effect.map(field(kind, name, value), Redacted.make)

/**
 * The service over the ThinClient in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<ContactVoucher, never, ThinClient.ThinClient> = Effect.map(ThinClient.ThinClient, (client) => {
  const checked = (family: string) => <A extends { readonly error_code: number }>(reply: A): Effect.Effect<A, ErrorCodes.VoucherError> => {
    const error = ErrorCodes.voucherError(family, reply.error_code)
    return error === undefined ? Effect.succeed(reply) : Effect.fail(error)
  }
  const send = <R extends Rpc.QueryRequest>(build: (query_id: QueryId) => R, options: RequestOptions | undefined) =>
    Effect.flatMap(newQueryId, (query_id) => client.request(build(query_id), options))
  const service: ContactVoucher = {
    mint: (messageWriteCap, displayName, options) =>
      send((query_id) => Request.VoucherMint.make({ query_id, message_write_cap: reveal(messageWriteCap), display_name: displayName }), options)
        .pipe(
          Effect.flatMap(checked("voucher_mint")),
          Effect.flatMap((r) =>
            Effect.all({
              voucher: field("voucher_mint_reply", "voucher", r.voucher),
              voucherPayload: field("voucher_mint_reply", "voucher_payload", r.voucher_payload),
              voucherWriteCap: secret("voucher_mint_reply", "voucher_write_cap", r.voucher_write_cap),
              voucherReadCap: field("voucher_mint_reply", "voucher_read_cap", r.voucher_read_cap),
              voucherSecretKey: secret("voucher_mint_reply", "voucher_secret_key", r.voucher_secret_key),
              voucherPublicKey: field("voucher_mint_reply", "voucher_public_key", r.voucher_public_key)
            })
          )
        ),
    induct: (voucher, voucherPayload, whoReply, options) =>
      send((query_id) => Request.VoucherInduct.make({ query_id, voucher, voucher_payload: voucherPayload, who_reply: whoReply }), options)
        .pipe(
          Effect.flatMap(checked("voucher_induct")),
          Effect.flatMap((r) =>
            Effect.all({
              displayName: Effect.succeed(r.display_name),
              mutatedMessageReadCap: field("voucher_induct_reply", "mutated_message_read_cap", r.mutated_message_read_cap),
              sealedReply: field("voucher_induct_reply", "sealed_reply", r.sealed_reply),
              voucherWriteCap: secret("voucher_induct_reply", "voucher_write_cap", r.voucher_write_cap),
              voucherReadCap: field("voucher_induct_reply", "voucher_read_cap", r.voucher_read_cap),
              salt: field("voucher_induct_reply", "salt", r.salt)
            })
          )
        ),
    open: (voucherSecretKey, sealedReply, messageWriteCap, options) =>
      send(
        (query_id) =>
          Request.VoucherOpen.make({
            query_id,
            voucher_secret_key: reveal(voucherSecretKey),
            sealed_reply: sealedReply,
            message_write_cap: reveal(messageWriteCap)
          }),
        options
      ).pipe(
        Effect.flatMap(checked("voucher_open")),
        Effect.flatMap((r) =>
          Effect.all({
            whoReply: field("voucher_open_reply", "who_reply", r.who_reply),
            salt: field("voucher_open_reply", "salt", r.salt),
            mutatedMessageWriteCap: secret("voucher_open_reply", "mutated_message_write_cap", r.mutated_message_write_cap)
          })
        )
      ),
    deriveStream: (voucher, options) =>
      send((query_id) => Request.VoucherDeriveStream.make({ query_id, voucher }), options)
        .pipe(
          Effect.flatMap(checked("voucher_derive_stream")),
          Effect.flatMap((r) =>
            Effect.all({
              voucherWriteCap: secret("voucher_derive_stream_reply", "voucher_write_cap", r.voucher_write_cap),
              voucherReadCap: field("voucher_derive_stream_reply", "voucher_read_cap", r.voucher_read_cap)
            })
          )
        )
  }
  return service
})

/**
 * The service as a Layer over the ThinClient.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ContactVoucher, never, ThinClient.ThinClient> = Layer.effect(ContactVoucher, make)
