/** Assembles a ThinClient from its parts: first connection, supervisor fiber, close. */
import type * as Socket from "@effect/platform/Socket"
import { ClientClosed, type ConnectError, newClientToken, NoPkiDocument, PkiDocument, ServiceNotFound } from "@katzenpost-effect/core"
import * as Arr from "effect/Array"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { ClientEvent } from "../ClientEvent.js"
import type { ThinClientConfig } from "../Config.js"
import { addressToString } from "../Config.js"
import type { HandshakeTimeout } from "../TransportErrors.js"
import { connect } from "./connector.js"
import * as Direct from "./direct.js"
import type { ClientEnv } from "./env.js"
import type { BaseClient } from "./instrument.js"
import { closeLanes, sayThinClose } from "./lanes.js"
import * as PkiCache from "./pkiCache.js"
import * as Requests from "./requests.js"
import * as State from "./state.js"
import { supervise } from "./supervisor.js"

/** Releases every waiter with `ClientClosed`, ends the event streams, says `thin_close`. */
const close = (env: ClientEnv, supervisor: Fiber.RuntimeFiber<void>) =>
  Effect.gen(function*() {
    const state = env.state
    state.closed = true
    yield* Fiber.interrupt(supervisor)
    yield* closeLanes(env)
    const live = state.live
    state.live = undefined
    if (live !== undefined) {
      yield* sayThinClose(env, live)
      yield* Scope.close(live.scope, Exit.void)
    }
    yield* Effect.sync(() => {
      Requests.failEveryone(env, (operation) => new ClientClosed({ operation }))
      state.deadlines.clear()
    })
    const waiters = [...state.surbWaiters.values()]
    state.surbWaiters.clear()
    yield* Effect.forEach(waiters, (waiter) => Deferred.fail(waiter, new ClientClosed({ operation: "blocking_send_message" })), {
      discard: true
    })
    yield* env.connected.open
    yield* PubSub.shutdown(env.events)
  })

/** Builds a client over `openSocket`, which opens one fresh socket per connection attempt. */
export const make = (
  config: ThinClientConfig,
  openSocket: Effect.Effect<Socket.Socket, Socket.SocketError, Scope.Scope>
): Effect.Effect<BaseClient, ConnectError | HandshakeTimeout, Scope.Scope> =>
  Effect.gen(function*() {
    const env: ClientEnv = {
      config,
      address: addressToString(config.address),
      openSocket,
      token: Redacted.make(yield* newClientToken),
      state: State.initial(),
      events: yield* PubSub.sliding<ClientEvent>(config.eventBufferSize),
      connected: yield* Effect.makeLatch(false),
      // Connections live in a child scope made now, so it closes after the close finalizer
      // below (finalizers run in reverse order): thin_close is written on a live socket.
      scope: yield* Scope.fork(yield* Effect.scope, ExecutionStrategy.sequential)
    }
    const first = yield* connect(env, true)
    const supervisor = yield* Effect.forkIn(supervise(env, first), env.scope)
    yield* Effect.addFinalizer(() => close(env, supervisor))

    const state = env.state
    const pkiDocument = Effect.suspend(() => state.pki.current === undefined ? Effect.fail(new NoPkiDocument()) : Effect.succeed(state.pki.current))
    const getServices = (capability: string) =>
      Effect.flatMap(pkiDocument, (document) => {
        const services = PkiDocument.findServices(document, capability)
        return Arr.isNonEmptyReadonlyArray(services) ? Effect.succeed(services) : Effect.fail(new ServiceNotFound({ capability }))
      })

    const client: BaseClient = {
      request: (request, options) => Requests.request(env, request, options),
      requestAll: (requests, options) => Requests.requestAll(env, requests, options),
      events: Stream.fromPubSub(env.events),
      subscribe: PubSub.subscribe(env.events),
      isConnected: Effect.sync(() => state.mixnet),
      isDaemonConnected: Effect.sync(() => state.live !== undefined),
      instanceToken: Effect.sync(() => Option.fromNullable(state.instanceToken)),
      geometry: Effect.suspend(() =>
        state.geometry === undefined ? Effect.dieMessage("geometry is set by the first handshake") : Effect.succeed(state.geometry)
      ),
      pkiDocument,
      pkiDocumentForEpoch: (epoch) =>
        Effect.suspend(() => {
          const document = PkiCache.forEpoch(state.pki, epoch)
          return document === undefined ? Effect.fail(new NoPkiDocument()) : Effect.succeed(document)
        }),
      getServices,
      getService: (capability) => Effect.flatMap(getServices(capability), (services) => Random.choice(services)),
      sendMessage: (surbId, payload, destination, queue) => Direct.send(env, "send_message", surbId, payload, destination, queue),
      sendMessageWithoutReply: (payload, destination, queue) =>
        Effect.asVoid(Direct.send(env, "send_message_without_reply", null, payload, destination, queue)),
      blockingSendMessage: (payload, destination, queue, options) => Direct.blockingSend(env, payload, destination, queue, options?.timeout),
      disconnect: Effect.suspend(() => {
        const live = state.live
        return live === undefined ? Effect.void : live.connection.close("disconnected by the client")
      })
    }
    return client
  })
