/**
 * What the end-to-end suite knows about the live loopback mixnet started by
 * interop/mixnet/up: the env file it wrote (MIXNET_ENV, default /tmp/kpmx/env), a connected
 * ThinClient per user (Alice, Bob, Carol and Dave each have their own kpclientd), and the few helpers
 * every test file shares. Everything else is the packages' public API, used as an app would.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { Pigeonhole, Streams } from "@katzenpost-effect/pigeonhole"
import { ThinClient, ThinClientConfig } from "@katzenpost-effect/transport"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import { execFileSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

/** Who owns a client daemon on the net. */
export type User = "alice" | "bob" | "carol" | "dave"

const envPath = process.env["MIXNET_ENV"] ?? "/tmp/kpmx/env"

/** The assignments of the env file, or an error saying how to start the net. */
export const env: Readonly<Record<string, string>> = (() => {
  if (!existsSync(envPath)) {
    throw new Error(`${envPath} does not exist: start the mixnet with interop/mixnet/up (or set MIXNET_ENV)`)
  }
  const out: Record<string, string> = {}
  for (const line of readFileSync(envPath, "utf8").split("\n")) {
    const match = /^([A-Z0-9_]+)='([^']*)'$/.exec(line)
    if (match !== null) out[match[1]!] = match[2]!
  }
  return out
})()

const setting = (name: string): string => {
  const value = env[name]
  if (value === undefined) throw new Error(`${envPath} has no ${name}`)
  return value
}

/** The thinclient.toml of a user's daemon. */
export const thinConfig = (user: User): string => setting(`MIXNET_${user.toUpperCase()}_THIN_CONFIG`)

/** The repository root (for the scripts and the built demo). */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url))

/** Runs interop/mixnet/client ACTION USER (SIGKILL / start a user's kpclientd). */
export const clientControl = (action: "restart" | "kill" | "start", user: User): Effect.Effect<void, Error> =>
  Effect.try({
    try: () => {
      execFileSync("bash", [`${repoRoot}interop/mixnet/client`, action, user], {
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...process.env, MX_BASE: setting("MIXNET_BASE"), MX_BIN: setting("MIXNET_BIN") }
      })
    },
    catch: (cause) => new Error(`interop/mixnet/client ${action} ${user} failed: ${String(cause)}`)
  })

/** A ThinClient connected to a user's daemon, reconnecting every 200 ms after a loss. */
export const client = (user: User): Effect.Effect<ThinClient.ThinClient, unknown, Scope.Scope> =>
  Effect.flatMap(
    ThinClientConfig.loadFile(thinConfig(user), { reconnectSchedule: Schedule.spaced("200 millis") }),
    ThinClient.make
  ).pipe(Effect.provide(NodeFileSystem.layer))

/** Pigeonhole and Streams on a connected client, with the library's defaults. */
export const services = (thin: ThinClient.ThinClient) =>
  Effect.gen(function*() {
    const pigeonhole = yield* Pigeonhole.make().pipe(Effect.provideService(ThinClient.ThinClient, thin))
    const streams = yield* Streams.make.pipe(Effect.provideService(Pigeonhole.Pigeonhole, pigeonhole))
    return { pigeonhole, streams }
  })

/** Layer form of `client` for it.layer. */
export const clientLayer = (user: User): Layer.Layer<ThinClient.ThinClient, unknown> => Layer.scoped(ThinClient.ThinClient, client(user))

/** A fresh random 32-byte seed. */
export const seed = (): Uint8Array => crypto.getRandomValues(new Uint8Array(32))

/** The error of an effect that must fail (a success fails the test with a short message). */
export { failure } from "../test/contract/ContractSuite.js"

/** Fails with a clear message when `effect` takes longer than `duration`: no test hangs. */
export const within = <A, E, R>(effect: Effect.Effect<A, E, R>, duration: Duration.DurationInput, what: string) =>
  Effect.timeoutFail(effect, {
    duration,
    onTimeout: () => new Error(`timed out after ${Duration.format(Duration.decode(duration))}: ${what}`)
  })

/** Logs a line with the test's elapsed time, for the closing note and docs/performance.md. */
export const report = (line: string): Effect.Effect<void> => Effect.sync(() => process.stdout.write(`[mixnet] ${line}\n`))

/** Runs `effect` and reports how long it took (seconds). */
export const timed = <A, E, R>(label: string, effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Effect.timed(effect), ([took, value]) => Effect.as(report(`${label}: ${(Duration.toMillis(took) / 1000).toFixed(1)} s`), value))
