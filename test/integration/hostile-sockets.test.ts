/**
 * Hostile socket input: refused handshakes, foreign devices and agents, stream data the relay drops, floods that are cut off, oversized frames, and a second handoff that stays lossless meanwhile.
 * Each hostile file starts its own server with small limits (test/helpers/hostile-server.ts).
 */
import { io } from "socket.io-client";
import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "../../lib/protocol/version";
import { MAX_FRAME_BYTES } from "../../lib/server/relay.socket";
import { connectAgentPeer } from "../helpers/agent-peer";
import { NodePhone } from "../helpers/node-phone";
import { Direction } from "../../lib/crypto/seal";
import { TARGET, connectError, connected, disconnected, useHostileServer } from "../helpers/hostile-server";

const hs = useHostileServer();

describe("hostile socket input", () => {
  it("refuses a hello without the protocol version, and a foreign Origin at the handshake", async () => {
    const h = await hs.current.handoff();
    const noVersion = io(hs.current.server.url, {
      transports: ["websocket"],
      reconnection: false,
      auth: { role: "agent", handoffId: h.id, apiKey: hs.current.apiKey },
    });
    expect(await connectError(noVersion)).toBe("bad_hello");
    noVersion.close();
    const foreign = io(hs.current.server.url, {
      transports: ["websocket"],
      reconnection: false,
      extraHeaders: { origin: "https://evil.test" },
      auth: { role: "agent", protocolVersion: PROTOCOL_VERSION, handoffId: h.id, apiKey: hs.current.apiKey },
    });
    expect(await connectError(foreign)).toMatch(/websocket error|xhr poll error|Unexpected server response/i);
    foreign.close();
  });

  it("refuses a phone whose device is bound to another handoff", async () => {
    const { phone } = await hs.current.livePhone();
    const other = await hs.current.handoff();
    const swapped = new NodePhone(hs.current.server.url, other.link);
    swapped.cookie = phone.cookie;
    await expect(swapped.connect(other.id)).rejects.toThrow("forbidden");
    phone.close();
  });

  it("refuses an agent socket for another agent's handoff", async () => {
    const other = (await hs.current.server.createAgent([TARGET])).apiKey;
    const h = await hs.current.handoff();
    const socket = hs.current.agentSocket(h.id, other);
    expect(await connectError(socket)).toBe("unauthenticated");
    socket.close();
  });

  it("drops stream data that is not binary, has the wrong direction, is oversized, or comes before approval", async () => {
    const { h, phone } = await hs.current.livePhone();
    const agent = hs.current.agentSocket(h.id);
    await new Promise<void>((r) => agent.once("connect", () => r()));
    const received: Uint8Array[] = [];
    agent.on("stream:data", (p: Uint8Array) => received.push(p));
    phone.socket!.emit("stream:data", "not binary");
    phone.socket!.emit("stream:data", new Uint8Array(64).fill(1)); // direction 1 is the worker's
    phone.socket!.emit("stream:data", new Uint8Array(9000).fill(2)); // over 8 KB of input
    phone.socket!.emit("stream:data", new Uint8Array(64).fill(2)); // well-formed framing: relayed
    phone.socket!.emit("stream:data", new Uint8Array(65).fill(2)); // and a second one, the marker
    // The relay forwards in order: once the marker is here, anything it let through is too.
    await phone.waitFor(() => received.length >= 2, 3000, "the two valid envelopes");
    expect(received.map((p) => p.length)).toEqual([64, 65]);
    // The first violation of a socket is audited, the later ones only counted.
    await hs.current.auditSettled();
    const refusals = await hs.current.server.services.db.auditEvent.findMany({ where: { handoffId: h.id, action: "stream.refused" } });
    expect(refusals.map((r) => [r.actor, r.decision])).toEqual([["end_user", "deny"]]);
    agent.close();
    phone.close();

    const early = await hs.current.handoff();
    const earlyPhone = new NodePhone(hs.current.server.url, early.link);
    await earlyPhone.claim();
    await earlyPhone.connect(early.id);
    const earlyAgent = hs.current.agentSocket(early.id);
    const got: unknown[] = [];
    earlyAgent.on("stream:data", (p) => got.push(p));
    await new Promise<void>((r) => earlyAgent.once("connect", () => r()));
    earlyPhone.socket!.emit("stream:data", new Uint8Array(64).fill(2));
    // Opened, not approved: nothing streams yet. Approved, the marker does — and only the marker.
    await earlyPhone.decide("approve");
    await earlyPhone.waitFor(() => earlyPhone.states.includes("approved"), 3000, "approved");
    earlyPhone.socket!.emit("stream:data", new Uint8Array(65).fill(2));
    await earlyPhone.waitFor(() => got.length > 0, 3000, "the marker after approval");
    expect(got.map((p) => (p as Uint8Array).length)).toEqual([65]);
    earlyAgent.close();
    earlyPhone.close();
  });

  it("disconnects a socket for unknown events in bulk, and one flooding input (10,000 a second)", async () => {
    const { h, phone } = await hs.current.livePhone();
    const gone = disconnected(phone.socket!);
    for (let i = 0; i < 10_000; i++) phone.socket!.emit("stream:data", new Uint8Array(40).fill(2));
    await gone;
    const audit = await hs.current.server.services.db.auditEvent.findFirst({ where: { handoffId: h.id, action: "stream.refused", reason: "rate_limited" } });
    expect(audit?.decision).toBe("deny");

    const unknown = await hs.current.livePhone();
    const closed = disconnected(unknown.phone.socket!);
    for (let i = 0; i < 60; i++) unknown.phone.socket!.emit("admin:approve", { all: true });
    await closed;
    // …and the server still serves everyone else.
    expect((await hs.current.handoff()).token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe("socket origin and frame size", () => {
  it("refuses a phone socket that sends no Origin (which allowRequest lets through) with origin_not_allowed", async () => {
    const agent = await hs.current.freshAgent();
    const { h, phone } = await hs.current.livePhone(agent.apiKey);
    phone.close();
    const auth = { role: "phone", protocolVersion: PROTOCOL_VERSION, handoffId: h.id };
    const bare = io(hs.current.server.url, { transports: ["websocket"], reconnection: false, auth, extraHeaders: { cookie: phone.cookie } });
    expect(await connectError(bare)).toBe("origin_not_allowed");
    bare.close();
    // The same device cookie from Baton's own Origin is let in: the Origin was the only thing wrong.
    const right = io(hs.current.server.url, {
      transports: ["websocket"],
      reconnection: false,
      auth,
      extraHeaders: { cookie: phone.cookie, origin: hs.current.server.url },
    });
    await connected(right);
    right.close();
  });

  it("refuses an agent frame over MAX_FRAME_BYTES without forwarding it, audits stream.refused, and delivers later frames", async () => {
    const agent = await hs.current.freshAgent();
    const { h, phone } = await hs.current.livePhone(agent.apiKey);
    const peer = await connectAgentPeer(hs.current.server.url, h.id, h.link, agent.apiKey);
    const sizes: number[] = [];
    phone.socket!.on("stream:data", (p: Uint8Array) => sizes.push(p.byteLength));
    const oversized = new Uint8Array(MAX_FRAME_BYTES + 1).fill(7);
    oversized[0] = Direction.toPhone; // well framed, only too big
    peer.socket.emit("stream:data", oversized);
    await peer.sendFrame(1);
    await peer.sendFrame(2);
    await phone.waitFor(() => phone.frames.length >= 2, 5000, "the two valid frames");
    expect(phone.frames.map((f) => f.seq)).toEqual([1, 2]);
    expect(Math.max(...sizes)).toBeLessThan(1024);
    await hs.current.auditSettled();
    const audit = await hs.current.server.services.db.auditEvent.findFirst({ where: { handoffId: h.id, action: "stream.refused" } });
    expect(audit).toMatchObject({ actor: "agent", decision: "deny", reason: "too_large" });
    expect(peer.socket.connected).toBe(true);
    peer.close();
    phone.close();
  });
});

describe("isolation under flood", () => {
  it("keeps a second handoff's sealed exchange lossless and the API prompt while another phone floods 10,000 inputs", async () => {
    const agent = await hs.current.freshAgent();
    const flood = await hs.current.livePhone(agent.apiKey);
    const floodAgent = hs.current.agentSocket(flood.h.id, agent.apiKey);
    let floodForwarded = 0;
    floodAgent.on("stream:data", () => (floodForwarded += 1));
    await connected(floodAgent);
    const quiet = await hs.current.livePhone(agent.apiKey);
    const peer = await connectAgentPeer(hs.current.server.url, quiet.h.id, quiet.h.link, agent.apiKey);

    const flooderGone = disconnected(flood.phone.socket!);
    const flooding = (async () => {
      for (let i = 0; i < 10_000; i++) {
        flood.phone.socket!.emit("stream:data", new Uint8Array(40).fill(2));
        if (i % 250 === 0) await new Promise((r) => setImmediate(r));
      }
    })();
    // Frame, ack, next frame: the worker's own pacing, so nothing is dropped for backpressure.
    const rounds = 30;
    const exchange = (async () => {
      for (let seq = 1; seq <= rounds; seq++) {
        await peer.sendFrame(seq);
        await quiet.phone.waitFor(() => peer.received.some((m) => m.t === "frame_ack" && m.seq === seq), 5000, `ack ${seq}`);
      }
    })();
    const started = performance.now();
    const unrelated = await hs.current.api("/healthz");
    const apiMs = performance.now() - started;
    await Promise.all([flooding, exchange, flooderGone]);
    // The relay's news reaches the agent's socket in order: once it hears the handoff ended, every
    // piece of the flood that was forwarded has arrived.
    const ended = new Promise<void>((resolve) => floodAgent.on("handoff:state", (e: { state: string }) => e.state === "cancelled" && resolve()));
    expect((await hs.current.api(`/api/handoffs/${flood.h.id}/report`, { key: agent.apiKey, body: JSON.stringify({ event: "cancelled" }) })).status).toBe(200);
    await ended;

    expect(quiet.phone.frames.map((f) => f.seq)).toEqual(Array.from({ length: rounds }, (_, i) => i + 1));
    expect(peer.received.filter((m) => m.t === "frame_ack")).toHaveLength(rounds);
    expect(unrelated.status).toBe(200);
    expect(apiMs).toBeLessThan(1000);
    // The flood itself was cut off at the input rate, not relayed.
    expect(floodForwarded).toBeLessThan(200);
    expect(peer.socket.connected).toBe(true);
    peer.close();
    floodAgent.close();
    quiet.phone.close();
  });
});
