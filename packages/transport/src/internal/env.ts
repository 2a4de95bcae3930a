/** What the parts of one client share. */
import type * as Socket from "@effect/platform/Socket"
import type { ClientToken } from "@katzenpost-effect/core"
import type * as Effect from "effect/Effect"
import type * as PubSub from "effect/PubSub"
import type * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import type { ClientEvent } from "../ClientEvent.js"
import type { ThinClientConfig } from "../Config.js"
import type { ClientState } from "./state.js"

/** The shared parts of one client. */
export interface ClientEnv {
  readonly config: ThinClientConfig
  readonly address: string
  readonly openSocket: Effect.Effect<Socket.Socket, Socket.SocketError, Scope.Scope>
  readonly token: Redacted.Redacted<ClientToken>
  readonly state: ClientState
  readonly events: PubSub.PubSub<ClientEvent>
  /** Open while a connection is established (or once the client is closed, to release waiters). */
  readonly connected: Effect.Latch
  /** The client's scope; each connection gets a child of it. */
  readonly scope: Scope.Scope
}
