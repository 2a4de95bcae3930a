/**
 * Every outcome the daemon reports as an error code, as a `Schema.TaggedError`, and the
 * reference text of each code (wire-protocol.md §4). `ErrorCodes` maps codes to them.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Fields every daemon error carries: the code as received and its reference text.
 *
 * @since 0.1.0
 * @category models
 */
export const DaemonErrorFields = { code: Schema.Int, message: Schema.String }

/**
 * Thin code 1: Connection lost.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConnectionLost extends Schema.TaggedError<ConnectionLost>()("ConnectionLost", DaemonErrorFields) {}

/**
 * Thin code 2: Timeout.
 *
 * @since 0.1.0
 * @category errors
 */
export class DaemonTimeout extends Schema.TaggedError<DaemonTimeout>()("DaemonTimeout", DaemonErrorFields) {}

/**
 * Thin code 3: Invalid request.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>()("InvalidRequest", DaemonErrorFields) {}

/**
 * Thin code 4: Internal error.
 *
 * @since 0.1.0
 * @category errors
 */
export class InternalError extends Schema.TaggedError<InternalError>()("InternalError", DaemonErrorFields) {}

/**
 * Thin code 5: Maximum retries exceeded.
 *
 * @since 0.1.0
 * @category errors
 */
export class MaxRetriesExceeded extends Schema.TaggedError<MaxRetriesExceeded>()("MaxRetriesExceeded", DaemonErrorFields) {}

/**
 * Thin code 6: Invalid channel.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidChannel extends Schema.TaggedError<InvalidChannel>()("InvalidChannel", DaemonErrorFields) {}

/**
 * Thin code 7: Channel not found.
 *
 * @since 0.1.0
 * @category errors
 */
export class ChannelNotFound extends Schema.TaggedError<ChannelNotFound>()("ChannelNotFound", DaemonErrorFields) {}

/**
 * Thin code 8: Permission denied.
 *
 * @since 0.1.0
 * @category errors
 */
export class PermissionDenied extends Schema.TaggedError<PermissionDenied>()("PermissionDenied", DaemonErrorFields) {}

/**
 * Thin code 9: Invalid payload.
 *
 * @since 0.1.0
 * @category errors
 */
export class ThinInvalidPayload extends Schema.TaggedError<ThinInvalidPayload>()("ThinInvalidPayload", DaemonErrorFields) {}

/**
 * Thin code 10: Service unavailable.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServiceUnavailable extends Schema.TaggedError<ServiceUnavailable>()("ServiceUnavailable", DaemonErrorFields) {}

/**
 * Thin code 11: Duplicate capability.
 *
 * @since 0.1.0
 * @category errors
 */
export class DuplicateCapability extends Schema.TaggedError<DuplicateCapability>()("DuplicateCapability", DaemonErrorFields) {}

/**
 * Thin code 12: Courier cache corruption.
 *
 * @since 0.1.0
 * @category errors
 */
export class CourierCacheCorruption extends Schema.TaggedError<CourierCacheCorruption>()("CourierCacheCorruption", DaemonErrorFields) {}

/**
 * Thin code 13: Propagation error.
 *
 * @since 0.1.0
 * @category errors
 */
export class PropagationError extends Schema.TaggedError<PropagationError>()("PropagationError", DaemonErrorFields) {}

/**
 * Thin code 14: Invalid write capability.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidWriteCapability extends Schema.TaggedError<InvalidWriteCapability>()("InvalidWriteCapability", DaemonErrorFields) {}

/**
 * Thin code 15: Invalid read capability.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidReadCapability extends Schema.TaggedError<InvalidReadCapability>()("InvalidReadCapability", DaemonErrorFields) {}

/**
 * Thin code 16: Invalid resume write channel request.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidResumeWriteChannelRequest
  extends Schema.TaggedError<InvalidResumeWriteChannelRequest>()("InvalidResumeWriteChannelRequest", DaemonErrorFields)
{}

/**
 * Thin code 17: Invalid resume read channel request.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidResumeReadChannelRequest
  extends Schema.TaggedError<InvalidResumeReadChannelRequest>()("InvalidResumeReadChannelRequest", DaemonErrorFields)
{}

/**
 * Thin code 18: Impossible hash error.
 *
 * @since 0.1.0
 * @category errors
 */
export class ImpossibleHash extends Schema.TaggedError<ImpossibleHash>()("ImpossibleHash", DaemonErrorFields) {}

/**
 * Thin code 19: Failed to create new write capability.
 *
 * @since 0.1.0
 * @category errors
 */
