/**
 * The dashboard's live channel: admitted only with a live operator session from Baton's origin,
 * pushes handoff summaries as handoffs are created and move, ends with the session.
 */
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HandoffSummarySchema, type HandoffSummary } from "../../lib/protocol/operator-events";
import { NodePhone } from "../helpers/node-phone";
import { OperatorClient } from "../helpers/operator-client";
import { startTestServer, type TestServer } from "../helpers/test-server";

const PASSWORD = "canary-operator-pw-Zq9x";
const BANK = "https://bank.example";
let server: TestServer;
let apiKey: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  await server.services.operators.create({ email: "ops@example.com", password: PASSWORD });
  apiKey = (await server.createAgent([BANK], { maxConcurrent: 10 })).apiKey;
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.close();
});

async function signedIn(): Promise<OperatorClient> {
  const op = new OperatorClient(server.url);
  expect((await op.signIn("ops@example.com", PASSWORD)).status).toBe(200);
  return op;
}

function connect(cookie: string, origin = server.url): Promise<{ socket: Socket; error?: string; events: HandoffSummary[]; ended: number[] }> {
  const socket = io(`${server.url}/operators`, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie, origin } });
  sockets.push(socket);
  const events: HandoffSummary[] = [];
  const ended: number[] = [];
  socket.on("handoff:changed", (payload: unknown) => events.push(HandoffSummarySchema.parse(payload)));
  socket.on("session:ended", () => ended.push(Date.now()));
  return new Promise((resolve) => {
    socket.once("connect", () => resolve({ socket, events, ended }));
    socket.once("connect_error", (e) => resolve({ socket, error: e.message, events, ended }));
  });
}

async function until<T>(probe: () => T | undefined | false, what: string): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() - start > 5_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("operator live channel", () => {
  it("pushes a summary when a handoff is created and each time it moves", async () => {
    const op = await signedIn();
    const live = await connect(op.cookie);
    expect(live.error).toBeUndefined();
    const created = await fetch(`${server.url}/api/handoffs`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ loginUrl: `${BANK}/login`, reason: "Read statements", endUserRef: "live-user" }),
    }).then((r) => r.json() as Promise<{ id: string; token: string }>);
    const first = await until(() => live.events.find((e) => e.id === created.id), "created push");
    expect(first).toMatchObject({ state: "pending", agentName: "Test agent", targetSite: "bank.example", endUserRef: "live-user" });
    const phone = new NodePhone(server.url, `${server.url}/h/${created.token}#k=${"A".repeat(43)}`);
    await phone.claim();
    await phone.decide("approve");
    await until(() => live.events.some((e) => e.id === created.id && e.state === "approved"), "approved push");
    expect(live.events.filter((e) => e.id === created.id).map((e) => e.state)).toEqual(["pending", "opened", "approved"]);
    expect(JSON.stringify(live.events)).not.toContain(created.token);
  });

  it("refuses a socket without a session, with a signed-out session, or from another origin", async () => {
    expect((await connect("")).error).toBe("unauthenticated");
    const op = await signedIn();
    expect((await connect(op.cookie, "https://evil.example")).error).toBeDefined();
    const copied = op.cookie;
    await op.post("/api/operator/sign-out");
    expect((await connect(copied)).error).toBe("unauthenticated");
  });

  it("closes the socket when its session signs out", async () => {
    const op = await signedIn();
    const live = await connect(op.cookie);
    expect(live.socket.connected).toBe(true);
    await op.post("/api/operator/sign-out");
    await until(() => live.ended.length > 0 && !live.socket.connected, "session end");
  });

  it("drops a socket that sends anything (the dashboard only listens)", async () => {
    const op = await signedIn();
    const live = await connect(op.cookie);
    live.socket.emit("handoff:cancel", { id: "hnd_x" });
    await until(() => !live.socket.connected, "disconnect");
  });
});
