/**
 * Routing of everything the daemon sends once a connection is up: replies complete their
 * pending caller directly (never behind event subscribers), events go to the sliding PubSub
 * (never blocks), state-bearing events update the state first.
 */
import { Codec, PkiDocument } from "@katzenpost-effect/core"
import { MalformedMessage } from "@katzenpost-effect/core"
import type { Response } from "@katzenpost-effect/core"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import type { PkiDocumentEvent } from "../ClientEvent.js"
import { MessageSendFailed } from "../TransportErrors.js"
import type { ClientEnv } from "./env.js"
import { idKey } from "./idKey.js"
import * as PkiCache from "./pkiCache.js"
import type { Live } from "./state.js"

export const isQueryReply = (response: Response.Response): response is Response.QueryReply => "query_id" in response

/** Decodes a PKI payload, records it, and builds the event for subscribers. */
export const acceptPkiDocument = (env: ClientEnv, event: Response.NewPkiDocumentEvent): Effect.Effect<PkiDocumentEvent> => {
  if (event.payload === null) {
    return Effect.succeed({ _tag: "PkiDocumentEvent", epoch: undefined, document: undefined, payload: null })
  }
  const decoded = PkiDocument.decode(event.payload)
  if (Either.isLeft(decoded)) {
    return Effect.as(Effect.logWarning(`kpclientd sent an undecodable PKI document: ${decoded.left.message}`), {
      _tag: "PkiDocumentEvent",
      epoch: undefined,
      document: undefined,
      payload: event.payload
    })
  }
  return Effect.sync(() => {
    PkiCache.add(env.state.pki, decoded.right, env.config.pkiHistory)
    return { _tag: "PkiDocumentEvent", epoch: decoded.right.Epoch, document: decoded.right, payload: event.payload }
  })
}

/** Records a status event (mixnet flag; geometry when a newer daemon sends it). */
export const acceptStatus = (env: ClientEnv, event: Response.ConnectionStatusEvent): Effect.Effect<void> =>
  Effect.sync(() => {
    env.state.mixnet = event.is_connected
    if (event.sphinx_geometry !== null && event.pigeonhole_geometry !== null) {
      env.state.geometry = { sphinx: event.sphinx_geometry, pigeonhole: event.pigeonhole_geometry }
      env.state.generation = "newer"
    }
  })

const completeQuery = (env: ClientEnv, reply: Response.QueryReply): Effect.Effect<void> | undefined => {
  if (reply.query_id === null) return Effect.logDebug(`kpclientd sent a ${reply._tag} without query_id; dropped`)
  const key = idKey(reply.query_id)
  const entry = env.state.pending.get(key)
  // Unknown id: a duplicate (replayed ARQ answered twice) or a caller that gave up.
  if (entry === undefined) return Effect.logDebug(`dropping ${reply._tag} for a query id nobody waits for`)
  env.state.pending.delete(key)
  entry.succeed(reply)
  return undefined
}

const completeSurb = (env: ClientEnv, event: Response.MessageReplyEvent): Effect.Effect<void> => {
  if (event.surbid === null) return Effect.void
  const key = idKey(event.surbid)
  const waiter = env.state.surbWaiters.get(key)
  if (waiter === undefined) return Effect.void
  env.state.surbWaiters.delete(key)
  return Deferred.succeed(waiter, event)
}

// A send that failed in the daemon gets no SURB reply: fail its blocking caller now.
const failSurb = (env: ClientEnv, event: Response.MessageSentEvent): Effect.Effect<void> => {
  if (event.err === "" || event.surbid === null) return Effect.void
  const key = idKey(event.surbid)
  const waiter = env.state.surbWaiters.get(key)
  if (waiter === undefined) return Effect.void
  env.state.surbWaiters.delete(key)
  return Deferred.fail(waiter, new MessageSendFailed({ operation: "blocking_send_message", reason: event.err }))
}

/**
 * Completes the waiting caller of a reply frame at once (in the socket's callback), if the
 * frame is exactly that: a well-formed reply whose caller is waiting. Anything else (events,
 * undecodable frames, replies nobody waits for) is left to `handleFrame`, in order.
 */
