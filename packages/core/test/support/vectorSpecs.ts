/**
 * The messages of the golden vectors, as plain field values. `goldenVectors` turns them into
 * bytes with the hand-written Go struct rules and the tiny CBOR writer, never with the codec.
 */
import { hexOf, type Item } from "./cborBytes.js"
import {
  type GoValue,
  type Json,
  jsonOf,
  requestEnvelopeNewerOnly,
  requestEnvelopeV0073,
  responseEnvelopeNewer,
  responseEnvelopeV0073,
  structItem
} from "./goStructs.js"

/** Bytes start, start+1, … (mod 256). */
export const seq = (start: number, length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff)
const text = (s: string): Uint8Array => new TextEncoder().encode(s)

export const sample = {
  queryId: seq(0x00, 16),
  messageId: seq(0x10, 16),
  surbId: seq(0x20, 16),
  token: seq(0x30, 16),
  appId: seq(0x50, 16),
  nodeHash: seq(0x80, 32),
  envelopeHash: seq(0xa0, 32),
  writeCapHash: seq(0xc0, 32),
  writeCap: seq(0x01, 168),
  readCap: seq(0x21, 136),
  index: seq(0x41, 104),
  index2: seq(0x61, 104),
  seed: seq(0xe0, 32),
  descriptor: seq(0x90, 40),
  ciphertext: seq(0x33, 48),
  payload: text("hello mixnet"),
  queue: text("+echo"),
  courierQueue: text("courier")
}
const s = sample

/** A message of one kind, given by its non-zero fields. */
export interface Spec {
  readonly name: string
  readonly key: string
  readonly value: { readonly [field: string]: GoValue }
}

