import { assert, describe, it } from "@effect/vitest"
import { FakeDaemon } from "@katzenpost-effect/testing"
import { Directory } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { handler, replyTo } from "./fixtures.js"

const authority = {
  identifier: "auth1",
  pki_signature_scheme: "Ed25519",
  wire_kem_scheme: "xwing",
  addresses: ["tcp://127.0.0.1:30001"],
  identity_public_key_pem: "-----BEGIN ED25519 PUBLIC KEY-----",
  link_public_key_pem: "-----BEGIN XWING PUBLIC KEY-----",
  identity_key_hash: new Uint8Array(32).fill(7)
}

/** A v0.0.104-like daemon: the current epoch's signed document, one authority, epoch 9 unknown (code 10). */
const directoryDaemon = handler((session, request) => {
  if (request._tag === "GetPkiDocument") {
    return session.reply(
      request.epoch === 9n
        ? replyTo(request, { epoch: 9n, error_code: 10 })
        : replyTo(request, { epoch: 42n, payload: new Uint8Array([0xd9, 1, 2]) })
    )
  }
  if (request._tag === "GetDirectoryAuthorities") return session.reply(replyTo(request, { authorities: [authority, null] }))
  return Effect.void
})

const withDirectory = (daemon: Parameters<typeof FakeDaemon.layerClient>[0]) =>
  Directory.layer.pipe(Layer.provideMerge(FakeDaemon.layerClient(daemon)))

describe("Directory", () => {
  it.live("returns the signed document of the current epoch and of a given one", () =>
    Effect.gen(function*() {
      const directory = yield* Directory.Directory
      const current = yield* directory.getPkiDocument()
      assert.strictEqual(current.epoch, 42n)
      assert.deepStrictEqual(current.certificate, new Uint8Array([0xd9, 1, 2]))
      const missing = yield* Effect.flip(directory.getPkiDocument(9n))
      assert.strictEqual(missing._tag, "ServiceUnavailable")
      const [request] = (yield* (yield* FakeDaemon.FakeDaemon).requests).filter((r) => r._tag === "GetPkiDocument")
      assert.strictEqual(request?._tag === "GetPkiDocument" ? request.epoch : undefined, 0n)
    }).pipe(Effect.provide(withDirectory({ version: "newer", handler: directoryDaemon }))))

  it.live("lists the directory authorities, skipping null entries", () =>
    Effect.gen(function*() {
      const authorities = yield* (yield* Directory.Directory).getDirectoryAuthorities()
      assert.deepStrictEqual(authorities.map((a) => a.identifier), ["auth1"])
      assert.deepStrictEqual(authorities[0]?.identity_key_hash, new Uint8Array(32).fill(7))
    }).pipe(Effect.provide(withDirectory({ version: "newer", handler: directoryDaemon }))))

  it.live("fails with UnsupportedRequest on a v0.0.73 daemon and sends nothing", () =>
    Effect.gen(function*() {
      const directory = yield* Directory.Directory
      const daemon = yield* FakeDaemon.FakeDaemon
      const before = (yield* daemon.requests).length
      assert.strictEqual((yield* Effect.flip(directory.getPkiDocument()))._tag, "UnsupportedRequest")
      assert.strictEqual((yield* Effect.flip(directory.getDirectoryAuthorities()))._tag, "UnsupportedRequest")
      assert.strictEqual((yield* daemon.requests).length, before)
    }).pipe(Effect.provide(withDirectory({ handler: directoryDaemon }))))
})
