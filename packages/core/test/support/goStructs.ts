/**
 * The Go structs of the thin protocol as wire-protocol.md §3.3 describes them, and the
 * fxamacker/cbor default rules (§1.3) that turn a struct value into a CBOR map: fields in
 * declaration order, nil pointers and slices as null, `omitempty` fields left out when
 * empty, non-pointer scalars as their zero value. Written from the reference text, not from
 * the SDK's schemas, so the golden vectors check the SDK rather than repeat it.
 */
import type { Item } from "./cborBytes.js"

/**
 * How a Go field behaves on the wire.
 * - `ptr`: `*T` (ids, hashes, BACAP blobs, `*uint8`, `error`): nil → null; omitempty only when nil
 * - `slice`: `[]byte` / `[][]byte` / `[]T`: nil → null; omitempty when nil or empty
 * - `bool` / `uint` / `int` / `string`: zero value when unset; omitempty when zero
 * - `bytes16` / `bytes32`: `[N]byte` (not a pointer): N zero bytes when unset
 * - `time`: `time.Time`: zero → null, else Unix seconds
 * - `{ struct }` / `{ sliceOf }`: a pointer to a nested struct / a slice of them
 */
export type GoKind =
  | "ptr"
  | "slice"
  | "bool"
  | "uint"
  | "int"
  | "string"
  | "bytes16"
  | "bytes32"
  | "time"
  | { readonly struct: string }
  | { readonly sliceOf: string }

/** One struct field: wire name, kind, and whether it is tagged omitempty. */
export type GoField = readonly [name: string, kind: GoKind, omitempty?: "omitempty"]

const q: GoField = ["query_id", "ptr"]
const code: GoField = ["error_code", "uint"]

