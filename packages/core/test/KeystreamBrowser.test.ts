/**
 * The browser build of the new_keypair primitives (pure TypeScript) equals the Node build
 * (node:crypto) byte for byte.
 */
import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import * as Browser from "../src/internal/keystream.browser.js"
import * as Node from "../src/internal/keystream.js"

describe("keystream.browser", () => {
  it("ChaCha20 keystream equals node:crypto's for any key and length", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 0, max: 300 }), (key, length) => {
        expect(Browser.chacha20Keystream(key, length)).toEqual(Node.chacha20Keystream(key, length))
      }),
      { numRuns: 200 }
    )
  })
  it("Ed25519 public keys equal node:crypto's for any seed", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        expect(Browser.ed25519PublicKey(seed)).toEqual(Node.ed25519PublicKey(seed))
      }),
      { numRuns: 100 }
    )
  })
  it("refuses wrong-length keys and seeds like the Node build", () => {
    expect(() => Browser.chacha20Keystream(new Uint8Array(31), 8)).toThrow()
    expect(() => Browser.ed25519PublicKey(new Uint8Array(33))).toThrow()
  })
})
