/**
 * Baton's agent and link API, served by the custom server in front of Next (so Socket.IO, the API
 * and the pages share one process, one database handle and one audit writer, and tests can start it
 * on port 0 without a Next build). Routes are a table for the shared router (router.ts); each
 * handler validates with the contract's schemas (lib/protocol/api.ts, lib/protocol/link-api.ts).
 */
import type { IncomingMessage } from "node:http";
import type { AgentPrincipal } from "../agents/agent.store";
import { LINK_TOKEN_PATTERN } from "../auth/secrets";
import { AppError } from "../errors/app-error";
import { reportLink } from "../handoffs/report-link";
import { type BlockedReportResponse, BlockedReportSchema, CreateHandoffRequestSchema, ReportRequestSchema } from "../protocol/api";
import { DecisionRequestSchema, type LinkOkResponse, type LinkStateResponse, ReportLinkRequestSchema } from "../protocol/link-api";
import { summarizeUserAgent } from "./device-summary";
import { readJson, sendJson } from "./http-json";
import { clientAddressOf } from "./client-address";
import { ensureDeviceId, readDeviceId } from "./phone-session";
import { createRouter, type Handler, type Route } from "./router";
import type { Services } from "./services";

const HANDOFF_ID = /^hnd_[A-Za-z0-9_-]{16}$/;

async function agentOf(req: IncomingMessage, services: Services): Promise<AgentPrincipal> {
  const header = req.headers.authorization ?? "";
  const key = /^Bearer (\S+)$/.exec(header)?.[1];
  const address = clientAddress(req, services);
  // Counted, not written one row each: anyone can send a bad key (failure-ledger.ts).
  if (key && (await services.authThrottle.isShed(address, key))) {
    services.failures.record(address, "agent_key_shed");
    throw new AppError("RATE_LIMITED", "bad keys from this address");
  }
  const agent = key ? await services.agents.authenticate(key) : null;
  if (!agent) {
    services.failures.record(address, key ? "agent_key_invalid" : "agent_key_missing");
    if (key) await services.authThrottle.noteFailure(address);
    throw new AppError("UNAUTHENTICATED", "bad agent key", undefined, "A valid agent API key is required (Authorization: Bearer bat_…).");
  }
  if (key) await services.authThrottle.noteSuccess(key);
  return agent;
}

/** Phone POSTs carry a cookie, so they must come from Baton's own pages (CSRF). */
function assertSameOrigin(req: IncomingMessage, services: Services): void {
  const origin = req.headers.origin;
  const site = req.headers["sec-fetch-site"];
  const isSame = origin ? origin === services.config.publicOrigin : site === "same-origin";
  if (!isSame) throw new AppError("CROSS_SITE_REQUEST", `origin ${origin ?? "(none)"}`);
}

function clientAddress(req: IncomingMessage, services: Services): string {
  return clientAddressOf(req.headers, req.socket.remoteAddress, services.config.trustProxy);
}

function handoffId(raw: string): string {
  if (!HANDOFF_ID.test(raw)) throw new AppError("NOT_FOUND", "malformed handoff id");
  return raw;
}

function linkToken(raw: string): string {
  // Malformed tokens get the same answer as unknown ones.
  if (!LINK_TOKEN_PATTERN.test(raw)) throw new AppError("LINK_INVALID", "malformed token");
  return raw;
}

const createHandoff: Handler = async ({ req, res, services }) => {
  const agent = await agentOf(req, services);
  if (!(await services.limits.creates.take(agent.agentId))) {
    await services.audit.append({
      actor: "agent",
      action: "handoff.create_refused",
      decision: "deny",
      reason: "rate_limited",
      agentId: agent.agentId,
      keyId: agent.keyId,
    });
    throw new AppError("RATE_LIMITED", "creates per agent");
  }
  const body = await readJson(req, CreateHandoffRequestSchema);
  sendJson(res, 201, await services.handoffs.create(agent, body));
};

const getHandoff: Handler = async ({ req, res, params, services }) => {
  const agent = await agentOf(req, services);
  sendJson(res, 200, await services.handoffs.status(agent, handoffId(params[0]), true));
};

const reportHandoff: Handler = async ({ req, res, params, services }) => {
  const agent = await agentOf(req, services);
  const body = await readJson(req, ReportRequestSchema, 128 * 1024);
  sendJson(res, 200, await services.handoffs.report(agent, handoffId(params[0]), body));
};

const reportBlocked: Handler = async ({ req, res, params, services }) => {
  const agent = await agentOf(req, services);
  const body = await readJson(req, BlockedReportSchema);
  await services.handoffs.recordBlocked(agent, handoffId(params[0]), body);
  sendJson(res, 200, { ok: true } satisfies BlockedReportResponse);
};

const claimLink: Handler = async ({ req, res, params, services }) => {
  assertSameOrigin(req, services);
  const ip = clientAddress(req, services);
  if (!(await services.limits.claims.take(ip))) {
    services.failures.record(ip, "claim_rate_limited");
    throw new AppError("RATE_LIMITED", "claims per ip");
  }
  const token = linkToken(params[0]);
  const deviceId = await ensureDeviceId(req, res, services.phoneSession);
  const row = await services.handoffs.claim(token, deviceId, summarizeUserAgent(req.headers["user-agent"]), services.config.recordDeviceIp ? ip : null);
  sendJson(res, 200, { handoffId: row.id, state: row.state } satisfies LinkStateResponse);
};

const decideLink: Handler = async ({ req, res, params, services }) => {
  assertSameOrigin(req, services);
  const token = linkToken(params[0]);
  const { decision } = await readJson(req, DecisionRequestSchema);
  const deviceId = await ensureDeviceId(req, res, services.phoneSession);
  const updated = await services.handoffs.decideByLink(token, deviceId, decision);
  sendJson(res, 200, { handoffId: updated.id, state: updated.state } satisfies LinkStateResponse);
};

const reportLinkRoute: Handler = async ({ req, res, params, services }) => {
  assertSameOrigin(req, services);
  // Reports share the claim budget per address: one link cannot be used to flood the audit log.
  if (!(await services.limits.claims.take(`report:${clientAddress(req, services)}`))) throw new AppError("RATE_LIMITED", "reports per ip");
  const token = linkToken(params[0]);
  const body = await readJson(req, ReportLinkRequestSchema);
  const deviceId = await readDeviceId(req.headers.cookie, services.phoneSession);
  await reportLink(services, token, deviceId, body, summarizeUserAgent(req.headers["user-agent"]));
  sendJson(res, 200, { ok: true } satisfies LinkOkResponse);
};

const routes: Route[] = [
  { method: "POST", pattern: /^\/api\/handoffs$/, handler: createHandoff },
  { method: "GET", pattern: /^\/api\/handoffs\/([^/]+)$/, handler: getHandoff },
  { method: "POST", pattern: /^\/api\/handoffs\/([^/]+)\/report$/, handler: reportHandoff },
  { method: "POST", pattern: /^\/api\/handoffs\/([^/]+)\/blocked$/, handler: reportBlocked },
  { method: "POST", pattern: /^\/api\/link\/([^/]+)\/claim$/, handler: claimLink },
  { method: "POST", pattern: /^\/api\/link\/([^/]+)\/decision$/, handler: decideLink },
  { method: "POST", pattern: /^\/api\/link\/([^/]+)\/report$/, handler: reportLinkRoute },
];

export function createApiRouter(services: Services) {
  // The route family, not the path: a link path carries its token.
  return createRouter(routes, services, (path) => (path.startsWith("/api/link/") ? "/api/link/…" : path.slice(0, 80)));
}
