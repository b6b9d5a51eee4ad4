/**
 * The dashboard's API as an operator uses it: agents (create, scope, rotate, revoke), handoff
 * history, detail and cancel, overview figures, audit verify and export — and no response ever
 * carrying a key hash, a token hash, a password hash or the session cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodePhone } from "../helpers/node-phone";
import { OperatorClient } from "../helpers/operator-client";
import { startTestServer, type TestServer } from "../helpers/test-server";

const BANK = "https://bank.example";
const MAIL = "https://mail.example";
const PASSWORD = "canary-operator-pw-Zq9x";
let server: TestServer;
let op: OperatorClient;
let operatorId: string;

async function agentApi(path: string, key: string, body?: unknown) {
  const response = await fetch(new URL(path, server.url), {
    method: body ? "POST" : "GET",
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, json: await response.json() };
}

async function createHandoff(key: string, origin = BANK, endUserRef = "user-7") {
  const created = await agentApi("/api/handoffs", key, { loginUrl: `${origin}/login`, reason: "Read statements", endUserRef });
  expect(created.status).toBe(201);
  return created.json as { id: string; token: string };
}

async function createAgentViaDashboard(name: string, origins: string[]) {
  const created = await op.post("/api/dashboard/agents", { name, origins, maxConcurrent: 5 });
  expect(created.status).toBe(201);
  return created.json as { agentId: string; apiKey: string; keyId: string };
}

beforeAll(async () => {
  server = await startTestServer();
  operatorId = (await server.services.operators.create({ email: "ops@example.com", password: PASSWORD })).id;
  op = new OperatorClient(server.url);
  expect((await op.signIn("ops@example.com", PASSWORD)).status).toBe(200);
});
afterAll(async () => server?.close());

describe("agents from the dashboard", () => {
  it("creates an agent, shows its key once, and lists it with a key prefix only", async () => {
    const created = await createAgentViaDashboard("Statements bot", [BANK]);
    expect(created.apiKey).toMatch(/^bat_[A-Za-z0-9_-]{43}$/);
    expect((await createHandoff(created.apiKey)).id).toMatch(/^hnd_/);
    const list = await op.get("/api/dashboard/agents");
    const row = list.json.agents.find((a: { id: string }) => a.id === created.agentId);
    expect(row.keyPrefixes).toEqual([`${created.apiKey.slice(0, 8)}…`]);
    expect(row.stats.total).toBe(1);
    expect(row.stats.live).toBe(1);
    expect(list.text).not.toContain(created.apiKey);
    const audited = await server.services.db.auditEvent.findFirstOrThrow({ where: { action: "agent.created", agentId: created.agentId } });
    expect(audited.actor).toBe("operator");
    expect(audited.operatorId).toBe(operatorId);
  });

  it("edits an agent's scope: new origins apply to new handoffs, bad input is refused by field", async () => {
    const created = await createAgentViaDashboard("Mail bot", [BANK]);
    expect((await agentApi("/api/handoffs", created.apiKey, { loginUrl: `${MAIL}/login`, reason: "x" })).status).toBe(403);
    const edited = await op.post(`/api/dashboard/agents/${created.agentId}/scope`, {
      origins: [BANK, MAIL],
      maxTtlSeconds: 300,
      identityProviders: ["accounts.example"],
    });
    expect(edited.status).toBe(200);
    expect((await agentApi("/api/handoffs", created.apiKey, { loginUrl: `${MAIL}/login`, reason: "x" })).status).toBe(201);
    const bad = await op.post(`/api/dashboard/agents/${created.agentId}/scope`, { origins: ["not an origin"], maxConcurrent: 0 });
    expect(bad.status).toBe(400);
    const unknownField = await op.post(`/api/dashboard/agents/${created.agentId}/scope`, { allowedOrigins: [MAIL] });
    expect(unknownField.status).toBe(400);
    const agent = await server.services.db.agent.findUniqueOrThrow({ where: { id: created.agentId } });
    expect(JSON.parse(agent.allowedOrigins)).toEqual([BANK, MAIL]);
    expect(agent.maxTtlSeconds).toBe(300);
    expect(await server.services.db.auditEvent.count({ where: { action: "agent.scope_changed", agentId: created.agentId, operatorId } })).toBe(1);
  });

  it("rotates a key: the new key works at once, the old one stops after the overlap", async () => {
    const created = await createAgentViaDashboard("Rotating bot", [BANK]);
    const rotated = await op.post(`/api/dashboard/agents/${created.agentId}/rotate`, { overlapSeconds: 0 });
    expect(rotated.status).toBe(200);
    expect(rotated.json.apiKey).toMatch(/^bat_/);
    expect(rotated.json.apiKey).not.toBe(created.apiKey);
    expect((await agentApi("/api/handoffs", rotated.json.apiKey, { loginUrl: `${BANK}/login`, reason: "x" })).status).toBe(201);
    expect((await agentApi("/api/handoffs", created.apiKey, { loginUrl: `${BANK}/login`, reason: "x" })).status).toBe(401);
  });

  it("revokes an agent: its key stops and its live handoff ends at once", async () => {
    const created = await createAgentViaDashboard("Doomed bot", [BANK]);
    const handoff = await createHandoff(created.apiKey);
    const phone = new NodePhone(server.url, `${server.url}/h/${handoff.token}#k=${"A".repeat(43)}`);
    await phone.claim();
    await phone.decide("approve");
    const revoked = await op.post(`/api/dashboard/agents/${created.agentId}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.json.endedHandoffs).toBe(1);
    const row = await server.services.db.handoff.findUniqueOrThrow({ where: { id: handoff.id } });
    expect(row.state).toBe("failed");
    expect(row.endReason).toBe("agent_revoked");
    expect((await agentApi(`/api/handoffs/${handoff.id}`, created.apiKey)).status).toBe(401);
    expect((await op.post(`/api/dashboard/agents/${created.agentId}/revoke`)).status).toBe(404);
    expect((await op.post(`/api/dashboard/agents/${created.agentId}/rotate`, {})).status).toBe(404);
  });
});

describe("handoffs from the dashboard", () => {
  it("cancels a live handoff as the operator, audited with the operator's id; a second cancel is refused", async () => {
    const created = await createAgentViaDashboard("Cancel bot", [BANK]);
    const handoff = await createHandoff(created.apiKey);
    const cancelled = await op.post(`/api/dashboard/handoffs/${handoff.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.state).toBe("cancelled");
    expect(cancelled.json.endReason).toBe("cancelled_by_operator");
    const event = await server.services.db.auditEvent.findFirstOrThrow({ where: { handoffId: handoff.id, action: "handoff.cancelled" } });
    expect(event.actor).toBe("operator");
    expect(event.operatorId).toBe(operatorId);
    const again = await op.post(`/api/dashboard/handoffs/${handoff.id}/cancel`);
    expect(again.status).toBe(409);
    expect((await agentApi(`/api/handoffs/${handoff.id}`, created.apiKey)).json.state).toBe("cancelled");
    expect((await op.post("/api/dashboard/handoffs/hnd_AAAAAAAAAAAAAAAA/cancel")).status).toBe(404);
    expect((await op.post("/api/dashboard/handoffs/nonsense/cancel")).status).toBe(404);
  });

  it("lists history with filters and search, and shows one handoff's timeline, device and cookie names", async () => {
    const created = await createAgentViaDashboard("History bot", [BANK, MAIL]);
    const first = await createHandoff(created.apiKey, BANK, "alice-ref");
    await createHandoff(created.apiKey, MAIL, "bob-ref");
    const phone = new NodePhone(server.url, `${server.url}/h/${first.token}#k=${"A".repeat(43)}`);
    await phone.claim();
    await phone.decide("approve");
    await agentApi(`/api/handoffs/${first.id}/report`, created.apiKey, { event: "live" });
    const cookie = { name: "sid", domain: "bank.example", path: "/", expires: -1, httpOnly: true, secure: true, sameSite: "Lax" };
    await agentApi(`/api/handoffs/${first.id}/report`, created.apiKey, { event: "captured", cookies: [cookie] });
    await agentApi(`/api/handoffs/${first.id}/report`, created.apiKey, { event: "completed" });
    await agentApi(`/api/handoffs/${first.id}/blocked`, created.apiKey, { origin: "https://tracker.example", reason: "site", isNavigation: false });

    const mine = await op.get(`/api/dashboard/handoffs?agent=${created.agentId}`);
    expect(mine.json.total).toBe(2);
    expect(mine.json.rows.map((r: { endUserRef: string }) => r.endUserRef)).toEqual(["bob-ref", "alice-ref"]);
    expect((await op.get(`/api/dashboard/handoffs?agent=${created.agentId}&status=completed`)).json.rows.map((r: { id: string }) => r.id)).toEqual([first.id]);
    expect((await op.get(`/api/dashboard/handoffs?site=mail.example&agent=${created.agentId}`)).json.total).toBe(1);
    expect((await op.get("/api/dashboard/handoffs?q=alice")).json.rows[0].id).toBe(first.id);
    expect((await op.get("/api/dashboard/handoffs?status=nope")).status).toBe(400);

    const detail = await op.get(`/api/dashboard/handoffs/${first.id}`);
    expect(detail.status).toBe(200);
    expect(detail.json.device).toBe("Chrome on Android");
    expect(detail.json.cookies).toEqual([expect.objectContaining({ name: "sid", domain: "bank.example", httpOnly: true })]);
    expect(detail.json.blocked).toEqual([expect.objectContaining({ origin: "https://tracker.example", reason: "site" })]);
    const actions = detail.json.timeline.map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      "handoff.created",
      "handoff.opened",
      "handoff.approved",
      "handoff.live",
      "handoff.captured",
      "handoff.completed",
      "navigation.blocked",
    ]);
    expect(detail.json.timeline[1].sincePreviousMs).toBeGreaterThanOrEqual(0);
    expect(detail.text).not.toMatch(/"(tokenHash|deviceHash|confirmCode)"/);
    expect((await op.get("/api/dashboard/handoffs/hnd_AAAAAAAAAAAAAAAA")).status).toBe(404);
  });

  it("reports overview figures: live now, today, success rate, medians and failures by reason", async () => {
    const overview = await op.get("/api/dashboard/overview?range=24h");
    expect(overview.status).toBe(200);
    const o = overview.json;
    expect(o.today).toBe(o.total);
    expect(o.completed).toBeGreaterThanOrEqual(1);
    expect(o.liveNow).toBeGreaterThanOrEqual(1);
    expect(o.successRate).toBeGreaterThan(0);
    expect(o.successRate).toBeLessThan(1);
    expect(o.medians.signInMs).toBeGreaterThanOrEqual(0);
    expect(o.failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ state: "cancelled", reason: "cancelled_by_operator" }),
        expect.objectContaining({ state: "failed", reason: "agent_revoked" }),
      ]),
    );
    expect(o.series.buckets).toHaveLength(24);
    const charted = o.series.buckets.reduce((n: number, b: { completed: number; failed: number; active: number }) => n + b.completed + b.failed + b.active, 0);
    expect(charted).toBe(o.total);
    expect(o.signInHistogram.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBeGreaterThanOrEqual(1);
  });
});

describe("audit from the dashboard", () => {
  it("verifies the chain and records that it did", async () => {
    const verdict = await op.post("/api/dashboard/audit/verify");
    expect(verdict.status).toBe(200);
    expect(verdict.json.ok).toBe(true);
    expect(verdict.json.rows).toBeGreaterThan(10);
    expect(await server.services.db.auditEvent.count({ where: { action: "audit.verified", operatorId } })).toBe(1);
  });

  it("reports a broken chain after a row is edited behind Baton's back", async () => {
    const tampered = await startTestServer();
    try {
      await tampered.services.operators.create({ email: "t@example.com", password: PASSWORD });
      const client = new OperatorClient(tampered.url);
      await client.signIn("t@example.com", PASSWORD);
      await tampered.createAgent([BANK]);
      await tampered.services.db.auditEvent.update({ where: { seq: 2 }, data: { reason: "edited" } });
      const verdict = await client.post("/api/dashboard/audit/verify");
      expect(verdict.json).toMatchObject({ ok: false, brokenAt: 2, problem: "edited" });
    } finally {
      await tampered.close();
    }
  });

  it("lists the log with filters and exports it as JSON Lines and CSV", async () => {
    const denied = await op.get("/api/dashboard/audit?decision=deny");
    // Earlier cases were refused (a revoked agent, a cancelled handoff's second cancel): the filter has rows to keep.
    expect(denied.json.rows.length).toBeGreaterThan(0);
    expect(denied.json.rows.every((r: { decision: string }) => r.decision === "deny")).toBe(true);
    const lifecycle = await op.get("/api/dashboard/audit?action=handoff.&actor=agent");
    expect(lifecycle.json.rows.length).toBeGreaterThan(0);
    expect(lifecycle.json.rows.every((r: { action: string; actor: string }) => r.action.startsWith("handoff.") && r.actor === "agent")).toBe(true);
    expect((await op.get("/api/dashboard/audit?actor=root")).status).toBe(400);

    const jsonl = await op.post("/api/dashboard/audit/export", { format: "jsonl" });
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers.get("content-disposition")).toMatch(/^attachment; filename="baton-audit-[\d-]+\.jsonl"$/);
    const lines = jsonl.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0].seq).toBe(1);
    expect(lines.every((l, i) => l.seq === i + 1)).toBe(true);
    const csv = await op.post("/api/dashboard/audit/export", { format: "csv" });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.text.split("\n")[0]).toBe(
      "seq,at,actor,action,decision,reason,handoffId,agentId,keyId,endUserRef,operatorId,targetOrigin,details,prevHash,hash",
    );
  });
});

describe("secrets", () => {
  it("never returns a key hash, token hash, password hash, session hash or the session cookie in any response", async () => {
    const db = server.services.db;
    const secrets = [
      ...(await db.agentKey.findMany()).map((k) => k.hash),
      ...(await db.handoff.findMany()).map((h) => h.tokenHash),
      ...(await db.handoff.findMany({ where: { deviceHash: { not: null } } })).map((h) => h.deviceHash!),
      ...(await db.operator.findMany()).map((o) => o.passwordHash),
      ...(await db.operatorSession.findMany()).flatMap((s) => [s.tokenHash, s.csrfHash]),
      op.cookie.split("=")[1],
      PASSWORD,
    ];
    expect(secrets.length).toBeGreaterThan(10);
    // The export carries the audit rows' own chain hashes by design; no secret hash is among them.
    for (const body of op.bodies) for (const secret of secrets) expect(body.includes(secret)).toBe(false);
    for (const line of server.logLines) for (const secret of secrets) expect(line.includes(secret)).toBe(false);
  });
});
