/** An agent's webhook from the dashboard: set or clear it with the scope form, rotate its secret. */
import { type RotateWebhookResponse, RotateRequestSchema } from "../../protocol/operator-api";
import type { Services } from "../services";
import { readJson, sendJson } from "../http-json";
import { requireOperatorMutation } from "../operator-auth";
import { agentIdParam, type Route } from "./route";

/**
 * Applies the form's webhook field: a URL sets or changes it (a first one returns its secret, the
 * only time it is shown), null clears it, absent or unchanged leaves it alone.
 */
export async function applyWebhookEdit(services: Services, agentId: string, url: string | null | undefined, operatorId: string): Promise<string | null> {
  if (url === undefined) return null;
  const current = (await services.webhooks.urls()).get(agentId) ?? null;
  if (!url) {
    if (current) await services.webhooks.clear(agentId, operatorId);
    return null;
  }
  const wanted = new URL(url);
  wanted.hash = "";
  if (current === wanted.href) return null;
  return (await services.webhooks.set(agentId, url, operatorId)).secret;
}

const rotate: Route["handler"] = async ({ req, res, params, services }) => {
  const { session } = await requireOperatorMutation(req, services);
  const agentId = agentIdParam(params[0]);
  // How long the old secret keeps signing beside the new one (as with API keys: one hour by default).
  const { overlapSeconds } = await readJson(req, RotateRequestSchema);
  const rotated = await services.webhooks.rotateSecret(agentId, overlapSeconds, session.operatorId);
  sendJson(res, 200, { webhookSecret: rotated.secret, previousUntil: rotated.previousUntil?.toISOString() ?? null } satisfies RotateWebhookResponse);
};

export const webhookRoutes: Route[] = [{ method: "POST", pattern: /^\/api\/dashboard\/agents\/([^/]+)\/webhook\/rotate$/, handler: rotate }];
