/** The helpers every operator route handler shares; routes themselves are the shared router's (router.ts). */
import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { AppError } from "../../errors/app-error";
import { clientAddressOf } from "../client-address";
import type { Services } from "../services";

export type { Handler, Route, RouteContext } from "../router";

/** Parses the query string with a schema, naming failing keys (never echoing values). */
export function parseQuery<T>(req: IncomingMessage, schema: z.ZodType<T>): T {
  const params = new URL(req.url ?? "/", "http://x").searchParams;
  const raw: Record<string, string> = {};
  for (const [key, value] of params) if (!(key in raw)) raw[key] = value;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(query)", message: i.message }));
    throw new AppError("BAD_REQUEST", "query schema", { issues }, `Invalid query: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

const AGENT_ID = /^agt_[A-Za-z0-9_-]{16}$/;
const HANDOFF_ID = /^hnd_[A-Za-z0-9_-]{16}$/;

export function agentIdParam(raw: string): string {
  if (!AGENT_ID.test(raw)) throw new AppError("NOT_FOUND", "malformed agent id");
  return raw;
}

export function handoffIdParam(raw: string): string {
  if (!HANDOFF_ID.test(raw)) throw new AppError("NOT_FOUND", "malformed handoff id");
  return raw;
}

export function clientAddress(req: IncomingMessage, services: Services): string {
  return clientAddressOf(req.headers, req.socket.remoteAddress, services.config.trustProxy);
}
