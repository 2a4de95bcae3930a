import { assert, describe, it } from "@effect/vitest"
import { Frame } from "@katzenpost-effect/core"
import * as fc from "effect/FastCheck"

describe("Frame.allocate", () => {
  it.prop(
    "gives zeroed, aligned views that never overlap",
    [fc.array(fc.integer({ min: 0, max: 9000 }), { minLength: 1, maxLength: 60 })],
    ([sizes]) => {
      const views = sizes.map((size) => Frame.allocate(size))
      views.forEach((view, i) => {
        assert.strictEqual(view.length, sizes[i])
        assert.strictEqual(view.byteOffset % 8, 0)
        assert.isTrue(view.every((byte) => byte === 0))
      })
      // Filling each with its own mark leaves every other one intact.
      views.forEach((view, i) => view.fill((i % 255) + 1))
      views.forEach((view, i) => assert.isTrue(view.every((byte) => byte === (i % 255) + 1)))
    },
    { fastCheck: { numRuns: 200 } }
  )

  it("gives a buffer of its own above the pooled size", () => {
    const big = Frame.allocate(8 * 1024 + 1)
    assert.strictEqual(big.byteOffset, 0)
    assert.strictEqual(big.buffer.byteLength, 8 * 1024 + 1)
  })

  it("goes on with a new slab when an app transferred one away", () => {
    const view = Frame.allocate(16)
    const buffer = view.buffer
    if (!(buffer instanceof ArrayBuffer)) return assert.fail("a slab is an ArrayBuffer")
    structuredClone(buffer, { transfer: [buffer] })
    assert.strictEqual(view.buffer.byteLength, 0)
    const next = Frame.allocate(16)
    assert.strictEqual(next.length, 16)
    next.fill(1)
    assert.isTrue(next.every((byte) => byte === 1))
  })
})
