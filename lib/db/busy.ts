/**
 * Whether a database failure means "busy, try again" rather than a fault: the write could not take
 * its turn in time, and rolled back whole. PostgreSQL's lock timeout on the audit chain's ordering
 * point (SQLSTATE 55P03; from a raw query through the pg driver adapter Prisma 7 reports it as P2010
 * with the driver's error in `meta.driverAdapterError.cause`, measured), an interactive
 * transaction that ran out of time (P2028), a connection pool with no connection free in time (P2024).
 */
const BUSY_PRISMA_CODES = new Set(["P2024", "P2028"]);
const LOCK_NOT_AVAILABLE = "55P03";

export function isDatabaseBusy(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, meta } = error as { code?: unknown; meta?: unknown };
  if (typeof code !== "string") return false;
  if (BUSY_PRISMA_CODES.has(code)) return true;
  if (code !== "P2010" || typeof meta !== "object" || meta === null) return false;
  const driver = meta as { code?: unknown; driverAdapterError?: { cause?: { code?: unknown; originalCode?: unknown } } };
  const cause = driver.driverAdapterError?.cause;
  return driver.code === LOCK_NOT_AVAILABLE || cause?.code === LOCK_NOT_AVAILABLE || cause?.originalCode === LOCK_NOT_AVAILABLE;
}
