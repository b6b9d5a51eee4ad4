/**
 * The dashboard's queries give exact answers, the same on SQLite and PostgreSQL (BATON_TEST_DATABASE;
 * `npm run test:postgres` runs this file there): overview figures from raw SQL (bucket edges,
 * durations to the millisecond, integer division that neither rounds nor truncates differently),
 * filter options, case-insensitive history search, audit action prefixes, and timestamps kept to the
 * millisecond.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditLog } from "../../lib/audit/audit-log";
import { verifyChain } from "../../lib/audit/verify-chain";
import { AuditQuerySchema, queryAudit } from "../../lib/dashboard/audit.query";
import { queryFilterOptions } from "../../lib/dashboard/filter-options.query";
import { HistoryQuerySchema, queryHistory } from "../../lib/dashboard/history.query";
import { queryOverview } from "../../lib/dashboard/overview.query";
import { openDatabase, type OpenedDatabase } from "../../lib/db/open-database";
import { freshDatabaseUrl } from "../helpers/test-database";

const HOUR = 3_600_000;
/** 24 h range: hourly buckets, the first starting 23 h before the hour that holds `now`. */
const now = new Date("2026-12-01T10:30:00.000Z");
const firstBucket = Date.parse("2026-11-30T11:00:00.000Z");

let dir: string;
let database: OpenedDatabase;

async function handoff(id: string, fields: { state: string; createdAt: number; endReason?: string; steps?: number[]; site?: string; endUserRef?: string }) {
  const [opened, approved, captured, completed] = (fields.steps ?? []).map((ms) => new Date(fields.createdAt + ms));
  await database.db.handoff.create({
    data: {
      id,
      agentId: "agt_query0000000001",
      keyId: "key_1",
      state: fields.state,
      tokenHash: `token-${id}`,
      loginUrl: "https://bank.example/login",
      targetOrigin: "https://bank.example",
      targetSite: fields.site ?? "bank.example",
      reason: "Read statements",
      endUserRef: fields.endUserRef ?? null,
      confirmCode: "ABCD-EFGH",
      successKind: "none",
      createdAt: new Date(fields.createdAt),
      expiresAt: new Date(fields.createdAt + 600_000),
      openedAt: opened ?? null,
      approvedAt: approved ?? null,
      capturedAt: captured ?? null,
      completedAt: completed ?? null,
      endReason: fields.endReason ?? null,
    },
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "baton-queries-"));
  database = await openDatabase(await freshDatabaseUrl(dir));
  await database.db.agent.create({ data: { id: "agt_query0000000001", name: "Statements Bot", allowedOrigins: "[]", createdAt: new Date(firstBucket) } });
  // Exactly on the first bucket's start, and one millisecond before the second's: both in bucket 0.
  await handoff("hnd_q01", { state: "completed", createdAt: firstBucket, steps: [1_500, 2_750, 10_001, 12_345], endUserRef: "Alice.Example" });
  await handoff("hnd_q02", { state: "completed", createdAt: firstBucket + HOUR - 1, steps: [2_501, 3_000, 45_999, 50_000], site: "mail.example" });
  await handoff("hnd_q03", { state: "failed", endReason: "agent_revoked", createdAt: firstBucket + HOUR, steps: [999] });
  // Before the range: counted nowhere in the figures, still live now.
  await handoff("hnd_q04", { state: "live", createdAt: firstBucket - 1, steps: [100, 200] });
  // Today (after UTC midnight), in the bucket that holds now.
  await handoff("hnd_q05", { state: "pending", createdAt: Date.parse("2026-12-01T10:00:00.000Z"), site: "app.example", endUserRef: "Émile" });
  const audit = createAuditLog(database.db, { now: () => now });
  for (const action of ["handoff.created", "handoff.opened", "agent.created"]) await audit.append({ actor: "system", action, decision: "info" });
});
afterAll(async () => {
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("dashboard queries", () => {
  it("counts the overview's figures exactly, with buckets split on the exact millisecond", async () => {
    const o = await queryOverview(database.db, now, "24h");
    expect({ total: o.total, today: o.today, liveNow: o.liveNow, ended: o.ended, completed: o.completed }).toEqual({
      total: 4,
      today: 1,
      liveNow: 2,
      ended: 3,
      completed: 2,
    });
    expect(o.failures).toEqual([{ state: "failed", reason: "agent_revoked", count: 1 }]);
    expect(o.series.buckets).toHaveLength(24);
    expect(o.series.buckets[0]).toEqual({ start: new Date(firstBucket).toISOString(), completed: 2, failed: 0, active: 0 });
    expect(o.series.buckets[1]).toMatchObject({ completed: 0, failed: 1, active: 0 });
    expect(o.series.buckets[23]).toMatchObject({ start: "2026-12-01T10:00:00.000Z", active: 1 });
  });

  it("measures step durations to the millisecond for the medians and the histogram", async () => {
    const o = await queryOverview(database.db, now, "24h");
    // Opened after 1,500 / 2,501 / 999 ms: the median of three.
    expect(o.medians).toEqual({ openMs: 1_500, approveMs: (1_250 + 499) / 2, signInMs: (7_251 + 42_999) / 2, totalMs: (12_345 + 50_000) / 2 });
    expect(o.signInHistogram.filter((b) => b.count > 0)).toEqual([
      { fromS: 0, toS: 15, count: 1 },
      { fromS: 30, toS: 60, count: 1 },
    ]);
  });

  it("keeps timestamps to the millisecond", async () => {
    const row = await database.db.handoff.findUniqueOrThrow({ where: { id: "hnd_q02" } });
    expect(row.createdAt.toISOString()).toBe(new Date(firstBucket + HOUR - 1).toISOString());
    expect(row.completedAt?.getTime()).toBe(firstBucket + HOUR - 1 + 50_000);
    expect(await verifyChain(database.db)).toMatchObject({ ok: true, rows: 3 });
  });

  it("lists the target sites seen, in order", async () => {
    const options = await queryFilterOptions(database.db);
    expect(options.sites).toEqual(["app.example", "bank.example", "mail.example"]);
    expect(options.agents).toEqual([{ id: "agt_query0000000001", name: "Statements Bot", isRevoked: false }]);
  });

  it("searches the history ignoring the case of ASCII letters, in the user ref, the site and the agent's name", async () => {
    const ids = async (q: string) => (await queryHistory(database.db, HistoryQuerySchema.parse({ q }))).rows.map((r) => r.id);
    expect(await ids("alice.EXAMPLE")).toEqual(["hnd_q01"]);
    expect(await ids("MAIL")).toEqual(["hnd_q02"]);
    expect(await ids("statements bot")).toHaveLength(5);
    expect(await ids("hnd_q03")).toEqual(["hnd_q03"]);
    expect(await ids("nobody")).toEqual([]);
    // Only ASCII letters fold, as SQLite's LIKE does (and PostgreSQL's ILIKE under LOCALE 'C').
    expect(await ids("Émile")).toEqual(["hnd_q05"]);
    expect(await ids("éMILE")).toEqual([]);
  });

  it("filters the audit log by an action prefix", async () => {
    const page = await queryAudit(database.db, AuditQuerySchema.parse({ action: "handoff." }));
    expect(page.rows.map((r) => r.action)).toEqual(["handoff.opened", "handoff.created"]);
  });
});
