/**
 * Applies prisma/postgres/migrations at start, with `pg`, offline — the PostgreSQL twin of
 * migrate.ts. Several nodes may start together on one empty database, and an operator may run a real
 * `prisma migrate deploy` from a connected machine: the whole run holds `pg_advisory_lock(72707369)`,
 * the key Prisma Migrate itself takes, so all of them exclude each other. Each migration and its
 * `_prisma_migrations` row (Prisma's columns, sha256 checksum) commit in one transaction: a node that
 * dies mid-migration leaves neither half behind.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { z } from "zod";
import { MigrationError, type MigrationReport, readMigrations } from "./migration-files";

/** The advisory lock key Prisma Migrate takes on PostgreSQL. */
export const MIGRATION_LOCK_KEY = 72707369;

/** Long enough for another node's migrations; short enough that a stuck holder is reported. */
const LOCK_WAIT = "60s";

/** Prisma Migrate's own table definition for PostgreSQL. */
const bookkeeping = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

const RowSchema = z.object({
  migration_name: z.string(),
  checksum: z.string(),
  finished_at: z.date().nullable(),
  rolled_back_at: z.date().nullable(),
});

/** Runs every pending migration of `migrationsDir` on `client` (one connection, used only here). */
export async function applyPostgresMigrations(client: pg.Client, migrationsDir: string): Promise<MigrationReport> {
  const files = readMigrations(migrationsDir);
  await client.query(`SET lock_timeout = '${LOCK_WAIT}'`);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
  } catch (e) {
    throw new MigrationError(`another process held the migration lock for over ${LOCK_WAIT}: ${(e as Error).message}`);
  }
  try {
    // Inside the lock: two nodes creating the table at once would collide in the catalog.
    await client.query(bookkeeping);
    const result = await client.query(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`);
    const rows = z.array(RowSchema).parse(result.rows);
    const done = new Map(rows.filter((r) => !r.rolled_back_at).map((r) => [r.migration_name, r]));
    const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
    if (failed) throw new MigrationError(`migration ${failed.migration_name} failed earlier; restore the database or mark it rolled back`);

    const applied: string[] = [];
    for (const file of files) {
      const previous = done.get(file.name);
      if (previous) {
        if (previous.checksum !== file.checksum) throw new MigrationError(`migration ${file.name} was edited after it was applied`);
        continue;
      }
      await applyOne(client, file);
      applied.push(file.name);
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    await client.query("RESET lock_timeout");
  }
}

async function applyOne(client: pg.Client, file: { name: string; sql: string; checksum: string }): Promise<void> {
  const id = randomUUID();
  await client.query("BEGIN");
  try {
    await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`, [
      id,
      file.checksum,
      file.name,
    ]);
    // No parameters: the simple query protocol runs the whole multi-statement script.
    await client.query(file.sql);
    await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK");
    // The transaction undid the script, so the row says so (rolled back, with the error): Prisma's
    // tools and the next start see a migration that is not applied, not one half-applied.
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, rolled_back_at, applied_steps_count) VALUES ($1, $2, $3, $4, now(), now(), 0)`,
      [id, file.checksum, file.name, String(e)],
    );
    throw new MigrationError(`migration ${file.name} failed and was rolled back: ${(e as Error).message}`);
  }
}
