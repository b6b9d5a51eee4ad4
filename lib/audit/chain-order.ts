/**
 * The audit chain's one ordering point when several nodes write to one PostgreSQL database. Each
 * process already writes through one queue; across processes, every write transaction first takes a
 * transaction-scoped advisory lock, so the next `seq` and `prevHash` are read only after the previous
 * writer committed. SQLite needs nothing here: one process per file, and its writes are serialised.
 */
import type { Dialect } from "../db/dialect";
import type { Tx } from "./audit-log";

/** Any fixed key that nothing else takes; Prisma Migrate's is 72707369, so this one is next to it. */
export const AUDIT_CHAIN_LOCK_KEY = 72707370;

/**
 * How long a write waits for the chain before it fails (and its whole transaction rolls back): a
 * turn takes milliseconds, so only a stuck holder (or a machine starved of CPU, as a loaded test
 * runner is) makes anyone wait this long, and piling up behind it would only hide that.
 */
export const CHAIN_LOCK_WAIT_MS = 10_000;

/**
 * Prisma's interactive defaults (2 s to get a connection, 5 s in all) are too tight for a write that
 * may first wait its turn behind other nodes: the whole transaction may take the lock wait plus the
 * work. The in-process queue means a node asks its pool for at most one connection at a time here.
 */
export function chainTransactionOptions(dialect: Dialect): { maxWait: number; timeout: number } | undefined {
  return dialect === "postgresql" ? { maxWait: 5_000, timeout: CHAIN_LOCK_WAIT_MS + 10_000 } : undefined;
}

/** The first statements of every audited write transaction on PostgreSQL. */
export async function takeChainTurn(tx: Tx, dialect: Dialect): Promise<void> {
  if (dialect !== "postgresql") return;
  // READ COMMITTED, deliberately and before any other statement: each later statement sees what
  // committed before it, so the chain head read after the lock is the true head. (REPEATABLE READ
  // would fix the snapshot at the lock call itself, before the previous holder committed: a fork.)
  await tx.$executeRawUnsafe("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
  await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${CHAIN_LOCK_WAIT_MS}ms'`);
  // $executeRaw: the lock function returns void, which a raw query cannot deserialize.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK_KEY})`;
}
