/**
 * What an ARQ operation (`start_resending_encrypted_message` and the copy command) answers,
 * and the exact errors each variant can fail with.
 *
 * The daemon's reply code mixes three namespaces (wire-protocol.md §4.3), and which codes can
 * occur depends on the variant: a default read never reports BoxIdNotFound (the daemon keeps
 * retrying), a default write never reports BoxAlreadyExists (it counts as success). Each
 * variant's error type is therefore narrower than core's `ArqError`; a code outside it is
 * reported as `UnknownDaemonError`, so the types never lie.
 *
 * @since 0.1.0
 */
import type { EnvelopeHash, ErrorCodes, MessageBoxIndex } from "@katzenpost-effect/core"
import type { Courier } from "./Courier.js"

/**
 * A completed read: the box's plaintext, and the courier that fetched it.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReadResult {
  readonly _tag: "ReadResult"
  readonly plaintext: Uint8Array
  readonly courier: Courier
  readonly envelopeHash: EnvelopeHash
  /** The box that was read. */
  readonly boxIndex: MessageBoxIndex
}

/**
 * A completed write, and the courier that carried it.
 *
 * @since 0.1.0
 * @category models
 */
export interface WriteResult {
  readonly _tag: "WriteResult"
  readonly courier: Courier
  readonly envelopeHash: EnvelopeHash
  /** The box that was written. */
  readonly boxIndex: MessageBoxIndex
}

const common = [
  "InvalidRequest",
  "InternalError",
  "InvalidBoxId",
  "InvalidSignature",
  "DatabaseFailure",
  "InvalidPayload",
  "ReplicaInternalError",
  "InvalidEpoch",
  "ReplicationFailed",
  "StartResendingCancelled",
  "CourierCacheCorruption",
  "PropagationError",
  "CourierInvalidEnvelope",
  "CourierInvalidEpoch",
  "PayloadTooLarge",
  "UnknownDaemonError"
] as const satisfies ReadonlyArray<ErrorCodes.ArqError["_tag"]>

/**
 * Tags a default read can fail with.
 *
 * @since 0.1.0
 * @category families
 */
export const readErrorTags = [
  ...common,
  "MkemDecryptionFailed",
  "BacapDecryptionFailed",
  "Tombstone",
  "InvalidTombstoneSignature"
] as const satisfies ReadonlyArray<ErrorCodes.ArqError["_tag"]>

/**
 * Tags a NoRetry read can fail with: a default read's, plus BoxIdNotFound.
 *
 * @since 0.1.0
 * @category families
 */
export const readNoRetryErrorTags = [...readErrorTags, "BoxIdNotFound"] as const satisfies ReadonlyArray<
  ErrorCodes.ArqError["_tag"]
>

/**
 * Tags a default write can fail with. MkemDecryptionFailed is included because a courier
 * may answer a write with a (MKEM-encrypted) replica reply instead of a bare ACK.
 *
 * @since 0.1.0
 * @category families
 */
export const writeErrorTags = [...common, "StorageFull", "MkemDecryptionFailed"] as const satisfies ReadonlyArray<
  ErrorCodes.ArqError["_tag"]
>

/**
 * Tags a ReturnBoxExists write can fail with: a default write's, plus BoxAlreadyExists.
 *
 * @since 0.1.0
 * @category families
 */
export const writeReturnBoxExistsErrorTags = [...writeErrorTags, "BoxAlreadyExists"] as const satisfies ReadonlyArray<
  ErrorCodes.ArqError["_tag"]
>

/**
 * Tags a copy command can fail with (thin namespace; no decryption happens client-side).
 *
 * @since 0.1.0
 * @category families
 */
export const copyErrorTags = [
  "InvalidRequest",
  "InternalError",
  "StartResendingCancelled",
  "CopyCommandFailed",
  "CourierCacheCorruption",
  "PropagationError",
  "CourierInvalidEnvelope",
  "CourierInvalidEpoch",
  "PayloadTooLarge",
  "UnknownDaemonError"
] as const satisfies ReadonlyArray<ErrorCodes.CopyCommandError["_tag"]>

/**
 * Errors of a default read (`startResending` with a `ReadEnvelope`).
 *
 * @since 0.1.0
 * @category families
 */
export type ReadError = Extract<ErrorCodes.ArqError, { readonly _tag: (typeof readErrorTags)[number] }>

/**
 * Errors of `startResendingNoRetry`: a default read's, plus BoxIdNotFound.
 *
 * @since 0.1.0
 * @category families
 */
export type ReadNoRetryError = Extract<ErrorCodes.ArqError, { readonly _tag: (typeof readNoRetryErrorTags)[number] }>

/**
 * Errors of a default write (`startResending` with a `WriteEnvelope`).
 *
 * @since 0.1.0
 * @category families
 */
export type WriteError = Extract<ErrorCodes.ArqError, { readonly _tag: (typeof writeErrorTags)[number] }>

/**
 * Errors of `startResendingReturnBoxExists`: a default write's, plus BoxAlreadyExists.
 *
 * @since 0.1.0
 * @category families
 */
export type WriteReturnBoxExistsError = Extract<
  ErrorCodes.ArqError,
  { readonly _tag: (typeof writeReturnBoxExistsErrorTags)[number] }
>

/**
 * Errors of `startResendingCopyCommand`.
 *
 * @since 0.1.0
 * @category families
 */
export type CopyError = Extract<ErrorCodes.CopyCommandError, { readonly _tag: (typeof copyErrorTags)[number] }>
