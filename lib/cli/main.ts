/**
 * `npm run baton -- <command>`: manage agents and the audit log on the configured database.
 *
 *   agent create --name <n> --origins <o,…> [--idps <site,…>] [--hand-over <site,…>] [--max-ttl <s>] [--max-concurrent <n>] [--webhook <url>]
 *   agent list
 *   agent rotate <agentId> [--overlap <seconds>]
 *   agent revoke <agentId>
 *   agent webhook <agentId> --url <url> | --clear | --rotate-secret [--overlap <seconds>]   (lib/webhooks/webhook-cli.ts)
 *   audit verify
 *   audit export [--format jsonl|csv]
 *   operator create --email <e> [--password <p>]   (no --password: one is generated and shown once)
 *   operator list
 *   handoff --cdp <endpoint> --reason <text> …   (the CDP sidecar: lib/cli/handoff-command.ts)
 *   mcp [--cdp <endpoint>]                        (the MCP server: lib/mcp)
 *   help [command] | <command> --help
 */
import { usageFor } from "./usage";
import { type CliOutput, createCliOutput } from "./output";

// Each command loads only its own modules: help answers without Playwright, Prisma or the MCP SDK.
async function run(argv: string[], out: (line: string) => void, output: CliOutput): Promise<number> {
  const usage = usageFor(argv);
  if (usage) {
    out(usage.text);
    return usage.code;
  }
  // These two drive an agent's browser through the SDK and never open the database.
  const io = { out, err: (line: string) => void process.stderr.write(`${line}\n`), env: process.env };
  if (argv[0] === "handoff") return (await import("./handoff-command")).runHandoffCommand(argv.slice(1), io);
  if (argv[0] === "mcp") return (await import("./mcp-command")).runMcpCommand(argv.slice(1), io);
  return (await import("./admin-commands")).runAdminCommand(argv, out, output);
}

// Exit only once stdout and stderr have drained (output.ts): a pipe would otherwise lose rows.
const stdout = createCliOutput(process.stdout);
const stderr = createCliOutput(process.stderr);
run(process.argv.slice(2), (line) => void stdout.line(line), stdout).then(
  async (code) => {
    await stdout.flush();
    process.exit(code);
  },
  async (error: unknown) => {
    // The formatter loads zod and the configuration; should that fail too, the message still goes out.
    const lines = await import("./error-lines").then(
      ({ cliErrorLines }) => cliErrorLines(error),
      () => [`error: ${error instanceof Error ? error.message : String(error)}`],
    );
    for (const line of lines) void stderr.line(line);
    await Promise.all([stdout.flush(), stderr.flush()]);
    process.exit(1);
  },
);
