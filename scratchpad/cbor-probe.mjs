import * as cborg from "cborg"
import { Decoder, Encoder } from "cbor-x"
import * as cbor2 from "cbor2"
const keys = ["session_token_reply","shutdown_event","connection_status_event","new_pki_document_event","message_sent_event","message_reply_event","message_id_garbage_collected","new_keypair_reply","encrypt_read_reply","encrypt_write_reply","start_resending_encrypted_message_reply","cancel_resending_encrypted_message_reply","start_resending_copy_command_reply","cancel_resending_copy_command_reply","next_message_box_index_reply","get_message_box_index_counter_reply","create_courier_envelopes_from_payload_reply","create_courier_envelopes_from_multi_payload_reply","create_courier_envelopes_from_tombstone_range_reply"]
const resp = new Map(keys.map(k => [k, null]))
resp.set("start_resending_encrypted_message_reply", new Map([["query_id", new Uint8Array(16)],["plaintext", new Uint8Array(100)],["error_code",0],["courier_identity_hash",new Uint8Array(32)],["courier_queue_id", new Uint8Array(8)]]))
const bytes = cborg.encode(resp, { mapSorter: () => 0 })
console.log("len", bytes.length)
const cx = new Decoder({ useRecords: false, mapsAsObjects: true })
const bench = (name, f, n = 50000) => { for (let i=0;i<5000;i++) f(); const t=process.hrtime.bigint(); for (let i=0;i<n;i++) f(); console.log(name, Number(process.hrtime.bigint()-t)/n/1000, "us") }
bench("cborg decode", () => cborg.decode(bytes))
bench("cbor-x decode", () => cx.decode(bytes))
bench("cbor2 decode", () => cbor2.decode(bytes), 5000)
const d = cborg.decode(bytes); console.log(Object.keys(d).length, d.start_resending_encrypted_message_reply.plaintext.constructor.name)
const e = cx.decode(bytes); console.log(e.start_resending_encrypted_message_reply.plaintext.constructor.name)
// tags
const tagged = new Uint8Array([0xc1, 0x1a, 0, 0, 0, 1])
try { console.log("cborg tag", cborg.decode(tagged)) } catch (e) { console.log("cborg tag err", e.message) }
try { console.log("cbor-x tag", cx.decode(tagged)) } catch (e) { console.log("cborg-x err", e.message) }
// int keys
const ik = new Uint8Array([0xa1, 0x01, 0x02])
try { console.log("cborg intkey", cborg.decode(ik)) } catch (e) { console.log("cborg intkey err", e.message) }
try { console.log("cborg intkey useMaps", cborg.decode(ik, {useMaps:true})) } catch (e) { console.log("err", e.message) }
console.log("cbor-x intkey", cx.decode(ik))
// big payload
const big = { x: new Uint8Array(10*1024*1024) }
const eb = cborg.encode(big)
bench("cborg enc 10M", () => cborg.encode(big), 20)
const cxe = new Encoder({ useRecords: false })
bench("cbor-x enc 10M", () => cxe.encode(big), 20)
bench("cborg dec 10M", () => cborg.decode(eb), 20)
bench("cbor-x dec 10M", () => cx.decode(eb), 20)
bench("copy 10M", () => big.x.slice(), 20)
const req = { new_keypair: { query_id: new Uint8Array(16), seed: new Uint8Array(32) } }
bench("cborg enc req", () => cborg.encode(req))
bench("cbor-x enc req", () => cxe.encode(req))
console.log(Buffer.from(cborg.encode(req)).toString("hex"))
console.log(Buffer.from(cxe.encode(req)).toString("hex"))
