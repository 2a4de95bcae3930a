// Lint as the Effect monorepo does: eslint:recommended + typescript-eslint's recommended
// rules + @effect/eslint-plugin. Formatting is dprint's job (`npm run format`), so the
// plugin's `@effect/dprint` rule is not enabled here.
import * as effectEslint from "@effect/eslint-plugin"
import js from "@eslint/js"
import tseslint from "typescript-eslint"

export default tseslint.config(
  {
    ignores: ["**/node_modules", "**/dist", "**/build", "docs/api", "packages/*/docs", "scratchpad", "interop/go", "**/*.md"]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "@effect": effectEslint },
    languageOptions: { ecmaVersion: 2022, sourceType: "module" },
    rules: {
      "no-fallthrough": "off",
      "no-irregular-whitespace": "off",
      "object-shorthand": "error",
      "prefer-destructuring": "off",
      "sort-imports": "off",
      "no-unused-vars": "off",
      "require-yield": "off",
      "prefer-rest-params": "off",
      "prefer-spread": "off",
      "@typescript-eslint/array-type": ["error", { default: "generic", readonly: "generic" }],
      "@typescript-eslint/consistent-type-imports": ["warn", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-empty-object-type": "off",
      "@typescript-eslint/no-namespace": "off",
      "@typescript-eslint/ban-ts-comment": "off",
      "@typescript-eslint/no-explicit-any": "error"
    }
  },
  {
    files: ["packages/*/src/**/*.ts"],
    rules: {
      // A spread into push passes every element as an argument: large arrays overflow the stack.
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name='push'] > SpreadElement.arguments",
          message: "Do not use spread arguments in Array.push"
        }
      ],
      "@effect/no-import-from-barrel-package": ["error", { packageNames: ["effect", "@effect/platform"] }]
    }
  },
  {
    // Tests wait on events with empty-bodied loops.
    files: ["packages/*/test/**/*.ts", "packages/*/test-kpclientd/**/*.ts"],
    rules: { "no-empty": "off" }
  },
  {
    files: ["**/*.mjs", "**/*.cjs", "**/*.js"],
    languageOptions: {
      globals: {
        Buffer: "readonly",
        TextDecoder: "readonly",
        TextEncoder: "readonly",
        URL: "readonly",
        WebSocket: "readonly",
        AbortController: "readonly",
        clearImmediate: "readonly",
        clearInterval: "readonly",
        clearTimeout: "readonly",
        queueMicrotask: "readonly",
        setInterval: "readonly",
        structuredClone: "readonly",
        fetch: "readonly",
        performance: "readonly",
        setImmediate: "readonly",
        setTimeout: "readonly",
        console: "readonly",
        global: "readonly",
        process: "readonly"
      }
    },
    rules: { "@typescript-eslint/no-unused-vars": ["warn", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }] }
  }
)
