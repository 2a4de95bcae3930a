/** The contract suite against the fake daemon, set up like an offline kpclientd v0.0.73. */
import { FakeDaemon, PigeonholeEngine } from "@katzenpost-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { contractSuite, Target } from "./ContractSuite.js"

const offlineFake = PigeonholeEngine.layerClient({
  engine: { hasPkiDocument: false },
  daemon: { online: false },
  withoutPkiDocument: true
})

const target = Layer.effect(
  Target,
  Effect.map(FakeDaemon.FakeDaemon, (daemon) => ({
    restart: daemon.restart,
    received: Option.some(daemon.requests)
  }))
)

contractSuite("fake daemon", { layer: target.pipe(Layer.provideMerge(offlineFake)) })
