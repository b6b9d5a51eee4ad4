/**
 * Deadlines and revocation under a clock the tests move: link TTL, the session cap, a revoked agent, a rotated key's overlap.
 * Each hostile file starts its own server with small limits (test/helpers/hostile-server.ts).
 */
import { describe, expect, it } from "vitest";
import { NodePhone } from "../helpers/node-phone";
import { TARGET, disconnected, useHostileServer } from "../helpers/hostile-server";

const hs = useHostileServer();

describe("expiry, revocation and rotation", () => {
  it("expires an unclaimed link after its TTL, and the link then reads as invalid", async () => {
    const created = await hs.current.api("/api/handoffs", {
      key: hs.current.apiKey,
      body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x", ttlSeconds: 30 }),
    });
    hs.current.advanceClock(31_000);
    // The sweep's own step, called directly rather than waited for.
    await hs.current.server.services.handoffs.expireDue();
    const row = await hs.current.server.services.db.handoff.findUniqueOrThrow({ where: { id: created.json.id } });
    expect(row).toMatchObject({ state: "expired", endReason: "link_ttl" });
    const phone = new NodePhone(hs.current.server.url, `${hs.current.server.url}${created.json.linkPath}#k=x`);
    expect((await phone.claim()).status).toBe(410);
  });

  it("caps a live session's length after approval", async () => {
    const { h, phone } = await hs.current.livePhone();
    hs.current.advanceClock(901_000);
    await phone.waitFor(() => phone.states.includes("expired"), 3000, "expired state");
    expect((await hs.current.server.services.db.handoff.findUniqueOrThrow({ where: { id: h.id } })).endReason).toBe("session_cap");
  });

  it("ends a revoked agent's live handoffs at once: state failed, sockets closed, key refused", async () => {
    const victim = await hs.current.server.createAgent([TARGET]);
    const { h, phone } = await hs.current.livePhone(victim.apiKey);
    const agent = hs.current.agentSocket(h.id, victim.apiKey);
    await new Promise<void>((r) => agent.once("connect", () => r()));
    const agentGone = disconnected(agent);
    await hs.current.server.services.agents.revoke(victim.agentId);
    await agentGone;
    expect((await hs.current.server.services.db.handoff.findUniqueOrThrow({ where: { id: h.id } })).endReason).toBe("agent_revoked");
    expect((await hs.current.api("/api/handoffs", { key: victim.apiKey, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x" }) })).status).toBe(401);
    phone.close();
  });

  it("keeps a rotated key working for the overlap window, then refuses it", async () => {
    const agent = await hs.current.server.createAgent([TARGET]);
    const rotated = await hs.current.server.services.agents.rotate(agent.agentId, 60);
    const create = (key: string) => hs.current.api("/api/handoffs", { key, body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x" }) });
    expect((await create(agent.apiKey)).status).toBe(201);
    expect((await create(rotated.apiKey)).status).toBe(201);
    hs.current.advanceClock(61_000);
    expect((await create(agent.apiKey)).status).toBe(401);
    expect((await create(rotated.apiKey)).status).toBe(201);
  });
});
