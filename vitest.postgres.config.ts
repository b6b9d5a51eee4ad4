import { defineConfig } from "vitest/config";

/**
 * The store, query and audit tests, again on PostgreSQL: they take their database from
 * test/helpers/test-database.ts, which BATON_TEST_DATABASE points here. With them, the tests that
 * only make sense on PostgreSQL (test/postgres). One throwaway cluster per run (the global setup);
 * each test file makes its own database on it. `npm run test:postgres`.
 */
const onBothDatabases = [
  // The handoff store through the agent API: create, claim races, decisions, scope, polling.
  "test/integration/api.test.ts",
  // Agents, history, detail, cancel, overview, audit verify/query/export from the dashboard's API.
  "test/integration/operator-api.test.ts",
  "test/integration/audit-export-post.test.ts",
  "test/integration/hostile-audit-flood.test.ts",
  "test/integration/device-ip.test.ts",
  "test/integration/operator-auth.test.ts",
  "test/integration/operator-socket.test.ts",
  // Raw SQL, search, timestamps: the same exact answers on both.
  "test/integration/dashboard-queries.test.ts",
  "test/integration/history-pagination.test.ts",
  "test/integration/lease.test.ts",
  // Webhook attempts claim their delivery: the compare-and-set is on a timestamp.
  "test/integration/webhook-claims.test.ts",
];

export default defineConfig({
  test: {
    include: ["test/postgres/**/*.test.ts", ...onBothDatabases],
    globalSetup: ["test/helpers/postgres-global-setup.ts"],
    env: { BATON_TEST_DATABASE: "postgresql" },
    environment: "node",
    // One cluster serves both workers, and a few of these files start child processes: more headroom
    // than the SQLite run needs on a loaded 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
  resolve: { alias: { "@": new URL("./", import.meta.url).pathname } },
});
