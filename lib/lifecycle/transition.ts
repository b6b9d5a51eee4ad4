/**
 * The one pure function that owns handoff state. Given a state and an event it returns the next
 * state and which timestamp column records it — or a typed refusal. Exactly one adapter applies
 * the result (handoff.store.ts `applyTransition`), as a conditional update on the previous state.
 */
import { type HandoffState, isTerminal } from "./states";

export const Actors = ["agent", "end_user", "operator", "system"] as const;
export type Actor = (typeof Actors)[number];

export type HandoffEvent =
  | { type: "open" }
  | { type: "approve" }
  | { type: "deny" }
  | { type: "go_live" }
  | { type: "capture" }
  | { type: "complete" }
  | { type: "cancel"; by: Actor }
  | { type: "expire"; reason: "link_ttl" | "session_cap" | "idle" }
  | { type: "fail"; reason: string };

export type StampColumn = "openedAt" | "approvedAt" | "liveAt" | "capturedAt" | "completedAt" | "endedAt";

export type TransitionResult =
  | { ok: true; next: HandoffState; stamps: StampColumn[]; endReason: string | null; isTerminal: boolean }
  | { ok: false; refusal: { code: "INVALID_TRANSITION"; from: HandoffState; event: HandoffEvent["type"] } };

/** Forward steps: from → event → to. Ending events are handled for every non-terminal state. */
const forward: Partial<Record<HandoffState, Partial<Record<HandoffEvent["type"], [HandoffState, StampColumn]>>>> = {
  pending: { open: ["opened", "openedAt"] },
  opened: { approve: ["approved", "approvedAt"] },
  approved: { go_live: ["live", "liveAt"] },
  live: { capture: ["captured", "capturedAt"] },
  captured: { complete: ["completed", "completedAt"] },
};

const ending: Partial<Record<HandoffEvent["type"], HandoffState>> = {
  cancel: "cancelled",
  expire: "expired",
  fail: "failed",
};

export function transition(state: HandoffState, event: HandoffEvent): TransitionResult {
  const refuse = (): TransitionResult => ({ ok: false, refusal: { code: "INVALID_TRANSITION", from: state, event: event.type } });
  if (isTerminal(state)) return refuse();

  // Deny is the user's answer on the consent screen; once approved, the user cancels instead.
  if (event.type === "deny") {
    return state === "opened" ? { ok: true, next: "denied", stamps: ["endedAt"], endReason: "denied_by_user", isTerminal: true } : refuse();
  }
  const end = ending[event.type];
  if (end) {
    const endReason =
      event.type === "cancel" ? `cancelled_by_${event.by}` : event.type === "expire" ? event.reason : event.type === "fail" ? event.reason : null;
    return { ok: true, next: end, stamps: ["endedAt"], endReason, isTerminal: true };
  }
  const step = forward[state]?.[event.type];
  if (!step) return refuse();
  const [next, stamp] = step;
  const terminal = isTerminal(next);
  return { ok: true, next, stamps: terminal ? [stamp, "endedAt"] : [stamp], endReason: terminal ? "completed" : null, isTerminal: terminal };
}
