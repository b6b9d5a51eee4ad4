/**
 * Vitest global setup: one throwaway PostgreSQL cluster per run (initdb once), its admin URL
 * provided to the tests as `inject("postgresAdminUrl")`; each test file makes its own database on it
 * (`createDatabase`). The cluster is stopped and removed when the run ends.
 */
import type { TestProject } from "vitest/node";
import { startPostgresCluster } from "./postgres-cluster";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgresCluster();
  project.provide("postgresAdminUrl", cluster.url);
  return () => cluster.stop();
}
