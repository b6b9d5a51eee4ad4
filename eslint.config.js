// ESLint for Baton: typescript-eslint's type-aware rules, and the boundaries between layers
// (ARCHITECTURE.md), which a tool checks rather than a reviewer's memory.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

/** Imports a folder must never make, each with the reason shown in the error. */
const boundary = (patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

const PURE = [
  {
    group: ["**/server/**", "**/db/**", "**/generated/**", "**/handoffs/**", "**/agents/**", "**/operators/**", "**/audit/**", "**/dashboard/**", "**/cli/**"],
    message: "The pure domain (protocol, lifecycle, policy, crypto) imports only itself and its libraries.",
  },
  {
    group: ["node:*", "playwright*", "socket.io*", "@prisma/*", "iron-session"],
    message: "The pure domain is isomorphic: no Node, browser-automation, socket or database modules.",
  },
];

export default defineConfig(
  {
    ignores: [
      "lib/db/generated/**",
      "lib/db/generated-pg/**",
      ".next/**",
      "node_modules/**",
      "packages/sdk/dist/**",
      "test-results/**",
      "bench/results/**",
      "next-env.d.ts",
      "scratch/**",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false, attributes: false } }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // Unused names are errors, except a leading underscore that says "deliberately unused".
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  { files: ["lib/protocol/**", "lib/lifecycle/**", "lib/policy/**", "lib/crypto/**"], rules: boundary(PURE) },
  {
    // Domain services sit below the server's adapters: they never reach up into lib/server.
    files: ["lib/agents/**", "lib/handoffs/**", "lib/audit/**", "lib/operators/**", "lib/dashboard/**", "lib/webhooks/**", "lib/time/**", "lib/text/**"],
    rules: boundary([{ group: ["**/server/**"], message: "The domain sits below lib/server's adapters and never imports them." }]),
  },
  {
    files: ["lib/server/**"],
    rules: boundary([
      {
        group: ["**/crypto/seal", "**/crypto/seal.ts"],
        message: "The relay tier never imports decryption code: it checks framing only (lib/crypto/envelope).",
      },
    ]),
  },
  {
    files: ["components/**", "app/h/**/*.tsx"],
    ignores: ["app/**/page.tsx", "app/**/layout.tsx"],
    rules: boundary([
      {
        group: ["**/lib/server/**", "**/lib/db/**", "**/handoffs/**", "**/operators/**", "**/agents/**", "**/audit/**"],
        message: "Client components import the wire contract (lib/protocol), never server modules.",
      },
    ]),
  },
  {
    // Tests read raw HTTP and socket answers as untyped JSON on purpose — to see exactly what crossed
    // the wire, not what a schema made of it — and assert on them; the unsafe-any family would only
    // make them re-declare the very schemas they check.
    files: ["test/**", "bench/**"],
    rules: {
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-explicit-any": "off",
      // Fakes implement the async interfaces they stand in for, often without anything to await.
      "@typescript-eslint/require-await": "off",
      // Tests and fixtures look for control characters on purpose: that is what they check.
      "no-control-regex": "off",
    },
  },
  // Playwright's fixtures take their dependencies as a destructured first argument, `{}` when none.
  { files: ["test/e2e/**"], rules: { "no-empty-pattern": "off" } },
  { files: ["**/*.js", "**/*.mjs"], extends: [tseslint.configs.disableTypeChecked] },
);
