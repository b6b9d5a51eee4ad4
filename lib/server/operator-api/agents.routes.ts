/**
 * Agents from the dashboard: list with figures, create (the key is in this one response and
 * nowhere else), edit scope, rotate the key, revoke (its live handoffs end at once).
 */
import { z } from "zod";
import { AgentScopeSchema, AgentScopeUpdateSchema } from "../../agents/agent.store";
import {
  type CreateAgentResponse,
  type EditAgentResponse,
  EmptyRequestSchema,
  type RevokeAgentResponse,
  type RotateKeyResponse,
  RotateRequestSchema,
} from "../../protocol/operator-api";
import { queryAgents } from "../../dashboard/agents.query";
import { readJson, sendJson } from "../http-json";
import { requireOperator, requireOperatorMutation } from "../operator-auth";
import { agentIdParam, type Route } from "./route";
import { applyWebhookEdit, webhookRoutes } from "./webhooks.routes";

/** The webhook travels with the scope form: null (or absent at creation) means none. */
const WebhookUrlField = z.string().trim().max(2048).nullable().optional();
const CreateAgentSchema = AgentScopeSchema.extend({ webhookUrl: WebhookUrlField });
const EditAgentSchema = AgentScopeUpdateSchema.extend({ webhookUrl: WebhookUrlField });

const list: Route["handler"] = async ({ req, res, services }) => {
  await requireOperator(req, services);
  sendJson(res, 200, { agents: await queryAgents(services.db, services.agents, services.webhooks) });
};

const create: Route["handler"] = async ({ req, res, services }) => {
  const { session } = await requireOperatorMutation(req, services);
  const { webhookUrl, ...scope } = await readJson(req, CreateAgentSchema);
  // Checked before the agent exists, so a refused URL leaves no agent behind.
  if (webhookUrl) await services.webhooks.checkedUrl(webhookUrl);
  const created = await services.agents.create(scope, session.operatorId);
  const webhook = webhookUrl ? await services.webhooks.set(created.agentId, webhookUrl, session.operatorId) : null;
  sendJson(res, 201, {
    agentId: created.agentId,
    keyId: created.keyId,
    origins: created.origins,
    apiKey: created.apiKey,
    webhookSecret: webhook?.secret ?? null,
  } satisfies CreateAgentResponse);
};

const editScope: Route["handler"] = async ({ req, res, params, services }) => {
  const { session } = await requireOperatorMutation(req, services);
  const agentId = agentIdParam(params[0]);
  const { webhookUrl, ...scope } = await readJson(req, EditAgentSchema);
  if (webhookUrl) await services.webhooks.checkedUrl(webhookUrl);
  await services.agents.updateScope(agentId, scope, session.operatorId);
  const webhookSecret = await applyWebhookEdit(services, agentId, webhookUrl, session.operatorId);
  sendJson(res, 200, { ok: true, webhookSecret } satisfies EditAgentResponse);
};

const rotate: Route["handler"] = async ({ req, res, params, services }) => {
  const { session } = await requireOperatorMutation(req, services);
  const agentId = agentIdParam(params[0]);
  const { overlapSeconds } = await readJson(req, RotateRequestSchema);
  const rotated = await services.agents.rotate(agentId, overlapSeconds, session.operatorId);
  sendJson(res, 200, { keyId: rotated.keyId, apiKey: rotated.apiKey, oldKeysExpireAt: rotated.oldKeysExpireAt.toISOString() } satisfies RotateKeyResponse);
};

const revoke: Route["handler"] = async ({ req, res, params, services }) => {
  const { session } = await requireOperatorMutation(req, services);
  const agentId = agentIdParam(params[0]);
  await readJson(req, EmptyRequestSchema);
  await services.agents.revoke(agentId, session.operatorId);
  // End its live handoffs now rather than at the next sweep.
  const ended = await services.handoffs.endRevoked();
  sendJson(res, 200, { ok: true, endedHandoffs: ended } satisfies RevokeAgentResponse);
};

export const agentRoutes: Route[] = [
  { method: "GET", pattern: /^\/api\/dashboard\/agents$/, handler: list },
  { method: "POST", pattern: /^\/api\/dashboard\/agents$/, handler: create },
  { method: "POST", pattern: /^\/api\/dashboard\/agents\/([^/]+)\/scope$/, handler: editScope },
  { method: "POST", pattern: /^\/api\/dashboard\/agents\/([^/]+)\/rotate$/, handler: rotate },
  { method: "POST", pattern: /^\/api\/dashboard\/agents\/([^/]+)\/revoke$/, handler: revoke },
  ...webhookRoutes,
];
