/**
 * Baton as an MCP server: tools that ask a person to sign in for an agent whose browser is reachable
 * over CDP (for example the browser Playwright's MCP server drives with `--cdp-endpoint`).
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { BatonClient } from "../../worker";
import { PendingHandoffs } from "./pending-handoffs";
import { requestSignIn } from "./request-sign-in";
import { outcomeResult, refusal, stillWaitingResult } from "./tool-results";

export interface SignInServerOptions {
  baton: BatonClient;
  cdpEndpoint: string | undefined;
  version: string;
}

const REQUEST_DESCRIPTION =
  "Ask the person to sign in to a website for you when the browser page hits a login wall. They open a one-time link on their phone, " +
  "approve, and sign in themselves on a live view of an isolated tab; only the site's session cookies come back into your browser. " +
  "You never see or need their password. Waits for the outcome when the client can show the link itself; otherwise returns the link for you " +
  "to give to the person and you call wait_for_human_sign_in.";

const SignInShape = {
  reason: z.string().min(1).max(280).describe("Why you need the sign-in, shown to the person as your words, e.g. 'Download your March statements'."),
  page: z
    .string()
    .max(500)
    .optional()
    .describe("A regular expression matching the URL of the browser page that needs the sign-in; default: the most recent page."),
  loginUrl: z.url().optional().describe("The login page to open for the person; default: the page's current URL."),
  endUserRef: z.string().max(128).optional().describe("Your reference for the person (audited, not shown to them)."),
  successUrl: z.string().max(500).optional().describe("A regular expression: the person counts as signed in once the page's URL matches it."),
  identityProviders: z
    .array(z.string().max(253))
    .max(10)
    .optional()
    .describe("Identity-provider sites the login may visit (registrable domains in the agent's scope)."),
};

const WaitShape = {
  handoffId: z.string().min(1).max(100).describe("The handoffId request_human_sign_in returned."),
  waitSeconds: z.number().int().min(1).max(300).default(50).describe("How long to wait before answering 'still waiting'."),
};

export function createSignInServer(options: SignInServerOptions): { server: McpServer; close(): Promise<void> } {
  const server = new McpServer({ name: "baton", version: options.version }, { capabilities: { tools: {} } });
  const pending = new PendingHandoffs();
  const deps = { server, baton: options.baton, cdpEndpoint: options.cdpEndpoint, pending, elicitationTimeoutMs: 10 * 60_000 };
  server.registerTool(
    "request_human_sign_in",
    { title: "Ask the person to sign in", description: REQUEST_DESCRIPTION, inputSchema: SignInShape, annotations: { openWorldHint: true } },
    (args, extra) => requestSignIn(deps, args, extra),
  );
  server.registerTool(
    "wait_for_human_sign_in",
    {
      title: "Wait for the person's sign-in",
      description: "Wait for the outcome of a sign-in request_human_sign_in started.",
      inputSchema: WaitShape,
      annotations: { readOnlyHint: true },
    },
    async ({ handoffId, waitSeconds }) => {
      const entry = pending.get(handoffId);
      if (!entry) return refusal(`no sign-in request ${handoffId} is waiting in this session`);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitSeconds * 1000)));
      const outcome = await Promise.race([entry.outcome, timeout]).finally(() => clearTimeout(timer));
      if (!outcome) return stillWaitingResult(handoffId, entry.state);
      pending.delete(handoffId);
      return outcomeResult(outcome);
    },
  );
  return {
    server,
    async close() {
      await pending.cancelAll();
      await server.close();
    },
  };
}