export class ImpossibleNewWriteCap extends Schema.TaggedError<ImpossibleNewWriteCap>()("ImpossibleNewWriteCap", DaemonErrorFields) {}

/**
 * Thin code 20: Failed to create new stateful writer.
 *
 * @since 0.1.0
 * @category errors
 */
export class ImpossibleNewStatefulWriter
  extends Schema.TaggedError<ImpossibleNewStatefulWriter>()("ImpossibleNewStatefulWriter", DaemonErrorFields)
{}

/**
 * Thin code 21: Capability already in use.
 *
 * @since 0.1.0
 * @category errors
 */
export class CapabilityAlreadyInUse extends Schema.TaggedError<CapabilityAlreadyInUse>()("CapabilityAlreadyInUse", DaemonErrorFields) {}

/**
 * Thin code 22: MKEM decryption failed.
 *
 * @since 0.1.0
 * @category errors
 */
export class MkemDecryptionFailed extends Schema.TaggedError<MkemDecryptionFailed>()("MkemDecryptionFailed", DaemonErrorFields) {}

/**
 * Thin code 23: BACAP decryption failed.
 *
 * @since 0.1.0
 * @category errors
 */
export class BacapDecryptionFailed extends Schema.TaggedError<BacapDecryptionFailed>()("BacapDecryptionFailed", DaemonErrorFields) {}

/**
 * Thin code 24: Start resending cancelled.
 *
 * @since 0.1.0
 * @category errors
 */
export class StartResendingCancelled extends Schema.TaggedError<StartResendingCancelled>()("StartResendingCancelled", DaemonErrorFields) {}

/**
 * Thin code 25: Invalid tombstone signature.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidTombstoneSignature extends Schema.TaggedError<InvalidTombstoneSignature>()("InvalidTombstoneSignature", DaemonErrorFields) {}

/**
 * Thin code 26: a copy command failed. `replicaErrorCode` is the replica code that aborted it
 * (0 if none) and `failedEnvelopeIndex` the 1-based position of the failing copy-stream element.
 *
 * @since 0.1.0
 * @category errors
 */
export class CopyCommandFailed extends Schema.TaggedError<CopyCommandFailed>()("CopyCommandFailed", {
  ...DaemonErrorFields,
  replicaErrorCode: Schema.Int,
  failedEnvelopeIndex: Schema.BigIntFromSelf
}) {}

/**
 * Thin code 27, or refused by the SDK before sending: the payload exceeds the geometry's
 * limit. `size` and `limit` are set when the SDK refused it.
 *
 * @since 0.1.0
 * @category errors
 */
export class PayloadTooLarge extends Schema.TaggedError<PayloadTooLarge>()("PayloadTooLarge", {
  ...DaemonErrorFields,
  size: Schema.optional(Schema.Int),
  limit: Schema.optional(Schema.Int)
}) {}

/**
 * Thin code 28 (kpclientd v0.0.104): Voucher payload does not hash to the voucher.
 *
 * @since 0.1.0
 * @category errors
 */
export class VoucherHashMismatch extends Schema.TaggedError<VoucherHashMismatch>()("VoucherHashMismatch", DaemonErrorFields) {}

/**
 * Thin code 29 (kpclientd v0.0.104): Voucher signed please-add did not verify.
 *
 * @since 0.1.0
 * @category errors
 */
export class VoucherSignatureInvalid extends Schema.TaggedError<VoucherSignatureInvalid>()("VoucherSignatureInvalid", DaemonErrorFields) {}

/**
 * Thin code 30 (kpclientd v0.0.104): Voucher sealed reply could not be opened.
 *
 * @since 0.1.0
 * @category errors
 */
export class VoucherSealOpenFailed extends Schema.TaggedError<VoucherSealOpenFailed>()("VoucherSealOpenFailed", DaemonErrorFields) {}

/**
 * Thin code 31: Courier rejected the envelope as malformed.
 *
 * @since 0.1.0
 * @category errors
 */
export class CourierInvalidEnvelope extends Schema.TaggedError<CourierInvalidEnvelope>()("CourierInvalidEnvelope", DaemonErrorFields) {}

/**
 * Thin code 32: Courier rejected the envelope: replica epoch outside tolerance window.
 *
 * @since 0.1.0
 * @category errors
 */
export class CourierInvalidEpoch extends Schema.TaggedError<CourierInvalidEpoch>()("CourierInvalidEpoch", DaemonErrorFields) {}

/**
 * Replica code 1: Box ID not found.
 *
 * @since 0.1.0
 * @category errors
 */
