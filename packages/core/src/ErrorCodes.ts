/**
 * From a reply's code fields to the typed error of its family (wire-protocol.md §4.3). Each
 * family has a union type with exactly the errors it can produce, so `Effect.catchTags` and
 * `Match.exhaustive` over it are checked by the compiler.
 *
 * @since 0.1.0
 */
import * as E from "./DaemonError.js"
import type { StartResendingCopyCommandReply, StartResendingEncryptedMessageReply } from "./Response.js"

type Make<A> = (fields: { readonly code: number; readonly message: string }) => A

const thin = <A>(Class: new(fields: { readonly code: number; readonly message: string }) => A): Make<A> => (fields) => new Class(fields)

const text = (code: number, replica: boolean): string =>
  (replica ? E.replicaCodeText.get(code) : E.thinCodeText.get(code)) ?? `Unknown thin client error code: ${code}`

const lookup = <A>(
  table: ReadonlyMap<number, Make<A>>,
  family: string,
  code: number,
  replica: ReadonlySet<number>
): A | E.UnknownDaemonError => {
  const make = table.get(code)
  const message = text(code, replica.has(code))
  return make === undefined ? new E.UnknownDaemonError({ code, message, family }) : make({ code, message })
}

const payloadTooLarge = thin(E.PayloadTooLarge)

/**
 * Errors of the local requests (new_keypair, encrypt_*, next index, counter, create
 * courier envelopes, both cancels): thin namespace.
 *
 * @since 0.1.0
 * @category families
 */
export type LocalError =
  | E.InvalidRequest
  | E.InternalError
  | E.ServiceUnavailable
  | E.PayloadTooLarge
  | E.UnknownDaemonError

const localTable = new Map<number, Make<Exclude<LocalError, E.UnknownDaemonError>>>([
  [3, thin(E.InvalidRequest)],
  [4, thin(E.InternalError)],
  [10, thin(E.ServiceUnavailable)],
  [27, payloadTooLarge]
])

/**
 * The error for a local reply's `error_code`, or `undefined` for 0 (success).
 *
 * @since 0.1.0
 * @category families
 */
export const localError = (family: string, code: number): LocalError | undefined =>
  code === 0 ? undefined : lookup(localTable, family, code, new Set())

/**
 * Errors of the Contact Voucher requests (voucher_mint, voucher_induct, voucher_open,
 * voucher_derive_stream; kpclientd v0.0.104): thin namespace, codes 28–30 with Go's texts.
 *
 * @since 0.1.0
 * @category families
 */
export type VoucherError =
  | E.InvalidRequest
  | E.InternalError
  | E.VoucherHashMismatch
  | E.VoucherSignatureInvalid
  | E.VoucherSealOpenFailed
  | E.UnknownDaemonError

const voucherTable = new Map<number, Make<Exclude<VoucherError, E.UnknownDaemonError>>>([
  [3, thin(E.InvalidRequest)],
  [4, thin(E.InternalError)],
  [28, thin(E.VoucherHashMismatch)],
  [29, thin(E.VoucherSignatureInvalid)],
  [30, thin(E.VoucherSealOpenFailed)]
])

/**
 * The error for a voucher reply's `error_code`, or `undefined` for 0 (success).
 *
 * @since 0.1.0
 * @category families
 */
export const voucherError = (family: string, code: number): VoucherError | undefined =>
  code === 0 ? undefined : lookup(voucherTable, family, code, new Set())

/**
 * Errors of `start_resending_encrypted_message` (all three variants). Its code field mixes
 * the thin, replica and (at v0.0.73) courier namespaces.
 *
 * @since 0.1.0
 * @category families
 */
export type ArqError =
  | E.BoxIdNotFound
  | E.InvalidBoxId
  | E.InvalidSignature
  | E.DatabaseFailure
  | E.InvalidPayload
  | E.StorageFull
  | E.ReplicaInternalError
  | E.InvalidEpoch
  | E.ReplicationFailed
  | E.BoxAlreadyExists
  | E.Tombstone
  | E.InvalidRequest
  | E.InternalError
  | E.CourierCacheCorruption
  | E.PropagationError
  | E.MkemDecryptionFailed
  | E.BacapDecryptionFailed
  | E.StartResendingCancelled
  | E.InvalidTombstoneSignature
  | E.PayloadTooLarge
  | E.CourierInvalidEnvelope
  | E.CourierInvalidEpoch
  | E.UnknownDaemonError

const replicaCodes = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
type SharedError =
  | E.CourierCacheCorruption
  | E.PropagationError
  | E.MkemDecryptionFailed
  | E.BacapDecryptionFailed
  | E.StartResendingCancelled
  | E.InvalidTombstoneSignature
  | E.PayloadTooLarge
  | E.CourierInvalidEnvelope
  | E.CourierInvalidEpoch
