/**
 * Issue 14.7: a public suffix is not a site. `com`, `github.io` and `co.uk` passed as identity
 * providers; every place a site is named (a handoff request, the dashboard's scope form, the
 * store behind the CLI's --idps) now refuses them, and IP literals, with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OperatorClient } from "../helpers/operator-client";
import { startTestServer, type TestServer } from "../helpers/test-server";

const TARGET = "http://127.0.0.1:4987";
const PASSWORD = "sites-operator-pw-5Tn1";
const NOT_SITES: [string, RegExp][] = [
  ["com", /public suffix/],
  ["github.io", /public suffix/],
  ["co.uk", /public suffix/],
  ["uk", /public suffix/],
  ["127.0.0.1", /IP address/],
  ["test", /single label/],
];
let server: TestServer;
let op: OperatorClient;

beforeAll(async () => {
  server = await startTestServer();
  await server.services.operators.create({ email: "sites-ops@example.com", password: PASSWORD });
  op = new OperatorClient(server.url);
  expect((await op.signIn("sites-ops@example.com", PASSWORD)).status).toBe(200);
});
afterAll(async () => server?.close());

describe("identity providers must be registrable domains", () => {
  it("refuses a public suffix or an IP literal in a handoff request with 400 naming the field and the reason", async () => {
    const { apiKey } = await server.createAgent([TARGET], { maxConcurrent: 20 });
    for (const [site, reason] of NOT_SITES) {
      const r = await fetch(new URL("/api/handoffs", server.url), {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x", identityProviders: [site] }),
      });
      const json = (await r.json()) as { error: { code: string; details: { issues: { path: string; message: string }[] } } };
      expect(r.status, site).toBe(400);
      expect(
        json.error.details.issues.map((i) => i.path),
        site,
      ).toEqual(["identityProviders.0"]);
      expect(json.error.details.issues[0].message, site).toMatch(reason);
    }
    expect(await server.services.db.handoff.count()).toBe(0);
  });

  it("refuses them in the dashboard's agent form and scope edit, and in the store the CLI uses", async () => {
    const agent = await op.post("/api/dashboard/agents", { name: "SSO agent", origins: [TARGET], identityProviders: ["idp.example", "a.github.io"] });
    expect(agent.status).toBe(201);
    for (const [site, reason] of NOT_SITES) {
      const created = await op.post("/api/dashboard/agents", { name: "Suffix agent", origins: [TARGET], identityProviders: [site] });
      expect(created.status, site).toBe(400);
      expect(created.json.error.message, site).toMatch(reason);
      const edited = await op.post(`/api/dashboard/agents/${agent.json.agentId}/scope`, { identityProviders: [site] });
      expect(edited.status, site).toBe(400);
      await expect(server.services.agents.create({ name: "CLI agent", origins: [TARGET], identityProviders: [site] }), site).rejects.toThrow(reason);
    }
    const stored = await server.services.db.agent.findUniqueOrThrow({ where: { id: agent.json.agentId } });
    expect(JSON.parse(stored.allowedIdps)).toEqual(["idp.example", "a.github.io"]);
  });
});
