/** Walks the audit chain in order and reports the first row that does not fit. */
import type { Db } from "../db/open-database";
import { type ChainedRecord, GENESIS_HASH, hashRecord } from "./audit-entry";

export type ChainVerdict =
  | { ok: true; rows: number; head: string }
  | { ok: false; rows: number; brokenAt: number; problem: "edited" | "missing_or_reordered" | "bad_link" };

export async function verifyChain(db: Db, pageSize = 1000): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let rows = 0;
  for (;;) {
    const page = await db.auditEvent.findMany({ where: { seq: { gte: expectedSeq } }, orderBy: { seq: "asc" }, take: pageSize });
    if (page.length === 0) return { ok: true, rows, head: prevHash };
    for (const row of page) {
      if (row.seq !== expectedSeq) return { ok: false, rows, brokenAt: expectedSeq, problem: "missing_or_reordered" };
      if (row.prevHash !== prevHash) return { ok: false, rows, brokenAt: row.seq, problem: "bad_link" };
      const { hash, at, ...rest } = row;
      const record: ChainedRecord = { ...rest, at: at.toISOString() };
      if (hashRecord(record) !== hash) return { ok: false, rows, brokenAt: row.seq, problem: "edited" };
      prevHash = hash;
      expectedSeq += 1;
      rows += 1;
    }
  }
}
