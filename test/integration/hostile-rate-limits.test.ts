/**
 * Rate limits: the exact split of creates over the per-agent budget, and claim floods per address.
 * Each hostile file starts its own server with small limits (test/helpers/hostile-server.ts).
 */
import { describe, expect, it } from "vitest";
import { startTestServer } from "../helpers/test-server";
import { TARGET, useHostileServer } from "../helpers/hostile-server";

const hs = useHostileServer();

describe("rate limits", () => {
  it("serves exactly the per-agent budget of creates in a window, then answers 429 with an audit row for each refusal", async () => {
    const agent = await hs.current.server.createAgent([TARGET], { maxConcurrent: 100 });
    const results = [];
    for (let i = 0; i < 45; i++)
      results.push((await hs.current.api("/api/handoffs", { key: agent.apiKey, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x" }) })).status);
    // RATE_CREATES_PER_MINUTE is 40 here, in a fixed window: exactly the first 40 are served.
    expect(results).toEqual([...Array<number>(40).fill(201), ...Array<number>(5).fill(429)]);
    expect(await hs.current.server.services.db.auditEvent.count({ where: { agentId: agent.agentId, reason: "rate_limited" } })).toBe(5);
  });
});

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
