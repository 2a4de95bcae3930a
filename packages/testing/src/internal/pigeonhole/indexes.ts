/** The requests that need no PKI document: new_keypair, next_message_box_index, get_message_box_index_counter. */
import { Bacap, type Request } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { DaemonSession } from "../../DaemonHandler.js"
import { INTERNAL_ERROR, INVALID_REQUEST, SUCCESS } from "./codes.js"
import { writeCapFromSeed } from "./keypair.js"
import { counterError, keypairError, nextIndexError } from "./replies.js"

// The real daemon accepts seeds of 32 bytes or more (it keys ChaCha20 with them); the SDK
// itself insists on exactly 32.
const MIN_SEED = 32

/** `new_keypair`: deterministic caps from the seed. */
export const newKeypair = (session: DaemonSession, request: Request.NewKeypair): Effect.Effect<void> => {
  const seed = request.seed
  if (seed === null || seed.length < MIN_SEED) return session.reply(keypairError(request.query_id, INVALID_REQUEST))
  return Either.match(writeCapFromSeed(seed), {
    onLeft: () => session.reply(keypairError(request.query_id, INTERNAL_ERROR)),
    onRight: (writeCap) =>
      session.reply({
        _tag: "NewKeypairReply",
        query_id: request.query_id,
        write_cap: writeCap,
        read_cap: Bacap.readCapOf(writeCap),
        first_message_index: Bacap.firstIndex(writeCap),
        error_code: SUCCESS
      })
  })
}

/** `next_message_box_index`: one step of the BACAP KDF. */
export const nextMessageBoxIndex = (session: DaemonSession, request: Request.NextMessageBoxIndex): Effect.Effect<void> => {
  const index = request.message_box_index
  if (index === null) return session.reply(nextIndexError(request.query_id, INVALID_REQUEST))
  return Either.match(Bacap.nextIndex(index), {
    onLeft: () => session.reply(nextIndexError(request.query_id, INTERNAL_ERROR)),
    onRight: (next) =>
      session.reply({ _tag: "NextMessageBoxIndexReply", query_id: request.query_id, next_message_box_index: next, error_code: SUCCESS })
  })
}

/** `get_message_box_index_counter`: the index's Idx64. */
export const getMessageBoxIndexCounter = (
  session: DaemonSession,
  request: Request.GetMessageBoxIndexCounter
): Effect.Effect<void> => {
  const index = request.message_box_index
  return index === null
    ? session.reply(counterError(request.query_id, INVALID_REQUEST))
    : session.reply({
      _tag: "GetMessageBoxIndexCounterReply",
      query_id: request.query_id,
      counter: Bacap.counter(index),
      error_code: SUCCESS
    })
}
