/** MCP tool results made from handoff outcomes: words a model can act on, plus the same as data. */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { HandoffLink } from "../../worker";
import { describeOutcome, type HandoffOutcome } from "../cli/handoff-outcome";

export function outcomeResult(outcome: HandoffOutcome): CallToolResult {
  return {
    content: [{ type: "text", text: describeOutcome(outcome) }],
    structuredContent: { ...outcome },
    isError: outcome.status === "usage" || outcome.status === "error",
  };
}

export function refusal(message: string): CallToolResult {
  return outcomeResult({ status: "usage", code: "INVALID_OPTIONS", message });
}

/** What the person is told alongside the link, wherever it is shown: the code is theirs to compare. */
export function linkMessage(reason: string, link: HandoffLink): string {
  return (
    `An agent asks you to sign in: "${reason}". Open the link on your phone and sign in yourself; ` +
    `the agent never sees your password. Confirmation code ${link.code}: your phone shows the same code — continue only if they match.`
  );
}

/** Fallback mode: the model must hand the link to the person, then wait for the outcome. */
export function waitingResult(reason: string, link: HandoffLink): CallToolResult {
  const text =
    `Give the person this sign-in link and code, exactly, and ask them to open it on their phone: ${link.url} — ` +
    `confirmation code ${link.code} (their phone shows the same code). It expires at ${link.expiresAt.toISOString()}. ` +
    `Then call wait_for_human_sign_in with handoffId "${link.handoffId}" until it reports the outcome.\n\nFor the person: ${linkMessage(reason, link)}`;
  return {
    content: [{ type: "text", text }],
    structuredContent: { status: "waiting", handoffId: link.handoffId, url: link.url, code: link.code, expiresAt: link.expiresAt.toISOString() },
  };
}

export function stillWaitingResult(handoffId: string, state: string): CallToolResult {
  return {
    content: [{ type: "text", text: `Still waiting for the person (state: ${state}). Call wait_for_human_sign_in with handoffId "${handoffId}" again.` }],
    structuredContent: { status: "waiting", handoffId, state },
  };
}