/** Struct layouts (v0.0.73, plus the newer daemons' additions), in declaration order. */
export const structs: Record<string, ReadonlyArray<GoField>> = {
  // requests
  SessionToken: [["client_instance_token", "bytes16"]],
  ThinClose: [],
  SendMessage: [
    ["id", "ptr"],
    ["with_surb", "bool"],
    ["surbid", "ptr"],
    ["destination_id_hash", "ptr"],
    ["recipient_queue_id", "slice"],
    ["payload", "slice"]
  ],
  NewKeypair: [q, ["seed", "slice"]],
  EncryptRead: [q, ["read_cap", "ptr"], ["message_box_index", "ptr"]],
  EncryptWrite: [q, ["plaintext", "slice"], ["write_cap", "ptr"], ["message_box_index", "ptr"]],
  StartResendingEncryptedMessage: [
    q,
    ["read_cap", "ptr"],
    ["write_cap", "ptr"],
    ["message_box_index", "slice"],
    ["reply_index", "ptr", "omitempty"],
    ["envelope_descriptor", "slice"],
    ["message_ciphertext", "slice"],
    ["envelope_hash", "ptr"],
    ["no_retry_on_box_id_not_found", "bool", "omitempty"],
    ["no_idempotent_box_already_exists", "bool", "omitempty"]
  ],
  CancelResendingEncryptedMessage: [q, ["envelope_hash", "ptr"]],
  StartResendingCopyCommand: [
    q,
    ["write_cap", "ptr"],
    ["courier_identity_hash", "ptr", "omitempty"],
    ["courier_queue_id", "slice", "omitempty"]
  ],
  CancelResendingCopyCommand: [q, ["write_cap_hash", "ptr"]],
  NextMessageBoxIndex: [q, ["message_box_index", "ptr"]],
  GetMessageBoxIndexCounter: [q, ["message_box_index", "ptr"]],
  CreateCourierEnvelopesFromPayload: [
    q,
    ["payload", "slice"],
    ["dest_write_cap", "ptr"],
    ["dest_start_index", "ptr"],
    ["is_start", "bool"],
    ["is_last", "bool"]
  ],
  CreateCourierEnvelopesFromPayloads: [
    q,
    ["destinations", { sliceOf: "DestinationPayload" }],
    ["is_start", "bool"],
    ["is_last", "bool"],
    ["buffer", "slice"]
  ],
  DestinationPayload: [["payload", "slice"], ["write_cap", "ptr"], ["start_index", "ptr"]],
  CreateCourierEnvelopesFromTombstoneRange: [
    q,
    ["dest_write_cap", "ptr"],
    ["dest_start_index", "ptr"],
    ["max_count", "uint"],
    ["is_start", "bool"],
    ["is_last", "bool"],
    ["buffer", "slice"]
  ],
  GetPKIDocument: [q, ["epoch", "uint"]],
  GetDirectoryAuthorities: [q],
  VoucherMint: [q, ["message_write_cap", "slice"], ["display_name", "string"]],
  VoucherInduct: [q, ["voucher", "slice"], ["voucher_payload", "slice"], ["who_reply", "slice"]],
  VoucherOpen: [q, ["voucher_secret_key", "slice"], ["sealed_reply", "slice"], ["message_write_cap", "slice"]],
  VoucherDeriveStream: [q, ["voucher", "slice"]],

  // responses
  SessionTokenReply: [["app_id", "slice"], ["resumed", "bool"]],
  ShutdownEvent: [],
  ConnectionStatusEvent: [["is_connected", "bool"], ["err", "ptr"], ["instance_token", "bytes16"]],
  ConnectionStatusEventNewer: [
    ["is_connected", "bool"],
    ["err", "ptr"],
    ["instance_token", "bytes16"],
    ["sphinx_geometry", { struct: "SphinxGeometry" }],
    ["pigeonhole_geometry", { struct: "PigeonholeGeometry" }]
  ],
  NewPKIDocumentEvent: [["payload", "slice"]],
  MessageSentEvent: [
    ["message_id", "ptr"],
    ["surbid", "ptr"],
    ["sent_at", "time"],
    ["reply_eta", "int"],
    ["forward_route", "slice", "omitempty"],
    ["return_route", "slice", "omitempty"],
    ["err", "string", "omitempty"]
  ],
  MessageReplyEvent: [
    ["message_id", "ptr"],
    ["surbid", "ptr"],
    ["payload", "slice"],
    ["reply_index", "ptr", "omitempty"],
    code
  ],
  MessageIDGarbageCollected: [["message_id", "ptr"]],
  NewKeypairReply: [q, ["write_cap", "ptr"], ["read_cap", "ptr"], ["first_message_index", "ptr"], code],
  EncryptReply: [
    q,
    ["message_ciphertext", "slice"],
    ["envelope_descriptor", "slice"],
    ["envelope_hash", "ptr"],
    ["next_message_box_index", "ptr"],
    code
  ],
  StartResendingEncryptedMessageReply: [
    q,
    ["plaintext", "slice"],
    code,
    ["courier_identity_hash", "ptr"],
    ["courier_queue_id", "slice"]
  ],
  CancelReply: [q, code],
  StartResendingCopyCommandReply: [
    q,
    code,
    ["replica_error_code", "uint", "omitempty"],
    ["failed_envelope_index", "uint", "omitempty"]
  ],
  NextMessageBoxIndexReply: [q, ["next_message_box_index", "ptr"], code],
  GetMessageBoxIndexCounterReply: [q, ["counter", "uint"], code],
  CreateCourierEnvelopesFromPayloadReply: [q, ["envelopes", "slice"], ["next_dest_index", "ptr"], code],
  CreateCourierEnvelopesFromPayloadsReply: [
    q,
    ["envelopes", "slice"],
    ["buffer", "slice"],
    ["next_dest_indices", "slice"],
    code
  ],
  CreateCourierEnvelopesFromTombstoneRangeReply: [
    q,
    ["envelopes", "slice"],
    ["buffer", "slice"],
    ["next_dest_index", "ptr"],
    code
  ],
  GetPKIDocumentReply: [q, ["payload", "slice"], ["epoch", "uint"], code],
  GetDirectoryAuthoritiesReply: [q, ["authorities", { sliceOf: "DirectoryAuthority" }], code],
  DirectoryAuthority: [
    ["identifier", "string"],
    ["pki_signature_scheme", "string"],
    ["wire_kem_scheme", "string"],
    ["addresses", "slice"],
    ["identity_public_key_pem", "string"],
    ["link_public_key_pem", "string"],
    ["identity_key_hash", "bytes32"]
  ],
  VoucherMintReply: [
    q,
    ["voucher", "slice"],
    ["voucher_payload", "slice"],
    ["voucher_write_cap", "slice"],
    ["voucher_read_cap", "slice"],
    ["voucher_secret_key", "slice"],
    ["voucher_public_key", "slice"],
    code
  ],
  VoucherInductReply: [
    q,
    ["display_name", "string"],
    ["mutated_message_read_cap", "slice"],
    ["sealed_reply", "slice"],
    ["voucher_write_cap", "slice"],
    ["voucher_read_cap", "slice"],
    ["salt", "slice"],
    code
  ],
  VoucherOpenReply: [q, ["who_reply", "slice"], ["salt", "slice"], ["mutated_message_write_cap", "slice"], code],
  VoucherDeriveStreamReply: [q, ["voucher_write_cap", "slice"], ["voucher_read_cap", "slice"], code],

  // geometry (Go field names, no cbor tags)
  SphinxGeometry: [
    ["PacketLength", "int"],
    ["NrHops", "int"],
    ["HeaderLength", "int"],
    ["RoutingInfoLength", "int"],
    ["PerHopRoutingInfoLength", "int"],
    ["SURBLength", "int"],
    ["SphinxPlaintextHeaderLength", "int"],
    ["PayloadTagLength", "int"],
    ["ForwardPayloadLength", "int"],
    ["UserForwardPayloadLength", "int"],
    ["NextNodeHopLength", "int"],
    ["SPRPKeyMaterialLength", "int"],
    ["NIKEName", "string"],
    ["KEMName", "string"]
  ],
  PigeonholeGeometry: [
    ["MaxPlaintextPayloadLength", "int"],
    ["CourierQueryReadLength", "int"],
    ["CourierQueryWriteLength", "int"],
    ["CourierQueryReplyReadLength", "int"],
    ["CourierQueryReplyWriteLength", "int"],
    ["NIKEName", "string"],
    ["SignatureSchemeName", "string"]
  ]
}

