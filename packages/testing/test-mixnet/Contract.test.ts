/**
 * The contract suite against a kpclientd on the live net (Dave's, which its restart test
 * SIGKILLs and restarts): the offline-only expectations are skipped, their online
 * counterparts run.
 */
import { ThinClient } from "@katzenpost-effect/transport"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { contractSuite, Target } from "../test/contract/ContractSuite.js"
import { client, clientControl } from "./Mixnet.js"

const target = Layer.succeed(Target, { restart: clientControl("restart", "dave"), received: Option.none() })

contractSuite("kpclientd on the live mixnet (dave)", {
  layer: Layer.merge(Layer.scoped(ThinClient.ThinClient, client("dave")), target),
  mixnet: "online"
})
