/**
 * Where the CDP sidecar and the MCP server find Baton and the agent's browser: flags first, then
 * the environment. The agent key comes from the environment only — a key on a command line lands
 * in shell history and in `ps`. Problems are named by flag or variable, never by value.
 */
import { z } from "zod";
import { BatonError } from "../../worker";

const HttpUrl = z.url({ protocol: /^https?$/ });
const CdpEndpoint = z.url({ protocol: /^(https?|wss?)$/ });

const SidecarEnvSchema = z.object({
  BATON_SERVER_URL: HttpUrl.optional(),
  BATON_API_KEY: z
    .string()
    .regex(/^bat_[A-Za-z0-9_-]+$/, "must be a Baton agent key (bat_…)")
    .optional(),
  BATON_CDP_ENDPOINT: CdpEndpoint.optional(),
});

export interface SidecarSettings {
  serverUrl: string;
  apiKey: string;
  /** Absent only where the command allows it (the MCP server then refuses the tool call). */
  cdpEndpoint: string | undefined;
}

export function sidecarSettings(flags: { server?: string; cdp?: string }, env: Record<string, string | undefined>): SidecarSettings {
  const parsed = SidecarEnvSchema.safeParse({
    BATON_SERVER_URL: env.BATON_SERVER_URL || undefined,
    BATON_API_KEY: env.BATON_API_KEY || undefined,
    BATON_CDP_ENDPOINT: env.BATON_CDP_ENDPOINT || undefined,
  });
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  const serverUrl = flags.server ?? (parsed.success ? parsed.data.BATON_SERVER_URL : undefined);
  const cdpEndpoint = flags.cdp ?? (parsed.success ? parsed.data.BATON_CDP_ENDPOINT : undefined);
  if (flags.server !== undefined && !HttpUrl.safeParse(flags.server).success) problems.push("--server: must be an http(s) URL");
  if (flags.cdp !== undefined && !CdpEndpoint.safeParse(flags.cdp).success) problems.push("--cdp: must be an http(s):// or ws(s):// URL");
  if (!serverUrl && problems.length === 0) problems.push("the Baton server: pass --server <url> or set BATON_SERVER_URL");
  const apiKey = parsed.success ? parsed.data.BATON_API_KEY : undefined;
  if (!apiKey && problems.length === 0) problems.push("BATON_API_KEY: required (the agent's key from `agent create`)");
  if (problems.length > 0 || !serverUrl || !apiKey) throw new BatonError("INVALID_OPTIONS", problems.join("; "));
  return { serverUrl, apiKey, cdpEndpoint };
}
