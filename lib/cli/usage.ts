/**
 * What `npm run baton -- …` prints when asked for help (`--help`, `-h`, `help [command]`, or
 * `<command> --help`: exit 0) or given no or an unknown command (exit 2). Answered before any
 * configuration is read or database opened, so help works anywhere.
 */
const COMMANDS = {
  agent: `  agent create --name <name> --origins <origin,…> [--idps <site,…>] [--hand-over <site,…>] [--max-ttl <seconds>] [--max-concurrent <n>] [--webhook <url>]
  agent list
  agent rotate <agentId> [--overlap <seconds>]
  agent revoke <agentId>
  agent webhook <agentId> --url <url> | --clear | --rotate-secret [--overlap <seconds>]`,
  audit: `  audit verify
  audit export [--format jsonl|csv]`,
  operator: `  operator create --email <email> [--password <password>]   (no --password: one is generated and shown once)
  operator list`,
  handoff: `  handoff --cdp <endpoint> --reason <text> [--page <url-regex>] [--login-url <url>] [--end-user-ref <ref>]
          [--success-url <url-regex>] [--identity-providers <site,…>] [--server <url>] [--json]
      Asks the person to sign in for a browser the agent already runs (reached over CDP), prints the
      link and a QR code (or, with --json, one JSON line per event) and waits for the outcome.
      Server: --server or BATON_SERVER_URL; agent key: BATON_API_KEY. Does not open Baton's database.
      Exit status: 0 completed, 1 error, 2 usage, 3 denied, 4 expired, 5 cancelled, 6 failed.`,
  mcp: `  mcp [--cdp <endpoint>] [--server <url>]
      An MCP server on stdio with the tool request_human_sign_in (and wait_for_human_sign_in) for
      an agent whose browser is reachable over CDP (--cdp or BATON_CDP_ENDPOINT).
      Server: --server or BATON_SERVER_URL; agent key: BATON_API_KEY.`,
} as const;

type Command = keyof typeof COMMANDS;
const isCommand = (name: string | undefined): name is Command => name !== undefined && Object.hasOwn(COMMANDS, name);
const isHelpFlag = (arg: string) => arg === "--help" || arg === "-h";

const usage = (commands: readonly Command[]) => `usage: npm run baton -- <command>\n${commands.map((c) => COMMANDS[c]).join("\n")}`;
export const FULL_USAGE = usage(Object.keys(COMMANDS) as Command[]);

/** The usage to print and the exit status, or null when `argv` is a command to run. */
export function usageFor(argv: readonly string[]): { text: string; code: 0 | 2 } | null {
  const [first, second] = argv;
  if (first === undefined) return { text: FULL_USAGE, code: 2 };
  if (first === "help" || isHelpFlag(first)) {
    if (second === undefined || isHelpFlag(second)) return { text: FULL_USAGE, code: 0 };
    return isCommand(second) ? { text: usage([second]), code: 0 } : { text: FULL_USAGE, code: 2 };
  }
  if (!isCommand(first)) return { text: FULL_USAGE, code: 2 };
  // `--help` as an option's value (`--reason --help`) is still a request for help: nobody means that.
  if (argv.some(isHelpFlag)) return { text: usage([first]), code: 0 };
  return null;
}
