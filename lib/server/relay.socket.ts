/**
 * The Socket.IO relay. It authenticates both ends at the handshake (agent key; device cookie bound
 * to the handoff), then forwards sealed stream payloads between them as opaque bytes. It checks
 * framing only — direction byte, size, rate, handoff state — and never imports decryption code.
 *
 * On several nodes (REDIS_URL) the two ends may sit on different nodes: Socket.IO's Redis adapter
 * carries rooms, presence, lifecycle changes and disconnects to every node, and the stream bus
 * carries the sealed bytes to the node holding the other end (lib/cluster/stream-bus.ts).
 */
import type { Server as HttpServer } from "node:http";
import type { Server as HttpsServer } from "node:https";
import { Server, type Socket } from "socket.io";
import { z } from "zod";
import { sameDigest, sha256Hex } from "../auth/secrets";
import { Direction, envelopeDirection } from "../crypto/envelope";
import { isTerminal, ForwardingStates, HandoffStates } from "../lifecycle/states";
import {
  CloseReasons,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketAuth,
  SocketAuthSchema,
  SocketEvents,
  versionMismatch,
} from "../protocol/events";
import type { HandoffRow } from "../handoffs/handoff.store";
import { findIllFormed } from "../text/find-ill-formed";
import { clientAddressOf } from "./client-address";
import { readDeviceId } from "./phone-session";
import { createRateLimiter } from "./rate-limiter";
import { createRelayStates, type StateChange } from "./relay-states";
import type { Services } from "./services";

type Role = "agent" | "phone";
interface SocketData {
  role: Role;
  handoffId: string;
  agentId: string;
}
/** Between Baton's nodes, through the adapter: a lifecycle change one node wrote. */
interface InterServerEvents {
  "handoff:state": (change: StateChange) => void;
}
const StateChangeSchema = z.strictObject({ id: z.string().max(64), state: z.enum(HandoffStates), endReason: z.string().max(64).nullable() });

type RelaySocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type RelayServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Frames are at most a few hundred KB even at 3× scale; input messages are tiny. */
export const MAX_FRAME_BYTES = 1024 * 1024;
export const MAX_INPUT_BYTES = 8 * 1024;
/** Past this many queued packets for a phone, frames are dropped (the worker sends the latest later). */
const MAX_PHONE_WRITE_BUFFER = 16;

