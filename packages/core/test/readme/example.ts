import { Codec, ErrorCodes, Frame, newQueryId, NodeIdHash } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"

const program = Effect.gen(function*() {
  // 1. Encode a request and frame it: these bytes go to kpclientd's socket.
  const query_id = yield* newQueryId
  const request = yield* Codec.encodeRequest({ _tag: "NewKeypair", query_id, seed: new Uint8Array(32).fill(7) })
  const outgoing = Frame.encodeFrame(request)
  console.log(`request frame: ${outgoing.length} bytes`)

  // Play the daemon for a moment: its reply to a read of a box nobody has written yet.
  const incoming = Frame.encodeFrame(
    Either.getOrThrow(
      Codec.encodeResponse({
        _tag: "StartResendingEncryptedMessageReply",
        query_id,
        plaintext: null,
        error_code: 1,
        courier_identity_hash: NodeIdHash.make(new Uint8Array(32)),
        courier_queue_id: new TextEncoder().encode("courier")
      })
    )
  )

  // 2. Decode what arrives: frames from chunks of any size, then the tagged reply.
  const decoder = Frame.makeDecoder()
  const frames = [
    ...(yield* decoder.push(incoming.subarray(0, 100))),
    ...(yield* decoder.push(incoming.subarray(100)))
  ]
  const reply = yield* Codec.decodeResponse(frames[0]!)
  console.log(`reply: ${reply._tag}`)

  // 3. Map its error code to the typed error of its family.
  if (reply._tag === "StartResendingEncryptedMessageReply") {
    const error = ErrorCodes.arqError(reply)
    if (error !== undefined) {
      console.log(`error: ${error._tag} (${error.message}), expected outcome: ${ErrorCodes.isExpectedOutcome(error)}`)
    }
  }
})

Effect.runSync(program)
// request frame: 83 bytes
// reply: StartResendingEncryptedMessageReply
// error: BoxIdNotFound (Box ID not found), expected outcome: true
