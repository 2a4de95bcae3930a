/**
 * kpclientd v0.0.104's message_sent_event carries forward_route and return_route (Go vectors
 * from interop/v0.0.104, `go run ./cmd/vectors`): decoded, not dropped; absent ones are null.
 */
import { describe, expect, it } from "@effect/vitest"
import { Codec } from "@katzenpost-effect/core"
import * as Either from "effect/Either"
import { existsSync, readFileSync } from "node:fs"

const file = new URL("vectors/go/message-sent-v0.0.104.json", import.meta.url)

interface EventVector {
  readonly name: string
  readonly hex: string
  readonly forward_route: ReadonlyArray<string>
  readonly return_route: ReadonlyArray<string>
  readonly err: string
}

describe.runIf(existsSync(file))("message_sent_event routes (kpclientd v0.0.104)", () => {
  const { vectors } = JSON.parse(readFileSync(file, "utf8")) as { readonly vectors: ReadonlyArray<EventVector> }
  it("has the four Go cases", () => {
    expect(vectors.map((v) => v.name)).toEqual(["routes", "forward_route_only", "no_routes", "err"])
  })
  for (const v of vectors) {
    it(`${v.name}: decodes the routes and the error as Go sent them`, () => {
      const decoded = Either.getOrThrow(Codec.decodeResponse(new Uint8Array(Buffer.from(v.hex, "hex"))))
      expect(decoded._tag).toBe("MessageSentEvent")
      if (decoded._tag !== "MessageSentEvent") return
      expect(decoded.forward_route ?? []).toEqual(v.forward_route)
      expect(decoded.return_route ?? []).toEqual(v.return_route)
      if (v.forward_route.length === 0) expect(decoded.forward_route).toBeNull()
      expect(decoded.err).toBe(v.err)
    })
  }
})
