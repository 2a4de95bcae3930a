import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const alias = Object.fromEntries(
  ["core", "transport", "pigeonhole", "testing"].map((name) => [
    `@katzenpost-effect/${name}`,
    fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url))
  ])
)

export default defineConfig({
  resolve: { alias },
  test: {
    // Two cores here and in CI: keep the pool small and the suites lean.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    projects: ["core", "transport", "pigeonhole", "testing"].map((name) => ({
      extends: true,
      test: {
        name,
        root: `./packages/${name}`,
        include: ["test/**/*.test.ts"],
        typecheck: { enabled: name === "core", include: ["test/**/*.test-d.ts"] }
      }
    }))
  }
})
