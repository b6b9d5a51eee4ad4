/**
 * Hostile input: each case gets a clear refusal, nothing is lost, and the server keeps serving
 * others. Servers here use small limits and a clock the tests move.
 */
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "../../lib/audit/verify-chain";
import { randomSealKey } from "../../lib/crypto/seal";
import { toBase64Url } from "../../lib/crypto/base64url";
import { NodePhone } from "../helpers/node-phone";
import { startTestServer, type TestServer } from "../helpers/test-server";

const TARGET = "http://127.0.0.1:4997";
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
let server: TestServer;
let apiKey: string;

async function api(path: string, init: { method?: string; key?: string; body?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(new URL(path, server.url), {
    method: init.method ?? (init.body !== undefined ? "POST" : "GET"),
    headers: { ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...init.headers },
    body: init.body,
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as any };
}

async function handoff(key = apiKey, reason = "Read statements") {
  const created = await api("/api/handoffs", { key, body: JSON.stringify({ loginUrl: `${TARGET}/login`, reason }) });
  expect(created.status).toBe(201);
  return { ...created.json, link: `${server.url}${created.json.linkPath}#k=${toBase64Url(randomSealKey())}` } as { id: string; token: string; link: string };
}

async function livePhone(key = apiKey) {
  const h = await handoff(key);
  const phone = new NodePhone(server.url, h.link);
  await phone.claim();
  await phone.decide("approve");
  await phone.connect(h.id);
  return { h, phone };
}

function agentSocket(handoffId: string, key = apiKey, extra: Record<string, unknown> = {}): Socket {
  return io(server.url, { transports: ["websocket"], reconnection: false, auth: { role: "agent", protocolVersion: 1, handoffId, apiKey: key, ...extra } });
}

const connectError = (socket: Socket) => new Promise<string>((resolve) => socket.once("connect_error", (e) => resolve(e.message)));
const disconnected = (socket: Socket) => new Promise<void>((resolve) => socket.once("disconnect", () => resolve()));

beforeAll(async () => {
  server = await startTestServer({ clock, env: { RATE_CREATES_PER_MINUTE: "40", RATE_CLAIMS_PER_MINUTE: "60", RATE_INPUT_PER_SECOND: "50" } });
  apiKey = (await server.createAgent([TARGET], { maxConcurrent: 40 })).apiKey;
});
afterAll(async () => server?.close());

describe("hostile HTTP input", () => {
  it("refuses a body over 16 KB with 413", async () => {
    const r = await api("/api/handoffs", { key: apiKey, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x".repeat(20_000) }) });
    expect(r).toMatchObject({ status: 413, json: { error: { code: "PAYLOAD_TOO_LARGE" } } });
  });

  it("refuses a body that is not JSON, and a JSON body without the JSON content type", async () => {
    expect((await api("/api/handoffs", { key: apiKey, body: "{not json" })).json.error.code).toBe("BAD_REQUEST");
    const plain = await api("/api/handoffs", { key: apiKey, method: "POST", body: "{}", headers: { "content-type": "text/plain" } });
    expect(plain.status).toBe(415);
  });

  it("answers unknown routes with 404 JSON and wrong methods with 405", async () => {
    expect((await api("/api/nope")).status).toBe(404);
    expect((await api("/api/handoffs", { method: "DELETE", key: apiKey })).status).toBe(405);
  });

  it("treats malformed handoff ids and swapped ids as not found", async () => {
    expect((await api("/api/handoffs/../../etc", { key: apiKey })).status).toBe(404);
    const other = (await server.createAgent([TARGET])).apiKey;
    const mine = await handoff();
    expect((await api(`/api/handoffs/${mine.id}/report`, { key: other, body: JSON.stringify({ event: "cancelled" }) })).status).toBe(404);
  });

  it("refuses agent text with control characters, ANSI escapes, bidi overrides or excessive length", async () => {
    for (const reason of ["line\u0007bell", "\u001b[31mred", "pay \u202Eevil", "x".repeat(281)]) {
      const r = await api("/api/handoffs", { key: apiKey, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason }) });
      expect(r.status, JSON.stringify(reason)).toBe(400);
    }
  });

  it("stores markup in agent text as data, byte for byte", async () => {
    const reason = `<script>alert("x")</script> & "quotes"\nnext line`;
    const h = await handoff(apiKey, reason);
    expect((await server.services.db.handoff.findUniqueOrThrow({ where: { id: h.id } })).reason).toBe(reason);
  });

  it("reads a tampered device cookie as no device: a fresh session, never a 500", async () => {
    const h = await handoff();
    const phone = new NodePhone(server.url, h.link);
    phone.cookie = "baton-device=Fe26.2**tampered**seal";
    const claimed = await phone.claim();
    expect(claimed.status).toBe(200);
    expect(phone.cookie).not.toContain("tampered");
  });

  it("caps concurrent handoffs per agent with 429", async () => {
    const small = (await server.createAgent([TARGET], { maxConcurrent: 1 })).apiKey;
    await handoff(small);
    const refused = await api("/api/handoffs", { key: small, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x" }) });
    expect(refused).toMatchObject({ status: 429, json: { error: { code: "TOO_MANY_HANDOFFS" } } });
  });
});

describe("hostile socket input", () => {
  it("refuses a hello without the protocol version, and a foreign Origin at the handshake", async () => {
    const h = await handoff();
    const noVersion = io(server.url, { transports: ["websocket"], reconnection: false, auth: { role: "agent", handoffId: h.id, apiKey } });
    expect(await connectError(noVersion)).toBe("bad_hello");
    noVersion.close();
    const foreign = io(server.url, { transports: ["websocket"], reconnection: false, extraHeaders: { origin: "https://evil.test" }, auth: { role: "agent", protocolVersion: 1, handoffId: h.id, apiKey } });
    expect(await connectError(foreign)).toMatch(/websocket error|xhr poll error|Unexpected server response/i);
    foreign.close();
  });

  it("refuses a phone whose device is bound to another handoff", async () => {
    const { phone } = await livePhone();
    const other = await handoff();
    const swapped = new NodePhone(server.url, other.link);
    swapped.cookie = phone.cookie;
    await expect(swapped.connect(other.id)).rejects.toThrow("forbidden");
    phone.close();
  });

  it("refuses an agent socket for another agent's handoff", async () => {
    const other = (await server.createAgent([TARGET])).apiKey;
    const h = await handoff();
    const socket = agentSocket(h.id, other);
    expect(await connectError(socket)).toBe("unauthenticated");
    socket.close();
  });

  it("drops stream data that is not binary, has the wrong direction, is oversized, or comes before approval", async () => {
    const { h, phone } = await livePhone();
    const agent = agentSocket(h.id);
    await new Promise<void>((r) => agent.once("connect", () => r()));
    const received: Uint8Array[] = [];
    agent.on("stream:data", (p: Uint8Array) => received.push(p));
    phone.socket!.emit("stream:data", "not binary");
    phone.socket!.emit("stream:data", new Uint8Array(64).fill(1)); // direction 1 is the worker's
    phone.socket!.emit("stream:data", new Uint8Array(9000).fill(2)); // over 8 KB of input
    phone.socket!.emit("stream:data", new Uint8Array(64).fill(2)); // well-formed framing: relayed
    await phone.waitFor(() => received.length > 0, 3000, "the one valid envelope");
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toHaveLength(1);
    const refusals = await server.services.db.auditEvent.count({ where: { handoffId: h.id, action: "stream.refused" } });
    expect(refusals).toBeGreaterThanOrEqual(1);
    agent.close();
    phone.close();

    const early = await handoff();
    const earlyPhone = new NodePhone(server.url, early.link);
    await earlyPhone.claim();
    await earlyPhone.connect(early.id);
    const earlyAgent = agentSocket(early.id);
    const got: unknown[] = [];
    earlyAgent.on("stream:data", (p) => got.push(p));
    await new Promise<void>((r) => earlyAgent.once("connect", () => r()));
    earlyPhone.socket!.emit("stream:data", new Uint8Array(64).fill(2));
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toHaveLength(0); // opened, not approved: nothing streams yet
    earlyAgent.close();
    earlyPhone.close();
  });

  it("disconnects a socket for unknown events in bulk, and one flooding input (10,000 a second)", async () => {
    const { h, phone } = await livePhone();
    const gone = disconnected(phone.socket!);
    for (let i = 0; i < 10_000; i++) phone.socket!.emit("stream:data", new Uint8Array(40).fill(2));
    await gone;
    const audit = await server.services.db.auditEvent.findFirst({ where: { handoffId: h.id, action: "stream.refused", reason: "rate_limited" } });
    expect(audit?.decision).toBe("deny");

    const unknown = await livePhone();
    const closed = disconnected(unknown.phone.socket!);
    for (let i = 0; i < 60; i++) unknown.phone.socket!.emit("admin:approve", { all: true });
    await closed;
    // …and the server still serves everyone else.
    expect((await handoff()).token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe("expiry, revocation and rotation", () => {
  it("expires an unclaimed link after its TTL, and the link then reads as invalid", async () => {
    const created = await api("/api/handoffs", { key: apiKey, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x", ttlSeconds: 30 }) });
    offsetMs += 31_000;
    await new Promise((r) => setTimeout(r, 500));
    const row = await server.services.db.handoff.findUniqueOrThrow({ where: { id: created.json.id } });
    expect(row).toMatchObject({ state: "expired", endReason: "link_ttl" });
    const phone = new NodePhone(server.url, `${server.url}${created.json.linkPath}#k=x`);
    expect((await phone.claim()).status).toBe(410);
  });

  it("caps a live session's length after approval", async () => {
    const { h, phone } = await livePhone();
    offsetMs += 901_000;
    await phone.waitFor(() => phone.states.includes("expired"), 3000, "expired state");
    expect((await server.services.db.handoff.findUniqueOrThrow({ where: { id: h.id } })).endReason).toBe("session_cap");
  });

  it("ends a revoked agent's live handoffs at once: state failed, sockets closed, key refused", async () => {
    const victim = await server.createAgent([TARGET]);
    const { h, phone } = await livePhone(victim.apiKey);
    const agent = agentSocket(h.id, victim.apiKey);
    await new Promise<void>((r) => agent.once("connect", () => r()));
    const agentGone = disconnected(agent);
    await server.services.agents.revoke(victim.agentId);
    await agentGone;
    expect((await server.services.db.handoff.findUniqueOrThrow({ where: { id: h.id } })).endReason).toBe("agent_revoked");
    expect((await api("/api/handoffs", { key: victim.apiKey, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x" }) })).status).toBe(401);
    phone.close();
  });

  it("keeps a rotated key working for the overlap window, then refuses it", async () => {
    const agent = await server.createAgent([TARGET]);
    const rotated = await server.services.agents.rotate(agent.agentId, 60);
    const create = (key: string) => api("/api/handoffs", { key, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x" }) });
    expect((await create(agent.apiKey)).status).toBe(201);
    expect((await create(rotated.apiKey)).status).toBe(201);
    offsetMs += 61_000;
    expect((await create(agent.apiKey)).status).toBe(401);
    expect((await create(rotated.apiKey)).status).toBe(201);
  });
});

describe("rate limits", () => {
  it("answers too many creates with 429 and an audit row", async () => {
    const agent = await server.createAgent([TARGET], { maxConcurrent: 100 });
    const results = [];
    for (let i = 0; i < 45; i++) results.push((await api("/api/handoffs", { key: agent.apiKey, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x" }) })).status);
    expect(results.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(await server.services.db.auditEvent.count({ where: { agentId: agent.agentId, reason: "rate_limited" } })).toBeGreaterThan(0);
  });
});

describe("audit tampering", () => {
  it("is found by the verifier: an edited, a deleted and a reordered row", async () => {
    const db = server.services.db;
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
