// The README's connect program: type-checked by `tsc -b`, kept identical by ReadmeSync.test.ts.
import { NodeRuntime } from "@effect/platform-node"
import { ThinClient } from "@katzenpost-effect/transport"
import { Effect } from "effect"

const program = Effect.gen(function*() {
  const client = yield* ThinClient.ThinClient
  console.log("daemon connected to the mixnet:", yield* client.isConnected)
  const document = yield* client.pkiDocument
  for (const node of document.ServiceNodes ?? []) {
    console.log(node.Name, "offers", Object.keys(node.Kaetzchen ?? {}).join(", "))
  }
})

program.pipe(Effect.provide(ThinClient.layerConfig()), NodeRuntime.runMain)
