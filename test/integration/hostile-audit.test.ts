/**
 * The audit log under attack: tampering found by the verifier, formula-like agent strings in the export.
 * Each hostile file starts its own server with small limits (test/helpers/hostile-server.ts).
 */
import { describe, expect, it } from "vitest";
import { exportAudit } from "../../lib/audit/export-audit";
import { verifyChain } from "../../lib/audit/verify-chain";
import { TARGET, useHostileServer } from "../helpers/hostile-server";

const hs = useHostileServer();

describe("audit tampering", () => {
  it("is found by the verifier: an edited, a deleted and a reordered row", async () => {
    const db = hs.current.server.services.db;
    // Rows of this file's own server to tamper with: the agent's creation and ten handoffs'.
    for (let i = 0; i < 10; i++) await hs.current.handoff();
    expect(await db.auditEvent.count()).toBe(11);
    expect((await verifyChain(db)).ok).toBe(true);
    const victim = await db.auditEvent.findFirstOrThrow({ where: { seq: 5 } });
    await db.auditEvent.update({ where: { seq: 5 }, data: { decision: "allow", reason: "nothing to see" } });
    expect(await verifyChain(db)).toMatchObject({ ok: false, brokenAt: 5, problem: "edited" });
    await db.auditEvent.update({ where: { seq: 5 }, data: { decision: victim.decision, reason: victim.reason } });
    expect((await verifyChain(db)).ok).toBe(true);

    const row7 = await db.auditEvent.findFirstOrThrow({ where: { seq: 7 } });
    await db.auditEvent.delete({ where: { seq: 7 } });
    expect(await verifyChain(db)).toMatchObject({ ok: false, brokenAt: 7, problem: "missing_or_reordered" });
    await db.auditEvent.create({ data: row7 });

    const [a, b] = await Promise.all([db.auditEvent.findFirstOrThrow({ where: { seq: 8 } }), db.auditEvent.findFirstOrThrow({ where: { seq: 9 } })]);
    await db.$transaction([
      db.auditEvent.delete({ where: { seq: 8 } }),
      db.auditEvent.delete({ where: { seq: 9 } }),
      db.auditEvent.create({ data: { ...b, seq: 8 } }),
      db.auditEvent.create({ data: { ...a, seq: 9 } }),
    ]);
    expect(await verifyChain(db)).toMatchObject({ ok: false, brokenAt: 8 });
  });
});

describe("audit export", () => {
  it("neutralises agent strings that start like a spreadsheet formula in the CSV export, and keeps them intact in JSONL", async () => {
    const payloads = ['=HYPERLINK("https://evil.test","x")', "+1+cmd", "-2+3", "@SUM(A1)"];
    const agent = await hs.current.server.services.agents.create({ name: "=cmd|' /C calc'!A0", origins: [TARGET], maxConcurrent: 10 });
    for (const endUserRef of payloads) {
      expect(
        (await hs.current.api("/api/handoffs", { key: agent.apiKey, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x", endUserRef }) })).status,
      ).toBe(201);
    }
    const failing = await hs.current.handoff(agent.apiKey);
    expect(
      (await hs.current.api(`/api/handoffs/${failing.id}/report`, { key: agent.apiKey, body: JSON.stringify({ event: "failed", reason: "@SUM(1+1)*cmd" }) }))
        .status,
    ).toBe(200);

    const records: string[][] = [];
    for await (const line of exportAudit(hs.current.server.services.db, "csv")) records.push(parseCsvRecord(line));
    const cells = records.slice(1).flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    for (const p of [...payloads, "@SUM(1+1)*cmd"]) expect(cells, p).toContain(`'${p}`);
    expect(cells.some((c) => c.includes("=cmd|' /C calc'!A0"))).toBe(true); // the agent name, inside its details JSON

    const json: Record<string, unknown>[] = [];
    for await (const line of exportAudit(hs.current.server.services.db, "jsonl")) json.push(JSON.parse(line));
    expect(json.map((r) => r.endUserRef)).toEqual(expect.arrayContaining(payloads));
    expect(json.length).toBe(records.length - 1);
  });
});

/** One RFC 4180 record (the export yields one per row; quoted cells may hold commas and newlines). */
function parseCsvRecord(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let cell = "";
      i += 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error("unterminated quote");
        cell += line.slice(i, q);
        if (line[q + 1] === '"') {
          cell += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      cells.push(cell);
    } else {
      const comma = line.indexOf(",", i);
      const end = comma < 0 ? line.length : comma;
      cells.push(line.slice(i, end));
      i = end;
    }
    if (line[i] !== "," && i < line.length) throw new Error(`bad CSV at ${i}`);
    i += 1;
  }
  return cells;
}
