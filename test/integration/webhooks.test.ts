/**
 * Signed webhooks: every lifecycle event of an agent's handoffs reaches its backend signed per
 * Standard Webhooks, retried with backoff from persisted deliveries, never slowing the handoff,
 * and only ever sent to an address that passed the outbound check.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toBase64Url } from "../../lib/crypto/base64url";
import { randomSealKey } from "../../lib/crypto/seal";
import type { ResolvedAddress } from "../../lib/webhooks/webhook-url";
import { Webhook } from "standardwebhooks";
import { NodePhone } from "../helpers/node-phone";
import { OperatorClient } from "../helpers/operator-client";
import { startTestServer, type TestServer } from "../helpers/test-server";
import { WebhookReceiver } from "../helpers/webhook-receiver";

const TARGET = "http://127.0.0.1:4995";
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
/** The DNS the server sees: host name → answer. */
const dns = new Map<string, ResolvedAddress[]>();
/** Names whose resolution never answers. */
const hangingNames = new Set<string>();
const resolve = async (host: string) => {
  if (hangingNames.has(host)) return new Promise<never>(() => {});
  const answer = dns.get(host);
  if (!answer) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
  return answer;
};

let server: TestServer;
const receivers: WebhookReceiver[] = [];
/** A receiver on loopback that is *not* in WEBHOOK_ALLOWED_PRIVATE_ORIGINS. */
let outsider: WebhookReceiver;

async function newReceiver(): Promise<WebhookReceiver> {
  const receiver = await new WebhookReceiver().start();
  receivers.push(receiver);
  return receiver;
}

const pool: WebhookReceiver[] = [];
beforeAll(async () => {
  for (let i = 0; i < 5; i++) pool.push(await newReceiver());
  outsider = await newReceiver();
  const named = `http://hooks.internal.test:${new URL(pool[4].origin).port}`;
  server = await startTestServer({
    clock,
    resolve,
    env: { WEBHOOK_ALLOWED_PRIVATE_ORIGINS: [...pool.map((r) => r.origin), named].join(","), WEBHOOK_TIMEOUT_SECONDS: "2" },
  });
});
afterAll(async () => {
  await server?.close();
  for (const r of receivers) await r.close();
});

async function agentWithWebhook(receiver: WebhookReceiver, url = receiver.url) {
  const agent = await server.createAgent([TARGET], { maxConcurrent: 20 });
  const set = await server.services.webhooks.set(agent.agentId, url);
  receiver.secret = set.secret ?? "";
  return agent;
}

