/**
 * The worker's socket to the relay, and every way of losing it. Socket.IO retries a dropped
 * transport by itself, but not a refusal at the handshake (a protocol version mismatch, a refused
 * key, an ended handoff), and not a server-side disconnect: without this, `handoff()` could wait for
 * a relay that will never take it back. Each loss ends in exactly one of:
 * - `onEnded` — the relay says the handoff is over (the caller asks the server how it ended);
 * - `onLost(error)` — a typed error: which side is too old, what the relay refused, or that it stayed
 *   unreachable for `lostAfterMs`.
 */
import { io, type Socket } from "socket.io-client";
import type { HandoffState } from "../lib/lifecycle/states";
import {
  CloseReasons,
  type ClientToServerEvents,
  type CloseReason,
  HandoffStateEventSchema,
  LinkReuseEventSchema,
  PeerStatusSchema,
  type ServerToClientEvents,
  SocketEvents,
} from "../lib/protocol/events";
import { FailureReasons } from "../lib/protocol/end-reasons";
import { PROTOCOL_VERSION } from "../lib/protocol/version";
import { HandoffFailed } from "./errors";

export type RelaySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface RelayLinkOptions {
  serverUrl: string;
  apiKey: string;
  handoffId: string;
  /** How long the relay may stay unreachable before the handoff fails (default 20 s). */
  lostAfterMs?: number;
  /** True once the handoff is over here: a drop then is the expected end, not a loss. */
  isOver(): boolean;
  onEnded(): void;
  onLost(error: HandoffFailed): void;
  /** The relay's lifecycle news, each parsed with its schema (anything else is ignored). */
  onState(state: HandoffState, endReason: string | null): void;
  onPhoneGone(): void;
  onReuse(attempts: number): void;
  onStreamData(payload: unknown): void;
}

const REFUSALS: ReadonlySet<string> = new Set<CloseReason>(Object.values(CloseReasons));

/** The error for a refusal at the handshake, in words that say what to do. */
export function refusalError(handoffId: string, reason: CloseReason): HandoffFailed {
  switch (reason) {
    case CloseReasons.CLIENT_TOO_OLD:
      return new HandoffFailed(handoffId, "sdk_too_old", `this SDK speaks protocol ${PROTOCOL_VERSION}, older than the Baton server's: update the SDK`);
    case CloseReasons.SERVER_TOO_OLD:
      return new HandoffFailed(handoffId, "server_too_old", `this SDK speaks protocol ${PROTOCOL_VERSION}, newer than the Baton server's: update the server`);
    default:
      return new HandoffFailed(handoffId, FailureReasons.RELAY_LOST, `the relay refused the worker (${reason})`);
  }
}

export function openRelayLink(options: RelayLinkOptions): RelaySocket {
  const lostAfterMs = options.lostAfterMs ?? 20_000;
  const socket: RelaySocket = io(options.serverUrl, {
    transports: ["websocket"],
    auth: { role: "agent", protocolVersion: PROTOCOL_VERSION, handoffId: options.handoffId, apiKey: options.apiKey },
    reconnectionDelayMax: 2000,
  });
  let lostTimer: NodeJS.Timeout | undefined;
  let isSettled = false;
  const settle = (fn: () => void) => {
    if (isSettled || options.isOver()) return;
    isSettled = true;
    clearTimeout(lostTimer);
    socket.disconnect();
    fn();
  };
  const armLostTimer = () => {
    if (lostTimer || options.isOver()) return;
    lostTimer = setTimeout(
      () =>
        settle(() =>
          options.onLost(
            new HandoffFailed(options.handoffId, FailureReasons.RELAY_LOST, `the relay stayed unreachable for ${Math.round(lostAfterMs / 1000)} s`),
          ),
        ),
      lostAfterMs,
    );
    lostTimer.unref?.();
  };

  socket.on("connect", () => {
    clearTimeout(lostTimer);
    lostTimer = undefined;
  });
  socket.on("connect_error", (error) => {
    // Socket.IO goes on retrying transport errors by itself (`active`); a refusal by the relay's
    // middleware it does not retry.
    if (socket.active) return armLostTimer();
    const reason = REFUSALS.has(error.message) ? (error.message as CloseReason) : null;
    if (reason === CloseReasons.ENDED || reason === CloseReasons.UNAUTHENTICATED || reason === CloseReasons.REVOKED) return settle(() => options.onEnded());
    settle(() => options.onLost(refusalError(options.handoffId, reason ?? CloseReasons.BAD_HELLO)));
  });
  socket.on("disconnect", (reason) => {
    if (options.isOver()) return;
    armLostTimer();
    // The relay dropped this socket (a burst of refused messages, a restart): ask again shortly.
    if (reason === "io server disconnect") setTimeout(() => !isSettled && socket.connect(), 500).unref?.();
  });
  socket.on(SocketEvents.handoffState, (raw) => {
    const parsed = HandoffStateEventSchema.safeParse(raw);
    if (parsed.success) options.onState(parsed.data.state, parsed.data.endReason);
  });
  socket.on(SocketEvents.peerStatus, (raw) => {
    const parsed = PeerStatusSchema.safeParse(raw);
    if (parsed.success && !parsed.data.phone) options.onPhoneGone();
  });
  socket.on(SocketEvents.linkReuse, (raw) => {
    const parsed = LinkReuseEventSchema.safeParse(raw);
    if (parsed.success) options.onReuse(parsed.data.attempts);
  });
  socket.on(SocketEvents.streamData, (payload) => options.onStreamData(payload));
  return socket;
}
