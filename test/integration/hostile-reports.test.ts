/**
 * Hostile reports and swapped ids: oversized and ill-formed reports, one agent probing another's handoff, an agent key on the phone's endpoints.
 * Each hostile file starts its own server with small limits (test/helpers/hostile-server.ts).
 */
import { describe, expect, it } from "vitest";
import { NodePhone } from "../helpers/node-phone";
import { useHostileServer } from "../helpers/hostile-server";

const hs = useHostileServer();

describe("hostile reports and swapped ids", () => {
  it("refuses a report body over 128 KB with 413 and leaves the handoff and its audit untouched", async () => {
    const agent = await hs.current.freshAgent();
    const { h, phone } = await hs.current.livePhone(agent.apiKey);
    expect((await hs.current.api(`/api/handoffs/${h.id}/report`, { key: agent.apiKey, body: JSON.stringify({ event: "live" }) })).status).toBe(200);
    const before = await hs.current.row(h.id);
    const auditBefore = await hs.current.auditCount(h.id);
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
    const refused = await hs.current.api(`/api/handoffs/${h.id}/report`, { key: agent.apiKey, body });
    expect(refused).toMatchObject({ status: 413, json: { error: { code: "PAYLOAD_TOO_LARGE" } } });
    expect(await hs.current.row(h.id)).toEqual(before);
    expect(await hs.current.auditCount(h.id)).toBe(auditBefore);
    phone.close();
  });

  it("refuses a failure report whose reason carries control or bidi characters (it becomes the end reason the phone sees)", async () => {
    const agent = await hs.current.freshAgent();
    const h = await hs.current.handoff(agent.apiKey);
    for (const reason of ["worker\u001b[2Jerror", "ok\u202Edeliated", "x\u0000y", "r".repeat(201)]) {
      const r = await hs.current.api(`/api/handoffs/${h.id}/report`, { key: agent.apiKey, body: JSON.stringify({ event: "failed", reason }) });
      expect(r.status, JSON.stringify(reason)).toBe(400);
      expect(r.json.error.details.issues.map((i: { path: string }) => i.path)).toEqual(["reason"]);
    }
    expect(await hs.current.row(h.id)).toMatchObject({ state: "pending", endReason: null });
    expect(
      (await hs.current.api(`/api/handoffs/${h.id}/report`, { key: agent.apiKey, body: JSON.stringify({ event: "failed", reason: "worker_error" }) })).status,
    ).toBe(200);
  });

  it("answers agent A polling, reporting or flagging agent B's handoff exactly like an unknown id, and changes nothing", async () => {
    const a = await hs.current.freshAgent();
    const b = await hs.current.freshAgent();
    const theirs = await hs.current.handoff(b.apiKey);
    const unknownId = "hnd_AAAAAAAAAAAAAAAA";
    const before = await hs.current.row(theirs.id);
    const auditBefore = await hs.current.auditCount(theirs.id);
    const probes = [
      (id: string) => hs.current.api(`/api/handoffs/${id}`, { key: a.apiKey }),
      (id: string) => hs.current.api(`/api/handoffs/${id}/report`, { key: a.apiKey, body: JSON.stringify({ event: "failed", reason: "x" }) }),
      (id: string) =>
        hs.current.api(`/api/handoffs/${id}/blocked`, {
          key: a.apiKey,
          body: JSON.stringify({ origin: "https://evil.test", reason: "site", isNavigation: true }),
        }),
    ];
    for (const probe of probes) {
      const swapped = await probe(theirs.id);
      expect(swapped.status).toBe(404);
      expect(swapped).toEqual(await probe(unknownId));
    }
    expect(await hs.current.row(theirs.id)).toEqual(before);
    expect(await hs.current.auditCount(theirs.id)).toBe(auditBefore);
    // A's poll did not spend B's poll interval either.
    expect((await hs.current.api(`/api/handoffs/${theirs.id}`, { key: b.apiKey })).status).toBe(200);
  });

  it("gives the agent's own API key no power on the phone's claim and decision endpoints", async () => {
    const agent = await hs.current.freshAgent();
    const h = await hs.current.handoff(agent.apiKey);
    const asAgent = async (path: string, body: unknown, origin?: string) => {
      const r = await fetch(new URL(path, hs.current.server.url), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${agent.apiKey}`, ...(origin ? { origin } : {}) },
        body: JSON.stringify(body),
      });
      return { status: r.status, json: await r.json() };
    };
    // Before any device: the key is not a device.
    expect((await asAgent(`/api/link/${h.token}/decision`, { decision: "approve" }, hs.current.server.url)).status).toBe(403);
    const phone = new NodePhone(hs.current.server.url, h.link);
    await phone.claim();
    // As a server-side client sends it (no Origin), and as a browser page would (same Origin).
    expect((await asAgent(`/api/link/${h.token}/decision`, { decision: "approve" })).json.error.code).toBe("CROSS_SITE_REQUEST");
    expect((await asAgent(`/api/link/${h.token}/decision`, { decision: "approve" }, hs.current.server.url)).json.error.code).toBe("FORBIDDEN");
    expect((await asAgent(`/api/link/${h.token}/claim`, {}, hs.current.server.url)).json.error.code).toBe("LINK_IN_USE");
    expect(await hs.current.row(h.id)).toMatchObject({ state: "opened", approvedAt: null });
  });
});
