/** The requests that need no PKI document: new_keypair, next_message_box_index, get_message_box_index_counter. */
import { Bacap, type Request } from "@katzenpost-effect/core"
import type * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { DaemonSession } from "../../DaemonHandler.js"
import { INTERNAL_ERROR, INVALID_REQUEST, SUCCESS } from "./codes.js"
import { counterError, keypairError, nextIndexError } from "./replies.js"

/**
 * `new_keypair`: the caps kpclientd v0.0.73 derives from the seed (core `Bacap.newKeypair`,
 * byte-identical to hpqc v0.0.78). Like the daemon, every failure answers 3: a seed that is
 * not 32 bytes (under 32 the daemon checks itself; over 32 its ChaCha20 refuses the key) and
 * the one-in-2^64 seed whose start index is the last one (hpqc `NewWriteCap` fails).
 */
export const newKeypair = (session: DaemonSession, request: Request.NewKeypair): Effect.Effect<void> =>
  Either.match(Bacap.newKeypair(request.seed ?? new Uint8Array(0)), {
    onLeft: () => session.reply(keypairError(request.query_id, INVALID_REQUEST)),
    onRight: ({ writeCap, readCap, firstIndex }) =>
      session.reply({
        _tag: "NewKeypairReply",
        query_id: request.query_id,
        write_cap: writeCap,
        read_cap: readCap,
        first_message_index: firstIndex,
        error_code: SUCCESS
      })
  })

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
