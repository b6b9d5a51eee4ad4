/**
 * Case-insensitive text filters that answer the same on both databases. Prisma's `contains` and
 * `startsWith` become LIKE on SQLite, which ignores the case of ASCII letters, and a case-sensitive
 * LIKE on PostgreSQL unless the filter says `mode: "insensitive"` (ILIKE). With a database created
 * with LOCALE 'C' (README, "PostgreSQL"), ILIKE too folds ASCII letters only: the same matches.
 */
import type { Dialect } from "../db/dialect";

type Insensitive<K extends "contains" | "startsWith"> = { [key in K]: string };

function insensitive<K extends "contains" | "startsWith">(dialect: Dialect, key: K, text: string): Insensitive<K> {
  const filter = { [key]: text } as Insensitive<K>;
  // `mode` exists only in the PostgreSQL client's filter types (SQLite's client would refuse it), and
  // Db is typed by the SQLite client: the field is added as data, not as a typed literal.
  return dialect === "postgresql" ? Object.assign(filter, { mode: "insensitive" }) : filter;
}

export const containsText = (dialect: Dialect, text: string) => insensitive(dialect, "contains", text);
export const startsWithText = (dialect: Dialect, text: string) => insensitive(dialect, "startsWith", text);
