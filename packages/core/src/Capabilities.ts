/**
 * BACAP capabilities and box indexes as they travel on the wire (hpqc `MarshalBinary`
 * layouts), wrapped so their secret bytes are never printed.
 *
 * @since 0.1.0
 */
import type * as Schema from "effect/Schema"
import { SecretBytes, secretBytesSchema } from "./internal/secret.js"

/** @since 0.1.0 @category constants */
export const WRITE_CAP_SIZE = 168
/** @since 0.1.0 @category constants */
export const READ_CAP_SIZE = 136
/** @since 0.1.0 @category constants */
export const MESSAGE_BOX_INDEX_SIZE = 104

/**
 * The right to write a stream: Ed25519 seed ‖ public key (64) ‖ first MessageBoxIndex (104).
 *
 * @since 0.1.0
 * @category models
 */
export class WriteCap extends SecretBytes {
  readonly _tag = "WriteCap"
}

/**
 * The right to read a stream: root public key (32) ‖ first MessageBoxIndex (104).
 *
 * @since 0.1.0
 * @category models
 */
export class ReadCap extends SecretBytes {
  readonly _tag = "ReadCap"
}

/**
 * A position in a stream: Idx64 (u64 little-endian) ‖ blinding factor ‖ encryption key ‖
 * HKDF state (32 each). It carries key material, so it is secret too.
 *
 * @since 0.1.0
 * @category models
 */
export class MessageBoxIndex extends SecretBytes {
  readonly _tag = "MessageBoxIndex"
}

/**
 * The daemon's opaque envelope descriptor. It holds an MKEM private key: hand it back to
 * `start_resending_encrypted_message` unchanged and never show it.
 *
 * @since 0.1.0
 * @category models
 */
export class EnvelopeDescriptor extends SecretBytes {
  readonly _tag = "EnvelopeDescriptor"
}

/** Wire schema of a WriteCap (168 bytes). @since 0.1.0 @category schemas */
export const WriteCapFromBytes: Schema.Schema<WriteCap, Uint8Array> = secretBytesSchema(WriteCap, "WriteCap", WRITE_CAP_SIZE)
/** Wire schema of a ReadCap (136 bytes). @since 0.1.0 @category schemas */
export const ReadCapFromBytes: Schema.Schema<ReadCap, Uint8Array> = secretBytesSchema(ReadCap, "ReadCap", READ_CAP_SIZE)
/** Wire schema of a MessageBoxIndex (104 bytes). @since 0.1.0 @category schemas */
export const MessageBoxIndexFromBytes: Schema.Schema<MessageBoxIndex, Uint8Array> = secretBytesSchema(
  MessageBoxIndex,
  "MessageBoxIndex",
  MESSAGE_BOX_INDEX_SIZE
)
/** Wire schema of an envelope descriptor (any length). @since 0.1.0 @category schemas */
export const EnvelopeDescriptorFromBytes: Schema.Schema<EnvelopeDescriptor, Uint8Array> = secretBytesSchema(
  EnvelopeDescriptor,
  "EnvelopeDescriptor",
  undefined
)
