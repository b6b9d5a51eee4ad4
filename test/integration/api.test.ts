import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "../../lib/audit/verify-chain";
import { NodePhone } from "../helpers/node-phone";
import { startTestServer, type TestServer } from "../helpers/test-server";

const TARGET = "http://127.0.0.1:4999";
let server: TestServer;
let apiKey: string;
let otherKey: string;

async function api(path: string, init: { method?: string; key?: string; body?: unknown } = {}) {
  const response = await fetch(new URL(path, server.url), {
    method: init.method ?? (init.body ? "POST" : "GET"),
    headers: { ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...(init.body ? { "content-type": "application/json" } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  return { status: response.status, json: await response.json() };
}

async function createHandoff(key = apiKey, body: Record<string, unknown> = {}) {
  const created = await api("/api/handoffs", { key, body: { loginUrl: `${TARGET}/login`, reason: "Read your statements", ...body } });
  expect(created.status).toBe(201);
  return created.json as { id: string; token: string; linkPath: string; confirmationCode: string };
}

const phoneFor = (token: string) => new NodePhone(server.url, `${server.url}/h/${token}#k=${"A".repeat(43)}`);

beforeAll(async () => {
  server = await startTestServer();
  apiKey = (await server.createAgent([TARGET], { maxConcurrent: 50 })).apiKey;
  otherKey = (await server.createAgent(["http://127.0.0.1:4998"])).apiKey;
});
afterAll(async () => server?.close());

describe("agent API", () => {
  it("creates a handoff with a 256-bit link token, an RFC 8628 code and an expiry", async () => {
    const created = await createHandoff(apiKey, { ttlSeconds: 120, endUserRef: "user-42" });
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.linkPath).toBe(`/h/${created.token}`);
    expect(created.confirmationCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
    const row = await server.services.db.handoff.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).not.toContain(created.token);
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(120_000);
  });

  it("refuses a missing or wrong key with 401 and audits it, counted per address", async () => {
    expect((await api("/api/handoffs", { body: { loginUrl: `${TARGET}/`, reason: "x" } })).status).toBe(401);
    const wrong = await api("/api/handoffs", { key: `bat_${"x".repeat(43)}`, body: { loginUrl: `${TARGET}/`, reason: "x" } });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe("UNAUTHENTICATED");
    await server.services.failures.flushAll();
    const rows = await server.services.db.auditEvent.findMany({ where: { action: "auth.failures", decision: "deny" } });
    const reasons = rows.map((r) => JSON.parse(r.details).reasons as Record<string, number>);
    expect(reasons.reduce((n, r) => n + (r.agent_key_missing ?? 0), 0)).toBeGreaterThanOrEqual(1);
    expect(reasons.reduce((n, r) => n + (r.agent_key_invalid ?? 0), 0)).toBeGreaterThanOrEqual(1);
  });

  it("refuses an origin outside the agent's allowlist (default deny), including look-alikes", async () => {
    for (const loginUrl of ["https://evil.test/login", `http://127.0.0.1:4999@evil.test/`, "http://127.0.0.1:5000/login"]) {
      const refused = await api("/api/handoffs", { key: apiKey, body: { loginUrl, reason: "x" } });
      expect(refused.status).toBe(403);
      expect(refused.json.error.code).toBe("ORIGIN_NOT_ALLOWED");
    }
  });

  it("names the failing field of an invalid body and never echoes its value", async () => {
    const bad = await api("/api/handoffs", { key: apiKey, body: { loginUrl: "not a url", reason: "", ttlSeconds: 5 } });
    expect(bad.status).toBe(400);
    const paths = bad.json.error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["loginUrl", "reason", "ttlSeconds"]));
    expect(JSON.stringify(bad.json)).not.toContain("not a url");
  });

  it("shows an agent only its own handoffs", async () => {
    const created = await createHandoff();
    expect((await api(`/api/handoffs/${created.id}`, { key: apiKey })).status).toBe(200);
    const foreign = await api(`/api/handoffs/${created.id}`, { key: otherKey });
    expect(foreign.status).toBe(404);
  });

  it("answers polling faster than the advertised interval with slow_down", async () => {
    const created = await createHandoff();
    expect((await api(`/api/handoffs/${created.id}`, { key: apiKey })).status).toBe(200);
    const fast = await api(`/api/handoffs/${created.id}`, { key: apiKey });
    expect(fast.status).toBe(429);
    expect(fast.json.error.code).toBe("SLOW_DOWN");
  });

  it("never lets an agent report a state the phone owns", async () => {
    const created = await createHandoff();
    const report = await api(`/api/handoffs/${created.id}/report`, { key: apiKey, body: { event: "approved" } });
    expect(report.status).toBe(400);
    const live = await api(`/api/handoffs/${created.id}/report`, { key: apiKey, body: { event: "live" } });
    expect(live.status).toBe(409);
  });
});

describe("link claiming", () => {
  it("binds the link to the first device and refuses, audits and reports a second", async () => {
    const created = await createHandoff();
    const first = phoneFor(created.token);
    const claimed = await first.claim();
    expect(claimed).toMatchObject({ status: 200, json: { handoffId: created.id, state: "opened" } });
    expect(first.cookie).toMatch(/^baton-device=/);
    expect((await first.claim()).status).toBe(200); // the same device may come back

    const second = phoneFor(created.token);
    const refused = await second.claim();
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe("LINK_IN_USE");
    const audit = await server.services.db.auditEvent.findFirst({ where: { handoffId: created.id, action: "link.reuse_detected" } });
    expect(audit?.decision).toBe("deny");
    const status = await server.services.db.handoff.findUniqueOrThrow({ where: { id: created.id } });
    expect(status.reuseAttempts).toBe(1);
  });

  it("lets exactly one of many parallel claims win", async () => {
    const created = await createHandoff();
    const results = await Promise.all(Array.from({ length: 8 }, () => phoneFor(created.token).claim()));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
  });

  it("gives unknown, malformed and finished links the same answer", async () => {
    const created = await createHandoff();
    const phone = phoneFor(created.token);
    await phone.claim();
    await phone.decide("deny");
    const answers = await Promise.all([phoneFor("Z".repeat(43)).claim(), phoneFor("short").claim(), phoneFor(created.token).claim()]);
    for (const a of answers) expect(a).toMatchObject({ status: 410, json: { error: { code: "LINK_INVALID" } } });
    expect(new Set(answers.map((a) => a.json.error.message)).size).toBe(1);
  });

  it("refuses a cross-site claim (CSRF)", async () => {
    const created = await createHandoff();
    const phone = phoneFor(created.token);
    const refused = await phone.post(`/api/link/${created.token}/claim`, {}, "https://evil.test");
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe("CROSS_SITE_REQUEST");
  });

  it("refuses a decision from anyone but the bound device — an agent key included", async () => {
    const created = await createHandoff();
    await phoneFor(created.token).claim();
    const stranger = phoneFor(created.token);
    expect((await stranger.decide("approve")).status).toBe(403);
    const withKey = await fetch(new URL(`/api/link/${created.token}/decision`, server.url), {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.url, authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ decision: "approve" }),
    });
    expect(withKey.status).toBe(403);
    expect((await server.services.db.handoff.findUniqueOrThrow({ where: { id: created.id } })).state).toBe("opened");
  });

  it("refuses approve before Continue, and approve after deny", async () => {
    const created = await createHandoff();
    const phone = phoneFor(created.token);
    expect((await phone.decide("approve")).status).toBe(403);
    await phone.claim();
    expect((await phone.decide("deny")).json.state).toBe("denied");
    // A denied link is a used link: the same answer as an unknown one.
    expect((await phone.decide("approve")).json.error.code).toBe("LINK_INVALID");
  });
});

