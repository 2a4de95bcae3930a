/**
 * Encrypted envelopes: what `encryptRead` / `encryptWrite` produce and `startResending…`
 * sends. Creating one costs no network traffic; sending it does.
 *
 * @since 0.1.0
 */
import type { EnvelopeDescriptor, EnvelopeHash, ErrorCodes, MessageBoxIndex, ReadCap, WriteCap } from "@katzenpost-effect/core"
import type { TransportError } from "@katzenpost-effect/transport"
import * as Data from "effect/Data"

/**
 * Fields every envelope carries. `envelopeDescriptor` holds an MKEM private key: it is only
 * ever handed back to the daemon, and prints redacted.
 *
 * @since 0.1.0
 * @category models
 */
export interface EnvelopeFields {
  /** The box this envelope reads or writes. */
  readonly boxIndex: MessageBoxIndex
  /** The serialized courier query, ready for the courier. */
  readonly messageCiphertext: Uint8Array
  readonly envelopeDescriptor: EnvelopeDescriptor
  /** The ARQ key: cancel with it. */
  readonly envelopeHash: EnvelopeHash
  /** The box after `boxIndex`. */
  readonly nextIndex: MessageBoxIndex
}

/**
 * An encrypted read of one box (`encryptRead`).
 *
 * @since 0.1.0
 * @category models
 */
export interface ReadEnvelope extends EnvelopeFields {
  readonly _tag: "ReadEnvelope"
  readonly readCap: ReadCap
}

/**
 * An encrypted write of one box (`encryptWrite`); `tombstone` when the plaintext was empty.
 *
 * @since 0.1.0
 * @category models
 */
export interface WriteEnvelope extends EnvelopeFields {
  readonly _tag: "WriteEnvelope"
  readonly writeCap: WriteCap
  readonly tombstone: boolean
}

/**
 * Either kind of envelope.
 *
 * @since 0.1.0
 * @category models
 */
export type Envelope = ReadEnvelope | WriteEnvelope

/**
 * Tombstone envelopes for consecutive boxes, and the index after the last one.
 *
 * @since 0.1.0
 * @category models
 */
export interface TombstoneRange {
  readonly envelopes: ReadonlyArray<WriteEnvelope>
  readonly next: MessageBoxIndex
}

/**
 * `tombstoneRange` stopped part-way: `envelopes` were made before `reason` stopped it, and
 * `next` is the first box that has no tombstone yet — resume from there.
 *
 * @since 0.1.0
 * @category errors
 */
export class TombstoneRangeIncomplete extends Data.TaggedError("TombstoneRangeIncomplete")<{
  readonly reason: ErrorCodes.LocalError | TransportError
  readonly envelopes: ReadonlyArray<WriteEnvelope>
  readonly next: MessageBoxIndex
}> {
  override get message() {
    return `tombstone range stopped after ${this.envelopes.length} envelope(s): ${this.reason.message}`
  }
}
