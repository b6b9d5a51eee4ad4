/**
 * Applies Prisma's migration scripts at start, with better-sqlite3, offline. Prisma's CLI needs a
 * native schema engine that cannot be downloaded everywhere Baton runs; this keeps the same
 * `_prisma_migrations` bookkeeping (same columns, sha256 checksums) so Prisma's own tools agree.
 */
import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { MigrationError, type MigrationReport, readMigrations } from "./migration-files";

const bookkeeping = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

interface Row {
  migration_name: string;
  checksum: string;
  finished_at: string | null;
  rolled_back_at: string | null;
}

export function applyMigrations(db: Database.Database, migrationsDir: string): MigrationReport {
  const files = readMigrations(migrationsDir);
  db.exec(bookkeeping);
  const rows = db.prepare(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`).all() as Row[];
  const done = new Map(rows.filter((r) => !r.rolled_back_at).map((r) => [r.migration_name, r]));
  const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
  if (failed) throw new MigrationError(`migration ${failed.migration_name} failed earlier; restore the database or mark it rolled back`);

  const applied: string[] = [];
  for (const { name, sql, checksum } of files) {
    const previous = done.get(name);
    if (previous) {
      if (previous.checksum !== checksum) throw new MigrationError(`migration ${name} was edited after it was applied`);
      continue;
    }
    const id = randomUUID();
    db.prepare(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, 0)`).run(
      id,
      checksum,
      name,
      Date.now(),
    );
    try {
      // No wrapping transaction: Prisma's SQLite scripts toggle PRAGMA foreign_keys, which is a
      // no-op inside one.
      db.exec(sql);
    } catch (e) {
      db.prepare(`UPDATE "_prisma_migrations" SET logs = ? WHERE id = ?`).run(String(e), id);
      throw new MigrationError(`migration ${name} failed: ${(e as Error).message}`);
    }
    db.prepare(`UPDATE "_prisma_migrations" SET finished_at = ?, applied_steps_count = 1 WHERE id = ?`).run(Date.now(), id);
    applied.push(name);
  }
  return { applied, alreadyApplied: done.size };
}