describe("audit chain", () => {
  it("stays intact through all of the above", async () => {
    const verdict = await verifyChain(server.services.db);
    expect(verdict.ok).toBe(true);
  });
});

describe("identity providers", () => {
  it("accepts only identity-provider sites in the agent's scope", async () => {
    const scoped = await server.services.agents.create({ name: "SSO agent", origins: [TARGET], identityProviders: ["idp.test"] });
    const ok = await api("/api/handoffs", { key: scoped.apiKey, body: { loginUrl: `${TARGET}/login`, reason: "x", identityProviders: ["idp.test"] } });
    expect(ok.status).toBe(201);
    const row = await server.services.db.handoff.findUniqueOrThrow({ where: { id: ok.json.id } });
    expect(JSON.parse(row.identityProviders)).toEqual(["idp.test"]);
    const refused = await api("/api/handoffs", { key: scoped.apiKey, body: { loginUrl: `${TARGET}/login`, reason: "x", identityProviders: ["evil.test"] } });
    expect(refused.status).toBe(403);
    // The worker confines by registrable domain, so a host inside one is refused as a scope entry.
    const subdomain = await api("/api/handoffs", {
      key: scoped.apiKey,
      body: { loginUrl: `${TARGET}/login`, reason: "x", identityProviders: ["login.idp.test"] },
    });
    expect(subdomain.status).toBe(400);
    expect(subdomain.json.error.message).toMatch(/registrable domains/);
    const unscoped = await api("/api/handoffs", { key: apiKey, body: { loginUrl: `${TARGET}/login`, reason: "x", identityProviders: ["idp.test"] } });
    expect(unscoped.status).toBe(403);
  });

  it("keeps the hand-over scope apart: a site must be in the agent's hand-over list, and never in both lists", async () => {
    const agent = await server.services.agents.create({
      name: "Two scopes",
      origins: [TARGET],
      identityProviders: ["idp.test"],
      handOverSites: ["bank-cdn.test"],
    });
    const ok = await api("/api/handoffs", {
      key: agent.apiKey,
      body: { loginUrl: `${TARGET}/login`, reason: "x", identityProviders: ["idp.test"], handOverSites: ["bank-cdn.test"] },
    });
    expect(ok.status).toBe(201);
    const row = await server.services.db.handoff.findUniqueOrThrow({ where: { id: ok.json.id } });
    expect([JSON.parse(row.identityProviders), JSON.parse(row.handOverSites)]).toEqual([["idp.test"], ["bank-cdn.test"]]);
    // An identity provider of the scope cannot be asked for as a hand-over site: visiting is not taking.
    const idpAsHandOver = await api("/api/handoffs", { key: agent.apiKey, body: { loginUrl: `${TARGET}/login`, reason: "x", handOverSites: ["idp.test"] } });
    expect(idpAsHandOver.status).toBe(403);
    expect(idpAsHandOver.json.error.details.handOverSites).toEqual(["idp.test"]);
    await expect(
      server.services.agents.create({ name: "Both", origins: [TARGET], identityProviders: ["idp.test"], handOverSites: ["idp.test"] }),
    ).rejects.toThrow(/never both/);
  });
});