/** Requests a v0.0.73 daemon knows: at least one per kind, plus the omitempty variants. */
export const requestSpecs: ReadonlyArray<Spec> = [
  { name: "session_token", key: "session_token", value: { client_instance_token: s.token } },
  { name: "thin_close", key: "thin_close", value: {} },
  {
    name: "send_message/with_surb",
    key: "send_message",
    value: { id: s.messageId, with_surb: true, surbid: s.surbId, destination_id_hash: s.nodeHash, recipient_queue_id: s.queue, payload: s.payload }
  },
  {
    name: "send_message/without_surb",
    key: "send_message",
    value: { id: s.messageId, with_surb: false, destination_id_hash: s.nodeHash, recipient_queue_id: s.queue, payload: s.payload }
  },
  { name: "new_keypair", key: "new_keypair", value: { query_id: s.queryId, seed: s.seed } },
  { name: "encrypt_read", key: "encrypt_read", value: { query_id: s.queryId, read_cap: s.readCap, message_box_index: s.index } },
  {
    name: "encrypt_write",
    key: "encrypt_write",
    value: { query_id: s.queryId, plaintext: s.payload, write_cap: s.writeCap, message_box_index: s.index }
  },
  {
    name: "encrypt_write/tombstone_empty_plaintext",
    key: "encrypt_write",
    value: { query_id: s.queryId, plaintext: new Uint8Array(0), write_cap: s.writeCap, message_box_index: s.index }
  },
  {
    name: "start_resending_encrypted_message/read",
    key: "start_resending_encrypted_message",
    value: {
      query_id: s.queryId,
      read_cap: s.readCap,
      message_box_index: s.index,
      envelope_descriptor: s.descriptor,
      message_ciphertext: s.ciphertext,
      envelope_hash: s.envelopeHash
    }
  },
  {
    name: "start_resending_encrypted_message/write",
    key: "start_resending_encrypted_message",
    value: {
      query_id: s.queryId,
      write_cap: s.writeCap,
      envelope_descriptor: s.descriptor,
      message_ciphertext: s.ciphertext,
      envelope_hash: s.envelopeHash
    }
  },
  {
    name: "start_resending_encrypted_message/reply_index_0_and_flags",
    key: "start_resending_encrypted_message",
    value: {
      query_id: s.queryId,
      read_cap: s.readCap,
      message_box_index: s.index,
      reply_index: 0,
      envelope_descriptor: s.descriptor,
      message_ciphertext: s.ciphertext,
      envelope_hash: s.envelopeHash,
      no_retry_on_box_id_not_found: true,
      no_idempotent_box_already_exists: true
    }
  },
  {
    name: "start_resending_encrypted_message/reply_index_3",
    key: "start_resending_encrypted_message",
    value: {
      query_id: s.queryId,
      write_cap: s.writeCap,
      reply_index: 3,
      envelope_descriptor: s.descriptor,
      message_ciphertext: s.ciphertext,
      envelope_hash: s.envelopeHash
    }
  },
  {
    name: "cancel_resending_encrypted_message",
    key: "cancel_resending_encrypted_message",
    value: { query_id: s.queryId, envelope_hash: s.envelopeHash }
  },
  { name: "start_resending_copy_command", key: "start_resending_copy_command", value: { query_id: s.queryId, write_cap: s.writeCap } },
  {
    name: "start_resending_copy_command/with_courier",
    key: "start_resending_copy_command",
    value: { query_id: s.queryId, write_cap: s.writeCap, courier_identity_hash: s.nodeHash, courier_queue_id: s.courierQueue }
  },
  {
    name: "start_resending_copy_command/empty_courier_queue_omitted",
    key: "start_resending_copy_command",
    value: { query_id: s.queryId, write_cap: s.writeCap, courier_identity_hash: s.nodeHash, courier_queue_id: new Uint8Array(0) }
  },
  {
    name: "cancel_resending_copy_command",
    key: "cancel_resending_copy_command",
    value: { query_id: s.queryId, write_cap_hash: s.writeCapHash }
  },
  { name: "next_message_box_index", key: "next_message_box_index", value: { query_id: s.queryId, message_box_index: s.index } },
  {
    name: "get_message_box_index_counter",
    key: "get_message_box_index_counter",
    value: { query_id: s.queryId, message_box_index: s.index }
  },
  {
    name: "create_courier_envelopes_from_payload",
    key: "create_courier_envelopes_from_payload",
    value: { query_id: s.queryId, payload: s.payload, dest_write_cap: s.writeCap, dest_start_index: s.index, is_start: true, is_last: true }
  },
  {
    name: "create_courier_envelopes_from_multi_payload/first",
    key: "create_courier_envelopes_from_multi_payload",
    value: {
      query_id: s.queryId,
      destinations: [
        { payload: s.payload, write_cap: s.writeCap, start_index: s.index },
        { payload: text("second"), write_cap: s.writeCap, start_index: s.index2 }
      ],
      is_start: true,
      is_last: false
    }
  },
  {
    name: "create_courier_envelopes_from_multi_payload/last_with_buffer",
    key: "create_courier_envelopes_from_multi_payload",
    value: {
      query_id: s.queryId,
      destinations: [{ payload: s.payload, write_cap: s.writeCap, start_index: s.index }],
      is_start: false,
      is_last: true,
      buffer: seq(0x70, 10)
    }
  },
  {
    name: "create_courier_envelopes_from_tombstone_range",
    key: "create_courier_envelopes_from_tombstone_range",
    value: { query_id: s.queryId, dest_write_cap: s.writeCap, dest_start_index: s.index, max_count: 10, is_start: true, is_last: true }
  },
  {
    name: "create_courier_envelopes_from_tombstone_range/large_count_with_buffer",
    key: "create_courier_envelopes_from_tombstone_range",
    value: {
      query_id: s.queryId,
      dest_write_cap: s.writeCap,
      dest_start_index: s.index,
      max_count: 70000,
      is_start: false,
      is_last: false,
      buffer: seq(0x70, 3)
    }
  }
]

/** Requests only newer daemons know (HEAD). Never send them to v0.0.73. */
export const newerRequestSpecs: ReadonlyArray<Spec> = [
  { name: "get_pki_document/current", key: "get_pki_document", value: { query_id: s.queryId, epoch: 0 } },
  { name: "get_pki_document/epoch", key: "get_pki_document", value: { query_id: s.queryId, epoch: 200000 } },
  { name: "get_directory_authorities", key: "get_directory_authorities", value: { query_id: s.queryId } },
  { name: "voucher_mint", key: "voucher_mint", value: { query_id: s.queryId, message_write_cap: s.writeCap, display_name: "alice" } },
  {
    name: "voucher_induct",
    key: "voucher_induct",
    value: { query_id: s.queryId, voucher: seq(0x11, 20), voucher_payload: seq(0x22, 20), who_reply: seq(0x33, 8) }
  },
  {
    name: "voucher_open",
    key: "voucher_open",
    value: { query_id: s.queryId, voucher_secret_key: seq(0x44, 32), sealed_reply: seq(0x55, 24), message_write_cap: s.writeCap }
  },
  { name: "voucher_derive_stream", key: "voucher_derive_stream", value: { query_id: s.queryId, voucher: seq(0x11, 20) } }
]

