// The README's snippet must be test/readme/Snippet.ts, except the header comment and the
// last line (the README runs the program; the type-checked copy only exports it).
import { assert, it } from "@effect/vitest"
import { readFileSync } from "node:fs"

const lines = (text: string) => text.trimEnd().split("\n")

it("README.md shows test/readme/Snippet.ts as it is", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8")
  const block = lines(/## A runnable snippet\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "")
  const snippet = lines(readFileSync(new URL("Snippet.ts", import.meta.url), "utf8")).slice(1)
  assert.deepStrictEqual(block.slice(0, -1), snippet.slice(0, -1))
  assert.strictEqual(block.at(-1), "Effect.runPromise(program.pipe(Effect.provide(layer)))")
  assert.strictEqual(snippet.at(-1), "export const main = () => Effect.runPromise(program.pipe(Effect.provide(layer)))")
})
