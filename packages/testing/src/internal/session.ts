/** Sessions of the fake daemon: token binding, resume, replies to whichever connection holds the session. */
import { Codec } from "@katzenpost-effect/core"
import type { Response } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { Conn, Instance, Session, Settings } from "./daemonState.js"

const MAX_QUEUED_REPLIES = 1000

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("hex")

/** Writes one response to a connection, Go-style; a dead connection just drops it. */
export const write = (settings: Settings, conn: Conn, response: Response.KnownResponse): Effect.Effect<void> => {
  const body = Codec.encodeResponse(response, settings.version)
  return Either.isLeft(body)
    ? Effect.logError(`fake daemon cannot encode ${response._tag}: ${body.left.message}`)
    : Effect.ignore(conn.framed.send(body.right))
}

const isLegacyReply = (response: Response.KnownResponse) => response._tag === "MessageReplyEvent" || response._tag === "MessageIdGarbageCollected"

const deliver = (settings: Settings, session: Session, response: Response.KnownResponse): Effect.Effect<void> =>
  Effect.suspend(() => {
    if (!session.alive) return Effect.void
    if (session.conn !== undefined) return write(settings, session.conn, response)
    // Like the daemon: only legacy replies are queued for a disconnected session.
    if (isLegacyReply(response) && session.queued.length < MAX_QUEUED_REPLIES) session.queued.push(response)
    return Effect.void
  })

/** A session's reply path, honouring the paused / delayed reply faults. */
export const reply = (settings: Settings, session: Session, response: Response.KnownResponse): Effect.Effect<void> =>
  Effect.suspend(() => {
    const send = settings.replyDelay === undefined
      ? deliver(settings, session, response)
      : Effect.zipRight(Effect.sleep(settings.replyDelay), deliver(settings, session, response))
    const paused = settings.paused
    if (paused === undefined) return send
    return Effect.sync(() => {
      paused.push(send)
    })
  })

/** Creates a session bound to `conn`. */
export const open = (settings: Settings, instance: Instance, conn: Conn, token: string | undefined): Session => {
  const session: Session = {
    appId: conn.appId,
    token,
    conn,
    queued: [],
    alive: true,
    api: {
      appId: conn.appId,
      reply: (response) => reply(settings, session, response),
      connected: Effect.sync(() => session.alive && session.conn !== undefined)
    }
  }
  instance.sessions.set(token ?? `legacy:${hex(conn.appId)}`, session)
  conn.session = session
  return session
}

/** Binds `conn` to the session of `token` (resume) or a new one. Returns the session and whether it resumed. */
export const bind = (
  settings: Settings,
  instance: Instance,
  conn: Conn,
  token: Uint8Array
): { readonly session: Session; readonly resumed: boolean } => {
  const key = hex(token)
  const existing = instance.sessions.get(key)
  if (existing === undefined) {
    // The connection's legacy session (if any) becomes the token's session.
    if (conn.session !== undefined) instance.sessions.delete(`legacy:${hex(conn.appId)}`)
    conn.session = undefined
    return { session: open(settings, instance, conn, key), resumed: false }
  }
  existing.conn = conn
  conn.appId = existing.appId
  conn.session = existing
  return { session: existing, resumed: true }
}

/** Ends a session: its state is gone and its replies go nowhere. */
export const end = (instance: Instance, session: Session): void => {
  session.alive = false
  session.conn = undefined
  for (const [key, value] of instance.sessions) if (value === session) instance.sessions.delete(key)
}

/** Hex key of bytes. */
export const hexKey = hex
