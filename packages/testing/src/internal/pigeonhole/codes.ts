/** The error codes the engine emits (wire-protocol.md §4): thin namespace, then replica. */

/** Thin 0. */
export const SUCCESS = 0
/** Thin 3: request validation failed. */
export const INVALID_REQUEST = 3
/** Thin 4: no PKI document, no courier, composition or parse failure. */
export const INTERNAL_ERROR = 4
/** Thin 22. */
export const MKEM_DECRYPTION_FAILED = 22
/** Thin 23. */
export const BACAP_DECRYPTION_FAILED = 23
/** Thin 24: the operation was cancelled. */
export const CANCELLED = 24
/** Thin 26: a copy command failed (replica code and 1-based element index alongside). */
export const COPY_COMMAND_FAILED = 26

/** Replica 1. */
export const BOX_ID_NOT_FOUND = 1
/** Replica 5. */
export const INVALID_PAYLOAD = 5
/** Replica 10. */
export const BOX_ALREADY_EXISTS = 10
/** Replica 11. */
export const TOMBSTONE = 11

/** The most a copy-stream payload may carry per call or destination (10 MiB). */
export const MAX_COPY_PAYLOAD = 10 * 1024 * 1024
