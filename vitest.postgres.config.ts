import { defineConfig } from "vitest/config";

/**
 * The store, query and audit tests again, on PostgreSQL (`npm run test:postgres`), plus the tests
 * that only make sense there (test/postgres). One throwaway cluster per run (the global setup);
 * each test file makes its own database on it.
 */
export default defineConfig({
  test: {
    include: ["test/postgres/**/*.test.ts", "test/integration/lease.test.ts", "test/integration/dashboard-queries.test.ts", "test/integration/operator-api.test.ts", "test/integration/api.test.ts", "test/integration/history-pagination.test.ts"],
    globalSetup: ["test/helpers/postgres-global-setup.ts"],
    env: { BATON_TEST_DATABASE: "postgresql" },
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
  resolve: { alias: { "@": new URL("./", import.meta.url).pathname } },
});
