/**
 * Walks the audit chain in order and reports every row that does not fit, not only the first: one
 * damaged row must not hide tampering further on. After a break the walk re-anchors on what is
 * stored (the row's own hash, the next seq present), so each later row is judged on its own.
 */
import type { Db } from "../db/open-database";
import { type ChainedRecord, GENESIS_HASH, hashRecord } from "./audit-entry";

export type ChainProblem = "edited" | "missing_or_reordered" | "bad_link";

export interface ChainBreak {
  seq: number;
  problem: ChainProblem;
}

/** At most this many breaks are listed; `breakCount` is always the full number. */
export const MAX_LISTED_BREAKS = 1000;

export type ChainVerdict =
  | { ok: true; rows: number; head: string }
  | {
      ok: false;
      /** Rows read. */
      rows: number;
      /** Rows before the first break, all intact. */
      intactBefore: number;
      /** The first break, as before: where an investigation starts. */
      brokenAt: number;
      problem: ChainProblem;
      breaks: ChainBreak[];
      breakCount: number;
      head: string;
    };

export async function verifyChain(db: Db, pageSize = 1000): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let rows = 0;
  let breakCount = 0;
  const breaks: ChainBreak[] = [];
  const note = (seq: number, problem: ChainProblem) => {
    breakCount += 1;
    if (breaks.length < MAX_LISTED_BREAKS) breaks.push({ seq, problem });
  };
  for (;;) {
    const page = await db.auditEvent.findMany({ where: { seq: { gte: expectedSeq } }, orderBy: { seq: "asc" }, take: pageSize });
    if (page.length === 0) break;
    for (const row of page) {
      const { hash, at, ...rest } = row;
      // A gap explains the broken link that follows it: one break, not two.
      if (row.seq !== expectedSeq) note(expectedSeq, "missing_or_reordered");
      else if (row.prevHash !== prevHash) note(row.seq, "bad_link");
      if (hashRecord({ ...rest, at: at.toISOString() } satisfies ChainedRecord) !== hash) note(row.seq, "edited");
      prevHash = hash;
      expectedSeq = row.seq + 1;
      rows += 1;
    }
  }
  if (breakCount === 0) return { ok: true, rows, head: prevHash };
  const first = breaks[0];
  return { ok: false, rows, intactBefore: first.seq - 1, brokenAt: first.seq, problem: first.problem, breaks, breakCount, head: prevHash };
}
