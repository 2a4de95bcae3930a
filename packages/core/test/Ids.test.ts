import { assert, describe, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { newQueryId, queryIdIn, SecureRandom } from "../src/index.js"

describe("query ids", () => {
  it.effect("newQueryId draws 16 fresh bytes from the platform CSPRNG by default", () =>
    Effect.gen(function*() {
      const a = yield* newQueryId
      const b = yield* newQueryId
      assert.strictEqual(a.length, 16)
      assert.notDeepEqual(a, b)
    }))

  it.effect("newQueryId takes its bytes from a provided SecureRandom", () =>
    Effect.gen(function*() {
      const a = yield* newQueryId
      const b = yield* newQueryId
      assert.deepStrictEqual(Array.from(a), Array.from({ length: 16 }, (_, i) => i))
      assert.deepStrictEqual(Array.from(b), Array.from({ length: 16 }, (_, i) => i + 1))
    }).pipe(Effect.provide(SecureRandom.deterministic)))

  it("queryIdIn draws now without a SecureRandom, and leaves a provided one to newQueryId", () => {
    const a = queryIdIn(Context.empty())
    const b = queryIdIn(Context.empty())
    assert.strictEqual(a?.length, 16)
    assert.notDeepEqual(a, b)
    assert.isUndefined(queryIdIn(Context.make(SecureRandom, SecureRandom.crypto)))
  })
})