const courier = { courier_identity_hash: s.nodeHash, courier_queue_id: s.courierQueue }

/** Responses of v0.0.73: every kind, its error reply, and the omitempty variants. */
export const responseSpecs: ReadonlyArray<Spec> = [
  { name: "session_token_reply/new", key: "session_token_reply", value: { app_id: s.appId, resumed: false } },
  { name: "session_token_reply/resumed", key: "session_token_reply", value: { app_id: s.appId, resumed: true } },
  { name: "shutdown_event", key: "shutdown_event", value: {} },
  { name: "connection_status_event/connected", key: "connection_status_event", value: { is_connected: true, instance_token: s.token } },
  { name: "connection_status_event/disconnected", key: "connection_status_event", value: { is_connected: false, instance_token: s.token } },
  { name: "new_pki_document_event/null_payload", key: "new_pki_document_event", value: {} },
  {
    name: "new_pki_document_event/payload",
    key: "new_pki_document_event",
    value: { payload: Uint8Array.of(0xa1, 0x65, 0x45, 0x70, 0x6f, 0x63, 0x68, 0x01) }
  },
  {
    name: "message_sent_event",
    key: "message_sent_event",
    value: { message_id: s.messageId, surbid: s.surbId, sent_at: 1_760_000_000, reply_eta: 2_500_000_000 }
  },
  {
    name: "message_sent_event/err",
    key: "message_sent_event",
    value: { message_id: s.messageId, surbid: s.surbId, sent_at: 1_760_000_000, reply_eta: 0, err: "no route to gateway" }
  },
  { name: "message_sent_event/zero_time", key: "message_sent_event", value: { message_id: s.messageId, surbid: s.surbId, reply_eta: 0 } },
  {
    name: "message_reply_event",
    key: "message_reply_event",
    value: { message_id: s.messageId, surbid: s.surbId, payload: s.payload, error_code: 0 }
  },
  {
    name: "message_reply_event/reply_index_0",
    key: "message_reply_event",
    value: { message_id: s.messageId, surbid: s.surbId, payload: s.payload, reply_index: 0, error_code: 0 }
  },
  {
    name: "message_reply_event/reply_index_1",
    key: "message_reply_event",
    value: { message_id: s.messageId, surbid: s.surbId, payload: s.payload, reply_index: 1, error_code: 0 }
  },
  { name: "message_id_garbage_collected", key: "message_id_garbage_collected", value: { message_id: s.messageId } },
  {
    name: "new_keypair_reply",
    key: "new_keypair_reply",
    value: { query_id: s.queryId, write_cap: s.writeCap, read_cap: s.readCap, first_message_index: s.index, error_code: 0 }
  },
  { name: "new_keypair_reply/error", key: "new_keypair_reply", value: { query_id: s.queryId, error_code: 3 } },
  {
    name: "encrypt_read_reply",
    key: "encrypt_read_reply",
    value: {
      query_id: s.queryId,
      message_ciphertext: s.ciphertext,
      envelope_descriptor: s.descriptor,
      envelope_hash: s.envelopeHash,
      next_message_box_index: s.index2,
      error_code: 0
    }
  },
  { name: "encrypt_read_reply/error", key: "encrypt_read_reply", value: { query_id: s.queryId, error_code: 4 } },
  {
    name: "encrypt_write_reply",
    key: "encrypt_write_reply",
    value: {
      query_id: s.queryId,
      message_ciphertext: s.ciphertext,
      envelope_descriptor: s.descriptor,
      envelope_hash: s.envelopeHash,
      next_message_box_index: s.index2,
      error_code: 0
    }
  },
  { name: "encrypt_write_reply/error", key: "encrypt_write_reply", value: { query_id: s.queryId, error_code: 3 } },
  {
    name: "start_resending_encrypted_message_reply/read_ok",
    key: "start_resending_encrypted_message_reply",
    value: { query_id: s.queryId, plaintext: s.payload, error_code: 0, ...courier }
  },
  {
    name: "start_resending_encrypted_message_reply/write_ok",
    key: "start_resending_encrypted_message_reply",
    value: { query_id: s.queryId, error_code: 0, ...courier }
  },
  {
    name: "start_resending_encrypted_message_reply/tombstone_empty_plaintext",
    key: "start_resending_encrypted_message_reply",
    value: { query_id: s.queryId, plaintext: new Uint8Array(0), error_code: 11, ...courier }
  },
  {
    name: "start_resending_encrypted_message_reply/box_id_not_found",
    key: "start_resending_encrypted_message_reply",
    value: { query_id: s.queryId, error_code: 1, ...courier }
  },
  {
    name: "start_resending_encrypted_message_reply/cancelled",
    key: "start_resending_encrypted_message_reply",
    value: { query_id: s.queryId, error_code: 24, ...courier }
  },
  {
    name: "start_resending_encrypted_message_reply/validation_error_no_courier",
    key: "start_resending_encrypted_message_reply",
    value: { query_id: s.queryId, error_code: 3 }
  },
  {
    name: "cancel_resending_encrypted_message_reply",
    key: "cancel_resending_encrypted_message_reply",
    value: { query_id: s.queryId, error_code: 0 }
  },
  {
    name: "cancel_resending_encrypted_message_reply/error",
    key: "cancel_resending_encrypted_message_reply",
    value: { query_id: s.queryId, error_code: 3 }
  },
  { name: "start_resending_copy_command_reply", key: "start_resending_copy_command_reply", value: { query_id: s.queryId, error_code: 0 } },
  {
    name: "start_resending_copy_command_reply/failed",
    key: "start_resending_copy_command_reply",
    value: { query_id: s.queryId, error_code: 26, replica_error_code: 1, failed_envelope_index: 3 }
  },
  {
    name: "start_resending_copy_command_reply/failed_large_index",
    key: "start_resending_copy_command_reply",
    value: { query_id: s.queryId, error_code: 26, replica_error_code: 10, failed_envelope_index: 0xfedcba9876543210n }
  },
  {
    name: "start_resending_copy_command_reply/failed_without_detail",
    key: "start_resending_copy_command_reply",
    value: { query_id: s.queryId, error_code: 26, replica_error_code: 0, failed_envelope_index: 0 }
  },
  {
    name: "start_resending_copy_command_reply/cancelled",
    key: "start_resending_copy_command_reply",
    value: { query_id: s.queryId, error_code: 24 }
  },
  { name: "cancel_resending_copy_command_reply", key: "cancel_resending_copy_command_reply", value: { query_id: s.queryId, error_code: 0 } },
  {
    name: "cancel_resending_copy_command_reply/error",
    key: "cancel_resending_copy_command_reply",
    value: { query_id: s.queryId, error_code: 3 }
  },
  {
    name: "next_message_box_index_reply",
    key: "next_message_box_index_reply",
    value: { query_id: s.queryId, next_message_box_index: s.index2, error_code: 0 }
  },
  { name: "next_message_box_index_reply/error", key: "next_message_box_index_reply", value: { query_id: s.queryId, error_code: 3 } },
  {
    name: "get_message_box_index_counter_reply",
    key: "get_message_box_index_counter_reply",
    value: { query_id: s.queryId, counter: 17939291267785496844n, error_code: 0 }
  },
  {
    name: "get_message_box_index_counter_reply/small",
    key: "get_message_box_index_counter_reply",
    value: { query_id: s.queryId, counter: 300, error_code: 0 }
  },
  {
    name: "get_message_box_index_counter_reply/error",
    key: "get_message_box_index_counter_reply",
    value: { query_id: s.queryId, error_code: 3 }
  },
  {
    name: "create_courier_envelopes_from_payload_reply",
    key: "create_courier_envelopes_from_payload_reply",
    value: { query_id: s.queryId, envelopes: [seq(0x10, 24), seq(0x20, 24)], next_dest_index: s.index2, error_code: 0 }
  },
  {
    name: "create_courier_envelopes_from_payload_reply/error",
    key: "create_courier_envelopes_from_payload_reply",
    value: { query_id: s.queryId, error_code: 3 }
  },
  {
    name: "create_courier_envelopes_from_multi_payload_reply/with_buffer",
    key: "create_courier_envelopes_from_multi_payload_reply",
    value: {
      query_id: s.queryId,
      envelopes: [seq(0x10, 24)],
      buffer: seq(0x70, 10),
      next_dest_indices: [s.index, s.index2],
      error_code: 0
    }
  },
  {
    name: "create_courier_envelopes_from_multi_payload_reply/last",
    key: "create_courier_envelopes_from_multi_payload_reply",
    value: { query_id: s.queryId, envelopes: [seq(0x10, 24)], next_dest_indices: [s.index2], error_code: 0 }
  },
  {
    name: "create_courier_envelopes_from_multi_payload_reply/error",
    key: "create_courier_envelopes_from_multi_payload_reply",
    value: { query_id: s.queryId, error_code: 4 }
  },
  {
    name: "create_courier_envelopes_from_tombstone_range_reply",
    key: "create_courier_envelopes_from_tombstone_range_reply",
    value: { query_id: s.queryId, envelopes: [seq(0x10, 24), seq(0x20, 24)], buffer: seq(0x70, 4), next_dest_index: s.index2, error_code: 0 }
  },
  {
    name: "create_courier_envelopes_from_tombstone_range_reply/max_count_0",
    key: "create_courier_envelopes_from_tombstone_range_reply",
    value: { query_id: s.queryId, next_dest_index: s.index, error_code: 0 }
  },
  {
    name: "create_courier_envelopes_from_tombstone_range_reply/error",
    key: "create_courier_envelopes_from_tombstone_range_reply",
    value: { query_id: s.queryId, error_code: 3 }
  }
]