async function api(apiKey: string, path: string, body?: unknown) {
  const response = await fetch(new URL(path, server.url), {
    method: body ? "POST" : "GET",
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, json: await response.json() };
}

/** Drives one handoff from creation to completion, as the worker and the phone would. */
async function completeHandoff(apiKey: string) {
  const created = (await api(apiKey, "/api/handoffs", { loginUrl: `${TARGET}/login`, reason: "Read statements", endUserRef: "user-7" })).json;
  const link = `${server.url}${created.linkPath}#k=${toBase64Url(randomSealKey())}`;
  const phone = new NodePhone(server.url, link);
  await phone.claim();
  await phone.decide("approve");
  await api(apiKey, `/api/handoffs/${created.id}/report`, { event: "live" });
  await api(apiKey, `/api/handoffs/${created.id}/blocked`, { origin: "https://tracker.test", reason: "site", isNavigation: true });
  const cookies = [{ name: "sid", domain: "127.0.0.1", path: "/", expires: -1, httpOnly: true, secure: false, sameSite: "Lax" }];
  await api(apiKey, `/api/handoffs/${created.id}/report`, { event: "captured", cookies });
  await api(apiKey, `/api/handoffs/${created.id}/report`, { event: "completed" });
  return { id: created.id as string, token: created.token as string, link };
}

const deliveriesOf = (handoffId: string) => server.services.db.webhookDelivery.findMany({ where: { handoffId }, orderBy: { auditSeq: "asc" } });

describe("signed events", () => {
  it("sends each lifecycle event, signed so standardwebhooks verifies it, with metadata only", async () => {
    const receiver = pool[0];
    const { agentId, apiKey } = await agentWithWebhook(receiver);
    const handoff = await completeHandoff(apiKey);
    await server.services.webhookWorker.runOnce();

    const mine = receiver.accepted.filter((e) => e.data.handoffId === handoff.id);
    expect(mine.map((e) => e.type)).toEqual([
      "handoff.created",
      "handoff.opened",
      "handoff.approved",
      "handoff.live",
      "handoff.navigation_blocked",
      "handoff.completed",
    ]);
    expect(receiver.received.every((r) => r.status === 204)).toBe(true);
    const completed = mine.at(-1)!;
    expect(completed.data).toMatchObject({
      agentId,
      targetOrigin: TARGET,
      state: "completed",
      endUserRef: "user-7",
      cookies: [{ name: "sid", domain: "127.0.0.1" }],
    });
    expect(completed.data.completedAt).not.toBeNull();
    expect(mine[1].data).toMatchObject({ state: "opened", approvedAt: null });
    expect(mine[4].data.blocked).toEqual({ origin: "https://tracker.test", reason: "site" });
    expect(mine.slice(0, -1).every((e) => e.data.cookies === undefined)).toBe(true);

    const everything = receiver.received.map((r) => r.body + JSON.stringify(r.headers)).join("\n");
    for (const secret of [handoff.token, apiKey, new URL(handoff.link).hash.slice(3), receiver.secret, "/h/"]) expect(everything).not.toContain(secret);
    const rows = await deliveriesOf(handoff.id);
    expect(rows.map((r) => [r.status, r.attempts, r.lastStatusCode])).toEqual(rows.map(() => ["delivered", 1, 204]));
  });

  it("lets a receiver refuse a tampered body, a replayed delivery and an old timestamp", async () => {
    const receiver = pool[1];
    const { apiKey } = await agentWithWebhook(receiver);
    await api(apiKey, "/api/handoffs", { loginUrl: `${TARGET}/login`, reason: "Read statements" });
    await server.services.webhookWorker.runOnce();
    const genuine = receiver.received.at(-1)!;
    expect(genuine.status).toBe(204);

    expect(receiver.verify(genuine.headers, genuine.body.replace('"state":"pending"', '"state":"completed"')).refusal).toMatch(/signature/);
    expect(receiver.verify(genuine.headers, genuine.body)).toMatchObject({ status: 409, refusal: "replayed webhook-id" });

    // Baton's clock ten minutes behind: what it signs now is as old as a captured, replayed request.
    offsetMs = -10 * 60_000;
    try {
      const created = (await api(apiKey, "/api/handoffs", { loginUrl: `${TARGET}/login`, reason: "Read statements" })).json;
      await server.services.webhookWorker.runOnce();
      const stale = receiver.received.at(-1)!;
      expect(stale.refusal).toMatch(/too old/);
      const [row] = await deliveriesOf(created.id);
      expect(row).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 400, lastError: "HTTP 400" });
    } finally {
      offsetMs = 0;
    }
  });

  it("signs with both secrets during a rotation's overlap, then with the new one only", async () => {
    const receiver = pool[4];
    const { agentId, apiKey } = await agentWithWebhook(receiver);
    const old = receiver.secret;
    const { secret: next } = await server.services.webhooks.rotateSecret(agentId, 2);
    try {
      await api(apiKey, "/api/handoffs", { loginUrl: `${TARGET}/login`, reason: "Read statements" });
      await server.services.webhookWorker.runOnce();
      const during = receiver.received.at(-1)!;
      expect(String(during.headers["webhook-signature"]).split(" ")).toHaveLength(2);
      expect(during.status).toBe(204); // a receiver still on the old secret accepts it
      expect(new Webhook(next).verify(during.body, during.headers as Record<string, string>)).toBeTruthy();

      offsetMs = 3_000; // past the overlap
      receiver.secret = next;
      await api(apiKey, "/api/handoffs", { loginUrl: `${TARGET}/login`, reason: "Read statements" });
      await server.services.webhookWorker.runOnce();
      const after = receiver.received.at(-1)!;
      expect(after.status).toBe(204);
      expect(String(after.headers["webhook-signature"]).split(" ")).toHaveLength(1);
      expect(() => new Webhook(old).verify(after.body, after.headers as Record<string, string>)).toThrow(/signature/);
    } finally {
      offsetMs = 0;
    }
  });

  it("connects to the address it checked, not to a second DNS answer", async () => {
    const receiver = pool[4];
    // Only the test's resolver knows this name; the system's DNS would fail, so a delivery that
    // arrives proves the socket used the checked answer.
    dns.set("hooks.internal.test", [{ address: "127.0.0.1", family: 4 }]);
    const { apiKey } = await agentWithWebhook(receiver, `http://hooks.internal.test:${new URL(receiver.origin).port}/in`);
    const created = (await api(apiKey, "/api/handoffs", { loginUrl: `${TARGET}/login`, reason: "Read statements" })).json;
    await server.services.webhookWorker.runOnce();
    expect(receiver.received.at(-1)).toMatchObject({ status: 204, headers: { host: `hooks.internal.test:${new URL(receiver.origin).port}` } });
    expect((await deliveriesOf(created.id))[0].status).toBe("delivered");
  });

  it("never stores the signing secret in clear, and logs none of it", async () => {
    const receiver = await newReceiver();
    receiver.secret = "";
    const agent = await server.createAgent([TARGET]);
    // Not in the allowlist: refused before anything is stored.
    await expect(server.services.webhooks.set(agent.agentId, receiver.url)).rejects.toMatchObject({ code: "WEBHOOK_URL_REFUSED" });
    const { secret } = await server.services.webhooks.set(agent.agentId, pool[0].url);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const rotated = (await server.services.webhooks.rotateSecret(agent.agentId)).secret;
    const files = server.dbFile ? [server.dbFile, `${server.dbFile}-wal`] : [];
    const bytes = Buffer.concat(files.filter(existsSync).map((f) => readFileSync(f)));
    for (const s of [secret!, rotated]) {
      expect(bytes.includes(Buffer.from(s))).toBe(false);
      expect(bytes.includes(Buffer.from(s.slice(6)))).toBe(false);
      expect(server.logLines.join("\n")).not.toContain(s.slice(6, 20));
    }
    expect(await server.services.webhooks.signing(agent.agentId)).toMatchObject({ secrets: [rotated, secret] });
  });
});

