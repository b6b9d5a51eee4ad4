/**
 * Hostile HTTP input to the agent API: oversized, malformed and mistyped bodies, unknown routes, swapped ids, hostile agent text at create, tampered device cookies, the concurrency cap.
 * Each hostile file starts its own server with small limits (test/helpers/hostile-server.ts).
 */
import { describe, expect, it } from "vitest";
import { NodePhone } from "../helpers/node-phone";
import { TARGET, useHostileServer } from "../helpers/hostile-server";

const hs = useHostileServer();

describe("hostile HTTP input", () => {
  it("refuses a body over 16 KB with 413", async () => {
    const r = await hs.current.api("/api/handoffs", { key: hs.current.apiKey, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x".repeat(20_000) }) });
    expect(r).toMatchObject({ status: 413, json: { error: { code: "PAYLOAD_TOO_LARGE" } } });
  });

  it("refuses a body that is not JSON, and a JSON body without the JSON content type", async () => {
    expect((await hs.current.api("/api/handoffs", { key: hs.current.apiKey, body: "{not json" })).json.error.code).toBe("BAD_REQUEST");
    const plain = await hs.current.api("/api/handoffs", { key: hs.current.apiKey, method: "POST", body: "{}", headers: { "content-type": "text/plain" } });
    expect(plain.status).toBe(415);
  });

  it("answers unknown routes with 404 JSON and wrong methods with 405", async () => {
    expect((await hs.current.api("/api/nope")).status).toBe(404);
    expect((await hs.current.api("/api/handoffs", { method: "DELETE", key: hs.current.apiKey })).status).toBe(405);
  });

  it("treats malformed handoff ids and swapped ids as not found", async () => {
    expect((await hs.current.api("/api/handoffs/../../etc", { key: hs.current.apiKey })).status).toBe(404);
    const other = (await hs.current.server.createAgent([TARGET])).apiKey;
    const mine = await hs.current.handoff();
    expect((await hs.current.api(`/api/handoffs/${mine.id}/report`, { key: other, body: JSON.stringify({ event: "cancelled" }) })).status).toBe(404);
  });

  it("refuses agent text with control characters, ANSI escapes, bidi overrides or excessive length", async () => {
    for (const reason of ["line\u0007bell", "\u001b[31mred", "pay \u202Eevil", "x".repeat(281)]) {
      const r = await hs.current.api("/api/handoffs", { key: hs.current.apiKey, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason }) });
      expect(r.status, JSON.stringify(reason)).toBe(400);
    }
  });

  it("stores markup in agent text as data, byte for byte", async () => {
    const reason = `<script>alert("x")</script> & "quotes"\nnext line`;
    const h = await hs.current.handoff(hs.current.apiKey, reason);
    expect((await hs.current.server.services.db.handoff.findUniqueOrThrow({ where: { id: h.id } })).reason).toBe(reason);
  });

  it("reads a tampered device cookie as no device: a fresh session, never a 500", async () => {
    const h = await hs.current.handoff();
    const phone = new NodePhone(hs.current.server.url, h.link);
    phone.cookie = "baton-device=Fe26.2**tampered**seal";
    const claimed = await phone.claim();
    expect(claimed.status).toBe(200);
    expect(phone.cookie).not.toContain("tampered");
  });

  it("caps concurrent handoffs per agent with 429", async () => {
    const small = (await hs.current.server.createAgent([TARGET], { maxConcurrent: 1 })).apiKey;
    await hs.current.handoff(small);
    const refused = await hs.current.api("/api/handoffs", { key: small, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x" }) });
    expect(refused).toMatchObject({ status: 429, json: { error: { code: "TOO_MANY_HANDOFFS" } } });
  });
});

describe("hostile agent strings at create", () => {
  it("refuses control characters, bidi overrides and overlong text in endUserRef with 400 naming the field, storing nothing", async () => {
    const agent = await hs.current.freshAgent();
    for (const endUserRef of ["user\u0000id", "ref\u001b[2Jclear", "ref\u202Efdp.exe", "ref\u2066isolate", "ref\r\nInjected: yes", "u".repeat(129)]) {
      const r = await hs.current.api("/api/handoffs", { key: agent.apiKey, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x", endUserRef }) });
      expect(r.status, JSON.stringify(endUserRef)).toBe(400);
      expect(r.json.error.details.issues.map((i: { path: string }) => i.path)).toEqual(["endUserRef"]);
    }
    expect(await hs.current.server.services.db.handoff.count({ where: { agentId: agent.agentId } })).toBe(0);
  });

  it("refuses identity providers that are not bare host names, in the agent's scope and in a request (400 naming the field)", async () => {
    const hostile = ["evil.test/../x", "javascript:", "https://idp.test/path", "idp.test:443", "idp.test?x=1", "user@idp.test"];
    // Neither an agent's scope nor a handoff request takes them.
    for (const site of hostile) {
      await expect(hs.current.server.services.agents.create({ name: "Scoped agent", origins: [TARGET], identityProviders: [site] }), site).rejects.toThrow(
        /registrable domain/,
      );
    }
    const agent = await hs.current.server.services.agents.create({
      name: "Scoped agent",
      origins: [TARGET],
      identityProviders: ["idp.test"],
      maxConcurrent: 5,
    });
    for (const site of hostile) {
      const r = await hs.current.api("/api/handoffs", {
        key: agent.apiKey,
        body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x", identityProviders: [site] }),
      });
      expect(r.status, site).toBe(400);
      expect(r.json.error.details.issues.map((i: { path: string }) => i.path)).toEqual(["identityProviders.0"]);
    }
    expect(await hs.current.server.services.db.handoff.count({ where: { agentId: agent.agentId } })).toBe(0);
  });

  it("refuses misleading target origins for an agent allowed only https://bank.test", async () => {
    const agent = await hs.current.freshAgent(["https://bank.test"]);
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
      const r = await hs.current.api("/api/handoffs", { key: agent.apiKey, body: JSON.stringify({ loginUrl, reason: "x" }) });
      expect([400, 403], loginUrl).toContain(r.status);
      expect(["ORIGIN_NOT_ALLOWED", "BAD_REQUEST"], loginUrl).toContain(r.json.error.code);
    }
    expect(await hs.current.server.services.db.handoff.count({ where: { agentId: agent.agentId } })).toBe(0);
    // Control: the allowed origin itself (default port spelled out) is accepted.
    expect(
      (await hs.current.api("/api/handoffs", { key: agent.apiKey, body: JSON.stringify({ loginUrl: "https://bank.test:443/login", reason: "x" }) })).status,
    ).toBe(201);
  });
});
