/**
 * History pages at 100,000 handoffs: keyset pagination on (createdAt, id) returns the right rows
 * at any depth, with filters, both ways, without gaps or repeats. How fast is measured by
 * `npm run bench` (timed assertions would only measure how busy the test machine is).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCursor, HistoryQuerySchema, queryHistory } from "../../lib/dashboard/history.query";
import { openDatabase, type OpenedDatabase } from "../../lib/db/open-database";
import { HISTORY_START as start, seedHistoryIn } from "../fixtures/seed-history";
import { freshDatabaseUrl } from "../helpers/test-database";

const ROWS = 100_000;

let dir: string;
let database: OpenedDatabase;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "baton-history-"));
  database = await openDatabase(await freshDatabaseUrl(dir));
  await seedHistoryIn(database, ROWS);
}, 120_000);

afterAll(async () => {
  await database?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function timed(_label: string, query: Record<string, string>) {
  return { page: await queryHistory(database.db, HistoryQuerySchema.parse(query)) };
}

describe("history pagination at 100,000 rows", () => {
  it("serves the first page, newest first, with the total", async () => {
    const { page } = await timed("first page", {});
    expect(page.total).toBe(ROWS);
    expect(page.rows).toHaveLength(50);
    expect(page.rows[0].id).toBe(`hnd_${String(ROWS - 1).padStart(16, "0")}`);
    expect(page.newerCursor).toBeNull();
  });

  it("serves a deep page with a status filter, and pages on from it without gaps", async () => {
    // A cursor 98% of the way down (row 2,000 of 100,000), as many Older clicks would reach.
    const deepRow = 2_000;
    const after = encodeCursor({ createdAt: new Date(start + deepRow * 30_000), id: `hnd_${String(deepRow).padStart(16, "0")}` });
    const deep = await timed("failed, deep page (row 2,000 of 100,000)", { status: "failed", after, size: "100" });
    expect(deep.page.rows).toHaveLength(100);
    expect(deep.page.rows.every((r) => r.state === "failed" && r.createdAt < new Date(start + deepRow * 30_000).toISOString())).toBe(true);
    const unfiltered = await timed("unfiltered, deep page", { after });
    expect(unfiltered.page.rows[0].id).toBe(`hnd_${String(deepRow - 1).padStart(16, "0")}`);
    // The Older button walks on from there without gaps or repeats.
    const next = await queryHistory(database.db, HistoryQuerySchema.parse({ after: unfiltered.page.olderCursor! }));
    expect(next.rows[0].id).toBe(`hnd_${String(deepRow - 51).padStart(16, "0")}`);
  });

  it("reaches the oldest rows through a date range and pages strictly in order", async () => {
    const { page } = await timed("date range at the start", { from: "2026-01-01", to: "2026-01-02", agent: "agt_seed000000000003" });
    expect(page.rows.every((r) => r.agentId === "agt_seed000000000003" && r.createdAt < "2026-01-03")).toBe(true);
    const older = await queryHistory(
      database.db,
      HistoryQuerySchema.parse({ from: "2026-01-01", to: "2026-01-02", agent: "agt_seed000000000003", after: page.olderCursor! }),
    );
    expect(older.rows[0].createdAt < page.rows[page.rows.length - 1].createdAt).toBe(true);
    const back = await queryHistory(
      database.db,
      HistoryQuerySchema.parse({ from: "2026-01-01", to: "2026-01-02", agent: "agt_seed000000000003", before: older.newerCursor! }),
    );
    expect(back.rows.map((r) => r.id)).toEqual(page.rows.map((r) => r.id));
  });

  it("searches by end-user reference within a site", async () => {
    const { page } = await timed("search user-420 on one site", { q: "user-420", site: "bank.example" });
    expect(page.rows.length).toBeGreaterThan(0);
    expect(page.rows.every((r) => r.endUserRef?.includes("user-420") && r.targetSite === "bank.example")).toBe(true);
  });
});
