import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const packages = ["core", "transport", "pigeonhole", "testing"]

const alias = Object.fromEntries(
  packages.map((name) => [
    `@katzenpost-effect/${name}`,
    fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url))
  ])
)

export default defineConfig({
  resolve: { alias },
  test: {
    // Two cores here and in CI: keep the pool small and the suites lean.
    // Logs of passing tests are noise (the SDK logs every disconnect and reconnect); a failing
    // test still prints its own.
    silent: "passed-only",
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    projects: [
      ...packages.map((name) => ({
        extends: true as const,
        test: {
          name,
          root: `./packages/${name}`,
          // Type-level tests (*.test-d.ts) are checked by tsc, which `npm test` runs first:
          // vitest's typecheck mode would redo that work and print an "experimental" banner.
          include: ["test/**/*.test.ts"]
        }
      })),
      {
        // The contract suite against a real kpclientd, run only by `npm run test:kpclientd`
        // (npm test names the four package projects).
        extends: true as const,
        test: { name: "kpclientd", root: "./packages/testing", include: ["test-kpclientd/**/*.test.ts"] }
      },
      {
        // The end-to-end suite on a live loopback mixnet (interop/mixnet/up), run only by
        // `npm run test:mixnet`, one file after another (package.json): side by side, their
        // CTIDH work overloaded 2 cores until the courier's replica reads timed out. Tests
        // within a file overlap where they are independent; every test is bounded by its own
        // timeouts (testTimeout is the backstop).
        extends: true as const,
        test: {
          name: "mixnet",
          root: "./packages/testing",
          include: ["test-mixnet/**/*.test.ts"],
          testTimeout: 20 * 60_000,
          hookTimeout: 5 * 60_000
        }
      }
    ]
  }
})
