/**
 * A handoff whose agent is gone ends within seconds: the relay sees the agent's last socket close,
 * and after a short grace for a reconnect the handoff fails as `agent_disconnected` — the phone is
 * told, the row and the audit say so. Regression: the phone kept saying "Live" over a frozen
 * picture 40 s after the agent process was killed, and the dashboard still counted it as live.
 * The server's clock is moved instead of waiting for the grace.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { toBase64Url } from "../../lib/crypto/base64url";
import { randomSealKey } from "../../lib/crypto/seal";
import { AGENT_RECONNECT_GRACE_MS } from "../../lib/server/agent-presence";
import { type AgentPeer, connectAgentPeer } from "../helpers/agent-peer";
import { NodePhone } from "../helpers/node-phone";
import { startTestServer, type TestServer } from "../helpers/test-server";

const TARGET = "http://127.0.0.1:4997";
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
let server: TestServer;
let apiKey: string;

beforeAll(async () => {
  server = await startTestServer({ clock });
  ({ apiKey } = await server.createAgent([TARGET]));
});
afterAll(() => server.close());

/** A handoff with its agent connected and the phone approved and streaming. */
async function streamingHandoff(): Promise<{ id: string; phone: NodePhone; agent: AgentPeer }> {
  const response = await fetch(`${server.url}/api/handoffs`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ loginUrl: `${TARGET}/login`, reason: "Read statements" }),
  });
  const created = (await response.json()) as { id: string; linkPath: string };
  const link = `${server.url}${created.linkPath}#k=${toBase64Url(randomSealKey())}`;
  const agent = await connectAgentPeer(server.url, created.id, link, apiKey);
  const phone = new NodePhone(server.url, link);
  await phone.claim();
  await phone.decide("approve");
  await phone.connect(created.id);
  await agent.sendFrame(1);
  await phone.waitFor(() => phone.frames.length > 0, 5000, "first frame");
  return { id: created.id, phone, agent };
}

/** Closes the agent's socket and waits until the relay has seen it go (it tells the phone). */
async function agentGone(phone: NodePhone, agent: AgentPeer): Promise<void> {
  const told = new Promise<void>((resolve) => phone.socket!.on("peer:status", (s: { agent: boolean }) => s.agent || resolve()));
  agent.close();
  await told;
}

const rowOf = (id: string) => server.services.db.handoff.findUniqueOrThrow({ where: { id } });
/** A sweep of the server, run now rather than waited for. */
const sweep = () => server.baton.sweepNow();

it("ends a handoff as failed (agent_disconnected) once its agent stays gone past the grace, and tells the phone; a reconnect within the grace keeps it", async () => {
  const { id, phone, agent } = await streamingHandoff();
  // An agent that used only the REST API (no relay socket) is never judged gone.
  const bystander = await approvedWithoutAgent();

  await agentGone(phone, agent);
  offsetMs += AGENT_RECONNECT_GRACE_MS - 2000;
  await sweep();
  expect((await rowOf(id)).state).toBe("approved");
  const back = await connectAgentPeer(server.url, id, phone.link, apiKey);
  offsetMs += AGENT_RECONNECT_GRACE_MS * 2;
  await sweep();
  expect((await rowOf(id)).state).toBe("approved");
  expect(phone.states).not.toContain("failed");

  await agentGone(phone, back);
  offsetMs += AGENT_RECONNECT_GRACE_MS + 500;
  await phone.waitFor(() => phone.states.includes("failed"), 3000, "failed state on the phone");
  expect(await rowOf(id)).toMatchObject({ state: "failed", endReason: "agent_disconnected" });
  const audited = await server.services.db.auditEvent.findFirstOrThrow({ where: { handoffId: id, action: "handoff.failed" } });
  expect(audited).toMatchObject({ actor: "system", reason: "agent_disconnected" });
  // The relay closes the phone's socket after the final state.
  await phone.waitFor(() => phone.socket?.disconnected, 3000, "phone socket closed");
  expect((await rowOf(bystander)).state).toBe("approved");
});

async function approvedWithoutAgent(): Promise<string> {
  const response = await fetch(`${server.url}/api/handoffs`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ loginUrl: `${TARGET}/login`, reason: "Read statements" }),
  });
  const created = (await response.json()) as { id: string; linkPath: string };
  const phone = new NodePhone(server.url, `${server.url}${created.linkPath}#k=${toBase64Url(randomSealKey())}`);
  await phone.claim();
  await phone.decide("approve");
  return created.id;
}
