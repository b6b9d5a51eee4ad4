/**
 * Which audit rows record a decision worth a pill. Every row has a decision column (it is part of
 * the hashed record), but a lifecycle row is "allow" only because the transition was legal: a
 * green pill on "handoff cancelled" says nothing. A pill belongs to an auth or policy check —
 * something that could have gone the other way — and to every refusal.
 */
const CHECKS: ReadonlySet<string> = new Set([
  // The agent's request was checked against its scope (origin, identity providers, caps).
  "handoff.created",
  "operator.sign_in",
  "socket.auth",
]);

export type ShownDecision = "allow" | "deny";

export function shownDecision(action: string, decision: string): ShownDecision | null {
  if (decision === "deny") return "deny";
  if (decision === "allow" && (CHECKS.has(action) || action.startsWith("auth."))) return "allow";
  return null;
}
