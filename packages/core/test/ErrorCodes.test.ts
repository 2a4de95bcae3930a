import { assert, describe, it } from "@effect/vitest"
import { ErrorCodes, NodeIdHash } from "@katzenpost-effect/core"

// The tables below are written from wire-protocol.md §4, not from the source.
const thinText: Record<number, string> = {
  1: "Connection lost",
  2: "Timeout",
  3: "Invalid request",
  4: "Internal error",
  5: "Maximum retries exceeded",
  6: "Invalid channel",
  7: "Channel not found",
  8: "Permission denied",
  9: "Invalid payload",
  10: "Service unavailable",
  11: "Duplicate capability",
  12: "Courier cache corruption",
  13: "Propagation error",
  14: "Invalid write capability",
  15: "Invalid read capability",
  16: "Invalid resume write channel request",
  17: "Invalid resume read channel request",
  18: "Impossible hash error",
  19: "Failed to create new write capability",
  20: "Failed to create new stateful writer",
  21: "Capability already in use",
  22: "MKEM decryption failed",
  23: "BACAP decryption failed",
  24: "Start resending cancelled",
  25: "Invalid tombstone signature",
  26: "Copy command failed",
  27: "Payload too large",
  28: "Voucher payload does not hash to the voucher",
  29: "Voucher signed please-add did not verify",
  30: "Voucher sealed reply could not be opened",
  31: "Courier rejected the envelope as malformed",
  32: "Courier rejected the envelope: replica epoch outside tolerance window"
}
/** The thin text of a code, or the reference's fallback for codes it does not define. */
const thin = (code: number) => thinText[code] ?? `Unknown thin client error code: ${code}`
const replicaText: Record<number, string> = {
  1: "Box ID not found",
  2: "Invalid box ID",
  3: "Invalid signature",
  4: "Database failure",
  5: "Invalid payload",
  6: "Storage full",
  7: "Replica internal error",
  8: "Invalid epoch",
  9: "Replication failed",
  10: "Box already exists",
  11: "Tombstone"
}

const localTable: Record<number, string> = { 3: "InvalidRequest", 4: "InternalError", 10: "ServiceUnavailable", 27: "PayloadTooLarge" }

const arqThinCodes: Record<number, string> = {
  12: "CourierCacheCorruption",
  13: "PropagationError",
  22: "MkemDecryptionFailed",
  23: "BacapDecryptionFailed",
  24: "StartResendingCancelled",
  25: "InvalidTombstoneSignature",
  27: "PayloadTooLarge",
  31: "CourierInvalidEnvelope",
  32: "CourierInvalidEpoch"
}
const arqWithCourier: Record<number, string> = {
  1: "BoxIdNotFound",
  2: "InvalidBoxId",
  3: "InvalidSignature",
  4: "DatabaseFailure",
  5: "InvalidPayload",
  6: "StorageFull",
  7: "ReplicaInternalError",
  8: "InvalidEpoch",
  9: "ReplicationFailed",
  10: "BoxAlreadyExists",
  11: "Tombstone",
  ...arqThinCodes
}
const arqWithoutCourier: Record<number, string> = { ...arqWithCourier, 3: "InvalidRequest", 4: "InternalError" }
const copyTable: Record<number, string> = { 3: "InvalidRequest", 4: "InternalError", 26: "CopyCommandFailed", ...arqThinCodes }

const codes = Array.from({ length: 256 }, (_, i) => i)
const courier = NodeIdHash.make(new Uint8Array(32).fill(7))

const expectError = (
  error: { readonly _tag: string; readonly code?: number; readonly message: string } | undefined,
  code: number,
  tag: string | undefined,
  text: string
) => {
  assert.isDefined(error, `code ${code}`)
  assert.strictEqual(error!._tag, tag ?? "UnknownDaemonError", `code ${code}`)
  assert.strictEqual(error!.code, code)
  assert.strictEqual(error!.message, text, `code ${code}`)
}

describe("ErrorCodes.localError", () => {
  it("is undefined for 0", () => {
    assert.isUndefined(ErrorCodes.localError("new_keypair", 0))
  })
  it("maps every code 1..255 to its thin error or UnknownDaemonError", () => {
    for (const code of codes.slice(1)) {
      const error = ErrorCodes.localError("new_keypair", code)
      expectError(error, code, localTable[code], thin(code))
      if (error!._tag === "UnknownDaemonError") assert.strictEqual((error as { family: string }).family, "new_keypair")
    }
  })
  it("gives an unknown code the reference text of the thin namespace", () => {
    assert.strictEqual(ErrorCodes.localError("encrypt_read", 7)!.message, "Channel not found")
    assert.strictEqual(ErrorCodes.localError("encrypt_read", 200)!.message, "Unknown thin client error code: 200")
  })
})

const voucherTable: Record<number, string> = {
  3: "InvalidRequest",
  4: "InternalError",
  28: "VoucherHashMismatch",
  29: "VoucherSignatureInvalid",
  30: "VoucherSealOpenFailed"
}

