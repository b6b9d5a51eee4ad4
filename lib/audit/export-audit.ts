/**
 * Streams the audit log as JSON Lines or CSV, in chain order, page by page. Neither format lets a
 * stored string drive the terminal or spreadsheet it lands in: JSON Lines escape every unsafe
 * character (`\u009b`, `\u202e`), so the data stays exact and the bytes stay inert; CSV cells,
 * which have no escapes, get them replaced (neutralize-text.ts) and formulas defused.
 */
import type { Db } from "../db/open-database";
import { neutralizeText } from "../text/neutralize-text";
import { UNSAFE_IN_LINE } from "../text/unsafe-characters";

const COLUMNS = [
  "seq",
  "at",
  "actor",
  "action",
  "decision",
  "reason",
  "handoffId",
  "agentId",
  "keyId",
  "endUserRef",
  "operatorId",
  "targetOrigin",
  "details",
  "prevHash",
  "hash",
] as const;

/** RFC 4180 quoting, plus a leading quote for cells a spreadsheet would run as a formula. */
function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ""
      : value instanceof Date
        ? value.toISOString()
        : neutralizeText(typeof value === "string" ? value : JSON.stringify(value), true);
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
      yield format === "csv"
        ? COLUMNS.map((c) => csvCell(row[c])).join(",")
        : inertJson({ ...row, at: row.at.toISOString(), details: JSON.parse(row.details) as unknown });
    }
    after = rows[rows.length - 1].seq;
  }
}

/** JSON.stringify escapes C0 controls and lone surrogates itself, but not C1, bidi or separators. */
function inertJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE_IN_LINE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
