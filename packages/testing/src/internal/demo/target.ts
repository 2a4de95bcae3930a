/**
 * Where the demo runs: the embedded fake kpclientd (Pigeonhole engine behind the socket
 * shell, over a real unix socket), or a real kpclientd named by a thinclient.toml.
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import { type ConnectError, type ThinClientConfigError } from "@katzenpost-effect/core"
import { type HandshakeTimeout, ThinClient, ThinClientConfig } from "@katzenpost-effect/transport"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as FakeDaemon from "../../FakeDaemon.js"
import * as PigeonholeEngine from "../../PigeonholeEngine.js"

/** Which daemon. */
export type Target = { readonly _tag: "Embedded" } | { readonly _tag: "Real"; readonly configPath: string }

/** A connected client and what to tell the user about it. */
export interface Connected {
  readonly client: ThinClient.ThinClient
  readonly description: string
  /** The replication lag, when known (embedded only). */
  readonly replicationLag: Duration.Duration | undefined
  /** How long an ARQ operation may take before the demo gives up. */
  readonly arqTimeout: Duration.Duration
}

const EMBEDDED_LAG = Duration.millis(1200)

const embedded: Effect.Effect<Connected, ConnectError | HandshakeTimeout, Scope.Scope | FileSystem.FileSystem> = Effect.gen(
  function*() {
    const engine = yield* PigeonholeEngine.make({
      replicationLag: EMBEDDED_LAG,
      roundTrip: "60 millis",
      readRetryInterval: "200 millis",
      copyPollInterval: "500 millis"
    })
    const daemon = yield* FakeDaemon.make({ handler: engine, pkiDocument: engine.pkiDocument })
    const client = yield* ThinClient.make(FakeDaemon.clientConfig(daemon))
    return {
      client,
      description: `embedded fake kpclientd on unix:${daemon.socketPath}`,
      replicationLag: EMBEDDED_LAG,
      arqTimeout: Duration.seconds(30)
    }
  }
)

const real = (
  configPath: string
): Effect.Effect<Connected, ThinClientConfigError | ConnectError | HandshakeTimeout, Scope.Scope | FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const config = yield* ThinClientConfig.loadFile(configPath)
    const client = yield* ThinClient.make(config)
    return {
      client,
      description: `kpclientd at ${ThinClientConfig.addressToString(config.address)} (${configPath})`,
      replicationLag: undefined,
      arqTimeout: Duration.minutes(10)
    }
  })

/** Connects to the target. */
export const connect = (
  target: Target
): Effect.Effect<Connected, ThinClientConfigError | ConnectError | HandshakeTimeout, Scope.Scope | FileSystem.FileSystem> =>
  target._tag === "Embedded" ? embedded : real(target.configPath)

/** The target from `--config <path>` / `--config=<path>`, else `KATZENPOST_THINCLIENT_CONFIG`, else embedded. */
export const fromArgs = (args: ReadonlyArray<string>, env: Readonly<Record<string, string | undefined>>): Target | string => {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--config") {
      const path = args[i + 1]
      return path === undefined || path.startsWith("--") ? "--config needs a path to a thinclient.toml" : { _tag: "Real", configPath: path }
    }
    if (arg.startsWith("--config=")) return { _tag: "Real", configPath: arg.slice("--config=".length) }
    if (arg === "--help" || arg === "-h") {
      return "usage: katzenpost-effect-demo [--config path/to/thinclient.toml]  (in the repository: npm run demo -- --config …)"
    }
    return `unknown argument ${arg}`
  }
  const fromEnv = env[ThinClientConfig.CONFIG_PATH_VARIABLE]
  return fromEnv === undefined || fromEnv === "" ? { _tag: "Embedded" } : { _tag: "Real", configPath: fromEnv }
}
