/**
 * What the overview's SQL needs per database, side by side and nothing more:
 * - a timestamp column as whole milliseconds since 1970 (UTC), an integer, so durations and buckets
 *   are exact and equal on both. SQLite keeps DateTime as ISO text; julianday() reads it as a double
 *   with a resolution far below a millisecond, so rounding gives the exact integer. PostgreSQL keeps
 *   timestamp(3) (UTC, no zone); EXTRACT(EPOCH …) reads it exactly.
 * - placeholders: `?` on SQLite, `$1, $2, …` on PostgreSQL.
 * Plain strings, not Prisma's sql tag: the dashboard pages' bundle must not load a Prisma client.
 */
import type { Db } from "../db/open-database";
import type { Dialect } from "../db/dialect";

/** `column` is one of our own column names, never input. */
export function epochMs(dialect: Dialect, column: string): string {
  return dialect === "postgresql"
    ? `CAST(ROUND(EXTRACT(EPOCH FROM "${column}") * 1000) AS BIGINT)`
    : `CAST(ROUND((julianday("${column}") - 2440587.5) * 86400000.0) AS INTEGER)`;
}

/** Runs `text` with positional `?` parameters (numbered for PostgreSQL); values are always bound, never spliced. */
export function queryRows<T>(db: Db, text: string, ...params: unknown[]): Promise<T[]> {
  let n = 0;
  const sql = db.dialect === "postgresql" ? text.replace(/\?/g, () => `$${++n}`) : text;
  return db.$queryRawUnsafe<T[]>(sql, ...params);
}