describe("sealed secrets", () => {
  it("refuses to sign with a sealed secret copied from another agent's row", async () => {
    const receiver = pool[0];
    const victim = await agentWithWebhook(receiver);
    const other = await server.createAgent([TARGET]);
    await server.services.webhooks.set(other.agentId, pool[1].url);
    const { sealedSecret } = await server.services.db.agentWebhook.findUniqueOrThrow({ where: { agentId: other.agentId } });
    await server.services.db.agentWebhook.update({ where: { agentId: victim.agentId }, data: { sealedSecret } });
    const before = receiver.received.length;
    const created = (await api(victim.apiKey, "/api/handoffs", { loginUrl: `${TARGET}/login`, reason: "Read statements" })).json;
    await server.services.webhookWorker.runOnce();
    expect((await deliveriesOf(created.id))[0]).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: "signing secret unreadable (WEBHOOK_SECRET_KEY changed?)",
    });
    expect(receiver.received.length).toBe(before);
  });
});

describe("retries", () => {
  it("retries a failing receiver with backoff, keeping the webhook-id and re-signing each attempt", async () => {
    const receiver = pool[2];
    const { apiKey } = await agentWithWebhook(receiver);
    receiver.respond = (n) => (n <= 2 ? 503 : "verify");
    const start = receiver.received.length;
    const created = (await api(apiKey, "/api/handoffs", { loginUrl: `${TARGET}/login`, reason: "Read statements" })).json;
    try {
      await server.services.webhookWorker.runOnce();
      let [row] = await deliveriesOf(created.id);
      expect(row).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 503, lastError: "HTTP 503" });
      expect(row.nextAttemptAt!.getTime() - row.lastAttemptAt!.getTime()).toBe(5_000);

      offsetMs = 4_000; // not due yet
      await server.services.webhookWorker.runOnce();
      expect(receiver.received.length - start).toBe(1);

      offsetMs = 5_000;
      await server.services.webhookWorker.runOnce();
      [row] = await deliveriesOf(created.id);
      expect(row).toMatchObject({ status: "pending", attempts: 2, lastStatusCode: 503 });
      expect(row.nextAttemptAt!.getTime() - row.lastAttemptAt!.getTime()).toBe(30_000);

      offsetMs = 35_000;
      await server.services.webhookWorker.runOnce();
      [row] = await deliveriesOf(created.id);
      expect(row).toMatchObject({ status: "delivered", attempts: 3, lastStatusCode: 204, lastError: null, nextAttemptAt: null });
    } finally {
      offsetMs = 0;
      receiver.respond = () => "verify";
    }
    const attempts = receiver.received.slice(start);
    expect(attempts.map((a) => a.status)).toEqual([503, 503, 204]);
    expect(new Set(attempts.map((a) => a.headers["webhook-id"])).size).toBe(1);
    const stamps = attempts.map((a) => Number(a.headers["webhook-timestamp"]));
    expect(stamps[1] - stamps[0]).toBeGreaterThanOrEqual(5);
    expect(stamps[2] - stamps[1]).toBeGreaterThanOrEqual(30);
  });

  it("gives up after 8 attempts, and ends a removed webhook's pending deliveries as failed", async () => {
    const agent = await server.createAgent([TARGET], { maxConcurrent: 5 });
    await server.services.webhooks.set(agent.agentId, pool[2].url);
    pool[2].respond = () => 500;
    try {
      const created = (await api(agent.apiKey, "/api/handoffs", { loginUrl: `${TARGET}/login`, reason: "Read statements" })).json;
      const seen: number[] = [];
      for (let i = 0; i < 8; i++) {
        await server.services.webhookWorker.runOnce();
        const [row] = await deliveriesOf(created.id);
        seen.push(row.attempts);
        if (row.nextAttemptAt) offsetMs = row.nextAttemptAt.getTime() - Date.now() + 50;
      }
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect((await deliveriesOf(created.id))[0]).toMatchObject({ status: "failed", attempts: 8, nextAttemptAt: null, lastError: "HTTP 500" });
    } finally {
      offsetMs = 0;
      pool[2].respond = () => "verify";
    }

    pool[2].respond = () => 503;
    try {
      const second = (await api(agent.apiKey, "/api/handoffs", { loginUrl: `${TARGET}/login`, reason: "Read statements" })).json;
      await server.services.webhookWorker.runOnce();
      await server.services.webhooks.clear(agent.agentId);
      offsetMs = 5_000;
      await server.services.webhookWorker.runOnce();
      expect((await deliveriesOf(second.id))[0]).toMatchObject({ status: "failed", attempts: 2, nextAttemptAt: null, lastError: "webhook removed" });
    } finally {
      offsetMs = 0;
      pool[2].respond = () => "verify";
    }
  });

  it("records a timeout for a receiver that never answers, and keeps the delivery for a retry", async () => {
    const receiver = pool[3];
    const { apiKey } = await agentWithWebhook(receiver);
    receiver.respond = () => "hang";
    try {
      const created = (await api(apiKey, "/api/handoffs", { loginUrl: `${TARGET}/login`, reason: "Read statements" })).json;
      await server.services.webhookWorker.runOnce();
      expect((await deliveriesOf(created.id))[0]).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: null, lastError: "timed out after 2 s" });
    } finally {
      receiver.respond = () => "verify";
    }
  });

  it("does not slow a handoff down while its receiver hangs", async () => {
    // Its own server with a long attempt timeout, so the delivery is surely still hanging at the end.
    const receiver = await newReceiver();
    const slow = await startTestServer({ env: { WEBHOOK_ALLOWED_PRIVATE_ORIGINS: receiver.origin, WEBHOOK_TIMEOUT_SECONDS: "30" } });
    try {
      const agent = await slow.createAgent([TARGET]);
      await slow.services.webhooks.set(agent.agentId, receiver.url);
      receiver.respond = () => "hang";
      const call = async (path: string, body: unknown) => {
        const response = await fetch(`${slow.url}${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${agent.apiKey}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        return { status: response.status, json: await response.json() };
      };
      const created = (await call("/api/handoffs", { loginUrl: `${TARGET}/login`, reason: "Read statements" })).json;
      await receiver.waitForRequests(1); // the first delivery is now stuck in the receiver
      const started = performance.now();
      const phone = new NodePhone(slow.url, `${slow.url}${created.linkPath}#k=${toBase64Url(randomSealKey())}`);
      expect((await phone.claim()).status).toBe(200);
      expect((await phone.decide("approve")).status).toBe(200);
      expect((await call(`/api/handoffs/${created.id}/report`, { event: "live" })).status).toBe(200);
      expect((await call(`/api/handoffs/${created.id}/report`, { event: "cancelled" })).status).toBe(200);
      // The whole lifecycle ran while the first delivery was still waiting for its answer.
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(receiver.received).toHaveLength(1);
      const rows = await slow.services.db.webhookDelivery.findMany({ where: { handoffId: created.id }, orderBy: { auditSeq: "asc" } });
      expect(rows.map((r) => [r.eventType, r.attempts])).toEqual([
        ["handoff.created", 0],
        ["handoff.opened", 0],
        ["handoff.approved", 0],
        ["handoff.live", 0],
        ["handoff.cancelled", 0],
      ]);
    } finally {
      receiver.respond = () => "verify";
      await slow.close();
    }
  });
});

