// The README's example must be Guestbook.test.ts line for line (after its first comment line).
import { assert, it } from "@effect/vitest"
import { readFileSync } from "node:fs"

it("README.md shows Guestbook.test.ts as it is", () => {
  const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8")
  const example = readFileSync(new URL("Guestbook.test.ts", import.meta.url), "utf8").split("\n").slice(1).join("\n")
  const block = /## An app, tested with the fake daemon swapped in\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  assert.strictEqual(block, example)
})
