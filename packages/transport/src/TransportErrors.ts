/**
 * Errors of the transport itself (the rest live in `core`'s ClientError).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The handshake (status, PKI document, session token reply) did not complete in time.
 *
 * @since 0.1.0
 * @category errors
 */
export class HandshakeTimeout extends Schema.TaggedError<HandshakeTimeout>()("HandshakeTimeout", {
  address: Schema.String,
  millis: Schema.Number
}) {
  override get message() {
    return `handshake with kpclientd at ${this.address} did not complete within ${this.millis} ms`
  }
}

/**
 * The connected daemon does not know this request kind. It was not sent: a v0.0.73 daemon
 * crashes on unknown requests.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnsupportedRequest extends Schema.TaggedError<UnsupportedRequest>()("UnsupportedRequest", {
  operation: Schema.String,
  daemon: Schema.String
}) {
  override get message() {
    return `${this.operation} is not supported by the connected daemon (${this.daemon})`
  }
}

/**
 * The daemon reported that it could not compose or send a direct message (a
 * `message_sent_event` with `err`), so no SURB reply will come.
 *
 * @since 0.1.0
 * @category errors
 */
export class MessageSendFailed extends Schema.TaggedError<MessageSendFailed>()("MessageSendFailed", {
  operation: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `${this.operation}: kpclientd could not send the message (${this.reason})`
  }
}
