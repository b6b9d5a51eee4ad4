/**
 * `request_human_sign_in`: runs the SDK's handoff over CDP in the agent's browser. With a client
 * that declares URL-mode elicitation (MCP 2025-11-25) the link goes to the person through
 * `elicitation/create` (mode "url") — never through the model — and the call waits for the outcome,
 * then sends `notifications/elicitation/complete`. Without it, the call returns the link and code
 * for the model to pass on, and `wait_for_human_sign_in` collects the outcome.
 */
import { randomUUID } from "node:crypto";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { BatonClient, CdpHandoffOptions, HandoffLink } from "../../worker";
import { DECLINED_IN_CLIENT, type HandoffOutcome, outcomeOfError, outcomeOfResult } from "../cli/handoff-outcome";
import type { PendingHandoff, PendingHandoffs } from "./pending-handoffs";
import { linkMessage, outcomeResult, refusal, waitingResult } from "./tool-results";

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface SignInArgs {
  reason: string;
  page?: string;
  loginUrl?: string;
  endUserRef?: string;
  successUrl?: string;
  identityProviders?: string[];
}

export interface SignInDeps {
  server: McpServer;
  baton: BatonClient;
  cdpEndpoint: string | undefined;
  pending: PendingHandoffs;
  /** How long the person may take to answer the client's "open this URL?" prompt. */
  elicitationTimeoutMs: number;
}

const regex = (source: string | undefined): RegExp | undefined => (source === undefined ? undefined : new RegExp(source));

/** Progress notifications for a call that asked for them (a progress token); a no-op otherwise. */
function progressOf(extra: ToolExtra): (message: string) => Promise<void> {
  const token = extra._meta?.progressToken;
  let progress = 0;
  return async (message) => {
    if (token === undefined) return;
    progress += 1;
    // A client that stopped listening is not a reason to disturb the handoff.
    await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress, message } }).catch(() => undefined);
  };
}

function handoffOptions(args: SignInArgs): Omit<CdpHandoffOptions, "onLink" | "signal"> {
  const successUrl = regex(args.successUrl);
  return {
    reason: args.reason,
    page: regex(args.page),
    loginUrl: args.loginUrl,
    endUserRef: args.endUserRef,
    identityProviders: args.identityProviders,
    ...(successUrl ? { success: { url: successUrl } } : {}),
  };
}

/** Asks the client to show the link; a person who declines or dismisses it cancels the handoff. */
function elicitOpen(
  deps: SignInDeps,
  args: SignInArgs,
  link: HandoffLink,
  extra: ToolExtra,
  cancel: () => void,
): { elicitationId: string; isDeclined: () => boolean } {
  let isDeclined = false;
  const elicitationId = randomUUID();
  const params = { mode: "url" as const, url: link.url, elicitationId, message: linkMessage(args.reason, link) };
  deps.server.server
    .elicitInput(params, { relatedRequestId: extra.requestId, timeout: deps.elicitationTimeoutMs })
    .then((answer) => {
      if (answer.action === "accept") return;
      isDeclined = true;
      cancel();
    })
    // No answer in time (or a client error): the link still works until it expires, so keep waiting.
    .catch(() => undefined);
  return { elicitationId, isDeclined: () => isDeclined };
}

export async function requestSignIn(deps: SignInDeps, args: SignInArgs, extra: ToolExtra): Promise<CallToolResult> {
  if (!deps.cdpEndpoint) return refusal("no browser to hand off: start the Baton MCP server with --cdp <endpoint> or BATON_CDP_ENDPOINT");
  let options: ReturnType<typeof handoffOptions>;
  try {
    options = handoffOptions(args);
  } catch {
    return refusal("page and successUrl must be valid regular expressions");
  }
  const controller = new AbortController();
  const progress = progressOf(extra);
  const status = { state: "pending" };
  let sendLink!: (link: HandoffLink) => void;
  const linkReady = new Promise<HandoffLink>((resolve) => (sendLink = resolve));
  const outcome: Promise<HandoffOutcome> = deps.baton
    .handoffOverCdp(deps.cdpEndpoint, {
      ...options,
      signal: controller.signal,
      onLink: sendLink,
      onStateChange: (state) => {
        status.state = state;
        void progress(`sign-in ${state}`);
      },
    })
    .then(outcomeOfResult, outcomeOfError);
  const first = await Promise.race([linkReady, outcome]);
  if (!("url" in first)) return outcomeResult(first);
  const entry: PendingHandoff = {
    outcome,
    cancel: () => controller.abort(),
    get state() {
      return status.state;
    },
  };
  deps.pending.add(first.handoffId, entry);
  if (!deps.server.server.getClientCapabilities()?.elicitation?.url) {
    // Sent before the result, so a client that shows progress has the link as early as the model.
    await progress(`${linkMessage(args.reason, first)} Link: ${first.url}`);
    return waitingResult(args.reason, first);
  }
  return await waitWithElicitation(deps, args, first, extra, entry);
}

/** URL mode: the client shows the link; this call waits for the outcome and then closes the elicitation. */
async function waitWithElicitation(deps: SignInDeps, args: SignInArgs, link: HandoffLink, extra: ToolExtra, entry: PendingHandoff): Promise<CallToolResult> {
  const { elicitationId, isDeclined } = elicitOpen(deps, args, link, extra, () => entry.cancel());
  const onCallCancelled = () => entry.cancel();
  extra.signal.addEventListener("abort", onCallCancelled, { once: true });
  const outcome = await entry.outcome;
  extra.signal.removeEventListener("abort", onCallCancelled);
  deps.pending.delete(link.handoffId);
  // The client may close the prompt now; a failed notification changes nothing about the outcome.
  await deps.server.server
    .createElicitationCompletionNotifier(elicitationId)()
    .catch(() => undefined);
  return outcomeResult(outcome.status === "cancelled" && isDeclined() ? { ...outcome, reason: DECLINED_IN_CLIENT } : outcome);
}
