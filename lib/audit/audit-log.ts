/**
 * The hash-chained audit log. One writer per process: every write (and every lifecycle change,
 * which writes its audit row in the same transaction) goes through one queue, so the chain
 * cannot fork. Run one Baton server per database file.
 */
import type { Db } from "../db/open-database";
import type { Clock } from "../server/clock";
import { type AuditEntry, type ChainedRecord, GENESIS_HASH, hashRecord } from "./audit-entry";

export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export type Append = (entry: AuditEntry) => Promise<number>;

export interface AuditLog {
  /** Appends one entry on its own. */
  append(entry: AuditEntry): Promise<number>;
  /** Runs `work` in one transaction, in the writer queue, with an `append` bound to it. */
  write<T>(work: (tx: Tx, append: Append) => Promise<T>): Promise<T>;
}

export function createAuditLog(db: Db, clock: Clock): AuditLog {
  let queue: Promise<unknown> = Promise.resolve();

  const appendIn = async (tx: Tx, entry: AuditEntry): Promise<number> => {
    const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
    const record: ChainedRecord = {
      seq: (last?.seq ?? 0) + 1,
      at: clock.now().toISOString(),
      actor: entry.actor,
      action: entry.action,
      decision: entry.decision,
      reason: entry.reason ?? null,
      handoffId: entry.handoffId ?? null,
      agentId: entry.agentId ?? null,
      keyId: entry.keyId ?? null,
      endUserRef: entry.endUserRef ?? null,
      operatorId: entry.operatorId ?? null,
      targetOrigin: entry.targetOrigin ?? null,
      details: JSON.stringify(entry.details ?? {}),
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    await tx.auditEvent.create({ data: { ...record, at: new Date(record.at), hash: hashRecord(record) } });
    return record.seq;
  };

  const write = <T>(work: (tx: Tx, append: Append) => Promise<T>): Promise<T> => {
    const run = queue.then(() => db.$transaction((tx) => work(tx, (e) => appendIn(tx, e))));
    queue = run.catch(() => undefined);
    return run;
  };

  return { write, append: (entry) => write((tx, append) => append(entry)) };
}
