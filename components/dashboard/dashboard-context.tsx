"use client";
/**
 * What every dashboard screen shares on the client: the operator, the CSRF token for mutations,
 * and one live Socket.IO connection to the `/operators` namespace that components subscribe to.
 */
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import {
  HandoffSummarySchema,
  OPERATOR_NAMESPACE,
  OperatorEvents,
  type HandoffSummary,
  type OperatorToServerEvents,
  type ServerToOperatorEvents,
} from "../../lib/protocol/operator-events";

export type LiveStatus = "connecting" | "live" | "offline";
type Listener = (summary: HandoffSummary) => void;

interface DashboardValue {
  email: string;
  csrfToken: string;
  liveStatus: LiveStatus;
  /** Calls `listener` for every handoff change; returns the unsubscribe. */
  subscribe: (listener: Listener) => () => void;
}

const DashboardContext = createContext<DashboardValue | null>(null);

export function useDashboard(): DashboardValue {
  const value = useContext(DashboardContext);
  if (!value) throw new Error("useDashboard outside DashboardProvider");
  return value;
}

/** Runs `listener` for each live handoff change while the component is mounted. */
export function useHandoffChanges(listener: Listener): void {
  const { subscribe } = useDashboard();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => subscribe((s) => latest.current(s)), [subscribe]);
}

const toSignIn = () => window.location.assign("/dashboard/sign-in");

export function DashboardProvider({ email, csrfToken, children }: { email: string; csrfToken: string; children: ReactNode }) {
  const [liveStatus, setLiveStatus] = useState<LiveStatus>("connecting");
  const listeners = useRef(new Set<Listener>());

  useEffect(() => {
    // WebSocket only: a browser always sends Origin on the upgrade, which the server checks.
    const socket: Socket<ServerToOperatorEvents, OperatorToServerEvents> = io(OPERATOR_NAMESPACE, { transports: ["websocket"], withCredentials: true });
    socket.on("connect", () => setLiveStatus("live"));
    socket.on("disconnect", () => setLiveStatus("offline"));
    socket.on("connect_error", (error) => {
      setLiveStatus("offline");
      if (error.message === "unauthenticated") toSignIn();
    });
    socket.on(OperatorEvents.sessionEnded, toSignIn);
    socket.on(OperatorEvents.handoffChanged, (payload: unknown) => {
      const parsed = HandoffSummarySchema.safeParse(payload);
      if (!parsed.success) return;
      for (const listener of listeners.current) listener(parsed.data);
    });
    return () => {
      socket.disconnect();
    };
  }, []);

  const value = useMemo<DashboardValue>(
    () => ({
      email,
      csrfToken,
      liveStatus,
      subscribe(listener) {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
    }),
    [email, csrfToken, liveStatus],
  );
  return <DashboardContext.Provider value={value}>{children}</DashboardContext.Provider>;
}
