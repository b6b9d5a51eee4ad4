/**
 * `npm run baton -- mcp`: Baton's MCP server on stdio (see lib/mcp/sign-in-server.ts). Stdout is the
 * protocol: nothing else may be written there. Runs until the client closes stdin; sign-ins still
 * running then are cancelled.
 */
import { parseArgs } from "node:util";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { BatonClient } from "../../worker";
import { createSignInServer } from "../mcp/sign-in-server";
import type { CommandIo } from "./handoff-command";
import { HandoffExitCodes } from "./handoff-outcome";
import { sidecarSettings } from "./sidecar-settings";

const VERSION = "0.1.0";

export async function runMcpCommand(argv: string[], io: CommandIo): Promise<number> {
  let settings: ReturnType<typeof sidecarSettings>;
  try {
    const { values } = parseArgs({ args: argv, strict: true, options: { cdp: { type: "string" }, server: { type: "string" } } });
    settings = sidecarSettings(values, io.env);
  } catch (error) {
    io.err(`error: ${error instanceof Error ? error.message : String(error)}\nSee: npm run baton -- mcp --help`);
    return HandoffExitCodes.usage;
  }
  const baton = new BatonClient({ serverUrl: settings.serverUrl, apiKey: settings.apiKey });
  const signIn = createSignInServer({ baton, cdpEndpoint: settings.cdpEndpoint, version: VERSION });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    // The stdio transport does not notice the end of stdin by itself; a signal ends the session too.
    const end = () => void transport.close();
    process.stdin.once("end", end);
    process.once("SIGINT", end);
    process.once("SIGTERM", end);
  });
  await signIn.server.connect(transport);
  await closed;
  await signIn.close();
  return 0;
}
