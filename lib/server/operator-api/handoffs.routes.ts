/** The overview figures, the history, one handoff's detail, and cancelling a live handoff. */
import { AppError } from "../../errors/app-error";
import { EmptyRequestSchema, type HistoryPageResponse } from "../../protocol/operator-api";
import { queryHandoffDetail } from "../../dashboard/handoff-detail.query";
import { HistoryQuerySchema, queryHistory } from "../../dashboard/history.query";
import { OverviewQuerySchema, queryOverview } from "../../dashboard/overview.query";
import { toHandoffSummary } from "../../dashboard/handoff-summary";
import { cancelByOperator } from "../../handoffs/cancel-by-operator";
import { readJson, sendJson } from "../http-json";
import { requireOperator, requireOperatorMutation } from "../operator-auth";
import { handoffIdParam, parseQuery, type Route } from "./route";

const overview: Route["handler"] = async ({ req, res, services }) => {
  await requireOperator(req, services);
  const { range } = parseQuery(req, OverviewQuerySchema);
  sendJson(res, 200, await queryOverview(services.db, services.clock.now(), range));
};

const history: Route["handler"] = async ({ req, res, services }) => {
  await requireOperator(req, services);
  sendJson(res, 200, (await queryHistory(services.db, parseQuery(req, HistoryQuerySchema))) satisfies HistoryPageResponse);
};

const detail: Route["handler"] = async ({ req, res, params, services }) => {
  await requireOperator(req, services);
  const found = await queryHandoffDetail(services.db, handoffIdParam(params[0]));
  if (!found) throw new AppError("NOT_FOUND", "no such handoff");
  sendJson(res, 200, found);
};

const cancel: Route["handler"] = async ({ req, res, params, services }) => {
  const { session } = await requireOperatorMutation(req, services);
  await readJson(req, EmptyRequestSchema);
  const row = await cancelByOperator(services.store, handoffIdParam(params[0]), session.operatorId);
  const agent = await services.db.agent.findUnique({ where: { id: row.agentId }, select: { name: true } });
  sendJson(res, 200, toHandoffSummary(row, agent?.name ?? ""));
};

export const handoffRoutes: Route[] = [
  { method: "GET", pattern: /^\/api\/dashboard\/overview$/, handler: overview },
  { method: "GET", pattern: /^\/api\/dashboard\/handoffs$/, handler: history },
  { method: "GET", pattern: /^\/api\/dashboard\/handoffs\/([^/]+)$/, handler: detail },
  { method: "POST", pattern: /^\/api\/dashboard\/handoffs\/([^/]+)\/cancel$/, handler: cancel },
];