describe("outbound address check", () => {
  it("refuses private, loopback, link-local, metadata and plain-http URLs when they are set", async () => {
    const agent = await server.createAgent([TARGET]);
    dns.set("metadata.test", [{ address: "169.254.169.254", family: 4 }]);
    dns.set("mixed.test", [
      { address: "93.184.216.34", family: 4 },
      { address: "10.1.2.3", family: 4 },
    ]);
    const refusals: [string, string][] = [
      [outsider.url, "scheme"],
      [`https://127.0.0.1:${new URL(outsider.origin).port}/hook`, "private_address"],
      ["https://[::ffff:127.0.0.1]/hook", "private_address"],
      ["https://0x7f000001/hook", "private_address"],
      ["https://10.0.0.8/hook", "private_address"],
      ["https://metadata.test/hook", "private_address"],
      ["https://mixed.test/hook", "private_address"],
      ["https://nowhere.test/hook", "unresolvable"],
      ["http://hooks.example/hook", "scheme"],
      ["https://user:pw@hooks.example/hook", "credentials"],
      ["not a url", "malformed"],
    ];
    for (const [url, reason] of refusals) {
      await expect(server.services.webhooks.set(agent.agentId, url), url).rejects.toMatchObject({ code: "WEBHOOK_URL_REFUSED", details: { reason } });
    }
    expect(await server.services.db.agentWebhook.count({ where: { agentId: agent.agentId } })).toBe(0);
    expect(outsider.received).toHaveLength(0);
  });

  it("refuses at delivery time an address that is no longer allowed or now resolves privately", async () => {
    dns.set("hooks.rebind.test", [{ address: "93.184.216.34", family: 4 }]);
    const agent = await server.createAgent([TARGET], { maxConcurrent: 20 });
    await server.services.webhooks.set(agent.agentId, "https://hooks.rebind.test/in");
    // The name now answers with loopback (DNS rebinding).
    dns.set("hooks.rebind.test", [{ address: "127.0.0.1", family: 4 }]);
    const first = (await api(agent.apiKey, "/api/handoffs", { loginUrl: `${TARGET}/login`, reason: "Read statements" })).json;
    await server.services.webhookWorker.runOnce();
    expect((await deliveriesOf(first.id))[0]).toMatchObject({ status: "pending", attempts: 1, lastError: "address refused (private address)" });

    // A URL stored under an earlier allowlist, pointing at a loopback receiver no longer allowed.
    await server.services.db.agentWebhook.update({ where: { agentId: agent.agentId }, data: { url: outsider.url.replace("http:", "https:") } });
    const second = (await api(agent.apiKey, "/api/handoffs", { loginUrl: `${TARGET}/login`, reason: "Read statements" })).json;
    await server.services.webhookWorker.runOnce();
    expect((await deliveriesOf(second.id))[0]).toMatchObject({ attempts: 1, lastError: "address refused (private address)" });
    expect(outsider.received).toHaveLength(0);
  });

  it("counts a name that never resolves as a failed attempt once the attempt timeout passes", async () => {
    dns.set("hooks.slowdns.test", [{ address: "93.184.216.34", family: 4 }]);
    const agent = await server.createAgent([TARGET]);
    await server.services.webhooks.set(agent.agentId, "https://hooks.slowdns.test/in");
    hangingNames.add("hooks.slowdns.test");
    const created = (await api(agent.apiKey, "/api/handoffs", { loginUrl: `${TARGET}/login`, reason: "Read statements" })).json;
    await server.services.webhookWorker.runOnce();
    expect((await deliveriesOf(created.id))[0]).toMatchObject({ status: "pending", attempts: 1, lastError: "name did not resolve" });
  });
});

