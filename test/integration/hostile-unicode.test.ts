/**
 * Issue 14.4: one ill-formed string must not poison the audit chain. Lone surrogates and invalid
 * UTF-8 are refused at the boundary (every JSON body, every route), audit rows are hashed in the
 * form SQLite stores, and the verifier names every broken row, not only the first.
 */
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "../../lib/audit/verify-chain";
import { PROTOCOL_VERSION } from "../../lib/protocol/version";
import { OperatorClient } from "../helpers/operator-client";
import { startTestServer, type TestServer } from "../helpers/test-server";

const TARGET = "http://127.0.0.1:4981";
const PASSWORD = "unicode-operator-pw-7Hq2";
let server: TestServer;
let apiKey: string;
let op: OperatorClient;

async function post(path: string, body: string | Blob, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(path, server.url), { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  return { status: response.status, json: await response.json() };
}

beforeAll(async () => {
  server = await startTestServer();
  apiKey = (await server.createAgent([TARGET], { maxConcurrent: 20 })).apiKey;
  await server.services.operators.create({ email: "unicode-ops@example.com", password: PASSWORD });
  op = new OperatorClient(server.url);
  expect((await op.signIn("unicode-ops@example.com", PASSWORD)).status).toBe(200);
});
afterAll(async () => server?.close());

describe("ill-formed text at the boundary", () => {
  it("refuses a lone surrogate in any field of a handoff request with 400 MALFORMED_ENCODING naming the field, storing and auditing nothing", async () => {
    const rowsBefore = await server.services.db.auditEvent.count();
    const cases: [Record<string, unknown>, string][] = [
      [{ loginUrl: `${TARGET}/`, reason: "x", endUserRef: "user-\ud800" }, "endUserRef"],
      [{ loginUrl: `${TARGET}/`, reason: "statements \udfff" }, "reason"],
      [{ loginUrl: `${TARGET}/`, reason: "x", identityProviders: ["idp\ud83d.example"] }, "identityProviders.0"],
      [{ loginUrl: `${TARGET}/\ud800`, reason: "x" }, "loginUrl"],
    ];
    for (const [body, path] of cases) {
      // JSON.stringify writes a lone surrogate as the escape `\ud800`: valid JSON, ill-formed text.
      const r = await post("/api/handoffs", JSON.stringify(body), { authorization: `Bearer ${apiKey}` });
      expect(r, path).toMatchObject({ status: 400, json: { error: { code: "MALFORMED_ENCODING", details: { path } } } });
    }
    expect(await server.services.db.handoff.count()).toBe(0);
    expect(await server.services.db.auditEvent.count()).toBe(rowsBefore);
  });

  it("refuses a body that is not valid UTF-8 instead of storing U+FFFD in its place", async () => {
    const body = new Blob([Buffer.concat([Buffer.from(`{"loginUrl":"${TARGET}/","reason":"pay `), Buffer.from([0xc3, 0x28]), Buffer.from(`"}`)])]);
    const r = await post("/api/handoffs", body, { authorization: `Bearer ${apiKey}` });
    expect(r).toMatchObject({ status: 400, json: { error: { code: "MALFORMED_ENCODING" } } });
    expect(await server.services.db.handoff.count()).toBe(0);
  });

  it("refuses lone surrogates on the dashboard API too: an agent name, a sign-in email", async () => {
    const named = await op.post("/api/dashboard/agents", { name: "Statements \ud800", origins: [TARGET] });
    expect(named).toMatchObject({ status: 400, json: { error: { code: "MALFORMED_ENCODING", details: { path: "name" } } } });
    const signIn = await new OperatorClient(server.url).request("/api/operator/sign-in", {
      body: { email: "unicode-ops@example.com\udc00", password: PASSWORD },
    });
    expect(signIn).toMatchObject({ status: 400, json: { error: { code: "MALFORMED_ENCODING", details: { path: "email" } } } });
  });

  it("refuses a socket hello carrying a lone surrogate as a bad hello", async () => {
    const socket = io(server.url, {
      transports: ["websocket"],
      reconnection: false,
      auth: { role: "agent", protocolVersion: PROTOCOL_VERSION, handoffId: "hnd_\ud800AAAAAAAAAAAAAAA", apiKey },
    });
    const refusal = await new Promise<string>((resolve) => socket.once("connect_error", (e) => resolve(e.message)));
    socket.close();
    expect(refusal).toBe("bad_hello");
  });

  it("stores names in NFC, so one name typed two ways is one string", async () => {
    const created = await op.post("/api/dashboard/agents", { name: "Cafe\u0301 agent", origins: [TARGET] });
    expect(created.status).toBe(201);
    const agent = await server.services.db.agent.findUniqueOrThrow({ where: { id: created.json.agentId } });
    expect(agent.name).toBe("Caf\u00e9 agent");
  });
});

describe("the audit chain", () => {
  it("hashes what SQLite stores: an entry carrying a lone surrogate leaves the chain intact after the round trip", async () => {
    const seq = await server.services.audit.append({
      actor: "agent",
      action: "handoff.create_refused",
      decision: "deny",
      endUserRef: "ref\ud800",
      reason: "x\udc00y",
    });
    const stored = await server.services.db.auditEvent.findUniqueOrThrow({ where: { seq } });
    expect([stored.endUserRef, stored.reason]).toEqual(["ref\ufffd", "x\ufffdy"]);
    expect(await verifyChain(server.services.db)).toMatchObject({ ok: true });
  });

  it("names every broken row, not only the first — in the verifier and on the dashboard's Verify chain", async () => {
    for (let i = 0; i < 12; i++) await server.services.audit.append({ actor: "system", action: "test.filler", decision: "info", details: { i } });
    const db = server.services.db;
    expect((await verifyChain(db)).ok).toBe(true);
    const last = (await db.auditEvent.findFirstOrThrow({ orderBy: { seq: "desc" } })).seq;
    const [edited, deleted, editedLater] = [last - 9, last - 6, last - 2];
    await db.auditEvent.update({ where: { seq: edited }, data: { reason: "nothing to see" } });
    await db.auditEvent.delete({ where: { seq: deleted } });
    await db.auditEvent.update({ where: { seq: editedLater }, data: { decision: "allow" } });

    const verdict = await verifyChain(db);
    expect(verdict).toMatchObject({ ok: false, brokenAt: edited, problem: "edited", intactBefore: edited - 1, breakCount: 3 });
    expect(verdict.ok ? [] : verdict.breaks).toEqual([
      { seq: edited, problem: "edited" },
      { seq: deleted, problem: "missing_or_reordered" },
      { seq: editedLater, problem: "edited" },
    ]);
    const dashboard = await op.post("/api/dashboard/audit/verify");
    expect(dashboard.json).toMatchObject({ ok: false, breakCount: 3, breaks: [{ seq: edited }, { seq: deleted }, { seq: editedLater }] });
  });
});
