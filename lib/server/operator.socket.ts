/**
 * The dashboard's live channel: the `/operators` Socket.IO namespace on the relay's server. A
 * socket is admitted only from Baton's own origin with a live operator session (the same cookie
 * and database check as the REST API), and is dropped when that session ends. It pushes handoff
 * summaries (metadata only) as handoffs are created and change state; it accepts nothing.
 */
import type { Namespace, Server, Socket } from "socket.io";
import { toHandoffSummary } from "../dashboard/handoff-summary";
import type { HandoffRow } from "../handoffs/handoff.store";
import { OPERATOR_NAMESPACE, OperatorEvents, type OperatorToServerEvents, type ServerToOperatorEvents } from "../protocol/operator-events";
import { resolveOperator } from "./operator-auth";
import { readOperatorCookie } from "./operator-cookie";
import type { Services } from "./services";

interface OperatorSocketData {
  sessionId: string;
  operatorId: string;
  /** Kept only in this process's memory, to re-check the session while the socket lives. */
  cookieHeader: string;
}
type OperatorSocket = Socket<OperatorToServerEvents, ServerToOperatorEvents, Record<string, never>, OperatorSocketData>;
type OperatorNamespace = Namespace<OperatorToServerEvents, ServerToOperatorEvents, Record<string, never>, OperatorSocketData>;

const ALL = "operators";
const sessionRoom = (id: string) => `session:${id}`;
/** How often open sockets re-check that their session is still live (expiry, idle, disabled). */
const RECHECK_MS = 30_000;

// The server's generic parameters belong to the relay; this namespace has its own event types.
export function attachOperatorSocket(io: Server<any, any, any, any>, services: Services): { namespace: OperatorNamespace; close(): void } {
  const { config, logger, store, audit, db } = services;
  const namespace = io.of(OPERATOR_NAMESPACE) as unknown as OperatorNamespace;

  namespace.use(async (socket, next) => {
    // Browsers always send Origin on a WebSocket handshake; the dashboard uses WebSocket only.
    if (socket.handshake.headers.origin !== config.publicOrigin) return next(new Error("origin_not_allowed"));
    const cookieHeader = socket.handshake.headers.cookie ?? "";
    const operator = await resolveOperator(cookieHeader, services).catch(() => null);
    if (!operator) return next(new Error("unauthenticated"));
    socket.data = { sessionId: operator.session.sessionId, operatorId: operator.session.operatorId, cookieHeader };
    next();
  });

  namespace.on("connection", (socket: OperatorSocket) => {
    void socket.join([ALL, sessionRoom(socket.data.sessionId)]);
    // The dashboard never sends; anything that arrives is not from our page.
    socket.onAny(() => socket.disconnect(true));
  });

  async function publish(row: HandoffRow): Promise<void> {
    const agent = await db.agent.findUnique({ where: { id: row.agentId }, select: { name: true } });
    namespace.to(ALL).emit(OperatorEvents.handoffChanged, toHandoffSummary(row, agent?.name ?? ""));
  }
  const onState = (row: HandoffRow) => void publish(row).catch((e: Error) => logger.warn("operator push failed", { error: e.message }));
  const onAppended = (record: { action: string; handoffId: string | null }) => {
    if (record.action !== "handoff.created" || !record.handoffId) return;
    void store
      .findById(record.handoffId)
      .then((row) => (row ? publish(row) : undefined))
      .catch((e: Error) => logger.warn("operator push failed", { error: e.message }));
  };
  // A webhook delivery's outcome changes the handoff's page, not the handoff: refresh it all the same.
  const onDelivery = (handoffId: string) =>
    void store
      .findById(handoffId)
      .then((row) => (row ? publish(row) : undefined))
      .catch((e: Error) => logger.warn("operator push failed", { error: e.message }));
  const onRevoked = (sessionId: string) => {
    namespace.to(sessionRoom(sessionId)).emit(OperatorEvents.sessionEnded);
    namespace.in(sessionRoom(sessionId)).disconnectSockets(true);
  };
  store.events.on("state", onState);
  audit.events.on("appended", onAppended);
  services.operatorSessions.events.on("revoked", onRevoked);
  services.webhookWorker.events.on("recorded", onDelivery);

  const recheck = setInterval(async () => {
    for (const socket of namespace.sockets.values()) {
      const cookie = await readOperatorCookie(socket.data.cookieHeader, services.operatorCookie);
      const session = cookie ? await services.operatorSessions.resolve(cookie.t, { touch: false }).catch(() => null) : null;
      if (!session || session.sessionId !== socket.data.sessionId) {
        socket.emit(OperatorEvents.sessionEnded);
        socket.disconnect(true);
      }
    }
  }, RECHECK_MS);
  recheck.unref();

  return {
    namespace,
    close() {
      clearInterval(recheck);
      store.events.off("state", onState);
      audit.events.off("appended", onAppended);
      services.operatorSessions.events.off("revoked", onRevoked);
      services.webhookWorker.events.off("recorded", onDelivery);
    },
  };
}
