import { NodeFileSystem } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { ConfigError, ThinClientConfigError } from "@katzenpost-effect/core"
import { ThinClientConfig } from "@katzenpost-effect/transport"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"

const geometry = `
[SphinxGeometry]
  PacketLength = 3082
  NrHops = 5
  HeaderLength = 476
  RoutingInfoLength = 410
  PerHopRoutingInfoLength = 82
  SURBLength = 572
  SphinxPlaintextHeaderLength = 2
  PayloadTagLength = 32
  ForwardPayloadLength = 2574
  UserForwardPayloadLength = 2000
  NextNodeHopLength = 65
  SPRPKeyMaterialLength = 64
  NIKEName = "x25519"
  KEMName = ""

[PigeonholeGeometry]
  MaxPlaintextPayloadLength = 1553
  CourierQueryReadLength = 359
  CourierQueryWriteLength = 2000
  CourierQueryReplyReadLength = 1698
  CourierQueryReplyWriteLength = 50
  NIKEName = "CTIDH1024-X25519"
  SignatureSchemeName = "Ed25519"
`

const tcpDial = `
[Dial]
  [Dial.Tcp]
    Address = "localhost:64331"
    Network = "tcp"
`

const reason = (text: string) => Either.match(ThinClientConfig.fromToml(text), { onLeft: (error) => error.reason, onRight: () => "no error" })

