/**
 * Baton on three nodes sharing one PostgreSQL database and one Redis, behind a load balancer that
 * sends each connection where the test says. The worker, the phone, the operator and the CLI each
 * talk to a different node; nodes and Redis go away mid-handoff.
 */
import type { Browser } from "playwright";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from "vitest";
import { toBase64Url } from "../../lib/crypto/base64url";
import { randomSealKey } from "../../lib/crypto/seal";
import { launchChromium } from "../../worker/demo/chromium";
import { BatonClient, type HandoffLink } from "../../worker";
import { type DemoSite, startDemoSite } from "../fixtures/demo-site/demo-site";
import { connectAgentPeer } from "../helpers/agent-peer";
import { NodePhone } from "../helpers/node-phone";
import { OperatorClient } from "../helpers/operator-client";
import { type BatonCluster, startBatonCluster } from "./cluster-harness";

let cluster: BatonCluster;
let site: DemoSite;
let browser: Browser;
/** What the running scenario did, and when: a failure prints it beside the nodes' logs. */
let trail: string[] = [];
let trailStart = 0;
const mark = (what: string) => trail.push(`+${Date.now() - trailStart} ms ${what}`);

const A = 0;
const B = 1;
const C = 2;
/** Balancer door `index`: every connection through it lands on node `index`. */
const door = (index: number) => cluster.balancer.door(index);

/** A phone whose requests and socket go to node `index`, with the Origin of Baton's public URL. */
function phoneOn(index: number, link: string): NodePhone {
  const phone = new NodePhone(door(index), link);
  phone.origin = cluster.publicUrl;
  return phone;
}

beforeAll(async () => {
  [cluster, site, browser] = await Promise.all([
    startBatonCluster({ nodes: 3, env: { SESSION_IDLE_SECONDS: "15", RATE_CREATES_PER_MINUTE: "6" } }),
    startDemoSite(),
    launchChromium(),
  ]);
  await Promise.all(["#username", "#password"].map(centerOf));
});
// Every scenario starts with all nodes up, whatever the one before it did; a failure shows what
// each node said around it.
beforeEach(async () => {
  await Promise.all(cluster.nodes.filter((n) => !n.isRunning()).map((n) => n.start()));
  const seen = cluster.nodes.map((n) => n.logs.length);
  trail = [];
  trailStart = Date.now();
  onTestFailed(() => {
    process.stderr.write(`--- steps ---\n${trail.join("\n")}\n`);
    for (const node of cluster.nodes) process.stderr.write(`--- node ${node.index} ---\n${node.logs.slice(seen[node.index]).slice(-40).join("\n")}\n`);
  });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await cluster?.close();
});

async function health(index: number): Promise<{ relay: { crossNodeOut: number; crossNodeIn: number; framesDropped: number; sockets: number } }> {
  return (await fetch(`${cluster.nodes[index].url}/healthz`)).json();
}

/** An operator signed in through node `index`, with the dashboard's live socket on the same node. */
async function operatorOn(index: number, email: string): Promise<{ socket: Socket; changes: { id: string; state: string }[] }> {
  const password = "a long operator password for the suite";
  await cluster.cli("operator", "create", "--email", email, "--password", password);
  const op = new OperatorClient(door(index), cluster.publicUrl);
  const signedIn = await op.signIn(email, password);
  expect(signedIn.status).toBe(200);
  const changes: { id: string; state: string }[] = [];
  const socket = io(`${door(index)}/operators`, {
    forceNew: true,
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { cookie: op.cookie, origin: cluster.publicUrl },
  });
  socket.on("handoff:changed", (summary: { id: string; state: string }) => changes.push({ id: summary.id, state: summary.state }));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return { socket, changes };
}

/** Where the demo site's login fields are on a phone-sized page, measured once (opening a page per tap would leave the phone idle). */
const fieldCenters = new Map<string, { x: number; y: number }>();
async function centerOf(selector: string): Promise<{ x: number; y: number }> {
  const known = fieldCenters.get(selector);
  if (known) return known;
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
  await page.goto(`${site.url}/login`);
  const box = (await page.locator(selector).boundingBox())!;
  await page.context().close();
  const center = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  fieldCenters.set(selector, center);
  return center;
}

