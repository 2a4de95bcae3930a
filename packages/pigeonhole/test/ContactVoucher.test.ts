import { assert, describe, it } from "@effect/vitest"
import { Response } from "@katzenpost-effect/core"
import { ContactVoucher } from "@katzenpost-effect/pigeonhole"
import { type DaemonHandler, FakeDaemon } from "@katzenpost-effect/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

const b = (n: number, length = 4) => new Uint8Array(length).fill(n)

/**
 * Answers like kpclientd v0.0.104's voucher handlers: mint and derive succeed; induct with a
 * voucher starting 0xee fails with 28, open of sealed reply 0xee with 30, induct of payload
 * 0xdd with 29.
 */
const vouchers: DaemonHandler = {
  handle: (session, request) => {
    switch (request._tag) {
      case "VoucherMint":
        return session.reply(Response.VoucherMintReply.make({
          query_id: request.query_id,
          voucher: b(1),
          voucher_payload: b(2),
          voucher_write_cap: b(3),
          voucher_read_cap: b(4),
          voucher_secret_key: b(5),
          voucher_public_key: b(6),
          error_code: 0
        }))
      case "VoucherInduct": {
        const code = request.voucher?.[0] === 0xee ? 28 : request.voucher_payload?.[0] === 0xdd ? 29 : 0
        return session.reply(Response.VoucherInductReply.make(
          code === 0
            ? {
              query_id: request.query_id,
              display_name: "alice",
              mutated_message_read_cap: b(7),
              sealed_reply: b(8),
              voucher_write_cap: b(9),
              voucher_read_cap: b(10),
              salt: b(11),
              error_code: 0
            }
            : {
              query_id: request.query_id,
              display_name: "",
              mutated_message_read_cap: null,
              sealed_reply: null,
              voucher_write_cap: null,
              voucher_read_cap: null,
              salt: null,
              error_code: code
            }
        ))
      }
      case "VoucherOpen":
        return session.reply(Response.VoucherOpenReply.make({
          query_id: request.query_id,
          who_reply: null,
          salt: null,
          mutated_message_write_cap: null,
          error_code: 30
        }))
      case "VoucherDeriveStream":
        return session.reply(Response.VoucherDeriveStreamReply.make({
          query_id: request.query_id,
          voucher_write_cap: b(12),
          voucher_read_cap: null,
          error_code: 0
        }))
      default:
        return Effect.void
    }
  },
  endSession: () => Effect.void
}

const withVouchers = (options: Parameters<typeof FakeDaemon.layerClient>[0]) =>
  ContactVoucher.layer.pipe(Layer.provideMerge(FakeDaemon.layerClient(options)))

describe("ContactVoucher", () => {
  it.live("mints a voucher; write cap and secret key come back Redacted; the write cap goes out as given", () =>
    Effect.gen(function*() {
      const service = yield* ContactVoucher.ContactVoucher
      const minted = yield* service.mint(Redacted.make(b(0x42)), "alice")
      assert.deepStrictEqual(minted.voucher, b(1))
      assert.deepStrictEqual(Redacted.value(minted.voucherWriteCap), b(3))
      assert.deepStrictEqual(Redacted.value(minted.voucherSecretKey), b(5))
      assert.notInclude(String(minted.voucherSecretKey), "5")
      const sent = (yield* (yield* FakeDaemon.FakeDaemon).requests).find((r) => r._tag === "VoucherMint")
      assert.deepStrictEqual(sent?._tag === "VoucherMint" ? sent.message_write_cap : null, b(0x42))
      assert.strictEqual(sent?._tag === "VoucherMint" ? sent.display_name : null, "alice")
    }).pipe(Effect.provide(withVouchers({ version: "newer", handler: vouchers }))))

  it.live("turns codes 28, 29 and 30 into typed errors with Go's texts", () =>
    Effect.gen(function*() {
      const service = yield* ContactVoucher.ContactVoucher
      const hash = yield* Effect.flip(service.induct(b(0xee), b(2), b(3)))
      assert.strictEqual(hash._tag, "VoucherHashMismatch")
      assert.strictEqual(hash.message, "Voucher payload does not hash to the voucher")
      const signature = yield* Effect.flip(service.induct(b(1), b(0xdd), b(3)))
      assert.strictEqual(signature._tag, "VoucherSignatureInvalid")
      assert.strictEqual(signature.message, "Voucher signed please-add did not verify")
      const seal = yield* Effect.flip(service.open(b(5), b(0xee), b(3)))
      assert.strictEqual(seal._tag, "VoucherSealOpenFailed")
      assert.strictEqual(seal.message, "Voucher sealed reply could not be opened")
      const inducted = yield* service.induct(b(1), b(2), b(3))
      assert.strictEqual(inducted.displayName, "alice")
    }).pipe(Effect.provide(withVouchers({ version: "newer", handler: vouchers }))))

  it.live("names a field missing from a successful reply, never its value", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip((yield* ContactVoucher.ContactVoucher).deriveStream(b(1)))
      assert.strictEqual(error._tag, "MalformedMessage")
      assert.include(error.message, "voucher_read_cap")
    }).pipe(Effect.provide(withVouchers({ version: "newer", handler: vouchers }))))

  it.live("fails every call with UnsupportedRequest on a v0.0.73 daemon, sending nothing", () =>
    Effect.gen(function*() {
      const service = yield* ContactVoucher.ContactVoucher
      const daemon = yield* FakeDaemon.FakeDaemon
      const before = (yield* daemon.requests).length
      const calls: ReadonlyArray<Effect.Effect<unknown, ContactVoucher.VoucherCallError>> = [
        service.mint(b(1), "a"),
        service.induct(b(1), b(2), b(3)),
        service.open(b(1), b(2), b(3)),
        service.deriveStream(b(1))
      ]
      for (const call of calls) {
        assert.strictEqual((yield* Effect.flip(call))._tag, "UnsupportedRequest")
      }
      assert.strictEqual((yield* daemon.requests).length, before)
    }).pipe(Effect.provide(withVouchers({ handler: vouchers }))))
})
