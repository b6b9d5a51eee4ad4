/**
 * Hostile input: each case gets a clear refusal, nothing is lost, and the server keeps serving
 * others. Servers here use small limits and a clock the tests move.
 */
import { PROTOCOL_VERSION } from "../../lib/protocol/version";
import { randomBytes } from "node:crypto";
import { sealData, unsealData } from "iron-session";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { exportAudit } from "../../lib/audit/export-audit";
import { verifyChain } from "../../lib/audit/verify-chain";
import { sha256Hex } from "../../lib/auth/secrets";
import { Direction, randomSealKey } from "../../lib/crypto/seal";
import { toBase64Url } from "../../lib/crypto/base64url";
import { deviceCookieName } from "../../lib/server/phone-session";
import { MAX_FRAME_BYTES } from "../../lib/server/relay.socket";
import { connectAgentPeer } from "../helpers/agent-peer";
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
    headers: {
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
      ...init.headers,
    },
    body: init.body,
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) };
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
  return io(server.url, {
    transports: ["websocket"],
    reconnection: false,
    auth: { role: "agent", protocolVersion: PROTOCOL_VERSION, handoffId, apiKey: key, ...extra },
  });
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
    const foreign = io(server.url, {
      transports: ["websocket"],
      reconnection: false,
      extraHeaders: { origin: "https://evil.test" },
      auth: { role: "agent", protocolVersion: PROTOCOL_VERSION, handoffId: h.id, apiKey },
    });
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
    for (let i = 0; i < 45; i++)
      results.push((await api("/api/handoffs", { key: agent.apiKey, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x" }) })).status);
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

// ---- added cases: each names the protection it proves ------------------------------------------

/** A fresh agent per case, so its create rate and concurrency are its own. */
const freshAgent = (origins = [TARGET], extra: { maxConcurrent?: number; maxTtlSeconds?: number } = {}) =>
  server.createAgent(origins, { maxConcurrent: 20, ...extra });
const connected = (socket: Socket) =>
  new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (e) => reject(e));
  });
const row = (id: string) => server.services.db.handoff.findUniqueOrThrow({ where: { id } });
const auditCount = (handoffId: string) => server.services.db.auditEvent.count({ where: { handoffId } });

describe("claim floods", () => {
  it("answers claims from one IP past RATE_CLAIMS_PER_MINUTE with 429 JSON and an audit row, and keeps serving others", async () => {
    const small = await startTestServer({ env: { RATE_CLAIMS_PER_MINUTE: "3", TRUST_PROXY: "1" } });
    try {
      const agent = await small.createAgent([TARGET], { maxConcurrent: 10 });
      const create = async () => {
        const r = await fetch(new URL("/api/handoffs", small.url), {
          method: "POST",
          headers: { authorization: `Bearer ${agent.apiKey}`, "content-type": "application/json" },
          body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x" }),
        });
        return { status: r.status, json: (await r.json()) as { id: string; token: string } };
      };
      const claimFrom = async (ip: string, token: string) => {
        const r = await fetch(new URL(`/api/link/${token}/claim`, small.url), {
          method: "POST",
          headers: { "content-type": "application/json", origin: small.url, "x-forwarded-for": ip },
          body: "{}",
        });
        return { status: r.status, retryAfter: r.headers.get("retry-after"), json: await r.json() };
      };
      const links = [];
      for (let i = 0; i < 5; i++) links.push((await create()).json);
      const answers = [];
      for (const link of links) answers.push(await claimFrom("198.51.100.7", link.token));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
      expect(answers[3]).toMatchObject({ retryAfter: "60", json: { error: { code: "RATE_LIMITED", message: "Too many requests; slow down." } } });
      // Refusals before any authentication are counted per address: one row with the count.
      await small.services.failures.flushAll();
      const refused = await small.services.db.auditEvent.findMany({ where: { action: "auth.failures" } });
      expect(refused.map((r) => [r.decision, JSON.parse(r.details).address, JSON.parse(r.details).reasons])).toEqual([
        ["deny", "198.51.100.7", { claim_rate_limited: 2 }],
      ]);
      // A refused claim bound nothing…
      expect((await small.services.db.handoff.findUniqueOrThrow({ where: { id: links[3].id } })).state).toBe("pending");
      // …another address is still served, and so is the agent API.
      expect((await claimFrom("198.51.100.8", links[3].token)).status).toBe(200);
      expect((await create()).status).toBe(201);
    } finally {
      await small.close();
    }
  });
});

describe("socket origin and frame size", () => {
  it("refuses a phone socket that sends no Origin (which allowRequest lets through) with origin_not_allowed", async () => {
    const agent = await freshAgent();
    const { h, phone } = await livePhone(agent.apiKey);
    phone.close();
    const auth = { role: "phone", protocolVersion: PROTOCOL_VERSION, handoffId: h.id };
    const bare = io(server.url, { transports: ["websocket"], reconnection: false, auth, extraHeaders: { cookie: phone.cookie } });
    expect(await connectError(bare)).toBe("origin_not_allowed");
    bare.close();
    // The same device cookie from Baton's own Origin is let in: the Origin was the only thing wrong.
    const right = io(server.url, { transports: ["websocket"], reconnection: false, auth, extraHeaders: { cookie: phone.cookie, origin: server.url } });
    await connected(right);
    right.close();
  });

  it("refuses an agent frame over MAX_FRAME_BYTES without forwarding it, audits stream.refused, and delivers later frames", async () => {
    const agent = await freshAgent();
    const { h, phone } = await livePhone(agent.apiKey);
    const peer = await connectAgentPeer(server.url, h.id, h.link, agent.apiKey);
    const sizes: number[] = [];
    phone.socket!.on("stream:data", (p: Uint8Array) => sizes.push(p.byteLength));
    const oversized = new Uint8Array(MAX_FRAME_BYTES + 1).fill(7);
    oversized[0] = Direction.toPhone; // well framed, only too big
    peer.socket.emit("stream:data", oversized);
    await peer.sendFrame(1);
    await peer.sendFrame(2);
    await phone.waitFor(() => phone.frames.length >= 2, 5000, "the two valid frames");
    expect(phone.frames.map((f) => f.seq)).toEqual([1, 2]);
    expect(Math.max(...sizes)).toBeLessThan(1024);
    const audit = await server.services.db.auditEvent.findFirst({ where: { handoffId: h.id, action: "stream.refused" } });
    expect(audit).toMatchObject({ actor: "agent", decision: "deny", reason: "too_large" });
    expect(peer.socket.connected).toBe(true);
    peer.close();
    phone.close();
  });
});

describe("hostile reports and swapped ids", () => {
  it("refuses a report body over 128 KB with 413 and leaves the handoff and its audit untouched", async () => {
    const agent = await freshAgent();
    const { h, phone } = await livePhone(agent.apiKey);
    expect((await api(`/api/handoffs/${h.id}/report`, { key: agent.apiKey, body: JSON.stringify({ event: "live" }) })).status).toBe(200);
    const before = await row(h.id);
    const auditBefore = await auditCount(h.id);
    // Well-formed by the schema (150 cookies, paths under 1024), only too big.
    const cookies = Array.from({ length: 150 }, (_, i) => ({
      name: `c${i}`,
      domain: "127.0.0.1",
      path: `/${"p".repeat(1000)}`,
      expires: -1,
      httpOnly: true,
      secure: false,
      sameSite: "Lax",
    }));
    const body = JSON.stringify({ event: "captured", cookies });
    expect(body.length).toBeGreaterThan(128 * 1024);
    const refused = await api(`/api/handoffs/${h.id}/report`, { key: agent.apiKey, body });
    expect(refused).toMatchObject({ status: 413, json: { error: { code: "PAYLOAD_TOO_LARGE" } } });
    expect(await row(h.id)).toEqual(before);
    expect(await auditCount(h.id)).toBe(auditBefore);
    phone.close();
  });

  it("refuses a failure report whose reason carries control or bidi characters (it becomes the end reason the phone sees)", async () => {
    const agent = await freshAgent();
    const h = await handoff(agent.apiKey);
    for (const reason of ["worker\u001b[2Jerror", "ok\u202Edeliated", "x\u0000y", "r".repeat(201)]) {
      const r = await api(`/api/handoffs/${h.id}/report`, { key: agent.apiKey, body: JSON.stringify({ event: "failed", reason }) });
      expect(r.status, JSON.stringify(reason)).toBe(400);
      expect(r.json.error.details.issues.map((i: { path: string }) => i.path)).toEqual(["reason"]);
    }
    expect(await row(h.id)).toMatchObject({ state: "pending", endReason: null });
    expect((await api(`/api/handoffs/${h.id}/report`, { key: agent.apiKey, body: JSON.stringify({ event: "failed", reason: "worker_error" }) })).status).toBe(
      200,
    );
  });

  it("answers agent A polling, reporting or flagging agent B's handoff exactly like an unknown id, and changes nothing", async () => {
    const a = await freshAgent();
    const b = await freshAgent();
    const theirs = await handoff(b.apiKey);
    const unknownId = "hnd_AAAAAAAAAAAAAAAA";
    const before = await row(theirs.id);
    const auditBefore = await auditCount(theirs.id);
    const probes = [
      (id: string) => api(`/api/handoffs/${id}`, { key: a.apiKey }),
      (id: string) => api(`/api/handoffs/${id}/report`, { key: a.apiKey, body: JSON.stringify({ event: "failed", reason: "x" }) }),
      (id: string) =>
        api(`/api/handoffs/${id}/blocked`, { key: a.apiKey, body: JSON.stringify({ origin: "https://evil.test", reason: "site", isNavigation: true }) }),
    ];
    for (const probe of probes) {
      const swapped = await probe(theirs.id);
      expect(swapped.status).toBe(404);
      expect(swapped).toEqual(await probe(unknownId));
    }
    expect(await row(theirs.id)).toEqual(before);
    expect(await auditCount(theirs.id)).toBe(auditBefore);
    // A's poll did not spend B's poll interval either.
    expect((await api(`/api/handoffs/${theirs.id}`, { key: b.apiKey })).status).toBe(200);
  });

  it("gives the agent's own API key no power on the phone's claim and decision endpoints", async () => {
    const agent = await freshAgent();
    const h = await handoff(agent.apiKey);
    const asAgent = async (path: string, body: unknown, origin?: string) => {
      const r = await fetch(new URL(path, server.url), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${agent.apiKey}`, ...(origin ? { origin } : {}) },
        body: JSON.stringify(body),
      });
      return { status: r.status, json: await r.json() };
    };
    // Before any device: the key is not a device.
    expect((await asAgent(`/api/link/${h.token}/decision`, { decision: "approve" }, server.url)).status).toBe(403);
    const phone = new NodePhone(server.url, h.link);
    await phone.claim();
    // As a server-side client sends it (no Origin), and as a browser page would (same Origin).
    expect((await asAgent(`/api/link/${h.token}/decision`, { decision: "approve" })).json.error.code).toBe("CROSS_SITE_REQUEST");
    expect((await asAgent(`/api/link/${h.token}/decision`, { decision: "approve" }, server.url)).json.error.code).toBe("FORBIDDEN");
    expect((await asAgent(`/api/link/${h.token}/claim`, {}, server.url)).json.error.code).toBe("LINK_IN_USE");
    expect(await row(h.id)).toMatchObject({ state: "opened", approvedAt: null });
  });
});

describe("forged device seals", () => {
  it("reads a seal made with another password, an expired seal and garbage as no device: 403 on decide, a new device on claim", async () => {
    const agent = await freshAgent();
    const h = await handoff(agent.apiKey);
    const phone = new NodePhone(server.url, h.link);
    await phone.claim();
    const { passwords, ttlSeconds } = server.services.phoneSession;
    const name = deviceCookieName(false);
    const realSeal = decodeURIComponent(phone.cookie.slice(name.length + 1));
    const { deviceId } = await unsealData<{ deviceId: string }>(realSeal, { password: passwords, ttl: ttlSeconds });
    expect(deviceId).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The bound device's own id, sealed by someone without this server's password…
    const otherServer = await sealData({ deviceId }, { password: { "1": randomBytes(32).toString("base64url") }, ttl: ttlSeconds });
    // …with this server's password, but three hours ago for a minute (iron's expiry is read from Date.now at seal time).
    const spy = vi.spyOn(Date, "now").mockReturnValue(Date.now() - 3 * 3600_000);
    const sealing = sealData({ deviceId }, { password: passwords, ttl: 60 });
    spy.mockRestore();
    const expired = await sealing;
    const forged = { otherServer, expired, garbage: `Fe26.2*1*${"A".repeat(43)}*${"B".repeat(22)}*${"C".repeat(43)}**~2` };

    for (const [kind, seal] of Object.entries(forged)) {
      const impostor = new NodePhone(server.url, h.link);
      impostor.cookie = `${name}=${encodeURIComponent(seal)}`;
      const decided = await impostor.decide("approve");
      expect(decided.status, kind).toBe(403);
      const socket = io(server.url, {
        transports: ["websocket"],
        reconnection: false,
        auth: { role: "phone", protocolVersion: PROTOCOL_VERSION, handoffId: h.id },
        extraHeaders: { cookie: `${name}=${encodeURIComponent(seal)}`, origin: server.url },
      });
      expect(await connectError(socket), kind).toBe("forbidden");
      socket.close();
    }
    expect(await row(h.id)).toMatchObject({ state: "opened", approvedAt: null });

    // Claiming a fresh link with the foreign seal binds a new device, not the stolen id.
    const fresh = await handoff(agent.apiKey);
    const claimant = new NodePhone(server.url, fresh.link);
    claimant.cookie = `${name}=${encodeURIComponent(otherServer)}`;
    expect((await claimant.claim()).status).toBe(200);
    const bound = await row(fresh.id);
    expect(bound.deviceHash).not.toBe(sha256Hex(deviceId));
    expect(claimant.cookie).not.toContain(encodeURIComponent(otherServer));

    // Control: the same id sealed with this server's password is the bound device.
    const genuine = new NodePhone(server.url, h.link);
    genuine.cookie = `${name}=${encodeURIComponent(await sealData({ deviceId }, { password: passwords, ttl: ttlSeconds }))}`;
    expect((await genuine.decide("approve")).status).toBe(200);
  });
});

describe("hostile agent strings at create", () => {
  it("refuses control characters, bidi overrides and overlong text in endUserRef with 400 naming the field, storing nothing", async () => {
    const agent = await freshAgent();
    for (const endUserRef of ["user\u0000id", "ref\u001b[2Jclear", "ref\u202Efdp.exe", "ref\u2066isolate", "ref\r\nInjected: yes", "u".repeat(129)]) {
      const r = await api("/api/handoffs", { key: agent.apiKey, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x", endUserRef }) });
      expect(r.status, JSON.stringify(endUserRef)).toBe(400);
      expect(r.json.error.details.issues.map((i: { path: string }) => i.path)).toEqual(["endUserRef"]);
    }
    expect(await server.services.db.handoff.count({ where: { agentId: agent.agentId } })).toBe(0);
  });

  it("refuses identity providers that are not bare host names, in the agent's scope and in a request (400 naming the field)", async () => {
    const hostile = ["evil.test/../x", "javascript:", "https://idp.test/path", "idp.test:443", "idp.test?x=1", "user@idp.test"];
    // Neither an agent's scope nor a handoff request takes them.
    for (const site of hostile) {
      await expect(server.services.agents.create({ name: "Scoped agent", origins: [TARGET], identityProviders: [site] }), site).rejects.toThrow(
        /registrable domain/,
      );
    }
    const agent = await server.services.agents.create({ name: "Scoped agent", origins: [TARGET], identityProviders: ["idp.test"], maxConcurrent: 5 });
    for (const site of hostile) {
      const r = await api("/api/handoffs", { key: agent.apiKey, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x", identityProviders: [site] }) });
      expect(r.status, site).toBe(400);
      expect(r.json.error.details.issues.map((i: { path: string }) => i.path)).toEqual(["identityProviders.0"]);
    }
    expect(await server.services.db.handoff.count({ where: { agentId: agent.agentId } })).toBe(0);
  });

  it("refuses misleading target origins for an agent allowed only https://bank.test", async () => {
    const agent = await freshAgent(["https://bank.test"]);
    const misleading = [
      "https://bank.test@evil.test/login", // userinfo: really evil.test
      "https://bank.test.evil.test/login", // a subdomain of evil.test
      "https://evil.test/bank.test/login", // the name in the path
      "https://xn--bnk-sna.test/login", // punycode look-alike
      "https://b\u0430nk.test/login", // Cyrillic a, which the URL parser turns into punycode
      "http://bank.test/login", // downgrade to http
      "https://bank.test:8443/login", // another port
      "https://bank.test./login", // trailing dot: a different origin string
    ];
    for (const loginUrl of misleading) {
      const r = await api("/api/handoffs", { key: agent.apiKey, body: JSON.stringify({ loginUrl, reason: "x" }) });
      expect([400, 403], loginUrl).toContain(r.status);
      expect(["ORIGIN_NOT_ALLOWED", "BAD_REQUEST"], loginUrl).toContain(r.json.error.code);
    }
    expect(await server.services.db.handoff.count({ where: { agentId: agent.agentId } })).toBe(0);
    // Control: the allowed origin itself (default port spelled out) is accepted.
    expect((await api("/api/handoffs", { key: agent.apiKey, body: JSON.stringify({ loginUrl: "https://bank.test:443/login", reason: "x" }) })).status).toBe(
      201,
    );
  });
});

describe("used links", () => {
  it("answers a claim of a completed link like an unknown one, and audits it (reuse from another device, refusal from the same)", async () => {
    const agent = await freshAgent();
    const { h, phone } = await livePhone(agent.apiKey);
    phone.close();
    for (const body of [{ event: "live" }, { event: "captured", cookies: [] }, { event: "completed" }]) {
      expect((await api(`/api/handoffs/${h.id}/report`, { key: agent.apiKey, body: JSON.stringify(body) })).status).toBe(200);
    }
    const unknown = await new NodePhone(server.url, `${server.url}/h/${"Q".repeat(43)}#k=x`).claim();
    const stranger = await new NodePhone(server.url, h.link).claim();
    const sameDevice = await phone.claim();
    for (const answer of [stranger, sameDevice]) expect(answer).toEqual(unknown);
    expect(unknown).toMatchObject({ status: 410, json: { error: { code: "LINK_INVALID" } } });

    const audits = await server.services.db.auditEvent.findMany({
      where: { handoffId: h.id, action: { in: ["link.reuse_detected", "link.claim_refused"] } },
      orderBy: { seq: "asc" },
    });
    expect(audits.map((a) => [a.action, a.reason, a.decision])).toEqual([
      ["link.reuse_detected", "claimed_after_end", "deny"],
      ["link.claim_refused", "link_completed", "deny"],
    ]);
    // The agent learns of the leaked link from its status; the state stays completed.
    const status = await api(`/api/handoffs/${h.id}`, { key: agent.apiKey });
    expect(status.json).toMatchObject({ state: "completed", reuseDetected: true });
  });

  it("tells the agent over its socket when a live handoff's link is claimed from a second device", async () => {
    const agent = await freshAgent();
    const { h, phone } = await livePhone(agent.apiKey);
    const agentEnd = agentSocket(h.id, agent.apiKey);
    const reuse = new Promise<{ attempts: number }>((resolve) => agentEnd.once("link:reuse_detected", resolve));
    await connected(agentEnd);
    expect((await api(`/api/handoffs/${h.id}/report`, { key: agent.apiKey, body: JSON.stringify({ event: "live" }) })).status).toBe(200);
    const phoneHeard: unknown[] = [];
    phone.socket!.on("link:reuse_detected", (e: unknown) => phoneHeard.push(e));
    const second = await new NodePhone(server.url, h.link).claim();
    expect(second).toMatchObject({ status: 409, json: { error: { code: "LINK_IN_USE" } } });
    expect(await reuse).toMatchObject({ attempts: 1 });
    expect(await row(h.id)).toMatchObject({ state: "live", reuseAttempts: 1 });
    expect(phoneHeard).toEqual([]);
    agentEnd.close();
    phone.close();
  });
});

describe("isolation under flood", () => {
  it("keeps a second handoff's sealed exchange lossless and the API prompt while another phone floods 10,000 inputs", async () => {
    const agent = await freshAgent();
    const flood = await livePhone(agent.apiKey);
    const floodAgent = agentSocket(flood.h.id, agent.apiKey);
    let floodForwarded = 0;
    floodAgent.on("stream:data", () => (floodForwarded += 1));
    await connected(floodAgent);
    const quiet = await livePhone(agent.apiKey);
    const peer = await connectAgentPeer(server.url, quiet.h.id, quiet.h.link, agent.apiKey);

    const flooderGone = disconnected(flood.phone.socket!);
    const flooding = (async () => {
      for (let i = 0; i < 10_000; i++) {
        flood.phone.socket!.emit("stream:data", new Uint8Array(40).fill(2));
        if (i % 250 === 0) await new Promise((r) => setImmediate(r));
      }
    })();
    // Frame, ack, next frame: the worker's own pacing, so nothing is dropped for backpressure.
    const rounds = 30;
    const exchange = (async () => {
      for (let seq = 1; seq <= rounds; seq++) {
        await peer.sendFrame(seq);
        await quiet.phone.waitFor(() => peer.received.some((m) => m.t === "frame_ack" && m.seq === seq), 5000, `ack ${seq}`);
      }
    })();
    const started = performance.now();
    const unrelated = await api("/healthz");
    const apiMs = performance.now() - started;
    await Promise.all([flooding, exchange, flooderGone]);
    await new Promise((r) => setTimeout(r, 200));

    expect(quiet.phone.frames.map((f) => f.seq)).toEqual(Array.from({ length: rounds }, (_, i) => i + 1));
    expect(peer.received.filter((m) => m.t === "frame_ack")).toHaveLength(rounds);
    expect(unrelated.status).toBe(200);
    expect(apiMs).toBeLessThan(1000);
    // The flood itself was cut off at the input rate, not relayed.
    expect(floodForwarded).toBeLessThan(200);
    expect(peer.socket.connected).toBe(true);
    peer.close();
    floodAgent.close();
    quiet.phone.close();
  });
});

describe("audit export", () => {
  it("neutralises agent strings that start like a spreadsheet formula in the CSV export, and keeps them intact in JSONL", async () => {
    const payloads = ['=HYPERLINK("https://evil.test","x")', "+1+cmd", "-2+3", "@SUM(A1)"];
    const agent = await server.services.agents.create({ name: "=cmd|' /C calc'!A0", origins: [TARGET], maxConcurrent: 10 });
    for (const endUserRef of payloads) {
      expect((await api("/api/handoffs", { key: agent.apiKey, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x", endUserRef }) })).status).toBe(201);
    }
    const failing = await handoff(agent.apiKey);
    expect(
      (await api(`/api/handoffs/${failing.id}/report`, { key: agent.apiKey, body: JSON.stringify({ event: "failed", reason: "@SUM(1+1)*cmd" }) })).status,
    ).toBe(200);

    const records: string[][] = [];
    for await (const line of exportAudit(server.services.db, "csv")) records.push(parseCsvRecord(line));
    const cells = records.slice(1).flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    for (const p of [...payloads, "@SUM(1+1)*cmd"]) expect(cells, p).toContain(`'${p}`);
    expect(cells.some((c) => c.includes("=cmd|' /C calc'!A0"))).toBe(true); // the agent name, inside its details JSON

    const json: Record<string, unknown>[] = [];
    for await (const line of exportAudit(server.services.db, "jsonl")) json.push(JSON.parse(line));
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
