/**
 * History pages stay fast at 100,000 handoffs: keyset pagination on (createdAt, id) seeks an index
 * instead of skipping rows. Seeds the rows straight through better-sqlite3 in one transaction,
 * then times real queries through Prisma. Bounds are generous for a busy 2-core machine; the
 * figures are printed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCursor, HistoryQuerySchema, queryHistory } from "../../lib/dashboard/history.query";
import { openDatabase, type OpenedDatabase } from "../../lib/db/open-database";

const ROWS = 100_000;
const BOUND_MS = 250;
/** A substring search has to read every candidate row (no index serves LIKE '%…%'), so it gets more room. */
const SEARCH_BOUND_MS = 500;
const STATES = ["completed", "completed", "completed", "failed", "expired", "denied", "cancelled", "live", "pending"];
const SITES = ["bank.example", "mail.example", "shop.example", "crm.example"];

let dir: string;
let database: OpenedDatabase;
const start = Date.parse("2026-01-01T00:00:00Z");
/** Prisma's SQLite adapter stores DateTime as ISO 8601 text with an explicit offset. */
const sqliteTime = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "baton-history-"));
  database = await openDatabase(`file:${path.join(dir, "baton.db")}`);
  const raw = new Database(database.file);
  raw.pragma("journal_mode = WAL");
  const agent = raw.prepare(`INSERT INTO Agent (id, name, allowedOrigins, createdAt) VALUES (?, ?, '[]', ?)`);
  const handoff = raw.prepare(
    `INSERT INTO Handoff (id, agentId, keyId, state, tokenHash, loginUrl, targetOrigin, targetSite, reason, endUserRef, confirmCode, successKind, createdAt, expiresAt, openedAt, endedAt, endReason)
     VALUES (?, ?, 'key_x', ?, ?, ?, ?, ?, 'seeded', ?, 'BCDFGHJK', 'none', ?, ?, ?, ?, ?)`,
  );
  const seed = raw.transaction(() => {
    for (let a = 0; a < 5; a++) agent.run(`agt_seed${String(a).padStart(12, "0")}`, `Seed agent ${a}`, sqliteTime(start));
    for (let i = 0; i < ROWS; i++) {
      const at = start + i * 30_000;
      const state = STATES[i % STATES.length];
      const site = SITES[i % SITES.length];
      const isEnded = !["live", "pending"].includes(state);
      handoff.run(
        `hnd_${String(i).padStart(16, "0")}`,
        `agt_seed${String(i % 5).padStart(12, "0")}`,
        state,
        i.toString(16).padStart(64, "0"),
        `https://${site}/login`,
        `https://${site}`,
        site,
        `user-${i % 997}`,
        sqliteTime(at),
        sqliteTime(at + 600_000),
        state === "pending" ? null : sqliteTime(at + 20_000),
        isEnded ? sqliteTime(at + 90_000) : null,
        isEnded ? (state === "completed" ? "completed" : `${state}_reason`) : null,
      );
    }
  });
  const seeded = performance.now();
  seed();
  raw.pragma("optimize");
  raw.close();
  process.stdout.write(`[history] seeded ${ROWS} handoffs in ${Math.round(performance.now() - seeded)} ms\n`);
}, 120_000);

afterAll(async () => {
  await database?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function timed(label: string, query: Record<string, string>) {
  const parsed = HistoryQuerySchema.parse(query);
  await queryHistory(database.db, parsed); // warm the statement cache, as a running server would be
  const t0 = performance.now();
  const page = await queryHistory(database.db, parsed);
  const ms = performance.now() - t0;
  process.stdout.write(`[history] ${label}: ${ms.toFixed(1)} ms (${page.rows.length} rows, total ${page.total})\n`);
  return { page, ms };
}

describe("history pagination at 100,000 rows", () => {
  it("serves the first page quickly, newest first", async () => {
    const { page, ms } = await timed("first page", {});
    expect(page.total).toBe(ROWS);
    expect(page.rows).toHaveLength(50);
    expect(page.rows[0].id).toBe(`hnd_${String(ROWS - 1).padStart(16, "0")}`);
    expect(page.newerCursor).toBeNull();
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it("serves a deep page with a status filter as fast as the first", async () => {
    // A cursor 98% of the way down (row 2,000 of 100,000), as many Older clicks would reach.
    const deepRow = 2_000;
    const after = encodeCursor({ createdAt: new Date(start + deepRow * 30_000), id: `hnd_${String(deepRow).padStart(16, "0")}` });
    const deep = await timed("failed, deep page (row 2,000 of 100,000)", { status: "failed", after, size: "100" });
    expect(deep.page.rows).toHaveLength(100);
    expect(deep.page.rows.every((r) => r.state === "failed" && r.createdAt < new Date(start + deepRow * 30_000).toISOString())).toBe(true);
    expect(deep.ms).toBeLessThan(BOUND_MS);
    const unfiltered = await timed("unfiltered, deep page", { after });
    expect(unfiltered.page.rows[0].id).toBe(`hnd_${String(deepRow - 1).padStart(16, "0")}`);
    expect(unfiltered.ms).toBeLessThan(BOUND_MS);
    // The Older button walks on from there without gaps or repeats.
    const next = await queryHistory(database.db, HistoryQuerySchema.parse({ after: unfiltered.page.olderCursor! }));
    expect(next.rows[0].id).toBe(`hnd_${String(deepRow - 51).padStart(16, "0")}`);
  });

  it("reaches the oldest rows through a date range and pages strictly in order", async () => {
    const { page, ms } = await timed("date range at the start", { from: "2026-01-01", to: "2026-01-02", agent: "agt_seed000000000003" });
    expect(ms).toBeLessThan(BOUND_MS);
    expect(page.rows.every((r) => r.agentId === "agt_seed000000000003" && r.createdAt < "2026-01-03")).toBe(true);
    const older = await queryHistory(database.db, HistoryQuerySchema.parse({ from: "2026-01-01", to: "2026-01-02", agent: "agt_seed000000000003", after: page.olderCursor! }));
    expect(older.rows[0].createdAt < page.rows[page.rows.length - 1].createdAt).toBe(true);
    const back = await queryHistory(database.db, HistoryQuerySchema.parse({ from: "2026-01-01", to: "2026-01-02", agent: "agt_seed000000000003", before: older.newerCursor! }));
    expect(back.rows.map((r) => r.id)).toEqual(page.rows.map((r) => r.id));
  });

  it("searches by end-user reference within the bound", async () => {
    const { page, ms } = await timed("search user-420 on one site", { q: "user-420", site: "bank.example" });
    expect(page.rows.length).toBeGreaterThan(0);
    expect(page.rows.every((r) => r.endUserRef?.includes("user-420") && r.targetSite === "bank.example")).toBe(true);
    expect(ms).toBeLessThan(SEARCH_BOUND_MS);
  });
});
