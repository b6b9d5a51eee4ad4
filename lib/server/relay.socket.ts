/**
 * The Socket.IO relay. It authenticates both ends at the handshake (agent key; device cookie bound
 * to the handoff), then forwards sealed stream payloads between them as opaque bytes. It checks
 * framing only — direction byte, size, rate, handoff state — and never imports decryption code.
 */
import type { Server as HttpServer } from "node:http";
import type { Server as HttpsServer } from "node:https";
import { Server, type Socket } from "socket.io";
import { sameDigest, sha256Hex } from "../auth/secrets";
import { Direction, envelopeDirection } from "../crypto/envelope";
import { isTerminal, type HandoffState, ForwardingStates } from "../lifecycle/states";
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
import type { Services } from "./services";

type Role = "agent" | "phone";
interface SocketData {
  role: Role;
  handoffId: string;
  agentId: string;
}
type RelaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type RelayServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

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
}

const room = (id: string) => `h:${id}`;
const roleRoom = (id: string, role: Role) => `h:${id}:${role}`;

export function attachRelay(httpServer: HttpServer | HttpsServer, services: Services): { io: RelayServer; stats: RelayStats } {
  const { config, logger, store, audit, clock } = services;
  const states = new Map<string, HandoffState>();
  const stats: RelayStats = { maxQueuedPackets: 0, maxBufferedBytes: 0, framesDropped: 0 };

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
  });

  const addressOf = (socket: RelaySocket) => clientAddressOf(socket.handshake.headers, socket.conn.remoteAddress, config.trustProxy);

  /** The handoff an agent socket is for, or the reason it is refused (bad keys shed as over HTTP). */
  async function agentHandoff(socket: RelaySocket, auth: Extract<SocketAuth, { role: "agent" }>): Promise<HandoffRow | string> {
    const address = addressOf(socket);
    if (services.authThrottle.isShed(address, auth.apiKey)) {
      services.failures.record(address, "socket_key_shed");
      return CloseReasons.RATE_LIMITED;
    }
    const agent = await services.agents.authenticate(auth.apiKey);
    if (agent) services.authThrottle.noteSuccess(auth.apiKey);
    else services.authThrottle.noteFailure(address);
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
    states.set(row.id, row.state);
    if (auth.role === "phone") services.handoffs.touch(row.id);
    socket.data = { role: auth.role, handoffId: row.id, agentId: row.agentId };
    next();
  });

  const peerCount = (id: string, role: Role) => io.sockets.adapter.rooms.get(roleRoom(id, role))?.size ?? 0;
  const announcePeers = (id: string) => io.to(room(id)).emit(SocketEvents.peerStatus, { phone: peerCount(id, "phone") > 0, agent: peerCount(id, "agent") > 0 });

  /** One input budget per handoff, not per socket: twenty sockets must not get twenty budgets. */
  const inputLimit = createRateLimiter(config.rates.inputPerSecond, 1000, clock);

  io.on("connection", (socket: RelaySocket) => {
    const { role, handoffId } = socket.data;
    // One phone per handoff: the newest socket (a reload, a reconnect) replaces the older ones.
    if (role === "phone") io.in(roleRoom(handoffId, "phone")).disconnectSockets(true);
    void socket.join([room(handoffId), roleRoom(handoffId, role)]);
    socket.emit(SocketEvents.handoffState, { state: states.get(handoffId) ?? "pending", endReason: null });
    if (role === "agent") services.agentPresence.agentJoined(handoffId);
    announcePeers(handoffId);
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
      const expected = role === "agent" ? Direction.toPhone : Direction.toWorker;
      if (envelopeDirection(payload) !== expected) return refuse("bad_direction");
      if (payload.length > (role === "agent" ? MAX_FRAME_BYTES : MAX_INPUT_BYTES)) return refuse("too_large");
      if (role === "phone" && !inputLimit.take(handoffId)) return refuse("rate_limited");
      if (role === "phone") services.handoffs.touch(handoffId);
      const targets = io.sockets.adapter.rooms.get(roleRoom(handoffId, role === "agent" ? "phone" : "agent"));
      for (const id of targets ?? []) {
        const target = io.sockets.sockets.get(id);
        if (!target) continue;
        const queued = queuedPackets(target);
        // A phone that cannot keep up gets fewer frames, never a growing queue.
        if (role === "agent" && queued > MAX_PHONE_WRITE_BUFFER) {
          stats.framesDropped += 1;
          continue;
        }
        target.emit(SocketEvents.streamData, payload);
        stats.maxQueuedPackets = Math.max(stats.maxQueuedPackets, queued + 1);
        stats.maxBufferedBytes = Math.max(stats.maxBufferedBytes, bufferedBytes(target));
      }
    });

    socket.on("disconnect", () => {
      announcePeers(handoffId);
      // A handoff that is still running has lost its agent: it ends unless the agent comes back soon.
      if (role === "agent" && states.has(handoffId) && peerCount(handoffId, "agent") === 0) services.agentPresence.agentLeft(handoffId);
    });
  });

  store.events.on("state", (row) => {
    const state = row.state;
    io.to(room(row.id)).emit(SocketEvents.handoffState, { state, endReason: row.endReason });
    if (isTerminal(state)) {
      states.delete(row.id);
      // Let the final state reach both ends before the sockets close.
      setTimeout(() => io.in(room(row.id)).disconnectSockets(true), 100).unref();
    } else if (states.has(row.id)) {
      states.set(row.id, state);
    }
  });

  store.events.on("reuse", (row) => {
    io.to(roleRoom(row.id, "agent")).emit(SocketEvents.linkReuse, { at: clock.now().toISOString(), attempts: row.reuseAttempts });
  });

  return { io, stats };
}
