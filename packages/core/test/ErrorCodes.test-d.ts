/**
 * Type-level tests: each reply family's error union is closed, so the compiler rejects a
 * match that forgets one of its errors or names one the family cannot produce. Checked by
 * `npx tsc -b` (tsconfig.test.json), which `npm test` runs before vitest.
 */
import { ErrorCodes } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import * as Match from "effect/Match"
import { describe, expectTypeOf, test } from "vitest"

const arqCases = {
  BoxIdNotFound: () => "expected",
  InvalidBoxId: () => "replica",
  InvalidSignature: () => "replica",
  DatabaseFailure: () => "replica",
  InvalidPayload: () => "replica",
  StorageFull: () => "replica",
  ReplicaInternalError: () => "replica",
  InvalidEpoch: () => "replica",
  ReplicationFailed: () => "replica",
  BoxAlreadyExists: () => "expected",
  Tombstone: () => "expected",
  InvalidRequest: () => "daemon",
  InternalError: () => "daemon",
  CourierCacheCorruption: () => "courier",
  PropagationError: () => "courier",
  MkemDecryptionFailed: () => "crypto",
  BacapDecryptionFailed: () => "crypto",
  StartResendingCancelled: () => "cancelled",
  InvalidTombstoneSignature: () => "crypto",
  PayloadTooLarge: () => "daemon",
  CourierInvalidEnvelope: () => "courier",
  CourierInvalidEpoch: () => "courier",
  UnknownDaemonError: () => "unknown"
} as const

const { UnknownDaemonError: _unknown, ...arqCasesButUnknown } = arqCases
const { Tombstone: _tombstone, ...arqCasesButTombstone } = arqCases

describe("ArqError", () => {
  test("an exhaustive Match over every ArqError compiles", () => {
    const describeArq = (error: ErrorCodes.ArqError) => Match.value(error).pipe(Match.tags(arqCases), Match.exhaustive)
    expectTypeOf(describeArq).returns.toEqualTypeOf<string>()
  })

  test("a Match that forgets UnknownDaemonError does not compile", () => {
    const describeArq = (error: ErrorCodes.ArqError) =>
      Match.value(error).pipe(
        Match.tags(arqCasesButUnknown),
        // @ts-expect-error UnknownDaemonError is not handled
        Match.exhaustive
      )
    expectTypeOf(describeArq).toBeFunction()
  })

  test("a Match that forgets Tombstone does not compile", () => {
    const describeArq = (error: ErrorCodes.ArqError) =>
      Match.value(error).pipe(
        Match.tags(arqCasesButTombstone),
        // @ts-expect-error Tombstone is not handled
        Match.exhaustive
      )
    expectTypeOf(describeArq).toBeFunction()
  })

  test("catchTags over every ArqError leaves no error", () => {
    const program = Effect.fail(ErrorCodes.arqError({ error_code: 1, courier_identity_hash: null })!)
    const handled: Effect.Effect<string> = program.pipe(Effect.catchTags(mapToEffects(arqCases)))
    expectTypeOf(handled).toEqualTypeOf<Effect.Effect<string>>()
  })

  test("catchTags that forgets one ArqError still fails with it", () => {
    const program = Effect.fail(ErrorCodes.arqError({ error_code: 1, courier_identity_hash: null })!)
    // @ts-expect-error Tombstone can still fail the effect
    const handled: Effect.Effect<string> = program.pipe(Effect.catchTags(mapToEffects(arqCasesButTombstone)))
    expectTypeOf(handled).not.toBeNever()
  })

  test("catchTags naming an error the family cannot produce does not compile", () => {
    const program = Effect.fail(ErrorCodes.arqError({ error_code: 1, courier_identity_hash: null })!)
    // @ts-expect-error CopyCommandFailed is not an ArqError
    const handled = program.pipe(Effect.catchTags({ CopyCommandFailed: () => Effect.succeed("no") }))
    expectTypeOf(handled).not.toBeNever()
  })
})

describe("CopyCommandError and LocalError", () => {
  test("an exhaustive Match over every CopyCommandError compiles, and Tombstone is not one", () => {
    const describeCopy = (error: ErrorCodes.CopyCommandError) =>
      Match.value(error).pipe(
        Match.tags({
          InvalidRequest: () => 1,
          InternalError: () => 2,
          StartResendingCancelled: () => 3,
          CopyCommandFailed: (e) => e.replicaErrorCode,
          MkemDecryptionFailed: () => 5,
          BacapDecryptionFailed: () => 6,
          InvalidTombstoneSignature: () => 7,
          PayloadTooLarge: () => 8,
          CourierCacheCorruption: () => 9,
          PropagationError: () => 10,
          CourierInvalidEnvelope: () => 11,
          CourierInvalidEpoch: () => 12,
          UnknownDaemonError: (e) => e.code
        }),
        Match.exhaustive
      )
    expectTypeOf(describeCopy).returns.toEqualTypeOf<number>()
    // @ts-expect-error Tombstone is not a CopyCommandError
    Match.type<ErrorCodes.CopyCommandError>().pipe(Match.tag("Tombstone", () => 0))
  })

  test("an exhaustive Match over every LocalError compiles; one missing does not", () => {
    const complete = (error: ErrorCodes.LocalError) =>
      Match.value(error).pipe(
        Match.tags({
          InvalidRequest: () => 1,
          InternalError: () => 2,
          ServiceUnavailable: () => 3,
          PayloadTooLarge: () => 4,
          UnknownDaemonError: () => 5
        }),
        Match.exhaustive
      )
    const incomplete = (error: ErrorCodes.LocalError) =>
      Match.value(error).pipe(
        Match.tags({ InvalidRequest: () => 1, InternalError: () => 2, ServiceUnavailable: () => 3, UnknownDaemonError: () => 5 }),
        // @ts-expect-error PayloadTooLarge is not handled
        Match.exhaustive
      )
    expectTypeOf(complete).returns.toEqualTypeOf<number>()
    expectTypeOf(incomplete).toBeFunction()
  })
})

/** Turns `{ Tag: () => value }` into catchTags handlers `{ Tag: () => Effect.succeed(value) }`. */
function mapToEffects<C extends Record<string, () => string>>(cases: C): { [K in keyof C]: () => Effect.Effect<string> } {
  return Object.fromEntries(Object.entries(cases).map(([k, f]) => [k, () => Effect.succeed(f())])) as never
}
