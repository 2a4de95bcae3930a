/**
 * Errors the SDK raises itself, without the daemon having answered.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * An argument was refused before anything was sent (wrong seed length, oversized
 * plaintext…). `argument` names it; the value is never included.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidArgument extends Schema.TaggedError<InvalidArgument>()("InvalidArgument", {
  argument: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `invalid ${this.argument}: ${this.reason}`
  }
}

/**
 * The daemon is not connected to the mixnet, so a mixnet-bound request was refused rather
 * than queued.
 *
 * @since 0.1.0
 * @category errors
 */
export class DaemonOffline extends Schema.TaggedError<DaemonOffline>()("DaemonOffline", {
  operation: Schema.String
}) {
  override get message() {
    return `${this.operation}: the daemon is not connected to the mixnet`
  }
}

/**
 * There is no connection to the daemon (it dropped, or the client is reconnecting).
 *
 * @since 0.1.0
 * @category errors
 */
export class DaemonDisconnected extends Schema.TaggedError<DaemonDisconnected>()("DaemonDisconnected", {
  operation: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `${this.operation}: not connected to the daemon (${this.reason})`
  }
}

/**
 * The client was closed while the call was waiting.
 *
 * @since 0.1.0
 * @category errors
 */
export class ClientClosed extends Schema.TaggedError<ClientClosed>()("ClientClosed", {
  operation: Schema.String
}) {
  override get message() {
    return `${this.operation}: the thin client was closed`
  }
}

/**
 * A call did not complete in the time allowed.
 *
 * @since 0.1.0
 * @category errors
 */
export class RequestTimeout extends Schema.TaggedError<RequestTimeout>()("RequestTimeout", {
  operation: Schema.String,
  millis: Schema.Number
}) {
  override get message() {
    return `${this.operation} timed out after ${this.millis} ms`
  }
}

/**
 * Connecting to the daemon failed (dial or handshake).
 *
 * @since 0.1.0
 * @category errors
 */
export class ConnectError extends Schema.TaggedError<ConnectError>()("ConnectError", {
  address: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `cannot connect to kpclientd at ${this.address}: ${this.reason}`
  }
}

/**
 * thinclient.toml (or a config value) is missing, unreadable or invalid. Named apart from
 * Effect's own `ConfigError`, which `ThinClient.layerConfig` can fail with too.
 *
 * @since 0.1.0
 * @category errors
 */
export class ThinClientConfigError extends Schema.TaggedError<ThinClientConfigError>()("ThinClientConfigError", {
  path: Schema.optional(Schema.String),
  reason: Schema.String
}) {
  override get message() {
    return this.path === undefined ? `invalid thin client config: ${this.reason}` : `invalid thin client config ${this.path}: ${this.reason}`
  }
}

/**
 * The former name of `ThinClientConfigError` (its tag is now `"ThinClientConfigError"`).
 *
 * @deprecated Use `ThinClientConfigError`.
 * @since 0.1.0
 * @category errors
 */
export const ConfigError = ThinClientConfigError

/**
 * The former name of `ThinClientConfigError`.
 *
 * @deprecated Use `ThinClientConfigError`.
 * @since 0.1.0
 * @category errors
 */
export type ConfigError = ThinClientConfigError

/**
 * No PKI document is known yet.
 *
 * @since 0.1.0
 * @category errors
 */
export class NoPkiDocument extends Schema.TaggedError<NoPkiDocument>()("NoPkiDocument", {}) {
  override get message() {
    return "no PKI document has been received from the daemon"
  }
}

/**
 * The PKI document lists no service with this capability.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServiceNotFound extends Schema.TaggedError<ServiceNotFound>()("ServiceNotFound", {
  capability: Schema.String
}) {
  override get message() {
    return `no service with capability "${this.capability}" in the PKI document`
  }
}
