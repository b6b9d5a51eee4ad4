/**
 * Prisma's SQLite adapter stores DateTime as ISO 8601 text with an explicit `+00:00` offset.
 * Raw queries that compare against those columns must bind the same spelling, or text
 * comparison would be off at the boundary.
 */
export function toSqliteTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}
