import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { idKey } from "../src/internal/idKey.js"

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i])

describe("idKey", () => {
  it("gives distinct byte strings distinct keys and equal ones equal keys", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
      expect(idKey(a) === idKey(b)).toBe(sameBytes(a, b))
      expect(idKey(a)).toBe(idKey(Uint8Array.from(a)))
    }))
  })

  it("keys 16-byte ids (query and SURB ids) by every byte, apart from every other length", () => {
    const id = fc.uint8Array({ minLength: 16, maxLength: 16 })
    fc.assert(fc.property(id, fc.nat(15), fc.integer({ min: 1, max: 255 }), (a, at, delta) => {
      const b = Uint8Array.from(a)
      b[at] = (b[at]! + delta) & 0xff
      expect(idKey(a)).not.toBe(idKey(b))
      expect(idKey(a)).toBe(idKey(Uint8Array.from(a)))
      expect(idKey(a)).not.toBe(idKey(a.subarray(0, 15)))
      expect(idKey(a.subarray(0, 15))).not.toBe(idKey(Uint8Array.of(...a, 0).subarray(0, 17)))
    }))
  })

  it("tells apart a trailing zero byte and a shorter string", () => {
    expect(idKey(new Uint8Array([1]))).not.toBe(idKey(new Uint8Array([0, 1])))
    expect(idKey(new Uint8Array([1, 0]))).not.toBe(idKey(new Uint8Array([1])))
    expect(idKey(new Uint8Array(0))).not.toBe(idKey(new Uint8Array([0])))
  })
})
