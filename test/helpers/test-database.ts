/**
 * The database a test runs on, chosen once per run by `BATON_TEST_DATABASE`: `sqlite` (the default,
 * a fresh file in the test's temp dir) or `postgresql` (a fresh database on the cluster the
 * PostgreSQL global setup started; `npm run test:postgres`). Store, query and audit tests take their
 * database from here, so the same assertions run against both.
 */
import path from "node:path";
import { inject } from "vitest";
import type { Dialect } from "../../lib/db/dialect";
import { createDatabase } from "./postgres-cluster";

export function testDialect(): Dialect {
  const chosen = process.env.BATON_TEST_DATABASE ?? "sqlite";
  if (chosen !== "sqlite" && chosen !== "postgresql") throw new Error(`BATON_TEST_DATABASE: expected sqlite or postgresql, got ${chosen}`);
  return chosen;
}

/** The admin URL of the run's PostgreSQL cluster; only under the PostgreSQL global setup. */
export function postgresAdminUrl(): string {
  const url = inject("postgresAdminUrl");
  if (!url) throw new Error("no PostgreSQL cluster: run with vitest.postgres.config.ts (npm run test:postgres)");
  return url;
}

/** A fresh, empty database URL for one test file (or one test): `file:<dir>/baton.db`, or a new PostgreSQL database. */
export async function freshDatabaseUrl(dir: string): Promise<string> {
  return testDialect() === "postgresql" ? createDatabase(postgresAdminUrl()) : `file:${path.join(dir, "baton.db")}`;
}
