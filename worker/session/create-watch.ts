/**
 * The session watch as a handoff uses it: it runs only while this side is running and the server
 * says the stream may flow, looks for the sign-in only once the handoff is live, and reports idle
 * to the server.
 */
import { isStreaming, type HandoffState } from "../../lib/lifecycle/states";
import type { ApiClient } from "../api-client";
import { SessionWatch, type WatchedPhase } from "./session-watch";
import type { Timers } from "./timers";

const WATCH_INTERVAL_MS = 400;

/** What the watch should do, from this side's phase and the server's state. */
export function watchedPhase(isRunning: boolean, state: HandoffState): WatchedPhase {
  if (!isRunning || !isStreaming(state)) return "off";
  return state === "live" ? "live" : "approved";
}

export interface HandoffWatchDeps {
  timers: Timers;
  handoffId: string;
  sessionIdleSeconds: number;
  api: Pick<ApiClient, "report">;
  isRunning(): boolean;
  state(): HandoffState;
  onLiveTick(): Promise<void>;
}

export function createHandoffWatch(deps: HandoffWatchDeps): SessionWatch {
  return new SessionWatch({
    timers: deps.timers,
    intervalMs: WATCH_INTERVAL_MS,
    idleMs: deps.sessionIdleSeconds * 1000,
    phase: () => watchedPhase(deps.isRunning(), deps.state()),
    // Best effort: the relay's own traffic timeout is the backstop when this report does not arrive.
    onIdle: () =>
      deps.api.report(deps.handoffId, { event: "idle" }).then(
        () => undefined,
        () => undefined,
      ),
    onLiveTick: () => deps.onLiveTick(),
  });
}