/** Envelope key → struct of each request, v0.0.73 declaration order (15 keys). */
export const requestEnvelopeV0073: ReadonlyArray<readonly [string, string]> = [
  ["session_token", "SessionToken"],
  ["thin_close", "ThinClose"],
  ["send_message", "SendMessage"],
  ["new_keypair", "NewKeypair"],
  ["encrypt_read", "EncryptRead"],
  ["encrypt_write", "EncryptWrite"],
  ["start_resending_encrypted_message", "StartResendingEncryptedMessage"],
  ["cancel_resending_encrypted_message", "CancelResendingEncryptedMessage"],
  ["start_resending_copy_command", "StartResendingCopyCommand"],
  ["cancel_resending_copy_command", "CancelResendingCopyCommand"],
  ["next_message_box_index", "NextMessageBoxIndex"],
  ["get_message_box_index_counter", "GetMessageBoxIndexCounter"],
  ["create_courier_envelopes_from_payload", "CreateCourierEnvelopesFromPayload"],
  ["create_courier_envelopes_from_multi_payload", "CreateCourierEnvelopesFromPayloads"],
  ["create_courier_envelopes_from_tombstone_range", "CreateCourierEnvelopesFromTombstoneRange"]
]

/** Requests only newer daemons know (a v0.0.73 daemon crashes on them). */
export const requestEnvelopeNewerOnly: ReadonlyArray<readonly [string, string]> = [
  ["get_pki_document", "GetPKIDocument"],
  ["get_directory_authorities", "GetDirectoryAuthorities"],
  ["voucher_mint", "VoucherMint"],
  ["voucher_induct", "VoucherInduct"],
  ["voucher_open", "VoucherOpen"],
  ["voucher_derive_stream", "VoucherDeriveStream"]
]

/** Envelope key → struct of each response, v0.0.73 declaration order (19 keys). */
export const responseEnvelopeV0073: ReadonlyArray<readonly [string, string]> = [
  ["session_token_reply", "SessionTokenReply"],
  ["shutdown_event", "ShutdownEvent"],
  ["connection_status_event", "ConnectionStatusEvent"],
  ["new_pki_document_event", "NewPKIDocumentEvent"],
  ["message_sent_event", "MessageSentEvent"],
  ["message_reply_event", "MessageReplyEvent"],
  ["message_id_garbage_collected", "MessageIDGarbageCollected"],
  ["new_keypair_reply", "NewKeypairReply"],
  ["encrypt_read_reply", "EncryptReply"],
  ["encrypt_write_reply", "EncryptReply"],
  ["start_resending_encrypted_message_reply", "StartResendingEncryptedMessageReply"],
  ["cancel_resending_encrypted_message_reply", "CancelReply"],
  ["start_resending_copy_command_reply", "StartResendingCopyCommandReply"],
  ["cancel_resending_copy_command_reply", "CancelReply"],
  ["next_message_box_index_reply", "NextMessageBoxIndexReply"],
  ["get_message_box_index_counter_reply", "GetMessageBoxIndexCounterReply"],
  ["create_courier_envelopes_from_payload_reply", "CreateCourierEnvelopesFromPayloadReply"],
  ["create_courier_envelopes_from_multi_payload_reply", "CreateCourierEnvelopesFromPayloadsReply"],
  ["create_courier_envelopes_from_tombstone_range_reply", "CreateCourierEnvelopesFromTombstoneRangeReply"]
]

