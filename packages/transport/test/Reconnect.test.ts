import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Bacap, Request, Rpc, WriteCap } from "@katzenpost-effect/core"
import { FakeDaemon } from "@katzenpost-effect/testing"
import * as Transport from "@katzenpost-effect/transport"
import { ThinClient, ThinClientConfig } from "@katzenpost-effect/transport"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import * as TestClock from "effect/TestClock"
import { answerAll, arqRequest, copyRequest, counterRequest, handler, hex, holdArq, queryId, queryIdOf } from "./fixtures.js"
import { LogCapture } from "./LogCapture.js"

const next = <T extends Transport.ClientEvent["_tag"]>(events: Queue.Dequeue<Transport.ClientEvent>, tag: T) => {
  const isTag = (event: Transport.ClientEvent): event is Extract<Transport.ClientEvent, { readonly _tag: T }> => event._tag === tag
  return Effect.gen(function*() {
    while (true) {
      const event = yield* Queue.take(events)
      if (isTag(event)) return event
    }
  })
}

const isQuery = (n: number) => (request: Request.Request) => queryIdOf(request) === hex(queryId(n))

describe("reconnect", () => {
  it.live("resumes the same session after disconnect", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      yield* client.disconnect
      const disconnected = yield* next(events, "DaemonDisconnectedEvent")
      assert.isFalse(disconnected.graceful)
      const reconnected = yield* next(events, "DaemonReconnectedEvent")
      assert.isTrue(reconnected.sameInstance)
      assert.isTrue(reconnected.resumed)
      assert.strictEqual(yield* daemon.sessions, 1)
      assert.isFalse((yield* daemon.requests).some((r) => r._tag === "ThinClose"))
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient())))

  it.live("replays in-flight ARQ after a daemon restart and the blocked caller completes", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      const before = hex(yield* daemon.instanceToken)
      const call = yield* Effect.fork(client.request(arqRequest(5)))
      yield* daemon.awaitRequests(isQuery(5))
      yield* daemon.restart
      const reconnected = yield* next(events, "DaemonReconnectedEvent")
      assert.isFalse(reconnected.sameInstance)
      assert.isFalse(reconnected.resumed)
      assert.strictEqual(reconnected.replayed, 1)
      const reply = yield* Fiber.join(call)
      assert.deepStrictEqual([...reply.plaintext!], [42])
      const sent = yield* daemon.awaitRequests(isQuery(5), 2)
      // The replay is the original request: same query id and envelope hash.
      assert.deepStrictEqual(sent.map((r) => r._tag === "StartResendingEncryptedMessage" ? hex(r.envelope_hash) : ""), [
        hex(arqRequest(5).envelope_hash),
        hex(arqRequest(5).envelope_hash)
      ])
      assert.notStrictEqual(hex(Option.getOrNull(yield* client.instanceToken)), before)
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: holdArq(1) }))))

  it.live("replays in-flight ARQ after every reconnect, also to the same daemon instance", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const call = yield* Effect.fork(client.request(copyRequest(6)))
      yield* daemon.awaitRequests(isQuery(6))
      yield* daemon.dropConnections
      assert.strictEqual((yield* Fiber.join(call)).error_code, 0)
      assert.strictEqual((yield* daemon.awaitRequests(isQuery(6), 2)).length, 2)
    }).pipe(Effect.provide(FakeDaemon.layerClient({ handler: holdArq(1) }))))

  it.live("sends an ARQ request issued while disconnected once the connection is back", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      yield* daemon.setAccepting(false)
      yield* daemon.dropConnections
      yield* next(events, "DaemonDisconnectedEvent")
      const call = yield* Effect.fork(client.request(arqRequest(7)))
      yield* daemon.setAccepting(true)
      assert.strictEqual((yield* Fiber.join(call)).error_code, 0)
      assert.strictEqual((yield* daemon.requests).filter(isQuery(7)).length, 1)
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: answerAll }))))

  it.live("tells a graceful shutdown_event from a crash", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      yield* daemon.shutdown
      assert.strictEqual((yield* Queue.take(events))._tag, "ShutdownEvent")
      const graceful = yield* next(events, "DaemonDisconnectedEvent")
      assert.isTrue(graceful.graceful)
      assert.match(graceful.reason, /shut down/)
      yield* next(events, "DaemonReconnectedEvent")
      yield* daemon.restart
      const crash = yield* next(events, "DaemonDisconnectedEvent")
      assert.isFalse(crash.graceful)
      yield* next(events, "DaemonReconnectedEvent")
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient())))

  it.live("starts a fresh session when the old one expired during the gap", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      yield* daemon.setAccepting(false)
      yield* daemon.dropConnections
      yield* next(events, "DaemonDisconnectedEvent")
      yield* daemon.expireSessions
      yield* daemon.setAccepting(true)
      const reconnected = yield* next(events, "DaemonReconnectedEvent")
      assert.isTrue(reconnected.sameInstance)
      assert.isFalse(reconnected.resumed)
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient())))

  it.live("sees a stopping daemon's shutdown_event as a graceful disconnect", () =>
    Effect.gen(function*() {
      const daemonScope = yield* Scope.make()
      const daemon = yield* Scope.extend(FakeDaemon.make(), daemonScope).pipe(Effect.provide(NodeFileSystem.layer))
      const client = yield* Transport.ThinClient.make(FakeDaemon.clientConfig(daemon))
      const events = yield* client.subscribe
      yield* Scope.close(daemonScope, Exit.void)
      assert.strictEqual((yield* Queue.take(events))._tag, "ShutdownEvent")
      assert.isTrue((yield* next(events, "DaemonDisconnectedEvent")).graceful)
    }).pipe(Effect.scoped))

  it.live("gives up when the reconnect schedule ends, failing the ARQ callers", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      const call = yield* Effect.fork(client.request(arqRequest(8)))
      yield* daemon.awaitRequests(isQuery(8))
      yield* daemon.setAccepting(false)
      yield* daemon.dropConnections
      yield* next(events, "DaemonDisconnectedEvent")
      const waiter = yield* Effect.fork(client.request(counterRequest(2), { waitForConnection: true }))
      const error = yield* Effect.flip(Fiber.join(call))
      assert.strictEqual((yield* Effect.flip(Fiber.join(waiter)))._tag, "DaemonDisconnected")
      assert.strictEqual(error._tag, "DaemonDisconnected")
      assert.match(error.message, /gave up/)
      yield* daemon.setAccepting(true)
      const waiting = yield* Effect.flip(client.request(counterRequest(1), { waitForConnection: true }))
      assert.strictEqual(waiting._tag, "DaemonDisconnected")
      const logs = yield* LogCapture
      assert.strictEqual(yield* logs.next, "WARN kpclientd connection lost: closed by the peer")
      // Each failed redial at Info (the schedule allows two), then the give-up at Warning.
      for (let attempt = 0; attempt < 2; attempt++) {
        assert.match(yield* logs.next, /^INFO kpclientd reconnect attempt failed \(retrying on schedule\): cannot connect to kpclientd at unix:/)
      }
      assert.strictEqual(yield* logs.next, "WARN kpclientd: gave up reconnecting after: closed by the peer")
    }).pipe(
      Effect.scoped,
      Effect.provide(
        FakeDaemon.layerClient({ handler: holdArq(1) }, { reconnectSchedule: Schedule.spaced("5 millis").pipe(Schedule.compose(Schedule.recurs(2))) })
      ),
      Effect.provide(LogCapture.layer)
    ))
  it.live("does not replay an ARQ operation whose cancel was sent; answers it with code 24 if the reply was lost", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      const writeCap = new WriteCap(new Uint8Array(168).fill(3))
      const read = arqRequest(11)
      const copy = Request.StartResendingCopyCommand.make({
        query_id: queryId(12),
        write_cap: writeCap,
        courier_identity_hash: null,
        courier_queue_id: null
      })
      const kept = arqRequest(13)
      const calls = yield* Effect.forEach([read, copy, kept], (request) => Effect.fork(client.request(request)))
      yield* daemon.awaitRequests((r) => Rpc.isArqRequest(r), 3)
      const cancels = [
        Request.CancelResendingEncryptedMessage.make({ query_id: queryId(21), envelope_hash: read.envelope_hash }),
        Request.CancelResendingCopyCommand.make({ query_id: queryId(22), write_cap_hash: Bacap.writeCapHash(writeCap) })
      ]
      const cancelling = yield* Effect.forEach(cancels, (request) => Effect.fork(client.request(request)))
      yield* daemon.awaitRequests((r) => r._tag.startsWith("Cancel"), 2)
      // The connection drops before the daemon's code-24 replies.
      yield* daemon.dropConnections
      for (const call of cancelling) assert.strictEqual((yield* Effect.flip(Fiber.join(call)))._tag, "DaemonDisconnected")
      assert.strictEqual((yield* next(events, "DaemonReconnectedEvent")).replayed, 1)
      for (const call of calls.slice(0, 2)) assert.strictEqual((yield* Fiber.join(call).pipe(Effect.timeout("1 second"))).error_code, 24)
      yield* daemon.awaitRequests(isQuery(13), 2)
      const sent = yield* daemon.requests
      assert.deepStrictEqual([11, 12].map((n) => sent.filter(isQuery(n)).length), [1, 1])
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient({ handler: handler(() => Effect.void) }))))

  it.live("fails an ARQ request made after giving up at once instead of waiting forever", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      yield* daemon.setAccepting(false)
      yield* daemon.dropConnections
      yield* next(events, "DaemonDisconnectedEvent")
      // Returns once the client has given up (a waiting caller is released then).
      yield* Effect.flip(client.request(counterRequest(1), { waitForConnection: true }))
      const arq = yield* Effect.flip(client.request(arqRequest(9)).pipe(Effect.timeout("1 second")))
      assert.strictEqual(arq._tag, "DaemonDisconnected")
      assert.match(arq.message, /gave up/)
      const copy = yield* Effect.flip(client.request(copyRequest(10)).pipe(Effect.timeout("1 second")))
      assert.strictEqual(copy._tag, "DaemonDisconnected")
      const logs = yield* LogCapture
      assert.strictEqual(yield* logs.next, "WARN kpclientd connection lost: closed by the peer")
      // Each failed redial at Info (the schedule allows two), then the give-up at Warning.
      for (let attempt = 0; attempt < 2; attempt++) {
        assert.match(yield* logs.next, /^INFO kpclientd reconnect attempt failed \(retrying on schedule\): cannot connect to kpclientd at unix:/)
      }
      assert.strictEqual(yield* logs.next, "WARN kpclientd: gave up reconnecting after: closed by the peer")
    }).pipe(
      Effect.scoped,
      Effect.provide(FakeDaemon.layerClient({}, { reconnectSchedule: Schedule.spaced("5 millis").pipe(Schedule.compose(Schedule.recurs(2))) })),
      Effect.provide(LogCapture.layer)
    ))
})

