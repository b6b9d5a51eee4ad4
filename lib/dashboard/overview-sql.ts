/**
 * The one spot where the overview's SQL differs by database: a timestamp column as whole
 * milliseconds since 1970 (UTC), an integer, so durations and buckets are exact and equal on both.
 *
 * SQLite keeps DateTime as ISO text; julianday() reads it as a double with a resolution far below a
 * millisecond, so rounding gives the exact integer. PostgreSQL keeps timestamp(3) (UTC, no zone);
 * EXTRACT(EPOCH …) reads it exactly.
 */
// The runtime's own tag, not the generated client's: the dashboard pages' bundle must not load a client.
import { raw, type Sql } from "@prisma/client/runtime/client";
import type { Dialect } from "../db/dialect";

/** `column` is one of our own column names, never input. */
export function epochMs(dialect: Dialect, column: string): Sql {
  const quoted = `"${column}"`;
  return dialect === "postgresql"
    ? raw(`CAST(ROUND(EXTRACT(EPOCH FROM ${quoted}) * 1000) AS BIGINT)`)
    : raw(`CAST(ROUND((julianday(${quoted}) - 2440587.5) * 86400000.0) AS INTEGER)`);
}
