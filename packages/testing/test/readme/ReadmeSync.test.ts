// README examples must be their test files line for line (after the test file's first comment line).
import { assert, it } from "@effect/vitest"
import { readFileSync } from "node:fs"

const firstTsBlock = (readme: string, heading: string) => new RegExp(`${heading}\\n\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1]

const cases = [
  { readme: "../../../../README.md", heading: "## An app, tested with the fake daemon swapped in", file: "Guestbook.test.ts" },
  { readme: "../../README.md", heading: "## Swap it in", file: "TestingReadme.test.ts" }
]

for (const { file, heading, readme } of cases) {
  it(`${readme.replace(/^[./]+/, "")} shows ${file} as it is`, () => {
    const text = readFileSync(new URL(readme, import.meta.url), "utf8")
    const example = readFileSync(new URL(file, import.meta.url), "utf8").split("\n").slice(1).join("\n")
    assert.strictEqual(firstTsBlock(text, heading), example)
  })
}