describe("reconnect schedule", () => {
  it.effect("default: 1 s, doubling, capped at 60 s, forever", () =>
    Effect.gen(function*() {
      const driver = yield* Schedule.driver(ThinClientConfig.defaultReconnectSchedule)
      const delays: Array<number> = []
      for (let i = 0; i < 10; i++) {
        const fiber = yield* Effect.fork(driver.next(undefined))
        const start = yield* TestClock.currentTimeMillis
        // Advance one second at a time until the step fires: measures the delay on the TestClock.
        while (fiber.unsafePoll() === null) yield* TestClock.adjust("1 second")
        delays.push(((yield* TestClock.currentTimeMillis) - start) / 1000)
        yield* Fiber.join(fiber)
      }
      assert.deepStrictEqual(delays, [1, 2, 4, 8, 16, 32, 60, 60, 60, 60])
    }))

  it.effect("the client redials on that schedule: first attempt after 1 s, then 2 s, 4 s", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      yield* daemon.setAccepting(false)
      const attempts = yield* daemon.connectionAttempts
      yield* daemon.dropConnections
      yield* next(events, "DaemonDisconnectedEvent")
      for (const [i, seconds] of [1, 2, 4].entries()) {
        yield* TestClock.adjust(Duration.millis(seconds * 1000 - 1))
        assert.strictEqual(yield* daemon.connectionAttempts, attempts + i, `no attempt before ${seconds} s`)
        yield* TestClock.adjust("1 millis")
        yield* daemon.awaitConnectionAttempts(attempts + i + 1)
      }
      yield* daemon.setAccepting(true)
      yield* TestClock.adjust("8 seconds")
      yield* next(events, "DaemonReconnectedEvent")
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClientInMemory({}, { reconnectSchedule: ThinClientConfig.defaultReconnectSchedule }))))
})
