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
