import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { ConnectError, referenceGeometry, Request, Response } from "@katzenpost-effect/core"
import { FakeDaemon } from "@katzenpost-effect/testing"
import * as Transport from "@katzenpost-effect/transport"
import { ThinClient } from "@katzenpost-effect/transport"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Scope from "effect/Scope"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { hex, pkiDocument, queryId } from "./fixtures.js"

const offline = (daemon: FakeDaemon.FakeDaemon) =>
  Effect.map(daemon.instanceToken, (token) =>
    Response.ConnectionStatusEvent.make({
      is_connected: false,
      err: null,
      instance_token: token,
      sphinx_geometry: null,
      pigeonhole_geometry: null
    }))

const gc = Response.MessageIdGarbageCollected.make({ message_id: null })

describe("handshake", () => {
  it.live("connects over a unix socket and learns status, instance token and PKI document", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      assert.isTrue(yield* client.isConnected)
      assert.isTrue(yield* client.isDaemonConnected)
      assert.strictEqual(hex(Option.getOrNull(yield* client.instanceToken)), hex(yield* daemon.instanceToken))
      assert.strictEqual((yield* client.pkiDocument).Epoch, 7)
      assert.strictEqual(yield* daemon.sessions, 1)
      assert.strictEqual((yield* client.geometry).sphinx.UserForwardPayloadLength, 2000)
    }).pipe(Effect.provide(FakeDaemon.layerClient({ pkiDocument: pkiDocument(7) }))))

  it.live("accepts the PKI document before the status", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      assert.isFalse(yield* client.isConnected)
      assert.strictEqual((yield* client.pkiDocument).Epoch, 3)
    }).pipe(Effect.provide(FakeDaemon.layerClient({ online: false, pkiDocument: pkiDocument(3), handshake: { order: "pki-first" } }))))

  it.live("treats a null PKI payload as no document yet", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const error = yield* Effect.flip(client.pkiDocument)
      assert.strictEqual(error._tag, "NoPkiDocument")
    }).pipe(Effect.provide(FakeDaemon.layerClient())))

  it.live("applies a status broadcast that races the initial pair, in arrival order", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      // The broadcast (offline) arrives between the pair: it is newer than the handshake status.
      yield* daemon.setHandshake({ between: [yield* offline(daemon)] })
      const client = yield* Transport.ThinClient.make(FakeDaemon.clientConfig(daemon))
      assert.isFalse(yield* client.isConnected)
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layer())))

  it.live("delivers events interleaved with a reconnect handshake after it, before DaemonReconnected", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      const events = yield* client.subscribe
      yield* daemon.setHandshake({ order: "pki-first", before: [gc], between: [gc] })
      yield* daemon.dropConnections
      const seen: Array<string> = []
      while (seen.at(-1) !== "DaemonReconnectedEvent") seen.push((yield* Queue.take(events))._tag)
      // The status is republished first (the client marked the mixnet down while disconnected).
      assert.deepStrictEqual(seen, [
        "DaemonDisconnectedEvent",
        "ConnectionStatusEvent",
        "MessageIdGarbageCollected",
        "MessageIdGarbageCollected",
        "DaemonReconnectedEvent"
      ])
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layerClient())))

  it.live("reuses one 16-byte session token across reconnects", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      yield* daemon.dropConnections
      yield* daemon.awaitHandshakes(2)
      const tokens = (yield* daemon.requests).flatMap((r) => (r._tag === "SessionToken" ? [hex(r.client_instance_token)] : []))
      assert.strictEqual(tokens.length, 2)
      assert.strictEqual(tokens[0]!.length, 32)
      assert.strictEqual(tokens[0], tokens[1])
    }).pipe(Effect.provide(FakeDaemon.layerClient())))

  it.live("fails with HandshakeTimeout when the daemon never answers the session token", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const error = yield* Effect.flip(Transport.ThinClient.make(FakeDaemon.clientConfig(daemon, { handshakeTimeout: "150 millis" })))
      assert.strictEqual(error._tag, "HandshakeTimeout")
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layer({ handshake: { withholdTokenReply: true } }))))

  it.live("takes the geometry from a newer daemon's handshake when the config has none", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const client = yield* Transport.ThinClient.make({ ...FakeDaemon.clientConfig(daemon), geometry: Option.none() })
      assert.strictEqual((yield* client.geometry).sphinx.UserForwardPayloadLength, 1500)
    }).pipe(
      Effect.scoped,
      Effect.provide(FakeDaemon.layer({
        version: "newer",
        geometry: { ...referenceGeometry, sphinx: { ...referenceGeometry.sphinx, UserForwardPayloadLength: 1500 } }
      }))
    ))

  it.live("re-learns generation and geometry when a newer daemon is replaced by a v0.0.73 one", () =>
    Effect.gen(function*() {
      const socketPath = `@kp-effect-downgrade-${process.pid}`
      const newerScope = yield* Scope.make()
      const newer = yield* Scope.extend(
        FakeDaemon.make({
          socketPath,
          version: "newer",
          geometry: { ...referenceGeometry, sphinx: { ...referenceGeometry.sphinx, UserForwardPayloadLength: 1500 } }
        }),
        newerScope
      )
      const client = yield* Transport.ThinClient.make(FakeDaemon.clientConfig(newer))
      const events = yield* client.subscribe
      assert.strictEqual((yield* client.geometry).sphinx.UserForwardPayloadLength, 1500)
      yield* Scope.close(newerScope, Exit.void)
      const older = yield* FakeDaemon.make({ socketPath })
      while ((yield* Queue.take(events))._tag !== "DaemonReconnectedEvent") {}
      assert.deepStrictEqual(yield* client.geometry, referenceGeometry)
      const error = yield* Effect.flip(client.request(Request.GetPkiDocument.make({ query_id: queryId(1), epoch: 0n }), { timeout: "1 second" }))
      assert.strictEqual(error._tag, "UnsupportedRequest")
      assert.isFalse(yield* older.crashed)
    }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer)))

  it.live("refuses to run without geometry from either the config or the daemon", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const error = yield* Effect.flip(Transport.ThinClient.make({ ...FakeDaemon.clientConfig(daemon), geometry: Option.none() }))
      assert.instanceOf(error, ConnectError)
      assert.match(error.message, /no geometry/)
    }).pipe(Effect.scoped, Effect.provide(FakeDaemon.layer())))

  it.live("connects to a Linux abstract socket (@name)", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      assert.isTrue(yield* client.isDaemonConnected)
    }).pipe(Effect.provide(FakeDaemon.layerClient({ socketPath: `@kp-effect-test-${process.pid}` }))))

  it.live("layerConfig connects from the thinclient.toml named by KATZENPOST_THINCLIENT_CONFIG", () =>
    Effect.gen(function*() {
      const daemon = yield* FakeDaemon.FakeDaemon
      const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "kpcfg-"))
      const file = Path.join(dir, "thinclient.toml")
      Fs.writeFileSync(file, `[Dial]\n[Dial.Unix]\nAddress = "${daemon.socketPath}"\n`)
      const connected = yield* Effect.gen(function*() {
        const client = yield* ThinClient.ThinClient
        return [yield* client.isDaemonConnected, (yield* client.geometry).sphinx.UserForwardPayloadLength] as const
      }).pipe(
        Effect.provide(Transport.ThinClient.layerConfig()),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([[Transport.ThinClientConfig.CONFIG_PATH_VARIABLE, file]])))
      )
      assert.deepStrictEqual(connected, [true, 1500])
      Fs.rmSync(dir, { recursive: true })
    }).pipe(Effect.provide(FakeDaemon.layer({
      version: "newer",
      geometry: { ...referenceGeometry, sphinx: { ...referenceGeometry.sphinx, UserForwardPayloadLength: 1500 } }
    }))))

  it.live("connects in memory through makeWith", () =>
    Effect.gen(function*() {
      const client = yield* ThinClient.ThinClient
      const daemon = yield* FakeDaemon.FakeDaemon
      assert.isTrue(yield* client.isDaemonConnected)
      assert.strictEqual(yield* daemon.sessions, 1)
    }).pipe(Effect.provide(FakeDaemon.layerClientInMemory())))
})
