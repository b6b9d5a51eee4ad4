import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests: the built app on a real server (started by test/e2e/global-setup.ts with its
 * own SQLite file and a log file the canary checks read), real Chromium for the agent and for the
 * phone (390×844, touch).
 */
export default defineConfig({
  testDir: "test/e2e",
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  globalSetup: "./test/e2e/global-setup.ts",
  outputDir: "test-results/e2e-artifacts",
  use: { trace: "off", screenshot: "off" },
});
