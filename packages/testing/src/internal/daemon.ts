/**
 * The fake daemon's connection handling: greet like kpclientd (status, PKI document), bind
 * session tokens, route requests (close, token, echo, handler), and the faults.
 */
import type * as Socket from "@effect/platform/Socket"
import { AppId, Codec, InstanceToken, PkiDocument, Response } from "@katzenpost-effect/core"
import type { Request } from "@katzenpost-effect/core"
import { FramedConnection } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as SubscriptionRef from "effect/SubscriptionRef"
import type { Conn, Instance, Journal, Session, Settings } from "./daemonState.js"
import { echo } from "./echo.js"
import * as Sessions from "./session.js"

/** The mutable daemon: settings, the current instance, the journal. */
export interface Daemon {
  readonly settings: Settings
  instance: Instance
  readonly journal: Journal
  nextConnId: number
  /** One permit: connections held by `holdEachConnection` wait their turn, like the real accept loop. */
  readonly acceptLoop: Effect.Semaphore
}

const random16 = () => globalThis.crypto.getRandomValues(new Uint8Array(16))

/** A fresh daemon process. */
export const newInstance = (): Instance => ({ token: InstanceToken.make(random16()), sessions: new Map(), conns: new Set() })

/** The `connection_status_event` this daemon sends now. */
export const statusEvent = (daemon: Daemon): Response.ConnectionStatusEvent => {
  const newer = daemon.settings.version === "newer"
  return Response.ConnectionStatusEvent.make({
    is_connected: daemon.settings.online,
    err: null,
    instance_token: daemon.instance.token,
    sphinx_geometry: newer ? daemon.settings.geometry.sphinx : null,
    pigeonhole_geometry: newer ? daemon.settings.geometry.pigeonhole : null
  })
}

/** The `new_pki_document_event` for the current document (payload null when there is none). */
export const pkiEvent = (daemon: Daemon): Response.NewPkiDocumentEvent => {
  const document = daemon.settings.pkiDocument
  const payload = document === undefined ? null : Either.getOrNull(PkiDocument.encode(document))
  return Response.NewPkiDocumentEvent.make({ payload })
}

const send = (daemon: Daemon, conn: Conn, response: Response.KnownResponse) => Sessions.write(daemon.settings, conn, response)

const greet = (daemon: Daemon, conn: Conn) =>
  Effect.gen(function*() {
    const script = daemon.settings.handshake
    const status = statusEvent(daemon)
    const pki = pkiEvent(daemon)
    const [first, second] = script.order === "pki-first" ? [pki, status] : [status, pki]
    for (const response of script.before ?? []) yield* send(daemon, conn, response)
    yield* send(daemon, conn, first)
    for (const response of script.between ?? []) yield* send(daemon, conn, response)
    yield* send(daemon, conn, second)
  })

/** Ends a session everywhere: our tables and the engine's. */
export const endSession = (daemon: Daemon, session: Session) =>
  Effect.suspend(() => {
    Sessions.end(daemon.instance, session)
    return daemon.settings.handler.endSession(session.appId)
  })

const sessionOf = (daemon: Daemon, conn: Conn): Session => conn.session ?? Sessions.open(daemon.settings, daemon.instance, conn, undefined)

const onSessionToken = (daemon: Daemon, conn: Conn, request: Request.SessionToken) =>
  Effect.gen(function*() {
    if (request.client_instance_token === null || daemon.settings.handshake.withholdTokenReply === true) return
    const { resumed, session } = Sessions.bind(daemon.settings, daemon.instance, conn, request.client_instance_token)
    // Queued replies go out before the token reply, as the real daemon does.
    for (const response of session.queued.splice(0)) yield* send(daemon, conn, response)
    yield* send(daemon, conn, Response.SessionTokenReply.make({ app_id: session.appId, resumed }))
    yield* SubscriptionRef.update(daemon.journal.handshakes, (n) => n + 1)
  })

/** Handles one request; returns false when the connection must close. */
const onRequest = (daemon: Daemon, conn: Conn, request: Request.Request): Effect.Effect<boolean> =>
  Effect.gen(function*() {
    yield* SubscriptionRef.update(daemon.journal.requests, (log) => [...log, request])
    if (daemon.settings.version === "v0.0.73" && !Codec.isKnownToV0073(request)) {
      // v0.0.73 panics in its egress goroutine: the whole process dies.
      daemon.settings.crashed = true
      yield* restart(daemon, false)
      return false
    }
    switch (request._tag) {
      case "ThinClose": {
        if (conn.session !== undefined) yield* endSession(daemon, conn.session)
        return false
      }
      case "SessionToken":
        yield* onSessionToken(daemon, conn, request)
        return true
      case "SendMessage":
        yield* echo(daemon.settings, sessionOf(daemon, conn), request)
        return true
      default:
        yield* daemon.settings.handler.handle(sessionOf(daemon, conn).api, request)
        return true
    }
  })

