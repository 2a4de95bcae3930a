/**
 * The contract suite against the fake daemon, set up like an offline kpclientd: once as
 * v0.0.73 (19-key replies, geometry from thinclient.toml) and once as a newer daemon
 * (25-key replies, geometry in connection_status_event).
 */
import { FakeDaemon, PigeonholeEngine } from "@katzenpost-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { contractSuite, Target } from "./ContractSuite.js"

const offlineFake = (version: "v0.0.73" | "newer") =>
  PigeonholeEngine.layerClient({
    engine: { hasPkiDocument: false },
    daemon: { online: false, version },
    withoutPkiDocument: true
  })

const target = Layer.effect(
  Target,
  Effect.map(FakeDaemon.FakeDaemon, (daemon) => ({
    restart: daemon.restart,
    received: Option.some(daemon.requests)
  }))
)

contractSuite("fake daemon (v0.0.73)", { layer: target.pipe(Layer.provideMerge(offlineFake("v0.0.73"))), newCalls: "unsupported" })
contractSuite("fake daemon (newer)", { layer: target.pipe(Layer.provideMerge(offlineFake("newer"))) })
