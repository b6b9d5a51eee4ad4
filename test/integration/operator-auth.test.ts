/**
 * Operator sign-in as an attacker would probe it: wrong passwords and lockout with backoff,
 * account enumeration, login CSRF, CSRF on mutations, a copied cookie after sign-out, expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OperatorClient } from "../helpers/operator-client";
import { startTestServer, type TestServer } from "../helpers/test-server";

const EMAIL = "ops@example.com";
const PASSWORD = "canary-operator-pw-Zq9x";
let server: TestServer;
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

beforeAll(async () => {
  server = await startTestServer({ clock });
  await server.services.operators.create({ email: EMAIL, password: PASSWORD });
  await server.services.operators.create({ email: "lock@example.com", password: PASSWORD });
  await server.services.operators.create({ email: "csrf@example.com", password: PASSWORD });
});
afterAll(async () => server?.close());

const client = () => new OperatorClient(server.url);

describe("operator sign-in", () => {
  it("signs in with email and password and sets an HttpOnly, SameSite=Strict session cookie", async () => {
    const op = client();
    const response = await op.signIn(" OPS@example.com ", PASSWORD);
    expect(response.status).toBe(200);
    const setCookie = response.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^baton-operator=[^;]{40,};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(response.json.operator.email).toBe(EMAIL);
    expect(response.json.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(response.text).not.toContain("scrypt");
    const me = await op.get("/api/operator/me");
    expect(me.status).toBe(200);
    expect(me.json.operator.email).toBe(EMAIL);
  });

  it("refuses a wrong password and an unknown email with the same answer, and audits both", async () => {
    const wrong = await client().signIn(EMAIL, "not-the-password-123");
    const unknown = await client().signIn("nobody@example.com", "not-the-password-123");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json).toEqual(unknown.json);
    await server.services.failures.flushAll();
    const denials = await server.services.db.auditEvent.findMany({ where: { action: { in: ["operator.sign_in", "auth.failures"] }, decision: "deny" } });
    expect(denials.map((d) => d.reason)).toEqual(expect.arrayContaining(["bad_password", "sign_in_unknown_account"]));
    expect(JSON.stringify(denials)).not.toContain("not-the-password-123");
    expect(JSON.stringify(denials)).not.toContain("nobody@example.com");
  });

  it("checks parallel guesses one at a time, so a burst cannot get past the lock", async () => {
    await server.services.operators.create({ email: "burst@example.com", password: PASSWORD });
    // The right password hides at the end of a burst of wrong ones.
    const guesses = [...Array.from({ length: 11 }, (_, i) => `wrong-${i}`), PASSWORD];
    const results = await Promise.all(guesses.map((guess) => server.services.operatorSignIn("burst@example.com", guess)));
    // Five wrong passwords lock the account; every later guess meets the lock, the right one included.
    expect(results.filter((r) => !r.ok && r.reason === "invalid_credentials")).toHaveLength(4);
    expect(results.filter((r) => !r.ok && r.reason === "locked")).toHaveLength(8);
    expect(results.at(-1)).toMatchObject({ ok: false, reason: "locked" });
  });

  it("locks the account after repeated failures, with a backoff that doubles, and audits the lock", async () => {
    const op = client();
    for (let i = 1; i <= 4; i++) expect((await op.signIn("lock@example.com", `wrong-password-${i}`)).status).toBe(401);
    const fifth = await op.signIn("lock@example.com", "wrong-password-5");
    expect(fifth.status).toBe(429);
    expect(fifth.json.error.details.retryAfterSeconds).toBe(30);
    expect(fifth.headers.get("retry-after")).toBe("30");
    // Even the right password is refused while locked.
    expect((await op.signIn("lock@example.com", PASSWORD)).status).toBe(429);
    offsetMs += 31_000;
    const sixth = await op.signIn("lock@example.com", "wrong-password-6");
    expect(sixth.status).toBe(429);
    expect(sixth.json.error.details.retryAfterSeconds).toBe(60);
    offsetMs += 61_000;
    expect((await op.signIn("lock@example.com", PASSWORD)).status).toBe(200);
    const row = await server.services.db.operator.findUniqueOrThrow({ where: { email: "lock@example.com" } });
    expect(row.failedAttempts).toBe(0);
    expect(row.lockedUntil).toBeNull();
    expect(await server.services.db.auditEvent.count({ where: { action: "operator.locked", operatorId: row.id } })).toBe(2);
  });

  it("locks unknown emails the same way, so a lock does not reveal which accounts exist", async () => {
    const op = client();
    for (let i = 1; i <= 4; i++) expect((await op.signIn("ghost@example.com", `wrong-password-${i}`)).status).toBe(401);
    const fifth = await op.signIn("ghost@example.com", "wrong-password-5");
    expect(fifth.status).toBe(429);
    expect(fifth.json.error.details.retryAfterSeconds).toBe(30);
  });

  it("refuses a sign-in posted from another origin or with no origin at all (login CSRF)", async () => {
    const foreign = new OperatorClient(server.url, "https://evil.example");
    const refused = await foreign.signIn(EMAIL, PASSWORD);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe("CROSS_SITE_REQUEST");
    expect(refused.headers.get("set-cookie")).toBeNull();
    const bare = await fetch(`${server.url}/api/operator/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    expect(bare.status).toBe(403);
  });

  it("names invalid fields without echoing the password", async () => {
    const response = await client().request("/api/operator/sign-in", { body: { email: "not-an-email", password: "", extra: 1 } });
    expect(response.status).toBe(400);
    expect(response.json.error.details.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(["email", "password"]));
    expect(response.text).not.toContain("not-an-email");
  });
});

describe("operator mutations and sessions", () => {
  it("refuses a mutation without the CSRF token, with a wrong one, or from another origin", async () => {
    const op = client();
    await op.signIn("csrf@example.com", PASSWORD);
    const body = { name: "CSRF probe", origins: ["https://bank.example"] };
    const missing = await op.post("/api/dashboard/agents", body, { csrf: false });
    expect(missing.status).toBe(403);
    expect(missing.json.error.code).toBe("CROSS_SITE_REQUEST");
    const wrong = await op.post("/api/dashboard/agents", body, { csrf: false, headers: { "x-baton-csrf": "A".repeat(43) } });
    expect(wrong.status).toBe(403);
    const crossOrigin = await op.post("/api/dashboard/agents", body, { headers: { origin: "https://evil.example" } });
    expect(crossOrigin.status).toBe(403);
    expect(await server.services.db.agent.count({ where: { name: "CSRF probe" } })).toBe(0);
    expect(await server.services.db.auditEvent.count({ where: { action: "operator.csrf", decision: "deny" } })).toBeGreaterThanOrEqual(2);
    const allowed = await op.post("/api/dashboard/agents", body);
    expect(allowed.status).toBe(201);
  });

  it("refuses a plain form post (not JSON) even with the cookie", async () => {
    const op = client();
    await op.signIn(EMAIL, PASSWORD);
    const response = await fetch(`${server.url}/api/dashboard/audit/verify`, {
      method: "POST",
      headers: { origin: server.url, cookie: op.cookie, "x-baton-csrf": op.csrfToken, "content-type": "application/x-www-form-urlencoded" },
      body: "a=1",
    });
    expect(response.status).toBe(415);
  });

  it("sign-out revokes the session on the server: a copied cookie stops working", async () => {
    const op = client();
    await op.signIn(EMAIL, PASSWORD);
    const copied = { cookie: op.cookie, csrf: op.csrfToken };
    const revoked = () => server.services.db.operatorSession.count({ where: { revokedAt: { not: null } } });
    const revokedBefore = await revoked();
    const out = await op.post("/api/operator/sign-out");
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/^baton-operator=; .*Max-Age=0/);
    const thief = client();
    thief.cookie = copied.cookie;
    thief.csrfToken = copied.csrf;
    expect((await thief.get("/api/operator/me")).status).toBe(401);
    expect((await thief.get("/api/dashboard/handoffs")).status).toBe(401);
    expect((await thief.post("/api/dashboard/audit/verify")).status).toBe(401);
    // Exactly this session was revoked, on the server: the copied cookie names nothing live.
    expect(await revoked()).toBe(revokedBefore + 1);
  });

  it("refuses every operator endpoint without a session, and a tampered cookie reads as none", async () => {
    const anonymous = client();
    for (const path of [
      "/api/operator/me",
      "/api/dashboard/overview",
      "/api/dashboard/handoffs",
      "/api/dashboard/handoffs/hnd_AAAAAAAAAAAAAAAA",
      "/api/dashboard/agents",
      "/api/dashboard/audit",
    ]) {
      const response = await anonymous.get(path);
      expect(response.status, path).toBe(401);
    }
    for (const path of [
      "/api/operator/sign-out",
      "/api/dashboard/agents",
      "/api/dashboard/audit/verify",
      "/api/dashboard/audit/export",
      "/api/dashboard/handoffs/hnd_AAAAAAAAAAAAAAAA/cancel",
    ]) {
      expect((await anonymous.post(path)).status, path).toBe(401);
    }
    const op = client();
    await op.signIn(EMAIL, PASSWORD);
    op.cookie = `${op.cookie.slice(0, -6)}AAAAAA`;
    expect((await op.get("/api/operator/me")).status).toBe(401);
  });

  it("ends a session that sat idle for 30 minutes, and any session after 12 hours", async () => {
    const op = client();
    await op.signIn(EMAIL, PASSWORD);
    offsetMs += 29 * 60_000;
    expect((await op.get("/api/operator/me")).status).toBe(200);
    offsetMs += 29 * 60_000;
    expect((await op.get("/api/operator/me")).status).toBe(200);
    offsetMs += 31 * 60_000;
    expect((await op.get("/api/operator/me")).status).toBe(401);

    const longLived = client();
    await longLived.signIn(EMAIL, PASSWORD);
    for (let i = 0; i < 25; i++) {
      offsetMs += 29 * 60_000;
      if ((await longLived.get("/api/operator/me")).status !== 200) break;
    }
    expect((await longLived.get("/api/operator/me")).status).toBe(401);
  });

  it("does not count a background session check as activity: an open dashboard tab still goes idle", async () => {
    const operator = (await server.services.db.operator.findFirstOrThrow({ where: { email: EMAIL } })).id;
    const issued = await server.services.operatorSessions.issue(operator);
    for (let i = 0; i < 3; i++) {
      offsetMs += 12 * 60_000;
      const checked = await server.services.operatorSessions.resolve(issued.token, { touch: false });
      if (i < 2) expect(checked?.sessionId).toBe(issued.sessionId);
      else expect(checked).toBeNull();
    }
  });

  it("names the cookie __Host- and marks it Secure when served over https", async () => {
    const https = await startTestServer({ env: { PUBLIC_URL: "https://baton.example" } });
    try {
      await https.services.operators.create({ email: EMAIL, password: PASSWORD });
      const op = new OperatorClient(https.url, "https://baton.example");
      const response = await op.signIn(EMAIL, PASSWORD);
      expect(response.status).toBe(200);
      expect(response.headers.get("set-cookie")).toMatch(/^__Host-baton-operator=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict; Secure$/);
    } finally {
      await https.close();
    }
  });
});