describe("thinclient.toml", () => {
  it("reads the v0.0.73 layout: [Dial.Tcp] plus both geometry sections", () => {
    const config = Either.getOrThrow(ThinClientConfig.fromToml(geometry + tcpDial))
    assert.strictEqual(config.layout, "v0.0.73")
    assert.deepStrictEqual(config.address, { _tag: "Tcp", host: "localhost", port: 64331, family: 0 })
    assert.strictEqual(Option.getOrThrow(config.geometry).sphinx.UserForwardPayloadLength, 2000)
    assert.strictEqual(Option.getOrThrow(config.geometry).pigeonhole.MaxPlaintextPayloadLength, 1553)
  })

  it("reads the v0.0.73 layout with [Dial.Unix]", () => {
    const config = Either.getOrThrow(ThinClientConfig.fromToml(geometry + `[Dial]\n[Dial.Unix]\nAddress = "/run/kpclientd.sock"\n`))
    assert.deepStrictEqual(config.address, { _tag: "Unix", path: "/run/kpclientd.sock" })
  })

  it("reads the newer layout: [Dial] only, geometry left to the handshake", () => {
    const config = Either.getOrThrow(ThinClientConfig.fromToml(`[Dial]\n[Dial.Unix]\nAddress = "@kpclientd"\n`))
    assert.strictEqual(config.layout, "newer")
    assert.isTrue(Option.isNone(config.geometry))
    assert.deepStrictEqual(config.address, { _tag: "Unix", path: "@kpclientd" })
  })

  it("reads rc1's flat Network/Address layout", () => {
    const tcp = Either.getOrThrow(ThinClientConfig.fromToml(`Network = "tcp6"\nAddress = "[::1]:64331"\n` + geometry))
    assert.strictEqual(tcp.layout, "rc1")
    assert.deepStrictEqual(tcp.address, { _tag: "Tcp", host: "::1", port: 64331, family: 6 })
    assert.isTrue(Option.isSome(tcp.geometry))
    const unix = Either.getOrThrow(ThinClientConfig.fromToml(`Network = "unix"\nAddress = "/tmp/kp.sock"\n`))
    assert.deepStrictEqual(unix.address, { _tag: "Unix", path: "/tmp/kp.sock" })
    // rc1's loader was lenient: keys it did not know were ignored, not refused.
    const extra = Either.getOrThrow(ThinClientConfig.fromToml(`Network = "unix"\nAddress = "/tmp/kp.sock"\nLogLevel = "DEBUG"\n`))
    assert.strictEqual(extra.layout, "rc1")
  })

  it("applies defaults: 1 s x2 reconnect capped at 60 s, 10 s dial, 75 s handshake, 30 s blocking send", () => {
    const config = Either.getOrThrow(ThinClientConfig.fromToml(tcpDial))
    assert.strictEqual(Duration.toMillis(config.dialTimeout), 10_000)
    // kpclientd v0.0.104 holds each new connection 30 s offline, one at a time: two of them fit.
    assert.isAbove(Duration.toMillis(config.handshakeTimeout), 60_000)
    assert.strictEqual(Duration.toMillis(config.blockingSendTimeout), 30_000)
    assert.strictEqual(config.reconnectSchedule, ThinClientConfig.defaultReconnectSchedule)
    assert.strictEqual(config.eventBufferSize, 1024)
  })

  it("names an unknown key, at any depth", () => {
    assert.strictEqual(reason(`Logging = "debug"\n` + tcpDial), `unknown key "Logging"`)
    assert.strictEqual(reason(`[Dial]\n[Dial.Tcp]\nAddress = "a:1"\nTimeout = 3\n`), `unknown key "Dial.Tcp.Timeout"`)
    assert.strictEqual(reason(`[Dial]\nFoo = 1\n[Dial.Unix]\nAddress = "/x"\n`), `unknown key "Dial.Foo"`)
    assert.strictEqual(reason(geometry.replace("NrHops = 5", "NrHops = 5\n  Hops = 5") + tcpDial), `unknown key "SphinxGeometry.Hops"`)
  })

  it("names a missing section", () => {
    assert.strictEqual(reason(geometry), "missing section [Dial]")
    assert.match(reason(`[Dial]\n`), /missing section.*exactly one of \[Dial.Unix\], \[Dial.Tcp\] or \[Dial.Ws\]/)
    // v0.0.73 requires both geometry sections once one is present.
    const sphinxOnly = geometry.slice(0, geometry.indexOf("[PigeonholeGeometry]"))
    assert.strictEqual(reason(sphinxOnly + tcpDial), "missing section [PigeonholeGeometry]")
    assert.strictEqual(reason(`[Dial]\n[Dial.Tcp]\nNetwork = "tcp"\n`), `missing key "Dial.Tcp.Address"`)
  })

  it("refuses two transports", () => {
    assert.match(reason(`[Dial]\n[Dial.Unix]\nAddress = "/x"\n[Dial.Tcp]\nAddress = "a:1"\n`), /exactly one transport/)
    assert.match(reason(`[Dial]\n[Dial.Ws]\nAddress = "ws://a:1/"\n[Dial.Tcp]\nAddress = "a:1"\n`), /exactly one transport/)
  })

  it("reads [Dial.Ws] (kpclientd v0.0.104) as a WebSocket URL, and refuses other schemes and keys", () => {
    const config = Either.getOrThrow(ThinClientConfig.fromToml(`[Dial]\n[Dial.Ws]\nAddress = "ws://127.0.0.1:7447"\n`))
    assert.deepStrictEqual(config.address, { _tag: "Ws", url: "ws://127.0.0.1:7447/" })
    assert.strictEqual(config.layout, "newer")
    assert.strictEqual(ThinClientConfig.addressToString(config.address), "ws://127.0.0.1:7447/")
    assert.match(reason(`[Dial]\n[Dial.Ws]\nAddress = "http://a:1/"\n`), /bad address "http:\/\/a:1\/": expected a ws:\/\/ or wss:\/\/ URL/)
    assert.match(reason(`[Dial]\n[Dial.Ws]\nAddress = "not a url"\n`), /bad address/)
    assert.strictEqual(reason(`[Dial]\n[Dial.Ws]\nAddress = "ws://a:1"\nOrigin = "x"\n`), `unknown key "Dial.Ws.Origin"`)
    assert.strictEqual(reason(`[Dial]\n[Dial.Ws]\n`), `missing key "Dial.Ws.Address"`)
  })

  it("refuses bad addresses, networks and values", () => {
    assert.match(reason(`[Dial]\n[Dial.Tcp]\nAddress = "localhost"\n`), /bad address "localhost"/)
    assert.match(reason(`[Dial]\n[Dial.Tcp]\nAddress = "localhost:99999"\n`), /bad address/)
    assert.match(reason(`[Dial]\n[Dial.Tcp]\nAddress = "localhost:1"\nNetwork = "udp"\n`), /bad network "udp"/)
    assert.match(reason(`[Dial]\n[Dial.Tcp]\nAddress = "localhost:1"\nNetwork = "constructor"\n`), /bad network "constructor"/)
    assert.match(reason(`Network = "toString"\nAddress = "localhost:1"\n`), /bad network "toString"/)
    assert.match(reason(`[Dial]\n[Dial.Unix]\nAddress = ""\n`), /empty unix socket path/)
    assert.match(reason(`[Dial]\n[Dial.Unix]\nAddress = 3\n`), /"Dial.Unix.Address" must be a string/)
    assert.match(reason(geometry.replace("NrHops = 5", `NrHops = "five"`) + tcpDial), /invalid "SphinxGeometry.NrHops"/)
    assert.match(reason(`[Dial\n`), /not valid TOML/)
  })

  it("gives the line and column of a TOML syntax error", () => {
    assert.strictEqual(
      reason(`# thinclient.toml\n[Dial]\n[Dial.Tcp\nAddress = "x:1"\n`),
      "not valid TOML at line 3, column 10: illegal character in key"
    )
    const error = Either.getLeft(ThinClientConfig.fromToml(`a = 1\nb = = 2\n`, { path: "/etc/thinclient.toml" }))
    assert.match(Option.getOrThrow(error).message, /^invalid thin client config \/etc\/thinclient\.toml: not valid TOML at line 2, column 5: /)
  })

  it("fails with ThinClientConfigError, named apart from Effect's ConfigError", () => {
    const error = Option.getOrThrow(Either.getLeft(ThinClientConfig.fromToml(`[Dial\n`)))
    assert.strictEqual(error._tag, "ThinClientConfigError")
    assert.instanceOf(error, ThinClientConfigError)
    assert.strictEqual(ConfigError, ThinClientConfigError) // the deprecated alias
  })

  it.effect("loads a file and names it in errors", () =>
    Effect.gen(function*() {
      const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "kpcfg-"))
      const good = Path.join(dir, "good.toml")
      const bad = Path.join(dir, "bad.toml")
      Fs.writeFileSync(good, geometry + tcpDial)
      Fs.writeFileSync(bad, `[Dial]\nExtra = 1\n[Dial.Tcp]\nAddress = "x:1"\n`)
      const config = yield* ThinClientConfig.loadFile(good)
      assert.strictEqual(config.layout, "v0.0.73")
      const error = yield* Effect.flip(ThinClientConfig.loadFile(bad))
      assert.strictEqual(error.path, bad)
      assert.match(error.message, /bad\.toml: unknown key "Dial.Extra"/)
      const missing = yield* Effect.flip(ThinClientConfig.loadFile(Path.join(dir, "nope.toml")))
      assert.match(missing.reason, /cannot read/)
      Fs.rmSync(dir, { recursive: true })
    }).pipe(Effect.provide(NodeFileSystem.layer)))

  it.effect("reads only a regular file of sane size: no device, FIFO, directory or huge file", () =>
    Effect.gen(function*() {
      const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "kpcfg-"))
      const refused = (path: string) => Effect.map(Effect.flip(ThinClientConfig.loadFile(path)), (error) => error.reason)
      assert.strictEqual(yield* refused("/dev/zero"), "not a regular file (it is a device)")
      assert.strictEqual(yield* refused(dir), "not a regular file (it is a directory)")
      const fifo = Path.join(dir, "fifo.toml")
      ChildProcess.execFileSync("mkfifo", [fifo]) // opening it would block until a writer came
      assert.strictEqual(yield* refused(fifo), "not a regular file (it is a FIFO)")
      const huge = Path.join(dir, "huge.toml")
      Fs.writeFileSync(huge, "")
      Fs.truncateSync(huge, 3 * 1024 * 1024 * 1024) // sparse: 3 GiB by stat, nothing on disk
      assert.strictEqual(yield* refused(huge), "too large for a thinclient.toml (3221225472 bytes; at most 1048576)")
      const binary = Path.join(dir, "binary.toml")
      Fs.writeFileSync(binary, new Uint8Array([0x61, 0x20, 0x3d, 0x20, 0xff, 0xfe]))
      assert.strictEqual(yield* refused(binary), "not UTF-8 text")
      const link = Path.join(dir, "link.toml")
      Fs.writeFileSync(Path.join(dir, "target.toml"), geometry + tcpDial)
      Fs.symlinkSync(Path.join(dir, "target.toml"), link) // a symlink to a regular file is fine
      assert.strictEqual((yield* ThinClientConfig.loadFile(link)).layout, "v0.0.73")
      Fs.rmSync(dir, { recursive: true })
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})
