/** The dashboard's history at 100,000 handoffs: how long each kind of page takes (median of 7). */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { encodeCursor, HistoryQuerySchema, queryHistory } from "../lib/dashboard/history.query";
import { openDatabase } from "../lib/db/open-database";
import { HISTORY_START, seedHistory, seededAgentId, seededHandoffId } from "../test/fixtures/seed-history";

export async function historyPagination(rows = 100_000): Promise<{ rows: number; seedMs: number; pages: Record<string, number> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "baton-bench-history-"));
  const database = await openDatabase(`file:${path.join(dir, "baton.db")}`);
  try {
    if (database.file === null) throw new Error("the history bench seeds a SQLite file");
    const seedMs = Math.round(seedHistory(database.file, rows));
    const deep = encodeCursor({ createdAt: new Date(HISTORY_START + 2_000 * 30_000), id: seededHandoffId(2_000) });
    const queries: Record<string, Record<string, string>> = {
      "first page": {},
      "deep page (row 2,000 of 100,000)": { after: deep },
      "deep page, status filter": { after: deep, status: "failed", size: "100" },
      "date range + agent": { from: "2026-01-01", to: "2026-01-02", agent: seededAgentId(3) },
      "text search + site": { q: "user-420", site: "bank.example" },
    };
    const pages: Record<string, number> = {};
    for (const [label, raw] of Object.entries(queries)) {
      const query = HistoryQuerySchema.parse(raw);
      await queryHistory(database.db, query);
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t0 = performance.now();
        await queryHistory(database.db, query);
        times.push(performance.now() - t0);
      }
      pages[label] = Math.round(times.sort((a, b) => a - b)[3] * 10) / 10;
    }
    return { rows, seedMs, pages };
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