/** The newer daemons' response envelope (25 keys), with their struct of each member. */
export const responseEnvelopeNewer: ReadonlyArray<readonly [string, string]> = [
  ...responseEnvelopeV0073.slice(0, 16).map(([key, struct]): readonly [string, string] =>
    key === "connection_status_event" ? [key, "ConnectionStatusEventNewer"] : [key, struct]
  ),
  ["get_pki_document_reply", "GetPKIDocumentReply"],
  ["get_directory_authorities_reply", "GetDirectoryAuthoritiesReply"],
  ...responseEnvelopeV0073.slice(16),
  ["voucher_mint_reply", "VoucherMintReply"],
  ["voucher_induct_reply", "VoucherInductReply"],
  ["voucher_open_reply", "VoucherOpenReply"],
  ["voucher_derive_stream_reply", "VoucherDeriveStreamReply"]
]

/** A field value as written in a vector spec: bytes, numbers, text, nested structs. */
export type GoValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | ReadonlyArray<GoValue>
  | { readonly [field: string]: GoValue }

const isEmptyValue = (kind: GoKind, value: GoValue): boolean => {
  if (value === null) return true
  if (kind === "ptr" || (typeof kind === "object" && "struct" in kind)) return false // non-nil pointer: never empty
  if (value === false || value === 0 || value === 0n || value === "") return true
  if (value instanceof Uint8Array || Array.isArray(value)) return value.length === 0
  return false
}

const zeroItem = (kind: GoKind): Item => {
  switch (kind) {
    case "bool":
      return { t: "bool", v: false }
    case "uint":
    case "int":
      return { t: "uint", n: 0n }
    case "string":
      return { t: "text", s: "" }
    case "bytes16":
      return { t: "bytes", b: new Uint8Array(16) }
    case "bytes32":
      return { t: "bytes", b: new Uint8Array(32) }
    default:
      return { t: "null" }
  }
}

/** A plain value as a CBOR item (bytes, integers, text, arrays). */
export const itemOf = (value: GoValue, element?: string): Item => {
  if (value === null) return { t: "null" }
  if (typeof value === "boolean") return { t: "bool", v: value }
  if (typeof value === "number" || typeof value === "bigint") {
    if (typeof value === "number" && !Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`)
    const n = BigInt(value)
    return n >= 0n ? { t: "uint", n } : { t: "nint", n }
  }
  if (typeof value === "string") return { t: "text", s: value }
  if (value instanceof Uint8Array) return { t: "bytes", b: value }
  if (Array.isArray(value)) {
    return {
      t: "array",
      items: value.map((v: GoValue) => (element !== undefined && v !== null ? structItem(element, v as Record<string, GoValue>) : itemOf(v)))
    }
  }
  throw new Error("a nested struct needs its struct name")
}

/**
 * The CBOR map Go writes for a struct value. `dropNil` leaves out nil fields as well (the
 * SDK's minimal request form, applied to the top level only).
 */
export const structItem = (
  struct: string,
  value: { readonly [field: string]: GoValue },
  options: { readonly dropNil?: boolean } = {}
): Item => {
  const fields = structs[struct]
  if (fields === undefined) throw new Error(`unknown struct ${struct}`)
  for (const key of Object.keys(value)) {
    if (!fields.some(([name]) => name === key)) throw new Error(`${struct} has no field ${key}`)
  }
  const entries: Array<readonly [string, Item]> = []
  for (const [name, kind, omitempty] of fields) {
    const v = value[name] ?? null
    if (omitempty !== undefined && isEmptyValue(kind, v)) continue
    if (options.dropNil === true && v === null) continue
    if (v === null) {
      entries.push([name, zeroItem(kind)])
    } else if (typeof kind === "object" && "struct" in kind) {
      entries.push([name, structItem(kind.struct, v as Record<string, GoValue>)])
    } else if (typeof kind === "object") {
      entries.push([name, itemOf(v, kind.sliceOf)])
    } else {
      entries.push([name, itemOf(v)])
    }
  }
  return { t: "map", entries }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/** JSON for the `fields` of a vector: bytes as hex, big integers as decimal strings. */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/** An item as vector JSON. */
export const jsonOf = (item: Item): Json => {
  switch (item.t) {
    case "null":
      return null
    case "bool":
      return item.v
    case "uint":
    case "nint":
      return item.n > MAX_SAFE || item.n < -MAX_SAFE ? item.n.toString() : Number(item.n)
    case "text":
      return item.s
    case "bytes":
      return Buffer.from(item.b).toString("hex")
    case "array":
      return item.items.map(jsonOf)
    case "map":
      return Object.fromEntries(item.entries.map(([k, v]) => [typeof k === "string" ? k : JSON.stringify(jsonOf(k)), jsonOf(v)]))
    case "float":
      return item.v
  }
}