const sphinxGeometry = {
  PacketLength: 3082,
  NrHops: 5,
  HeaderLength: 476,
  RoutingInfoLength: 410,
  PerHopRoutingInfoLength: 82,
  SURBLength: 572,
  SphinxPlaintextHeaderLength: 2,
  PayloadTagLength: 32,
  ForwardPayloadLength: 2574,
  UserForwardPayloadLength: 2000,
  NextNodeHopLength: 65,
  SPRPKeyMaterialLength: 64,
  NIKEName: "x25519",
  KEMName: ""
}
const pigeonholeGeometry = {
  MaxPlaintextPayloadLength: 1553,
  CourierQueryReadLength: 359,
  CourierQueryWriteLength: 2000,
  CourierQueryReplyReadLength: 1698,
  CourierQueryReplyWriteLength: 50,
  NIKEName: "CTIDH1024-X25519",
  SignatureSchemeName: "Ed25519"
}

/** Responses in the newer daemons' 25-key layout, including the HEAD-only replies. */
export const newerResponseSpecs: ReadonlyArray<Spec> = [
  { name: "session_token_reply/resumed", key: "session_token_reply", value: { app_id: s.appId, resumed: true } },
  {
    name: "connection_status_event/with_geometry",
    key: "connection_status_event",
    value: { is_connected: true, instance_token: s.token, sphinx_geometry: sphinxGeometry, pigeonhole_geometry: pigeonholeGeometry }
  },
  {
    name: "connection_status_event/without_geometry",
    key: "connection_status_event",
    value: { is_connected: false, instance_token: s.token }
  },
  {
    name: "start_resending_encrypted_message_reply/courier_invalid_epoch",
    key: "start_resending_encrypted_message_reply",
    value: { query_id: s.queryId, error_code: 32, ...courier }
  },
  {
    name: "create_courier_envelopes_from_tombstone_range_reply",
    key: "create_courier_envelopes_from_tombstone_range_reply",
    value: { query_id: s.queryId, envelopes: [seq(0x10, 24)], next_dest_index: s.index2, error_code: 0 }
  },
  {
    name: "get_pki_document_reply",
    key: "get_pki_document_reply",
    value: { query_id: s.queryId, payload: seq(0x05, 64), epoch: 200000, error_code: 0 }
  },
  { name: "get_pki_document_reply/not_cached", key: "get_pki_document_reply", value: { query_id: s.queryId, epoch: 0, error_code: 10 } },
  {
    name: "get_directory_authorities_reply",
    key: "get_directory_authorities_reply",
    value: {
      query_id: s.queryId,
      authorities: [
        {
          identifier: "auth1",
          pki_signature_scheme: "Ed25519 Sphincs+",
          wire_kem_scheme: "Xwing",
          addresses: ["tcp://127.0.0.1:30001"],
          identity_public_key_pem: "-----BEGIN ED25519 PUBLIC KEY-----",
          link_public_key_pem: "-----BEGIN XWING PUBLIC KEY-----",
          identity_key_hash: s.nodeHash
        }
      ],
      error_code: 0
    }
  },
  {
    name: "voucher_mint_reply",
    key: "voucher_mint_reply",
    value: {
      query_id: s.queryId,
      voucher: seq(0x11, 20),
      voucher_payload: seq(0x22, 20),
      voucher_write_cap: s.writeCap,
      voucher_read_cap: s.readCap,
      voucher_secret_key: seq(0x44, 32),
      voucher_public_key: seq(0x66, 32),
      error_code: 0
    }
  },
  { name: "voucher_mint_reply/error", key: "voucher_mint_reply", value: { query_id: s.queryId, error_code: 28 } },
  {
    name: "voucher_induct_reply",
    key: "voucher_induct_reply",
    value: {
      query_id: s.queryId,
      display_name: "alice",
      mutated_message_read_cap: s.readCap,
      sealed_reply: seq(0x55, 24),
      voucher_write_cap: s.writeCap,
      voucher_read_cap: s.readCap,
      salt: seq(0x77, 16),
      error_code: 0
    }
  },
  {
    name: "voucher_open_reply",
    key: "voucher_open_reply",
    value: { query_id: s.queryId, who_reply: seq(0x33, 8), salt: seq(0x77, 16), mutated_message_write_cap: s.writeCap, error_code: 0 }
  },
  {
    name: "voucher_derive_stream_reply",
    key: "voucher_derive_stream_reply",
    value: { query_id: s.queryId, voucher_write_cap: s.writeCap, voucher_read_cap: s.readCap, error_code: 0 }
  }
]

