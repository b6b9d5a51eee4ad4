/**
 * Relay findings of issue 14: one device opened 20 phone sockets for one handoff, each with its
 * own 400/s input budget; and the server accepted long-polling although both ends mean WebSocket
 * only. Now one phone socket per handoff (the newest replaces the older), one input budget per
 * handoff, and a polling handshake is refused.
 */
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toBase64Url } from "../../lib/crypto/base64url";
import { randomSealKey } from "../../lib/crypto/seal";
import { PROTOCOL_VERSION } from "../../lib/protocol/version";
import { NodePhone } from "../helpers/node-phone";
import { startTestServer, type TestServer } from "../helpers/test-server";

const TARGET = "http://127.0.0.1:4986";
const INPUT_PER_SECOND = 50;
// Time stands still: every input below falls in one rate window, whatever the machine's speed.
const frozen = new Date();
const clock = { now: () => frozen };
let server: TestServer;
let apiKey: string;

async function approvedHandoff() {
  const r = await fetch(new URL("/api/handoffs", server.url), {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ loginUrl: `${TARGET}/`, reason: "x" }),
  });
  const h = (await r.json()) as { id: string; linkPath: string };
  const phone = new NodePhone(server.url, `${server.url}${h.linkPath}#k=${toBase64Url(randomSealKey())}`);
  await phone.claim();
  await phone.decide("approve");
  return { id: h.id, phone };
}

/** Another socket of the same device (same cookie): a second tab, or a script. */
function sameDevice(phone: NodePhone): NodePhone {
  const twin = new NodePhone(phone.serverUrl, phone.link);
  twin.cookie = phone.cookie;
  return twin;
}

/** An agent socket that counts what the relay forwards to it. */
async function countingAgent(handoffId: string): Promise<{ socket: Socket; count: () => number }> {
  let received = 0;
  const socket = io(server.url, {
    transports: ["websocket"],
    reconnection: false,
    auth: { role: "agent", protocolVersion: PROTOCOL_VERSION, handoffId, apiKey },
  });
  socket.on("stream:data", () => (received += 1));
  await new Promise<void>((resolve, reject) => socket.once("connect", () => resolve()).once("connect_error", reject));
  return { socket, count: () => received };
}

const disconnected = (socket: Socket) => new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
const phoneSockets = (handoffId: string) => server.baton.io.sockets.adapter.rooms.get(`h:${handoffId}:phone`)?.size ?? 0;
/** Well-formed framing for the relay (direction byte 2: to the worker); it never looks further. */
const input = () => new Uint8Array(40).fill(2);

beforeAll(async () => {
  server = await startTestServer({ clock, env: { RATE_INPUT_PER_SECOND: String(INPUT_PER_SECOND) } });
  apiKey = (await server.createAgent([TARGET], { maxConcurrent: 20 })).apiKey;
});
afterAll(async () => server?.close());

describe("phone sockets", () => {
  it("keeps one phone socket per handoff: each newer socket of the device replaces the older one", async () => {
    const { id, phone } = await approvedHandoff();
    await phone.connect(id);
    const twins = Array.from({ length: 5 }, () => sameDevice(phone));
    let previous = phone.socket!;
    for (const twin of twins) {
      const replaced = disconnected(previous);
      await twin.connect(id);
      expect(await replaced).toBe("io server disconnect");
      expect(phoneSockets(id)).toBe(1);
      previous = twin.socket!;
    }
    twins.at(-1)!.close();
  });

  it("shares one input budget per handoff across the sockets a device opens", async () => {
    const { id, phone } = await approvedHandoff();
    const agent = await countingAgent(id);
    await phone.connect(id);
    for (let i = 0; i < 30; i++) phone.socket!.emit("stream:data", input());
    await phone.waitFor(() => agent.count() === 30, 5000, "30 inputs relayed");
    const twin = sameDevice(phone);
    await twin.connect(id);
    const cutOff = disconnected(twin.socket!);
    for (let i = 0; i < 30; i++) twin.socket!.emit("stream:data", input());
    // Past the handoff's budget the socket is cut off, as a single flooding socket would be.
    expect(await cutOff).toBe("io server disconnect");
    // What the relay forwarded before the cut may still be on its way to the agent.
    await phone.waitFor(() => agent.count() >= INPUT_PER_SECOND, 5000, "the budget's inputs relayed");
    expect(agent.count()).toBe(INPUT_PER_SECOND);
    const audit = await server.services.db.auditEvent.findFirst({ where: { handoffId: id, action: "stream.refused", reason: "rate_limited" } });
    expect(audit).not.toBeNull();
    agent.socket.close();
  });
});

describe("transports", () => {
  it("refuses a long-polling handshake, from a raw request and from a client that asks for polling", async () => {
    const raw = await fetch(new URL(`/socket.io/?EIO=4&transport=polling`, server.url), { headers: { origin: server.url } });
    expect(raw.status).toBe(400);
    expect(await raw.text()).not.toMatch(/"sid"/);
    const polling = io(server.url, {
      transports: ["polling"],
      reconnection: false,
      auth: { role: "agent", protocolVersion: PROTOCOL_VERSION, handoffId: "hnd_AAAAAAAAAAAAAAAA", apiKey },
    });
    const error = await new Promise<Error>((resolve) => polling.once("connect_error", resolve));
    expect(error.message).toMatch(/xhr poll error|transport/i);
    polling.close();
  });
});
