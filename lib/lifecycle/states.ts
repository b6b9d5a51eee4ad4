/** The lifecycle of a handoff. `pending → opened → approved → live → captured → completed`. */
export const HandoffStates = [
  "pending",
  "opened",
  "approved",
  "live",
  "captured",
  "completed",
  "denied",
  "expired",
  "cancelled",
  "failed",
] as const;
export type HandoffState = (typeof HandoffStates)[number];

export const TerminalStates: ReadonlySet<HandoffState> = new Set(["completed", "denied", "expired", "cancelled", "failed"]);

export function isTerminal(state: HandoffState): boolean {
  return TerminalStates.has(state);
}

/**
 * The person is in the live session: approved (the view is opening) or live (frames flow). Only then
 * does the phone's input reach the page, and only then may the worker send it anything.
 */
export const SessionStates: ReadonlySet<HandoffState> = new Set(["approved", "live"]);

export function isStreaming(state: HandoffState): boolean {
  return SessionStates.has(state);
}
