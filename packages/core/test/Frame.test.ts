import { Frame } from "@katzenpost-effect/core"
import { assert, describe, it } from "@effect/vitest"
import * as Either from "effect/Either"

describe("Frame", () => {
  it("splits two frames delivered in one chunk", () => {
    const decoder = Frame.makeDecoder()
    const stream = new Uint8Array([...Frame.encodeFrame(new Uint8Array([1, 2])), ...Frame.encodeFrame(new Uint8Array([3]))])
    const frames = Either.getOrThrow(decoder.push(stream))
    assert.deepStrictEqual(frames.map((f) => Array.from(f)), [[1, 2], [3]])
  })
})
