/**
 * How a handoff run by the CDP sidecar or the MCP server ended, as one plain record: what a JSON
 * line, an exit status and an MCP tool result are made from. Cookie names and domains only.
 */
import { BatonApiError, BatonError, HandoffCancelled, HandoffDenied, HandoffExpired, HandoffFailed, type HandoffResult } from "../../worker";

export const HandoffExitCodes = { completed: 0, error: 1, usage: 2, denied: 3, expired: 4, cancelled: 5, failed: 6 } as const;

export type HandoffOutcome =
  | { status: "completed"; handoffId: string; cookies: { name: string; domain: string }[]; detectedBy: HandoffResult["detectedBy"] }
  | { status: "denied" | "expired" | "cancelled" | "failed"; handoffId: string; reason: string | null; message: string }
  | { status: "usage" | "error"; code: string; message: string };

/** The cancel reason when the person refused, in the MCP client, to open the link at all. */
export const DECLINED_IN_CLIENT = "declined_in_client";

/** Codes that mean the caller's input was wrong, not that something failed on the way. */
const USAGE_CODES = new Set(["INVALID_OPTIONS", "NO_PAGE", "FOREIGN_CONTEXT"]);

export function outcomeOfResult(result: HandoffResult): HandoffOutcome {
  return { status: "completed", handoffId: result.handoffId, cookies: result.cookies, detectedBy: result.detectedBy };
}

export function outcomeOfError(error: unknown): HandoffOutcome {
  if (error instanceof HandoffDenied) return { status: "denied", handoffId: error.handoffId, reason: null, message: error.message };
  if (error instanceof HandoffExpired) return { status: "expired", handoffId: error.handoffId, reason: error.reason, message: error.message };
  if (error instanceof HandoffCancelled) return { status: "cancelled", handoffId: error.handoffId, reason: error.by, message: error.message };
  if (error instanceof HandoffFailed) return { status: "failed", handoffId: error.handoffId, reason: error.reason, message: error.message };
  if (error instanceof BatonApiError) return { status: "error", code: error.code, message: error.message };
  if (error instanceof BatonError) return { status: USAGE_CODES.has(error.code) ? "usage" : "error", code: error.code, message: error.message };
  // Anything else comes from the browser or the network; its first line says what went wrong.
  const message = error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
  return { status: "error", code: "INTERNAL", message };
}

/** The outcome in words an agent (or the model behind it) can act on. */
export function describeOutcome(outcome: HandoffOutcome): string {
  switch (outcome.status) {
    case "completed": {
      const cookies = outcome.cookies.map((c) => `${c.name} (${c.domain})`).join(", ") || "none";
      return `The person signed in. The browser's page now holds the site's session (cookies: ${cookies}); reload or continue the task there.`;
    }
    case "denied":
      return "The person declined the sign-in request. Do not ask again unless they say so; continue without signing in or stop.";
    case "expired":
      return `The sign-in request expired before it was finished (${outcome.reason ?? "deadline"}). Ask the person whether to try again.`;
    case "cancelled":
      if (outcome.reason === DECLINED_IN_CLIENT)
        return "The person declined to open the sign-in link. Do not ask again unless they say so; continue without signing in or stop.";
      return `The sign-in request was cancelled (${outcome.reason ?? "cancelled"}).`;
    case "failed":
      return `The sign-in handoff failed (${outcome.reason ?? "unknown reason"}). Retrying may help; otherwise tell the person.`;
    case "usage":
      return `The request was not valid: ${outcome.message}`;
    case "error":
      return `The sign-in handoff could not run (${outcome.code}): ${outcome.message}`;
  }
}