describe("ErrorCodes.voucherError", () => {
  it("is undefined for 0", () => {
    assert.isUndefined(ErrorCodes.voucherError("voucher_open", 0))
  })
  it("maps every code 1..255 to its thin error or UnknownDaemonError", () => {
    for (const code of codes.slice(1)) {
      const error = ErrorCodes.voucherError("voucher_open", code)
      expectError(error, code, voucherTable[code], thin(code))
      if (error!._tag === "UnknownDaemonError") assert.strictEqual((error as { family: string }).family, "voucher_open")
    }
  })
  it("says what Go says for codes 28–30", () => {
    assert.strictEqual(ErrorCodes.voucherError("voucher_induct", 28)!.message, "Voucher payload does not hash to the voucher")
    assert.strictEqual(ErrorCodes.voucherError("voucher_induct", 29)!.message, "Voucher signed please-add did not verify")
    assert.strictEqual(ErrorCodes.voucherError("voucher_open", 30)!.message, "Voucher sealed reply could not be opened")
  })
})

describe("ErrorCodes.arqError", () => {
  it("is undefined for 0, with or without a courier", () => {
    assert.isUndefined(ErrorCodes.arqError({ error_code: 0, courier_identity_hash: courier }))
    assert.isUndefined(ErrorCodes.arqError({ error_code: 0, courier_identity_hash: null }))
  })
  it("reads codes 1..11 as replica outcomes when the reply names a courier", () => {
    for (const code of codes.slice(1)) {
      const error = ErrorCodes.arqError({ error_code: code, courier_identity_hash: courier })
      expectError(error, code, arqWithCourier[code], replicaText[code] ?? thin(code))
    }
  })
  it("reads codes 3 and 4 as thin InvalidRequest / InternalError when the reply names no courier", () => {
    for (const code of codes.slice(1)) {
      const error = ErrorCodes.arqError({ error_code: code, courier_identity_hash: null })
      const text = code === 3 || code === 4 ? thin(code) : replicaText[code] ?? thin(code)
      expectError(error, code, arqWithoutCourier[code], text)
    }
  })
  it("keeps the family name on unknown codes", () => {
    const error = ErrorCodes.arqError({ error_code: 99, courier_identity_hash: courier })
    assert.strictEqual(error!._tag, "UnknownDaemonError")
    assert.strictEqual((error as { family: string }).family, "start_resending_encrypted_message")
    assert.strictEqual(error!.message, "Unknown thin client error code: 99")
  })
})

describe("ErrorCodes.copyCommandError", () => {
  const reply = (error_code: number, replica_error_code = 0, failed_envelope_index = 0n) => ({
    error_code,
    replica_error_code,
    failed_envelope_index
  })
  it("is undefined for 0", () => {
    assert.isUndefined(ErrorCodes.copyCommandError(reply(0)))
  })
  it("maps every code in the thin namespace (no replica reading of 1..11)", () => {
    for (const code of codes.slice(1)) {
      const error = ErrorCodes.copyCommandError(reply(code))
      assert.strictEqual(error!._tag, copyTable[code] ?? "UnknownDaemonError", `code ${code}`)
      assert.strictEqual(error!.code, code)
      if (code !== 26) assert.strictEqual(error!.message, thin(code), `code ${code}`)
    }
  })
  it("code 26 carries the replica code and the failed element, named in the message", () => {
    const error = ErrorCodes.copyCommandError(reply(26, 1, 3n))
    assert.strictEqual(error!._tag, "CopyCommandFailed")
    if (error!._tag !== "CopyCommandFailed") return
    assert.strictEqual(error.replicaErrorCode, 1)
    assert.strictEqual(error.failedEnvelopeIndex, 3n)
    assert.strictEqual(error.message, "Copy command failed: Box ID not found (failed envelope index 3)")
  })
  it("code 26 keeps a failed index beyond 2^53 exactly", () => {
    const error = ErrorCodes.copyCommandError(reply(26, 10, 0xfedcba9876543210n))
    assert.strictEqual(error!._tag === "CopyCommandFailed" && error!.failedEnvelopeIndex, 0xfedcba9876543210n)
    assert.include(error!.message, "Box already exists")
    assert.include(error!.message, "18364758544493064720")
  })
  it("code 26 without replica detail says so plainly", () => {
    assert.strictEqual(ErrorCodes.copyCommandError(reply(26))!.message, "Copy command failed (failed envelope index 0)")
  })
  it("code 26 names each replica code's text", () => {
    for (const [code, text] of Object.entries(replicaText)) {
      assert.include(ErrorCodes.copyCommandError(reply(26, Number(code), 1n))!.message, `: ${text} (`)
    }
  })
})

describe("ErrorCodes.isExpectedOutcome", () => {
  const expected = new Set(["Tombstone", "BoxIdNotFound", "BoxAlreadyExists"])
  it("is true exactly for Tombstone, BoxIdNotFound and BoxAlreadyExists", () => {
    const tags = new Set<string>()
    for (const code of codes.slice(1)) {
      for (
        const error of [
          ErrorCodes.arqError({ error_code: code, courier_identity_hash: courier }),
          ErrorCodes.arqError({ error_code: code, courier_identity_hash: null }),
          ErrorCodes.copyCommandError({ error_code: code, replica_error_code: 1, failed_envelope_index: 1n }),
          ErrorCodes.localError("new_keypair", code)
        ]
      ) {
        tags.add(error!._tag)
        assert.strictEqual(ErrorCodes.isExpectedOutcome(error!), expected.has(error!._tag), error!._tag)
      }
    }
    for (const tag of expected) assert.isTrue(tags.has(tag), `${tag} is reachable`)
  })
})
