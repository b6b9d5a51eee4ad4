/** The lifecycle of a handoff. `pending → opened → approved → live → captured → completed`. */
export const HandoffStates = ["pending", "opened", "approved", "live", "captured", "completed", "denied", "expired", "cancelled", "failed"] as const;
export type HandoffState = (typeof HandoffStates)[number];

/** Still moving: a handoff in one of these can still end either way. */
export const ActiveStates = ["pending", "opened", "approved", "live", "captured"] as const satisfies readonly HandoffState[];
/** Where a handoff ends; nothing leaves these. */
export const EndedStates = ["completed", "denied", "expired", "cancelled", "failed"] as const satisfies readonly HandoffState[];

export const TerminalStates: ReadonlySet<HandoffState> = new Set(EndedStates);

export function isTerminal(state: HandoffState): boolean {
  return TerminalStates.has(state);
}

export function isActive(state: HandoffState): boolean {
  return !TerminalStates.has(state);
}

/**
 * The two words people use for a handoff's progress, each naming the lifecycle states it covers.
 * Filters and figures group by these, so "in progress" means the same everywhere.
 */
export const StateGroups = [
  { key: "active", label: "In progress", states: ActiveStates },
  { key: "ended", label: "Ended", states: EndedStates },
] as const;
export type StateGroupKey = (typeof StateGroups)[number]["key"];
export const StateGroupKeys = StateGroups.map((g) => g.key) as [StateGroupKey, ...StateGroupKey[]];

/**
 * The person is in the live session: approved (the view is opening) or live (frames flow). Only then
 * does the phone's input reach the page, and only then may the worker send it anything.
 */
export const SessionStates: ReadonlySet<HandoffState> = new Set(["approved", "live"]);

export function isStreaming(state: HandoffState): boolean {
  return SessionStates.has(state);
}

/**
 * The relay forwards the sealed stream in these states: the session's, plus `captured`, so the
 * phone still hears the last words while the session is handed over.
 */
export const ForwardingStates: ReadonlySet<HandoffState> = new Set(["approved", "live", "captured"]);
