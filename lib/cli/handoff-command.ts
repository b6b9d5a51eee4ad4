/**
 * `npm run baton -- handoff --cdp <endpoint> …`: the CDP sidecar. Any agent whose browser is
 * reachable over CDP — Python Playwright, browser-use, a hand-started Chromium — runs this as a
 * subprocess: it connects to that browser, picks the page, runs the SDK's handoff with the isolated
 * context in *that* browser (cookies never cross the network), reports the link and every event, and
 * exits with a status per outcome (see HandoffExitCodes). It never opens Baton's database.
 */
import { parseArgs } from "node:util";
import QRCode from "qrcode";
import { BatonClient, BatonError, type BlockedEvent, type CdpHandoffOptions, type HandoffLink } from "../../worker";
import { describeOutcome, HandoffExitCodes, type HandoffOutcome, outcomeOfError, outcomeOfResult } from "./handoff-outcome";
import { sidecarSettings } from "./sidecar-settings";

export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: Record<string, string | undefined>;
  /** Aborting cancels the handoff (the command wires SIGINT and SIGTERM to it by default). */
  signal?: AbortSignal;
}

const list = (v: string | undefined) =>
  v
    ? v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

function regexFlag(name: string, source: string | undefined): RegExp | undefined {
  if (source === undefined) return undefined;
  try {
    return new RegExp(source);
  } catch {
    throw new BatonError("INVALID_OPTIONS", `--${name}: not a valid regular expression`);
  }
}

function parseHandoffArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      cdp: { type: "string" },
      page: { type: "string" },
      reason: { type: "string" },
      "end-user-ref": { type: "string" },
      "success-url": { type: "string" },
      "identity-providers": { type: "string" },
      "login-url": { type: "string" },
      server: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (!values.cdp) throw new BatonError("INVALID_OPTIONS", "--cdp <endpoint> is required (the agent's browser, e.g. http://127.0.0.1:9222)");
  if (!values.reason) throw new BatonError("INVALID_OPTIONS", "--reason <text> is required (shown to the person as the agent's words)");
  const successUrl = regexFlag("success-url", values["success-url"]);
  return {
    cdp: values.cdp,
    server: values.server,
    isJson: values.json,
    handoff: {
      reason: values.reason,
      page: regexFlag("page", values.page),
      loginUrl: values["login-url"],
      endUserRef: values["end-user-ref"],
      identityProviders: list(values["identity-providers"]),
      ...(successUrl ? { success: { url: successUrl } } : {}),
    },
  };
}

/** What the person and the calling program see of each event: JSON lines, or text with a QR code. */
function reporter(io: CommandIo, isJson: boolean) {
  const emit = (event: Record<string, unknown>) => io.out(JSON.stringify(event));
  return {
    async link(link: HandoffLink) {
      if (isJson) return emit({ event: "link", url: link.url, code: link.code, expiresAt: link.expiresAt.toISOString(), handoffId: link.handoffId });
      io.out(`Ask the person to open this link on their phone (it expires ${link.expiresAt.toISOString()}):`);
      io.out(link.url);
      io.out(await QRCode.toString(link.url, { type: "terminal", small: true }));
      io.out(`Confirmation code: ${link.code} (the phone shows the same code: tell the person to check it matches)`);
    },
    state: (state: string) => (isJson ? emit({ event: "state", state }) : io.out(`state: ${state}`)),
    blocked: (b: BlockedEvent) => (isJson ? emit({ event: "blocked", ...b }) : io.out(`blocked: ${b.origin} (${b.reason})`)),
    reuse: (attempts: number) =>
      isJson ? emit({ event: "reuse_detected", attempts }) : io.out(`warning: someone tried the link on another device (${attempts})`),
    result: (outcome: HandoffOutcome) =>
      isJson ? emit({ event: "result", ...outcome }) : (outcome.status === "completed" ? io.out : io.err)(describeOutcome(outcome)),
  };
}

/** SIGINT and SIGTERM (Ctrl-C, a parent's `terminate()`) cancel the handoff instead of stranding it. */
function signalsAbort(): AbortSignal {
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once("SIGINT", abort);
  process.once("SIGTERM", abort);
  return controller.signal;
}

export async function runHandoffCommand(argv: string[], io: CommandIo): Promise<number> {
  let args: ReturnType<typeof parseHandoffArgs>;
  let settings: ReturnType<typeof sidecarSettings>;
  try {
    args = parseHandoffArgs(argv);
    settings = sidecarSettings({ server: args.server, cdp: args.cdp }, io.env);
  } catch (error) {
    io.err(`error: ${error instanceof Error ? error.message : String(error)}\nSee: npm run baton -- handoff --help`);
    return HandoffExitCodes.usage;
  }
  const report = reporter(io, args.isJson);
  const options: CdpHandoffOptions = {
    ...args.handoff,
    signal: io.signal ?? signalsAbort(),
    onLink: (link) => report.link(link),
    onStateChange: (state) => report.state(state),
    onBlocked: (event) => report.blocked(event),
    onReuseDetected: ({ attempts }) => report.reuse(attempts),
  };
  const baton = new BatonClient({ serverUrl: settings.serverUrl, apiKey: settings.apiKey });
  const outcome = await baton.handoffOverCdp(args.cdp, options).then(outcomeOfResult, outcomeOfError);
  report.result(outcome);
  return HandoffExitCodes[outcome.status];
}