const serveFrames = (daemon: Daemon, conn: Conn) =>
  Effect.gen(function*() {
    while (true) {
      const body = yield* Effect.either(conn.framed.take)
      if (Either.isLeft(body)) return
      const dropAfter = daemon.settings.dropAfter
      if (dropAfter !== undefined) {
        daemon.settings.dropAfter = dropAfter - 1
        if (dropAfter <= 1) {
          daemon.settings.dropAfter = undefined
          return yield* conn.framed.close("fault: dropped after frames")
        }
      }
      const request = Codec.decodeRequest(body.right)
      // The daemon tears the connection down on an undecodable request, without a reply.
      if (Either.isLeft(request)) return yield* conn.framed.close(`undecodable request: ${request.left.message}`)
      if (!(yield* onRequest(daemon, conn, request.right))) return yield* conn.framed.close("closed by the daemon")
    }
  })

/** Serves one accepted socket until it closes. */
export const serve = (daemon: Daemon, socket: Socket.Socket): Effect.Effect<void> =>
  Effect.scoped(
    Effect.gen(function*() {
      const framed = yield* Effect.either(FramedConnection.open(socket))
      if (Either.isLeft(framed)) return
      yield* SubscriptionRef.update(daemon.journal.attempts, (n) => n + 1)
      if (!daemon.settings.accepting) return yield* framed.right.close("not accepting")
      const instance = daemon.instance
      const conn: Conn = { id: daemon.nextConnId++, framed: framed.right, appId: AppId.make(random16()), session: undefined }
      instance.conns.add(conn)
      yield* countOpen(daemon)
      yield* Effect.addFinalizer(() =>
        Effect.suspend(() => {
          instance.conns.delete(conn)
          const session = conn.session
          if (session === undefined) return countOpen(daemon)
          if (session.conn !== conn) {
            // kpclientd v0.0.73 unregisters by AppID: the stale socket's teardown takes the
            // connection that resumed the session off the routing table (§2.3).
            if (daemon.settings.staleCloseHazard && session.token !== undefined) session.conn = undefined
            return countOpen(daemon)
          }
          // A token-bearing session waits for its client (grace period); a legacy one dies now.
          session.conn = undefined
          return Effect.zipRight(countOpen(daemon), session.token === undefined ? endSession(daemon, session) : Effect.void)
        })
      )
      const hold = daemon.settings.handshake.holdEachConnection
      if (hold !== undefined) yield* daemon.acceptLoop.withPermits(1)(Effect.sleep(hold))
      yield* greet(daemon, conn)
      yield* serveFrames(daemon, conn)
    })
  )

/** Republishes how many connections the current process has open. */
const countOpen = (daemon: Daemon): Effect.Effect<void> => Effect.suspend(() => SubscriptionRef.set(daemon.journal.open, daemon.instance.conns.size))

/** Drops every connection now (no shutdown event). */
export const dropAll = (daemon: Daemon, reason: string) =>
  Effect.suspend(() => Effect.forEach([...daemon.instance.conns], (conn) => conn.framed.close(reason), { discard: true }))

/** Stops this daemon process and starts a new one: new instance token, every session lost. */
export const restart = (daemon: Daemon, graceful: boolean): Effect.Effect<void> =>
  Effect.gen(function*() {
    const old = daemon.instance
    if (graceful) yield* Effect.forEach([...old.conns], (conn) => send(daemon, conn, Response.ShutdownEvent.make({})), { discard: true })
    daemon.instance = newInstance()
    yield* countOpen(daemon)
    daemon.settings.offlineSends.length = 0
    yield* Effect.forEach([...old.conns], (conn) => conn.framed.close(graceful ? "daemon stopped" : "daemon crashed"), { discard: true })
    yield* Effect.forEach([...new Set(old.sessions.values())], (session) => endSession({ ...daemon, instance: old }, session), {
      discard: true
    })
  })

/** Sends a response to every current connection. */
export const broadcast = (daemon: Daemon, response: Response.KnownResponse) =>
  Effect.suspend(() => Effect.forEach([...daemon.instance.conns], (conn) => send(daemon, conn, response), { discard: true }))

/** Closes a scope, ignoring the exit (helper for callers with child scopes). */
export const closeScope = (scope: Scope.CloseableScope) => Scope.close(scope, Exit.void)
