import { defineConfig } from "vitest/config";

/**
 * `npm run test:multinode`: three Baton nodes on a throwaway PostgreSQL cluster and a Redis server,
 * all local processes on loopback ports (test/multinode/cluster-harness.ts). One file at a time:
 * the nodes, Chromium and the engines already fill two cores.
 */
export default defineConfig({
  test: {
    include: ["test/multinode/**/*.test.ts"],
    environment: "node",
    testTimeout: 90_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});
