import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { PendingTable } from "../src/internal/pendingTable.js"

// Few distinct keys, so operations hit the same slots again (removed slots, reuse, resizes).
const key = fc.oneof(fc.integer({ min: 0, max: 40 }).map((n) => `k${n}`), fc.string({ maxLength: 10 }))
const operation = fc.oneof(
  fc.record({ op: fc.constant("set" as const), key, value: fc.nat() }),
  fc.record({ op: fc.constant("delete" as const), key }),
  fc.record({ op: fc.constant("clear" as const) })
)

describe("PendingTable", () => {
  it("behaves as a Map, entries in insertion order, under any sequence of operations", () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 400 }), (operations) => {
        const table = new PendingTable<number>()
        const model = new Map<string, number>()
        for (const step of operations) {
          if (step.op === "set") {
            table.set(step.key, step.value)
            model.set(step.key, step.value)
          } else if (step.op === "delete") {
            expect(table.delete(step.key)).toBe(model.delete(step.key))
          } else {
            table.clear()
            model.clear()
          }
          expect(table.size).toBe(model.size)
        }
        expect(table.entries()).toEqual([...model.entries()])
        expect(table.values()).toEqual([...model.values()])
        for (const k of ["k0", "k1", "k40", ""]) {
          expect(table.get(k)).toBe(model.get(k))
          expect(table.has(k)).toBe(model.has(k))
        }
      }),
      { numRuns: 300 }
    )
  })

  it("grows past thousands of entries and shrinks back once emptied", () => {
    const table = new PendingTable<number>()
    for (let i = 0; i < 10_000; i++) table.set(`id${i}`, i)
    expect(table.size).toBe(10_000)
    for (let i = 0; i < 10_000; i += 2) expect(table.get(`id${i}`)).toBe(i)
    for (let i = 0; i < 10_000; i++) expect(table.delete(`id${i}`)).toBe(true)
    expect(table.size).toBe(0)
    expect(table.entries()).toEqual([])
    table.set("again", 1)
    expect(table.get("again")).toBe(1)
  })

  it("keeps no reference to a removed value", () => {
    const table = new PendingTable<object>()
    const value = {}
    table.set("a", value)
    table.delete("a")
    // The slots hold nothing of it: only the table's own arrays are reachable from it.
    const reachable = Object.values(table).flatMap((field) => (Array.isArray(field) ? field : [field]))
    expect(reachable.includes(value)).toBe(false)
  })

  it("leaves the arrays it replaces on a resize empty", () => {
    const table = new PendingTable<object>()
    const values = Array.from({ length: 200 }, () => ({}))
    table.set("first", values[0]!)
    const before = Object.values(table).filter(Array.isArray)
    values.forEach((value, i) => table.set(`id${i}`, value))
    expect(Object.values(table).filter(Array.isArray)).not.toEqual(before)
    for (const array of before) expect(array.some((slot) => typeof slot === "object" || typeof slot === "string")).toBe(false)
  })
})
