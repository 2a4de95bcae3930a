import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Browser from "../src/internal/hex.browser.js"
import * as Node from "../src/internal/hex.js"

describe("hex.browser", () => {
  it("gives the same map keys as the Buffer-based Node build", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      expect(Browser.hexKey(bytes)).toBe(Node.hexKey(bytes))
    }))
  })
})
