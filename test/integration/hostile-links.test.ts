/**
 * Forged device seals and used links: what a second device, an expired seal or a completed link gets.
 * Each hostile file starts its own server with small limits (test/helpers/hostile-server.ts).
 */
import { randomBytes } from "node:crypto";
import { sealData, unsealData } from "iron-session";
import { io } from "socket.io-client";
import { describe, expect, it, vi } from "vitest";
import { sha256Hex } from "../../lib/auth/secrets";
import { PROTOCOL_VERSION } from "../../lib/protocol/version";
import { deviceCookieName } from "../../lib/server/phone-session";
import { NodePhone } from "../helpers/node-phone";
import { connectError, connected, useHostileServer } from "../helpers/hostile-server";

const hs = useHostileServer();

describe("forged device seals", () => {
  it("reads a seal made with another password, an expired seal and garbage as no device: 403 on decide, a new device on claim", async () => {
    const agent = await hs.current.freshAgent();
    const h = await hs.current.handoff(agent.apiKey);
    const phone = new NodePhone(hs.current.server.url, h.link);
    await phone.claim();
    const { passwords, ttlSeconds } = hs.current.server.services.phoneSession;
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
      const impostor = new NodePhone(hs.current.server.url, h.link);
      impostor.cookie = `${name}=${encodeURIComponent(seal)}`;
      const decided = await impostor.decide("approve");
      expect(decided.status, kind).toBe(403);
      const socket = io(hs.current.server.url, {
        transports: ["websocket"],
        reconnection: false,
        auth: { role: "phone", protocolVersion: PROTOCOL_VERSION, handoffId: h.id },
        extraHeaders: { cookie: `${name}=${encodeURIComponent(seal)}`, origin: hs.current.server.url },
      });
      expect(await connectError(socket), kind).toBe("forbidden");
      socket.close();
    }
    expect(await hs.current.row(h.id)).toMatchObject({ state: "opened", approvedAt: null });

    // Claiming a fresh link with the foreign seal binds a new device, not the stolen id.
    const fresh = await hs.current.handoff(agent.apiKey);
    const claimant = new NodePhone(hs.current.server.url, fresh.link);
    claimant.cookie = `${name}=${encodeURIComponent(otherServer)}`;
    expect((await claimant.claim()).status).toBe(200);
    const bound = await hs.current.row(fresh.id);
    expect(bound.deviceHash).not.toBe(sha256Hex(deviceId));
    expect(claimant.cookie).not.toContain(encodeURIComponent(otherServer));

    // Control: the same id sealed with this server's password is the bound device.
    const genuine = new NodePhone(hs.current.server.url, h.link);
    genuine.cookie = `${name}=${encodeURIComponent(await sealData({ deviceId }, { password: passwords, ttl: ttlSeconds }))}`;
    expect((await genuine.decide("approve")).status).toBe(200);
  });
});

describe("used links", () => {
  it("answers a claim of a completed link like an unknown one, and audits it (reuse from another device, refusal from the same)", async () => {
    const agent = await hs.current.freshAgent();
    const { h, phone } = await hs.current.livePhone(agent.apiKey);
    phone.close();
    for (const body of [{ event: "live" }, { event: "captured", cookies: [] }, { event: "completed" }]) {
      expect((await hs.current.api(`/api/handoffs/${h.id}/report`, { key: agent.apiKey, body: JSON.stringify(body) })).status).toBe(200);
    }
    const unknown = await new NodePhone(hs.current.server.url, `${hs.current.server.url}/h/${"Q".repeat(43)}#k=x`).claim();
    const stranger = await new NodePhone(hs.current.server.url, h.link).claim();
    const sameDevice = await phone.claim();
    for (const answer of [stranger, sameDevice]) expect(answer).toEqual(unknown);
    expect(unknown).toMatchObject({ status: 410, json: { error: { code: "LINK_INVALID" } } });

    const audits = await hs.current.server.services.db.auditEvent.findMany({
      where: { handoffId: h.id, action: { in: ["link.reuse_detected", "link.claim_refused"] } },
      orderBy: { seq: "asc" },
    });
    expect(audits.map((a) => [a.action, a.reason, a.decision])).toEqual([
      ["link.reuse_detected", "claimed_after_end", "deny"],
      ["link.claim_refused", "link_completed", "deny"],
    ]);
    // The agent learns of the leaked link from its status; the state stays completed.
    const status = await hs.current.api(`/api/handoffs/${h.id}`, { key: agent.apiKey });
    expect(status.json).toMatchObject({ state: "completed", reuseDetected: true });
  });

  it("tells the agent over its socket when a live handoff's link is claimed from a second device", async () => {
    const agent = await hs.current.freshAgent();
    const { h, phone } = await hs.current.livePhone(agent.apiKey);
    const agentEnd = hs.current.agentSocket(h.id, agent.apiKey);
    const reuse = new Promise<{ attempts: number }>((resolve) => agentEnd.once("link:reuse_detected", resolve));
    await connected(agentEnd);
    expect((await hs.current.api(`/api/handoffs/${h.id}/report`, { key: agent.apiKey, body: JSON.stringify({ event: "live" }) })).status).toBe(200);
    const phoneHeard: unknown[] = [];
    phone.socket!.on("link:reuse_detected", (e: unknown) => phoneHeard.push(e));
    const second = await new NodePhone(hs.current.server.url, h.link).claim();
    expect(second).toMatchObject({ status: 409, json: { error: { code: "LINK_IN_USE" } } });
    expect(await reuse).toMatchObject({ attempts: 1 });
    expect(await hs.current.row(h.id)).toMatchObject({ state: "live", reuseAttempts: 1 });
    expect(phoneHeard).toEqual([]);
    agentEnd.close();
    phone.close();
  });
});
