import { assert, describe, it } from "@effect/vitest"
import { Frame } from "@katzenpost-effect/core"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"

const concat = (parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}
const streamOf = (bodies: ReadonlyArray<Uint8Array>) => concat(bodies.map(Frame.encodeFrame))
const chunksAt = (bytes: Uint8Array, cuts: ReadonlyArray<number>): Array<Uint8Array> => {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const chunks: Array<Uint8Array> = []
  let start = 0
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.slice(start, p))
    start = p
  }
  return chunks
}
const feed = (decoder: Frame.FrameDecoder, chunks: ReadonlyArray<Uint8Array>) => {
  const frames: Array<Array<number>> = []
  for (const chunk of chunks) for (const f of Either.getOrThrow(decoder.push(chunk))) frames.push(Array.from(f))
  return frames
}

const bodies = fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 })

describe("Frame", () => {
  it("splits two frames delivered in one chunk", () => {
    const decoder = Frame.makeDecoder()
    const frames = Either.getOrThrow(decoder.push(streamOf([new Uint8Array([1, 2]), new Uint8Array([3])])))
    assert.deepStrictEqual(frames.map((f) => Array.from(f)), [[1, 2], [3]])
  })

  it("writes a 4-byte big-endian length prefix", () => {
    assert.deepStrictEqual(Array.from(Frame.lengthPrefix(0x01020304)), [1, 2, 3, 4])
    assert.deepStrictEqual(Array.from(Frame.encodeFrame(Uint8Array.of(9, 8))), [0, 0, 0, 2, 9, 8])
  })

  it.prop("yields the same frames for every chunking of the same stream", [bodies, fc.array(fc.nat(), { maxLength: 40 })], ([bs, cuts]) => {
    const decoder = Frame.makeDecoder()
    const frames = feed(decoder, chunksAt(streamOf(bs), cuts))
    assert.deepStrictEqual(frames, bs.map((b) => Array.from(b)))
    assert.isTrue(Either.isRight(decoder.end()))
    assert.strictEqual(decoder.buffered(), 0)
  })

  it.prop("yields the same frames when fed one byte at a time", [bodies], ([bs]) => {
    const stream = streamOf(bs)
    const frames = feed(Frame.makeDecoder(), Array.from(stream, (b) => Uint8Array.of(b)))
    assert.deepStrictEqual(frames, bs.map((b) => Array.from(b)))
  })

  it.prop(
    "yields many frames from one chunk, including empty bodies",
    [fc.array(fc.uint8Array({ maxLength: 3 }), { minLength: 2, maxLength: 50 })],
    ([bs]) => {
      assert.deepStrictEqual(feed(Frame.makeDecoder(), [streamOf(bs)]), bs.map((b) => Array.from(b)))
    }
  )

  it.prop("a stream cut inside a frame ends with FrameTruncated after the complete frames", [
    fc.array(fc.uint8Array({ minLength: 1, maxLength: 50 }), { minLength: 1, maxLength: 5 }),
    fc.nat()
  ], ([bs, cut]) => {
    const stream = streamOf(bs)
    const at = 1 + (cut % (stream.length - 1)) // 1 … length-1
    const boundaries = bs.reduce<Array<number>>((acc, b) => [...acc, (acc.at(-1) ?? 0) + 4 + b.length], [])
    const decoder = Frame.makeDecoder()
    const frames = feed(decoder, [stream.slice(0, at)])
    const complete = boundaries.filter((end) => end <= at).length
    assert.deepStrictEqual(frames, bs.slice(0, complete).map((b) => Array.from(b)))
    const end = decoder.end()
    if (boundaries.includes(at)) {
      assert.isTrue(Either.isRight(end))
    } else {
      assert.isTrue(Either.isLeft(end))
      if (Either.isLeft(end)) {
        assert.strictEqual(end.left._tag, "FrameTruncated")
        assert.strictEqual(end.left.received, at - (boundaries.filter((e) => e <= at).at(-1) ?? 0))
      }
    }
  })

  it.prop("a declared length above the maximum is FrameTooLarge before any body is buffered", [
    fc.integer({ min: 1, max: 1000 }),
    fc.integer({ min: 1, max: 0xffff_ffff })
  ], ([max, length]) => {
    fc.pre(length > max)
    const decoder = Frame.makeDecoder({ maxLength: max })
    const result = decoder.push(concat([Frame.lengthPrefix(length), new Uint8Array(10)]))
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      assert.strictEqual(result.left._tag, "FrameTooLarge")
      assert.strictEqual(result.left.length, length)
      assert.strictEqual(result.left.maxLength, max)
    }
    assert.isAtMost(decoder.buffered(), 4)
    assert.isTrue(Either.isLeft(decoder.push(new Uint8Array(1))), "stays failed")
  })

  it("returns the frames before an oversized prefix in the same chunk, then stays failed", () => {
    const decoder = Frame.makeDecoder({ maxLength: 10 })
    const result = decoder.push(concat([Frame.encodeFrame(Uint8Array.of(1, 2)), Frame.encodeFrame(Uint8Array.of(3)), Frame.lengthPrefix(11)]))
    assert.deepStrictEqual(Either.getOrThrow(result).map((f) => Array.from(f)), [[1, 2], [3]])
    const failure = decoder.failure()
    assert.isTrue(failure._tag === "Some" && failure.value.length === 11 && failure.value.maxLength === 10)
    assert.isTrue(Either.isLeft(decoder.push(new Uint8Array(1))), "stays failed")
  })

  it("accepts a frame of exactly the maximum length", () => {
    const decoder = Frame.makeDecoder({ maxLength: 5 })
    assert.deepStrictEqual(feed(decoder, [Frame.encodeFrame(new Uint8Array(5))]), [[0, 0, 0, 0, 0]])
  })

  it("refuses a 4 GiB declaration with the default 40 MiB maximum", () => {
    const result = Frame.makeDecoder().push(Uint8Array.of(0xff, 0xff, 0xff, 0xff))
    assert.isTrue(Either.isLeft(result) && result.left.maxLength === 40 * 1024 * 1024 && result.left.length === 0xffff_ffff)
  })

  it.prop(
    "random bytes give frames or FrameTooLarge, and never throw",
    [fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 6 })],
    ([chunks]) => {
      const decoder = Frame.makeDecoder({ maxLength: 64 })
      for (const chunk of chunks) {
        const result = decoder.push(chunk)
        if (Either.isLeft(result)) assert.strictEqual(result.left._tag, "FrameTooLarge")
      }
      const end = decoder.end()
      if (Either.isLeft(end)) assert.strictEqual(end.left._tag, "FrameTruncated")
    }
  )
})