/** One vector as stored in `test/vectors/*.json`. */
export interface Vector {
  readonly name: string
  readonly kind: string
  readonly hex: string
  readonly fields: Json
}

const structOf = (envelope: ReadonlyArray<readonly [string, string]>, key: string): string => {
  const found = envelope.find(([k]) => k === key)
  if (found === undefined) throw new Error(`${key} is not in this envelope`)
  return found[1]
}

/** A request in the SDK's minimal form: one envelope key, nil fields left out. */
export const requestVector = (spec: Spec, envelope: ReadonlyArray<readonly [string, string]>): Vector => {
  const body = structItem(structOf(envelope, spec.key), spec.value, { dropNil: true })
  const item: Item = { t: "map", entries: [[spec.key, body]] }
  return { name: spec.name, kind: spec.key, hex: hexOf(item), fields: jsonOf(body) }
}

/** A response as the Go daemon writes it: every envelope key, all null but one. */
export const responseVector = (spec: Spec, envelope: ReadonlyArray<readonly [string, string]>): Vector => {
  const body = structItem(structOf(envelope, spec.key), spec.value)
  const item: Item = {
    t: "map",
    entries: envelope.map(([key]): readonly [string, Item] => [key, key === spec.key ? body : { t: "null" }])
  }
  return { name: spec.name, kind: spec.key, hex: hexOf(item), fields: jsonOf(body) }
}

/** Every vector file, by file name. */
export const goldenVectors = (): Record<string, ReadonlyArray<Vector>> => ({
  "requests.json": requestSpecs.map((spec) => requestVector(spec, requestEnvelopeV0073)),
  "requests-newer.json": newerRequestSpecs.map((spec) => requestVector(spec, requestEnvelopeNewerOnly)),
  "responses.json": responseSpecs.map((spec) => responseVector(spec, responseEnvelopeV0073)),
  "responses-newer.json": newerResponseSpecs.map((spec) => responseVector(spec, responseEnvelopeNewer))
})
