/**
 * The hash-chained audit log. One writer per process: every write (and every lifecycle change,
 * which writes its audit row in the same transaction) goes through one queue, so the chain
 * cannot fork within a process. On PostgreSQL, where several nodes share the database, every write
 * transaction also takes the chain's one ordering point in the database first (chain-order.ts).
 * On SQLite, run one Baton server per database file.
 */
import { EventEmitter } from "node:events";
import type { Db } from "../db/open-database";
import type { Clock } from "../time/clock";
import { toWellFormed } from "../text/unsafe-characters";
import { type AuditEntry, type ChainedRecord, ChainedRecordSchema, GENESIS_HASH, hashRecord } from "./audit-entry";
import { chainTransactionOptions, takeChainTurn } from "./chain-order";

export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export type Append = (entry: AuditEntry) => Promise<number>;

export interface AuditLogEvents {
  /** After the transaction that wrote it committed (never for a rolled-back write). */
  appended: [record: ChainedRecord];
}

export interface AuditLog {
  /** Committed entries, for live views (the dashboard). Listeners must not throw. */
  events: EventEmitter<AuditLogEvents>;
  /** Appends one entry on its own. */
  append(entry: AuditEntry): Promise<number>;
  /** Runs `work` in one transaction, in the writer queue, with an `append` bound to it. */
  write<T>(work: (tx: Tx, append: Append) => Promise<T>): Promise<T>;
}

/**
 * The record exactly as SQLite will hand it back, so the hash covers the stored bytes: a lone
 * surrogate (which has no UTF-8 form) becomes U+FFFD before hashing, not after. Inputs are refused
 * at the boundary already; this keeps one stray string from breaking the chain for good.
 */
function storedForm(record: ChainedRecord): ChainedRecord {
  const entries = Object.entries(record).map(([key, value]) => [key, typeof value === "string" ? toWellFormed(value) : value]);
  return ChainedRecordSchema.parse(Object.fromEntries(entries));
}

export function createAuditLog(db: Db, clock: Clock): AuditLog {
  let queue: Promise<unknown> = Promise.resolve();
  const events = new EventEmitter<AuditLogEvents>();

  const appendIn = async (tx: Tx, entry: AuditEntry, written: ChainedRecord[]): Promise<number> => {
    const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
    const record = storedForm({
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
    });
    await tx.auditEvent.create({ data: { ...record, at: new Date(record.at), hash: hashRecord(record) } });
    written.push(record);
    return record.seq;
  };

  const write = <T>(work: (tx: Tx, append: Append) => Promise<T>): Promise<T> => {
    const written: ChainedRecord[] = [];
    const run = queue.then(async () => {
      const result = await db.$transaction(async (tx) => {
        await takeChainTurn(tx, db.dialect);
        return work(tx, (e) => appendIn(tx, e, written));
      }, chainTransactionOptions(db.dialect));
      for (const record of written) events.emit("appended", record);
      return result;
    });
    queue = run.catch(() => undefined);
    return run;
  };

  return { events, write, append: (entry) => write((_tx, append) => append(entry)) };
}