describe("from the dashboard", () => {
  it("sets a webhook with a new agent, shows its secret once, lists the URL only, and shows deliveries on the handoff", async () => {
    await server.services.operators.create({ email: "hooks@example.com", password: "canary-operator-pw-Wh1" });
    const op = new OperatorClient(server.url);
    expect((await op.signIn("hooks@example.com", "canary-operator-pw-Wh1")).status).toBe(200);
    const receiver = pool[0];

    const refused = await op.post("/api/dashboard/agents", { name: "Hooked", origins: [TARGET], webhookUrl: outsider.url });
    expect(refused).toMatchObject({ status: 400, json: { error: { code: "WEBHOOK_URL_REFUSED" } } });
    expect(refused.text).not.toContain(outsider.url);
    expect((await op.get("/api/dashboard/agents")).json.agents.some((a: { name: string }) => a.name === "Hooked")).toBe(false);

    const created = await op.post("/api/dashboard/agents", { name: "Hooked", origins: [TARGET], maxConcurrent: 5, webhookUrl: receiver.url });
    expect(created.status).toBe(201);
    const secret = created.json.webhookSecret as string;
    expect(secret).toMatch(/^whsec_/);
    receiver.secret = secret;
    const listed = await op.get("/api/dashboard/agents");
    expect(listed.json.agents.find((a: { id: string }) => a.id === created.json.agentId).webhookUrl).toBe(receiver.url);
    expect(listed.text).not.toContain(secret.slice(6));

    const handoff = (await api(created.json.apiKey, "/api/handoffs", { loginUrl: `${TARGET}/login`, reason: "Read statements" })).json;
    await server.services.webhookWorker.runOnce();
    const detail = await op.get(`/api/dashboard/handoffs/${handoff.id}`);
    expect(detail.json.webhookDeliveries).toEqual([
      expect.objectContaining({ eventType: "handoff.created", status: "delivered", attempts: 1, maxAttempts: 8, lastStatusCode: 204, lastError: null }),
    ]);

    const unchanged = await op.post(`/api/dashboard/agents/${created.json.agentId}/scope`, { maxConcurrent: 6, webhookUrl: receiver.url });
    expect(unchanged.json).toEqual({ ok: true, webhookSecret: null });
    const rotated = await op.post(`/api/dashboard/agents/${created.json.agentId}/webhook/rotate`, {});
    expect(rotated.json.webhookSecret).toMatch(/^whsec_/);
    expect(rotated.json.webhookSecret).not.toBe(secret);
    const cleared = await op.post(`/api/dashboard/agents/${created.json.agentId}/scope`, { webhookUrl: null });
    expect(cleared.json).toEqual({ ok: true, webhookSecret: null });
    expect(await server.services.db.agentWebhook.count({ where: { agentId: created.json.agentId } })).toBe(0);
    const actions = (
      await server.services.db.auditEvent.findMany({
        where: { agentId: created.json.agentId, action: { startsWith: "agent.webhook" } },
        orderBy: { seq: "asc" },
      })
    ).map((e) => e.action);
    expect(actions).toEqual(["agent.webhook_set", "agent.webhook_secret_rotated", "agent.webhook_cleared"]);
  });
});

