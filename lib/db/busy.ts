/**
 * Whether a database failure means "busy, try again" rather than a fault: the write could not take
 * its turn in time, and rolled back whole. PostgreSQL's lock timeout on the audit chain's ordering
 * point (SQLSTATE 55P03; from a raw query through the pg driver adapter Prisma 7 reports it as P2010
 * with the driver's error in `meta.driverAdapterError.cause`, measured), and an interactive
 * transaction that ran out of time, or could not start in time (P2028 with its `timeout`, or
 * Prisma's "Unable to start a transaction in the given time"; P2028's other meanings are faults).
 * Each rolls the transaction back whole: the timer and the commit queue behind each other.
 */
const LOCK_NOT_AVAILABLE = "55P03";
const COULD_NOT_START = "Unable to start a transaction in the given time";

export function isDatabaseBusy(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, meta } = error as { code?: unknown; meta?: unknown };
  if (typeof code !== "string") return false;
  if (code === "P2028") {
    const timedOut = typeof meta === "object" && meta !== null && typeof (meta as { timeout?: unknown }).timeout === "number";
    return timedOut || (error instanceof Error && error.message.includes(COULD_NOT_START));
  }
  if (code !== "P2010" || typeof meta !== "object" || meta === null) return false;
  const driver = meta as { code?: unknown; driverAdapterError?: { cause?: { code?: unknown; originalCode?: unknown } } };
  const cause = driver.driverAdapterError?.cause;
  return driver.code === LOCK_NOT_AVAILABLE || cause?.code === LOCK_NOT_AVAILABLE || cause?.originalCode === LOCK_NOT_AVAILABLE;
}