describe("agent scope limits", () => {
  it("caps a requested ttlSeconds at the agent's maxTtlSeconds (capped, not refused)", async () => {
    const short = await server.createAgent([TARGET], { maxTtlSeconds: 60 });
    const created = await api("/api/handoffs", { key: short.apiKey, body: { loginUrl: `${TARGET}/login`, reason: "x", ttlSeconds: 300 } });
    expect(created.status).toBe(201);
    const row = await server.services.db.handoff.findUniqueOrThrow({ where: { id: created.json.id } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(60_000);
    expect(new Date(created.json.expiresAt).getTime()).toBe(row.expiresAt.getTime());
    const audit = await server.services.db.auditEvent.findFirstOrThrow({ where: { handoffId: created.json.id, action: "handoff.created" } });
    expect(JSON.parse(audit.details)).toMatchObject({ ttlSeconds: 60 });
  });
});

describe("blocked-request reports", () => {
  it("audits navigation.blocked with the blocked origin only", async () => {
    const created = await createHandoff();
    const ok = await api(`/api/handoffs/${created.id}/blocked`, {
      key: apiKey,
      body: { origin: "https://tracker.evil.test:8443", reason: "site", isNavigation: true },
    });
    expect(ok).toMatchObject({ status: 200, json: { ok: true } });
    const scheme = await api(`/api/handoffs/${created.id}/blocked`, { key: apiKey, body: { origin: "file:", reason: "scheme", isNavigation: true } });
    expect(scheme.status).toBe(200);
    const rows = await server.services.db.auditEvent.findMany({ where: { handoffId: created.id, action: "navigation.blocked" }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => [r.decision, r.reason, r.targetOrigin, JSON.parse(r.details)])).toEqual([
      ["deny", "site", TARGET, { blockedOrigin: "https://tracker.evil.test:8443", isNavigation: true, source: "page" }],
      ["deny", "scheme", TARGET, { blockedOrigin: "file:", isNavigation: true, source: "page" }],
    ]);
  });

  it("refuses a blocked report whose origin is more than a bare origin (path, query, credentials, fragment) with 400 and audits nothing", async () => {
    const created = await createHandoff();
    const before = await server.services.db.auditEvent.count({ where: { handoffId: created.id } });
    const notOrigins = [
      "https://evil.test/reset?token=s3cr3t-canary",
      "https://evil.test/",
      "https://user:pw@evil.test",
      "https://evil.test#frag",
      "https://EVIL.test",
      "https://evil.test:443",
      "evil.test",
      "javascript:alert(1)",
    ];
    for (const origin of notOrigins) {
      const r = await api(`/api/handoffs/${created.id}/blocked`, { key: apiKey, body: { origin, reason: "site", isNavigation: false } });
      expect(r.status, origin).toBe(400);
      expect(r.json.error.details.issues.map((i: { path: string }) => i.path)).toEqual(["origin"]);
      expect(JSON.stringify(r.json)).not.toContain("s3cr3t");
    }
    expect(await server.services.db.auditEvent.count({ where: { handoffId: created.id } })).toBe(before);
  });
});
