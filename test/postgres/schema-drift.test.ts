/**
 * The hand-written PostgreSQL migrations build exactly the schema Prisma expects from
 * prisma/postgres/schema.prisma (tables, columns, types, nullability, defaults, primary keys, unique
 * and other indexes, foreign keys, by Prisma Migrate's naming), and the SQLite and PostgreSQL
 * schema files declare the same models and fields — so the two migration sets cannot drift apart.
 * The data model is Prisma's own DMMF, read with the schema wasm of the installed `prisma` package.
 */
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../lib/db/open-database";
import { createDatabase } from "../helpers/postgres-cluster";
import { type Dmmf, type DmmfField, readDmmf } from "../helpers/prisma-dmmf";
import { postgresAdminUrl } from "../helpers/test-database";

const ROOT = path.resolve(import.meta.dirname, "../..");
const postgresModel = readDmmf(path.join(ROOT, "prisma/postgres/schema.prisma"));
const sqliteModel = readDmmf(path.join(ROOT, "prisma/schema.prisma"));

/** Prisma's default column type for each scalar on PostgreSQL (no @db attributes are used). */
const COLUMN_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  Boolean: "boolean",
  DateTime: "timestamp(3)",
  BigInt: "bigint",
  Float: "double precision",
};

function defaultSql(field: DmmfField): string | null {
  if (!field.hasDefaultValue) return null;
  if (typeof field.default === "string") return `'${field.default}'::text`;
  if (typeof field.default === "number" || typeof field.default === "boolean") return String(field.default);
  throw new Error(`no mapping for the default of ${field.name}: ${JSON.stringify(field.default)}`);
}

/** What Prisma Migrate would create for the data model, in the shape read back from pg_catalog. */
function expectedSchema(dmmf: Dmmf) {
  const { models, indexes } = dmmf.datamodel;
  const columns = models.flatMap((m) =>
    m.fields
      .filter((f) => f.kind === "scalar")
      .map((f) => ({ table: m.name, column: f.name, type: COLUMN_TYPES[f.type] ?? `? ${f.type}`, nullable: !f.isRequired, default: defaultSql(f) })),
  );
  const suffix = { id: "pkey", unique: "key", normal: "idx", fulltext: "idx" } as const;
  const indexRows = indexes.map((i) => {
    const fields = i.fields.map((f) => f.name);
    const name = i.type === "id" ? `${i.model}_pkey` : `${i.model}_${fields.join("_")}_${suffix[i.type]}`;
    return { table: i.model, name, columns: fields, unique: i.type !== "normal", primary: i.type === "id" };
  });
  const foreignKeys = models.flatMap((m) =>
    m.fields
      .filter((f) => f.kind === "object" && (f.relationFromFields?.length ?? 0) > 0)
      .map((f) => ({
        table: m.name,
        name: `${m.name}_${f.relationFromFields!.join("_")}_fkey`,
        columns: f.relationFromFields!,
        references: f.type,
        referencedColumns: f.relationToFields!,
        // Prisma's defaults for a required relation: Restrict on delete, Cascade on update.
        onDelete: (f.relationOnDelete ?? (f.isRequired ? "Restrict" : "SetNull")).toUpperCase(),
        onUpdate: (f.relationOnUpdate ?? "Cascade").toUpperCase(),
      })),
  );
  return { tables: models.map((m) => m.dbName ?? m.name).sort(), columns: sortRows(columns), indexes: sortRows(indexRows), foreignKeys: sortRows(foreignKeys) };
}

const ACTIONS: Record<string, string> = { r: "RESTRICT", a: "NOACTION", c: "CASCADE", n: "SETNULL", d: "SETDEFAULT" };

async function migratedSchema(client: pg.Client) {
  const tables = await client.query(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
  );
  const columns = await client.query(`
    SELECT table_name AS "table", column_name AS "column", is_nullable = 'YES' AS nullable, column_default AS "default",
           CASE WHEN data_type = 'timestamp without time zone' THEN 'timestamp(' || datetime_precision || ')' ELSE data_type END AS type
      FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`);
  const indexes = await client.query(`
    SELECT t.relname AS "table", i.relname AS name, ix.indisunique AS "unique", ix.indisprimary AS "primary",
           array_agg(a.attname::text ORDER BY k.ord) AS columns
      FROM pg_index ix
      JOIN pg_class i ON i.oid = ix.indexrelid
      JOIN pg_class t ON t.oid = ix.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
     WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'
     GROUP BY t.relname, i.relname, ix.indisunique, ix.indisprimary`);
  const foreignKeys = await client.query(`
    SELECT c.conrelid::regclass::text AS "table", c.conname AS name, c.confrelid::regclass::text AS "references",
           c.confdeltype AS del, c.confupdtype AS upd,
           (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,
           (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS "referencedColumns"
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE c.contype = 'f' AND n.nspname = 'public'`);
  const unquote = (name: string) => name.replace(/^"|"$/g, "");
  return {
    tables: tables.rows.map((r) => r.t).sort(),
    columns: sortRows(columns.rows),
    indexes: sortRows(indexes.rows),
    foreignKeys: sortRows(
      foreignKeys.rows.map(({ del, upd, ...r }) => ({
        ...r,
        table: unquote(r.table),
        references: unquote(r.references),
        onDelete: ACTIONS[del],
        onUpdate: ACTIONS[upd],
      })),
    ),
  };
}

function sortRows<T extends object>(rows: T[]): T[] {
  const key = (row: T) => JSON.stringify(Object.entries(row).sort(([a], [b]) => a.localeCompare(b)));
  return rows.map((row) => Object.fromEntries(Object.entries(row).sort(([a], [b]) => a.localeCompare(b))) as T).sort((a, b) => key(a).localeCompare(key(b)));
}

let client: pg.Client;
beforeAll(async () => {
  const url = await createDatabase(postgresAdminUrl());
  await (await openDatabase(url)).close();
  client = new pg.Client({ connectionString: url });
  await client.connect();
});
afterAll(() => client?.end());

describe("the PostgreSQL schema", () => {
  it("has exactly the tables and columns of the Prisma data model, with its types, nullability and defaults", async () => {
    const actual = await migratedSchema(client);
    const expected = expectedSchema(postgresModel);
    expect(actual.tables).toEqual(expected.tables);
    expect(actual.columns).toEqual(expected.columns);
  });

  it("has exactly the primary keys, unique and other indexes, and foreign keys of the Prisma data model", async () => {
    const actual = await migratedSchema(client);
    const expected = expectedSchema(postgresModel);
    expect(actual.indexes).toEqual(expected.indexes);
    expect(actual.foreignKeys).toEqual(expected.foreignKeys);
  });

  it("declares the same models, fields and indexes as the SQLite schema", () => {
    expect(postgresModel.datamodel).toEqual(sqliteModel.datamodel);
  });
});
