/**
 * The contract suite against a real kpclientd: `npm run test:kpclientd` with
 * KATZENPOST_THINCLIENT_CONFIG naming its thinclient.toml. KPCLIENTD_RESTART is a command
 * that kills the daemon and starts a new process on the same socket (interop/ci.sh passes
 * interop/kpclientd/restart.sh); without it the restart test fails with a clear message.
 * KPCLIENTD_VERSION (as for interop/kpclientd/start.sh) names the daemon: v0.0.104 holds
 * every new connection 30 s offline, and the suite's waits allow for it.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { ThinClient, ThinClientConfig } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import { execFileSync } from "node:child_process"
import { describe, it } from "vitest"
import { contractSuite, Target } from "../test/contract/ContractSuite.js"

const configPath = process.env[ThinClientConfig.CONFIG_PATH_VARIABLE]
const restartCommand = process.env["KPCLIENTD_RESTART"]
const version = process.env["KPCLIENTD_VERSION"] ?? "v0.0.73"
/** kpclientd v0.0.104 waits up to 30 s for a PKI document on each new connection (offline: always). */
const handshakeSeconds = version === "v0.0.73" ? 0 : 30
/** kpclientd v0.0.104 is built with hpqc v0.0.86, whose BACAP start index is clamped differently. */
const bacap = version === "v0.0.73" ? "hpqc-v0.0.78" : "hpqc-v0.0.86"

const client = Layer.scoped(
  ThinClient.ThinClient,
  Effect.flatMap(
    ThinClientConfig.loadFile(configPath ?? "", { reconnectSchedule: Schedule.spaced("100 millis") }),
    ThinClient.make
  )
).pipe(Layer.provide(NodeFileSystem.layer))

const target = Layer.succeed(Target, {
  restart: Effect.try({
    try: () => {
      if (restartCommand === undefined) throw new Error("set KPCLIENTD_RESTART to a command that restarts the daemon")
      const [command, ...args] = restartCommand.split(" ")
      execFileSync(command ?? "", args, { stdio: "inherit" })
    },
    catch: (cause) => cause
  }),
  received: Option.none()
})

if (configPath === undefined) {
  describe("contract: real kpclientd", () => {
    it("needs KATZENPOST_THINCLIENT_CONFIG naming a thinclient.toml", () => {
      throw new Error("KATZENPOST_THINCLIENT_CONFIG is not set: start a kpclientd (interop/kpclientd/start.sh) and point it at its thinclient.toml")
    })
  })
} else {
  contractSuite(`real kpclientd ${version} (${configPath})`, {
    layer: Layer.merge(client, target),
    handshakeSeconds,
    bacap,
    newCalls: version === "v0.0.73" ? "unsupported" : "v0.0.104"
  })
}