const arqShared: ReadonlyArray<[number, Make<SharedError>]> = [
  [12, thin(E.CourierCacheCorruption)],
  [13, thin(E.PropagationError)],
  [22, thin(E.MkemDecryptionFailed)],
  [23, thin(E.BacapDecryptionFailed)],
  [24, thin(E.StartResendingCancelled)],
  [25, thin(E.InvalidTombstoneSignature)],
  [27, payloadTooLarge],
  [31, thin(E.CourierInvalidEnvelope)],
  [32, thin(E.CourierInvalidEpoch)]
]
const arqFromReplica = new Map<number, Make<Exclude<ArqError, E.UnknownDaemonError>>>([
  [1, thin(E.BoxIdNotFound)],
  [2, thin(E.InvalidBoxId)],
  [3, thin(E.InvalidSignature)],
  [4, thin(E.DatabaseFailure)],
  [5, thin(E.InvalidPayload)],
  [6, thin(E.StorageFull)],
  [7, thin(E.ReplicaInternalError)],
  [8, thin(E.InvalidEpoch)],
  [9, thin(E.ReplicationFailed)],
  [10, thin(E.BoxAlreadyExists)],
  [11, thin(E.Tombstone)],
  ...arqShared
])
// Replies the daemon makes before choosing a courier (validation, no PKI document) carry
// no courier identity; there codes 3 and 4 are the thin namespace's, not the replica's.
const arqBeforeCourier = new Map<number, Make<Exclude<ArqError, E.UnknownDaemonError>>>([
  ...arqFromReplica,
  [3, thin(E.InvalidRequest)],
  [4, thin(E.InternalError)]
])

/**
 * The error for a `start_resending_encrypted_message_reply`, or `undefined` on success.
 * Codes 3 and 4 are read as thin InvalidRequest / InternalError when the reply names no
 * courier (the daemon failed before sending), else as replica InvalidSignature /
 * DatabaseFailure, as the Go client always does.
 *
 * @since 0.1.0
 * @category families
 */
export const arqError = (reply: Pick<StartResendingEncryptedMessageReply, "error_code" | "courier_identity_hash">): ArqError | undefined => {
  const code = reply.error_code
  if (code === 0) return undefined
  const beforeCourier = reply.courier_identity_hash === null
  const table = beforeCourier ? arqBeforeCourier : arqFromReplica
  const replica = beforeCourier ? new Set([1, 2, 5, 6, 7, 8, 9, 10, 11]) : replicaCodes
  return lookup(table, "start_resending_encrypted_message", code, replica)
}

/**
 * Errors of `start_resending_copy_command`: thin namespace, with replica detail on code 26.
 *
 * @since 0.1.0
 * @category families
 */
export type CopyCommandError =
  | E.InvalidRequest
  | E.InternalError
  | E.StartResendingCancelled
  | E.CopyCommandFailed
  | E.MkemDecryptionFailed
  | E.BacapDecryptionFailed
  | E.InvalidTombstoneSignature
  | E.PayloadTooLarge
  | E.CourierCacheCorruption
  | E.PropagationError
  | E.CourierInvalidEnvelope
  | E.CourierInvalidEpoch
  | E.UnknownDaemonError

const copyTable = new Map<number, Make<Exclude<CopyCommandError, E.UnknownDaemonError | E.CopyCommandFailed>>>([
  [3, thin(E.InvalidRequest)],
  [4, thin(E.InternalError)],
  ...arqShared
])

/**
 * The error for a `start_resending_copy_command_reply`, or `undefined` on success.
 *
 * @since 0.1.0
 * @category families
 */
export const copyCommandError = (
  reply: Pick<StartResendingCopyCommandReply, "error_code" | "replica_error_code" | "failed_envelope_index">
): CopyCommandError | undefined => {
  const code = reply.error_code
  if (code === 0) return undefined
  if (code === 26) {
    const replica = reply.replica_error_code
    const detail = replica === 0 ? "" : `: ${text(replica, true)}`
    return new E.CopyCommandFailed({
      code,
      message: `${text(code, false)}${detail} (failed envelope index ${reply.failed_envelope_index})`,
      replicaErrorCode: replica,
      failedEnvelopeIndex: reply.failed_envelope_index
    })
  }
  return lookup(copyTable, "start_resending_copy_command", code, new Set())
}

/**
 * Tombstone, BoxIdNotFound and BoxAlreadyExists are outcomes an application expects (a
 * deleted box, a box not written yet, a write already done), not failures.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isExpectedOutcome = (error: { readonly _tag: string }): error is E.Tombstone | E.BoxIdNotFound | E.BoxAlreadyExists =>
  error._tag === "Tombstone" || error._tag === "BoxIdNotFound" || error._tag === "BoxAlreadyExists"
