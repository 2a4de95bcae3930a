/**
 * Errors for bytes that do not form a valid thin-protocol message. None of them carries the
 * offending bytes: frames can hold capabilities and plaintext.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * A frame declared a body longer than the configured maximum; nothing was allocated.
 *
 * @since 0.1.0
 * @category errors
 */
export class FrameTooLarge extends Schema.TaggedError<FrameTooLarge>()("FrameTooLarge", {
  length: Schema.Number,
  maxLength: Schema.Number
}) {
  override get message() {
    return `frame declares ${this.length} bytes, above the maximum of ${this.maxLength}`
  }
}

/**
 * The stream ended in the middle of a frame.
 *
 * @since 0.1.0
 * @category errors
 */
export class FrameTruncated extends Schema.TaggedError<FrameTruncated>()("FrameTruncated", {
  expected: Schema.Number,
  received: Schema.Number
}) {
  override get message() {
    return `stream ended after ${this.received} of ${this.expected} frame bytes`
  }
}

/**
 * A frame body is not exactly one well-formed CBOR item of the kinds we accept.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCbor extends Schema.TaggedError<InvalidCbor>()("InvalidCbor", {
  reason: Schema.String
}) {
  override get message() {
    return `invalid CBOR: ${this.reason}`
  }
}

/**
 * A CBOR item does not have the shape of the message it claims to be. `path` names the field;
 * `reason` never contains field values.
 *
 * @since 0.1.0
 * @category errors
 */
export class MalformedMessage extends Schema.TaggedError<MalformedMessage>()("MalformedMessage", {
  kind: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `malformed ${this.kind}: ${this.reason}`
  }
}

/**
 * Any failure to turn bytes into a message.
 *
 * @since 0.1.0
 * @category errors
 */
export type ProtocolError = FrameTooLarge | FrameTruncated | InvalidCbor | MalformedMessage
