/** The fake daemon's echo service for legacy `send_message`: sent event, then the payload back as the SURB reply. */
import { Response } from "@katzenpost-effect/core"
import type { Request } from "@katzenpost-effect/core"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type { Session, Settings } from "./daemonState.js"
import { reply } from "./session.js"

/** Answers one send with SURB (sends without SURB get nothing, like the daemon). */
export const echo = (settings: Settings, session: Session, request: Request.SendMessage): Effect.Effect<void> =>
  Effect.gen(function*() {
    if (!request.with_surb || !settings.echo) return
    if (!settings.online) {
      // The daemon's Poisson sender is paused while offline: the send waits.
      settings.offlineSends.push({ session, request })
      return
    }
    const now = yield* Clock.currentTimeMillis
    yield* reply(
      settings,
      session,
      Response.MessageSentEvent.make({
        message_id: request.id,
        surbid: request.surbid,
        sent_at: Math.floor(now / 1000),
        reply_eta: 0,
        err: ""
      })
    )
    yield* reply(
      settings,
      session,
      Response.MessageReplyEvent.make({
        message_id: request.id,
        surbid: request.surbid,
        payload: request.payload,
        reply_index: null,
        error_code: 0
      })
    )
  })

/** Sends held while offline, once the daemon is online again. */
export const flushOfflineSends = (settings: Settings): Effect.Effect<void> =>
  Effect.suspend(() => {
    const held = settings.offlineSends.splice(0)
    return Effect.forEach(held, ({ request, session }) => echo(settings, session, request), { discard: true })
  })
