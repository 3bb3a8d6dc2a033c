// ESLint for the extension: typescript-eslint's type-checked rules for the TypeScript sources and unit
// tests, ESLint's recommended rules for the Node scripts; formatting is prettier's (`npm run lint` checks both).
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import prettier from "eslint-config-prettier";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["node_modules/", "dist/", "dist-vsix/", "out/", "server/", "test-results/", "media/", "walkthrough/", "**/*.vsix"] },
  js.configs.recommended,
  {
    files: ["**/*.mjs"],
    languageOptions: { globals: globals.node },
    rules: {
      // `const { dropped: _dropped, ...kept } = object` copies an object without some keys.
      "no-unused-vars": ["error", { ignoreRestSiblings: true }],
    },
  },
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
      // node:test runs every test() it is given and reports its outcome; the returned promise needs no await.
      "@typescript-eslint/no-floating-promises": [
        "error",
        { allowForKnownSafeCalls: [{ from: "package", package: "node:test", name: ["test", "describe", "suite", "it"] }] },
      ],
    },
  },
  prettier,
);
