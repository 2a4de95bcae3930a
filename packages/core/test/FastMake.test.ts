// The request structs' `make` (internal/fastMake.ts) against Schema's own.
import { describe, expect, it } from "@effect/vitest"
import { Request } from "@katzenpost-effect/core"
import * as Schema from "effect/Schema"

interface Kind {
  readonly fields: Schema.Struct.Fields
  make(props: object, options?: Schema.MakeOptions): unknown
}

const kinds: ReadonlyArray<Kind> = Request.Request.members

describe("request make", () => {
  it("without validation: the same object as Schema's own make over the same fields", () => {
    expect(kinds.length).toBeGreaterThan(20)
    for (const kind of kinds) {
      const reference = Schema.Struct(kind.fields)
      for (const props of [{}, { query_id: new Uint8Array(16).fill(3) }, { query_id: null }]) {
        const given = Object.fromEntries(Object.entries(props).filter(([key]) => key in kind.fields))
        expect(kind.make(given, true)).toStrictEqual(reference.make(given, true))
      }
    }
  })

  it("validates unless told not to, as Schema's make does", () => {
    for (const kind of kinds) {
      if (!("query_id" in kind.fields)) continue
      const reference = Schema.Struct(kind.fields)
      const bad = { query_id: new Uint8Array(3) }
      expect(() => reference.make(bad)).toThrow()
      expect(() => kind.make(bad)).toThrow()
      expect(kind.make(bad, { disableValidation: true })).toStrictEqual(reference.make(bad, { disableValidation: true }))
    }
  })
})
