/** Streams the audit log as JSON Lines or CSV, in chain order, page by page. */
import type { Db } from "../db/open-database";

const COLUMNS = ["seq", "at", "actor", "action", "decision", "reason", "handoffId", "agentId", "keyId", "endUserRef", "operatorId", "targetOrigin", "details", "prevHash", "hash"] as const;

/** RFC 4180 quoting, plus a leading quote for cells a spreadsheet would run as a formula. */
function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function* exportAudit(db: Db, format: "jsonl" | "csv", pageSize = 1000): AsyncGenerator<string> {
  if (format === "csv") yield COLUMNS.join(",");
  let after = 0;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { seq: { gt: after } }, orderBy: { seq: "asc" }, take: pageSize });
    if (rows.length === 0) return;
    for (const row of rows) {
      yield format === "csv" ? COLUMNS.map((c) => csvCell(row[c])).join(",") : JSON.stringify({ ...row, at: row.at.toISOString(), details: JSON.parse(row.details) });
    }
    after = rows[rows.length - 1].seq;
  }
}
