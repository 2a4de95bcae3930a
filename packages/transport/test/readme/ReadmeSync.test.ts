// The README's connect program must be test/readme/Connect.ts line for line (after its first line).
import { assert, it } from "@effect/vitest"
import { readFileSync } from "node:fs"

it("README.md shows test/readme/Connect.ts as it is", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8")
  const program = readFileSync(new URL("Connect.ts", import.meta.url), "utf8").split("\n").slice(1).join("\n")
  assert.strictEqual(/## Connect and look around\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1], program)
})
