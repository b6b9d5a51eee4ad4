/**
 * Opens Baton's SQLite database: creates the file and its folder, applies migrations, and returns
 * a Prisma client on the better-sqlite3 driver adapter.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/client";
import { applyMigrations, type MigrationReport } from "./migrate";

export type Db = InstanceType<typeof PrismaClient>;

export const defaultMigrationsDir = fileURLToPath(new URL("../../prisma/migrations/", import.meta.url));

/** `file:./data/baton.db` → absolute path, resolved against `cwd`. */
export function sqlitePath(databaseUrl: string, cwd = process.cwd()): string {
  return path.resolve(cwd, databaseUrl.replace(/^file:/, ""));
}

export interface OpenedDatabase {
  db: Db;
  file: string;
  migrations: MigrationReport;
  close(): Promise<void>;
}

export async function openDatabase(databaseUrl: string, migrationsDir = defaultMigrationsDir): Promise<OpenedDatabase> {
  const file = sqlitePath(databaseUrl);
  mkdirSync(path.dirname(file), { recursive: true });
  const raw = new Database(file);
  let migrations: MigrationReport;
  try {
    raw.pragma("journal_mode = WAL");
    raw.pragma("foreign_keys = ON");
    migrations = applyMigrations(raw, migrationsDir);
  } finally {
    raw.close();
  }
  const db = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}` }) });
  // WAL lets the dashboard read while the one writer writes; busy_timeout rides out short locks.
  await db.$executeRawUnsafe("PRAGMA busy_timeout = 5000");
  return { db, file, migrations, close: () => db.$disconnect() };
}