/** Taps the center of a field of the demo site's login page (laid out like the phone's view). */
async function tapField(phone: NodePhone, selector: string): Promise<void> {
  const { x, y } = await centerOf(selector);
  await phone.send({ t: "pointer", phase: "down", pointerType: "touch", x, y });
  await phone.send({ t: "pointer", phase: "up", pointerType: "touch", x, y });
}

/** The person's whole sign-in on the demo site, typed on the phone. */
async function signInOnPhone(phone: NodePhone): Promise<void> {
  await tapField(phone, "#username");
  await phone.waitFor(() => phone.messages.find((m) => m.t === "focus" && m.field), 10_000, "focus on the username");
  await phone.send({ t: "text", text: site.username });
  await passwordAndCodeOnPhone(phone);
}

/** The rest of it once the username is in: the password, then the TOTP code. */
async function passwordAndCodeOnPhone(phone: NodePhone): Promise<void> {
  mark("tap the password field");
  await tapField(phone, "#password");
  await phone.waitFor(() => phone.messages.find((m) => m.t === "focus" && m.field?.type === "password"), 10_000, "password focus");
  mark("password focused; type it and press Enter");
  await phone.send({ t: "text", text: site.password });
  await phone.send({ t: "key", key: "Enter", shift: false });
  await phone.waitFor(() => phone.messages.find((m) => m.t === "focus" && m.field?.autocomplete === "one-time-code"), 15_000, "code field");
  mark(`code field focused (${phone.frames.length} frames so far); type the code and press Enter`);
  await phone.send({ t: "text", text: site.currentCode() });
  await phone.send({ t: "key", key: "Enter", shift: false });
}

/** A real worker (the SDK, a real Chromium) whose REST calls and socket go to node `workerNode`. */
async function startWorker(apiKey: string, workerNode: number) {
  cluster.balancer.setDefault(workerNode);
  const agentPage = await (await browser.newContext()).newPage();
  await agentPage.goto(`${site.url}/account`);
  let onLink!: (l: HandoffLink) => void;
  const linked = new Promise<HandoffLink>((r) => (onLink = r));
  const outcome = new BatonClient({ serverUrl: cluster.publicUrl, apiKey })
    .handoff(agentPage, { reason: "Read statements", success: { url: /\/account/ }, onLink })
    .then(
      (result) => ({ ok: true as const, result }),
      (error: Error) => ({ ok: false as const, error }),
    );
  const link = await linked;
  // The worker's socket is up once the relay knows the agent is there.
  await waitForRow(link.handoffId, (row) => row.agentGoneAt === null);
  return { agentPage, outcome, link };
}

