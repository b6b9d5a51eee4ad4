/**
 * Opens Baton's database and applies its migrations, by the URL's scheme:
 * - `file:` — the embedded SQLite file (created with its folder), on the better-sqlite3 adapter;
 * - `postgresql://` or `postgres://` — a PostgreSQL database shared by several nodes, migrated under
 *   Prisma Migrate's advisory lock (migrate-postgres.ts), on the pg adapter.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/client";
import { applyMigrations } from "./migrate";
import type { MigrationReport } from "./migration-files";
import { type Dialect, dialectOf } from "./dialect";

export { type Dialect, dialectOf };

/** The Prisma client, whichever database is behind it; `dialect` for the few spots that differ. */
export type Db = InstanceType<typeof PrismaClient> & { readonly dialect: Dialect };

export const defaultMigrationsDir = fileURLToPath(new URL("../../prisma/migrations/", import.meta.url));
export const defaultPostgresMigrationsDir = fileURLToPath(new URL("../../prisma/postgres/migrations/", import.meta.url));

/** `file:./data/baton.db` → absolute path, resolved against `cwd`. */
export function sqlitePath(databaseUrl: string, cwd = process.cwd()): string {
  return path.resolve(cwd, databaseUrl.replace(/^file:/, ""));
}

export interface OpenedDatabase {
  db: Db;
  dialect: Dialect;
  /** The SQLite file; null on PostgreSQL. */
  file: string | null;
  /** Where the data is, safe to log: the file, or host, port and database name (never a password). */
  location: string;
  migrations: MigrationReport;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** The migrations folder of the URL's dialect (tests pass their own). */
  migrationsDir?: string;
}

export async function openDatabase(databaseUrl: string, options: OpenOptions = {}): Promise<OpenedDatabase> {
  return dialectOf(databaseUrl) === "postgresql" ? openPostgres(databaseUrl, options.migrationsDir) : openSqlite(databaseUrl, options.migrationsDir);
}

async function openSqlite(databaseUrl: string, migrationsDir = defaultMigrationsDir): Promise<OpenedDatabase> {
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
  const client = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}` }) });
  // WAL lets the dashboard read while the one writer writes; busy_timeout rides out short locks.
  await client.$executeRawUnsafe("PRAGMA busy_timeout = 5000");
  const db = Object.assign(client, { dialect: "sqlite" as const });
  return { db, dialect: "sqlite", file, location: file, migrations, close: () => db.$disconnect() };
}

async function openPostgres(databaseUrl: string, migrationsDir = defaultPostgresMigrationsDir): Promise<OpenedDatabase> {
  // Loaded only here, so the SQLite quick start (and every CLI run) does not load a second client.
  const [{ default: pg }, { PrismaPg }, { PrismaClient: PostgresPrismaClient }, { applyPostgresMigrations }] = await Promise.all([
    import("pg"),
    import("@prisma/adapter-pg"),
    import("./generated-pg/client"),
    import("./migrate-postgres"),
  ]);
  const url = new URL(databaseUrl);
  const location = `${url.hostname}:${url.port || "5432"}${url.pathname}`;
  // Migrations run on a connection of their own: the advisory lock is held by a session.
  const migrator = new pg.Client({ connectionString: databaseUrl });
  // A connection lost mid-run also fails the pending query, which reports it; without a listener the
  // client's own "error" event would end the process instead.
  migrator.on("error", () => undefined);
  await migrator.connect();
  let migrations: MigrationReport;
  try {
    migrations = await applyPostgresMigrations(migrator, migrationsDir);
  } finally {
    await migrator.end();
  }
  const client = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  // One cast, here: both clients are generated from schema files with the same models and fields (a
  // test checks it), so their model API is the same; only the provider behind it differs.
  const db = Object.assign(client as unknown as InstanceType<typeof PrismaClient>, { dialect: "postgresql" as const });
  return { db, dialect: "postgresql", file: null, location, migrations, close: () => db.$disconnect() };
}
