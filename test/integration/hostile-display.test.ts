/**
 * Issue 14.8: names people trust must not lie. An agent name with a right-to-left override read
 * "Bank exe.png is asking…" on the consent screen; ANSI, OSC 8, NUL and C1 controls reached the
 * terminal and the CSV export raw. They are refused at input (one shared text schema) and
 * neutralised at output (consent view, dashboard queries, exports), so rows written before the
 * rules, or by another path, are safe too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportAudit } from "../../lib/audit/export-audit";
import { ConfigError, parseConfig } from "../../lib/config/config";
import { queryAgents } from "../../lib/dashboard/agents.query";
import { queryAudit } from "../../lib/dashboard/audit.query";
import { HistoryQuerySchema, queryHistory } from "../../lib/dashboard/history.query";
import { loadLinkView } from "../../lib/server/link-view";
import { OperatorClient } from "../helpers/operator-client";
import { startTestServer, type TestServer } from "../helpers/test-server";

const TARGET = "http://127.0.0.1:4985";
const PASSWORD = "display-operator-pw-9Wm4";
/** Everything a screen, a terminal or a spreadsheet would act on. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const HOSTILE_NAMES = [
  "Bank \u202Egnp.exe",
  "Bank \u2067evil\u2069",
  "\u001b[2J\u001b[HBank",
  "\u001b]8;;https://evil.test\u0007Bank\u001b]8;;\u0007",
  "Bank\u0000",
  "Bank \u009b31m",
  "Bank\u0085Other",
  "Bank\u2028Other",
  "Bank\u200f",
  "two\nlines",
];
let server: TestServer;
let apiKey: string;
let agentId: string;
let op: OperatorClient;

async function createHandoff(body: Record<string, unknown>) {
  const r = await fetch(new URL("/api/handoffs", server.url), {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ loginUrl: `${TARGET}/`, ...body }),
  });
  return { status: r.status, json: await r.json() };
}

beforeAll(async () => {
  server = await startTestServer();
  ({ apiKey, agentId } = await server.createAgent([TARGET], { maxConcurrent: 20 }));
  await server.services.operators.create({ email: "display-ops@example.com", password: PASSWORD });
  op = new OperatorClient(server.url);
  expect((await op.signIn("display-ops@example.com", PASSWORD)).status).toBe(200);
});
afterAll(async () => server?.close());

describe("display strings at input", () => {
  it("refuses an agent name (dashboard, store as the CLI uses it, scope edit), the operator name and an operator email with bidi, C0 or C1 controls, escapes or separators", async () => {
    for (const name of HOSTILE_NAMES) {
      const r = await op.post("/api/dashboard/agents", { name, origins: [TARGET] });
      expect(r.status, JSON.stringify(name)).toBe(400);
      expect(
        r.json.error.details.issues.map((i: { path: string }) => i.path),
        JSON.stringify(name),
      ).toEqual(["name"]);
      await expect(server.services.agents.create({ name, origins: [TARGET] }), JSON.stringify(name)).rejects.toThrow();
      expect((await op.post(`/api/dashboard/agents/${agentId}/scope`, { name })).status, JSON.stringify(name)).toBe(400);
    }
    expect(await server.services.db.agent.count({ where: { name: { not: "Test agent" } } })).toBe(0);
    // So does the operator name every consent screen shows: a bad one stops the server at start.
    for (const name of HOSTILE_NAMES) expect(() => parseConfig({ OPERATOR_NAME: name }), JSON.stringify(name)).toThrow(ConfigError);
    expect(parseConfig({}).operatorName).toBe("Baton");
    // The operator's email, shown on the dashboard and by `operator list`, follows the same rules.
    for (const email of ["ops\u202e@example.com", "ops@exa\u009bmple.com", "\u001b[31mops@example.com"]) {
      await expect(server.services.operators.create({ email, password: PASSWORD }), JSON.stringify(email)).rejects.toThrow();
    }
  });

  it("refuses C1 controls and separators in reason, end-user reference and failure reason, not only C0 and bidi", async () => {
    for (const text of ["pay \u009b2J", "next\u0085line", "a\u2029b", "x\u061cy"]) {
      expect((await createHandoff({ reason: text })).status, JSON.stringify(text)).toBe(400);
      expect((await createHandoff({ reason: "x", endUserRef: text })).status, JSON.stringify(text)).toBe(400);
    }
    const h = await createHandoff({ reason: "Read statements" });
    const failed = await fetch(new URL(`/api/handoffs/${h.json.id}/report`, server.url), {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ event: "failed", reason: "done\u009b2J" }),
    });
    expect(failed.status).toBe(400);
  });
});

describe("display strings at output (rows written before the rules)", () => {
  const hostileName = "Bank \u202Egnp.exe\u001b[2J\u009b";
  let token: string;

  beforeAll(async () => {
    const h = await createHandoff({ reason: "Read statements", endUserRef: "user-1" });
    token = h.json.token;
    await server.services.db.agent.update({ where: { id: agentId }, data: { name: hostileName } });
    await server.services.db.handoff.update({
      where: { id: h.json.id },
      data: { reason: "Pay \u202Eevil\u0000\nsecond line", endUserRef: "ref\u001b]8;;https://evil.test\u0007x" },
    });
    await server.services.audit.append({
      actor: "agent",
      action: "test.old_row",
      decision: "info",
      handoffId: h.json.id,
      endUserRef: "ref\u009b31m\u202e",
      reason: "r\u0085s",
    });
  });

  it("neutralises the consent screen's view: agent name, reason, operator name", async () => {
    const view = await loadLinkView(server.services, token, null);
    expect(view?.agentName).toBe("Bank \ufffdgnp.exe\ufffd[2J\ufffd");
    expect(view?.reason).toBe("Pay \ufffdevil\ufffd\nsecond line");
    for (const text of [view?.agentName, view?.reason.replace(/\n/g, " "), view?.operatorName]) expect(text).not.toMatch(UNSAFE);
  });

  it("neutralises the dashboard's agents, history and audit rows", async () => {
    const agents = await queryAgents(server.services.db, server.services.agents, server.services.webhooks);
    expect(agents.find((a) => a.id === agentId)?.name).toBe("Bank \ufffdgnp.exe\ufffd[2J\ufffd");
    const history = await queryHistory(server.services.db, HistoryQuerySchema.parse({}));
    for (const row of history.rows) for (const text of [row.agentName, row.endUserRef ?? ""]) expect(text).not.toMatch(UNSAFE);
    const audit = await queryAudit(server.services.db, { action: "test.old_row" });
    expect(audit.rows).toHaveLength(1);
    for (const text of [audit.rows[0].endUserRef, audit.rows[0].reason]) expect(text).not.toMatch(UNSAFE);
    // The same through the HTTP API the dashboard's pages and live view read.
    const listed = await op.get("/api/dashboard/agents");
    expect(listed.text).not.toMatch(UNSAFE);
    expect(listed.text).not.toMatch(/\\u(00[01][0-9a-f]|00[89][0-9a-f]|202[a-e]|206[6-9])/i);
  });

  it("writes no raw control or bidi character into a CSV export, and keeps JSON Lines exact but inert", async () => {
    const csv: string[] = [];
    for await (const line of exportAudit(server.services.db, "csv")) csv.push(line);
    // Newlines inside quoted cells are CSV's own; everything else must be gone.
    expect(csv.join("\n").replace(/\n/g, "")).not.toMatch(UNSAFE);
    const jsonl: string[] = [];
    for await (const line of exportAudit(server.services.db, "jsonl")) jsonl.push(line);
    expect(jsonl.join("")).not.toMatch(UNSAFE);
    const old = jsonl.map((l) => JSON.parse(l) as { action: string; endUserRef: string; reason: string }).find((r) => r.action === "test.old_row");
    expect(old).toMatchObject({ endUserRef: "ref\u009b31m\u202e", reason: "r\u0085s" });
  });
});
