import { assert, describe, it, vi } from "@effect/vitest"
import { readFileSync } from "node:fs"

const example = readFileSync(new URL("./readme/example.ts", import.meta.url), "utf8")
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")

describe("README", () => {
  it("shows the example file verbatim", () => {
    assert.include(readme, "```ts\n" + example + "```")
  })

  it("the example runs and prints what its comments say", async () => {
    const lines: Array<string> = []
    const spy = vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line))
    try {
      await import("./readme/example.js")
    } finally {
      spy.mockRestore()
    }
    const promised = example.split("\n").filter((l) => l.startsWith("// ")).map((l) => l.slice(3))
    assert.deepStrictEqual(lines, promised)
  })
})