async function waitForRow(id: string, probe: (row: Awaited<ReturnType<typeof rowOf>>) => boolean, timeoutMs = 20_000) {
  const start = Date.now();
  for (;;) {
    const row = await rowOf(id);
    if (probe(row)) return row;
    if (Date.now() - start > timeoutMs) throw new Error(`handoff ${id} did not reach the expected row: ${JSON.stringify({ state: row.state })}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const rowOf = (id: string) => cluster.database.db.handoff.findUniqueOrThrow({ where: { id } });

describe("Baton on three nodes", () => {
  it("starts three nodes together on an empty database, each migration applied exactly once", async () => {
    const rows = await cluster.database.db.$queryRawUnsafe<{ migration_name: string; n: bigint | number }[]>(
      `SELECT migration_name, count(*) AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL GROUP BY migration_name`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
    const appliedByNodes = cluster.nodes.flatMap((n) => (JSON.parse(n.logs.find((l) => l.startsWith('{"listening"'))!) as { migrated: string[] }).migrated);
    expect(appliedByNodes.sort()).toEqual(rows.map((r) => r.migration_name).sort());
  });

  it("completes a handoff created on A, claimed on B and approved on C, with the worker on A and the phone on B, and the dashboard on C sees it live", async () => {
    const { apiKey } = await cluster.createAgent([site.origin], ["--max-concurrent", "10"]);
    const operator = await operatorOn(C, "ops-live@example.com");
    const before = [await health(A), await health(B)];
    const { agentPage, outcome, link } = await startWorker(apiKey, A);

    const phone = phoneOn(B, link.url);
    expect((await phone.claim()).status).toBe(200);
    phone.serverUrl = door(C);
    expect((await phone.decide("approve")).status).toBe(200);
    phone.serverUrl = door(B);
    await phone.connect(link.handoffId);
    await phone.send({ t: "hello", viewport: { width: 390, height: 844, dpr: 1 } });
    await phone.waitFor(() => phone.frames.length > 0, 15_000, "the first frame across nodes");
    await signInOnPhone(phone);

    const settled = await outcome;
    expect(settled.ok).toBe(true);
    if (!settled.ok) return;
    expect(settled.result).toMatchObject({ status: "completed", cookies: [{ name: "demo_session" }] });
    await agentPage.goto(`${site.url}/account`);
    expect(await agentPage.locator("#protected-data").textContent()).toBe("Balance: 1,234.56 EUR");

    // The frames went A → B and the input B → A through the stream bus.
    const after = [await health(A), await health(B)];
    expect(after[0].relay.crossNodeOut).toBeGreaterThan(before[0].relay.crossNodeOut);
    expect(after[1].relay.crossNodeIn).toBeGreaterThan(before[1].relay.crossNodeIn);
    expect(after[1].relay.crossNodeOut).toBeGreaterThan(before[1].relay.crossNodeOut);
    // The dashboard on C heard every step, though C wrote none of them after the approval.
    await phone.waitFor(() => operator.changes.some((c) => c.id === link.handoffId && c.state === "completed"), 5000, "the dashboard's completed");
    expect(operator.changes.filter((c) => c.id === link.handoffId).map((c) => c.state)).toEqual(expect.arrayContaining(["opened", "approved", "completed"]));
    operator.socket.close();
    phone.close();
    await agentPage.context().close();
  });

  it("resumes on another node when the phone's node is killed mid-stream, and nothing expires as idle", async () => {
    const { apiKey } = await cluster.createAgent([site.origin], ["--max-concurrent", "10"]);
    const { agentPage, outcome, link } = await startWorker(apiKey, A);
    const phone = phoneOn(B, link.url);
    expect(await phone.claim()).toMatchObject({ status: 200 });
    expect(await phone.decide("approve")).toMatchObject({ status: 200 });
    await phone.connect(link.handoffId);
    await phone.send({ t: "hello", viewport: { width: 390, height: 844, dpr: 1 } });
    mark("phone connected to B");
    await phone.waitFor(() => phone.frames.length > 0, 15_000, "first frame");
    mark("first frame");
    await tapField(phone, "#username");
    await phone.waitFor(() => phone.messages.find((m) => m.t === "focus" && m.field?.autocomplete === "username"), 10_000, "focus on the username");
    mark("username focused; kill B");

    await cluster.nodes[B].kill();
    phone.close();
    const framesBefore = phone.frames.length;
    phone.serverUrl = door(C);
    await phone.connect(link.handoffId);
    mark("phone connected to C");
    await phone.send({ t: "hello", viewport: { width: 390, height: 844, dpr: 1 } });
    await phone.waitFor(() => phone.frames.length > framesBefore, 15_000, "a frame after reconnecting to C");
    mark("a frame through C");
    // Typed on C: what was on its way through B when it died is gone, as on a real network.
    await tapField(phone, "#username");
    await phone.send({ t: "text", text: site.username });

    // Longer than SESSION_IDLE_SECONDS (15 s) in all, the phone active on C throughout.
    const until = Date.now() + 17_000;
    while (Date.now() < until) {
      await phone.send({ t: "key", key: "ArrowRight", shift: false });
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect((await rowOf(link.handoffId)).state).toBe("live");
    await passwordAndCodeOnPhone(phone);
    const settled = await outcome;
    mark(`settled; states heard by the phone: ${phone.states.join(", ")}`);
    expect(settled.ok ? settled.result.status : settled.error.message).toBe("completed");
    phone.close();
    await agentPage.context().close();
  });

  it("keeps streaming through a Redis restart mid-handoff", async () => {
    const origin = "http://127.0.0.1:4990";
    const { apiKey } = await cluster.createAgent([origin]);
    const id = await createHandoff(apiKey, A, origin);
    const agent = await connectAgentPeer(door(A), id.id, id.link, apiKey);
    const phone = phoneOn(B, id.link);
    await phone.claim();
    await phone.decide("approve");
    await phone.connect(id.id);
    // Frames are latest-wins, and the worker sends its newest again when a viewer arrives: a frame
    // sent in the moment the phone's node is still joining it to the handoff may not be the one shown.
    let seq = 1;
    await phone.waitFor(
      () => {
        void agent.sendFrame(seq++);
        return phone.frames.length > 0;
      },
      5000,
      "a frame before the restart",
    );

    await cluster.redis.restart();
    // Redis is back and empty; the nodes reconnect and subscribe again by themselves.
    const beforeRestart = seq;
    await phone.waitFor(
      () => {
        void agent.sendFrame(seq++);
        return phone.frames.some((f) => f.seq >= beforeRestart);
      },
      15_000,
      "a frame across nodes after the restart",
    );
    await phone.send({ t: "signed_in" });
    await phone.waitFor(() => agent.received.some((m) => m.t === "signed_in"), 5000, "the phone's message across nodes after the restart");
    // Lifecycle changes still reach both ends: the person cancels from the phone's node.
    const cancelled = await phone.decide("cancel");
    expect(cancelled.status).toBe(200);
    await phone.waitFor(() => phone.states.includes("cancelled"), 5000, "cancelled on the phone");
    agent.close();
    phone.close();
  });

  it("keeps the slow-phone rule across nodes: the phone's node drops frames for a phone that stops reading, and the stream goes on after", async () => {
    const origin = "http://127.0.0.1:4994";
    const { apiKey } = await cluster.createAgent([origin]);
    const created = await createHandoff(apiKey, A, origin);
    const agent = await connectAgentPeer(door(A), created.id, created.link, apiKey);
    const agentPeers: { phone: boolean }[] = [];
    agent.socket.on("peer:status", (s: { phone: boolean }) => agentPeers.push(s));
    const phone = phoneOn(B, created.link);
    await phone.claim();
    await phone.decide("approve");
    await phone.connect(created.id);
    // Each end sees the other, though they are on different nodes.
    await phone.waitFor(() => agentPeers.some((p) => p.phone), 5000, "the agent on A seeing the phone on B");

    const dropped = (await health(B)).relay.framesDropped;
    // The phone stops reading its socket: the kernel's buffers fill, then B's queue for it.
    const tcp = (phone.socket!.io.engine.transport as unknown as { ws: { _socket: { pause(): void; resume(): void } } }).ws._socket;
    tcp.pause();
    const jpeg = new Uint8Array(64 * 1024).fill(7);
    jpeg.set([0xff, 0xd8]);
    for (let seq = 1; seq <= 300; seq++) await agent.sendJpeg(seq, jpeg, 1170, 2532);
    const waitDrops = async () => {
      const start = Date.now();
      while ((await health(B)).relay.framesDropped === dropped && Date.now() - start < 15_000) await new Promise((r) => setTimeout(r, 100));
    };
    await waitDrops();
    expect((await health(B)).relay.framesDropped).toBeGreaterThan(dropped);
    tcp.resume();
    // Once its queue has drained, the phone gets what the agent sends next (the worker re-sends its
    // latest frame when one goes unacknowledged).
    let seq = 1000;
    await phone.waitFor(
      () => {
        void agent.sendJpeg(seq++, jpeg, 1170, 2532);
        return phone.frames.some((f) => f.seq >= 1000);
      },
      20_000,
      "a new frame once the phone reads again",
    );
    expect(phone.frames.filter((f) => f.seq <= 300).length).toBeLessThan(300);
    agent.close();
    phone.close();
  });

  it("expires a handoff exactly once when the sweep's leader is killed; another node takes the lease", async () => {
    const origin = "http://127.0.0.1:4991";
    const { apiKey } = await cluster.createAgent([origin], ["--max-concurrent", "10"]);
    const leader = await leaseHolder();
    const leaderIndex = cluster.nodes.findIndex((n) => n.logs.some((l) => l.includes(leader)));
    expect(leaderIndex).toBeGreaterThanOrEqual(0);
    const survivor = (leaderIndex + 1) % cluster.nodes.length;
    const created = await Promise.all([1, 2, 3].map(() => createHandoff(apiKey, survivor, origin)));
    await cluster.nodes[leaderIndex].kill();
    // Due now: the suite moves the deadline instead of waiting for the link's TTL.
    await cluster.database.db.handoff.updateMany({ where: { id: { in: created.map((c) => c.id) } }, data: { expiresAt: new Date(Date.now() - 1000) } });
    for (const { id } of created) await waitForRow(id, (row) => row.state === "expired", 20_000);
    for (const { id } of created) {
      expect(await cluster.database.db.auditEvent.count({ where: { handoffId: id, action: "handoff.expired" } })).toBe(1);
    }
    expect(await leaseHolder()).not.toBe(leader);
  });

  it("ends a revoked agent's handoff on every node: the CLI revokes, the worker on A and the phone on B are told and closed", async () => {
    const origin = "http://127.0.0.1:4992";
    const { apiKey, agentId } = await cluster.createAgent([origin]);
    const created = await createHandoff(apiKey, A, origin);
    const agent = await connectAgentPeer(door(A), created.id, created.link, apiKey);
    const agentStates: string[] = [];
    agent.socket.on("handoff:state", (e: { state: string }) => agentStates.push(e.state));
    const phone = phoneOn(B, created.link);
    await phone.claim();
    await phone.decide("approve");
    await phone.connect(created.id);

    await cluster.cli("agent", "revoke", agentId);
    await phone.waitFor(() => phone.states.includes("failed") && agentStates.includes("failed"), 20_000, "both ends told");
    await phone.waitFor(() => phone.socket?.disconnected && agent.socket.disconnected, 5000, "both sockets closed");
    expect(await rowOf(created.id)).toMatchObject({ state: "failed", endReason: "agent_revoked" });
  });

  it("holds rate limits across nodes: creates per agent and bad keys per address", async () => {
    const { apiKey } = await cluster.createAgent(["http://127.0.0.1:4993"], ["--max-concurrent", "50"]);
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await postHandoff(apiKey, i % 3)).status);
    // RATE_CREATES_PER_MINUTE=6 for the whole deployment, not 6 per node.
    expect(statuses.filter((s) => s === 201)).toHaveLength(6);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);

    const bad: number[] = [];
    for (let i = 0; i < 31; i++) bad.push((await postHandoff(`bat_${"x".repeat(40)}${i}`, i % 3)).status);
    // 30 bad keys a minute from one address, counted over all nodes; the 31st is shed.
    expect(bad.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(bad[30]).toBe(429);
  });
});

async function postHandoff(apiKey: string, node: number): Promise<Response> {
  return fetch(`${door(node)}/api/handoffs`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ loginUrl: "http://127.0.0.1:4993/login", reason: "Read statements" }),
  });
}

async function createHandoff(apiKey: string, node: number, origin: string): Promise<{ id: string; link: string }> {
  const loginUrl = `${origin}/login`;
  const response = await fetch(`${door(node)}/api/handoffs`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ loginUrl, reason: "Read statements" }),
  });
  expect(response.status).toBe(201);
  const created = (await response.json()) as { id: string; linkPath: string };
  return { id: created.id, link: `${cluster.publicUrl}${created.linkPath}#k=${toBase64Url(randomSealKey())}` };
}

async function leaseHolder(): Promise<string> {
  const lease = await cluster.database.db.lease.findUniqueOrThrow({ where: { name: "sweep" } });
  return lease.holderId;
}
