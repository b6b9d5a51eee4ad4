/**
 * Baton's PostgreSQL migration runner against a real server: Prisma's bookkeeping, one lock for
 * nodes starting together (and for a real `prisma migrate deploy`), edited and failed migrations
 * refused, a failing migration leaving nothing half-applied.
 */
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultPostgresMigrationsDir, openDatabase } from "../../lib/db/open-database";
import { MIGRATION_LOCK_KEY } from "../../lib/db/migrate-postgres";
import { spawnJsonLines } from "../helpers/json-lines-child";
import { createDatabase } from "../helpers/postgres-cluster";
import { postgresAdminUrl } from "../helpers/test-database";

const ROOT = path.resolve(import.meta.dirname, "../..");
const migrationNames = readdirSync(defaultPostgresMigrationsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "baton-pg-migrate-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const bookkeeping = (url: string) =>
  withClient(url, async (c) => (await c.query(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name, started_at`)).rows);

/** A copy of the real migrations folder that a test may add to or edit. */
function copyOfMigrations(name: string): string {
  const copy = path.join(dir, name);
  cpSync(defaultPostgresMigrationsDir, copy, { recursive: true });
  return copy;
}

describe("PostgreSQL migrations", () => {
  it("applies every migration once on an empty database, with Prisma's bookkeeping row for each", async () => {
    const url = await createDatabase(postgresAdminUrl());
    const first = await openDatabase(url);
    expect(first.dialect).toBe("postgresql");
    expect(first.migrations.applied).toEqual(migrationNames);
    expect(first.location).not.toContain("postgres@");
    await first.close();
    const rows = await bookkeeping(url);
    expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
    for (const row of rows) {
      const sql = readFileSync(path.join(defaultPostgresMigrationsDir, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    const again = await openDatabase(url);
    expect(again.migrations).toEqual({ applied: [], alreadyApplied: migrationNames.length });
    await again.close();
  });

  it("applies each migration exactly once when several nodes start together on an empty database", async () => {
    const url = await createDatabase(postgresAdminUrl());
    const nodes = Array.from({ length: 4 }, () =>
      spawnJsonLines(process.execPath, ["--import", "tsx", "test/fixtures/children/open-database.ts", url], { cwd: ROOT }),
    );
    const codes = await Promise.all(nodes.map((n) => n.exited));
    expect(codes, nodes.map((n) => n.stderr()).join("\n")).toEqual([0, 0, 0, 0]);
    const reports = await Promise.all(nodes.map((n) => n.next((line) => Array.isArray(line.applied))));
    const appliedByAll = reports.flatMap((r) => r.applied as string[]).sort();
    expect(appliedByAll).toEqual(migrationNames);
    const rows = await bookkeeping(url);
    expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
    expect(rows.every((r) => r.finished_at instanceof Date && r.rolled_back_at === null)).toBe(true);
  });

  it("waits while another process (Prisma Migrate) holds the migration lock", async () => {
    const url = await createDatabase(postgresAdminUrl());
    await withClient(url, async (holder) => {
      await holder.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      const opening = openDatabase(url);
      // The runner's session shows up waiting on that very advisory lock.
      for (;;) {
        const waiting = await holder.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted`, [
          MIGRATION_LOCK_KEY,
        ]);
        if (waiting.rows[0].n === 1) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const tables = await holder.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'Handoff'`);
      expect(tables.rows[0].n).toBe(0);
      await holder.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
      const opened = await opening;
      expect(opened.migrations.applied).toEqual(migrationNames);
      await opened.close();
    });
  });

  it("refuses to start on a migration edited after it was applied", async () => {
    const url = await createDatabase(postgresAdminUrl());
    const migrations = copyOfMigrations("edited");
    await (await openDatabase(url, { migrationsDir: migrations })).close();
    const file = path.join(migrations, migrationNames[0], "migration.sql");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n-- an afterthought\n`);
    await expect(openDatabase(url, { migrationsDir: migrations })).rejects.toThrow(`migration ${migrationNames[0]} was edited after it was applied`);
  });

  it("refuses to start after a migration that Prisma Migrate recorded as failed", async () => {
    const url = await createDatabase(postgresAdminUrl());
    await (await openDatabase(url)).close();
    await withClient(url, (c) =>
      c.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ('f', 'x', '29990101000000_broken', now())`),
    );
    await expect(openDatabase(url)).rejects.toThrow("migration 29990101000000_broken failed earlier");
  });

  it("rolls a failing migration back whole, records it as rolled back, and applies it once fixed", async () => {
    const url = await createDatabase(postgresAdminUrl());
    const migrations = copyOfMigrations("failing");
    const broken = path.join(migrations, "29990101000000_broken");
    mkdirSync(broken);
    writeFileSync(path.join(broken, "migration.sql"), `CREATE TABLE "Extra" ("id" TEXT NOT NULL);\nSELECT 1 / 0;\n`);
    await expect(openDatabase(url, { migrationsDir: migrations })).rejects.toThrow(
      "migration 29990101000000_broken failed and was rolled back: division by zero",
    );
    const extra = await withClient(url, (c) => c.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'Extra'`));
    expect(extra.rows[0].n).toBe(0);
    const failed = (await bookkeeping(url)).filter((r) => r.migration_name === "29990101000000_broken");
    expect(failed).toHaveLength(1);
    expect(failed[0].rolled_back_at).toBeInstanceOf(Date);
    expect(failed[0].finished_at).toBeNull();
    expect(failed[0].logs).toContain("division by zero");

    writeFileSync(path.join(broken, "migration.sql"), `CREATE TABLE "Extra" ("id" TEXT NOT NULL);\n`);
    const fixed = await openDatabase(url, { migrationsDir: migrations });
    expect(fixed.migrations.applied).toEqual(["29990101000000_broken"]);
    await fixed.close();
  });
});
