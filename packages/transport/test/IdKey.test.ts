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

  it("tells apart a trailing zero byte and a shorter string", () => {
    expect(idKey(new Uint8Array([1]))).not.toBe(idKey(new Uint8Array([0, 1])))
    expect(idKey(new Uint8Array([1, 0]))).not.toBe(idKey(new Uint8Array([1])))
    expect(idKey(new Uint8Array(0))).not.toBe(idKey(new Uint8Array([0])))
  })
})
