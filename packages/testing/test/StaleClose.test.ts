/**
 * The v0.0.73 stale-socket hazard (wire-protocol.md §2.3), opt-in with `staleCloseHazard`:
 * shown on raw sockets, and shown not to touch the ThinClient, which closes its old socket
 * before it redials.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { assert, describe, it } from "@effect/vitest"
import { ClientToken, Codec, Frame, QueryId, Request, type Response } from "@katzenpost-effect/core"
import { FramedConnection, ThinClient } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as FakeDaemon from "../src/FakeDaemon.js"

const decode = (body: Uint8Array): Response.Response => Either.getOrThrow(Codec.decodeResponse(body))
const encode = (request: Request.Request): Uint8Array => Either.getOrThrow(Codec.encodeRequest(request))
const counterRequest = (n: number) =>
  Request.GetMessageBoxIndexCounter.make({ query_id: QueryId.make(new Uint8Array(16).fill(n)), message_box_index: null })

/** Opens a raw in-memory connection in `scope`, takes the greeting and binds `token`. */
const session = (daemon: FakeDaemon.FakeDaemon, scope: Scope.Scope, token: ClientToken) =>
  Effect.gen(function*() {
    const framed = yield* Effect.orDie(Scope.extend(Effect.flatMap(daemon.connect, (socket) => FramedConnection.open(socket)), scope))
    yield* Effect.orDie(framed.take)
    yield* Effect.orDie(framed.take)
    yield* Effect.orDie(framed.send(encode(Request.SessionToken.make({ client_instance_token: token }))))
    const reply = decode(yield* Effect.orDie(framed.take))
    return { framed, resumed: reply._tag === "SessionTokenReply" && reply.resumed === true }
  })

/** Resumes a token on a second socket, closes the first, then asks on the second: the reply, if any within 1 s. */
const staleClose = (hazard: boolean) =>
  Effect.gen(function*() {
    const daemon = yield* FakeDaemon.make({ staleCloseHazard: hazard })
    const token = ClientToken.make(new Uint8Array(16).fill(9))
    const oldScope = yield* Scope.make()
    yield* session(daemon, oldScope, token)
    const fresh = yield* session(daemon, yield* Effect.scope, token)
    assert.isTrue(fresh.resumed)
    yield* Scope.close(oldScope, Exit.void)
    yield* daemon.awaitConnections(1)
    yield* Effect.orDie(fresh.framed.send(encode(counterRequest(1))))
    const reply = yield* Effect.fork(Effect.timeout(Effect.orDie(fresh.framed.take), "1 second"))
    yield* TestClock.adjust("1 second")
    return Option.map(yield* Fiber.join(reply).pipe(Effect.option), decode)
  }).pipe(Effect.provide(NodeFileSystem.layer))

describe("FakeDaemon staleCloseHazard", () => {
  it.scoped("off: the resumed socket keeps the session when the stale one closes", () =>
    Effect.gen(function*() {
      const reply = yield* staleClose(false)
      assert.isTrue(Option.isSome(reply))
    }))

  it.scoped("on: the stale socket's close takes the session off the resumed socket; its replies are lost", () =>
    Effect.gen(function*() {
      const reply = yield* staleClose(true)
      assert.isTrue(Option.isNone(reply))
    }))

  it.live("the ThinClient is not affected: it closes its old socket before redialling", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      // An oversized frame makes the client drop the connection itself, then reconnect.
      yield* daemon.sendRaw(Frame.lengthPrefix(1024 * 1024))
      const reconnected = yield* Stream.fromQueue(events).pipe(Stream.filter((e) => e._tag === "DaemonReconnectedEvent"), Stream.runHead)
      assert.isTrue(Option.isSome(reconnected) && reconnected.value._tag === "DaemonReconnectedEvent" && reconnected.value.resumed)
      const reply = yield* client.request(counterRequest(2)).pipe(Effect.timeout("2 seconds"))
      assert.strictEqual(reply._tag, "GetMessageBoxIndexCounterReply")
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClientInMemory({ staleCloseHazard: true }, { maxFrameLength: 4096 }))))
})