describe("across a restart", () => {
  it("loses nothing: a pending retry and an event committed while no worker ran are both sent after the restart", async () => {
    const receiver = await newReceiver();
    const dir = mkdtempSync(path.join(tmpdir(), "baton-webhooks-"));
    let shift = 0;
    const restartClock = { now: () => new Date(Date.now() + shift) };
    const env = { DATABASE_URL: `file:${path.join(dir, "baton.db")}`, WEBHOOK_ALLOWED_PRIVATE_ORIGINS: receiver.origin };
    const first = await startTestServer({ clock: restartClock, env });
    const agent = await first.createAgent([TARGET], { maxConcurrent: 5 });
    receiver.secret = (await first.services.webhooks.set(agent.agentId, receiver.url)).secret ?? "";
    receiver.respond = () => 503;
    const create = async (on: TestServer) => {
      const response = await fetch(`${on.url}/api/handoffs`, {
        method: "POST",
        headers: { authorization: `Bearer ${agent.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ loginUrl: `${TARGET}/login`, reason: "Read statements" }),
      });
      return ((await response.json()) as { id: string }).id;
    };
    const retried = await create(first);
    await first.services.webhookWorker.runOnce();
    await first.services.webhookWorker.stop();
    const unsent = await create(first);
    expect(await first.services.db.webhookDelivery.count({ where: { handoffId: unsent } })).toBe(0);
    await first.close();

    receiver.respond = () => "verify";
    shift = 5_000;
    const second = await startTestServer({ clock: restartClock, env });
    try {
      await second.services.webhookWorker.runOnce();
      expect(receiver.accepted.map((e) => [e.type, e.data.handoffId])).toEqual([
        ["handoff.created", retried],
        ["handoff.created", unsent],
      ]);
      const rows = await second.services.db.webhookDelivery.findMany({ orderBy: { auditSeq: "asc" } });
      expect(rows.map((r) => [r.handoffId, r.status, r.attempts])).toEqual([
        [retried, "delivered", 2],
        [unsent, "delivered", 1],
      ]);
    } finally {
      await second.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
