/**
 * A lease in the database for a chore that one node does for all (the sweep): the holder renews it,
 * nobody else gets it while it runs, anyone takes it over once it expired — a dead holder is
 * replaced within one TTL. Works the same on SQLite and PostgreSQL.
 */
import type { Db } from "../db/open-database";
import type { Clock } from "../time/clock";

export interface Leases {
  /**
   * Takes or renews lease `name` for `holderId` until now + `ttlMs`, in one conditional write: true
   * when `holderId` holds it afterwards, false while another holder's lease has not expired.
   */
  tryHold(name: string, holderId: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up at once (a node shutting down), so the next node need not wait out the TTL. */
  release(name: string, holderId: string): Promise<void>;
}

export function createLeases(db: Db, clock: Clock): Leases {
  return {
    async tryHold(name, holderId, ttlMs) {
      const now = clock.now();
      const until = new Date(now.getTime() + ttlMs);
      // One statement, atomic on both databases: insert, or update only when this holder already has
      // it or it has expired. A refused update changes no row. (Prisma's tagged template binds the
      // dialect's own placeholders; the statement itself is the same on both.)
      const changed = await db.$executeRaw`INSERT INTO "Lease" ("name", "holderId", "expiresAt") VALUES (${name}, ${holderId}, ${until})
        ON CONFLICT ("name") DO UPDATE SET "holderId" = excluded."holderId", "expiresAt" = excluded."expiresAt"
        WHERE "Lease"."holderId" = excluded."holderId" OR "Lease"."expiresAt" <= ${now}`;
      return changed === 1;
    },
    async release(name, holderId) {
      await db.lease.deleteMany({ where: { name, holderId } });
    },
  };
}
