/**
 * Type-level tests, checked by `npx tsc -b` (tsconfig.test.json): a match over an ARQ
 * variant's errors compiles only when it handles every case the variant can produce, and
 * no case it cannot.
 */
import { assert, describe, it } from "@effect/vitest"
import { BoxIdNotFound, MkemDecryptionFailed, Tombstone } from "@katzenpost-effect/core"
import type { Arq } from "@katzenpost-effect/pigeonhole"
import * as Effect from "effect/Effect"
import * as Match from "effect/Match"

const answer = (text: string) => () => Effect.succeed(text)

/** One handler per error a default read can fail with. */
const readCases = {
  InvalidRequest: answer("bug"),
  InternalError: answer("retry"),
  InvalidBoxId: answer("bug"),
  InvalidSignature: answer("bug"),
  DatabaseFailure: answer("retry"),
  InvalidPayload: answer("bug"),
  ReplicaInternalError: answer("retry"),
  InvalidEpoch: answer("retry"),
  ReplicationFailed: answer("retry"),
  StartResendingCancelled: answer("cancelled"),
  CourierCacheCorruption: answer("retry"),
  PropagationError: answer("retry"),
  CourierInvalidEnvelope: answer("bug"),
  CourierInvalidEpoch: answer("retry"),
  PayloadTooLarge: answer("bug"),
  UnknownDaemonError: answer("upgrade"),
  MkemDecryptionFailed: answer("retry"),
  BacapDecryptionFailed: answer("wrong key"),
  Tombstone: answer("deleted"),
  InvalidTombstoneSignature: answer("forged")
}

const { Tombstone: _tombstone, ...readCasesWithoutTombstone } = readCases

const fields = { code: 11, message: "Tombstone" }

describe("exhaustive matches over ARQ errors", () => {
  it("a default read's errors match exhaustively with exactly its cases", () => {
    const handle = (error: Arq.ReadError) => Match.valueTags(error, readCases)
    assert.strictEqual(Effect.runSync(handle(new Tombstone(fields))), "deleted")
    assert.strictEqual(Effect.runSync(handle(new MkemDecryptionFailed({ code: 22, message: "MKEM decryption failed" }))), "retry")

    // @ts-expect-error Tombstone is not handled
    const missing = (error: Arq.ReadError) => Match.valueTags(error, readCasesWithoutTombstone)
    // @ts-expect-error a default read cannot fail with BoxIdNotFound (the daemon retries)
    const extra = (error: Arq.ReadError) => Match.valueTags(error, { ...readCases, BoxIdNotFound: answer("impossible") })
    assert.isFunction(missing)
    assert.isFunction(extra)
  })

  it("a NoRetry read must also handle BoxIdNotFound", () => {
    const complete = Match.type<Arq.ReadNoRetryError>().pipe(
      Match.tags({ ...readCases, BoxIdNotFound: answer("not yet") }),
      Match.exhaustive
    )
    assert.strictEqual(Effect.runSync(complete(new BoxIdNotFound({ code: 1, message: "Box ID not found" }))), "not yet")

    const incomplete = Match.type<Arq.ReadNoRetryError>().pipe(
      Match.tags(readCases),
      // @ts-expect-error BoxIdNotFound is left over
      Match.exhaustive
    )
    assert.isFunction(incomplete)
  })

  it("catchTags must handle BoxAlreadyExists on a ReturnBoxExists write to clear the error channel", () => {
    const write: Effect.Effect<string, Arq.WriteReturnBoxExistsError> = Effect.succeed("written")
    const { BacapDecryptionFailed: _b, Tombstone: _t, InvalidTombstoneSignature: _i, ...shared } = readCases
    const writeCases = { ...shared, StorageFull: answer("full"), BoxAlreadyExists: answer("already there") }
    const handled: Effect.Effect<string> = Effect.catchTags(write, writeCases)
    assert.strictEqual(Effect.runSync(handled), "written")

    const { BoxAlreadyExists: _a, ...withoutBoxAlreadyExists } = writeCases
    // @ts-expect-error BoxAlreadyExists is still in the error channel
    const partial: Effect.Effect<string> = Effect.catchTags(write, withoutBoxAlreadyExists)
    // A default write cannot fail with BoxAlreadyExists: handling it does not compile.
    const defaultWrite: Effect.Effect<string, Arq.WriteError> = Effect.succeed("written")
    // @ts-expect-error BoxAlreadyExists is not an error of a default write
    const impossible = Effect.catchTags(defaultWrite, writeCases)
    assert.isDefined(partial)
    assert.isDefined(impossible)
  })
})