export const completeReplyFrame = (env: ClientEnv, body: Uint8Array): boolean => {
  const decoded = Codec.decodeResponse(body)
  if (Either.isLeft(decoded)) return false
  const response = decoded.right
  if (!isQueryReply(response) || response.query_id === null) return false
  const key = idKey(response.query_id)
  const entry = env.state.pending.get(key)
  if (entry === undefined) return false
  env.state.pending.delete(key)
  entry.succeed(response)
  return true
}

/** Handles one decoded message; a reply to a waiting caller completes it at once (`undefined`: nothing left to run). */
export const dispatch = (env: ClientEnv, live: Live, response: Response.Response): Effect.Effect<void> | undefined => {
  switch (response._tag) {
    case "ConnectionStatusEvent":
      return Effect.zipRight(acceptStatus(env, response), PubSub.publish(env.events, response))
    case "NewPkiDocumentEvent":
      return Effect.flatMap(acceptPkiDocument(env, response), (event) => PubSub.publish(env.events, event))
    case "ShutdownEvent":
      return Effect.zipRight(
        Effect.sync(() => {
          live.graceful = true
        }),
        PubSub.publish(env.events, response)
      )
    case "MessageReplyEvent":
      return Effect.zipRight(completeSurb(env, response), PubSub.publish(env.events, response))
    case "MessageSentEvent":
      return Effect.zipRight(failSurb(env, response), PubSub.publish(env.events, response))
    case "MessageIdGarbageCollected":
    case "UnknownResponse":
      return PubSub.publish(env.events, response)
    case "SessionTokenReply":
      return Effect.logDebug("ignoring a session_token_reply outside the handshake")
    default:
      return isQueryReply(response) ? completeQuery(env, response) : undefined
  }
}

// A reply that failed its schema still names its caller: fail that caller rather than leave it waiting.
const failQuery = (env: ClientEnv, queryId: Uint8Array, error: MalformedMessage): Effect.Effect<void> =>
  Effect.sync(() => {
    const key = idKey(queryId)
    const entry = env.state.pending.get(key)
    if (entry === undefined) return
    env.state.pending.delete(key)
    entry.fail(error)
  })

/** At most this many undecodable-message warnings per second; the rest are counted. */
const WARNINGS_PER_SECOND = 5

/** Logs an undecodable message, rate-limited: past the budget only a count, logged once a second. */
const warnUndecodable = (env: ClientEnv, reason: string): Effect.Effect<void> =>
  Effect.clockWith((clock) =>
    Effect.suspend(() => {
      const limiter = env.state.undecodable
      limiter.total++
      const now = clock.unsafeCurrentTimeMillis()
      let summary: Effect.Effect<void> = Effect.void
      if (now - limiter.windowStart >= 1000) {
        if (limiter.suppressed > 0) {
          summary = Effect.logWarning(
            `skipped ${limiter.suppressed} more undecodable messages from kpclientd without logging them (${limiter.total - 1} in all)`
          )
        }
        limiter.windowStart = now
        limiter.logged = 0
        limiter.suppressed = 0
      }
      if (limiter.logged >= WARNINGS_PER_SECOND) {
        limiter.suppressed++
        return summary
      }
      limiter.logged++
      return Effect.zipRight(summary, Effect.logWarning(`skipping an undecodable message from kpclientd: ${reason}`))
    })
  )

/**
 * Decodes one frame body and handles it. Undecodable messages are logged (rate-limited) and
 * skipped, like the Go client does; one whose `query_id` can still be recovered (see
 * `Codec.peekQueryId`) also fails that caller with a `MalformedMessage`. Returns `undefined`
 * when the frame was handled at once (a reply completing its caller).
 */
export const handleFrame = (env: ClientEnv, live: Live, body: Uint8Array): Effect.Effect<void> | undefined => {
  const decoded = Codec.decodeResponse(body)
  if (Either.isRight(decoded)) return dispatch(env, live, decoded.right)
  const error = decoded.left
  const skip = warnUndecodable(env, error.message)
  return Option.match(Codec.peekQueryId(body), {
    onNone: () => skip,
    onSome: (queryId) => {
      const malformed = error._tag === "MalformedMessage" ? error : new MalformedMessage({ kind: "response", reason: error.message })
      return Effect.zipRight(skip, failQuery(env, queryId, malformed))
    }
  })
}