/** engine.io keeps its write buffer private and has no drain event; reading its length is the only signal. */
function queuedPackets(socket: RelaySocket): number {
  return (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;
}

/** Bytes the WebSocket below a socket has accepted but not yet written to the network. */
function bufferedBytes(socket: RelaySocket): number {
  const ws = (socket.conn as unknown as { transport?: { socket?: { bufferedAmount?: unknown } } }).transport?.socket;
  return typeof ws?.bufferedAmount === "number" ? ws.bufferedAmount : 0;
}

/** Load figures for operators and the benchmark: the largest write backlog any socket reached. */
export interface RelayStats {
  maxQueuedPackets: number;
  maxBufferedBytes: number;
  framesDropped: number;
  /** Sealed messages sent to and received from other nodes. */
  crossNodeOut: number;
  crossNodeIn: number;
}

/** The envelope direction and size limit of what goes to each end. */
const directionTo = (to: Role) => (to === "phone" ? Direction.toPhone : Direction.toWorker);
const maxBytesTo = (to: Role) => (to === "phone" ? MAX_FRAME_BYTES : MAX_INPUT_BYTES);
const isFramedFor = (to: Role, payload: Uint8Array) => envelopeDirection(payload) === directionTo(to) && payload.length <= maxBytesTo(to);

const room = (id: string) => `h:${id}`;
const roleRoom = (id: string, role: Role) => `h:${id}:${role}`;

export function attachRelay(httpServer: HttpServer | HttpsServer, services: Services): { io: RelayServer; stats: RelayStats; close(): void } {
  const { config, logger, store, audit, clock } = services;
  const { bus } = services.cluster;
  const stats: RelayStats = { maxQueuedPackets: 0, maxBufferedBytes: 0, framesDropped: 0, crossNodeOut: 0, crossNodeIn: 0 };

  const io: RelayServer = new Server(httpServer, {
    serveClient: false,
    // JPEG does not compress; deflate would only cost CPU on every frame.
    perMessageDeflate: false,
    httpCompression: false,
    maxHttpBufferSize: MAX_FRAME_BYTES + 1024,
    // WebSocket only, on both ends: no long-polling session to hijack or to keep sticky, and
    // every handshake carries the browser's Origin. A polling handshake is refused.
    transports: ["websocket"],
    pingInterval: 10_000,
    pingTimeout: 8_000,
    // The `cors` option does not stop WebSocket upgrades; check Origin ourselves.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      callback(null, origin === undefined || origin === config.publicOrigin);
    },
    ...(services.cluster.adapter ? { adapter: services.cluster.adapter } : {}),
  });

  const states = createRelayStates({ store, logger, holds: (id) => io.sockets.adapter.rooms.has(room(id)), onChange: tellLocalSockets });

  const addressOf = (socket: RelaySocket) => clientAddressOf(socket.handshake.headers, socket.conn.remoteAddress, config.trustProxy);

  /** The handoff an agent socket is for, or the reason it is refused (bad keys shed as over HTTP). */
  async function agentHandoff(socket: RelaySocket, auth: Extract<SocketAuth, { role: "agent" }>): Promise<HandoffRow | string> {
    const address = addressOf(socket);
    if (await services.authThrottle.isShed(address, auth.apiKey)) {
      services.failures.record(address, "socket_key_shed");
      return CloseReasons.RATE_LIMITED;
    }
    const agent = await services.agents.authenticate(auth.apiKey);
    if (agent) await services.authThrottle.noteSuccess(auth.apiKey);
    else await services.authThrottle.noteFailure(address);
    const row = agent ? await store.findById(auth.handoffId) : null;
    if (!agent || !row || row.agentId !== agent.agentId) {
      services.failures.record(address, agent ? "socket_not_owner" : "socket_invalid_key", agent?.agentId);
      return CloseReasons.UNAUTHENTICATED;
    }
    return row;
  }

  io.use(async (socket, next) => {
    // The same boundary rule as every JSON body: no lone surrogate gets past the hello.
    const parsed = findIllFormed(socket.handshake.auth) ? null : SocketAuthSchema.safeParse(socket.handshake.auth);
    if (!parsed?.success) return next(new Error(CloseReasons.BAD_HELLO));
    const auth = parsed.data;
    const mismatch = versionMismatch(auth.protocolVersion);
    if (mismatch) return next(new Error(mismatch));
    let row: HandoffRow | null;
    if (auth.role === "agent") {
      const found = await agentHandoff(socket, auth);
      if (typeof found === "string") return next(new Error(found));
      row = found;
    } else {
      // A browser always sends Origin on a WebSocket handshake; the phone uses WebSocket only.
      if (socket.handshake.headers.origin !== config.publicOrigin) return next(new Error(CloseReasons.ORIGIN));
      const deviceId = await readDeviceId(socket.handshake.headers.cookie, services.phoneSession);
      row = deviceId ? await store.findById(auth.handoffId) : null;
      if (!deviceId || !row?.deviceHash || !sameDigest(row.deviceHash, sha256Hex(deviceId))) {
        services.failures.record(addressOf(socket), "socket_device_not_bound");
        return next(new Error(CloseReasons.FORBIDDEN));
      }
    }
    if (isTerminal(row.state)) return next(new Error(CloseReasons.ENDED));
    states.admit(row.id, row.state);
    if (auth.role === "phone") services.handoffs.touch(row.id);
    socket.data = { role: auth.role, handoffId: row.id, agentId: row.agentId };
    next();
  });

  /** Who is connected to a handoff on any node (this node's own sockets when the others cannot answer). */
  async function peersOf(id: string): Promise<{ phone: boolean; agent: boolean }> {
    const sockets = await io
      .in(room(id))
      .fetchSockets()
      .catch((error: Error) => {
        logger.warn("presence across nodes unavailable; using this node's", { error: error.message });
        return io.local.in(room(id)).fetchSockets();
      });
    return { phone: sockets.some((s) => s.data.role === "phone"), agent: sockets.some((s) => s.data.role === "agent") };
  }
  const announcePeers = async (id: string) => void io.to(room(id)).emit(SocketEvents.peerStatus, await peersOf(id));

  /** Sends to this node's sockets of one end; false when it has none. Frames respect a slow phone. */
  function deliverLocal(handoffId: string, to: Role, payload: Uint8Array): boolean {
    const targets = io.sockets.adapter.rooms.get(roleRoom(handoffId, to));
    if (!targets || targets.size === 0) return false;
    for (const id of targets) {
      const target = io.sockets.sockets.get(id);
      if (!target) continue;
      const queued = queuedPackets(target);
      // A phone that cannot keep up gets fewer frames, never a growing queue.
      if (to === "phone" && queued > MAX_PHONE_WRITE_BUFFER) {
        stats.framesDropped += 1;
        continue;
      }
      target.emit(SocketEvents.streamData, payload);
      stats.maxQueuedPackets = Math.max(stats.maxQueuedPackets, queued + 1);
      stats.maxBufferedBytes = Math.max(stats.maxBufferedBytes, bufferedBytes(target));
    }
    return true;
  }

  /** A lifecycle change reaches this node's sockets of the handoff; the final one closes them. */
  function tellLocalSockets(change: StateChange): void {
    io.local.to(room(change.id)).emit(SocketEvents.handoffState, { state: change.state, endReason: change.endReason });
    // Let the final state reach both ends before the sockets close.
    if (isTerminal(change.state)) setTimeout(() => io.local.in(room(change.id)).disconnectSockets(true), 100).unref();
  }

  /** One input budget per handoff, not per socket: twenty sockets must not get twenty budgets. */
  const inputLimit = createRateLimiter(config.rates.inputPerSecond, 1000, clock);

  io.on("connection", (socket: RelaySocket) => {
    const { role, handoffId } = socket.data;
    // One phone per handoff: the newest socket (a reload, a reconnect) replaces the older ones, on
    // any node.
    // (Across nodes the adapter applies this later, this node included: the new socket is spared by name.)
    if (role === "phone") io.in(roleRoom(handoffId, "phone")).except(socket.id).disconnectSockets(true);
    void socket.join([room(handoffId), roleRoom(handoffId, role)]);
    bus.join(handoffId, role, (payload) => {
      // Checked at the sending node already; checked again, since Redis is a network peer too.
      if (!isFramedFor(role, payload) || !ForwardingStates.has(states.get(handoffId) ?? "pending")) return;
      stats.crossNodeIn += 1;
      deliverLocal(handoffId, role, payload);
    });
    socket.emit(SocketEvents.handoffState, { state: states.get(handoffId) ?? "pending", endReason: null });
    const joined = role === "agent" ? services.agentPresence.agentJoined(handoffId) : Promise.resolve();
    joined.then(() => announcePeers(handoffId)).catch((error: Error) => logger.warn("relay presence update failed", { handoffId, error: error.message }));
    let violations = 0;

    const refuse = (reason: string) => {
      violations += 1;
      logger.warn("relay refused a message", { handoffId, role, reason });
      if (violations === 1) {
        void audit.append({
          actor: role === "agent" ? "agent" : "end_user",
          action: "stream.refused",
          decision: "deny",
          reason,
          handoffId,
          agentId: socket.data.agentId,
        });
      }
      // A few strays are tolerated (a frame racing the end of a handoff); a stream of them is not.
      if (violations > 50 || reason === "rate_limited") socket.disconnect(true);
    };

    socket.onAny((event: string) => {
      if (event !== SocketEvents.streamData) refuse("unknown_event");
    });

    socket.on(SocketEvents.streamData, (payload: unknown) => {
      if (!(payload instanceof Uint8Array)) return refuse("not_binary");
      const state = states.get(handoffId);
      if (!state || !ForwardingStates.has(state)) return refuse("not_streaming");
      const to: Role = role === "agent" ? "phone" : "agent";
      if (envelopeDirection(payload) !== directionTo(to)) return refuse("bad_direction");
      if (payload.length > maxBytesTo(to)) return refuse("too_large");
      if (role === "phone" && !inputLimit.take(handoffId)) return refuse("rate_limited");
      if (role === "phone") services.handoffs.touch(handoffId);
      if (deliverLocal(handoffId, to, payload)) return;
      // One node and no phone yet: nothing to count. Several: a frame Redis could not take is dropped.
      if (bus.publish(handoffId, to, payload)) stats.crossNodeOut += 1;
      else if (services.cluster.isShared && to === "phone") stats.framesDropped += 1;
    });

    socket.on("disconnect", () => {
      bus.leave(handoffId, role);
      void (async () => {
        // A handoff that is still running has lost its agent: it ends unless the agent comes back soon.
        if (role === "agent" && states.get(handoffId) && !(await peersOf(handoffId)).agent) await services.agentPresence.agentLeft(handoffId);
        await announcePeers(handoffId);
      })().catch((error: Error) => logger.warn("relay presence update failed", { handoffId, error: error.message }));
    });
  });

  /** A change this node wrote: its own sockets now, the other nodes through the adapter. */
  store.events.on("state", (row) => {
    const change: StateChange = { id: row.id, state: row.state, endReason: row.endReason };
    if (states.apply(change)) tellLocalSockets(change);
    if (services.cluster.isShared) io.serverSideEmit("handoff:state", change);
  });
  io.on("handoff:state", (raw: unknown) => {
    const parsed = StateChangeSchema.safeParse(raw);
    if (parsed.success && states.apply(parsed.data)) tellLocalSockets(parsed.data);
  });

  store.events.on("reuse", (row) => {
    io.to(roleRoom(row.id, "agent")).emit(SocketEvents.linkReuse, { at: clock.now().toISOString(), attempts: row.reuseAttempts });
  });

  return { io, stats, close: () => states.stop() };
}