export class BoxIdNotFound extends Schema.TaggedError<BoxIdNotFound>()("BoxIdNotFound", DaemonErrorFields) {}

/**
 * Replica code 2: Invalid box ID.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidBoxId extends Schema.TaggedError<InvalidBoxId>()("InvalidBoxId", DaemonErrorFields) {}

/**
 * Replica code 3: Invalid signature.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidSignature extends Schema.TaggedError<InvalidSignature>()("InvalidSignature", DaemonErrorFields) {}

/**
 * Replica code 4: Database failure.
 *
 * @since 0.1.0
 * @category errors
 */
export class DatabaseFailure extends Schema.TaggedError<DatabaseFailure>()("DatabaseFailure", DaemonErrorFields) {}

/**
 * Replica code 5: Invalid payload.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidPayload extends Schema.TaggedError<InvalidPayload>()("InvalidPayload", DaemonErrorFields) {}

/**
 * Replica code 6: Storage full.
 *
 * @since 0.1.0
 * @category errors
 */
export class StorageFull extends Schema.TaggedError<StorageFull>()("StorageFull", DaemonErrorFields) {}

/**
 * Replica code 7: Replica internal error.
 *
 * @since 0.1.0
 * @category errors
 */
export class ReplicaInternalError extends Schema.TaggedError<ReplicaInternalError>()("ReplicaInternalError", DaemonErrorFields) {}

/**
 * Replica code 8: Invalid epoch.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidEpoch extends Schema.TaggedError<InvalidEpoch>()("InvalidEpoch", DaemonErrorFields) {}

/**
 * Replica code 9: Replication failed.
 *
 * @since 0.1.0
 * @category errors
 */
export class ReplicationFailed extends Schema.TaggedError<ReplicationFailed>()("ReplicationFailed", DaemonErrorFields) {}

/**
 * Replica code 10: Box already exists.
 *
 * @since 0.1.0
 * @category errors
 */
export class BoxAlreadyExists extends Schema.TaggedError<BoxAlreadyExists>()("BoxAlreadyExists", DaemonErrorFields) {}

/**
 * Replica code 11: Tombstone.
 *
 * @since 0.1.0
 * @category errors
 */
export class Tombstone extends Schema.TaggedError<Tombstone>()("Tombstone", DaemonErrorFields) {}

/**
 * A code this SDK does not know (a newer daemon), with the family it came in.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnknownDaemonError extends Schema.TaggedError<UnknownDaemonError>()("UnknownDaemonError", {
  ...DaemonErrorFields,
  family: Schema.String
}) {}

/** Reference text of each thin-namespace code. @since 0.1.0 @category constants */
export const thinCodeText: ReadonlyMap<number, string> = new Map([
  [0, "Success"],
  [1, "Connection lost"],
  [2, "Timeout"],
  [3, "Invalid request"],
  [4, "Internal error"],
  [5, "Maximum retries exceeded"],
  [6, "Invalid channel"],
  [7, "Channel not found"],
  [8, "Permission denied"],
  [9, "Invalid payload"],
  [10, "Service unavailable"],
  [11, "Duplicate capability"],
  [12, "Courier cache corruption"],
  [13, "Propagation error"],
  [14, "Invalid write capability"],
  [15, "Invalid read capability"],
  [16, "Invalid resume write channel request"],
  [17, "Invalid resume read channel request"],
  [18, "Impossible hash error"],
  [19, "Failed to create new write capability"],
  [20, "Failed to create new stateful writer"],
  [21, "Capability already in use"],
  [22, "MKEM decryption failed"],
  [23, "BACAP decryption failed"],
  [24, "Start resending cancelled"],
  [25, "Invalid tombstone signature"],
  [26, "Copy command failed"],
  [27, "Payload too large"],
  [28, "Voucher payload does not hash to the voucher"],
  [29, "Voucher signed please-add did not verify"],
  [30, "Voucher sealed reply could not be opened"],
  [31, "Courier rejected the envelope as malformed"],
  [32, "Courier rejected the envelope: replica epoch outside tolerance window"]
])

/** Reference text of each replica-namespace code. @since 0.1.0 @category constants */
export const replicaCodeText: ReadonlyMap<number, string> = new Map([
  [0, "Success"],
  [1, "Box ID not found"],
  [2, "Invalid box ID"],
  [3, "Invalid signature"],
  [4, "Database failure"],
  [5, "Invalid payload"],
  [6, "Storage full"],
  [7, "Replica internal error"],
  [8, "Invalid epoch"],
  [9, "Replication failed"],
  [10, "Box already exists"],
  [11, "Tombstone"]
])
